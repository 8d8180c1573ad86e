#include "core/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/describe.hpp"

namespace myo {

const char* direction_id(Direction d) {
    switch (d) {
        case Direction::Better:
            return "better";
        case Direction::Worse:
            return "worse";
        case Direction::Unchanged:
            return "unchanged";
        case Direction::NotMeasured:
            return "not measured";
    }
    return "not measured";
}

const MeasureRow* Comparison::row(const std::string& id) const {
    for (const auto& r : rows) {
        if (r.id == id) {
            return &r;
        }
    }
    return nullptr;
}

namespace {

// Values typed by hand (2.1 -> 2.44) differ by 0.33999999999999986 in binary; compare with a
// tolerance far below any clinical resolution so a boundary value counts as reached.
constexpr double kTolerance = 1e-9;

std::optional<double> answer_number(const Assessment& a, const std::string& id) {
    auto it = a.answers.find(id);
    if (it == a.answers.end() || !it->is_number()) {
        return std::nullopt;
    }
    return it->get<double>();
}

std::string normalise_activity(const std::string& text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string threshold_text(const ChangeMeasure& m) {
    std::string points =
        m.important_points
            ? format_number(*m.important_points) +
                  (m.unit.empty() || m.unit.front() == '/' ? " points" : " " + m.unit)
            : "";
    std::string percent = m.important_percent ? format_number(*m.important_percent) + " %" : "";
    if (!points.empty() && !percent.empty()) {
        return points + (m.require_both ? " and " : " or ") + percent;
    }
    return points + percent;
}

double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}

}  // namespace

Change measure_change(const ChangeMeasure& m, std::optional<double> earlier,
                      std::optional<double> later) {
    Change c;
    if (!earlier || !later) {
        return c;
    }
    double delta = *later - *earlier;
    c.absolute = round2(delta);
    if (*earlier != 0) {
        c.percent = std::round(delta / std::fabs(*earlier) * 1000.0) / 10.0;
    }
    if (std::fabs(delta) < kTolerance) {
        c.direction = Direction::Unchanged;
        return c;
    }
    bool up = delta > 0;
    c.direction = up == m.higher_is_better ? Direction::Better : Direction::Worse;
    double size = std::fabs(delta);
    bool by_points = m.important_points && size >= *m.important_points - kTolerance;
    bool by_percent = m.important_percent && *earlier != 0 &&
                      size / std::fabs(*earlier) * 100.0 >= *m.important_percent - kTolerance;
    if (m.important_points && m.important_percent) {
        c.important = m.require_both ? by_points && by_percent : by_points || by_percent;
    } else {
        c.important = by_points || by_percent;
    }
    return c;
}

namespace {

Comparison build(const Definitions& defs, const std::vector<Assessment>& visits, std::size_t base,
                 bool marked) {
    Comparison c;
    c.patient = visits.back().patient;
    c.baseline_marked = marked;
    for (std::size_t i = 0; i < visits.size(); ++i) {
        c.visits.push_back({i, visits[i].date, visits[i].kind.value_or("")});
        c.evaluations.push_back(evaluate(defs, visits[i]));
    }
    c.baseline = c.visits[base];
    c.latest = c.visits.back();
    c.previous = c.visits[visits.size() >= 2 ? visits.size() - 2 : 0];

    auto add_row = [&](const ChangeMeasure& m, std::string id, std::string label,
                       std::vector<std::optional<double>> values) {
        if (std::none_of(values.begin(), values.end(),
                         [](const auto& v) { return v.has_value(); })) {
            return;  // never recorded: not a row
        }
        MeasureRow r;
        r.id = std::move(id);
        r.measure = m.id;
        r.label = std::move(label);
        r.unit = m.unit;
        r.higher_is_better = m.higher_is_better;
        r.values = std::move(values);
        r.baseline = r.values[c.baseline.index];
        r.previous = r.values[c.previous.index];
        r.latest = r.values[c.latest.index];
        r.from_baseline = measure_change(m, r.baseline, r.latest);
        r.from_previous = measure_change(m, r.previous, r.latest);
        r.threshold = threshold_text(m);
        r.source = m.source;
        c.rows.push_back(std::move(r));
    };

    for (const auto& m : defs.rules.change.measures) {
        std::vector<std::optional<double>> values(visits.size());
        if (m.value == "tender_count" || m.value == "wpi" || m.value == "sss" || m.value == "fs") {
            for (std::size_t i = 0; i < visits.size(); ++i) {
                const Evaluation& e = c.evaluations[i];
                // A visit without a pain map has no WPI or FS (null): "not measured", never 0.
                std::optional<int> v = m.value == "tender_count" ? e.acr1990.tender_count
                                       : m.value == "wpi"        ? e.acr2016.wpi
                                       : m.value == "sss"        ? e.acr2016.sss
                                                                 : e.acr2016.fs;
                if (v) {
                    values[i] = *v;
                }
            }
            add_row(m, m.id, m.label, values);
        } else if (m.value == "psfs_average" || m.value == "psfs.*") {
            // Activities are matched by their text, case and spacing aside, in order of first
            // mention.
            std::vector<std::string> order;
            std::map<std::string, std::string> first_text;
            std::vector<std::map<std::string, double>> scores(visits.size());
            for (std::size_t i = 0; i < visits.size(); ++i) {
                auto it = visits[i].answers.find("psfs");
                if (it == visits[i].answers.end() || !it->is_array() || it->empty()) {
                    continue;
                }
                double sum = 0;
                for (const auto& e : *it) {
                    std::string key = normalise_activity(e.value("activity", ""));
                    double score = e.value("score", 0.0);
                    if (!first_text.count(key)) {
                        first_text[key] = e.value("activity", "");
                        order.push_back(key);
                    }
                    scores[i][key] = score;
                    sum += score;
                }
                if (m.value == "psfs_average") {
                    values[i] = std::round(sum / static_cast<double>(it->size()) * 10.0) / 10.0;
                }
            }
            if (m.value == "psfs_average") {
                add_row(m, m.id, m.label, values);
            } else {
                for (const auto& key : order) {
                    std::vector<std::optional<double>> per(visits.size());
                    for (std::size_t i = 0; i < visits.size(); ++i) {
                        auto s = scores[i].find(key);
                        if (s != scores[i].end()) {
                            per[i] = s->second;
                        }
                    }
                    add_row(m, "psfs:" + key, m.label + ": " + first_text[key], per);
                }
            }
        } else {
            for (const auto& id : defs.form.expand(m.value)) {
                std::vector<std::optional<double>> per(visits.size());
                for (std::size_t i = 0; i < visits.size(); ++i) {
                    per[i] = answer_number(visits[i], id);
                }
                const ItemDef* item = defs.form.find(id);
                std::string label = item ? item->label : id;
                if (m.value.find('*') != std::string::npos && label.rfind(m.label, 0) != 0 &&
                    label.rfind("PPT", 0) != 0) {
                    label = m.label + ": " + label;
                }
                add_row(m, id, label, per);
            }
        }
    }
    for (const auto& id : defs.rules.change.charts) {
        if (c.row(id)) {
            c.charts.push_back(id);
        }
    }
    c.baseline_pain_map = c.evaluations[base].acr2016.pain_map_recorded();
    c.latest_pain_map = c.evaluations.back().acr2016.pain_map_recorded();
    const bool both_mapped = c.baseline_pain_map && c.latest_pain_map;
    for (const auto& item : defs.form.items) {
        if (item.group != "wpi") {
            continue;
        }
        auto painful = [&](const Assessment& a) {
            auto it = a.answers.find(item.id);
            return it != a.answers.end() && *it == true;
        };
        bool before = painful(visits[base]);
        bool now = painful(visits.back());
        if (before || now) {
            c.areas.push_back({item.id, item.label,
                               !both_mapped    ? AreaStatus::NotCompared
                               : before && now ? AreaStatus::Unchanged
                               : now           ? AreaStatus::New
                                               : AreaStatus::Resolved});
        }
    }
    return c;
}

}  // namespace

Comparison compare_visits(const Definitions& defs, const std::vector<Assessment>& visits,
                          std::optional<std::size_t> baseline) {
    if (visits.size() < 2) {
        throw std::invalid_argument("a comparison needs two or more assessments");
    }
    if (baseline && *baseline >= visits.size() - 1) {
        throw std::invalid_argument("the baseline must be an assessment before the latest one");
    }
    return build(defs, visits, baseline.value_or(0), baseline.has_value());
}

Comparison measures_over_time(const Definitions& defs, const std::vector<Assessment>& visits) {
    if (visits.empty()) {
        throw std::invalid_argument("no assessments");
    }
    return build(defs, visits, 0, false);
}

const char* area_status_id(AreaStatus s) {
    switch (s) {
        case AreaStatus::New:
            return "new";
        case AreaStatus::Resolved:
            return "resolved";
        case AreaStatus::Unchanged:
            return "unchanged";
        case AreaStatus::NotCompared:
            return "not compared";
    }
    return "not compared";
}

namespace {

Json opt(const std::optional<double>& v) {
    if (!v) {
        return nullptr;
    }
    if (*v == std::floor(*v) && std::fabs(*v) < 1e15) {
        return static_cast<long long>(*v);
    }
    return *v;
}

Json change_json(const Change& ch) {
    return Json{{"absolute", opt(ch.absolute)},
                {"percent", opt(ch.percent)},
                {"direction", direction_id(ch.direction)},
                {"important", ch.important}};
}

Json visit_json(const VisitRef& v) {
    return Json{{"index", v.index}, {"date", v.date}, {"kind", v.kind}};
}

std::string value_text(const std::optional<double>& v) {
    return v ? format_number(*v) : "not measured";
}

// Which of baseline and latest lacks a pain map, in words; empty when both have one.
std::string missing_map_text(const Comparison& c) {
    if (!c.baseline_pain_map && !c.latest_pain_map) {
        return "at the baseline and the latest visit";
    }
    if (!c.baseline_pain_map) {
        return "at the baseline";
    }
    return c.latest_pain_map ? "" : "at the latest visit";
}

std::string change_text(const Change& ch) {
    if (!ch.absolute) {
        return "not measured";
    }
    std::string s = (*ch.absolute > 0 ? "+" : "") + format_number(*ch.absolute);
    if (ch.percent) {
        s += " (" + std::string(*ch.percent > 0 ? "+" : "") + format_number(*ch.percent) + " %)";
    }
    s += ", " + std::string(direction_id(ch.direction));
    if (ch.important) {
        s += ", clinically important";
    }
    return s;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char ch : s) {
        out += ch;
        if (ch == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

}  // namespace

Json comparison_to_json(const Comparison& c) {
    Json out = Json::object();
    out["format"] = kComparisonFormat;
    out["version"] = 1;
    out["patient"] = Json{{"id", c.patient.id}, {"name", c.patient.name}};
    Json visits = Json::array();
    for (const auto& v : c.visits) {
        visits.push_back(visit_json(v));
    }
    out["visits"] = visits;
    out["baseline"] = visit_json(c.baseline);
    out["baseline"]["marked"] = c.baseline_marked;
    out["previous"] = visit_json(c.previous);
    out["latest"] = visit_json(c.latest);
    Json rows = Json::array();
    for (const auto& r : c.rows) {
        Json values = Json::array();
        for (const auto& v : r.values) {
            values.push_back(opt(v));
        }
        rows.push_back(Json{{"id", r.id},
                            {"measure", r.measure},
                            {"label", r.label},
                            {"unit", r.unit},
                            {"better", r.higher_is_better ? "higher" : "lower"},
                            {"baseline", opt(r.baseline)},
                            {"previous", opt(r.previous)},
                            {"latest", opt(r.latest)},
                            {"change_from_baseline", change_json(r.from_baseline)},
                            {"change_from_previous", change_json(r.from_previous)},
                            {"threshold", r.threshold.empty() ? Json(nullptr) : Json(r.threshold)},
                            {"source", r.source},
                            {"values", values}});
    }
    out["measures"] = rows;
    Json series = Json::object();
    for (const auto& id : c.charts) {
        const MeasureRow* r = c.row(id);
        Json points = Json::array();
        for (std::size_t i = 0; i < c.visits.size(); ++i) {
            points.push_back(Json{{"date", c.visits[i].date}, {"value", opt(r->values[i])}});
        }
        series[id] = points;
    }
    out["series"] = series;
    Json areas = Json::array();
    for (const auto& a : c.areas) {
        areas.push_back(
            Json{{"id", a.id}, {"label", a.label}, {"status", area_status_id(a.status)}});
    }
    out["areas"] = areas;
    out["pain_map"] = Json{{"baseline", c.baseline_pain_map}, {"latest", c.latest_pain_map}};
    return out;
}

std::string comparison_to_text(const Comparison& c) {
    std::ostringstream o;
    o << "Progress of " << c.patient.name << " (" << c.patient.id << "), " << c.visits.size()
      << " visits\n";
    o << "Baseline " << c.baseline.date << (c.baseline_marked ? " (marked)" : " (first visit)")
      << ", previous " << c.previous.date << ", latest " << c.latest.date << "\n\n";
    for (const auto& r : c.rows) {
        o << r.label << (r.unit.empty() ? "" : " [" + r.unit + "]") << "\n";
        o << "  baseline " << value_text(r.baseline) << ", previous " << value_text(r.previous)
          << ", latest " << value_text(r.latest) << "\n";
        o << "  since baseline: " << change_text(r.from_baseline) << "\n";
        o << "  since previous: " << change_text(r.from_previous) << "\n";
    }
    if (const std::string missing = missing_map_text(c); !missing.empty()) {
        o << "\nPain areas, baseline to latest: not compared, " << kPainMapNotRecorded << " "
          << missing << "\n";
    } else if (!c.areas.empty()) {
        o << "\nPain areas, baseline to latest:\n";
    }
    if (!c.areas.empty()) {
        for (const auto& a : c.areas) {
            o << "  " << a.label << ": " << area_status_id(a.status) << "\n";
        }
    }
    o << "\nClinically important: NRS 2 points or 30 %, PSFS average 2 points, one PSFS activity 3 "
         "points, PPT "
         "0.34 kg/cm² and 15 %. Tender count, WPI, SSS and FS: change reported, no threshold "
         "claimed.\n";
    return o.str();
}

std::string comparison_to_csv(const Comparison& c) {
    std::ostringstream o;
    o << "patient_id,date,kind";
    for (const auto& r : c.rows) {
        o << "," << csv_field(r.id);
    }
    o << "\r\n";
    for (std::size_t i = 0; i < c.visits.size(); ++i) {
        o << csv_field(c.patient.id) << "," << c.visits[i].date << "," << c.visits[i].kind;
        for (const auto& r : c.rows) {
            o << "," << (r.values[i] ? format_number(*r.values[i]) : "");
        }
        o << "\r\n";
    }
    return o.str();
}

}  // namespace myo
