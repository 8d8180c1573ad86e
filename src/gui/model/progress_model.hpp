#pragma once
// The Progress view without windows (issue 6): core's Comparison of a patient's final visits
// against the baseline, put into the words and rows the view shows. Every value, change,
// direction and "clinically important" comes from core's compare_visits; this class only
// chooses the baseline (core/baseline_choice.hpp, as the CLI does) and formats text.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/baseline_choice.hpp"
#include "core/comparison.hpp"
#include "core/definitions.hpp"

namespace myo::gui {

// One final visit as the store lists it.
struct ProgressVisit {
    std::int64_t assessment = 0;  // the newest final version's id
    std::int64_t visit = 0;       // the visit's id (first version): what a baseline mark stores
    Assessment document;
};

// One line of the table, as text. Changes read "+2 (+40 %)" and "better, clinically
// important": words, never colour alone.
struct ProgressRow {
    std::string id;
    std::string label;
    std::string unit;
    std::string baseline, previous, latest;
    std::string change_baseline, percent_baseline, verdict_baseline;
    std::string change_previous, percent_previous, verdict_previous;
    bool important_baseline = false;
    bool important_previous = false;
};

struct ChartSeries {
    std::string id;
    std::string label;
    std::vector<std::optional<double>> values;  // one per visit; nullopt draws a gap
};

// Series that share a scale are drawn in one chart (NRS now, average and worst).
struct ChartGroup {
    std::string title;
    std::string unit;
    std::vector<ChartSeries> series;
};

struct AreaLine {
    std::string label;
    std::string status;  // "new", "resolved", "unchanged"
};

class ProgressModel {
  public:
    // `visits` oldest first, two or more (std::invalid_argument otherwise). `marked_visit` is
    // the store's baseline_visit; a mark that cannot be used falls back to the first visit and
    // note() says why.
    ProgressModel(const Definitions& defs, std::vector<ProgressVisit> visits,
                  std::optional<std::int64_t> marked_visit);

    static bool available(std::size_t final_visits) { return final_visits >= 2; }

    const Comparison& comparison() const { return comparison_; }
    const std::vector<ProgressVisit>& visits() const { return visits_; }
    std::size_t baseline_index() const { return comparison_.baseline.index; }
    bool baseline_marked() const { return comparison_.baseline_marked; }
    // Visits that can be marked as the baseline: every one before the latest.
    std::vector<std::size_t> baseline_candidates() const;
    // "2026-01-05 (initial)": how a visit is named in the choice and the headings.
    std::string visit_label(std::size_t index) const;

    // "Baseline 2026-01-05 (first visit), previous ..., latest ..."
    std::string heading() const;
    // Why a stored mark was not used ("" when it was, or there is none).
    const std::string& note() const { return note_; }

    std::vector<ProgressRow> rows() const;
    std::vector<ChartGroup> charts() const;
    std::vector<AreaLine> areas() const;
    // Where each visit sits on a dated axis, 0 (first) to 1 (latest), by calendar days.
    std::vector<double> date_positions() const;

  private:
    std::vector<ProgressVisit> visits_;
    Comparison comparison_;
    std::string note_;
};

// Core's change in words: "better, clinically important", "worse", "unchanged", "not measured".
std::string verdict_text(const Change& change);
// "+2", "-0.5", "" when not measured; "+40 %", "" when there is no percent.
std::string change_value_text(const Change& change);
std::string change_percent_text(const Change& change);

}  // namespace myo::gui
