#include "gui/model/patient_input.hpp"
#include "gui/model/text_util.hpp"

#include <algorithm>

#include "core/text_input.hpp"

namespace myo::gui {

std::vector<PatientFieldProblem> check_patient(const PatientInput& in, const Date& today,
                                               const std::vector<std::string>& existing_ids) {
    std::vector<PatientFieldProblem> out;
    std::string id = normalize_text(trim(in.id));
    if (id.empty()) {
        out.push_back({"id", "Enter the patient's id (as in your records)."});
    } else if (auto problem = typed_text_problem("The id", id, TextKind::kId)) {
        out.push_back({"id", *problem});
    } else if (std::find(existing_ids.begin(), existing_ids.end(), id) != existing_ids.end()) {
        out.push_back({"id", "A patient with this id already exists."});
    }
    if (trim(in.name).empty()) {
        out.push_back({"name", "Enter the patient's name."});
    } else if (auto problem = typed_text_problem("The name", trim(in.name), TextKind::kName)) {
        out.push_back({"name", *problem});
    }
    auto birth = parse_iso_date(trim(in.birth_date));
    if (auto why = why_no_such_day(trim(in.birth_date)); !birth && why) {
        out.push_back(
            {"birth_date", "The date " + trim(in.birth_date) + " does not exist: " + *why + "."});
    } else if (!birth) {
        out.push_back({"birth_date", "Enter the date of birth as YYYY-MM-DD, e.g. 1968-04-02."});
    } else if (*birth > today) {
        out.push_back({"birth_date", "The date of birth is in the future."});
    } else if (whole_years(*birth, today) > 130) {
        out.push_back({"birth_date", "The patient would be older than 130 years."});
    }
    static const char* sexes[] = {"", "female", "male", "other", "unknown"};
    if (std::find(std::begin(sexes), std::end(sexes), in.sex) == std::end(sexes)) {
        out.push_back({"sex", "Choose female, male, other or unknown."});
    }
    return out;
}

std::vector<PatientFieldProblem> check_settings(const std::string& clinic_name,
                                                const std::string& clinic_address,
                                                const std::string& clinician_name) {
    std::vector<PatientFieldProblem> out;
    if (auto p = typed_text_problem("The clinic name", clinic_name, TextKind::kName)) {
        out.push_back({"clinic_name", *p});
    }
    if (auto p = typed_text_problem("The clinic address", clinic_address, TextKind::kAddress)) {
        out.push_back({"clinic_address", *p});
    }
    if (auto p = typed_text_problem("The clinician name", clinician_name, TextKind::kName)) {
        out.push_back({"clinician_name", *p});
    }
    return out;
}

std::vector<PatientFieldProblem> check_sign_in(const std::string& clinician_name,
                                               const std::string& clinic_name) {
    std::vector<PatientFieldProblem> out;
    if (trim(clinician_name).empty()) {
        out.push_back({"clinician_name",
                       "Enter your name as it should appear on letters and in the history of "
                       "changes, or choose Later."});
    }
    for (auto& p : check_settings(clinic_name, "", clinician_name)) {
        if (out.empty() || p.field != "clinician_name") {
            out.push_back(std::move(p));
        }
    }
    return out;
}

Patient to_patient(const PatientInput& in) {
    Patient p;
    p.id = normalize_text(trim(in.id));
    p.name = normalize_text(trim(in.name));
    p.birth_date = trim(in.birth_date);
    if (!in.sex.empty()) {
        p.sex = in.sex;
    }
    return p;
}

}  // namespace myo::gui
