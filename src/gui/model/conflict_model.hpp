#pragma once
// A save that met a newer version (issue 14, "it changed under you"): what differs between the
// editor's copy and the stored one, field by field, in the form's words, so the person can
// keep theirs (saved as the new version) or take the other. No wx: tested without a display.

#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

namespace myo::gui {

struct FieldDifference {
    std::string field;  // the item id, or "visit.date", "notes", "clinician"
    std::string label;  // the form's label ("Pain now (0-10)"), or "Visit date" ...
    std::string mine;   // as shown to a person: "5", "yes", "(empty)"
    std::string theirs;
};

// In form order: the visit's own fields first, then every item whose answer differs.
std::vector<FieldDifference> differences(const Definitions& defs, const Assessment& mine,
                                         const Assessment& theirs);

// An answer in words: a choice's label, yes/no, "(empty)" for none, lists joined by "; ".
std::string answer_text(const ItemDef* item, const Json* value);

}  // namespace myo::gui
