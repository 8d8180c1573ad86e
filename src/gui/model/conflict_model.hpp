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

// The window's words for a save that met a newer draft (not the CLI's "reload to see the other
// change, then save again": the conflict view itself offers the choice). `what_happened` is
// store::what_happened's account. The view's first paragraph: "Assessment draft 12 was changed
// by m.silva at 10:42 on another workstation (ROOM-2) since this window read it. Nothing was
// saved: your answers are still here. Keep yours (saved as the new version) or take the saved
// one."
std::string conflict_intro(const std::string& what_happened);
// The status line meanwhile: "Not saved: assessment draft 12 was changed by ... since this
// window read it. Your answers are kept; the next save asks which version to keep."
std::string conflict_status(const std::string& what_happened);

// An answer in words: a choice's label, yes/no, "(empty)" for none, lists joined by "; ".
std::string answer_text(const ItemDef* item, const Json* value);

}  // namespace myo::gui
