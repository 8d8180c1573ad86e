#pragma once
// Builds assessments for rule tests: a fully screened patient (every red-flag question "no")
// aged 40 on 2026-11-20, plus the answers a test sets.

#include <string>

#include "core/assessment.hpp"
#include "core/evaluation.hpp"

namespace myo::test {

Json screened_answers();  // every rf.* item "no"

struct Case {
    Json answers = screened_answers();
    std::string birth_date = "1986-11-20";  // 40 on the visit date
    std::string date = "2026-11-20";

    Case& set(const std::string& id, Json value);
    Case& erase(const std::string& id);
    Case& age(int years);           // birth date so that the patient is exactly `years` old
    Assessment assessment() const;  // validated: the test fails if it is not valid
    Evaluation evaluate() const;
};

bool has_flag(const Evaluation& e, const std::string& id);
const TestSuggestion* find_test(const Evaluation& e, const std::string& id);
bool has_advice(const Evaluation& e, const std::string& id);
bool has_note(const Evaluation& e, const std::string& id);

}  // namespace myo::test
