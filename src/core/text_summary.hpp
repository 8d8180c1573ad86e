#pragma once
// The evaluation for a person: as plain text for a terminal (`myoscreen-cli evaluate --format
// text`) and as the lines the GUI's summary page lays out with headings and colours. Both come
// from evaluation_lines, so the page and the terminal say exactly the same words.

#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo {

// One line of the evaluation. Its text form is `indent` spaces, `lead`, `text`.
struct SummaryLine {
    enum class Role {
        kTitle,       // "MyoScreen evaluation (rules 2026.2)"
        kField,       // lead "Patient:  ", text the value
        kUrgency,     // lead "Urgency:  ", text "EMERGENCY (now: ...)"; `urgency` set
        kHeading,     // a section: "Red flags: 1 positive", "Suggested tests: 6", "Notes:"
        kSubheading,  // inside a section: "Recommended:"
        kFlag,        // lead "[EMERGENCY] ", text the flag or referral; `urgency` set
        kDetail,      // lead "finding: ", "rule:    ", "because: "; text the value
        kItem,        // lead "- " (a list entry) or "" (a test: "CK - Creatine kinase")
        kCheck,       // lead "[x] ", "[ ] ", "[?] ": a criterion met, not met, not known
        kText,        // a sentence or a line of scores
        kBlank,       // an empty line between sections
        kFooter,      // the closing disclaimer
    };
    Role role = Role::kText;
    int indent = 0;
    std::string lead;
    std::string text;
    std::optional<Urgency> urgency;
};

std::vector<SummaryLine> evaluation_lines(const Definitions& defs, const Assessment& a,
                                          const Evaluation& e);
// The lines as text, one a line.
std::string evaluation_to_text(const Definitions& defs, const Assessment& a, const Evaluation& e);

}  // namespace myo
