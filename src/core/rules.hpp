#pragma once
// forms/rules.json and forms/tests.json as loaded: every clinical threshold, red flag,
// work-up rule, note and piece of advice, each with its source. No clinical number lives
// in C++; the evaluation only follows these.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/condition.hpp"
#include "core/form.hpp"

namespace myo {

// Highest first: a lower value is more urgent.
enum class Urgency { Emergency = 0, Urgent = 1, Soon = 2, Routine = 3 };
enum class Priority { Recommended = 0, Consider = 1 };

const char* urgency_id(Urgency u);
std::optional<Urgency> parse_urgency(const std::string& id);
const char* priority_id(Priority p);
std::optional<Priority> parse_priority(const std::string& id);

struct UrgencyLevel {
    Urgency level = Urgency::Routine;
    std::string label;
    std::string meaning;
};

struct TestDef {
    std::string id;
    std::string name;
    bool red_flag_only = false;  // the guardrail: never from a work-up rule
};

struct TestCatalogue {
    std::string version;
    std::string red_flag_only_source;
    std::vector<TestDef> tests;
    const TestDef* find(const std::string& id) const;
};

struct UrgencyOption {
    ConditionPtr when;  // null: the default
    Urgency level = Urgency::Routine;
};

struct ActionText {
    ConditionPtr when;
    std::string text;
};

struct FlagTest {
    std::string test;
    Priority priority = Priority::Recommended;
    ConditionPtr when;
};

struct FlagReferral {
    std::string to;
    ConditionPtr when;
};

struct RedFlagRule {
    std::string id;
    std::string label;
    std::string rule;  // the trigger in words
    ConditionPtr trigger;
    std::vector<UrgencyOption> urgency;
    std::vector<ActionText> action;
    std::vector<FlagTest> tests;
    std::vector<FlagReferral> referrals;
    std::string source;
};

struct WorkupRule {
    std::string id;
    std::string label;
    std::string rule;
    ConditionPtr when;
    std::vector<std::string> tests;
    Priority priority = Priority::Recommended;
    std::string source;
};

struct NoteRule {
    std::string id;
    ConditionPtr when;
    bool suppress_tests = false;
    std::string text;
    std::string source;
};

struct AdviceRule {
    std::string id;
    ConditionPtr when;
    std::string title;
    std::string gist;  // clinician-facing
    std::string text;  // patient-facing, plain language
    std::vector<std::string> points;
    std::string source;
};

struct PatternCriterion {
    std::string id;
    std::string label;
    ConditionPtr when;
    std::vector<std::string> null_if_absent;  // expanded item ids: all absent -> null
};

struct DurationCategory {
    std::string id;
    std::optional<double> below_weeks;  // null: the last, open-ended category
    std::string label;
};

struct Threshold {
    int wpi_min = 0;
    std::optional<int> wpi_max;
    int sss_min = 0;
};

struct Region {
    std::string id;
    std::string label;
    std::vector<std::string> areas;
};

struct Acr2016Params {
    std::string name;
    std::string source;
    std::vector<std::string> wpi_items;
    std::vector<std::string> sss_graded;   // 0..3 each
    std::vector<std::string> sss_present;  // yes = 1
    std::vector<Region> regions;
    std::vector<std::string> not_counted_for_regions;
    int generalized_min_regions = 0;
    std::vector<Threshold> thresholds;
    double min_duration_weeks = 0;
};

struct Acr1990Params {
    std::string name;
    std::string source;
    std::vector<std::string> tender_points;
    int positive_grade = 0;
    int min_tender_points = 0;
    double min_duration_weeks = 0;
    std::vector<std::string> left, right, above_waist, below_waist, axial;
};

struct PatternParams {
    std::string label;
    std::string statement;
    std::string source;
    std::vector<PatternCriterion> criteria;
};

// A measure compared between visits (clinical.md 9). `value` is a numeric item id, an item
// wildcard ("ppt.*": one row per item), a score of the evaluation (tender_count, wpi, sss, fs),
// psfs_average, or "psfs.*" (one row per activity, matched by its text across visits).
struct ChangeMeasure {
    std::string id;
    std::string label;
    std::string value;
    std::string unit;
    bool higher_is_better = false;
    std::optional<double> important_points;   // |change| at least this
    std::optional<double> important_percent;  // |change| at least this % of the reference value
    bool require_both = false;                // points AND percent (else either)
    std::string source;
};

struct ChangeRules {
    std::vector<ChangeMeasure> measures;
    std::vector<std::string> charts;  // measure ids drawn as lines across all visits
    const ChangeMeasure* measure(const std::string& id) const;
};

struct RuleSet {
    std::string version;
    std::vector<UrgencyLevel> urgency_levels;
    std::vector<DurationCategory> duration_categories;
    double weight_loss_max_interval_months = 0;
    int weight_loss_decimals = 1;
    std::string weight_loss_source;
    Acr2016Params acr2016;
    Acr1990Params acr1990;
    PatternParams pattern;
    std::vector<RedFlagRule> red_flags;
    std::vector<WorkupRule> workup;
    std::vector<NoteRule> notes;
    std::vector<AdviceRule> advice;
    ChangeRules change;

    const RedFlagRule* flag(const std::string& id) const;
    const WorkupRule* workup_rule(const std::string& id) const;
    const AdviceRule* advice_rule(const std::string& id) const;
    const UrgencyLevel* level(Urgency u) const;
};

TestCatalogue load_tests(const Json& doc, std::vector<Problem>& problems);
// Checks every condition against the form and every test id against the catalogue.
RuleSet load_rules(const Json& doc, const FormDef& form, const TestCatalogue& tests,
                   std::vector<Problem>& problems);

}  // namespace myo
