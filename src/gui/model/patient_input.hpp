#pragma once
// The "new patient" form without windows: what a clinician types is checked here so the
// dialog and its tests agree on every message. (Searching patients is the store's job.)

#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/dates.hpp"
#include "core/text_input.hpp"

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
// The id and name follow the one input policy (core/text_input.hpp): "The name contains
// U+0915 (Devanagari), which the reports cannot print."
std::vector<PatientFieldProblem> check_patient(const PatientInput& in, const Date& today,
                                               const std::vector<std::string>& existing_ids = {});
// The patient as the assessment format holds it (call only when check_patient found nothing):
// trimmed and normalised (NFC, no invisible format characters), as the store keeps it.
Patient to_patient(const PatientInput& in);

// The letterhead fields of the preferences; field is "clinic_name", "clinic_address" or
// "clinician_name". Empty fields are allowed (the letterhead then leaves them out).
std::vector<PatientFieldProblem> check_settings(const std::string& clinic_name,
                                                const std::string& clinic_address,
                                                const std::string& clinician_name);

// The "who is using MyoScreen" form of the first start (issue 11): the clinician's name is
// needed, since the emergency acknowledgements, the finalized assessments and the history of
// changes name the person; the clinic may stay empty. Fields "clinician_name", "clinic_name";
// the same text policy as the preferences.
std::vector<PatientFieldProblem> check_sign_in(const std::string& clinician_name,
                                               const std::string& clinic_name);

}  // namespace myo::gui
