#pragma once
// Findings and reasons in words, for every consumer that shows them to a person (terminal
// text, the GUI's live panel and summary, the PDF reports), so the wording is the same.

#include <string>

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

// "yes" / "no" / "not known" for tri-state results.
std::string yes_no_unknown(const std::optional<bool>& value);

// The urgency's label from rules.json ("Emergency", ...).
std::string urgency_label(const Definitions& defs, Urgency u);

}  // namespace myo
