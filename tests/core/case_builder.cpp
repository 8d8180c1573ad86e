#include "core/case_builder.hpp"

#include <doctest/doctest.h>

#include "support/test_support.hpp"

namespace myo::test {

Json screened_answers() {
    Json answers = Json::object();
    for (const auto& item : definitions().form.items) {
        if (item.type == ItemType::YesNo && item.id.rfind("rf.", 0) == 0) {
            answers[item.id] = "no";
        }
    }
    return answers;
}

Case& Case::set(const std::string& id, Json value) {
    answers[id] = std::move(value);
    return *this;
}

Case& Case::erase(const std::string& id) {
    answers.erase(id);
    return *this;
}

Case& Case::age(int years) {
    birth_date = std::to_string(2026 - years) + "-11-20";
    return *this;
}

Assessment Case::assessment() const {
    Assessment a;
    a.patient = {"T-1", "Test Patient", birth_date, std::string("female")};
    a.date = date;
    a.kind = "initial";
    a.answers = answers;
    auto problems = validate_assessment(a, definitions());
    for (const auto& p : problems) {
        FAIL_CHECK("invalid test case: " << p.path << ": " << p.message);
    }
    return a;
}

Evaluation Case::evaluate() const {
    return myo::evaluate(definitions(), assessment());
}

bool has_flag(const Evaluation& e, const std::string& id) {
    return e.flag(id) != nullptr;
}

const TestSuggestion* find_test(const Evaluation& e, const std::string& id) {
    for (const auto& t : e.tests) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

bool has_advice(const Evaluation& e, const std::string& id) {
    for (const auto& a : e.advice) {
        if (a.id == id) {
            return true;
        }
    }
    return false;
}

bool has_note(const Evaluation& e, const std::string& id) {
    for (const auto& n : e.notes) {
        if (n.id == id) {
            return true;
        }
    }
    return false;
}

}  // namespace myo::test
