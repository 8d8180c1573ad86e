#pragma once
// Findings and reasons in words, for every consumer that shows them to a person (terminal
// text, the GUI's live panel and summary, the PDF reports), so the wording is the same.

#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo {

// An answer in words: "yes", "Deep, aching", "6/10", "30 weeks", "2 - painful".
std::string describe_answer(const ItemDef& item, const Json& value);

// A `because` entry as a finding: "Dark (tea or cola coloured) urine ...: yes",
// "Weight loss: 7.6 % (84 kg now, 91 kg 6 months ago)". Rule ids give the rule's label.
std::string describe_finding(const Definitions& defs, const Assessment& a, const Evaluation& e,
                             const std::string& id);

// A rule id (red flag or work-up rule) as "label (source)".
std::string describe_reason(const Definitions& defs, const std::string& rule_id);

// The red-flag questions not screened (absent or "unknown"), by their question text, in form
// order: what the summary, the PDF and the Finalize confirmation list, worded the same.
std::vector<std::string> unscreened_questions(const Definitions& defs, const Evaluation& e);

// Rules 2026.2: what every consumer prints instead of a WPI (or FS, regions, widespread pain)
// when no pain-map area was recorded; never "WPI 0".
inline constexpr const char* kPainMapNotRecorded = "pain map not recorded";

// The WPI as "9/19" (suffix "/19") or "pain map not recorded".
std::string describe_wpi(const Acr2016Result& acr, const std::string& suffix);

// The FS as "16/31", "not known" (an SSS item missing) or "pain map not recorded".
std::string describe_fs(const Acr2016Result& acr, const std::string& suffix);

// "yes" / "no", or "pain map not recorded" when the map was not recorded (generalized or
// widespread pain).
std::string describe_map_bool(const std::optional<bool>& value);

// "yes" / "no" / "not known" for tri-state results.
std::string yes_no_unknown(const std::optional<bool>& value);

// The urgency's label from rules.json ("Emergency", ...).
std::string urgency_label(const Definitions& defs, Urgency u);

}  // namespace myo
