#pragma once
// The evaluation of one assessment (assessment-format.md section 3, clinical.md). One function
// serves every consumer: the CLI, the GUI's live panel and summary, the PDF reports and the
// store's key figures, so they can never disagree.

#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

namespace myo {

inline constexpr const char* kEvaluationFormat = "myoscreen.evaluation";
inline constexpr int kEvaluationVersion = 1;

// Rules 2026.2: when no wpi.* item is present the pain map was not recorded, so wpi, fs,
// regions and generalized are null (never "WPI 0"); met then holds only what is true whatever
// the map would have shown (clinical.md 2).
struct Acr2016Result {
    std::optional<int> wpi;                           // null when the pain map was not recorded
    std::optional<int> sss;                           // null when any SSS item is absent
    std::optional<int> fs;                            // null when wpi or sss is null
    std::optional<std::vector<std::string>> regions;  // region ids that count, in rules order
    std::optional<bool> generalized;
    std::optional<bool> met;  // null when the answer depends on missing answers

    bool pain_map_recorded() const { return wpi.has_value(); }
};

struct Acr1990Result {
    std::optional<int> tender_count;  // null when no tender point was examined
    std::optional<bool> widespread;   // null when the pain map was not recorded
    std::optional<bool> met;
};

struct CriterionResult {
    std::string id;
    std::optional<bool> value;
};

struct PatternResult {
    std::optional<bool> functional_muscle_pain;
    std::vector<CriterionResult> criteria;
};

struct FlagResult {
    std::string id;
    Urgency urgency = Urgency::Routine;
    std::vector<std::string> because;  // item ids (and weight_loss_percent)
    std::string label;
    std::string rule;
    std::string action;
    std::string source;
};

struct TestSuggestion {
    std::string id;
    std::string name;
    Priority priority = Priority::Consider;
    std::vector<std::string> because;  // red-flag and work-up rule ids, sorted
};

struct ReferralResult {
    std::string to;
    Urgency urgency = Urgency::Routine;
    std::vector<std::string> because;  // red-flag ids
};

struct AdviceResult {
    std::string id;
    std::vector<std::string> because;  // item ids
};

struct NoteResult {
    std::string id;
    std::string text;
    std::vector<std::string> because;
};

struct Evaluation {
    std::string rules_version;
    std::optional<int> age;
    std::optional<double> duration_weeks;
    std::optional<std::string> duration_category;
    std::optional<double> weight_loss_percent;
    Acr2016Result acr2016;
    Acr1990Result acr1990;
    PatternResult pattern;
    Urgency urgency = Urgency::Routine;
    std::vector<FlagResult> red_flags;    // positive flags only, in rules order
    std::vector<std::string> unscreened;  // rf.* items absent or "unknown", in form order
    std::vector<TestSuggestion> tests;    // sorted by id
    std::vector<ReferralResult> referrals;
    std::vector<AdviceResult> advice;  // in rules order
    std::vector<NoteResult> notes;     // prompts and remarks for the clinician

    const FlagResult* flag(const std::string& id) const;
};

// True when at least one wpi.* item is present (true or false): the pain map was recorded and
// an absent area counts as not painful (rules 2026.2, clinical.md 2).
bool pain_map_recorded(const Definitions& defs, const Json& answers);

// The assessment must have passed validation (read_assessment_file / validate_assessment).
Evaluation evaluate(const Definitions& defs, const Assessment& assessment);

// The evaluation output of assessment-format.md section 3 (plus "notes").
Json evaluation_to_json(const Evaluation& e, const Definitions& defs);

}  // namespace myo
