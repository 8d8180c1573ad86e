#include "gui/model/patient_input.hpp"
#include "gui/model/text_util.hpp"

#include <algorithm>

namespace myo::gui {

std::vector<PatientFieldProblem> check_patient(const PatientInput& in, const Date& today,
                                               const std::vector<std::string>& existing_ids) {
    std::vector<PatientFieldProblem> out;
    std::string id = trim(in.id);
    if (id.empty()) {
        out.push_back({"id", "Enter the patient's id (as in your records)."});
    } else if (id.size() > 64) {
        out.push_back({"id", "The id is too long: at most 64 characters."});
    } else if (std::find(existing_ids.begin(), existing_ids.end(), id) != existing_ids.end()) {
        out.push_back({"id", "A patient with this id already exists."});
    }
    if (trim(in.name).empty()) {
        out.push_back({"name", "Enter the patient's name."});
    }
    auto birth = parse_iso_date(trim(in.birth_date));
    if (!birth) {
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

Patient to_patient(const PatientInput& in) {
    Patient p;
    p.id = trim(in.id);
    p.name = trim(in.name);
    p.birth_date = trim(in.birth_date);
    if (!in.sex.empty()) {
        p.sex = in.sex;
    }
    return p;
}

}  // namespace myo::gui
