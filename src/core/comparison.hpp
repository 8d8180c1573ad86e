#pragma once
// Change between visits (clinical.md 9): every measure at baseline, previous and latest visit,
// the change (absolute and %), its direction in words and whether it is clinically important
// by the thresholds of forms/rules.json ("change"). Used alike by the GUI's Progress view,
// `myoscreen-cli compare`, the progress report PDF and the CSV export.

#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo {

inline constexpr const char* kComparisonFormat = "myoscreen.comparison";

enum class Direction { Better, Worse, Unchanged, NotMeasured };
const char* direction_id(Direction d);  // "better", "worse", "unchanged", "not measured"

struct Change {
    std::optional<double> absolute;  // later - earlier
    std::optional<double> percent;   // of the earlier value; null when that is 0 or missing
    Direction direction = Direction::NotMeasured;
    bool important = false;
};

struct MeasureRow {
    std::string id;       // "nrs_now", "ppt.trapezius_l", "psfs:walking 1 km"
    std::string measure;  // the measure's id in rules.json ("ppt", "psfs", ...)
    std::string label;
    std::string unit;
    bool higher_is_better = false;
    std::vector<std::optional<double>> values;  // one per visit, chronological
    std::optional<double> baseline;
    std::optional<double> previous;
    std::optional<double> latest;
    Change from_baseline;
    Change from_previous;
    std::string threshold;  // in words, empty when no threshold is claimed
    std::string source;
};

struct VisitRef {
    std::size_t index = 0;
    std::string date;
    std::string kind;
};

// NotCompared: painful at the one of baseline and latest that has a pain map, while the other
// visit's pain map was not recorded (rules 2026.2): neither "new" nor "resolved" can be said.
enum class AreaStatus { New, Resolved, Unchanged, NotCompared };

const char* area_status_id(AreaStatus s);  // "new", "resolved", "unchanged", "not compared"

struct AreaChange {
    std::string id;  // wpi.* item
    std::string label;
    AreaStatus status = AreaStatus::Unchanged;
};

struct Comparison {
    Patient patient;
    std::vector<VisitRef> visits;
    VisitRef baseline;
    bool baseline_marked = false;  // the clinician chose it (else the first visit)
    VisitRef previous;             // the visit before the latest
    VisitRef latest;
    std::vector<Evaluation> evaluations;  // one per visit
    std::vector<MeasureRow> rows;         // only measures recorded at some visit
    std::vector<std::string> charts;      // row ids drawn as lines across all visits
    std::vector<AreaChange> areas;        // painful at baseline or latest
    bool baseline_pain_map = true;        // a wpi.* item was recorded at the baseline
    bool latest_pain_map = true;          // ... and at the latest visit

    const MeasureRow* row(const std::string& id) const;
};

// `visits` in chronological order, at least two; `baseline` defaults to the first.
// Throws std::invalid_argument when there are fewer than two visits or the baseline is out of
// range.
Comparison compare_visits(const Definitions& defs, const std::vector<Assessment>& visits,
                          std::optional<std::size_t> baseline = std::nullopt);

// Every measure at every visit, for the CSV export: works from one visit on (the baseline,
// previous and latest are then that visit).
Comparison measures_over_time(const Definitions& defs, const std::vector<Assessment>& visits);

// The change in one measure, by the measure's thresholds (exposed for the boundary tests).
Change measure_change(const ChangeMeasure& m, std::optional<double> earlier,
                      std::optional<double> later);

Json comparison_to_json(const Comparison& c);
std::string comparison_to_text(const Comparison& c);
// Every measure at every visit: one row per visit, one column per measure (RFC 4180).
std::string comparison_to_csv(const Comparison& c);

}  // namespace myo
