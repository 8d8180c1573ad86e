#include "store/assessment_figures.hpp"

#include "core/evaluation.hpp"
#include "core/rules.hpp"

namespace myo::store {

namespace {

std::optional<int> int_answer(const Json& answers, const char* id) {
    auto it = answers.find(id);
    if (it == answers.end() || !it->is_number_integer()) {
        return std::nullopt;
    }
    return it->get<int>();
}

}  // namespace

AssessmentFigures figures_of(const Definitions& defs, const Assessment& a) {
    Evaluation e = evaluate(defs, a);
    AssessmentFigures f;
    f.document = write_assessment(a);
    f.date = a.date;
    f.kind = a.kind;
    f.nrs_now = int_answer(a.answers, "nrs_now");
    f.nrs_average = int_answer(a.answers, "nrs_average");
    f.wpi = e.acr2016.wpi;
    f.sss = e.acr2016.sss;
    f.fs = e.acr2016.fs;
    f.tender_count = e.acr1990.tender_count;
    f.urgency = urgency_id(e.urgency);
    f.rules_version = e.rules_version;
    return f;
}

Urgency urgency_from(const std::string& id) {
    return parse_urgency(id).value_or(Urgency::Routine);
}

}  // namespace myo::store
