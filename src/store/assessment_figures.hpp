#pragma once
// The key figures the store keeps beside each assessment document (the list, the history and
// the comparison read them without parsing the document), computed once for every backend from
// core's evaluate(), so the list, the history, the screen and the PDF agree.

#include <optional>
#include <string>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/rules.hpp"

namespace myo::store {

struct AssessmentFigures {
    std::string document;
    std::string date;
    std::optional<std::string> kind;
    std::optional<int> nrs_now;
    std::optional<int> nrs_average;
    std::optional<int> wpi;  // null when the pain map was not recorded (rules 2026.2)
    std::optional<int> sss;
    std::optional<int> fs;
    std::optional<int> tender_count;
    std::string urgency;
    std::string rules_version;
};

// The document as write_assessment() writes it and its figures under `defs`.
AssessmentFigures figures_of(const Definitions& defs, const Assessment& a);

// The urgency a stored id names (AssessmentFigures::urgency); Routine for an unknown one.
Urgency urgency_from(const std::string& id);

}  // namespace myo::store
