#include "gui/model/progress_model.hpp"

#include <stdexcept>
#include <utility>

#include "core/dates.hpp"
#include "core/json_util.hpp"

namespace myo::gui {

namespace {

std::string number(const std::optional<double>& v) {
    return v ? format_number(*v) : std::string("not measured");
}

std::string signed_number(double v) {
    return (v > 0 ? "+" : "") + format_number(v);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), so
// visits three months apart sit three times as far apart as visits one month apart.
long days_from_civil(const Date& d) {
    int y = d.year - (d.month <= 2 ? 1 : 0);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// The chart groups: series whose ids share the part before the first '_' ("nrs_now",
// "nrs_worst") are one family on one scale.
std::string family(const std::string& id) {
    auto cut = id.find('_');
    return cut == std::string::npos ? id : id.substr(0, cut);
}

}  // namespace

std::string verdict_text(const Change& change) {
    std::string s = direction_id(change.direction);
    if (change.important) {
        s += ", clinically important";
    }
    return s;
}

std::string change_value_text(const Change& change) {
    return change.absolute ? signed_number(*change.absolute) : std::string();
}

std::string change_percent_text(const Change& change) {
    return change.percent ? signed_number(*change.percent) + " %" : std::string();
}

ProgressModel::ProgressModel(const Definitions& defs, std::vector<ProgressVisit> visits,
                             std::optional<std::int64_t> marked_visit)
    : visits_(std::move(visits)) {
    if (!available(visits_.size())) {
        throw std::invalid_argument("a comparison needs two or more final visits");
    }
    std::vector<std::int64_t> ids;
    std::vector<Assessment> docs;
    for (const auto& v : visits_) {
        ids.push_back(v.visit);
        docs.push_back(v.document);
    }
    BaselineChoice choice = choose_baseline(ids, marked_visit);
    if (choice.problem == BaselineProblem::NotAFinalVisit) {
        note_ =
            "The visit marked as baseline is no longer a final visit; the first visit is used "
            "until another is marked.";
        choice.index.reset();
    } else if (choice.problem == BaselineProblem::IsLatest) {
        note_ =
            "The visit marked as baseline is the latest visit, so there is nothing after it "
            "to compare; the first visit is used until another is marked.";
        choice.index.reset();
    }
    comparison_ = compare_visits(defs, docs, choice.index);
}

std::vector<std::size_t> ProgressModel::baseline_candidates() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i + 1 < visits_.size(); ++i) {
        out.push_back(i);
    }
    return out;
}

std::string ProgressModel::visit_label(std::size_t index) const {
    const VisitRef& v = comparison_.visits.at(index);
    std::string kind = v.kind == "follow_up" ? "follow-up" : v.kind.empty() ? "visit" : v.kind;
    return v.date + " (" + kind + ")";
}

std::string ProgressModel::heading() const {
    const Comparison& c = comparison_;
    return "Baseline " + c.baseline.date +
           (c.baseline_marked ? " (marked by the clinician)" : " (first visit)") + ", previous " +
           c.previous.date + ", latest " + c.latest.date + "; " + std::to_string(c.visits.size()) +
           " final visits";
}

std::vector<ProgressRow> ProgressModel::rows() const {
    std::vector<ProgressRow> out;
    for (const auto& r : comparison_.rows) {
        ProgressRow row;
        row.id = r.id;
        row.label = r.label;
        row.unit = r.unit;
        row.baseline = number(r.baseline);
        row.previous = number(r.previous);
        row.latest = number(r.latest);
        row.change_baseline = change_value_text(r.from_baseline);
        row.percent_baseline = change_percent_text(r.from_baseline);
        row.verdict_baseline = verdict_text(r.from_baseline);
        row.important_baseline = r.from_baseline.important;
        row.change_previous = change_value_text(r.from_previous);
        row.percent_previous = change_percent_text(r.from_previous);
        row.verdict_previous = verdict_text(r.from_previous);
        row.important_previous = r.from_previous.important;
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<ChartGroup> ProgressModel::charts() const {
    std::vector<ChartGroup> out;
    std::vector<std::string> families;
    for (const auto& id : comparison_.charts) {
        const MeasureRow* r = comparison_.row(id);
        if (!r) {
            continue;
        }
        std::string fam = family(id);
        std::size_t g = 0;
        while (g < families.size() && families[g] != fam) {
            ++g;
        }
        if (g == families.size()) {
            families.push_back(fam);
            out.push_back(ChartGroup{r->label, r->unit, {}});
        }
        out[g].series.push_back(ChartSeries{r->id, r->label, r->values});
    }
    // A chart of several series is named by the family ("NRS"); one series by its label.
    for (std::size_t g = 0; g < out.size(); ++g) {
        if (out[g].series.size() > 1) {
            std::string upper;
            for (char ch : families[g]) {
                upper += static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
            }
            out[g].title = upper;
        }
    }
    return out;
}

std::vector<AreaLine> ProgressModel::areas() const {
    std::vector<AreaLine> out;
    for (const auto& a : comparison_.areas) {
        out.push_back(AreaLine{a.label, area_status_id(a.status)});
    }
    return out;
}

std::vector<double> ProgressModel::date_positions() const {
    std::vector<long> days;
    for (const auto& v : comparison_.visits) {
        auto d = parse_iso_date(v.date);
        days.push_back(d ? days_from_civil(*d) : (days.empty() ? 0 : days.back()));
    }
    std::vector<double> out;
    long first = days.front();
    long span = days.back() - first;
    for (std::size_t i = 0; i < days.size(); ++i) {
        // Visits on one day (or undated) are spread evenly rather than drawn on top of each other.
        out.push_back(span > 0 ? static_cast<double>(days[i] - first) / static_cast<double>(span)
                               : static_cast<double>(i) / static_cast<double>(days.size() - 1));
    }
    return out;
}

}  // namespace myo::gui
