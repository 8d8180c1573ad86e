#pragma once
// The "new patient" form without windows: what a clinician types is checked here so the
// dialog and its tests agree on every message. (Searching patients is the store's job.)

#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/dates.hpp"

namespace myo::gui {

struct PatientInput {
    std::string id;
    std::string name;
    std::string birth_date;  // as typed: YYYY-MM-DD
    std::string sex;         // "" (not given), female, male, other, unknown
};

struct PatientFieldProblem {
    std::string field;  // "id", "name", "birth_date", "sex"
    std::string message;
};

// Every problem, one per field at most, in field order. `existing_ids` refuses a duplicate id.
std::vector<PatientFieldProblem> check_patient(const PatientInput& in, const Date& today,
                                               const std::vector<std::string>& existing_ids = {});
// The patient as the assessment format holds it (call only when check_patient found nothing).
Patient to_patient(const PatientInput& in);

}  // namespace myo::gui
