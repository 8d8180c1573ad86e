// The progress report (issue 6): clinician-facing, A4, what changed between visits and whether
// it matters. Section order and wording come from reports/progress.json; every value, change,
// direction and threshold comes from core's Comparison, so the PDF says what `compare` says.

#include <algorithm>
#include <cmath>
#include <set>

#include "core/json_util.hpp"
#include "report/body_chart_pdf.hpp"
#include "report/line_chart_pdf.hpp"
#include "report/report_common.hpp"

namespace myo::report {

namespace {

const TextStyle kBody{9.5, 12.6};
const TextStyle kSmall{8, 10.6};
// The table has seven columns on A4 portrait: 7.5 pt keeps "better, clinically important"
// to two lines and a unit such as kg/cm² on one.
const TextStyle kTable{7.5, 9.8};
const TextStyle kHeading{12, 17};
const TextStyle kSubheading{10, 14};
// Better and worse are always written out; the colour only helps the eye find them.
const Colour kBetter{0.1, 0.42, 0.2};
const Colour kWorse{0.72, 0.1, 0.08};

// Numbers as core formats them, with a real minus sign and an explicit plus for a change.
std::string number(double v) {
    std::string s = format_number(v);
    if (!s.empty() && s[0] == '-') {
        s = "−" + s.substr(1);
    }
    return s;
}
std::string signed_number(double v) {
    return (v > 0 ? "+" : "") + number(v);
}

// "6/10", "2.1 kg/cm²", "grade 2": a value with its unit, for sentences.
std::string with_unit(double v, const std::string& unit) {
    if (unit.empty()) {
        return number(v);
    }
    if (unit.front() == '/') {
        return number(v) + unit;
    }
    if (unit.rfind("grade", 0) == 0) {
        return "grade " + number(v);
    }
    return number(v) + " " + unit;
}

std::string change_numbers(const Change& ch) {
    std::string s = signed_number(*ch.absolute);
    if (ch.percent) {
        s += " (" + signed_number(*ch.percent) + " %)";
    }
    return s;
}

// "−3, −50 %": the change inside the summary's parentheses.
std::string summary_change(const Change& ch) {
    std::string s = signed_number(*ch.absolute);
    if (ch.percent) {
        s += ", " + signed_number(*ch.percent) + " %";
    }
    return s;
}

class Progress {
  public:
    Progress(const ReportResources& res, const Comparison& c, const ReportSettings& settings,
             PdfDocument& doc)
        : res_(res),
          defs_(*res.defs),
          t_(res.progress),
          c_(c),
          settings_(settings),
          flow_(doc, PageGeometry{}) {}

    std::vector<PageOps> build() {
        for (const auto& section : t_.sections()) {
            if (section == "letterhead") {
                letterhead();
            } else if (section == "patient") {
                patient();
            } else if (section == "visits") {
                visits();
            } else if (section == "summary") {
                summary();
            } else if (section == "table") {
                table();
            } else if (section == "charts") {
                charts();
            } else if (section == "body_charts") {
                body_charts();
            } else if (section == "thresholds") {
                thresholds();
            } else if (section == "signature") {
                signature();
            }
        }
        add_footers(
            flow_,
            t_.fill("footer_left", {{"name", c_.patient.name}, {"rules_version", rules_version()}}),
            t_.get("footer_page"), t_.get("footer_disclaimer"), t_.file() + ": /text/footer_page");
        return std::move(flow_.pages());
    }

    std::string title() const { return t_.get("document_title"); }

  private:
    std::string text(const std::string& key, const Values& v = {}) const { return t_.fill(key, v); }

    std::string rules_version() const {
        return c_.evaluations.empty() ? defs_.rules.version : c_.evaluations.back().rules_version;
    }

    void section_heading(const std::string& key, double keep = 40) {
        flow_.move_down(8);
        flow_.heading(text(key), kHeading, kAccent, keep);
        flow_.move_down(1);
    }

    void letterhead() {
        draw_letterhead(
            flow_,
            {settings_.clinic.empty() ? text("clinic_default") : settings_.clinic,
             settings_.clinic_address,
             settings_.clinician.empty() ? "" : text("from", {{"clinician", settings_.clinician}}),
             text("title"),
             text("period_line",
                  {{"first", long_date(c_.baseline.date)}, {"last", long_date(c_.latest.date)}})});
    }

    void patient() {
        std::string birth = long_date(c_.patient.birth_date);
        const auto& age = c_.evaluations.empty() ? std::nullopt : c_.evaluations.back().age;
        if (age) {
            birth = text("birth_value", {{"date", birth}, {"age", std::to_string(*age)}});
        }
        std::vector<std::pair<std::string, std::string>> cells = {
            {text("label_name"), c_.patient.name},
            {text("label_id"), c_.patient.id},
            {text("label_birth"), birth}};
        if (c_.patient.sex) {
            cells.push_back({text("label_sex"), *c_.patient.sex});
        }
        draw_fields(flow_, cells, true);
    }

    void visits() {
        section_heading("visits_heading", 30);
        const std::string baseline = text(c_.baseline_marked ? "baseline_marked" : "baseline_first",
                                          {{"date", long_date(c_.baseline.date)}});
        const std::string previous =
            c_.previous.index == c_.baseline.index
                ? text("previous_is_baseline", {{"date", long_date(c_.previous.date)}})
                : text("visit_value", {{"date", long_date(c_.previous.date)}});
        draw_fields(
            flow_,
            {{text("label_baseline"), baseline},
             {text("label_previous"), previous},
             {text("label_latest"), text("visit_value", {{"date", long_date(c_.latest.date)}})},
             {text("label_visits"),
              text("visits_value", {{"count", std::to_string(c_.visits.size())},
                                    {"first", short_date(c_.visits.front().date)},
                                    {"last", short_date(c_.visits.back().date)}})}},
            false);
        // Three visits are all named above; a longer series is listed so that every date in
        // the charts can be read exactly.
        if (c_.visits.size() > 3) {
            std::vector<std::string> dates;
            for (const auto& v : c_.visits) {
                dates.push_back(short_date(v.date));
            }
            std::string joined;
            for (const auto& d : dates) {
                joined += (joined.empty() ? "" : ", ") + d;
            }
            flow_.move_down(2);
            flow_.paragraph(
                plain(text("visits_all", {{"dates", joined}}), FontStyle::Regular, kMuted), kSmall);
        }
    }

    void summary() {
        section_heading("summary_heading", 30);
        std::vector<const MeasureRow*> better;
        std::vector<const MeasureRow*> worse;
        std::size_t both = 0;
        for (const auto& r : c_.rows) {
            if (r.from_baseline.direction == Direction::NotMeasured) {
                continue;
            }
            ++both;
            if (r.from_baseline.important) {
                (r.from_baseline.direction == Direction::Better ? better : worse).push_back(&r);
            }
        }
        const auto list = [&](const std::vector<const MeasureRow*>& rows, const std::string& key,
                              Colour colour) {
            if (rows.empty()) {
                return;
            }
            flow_.move_down(2);
            flow_.heading(text(key, {{"count", std::to_string(rows.size())}}), kSubheading, colour,
                          14);
            for (const MeasureRow* r : rows) {
                flow_.bullet(
                    "•",
                    plain(text("summary_item", {{"label", r->label},
                                                {"from", with_unit(*r->baseline, r->unit)},
                                                {"to", with_unit(*r->latest, r->unit)},
                                                {"change", summary_change(r->from_baseline)}})),
                    kBody, 4, colour);
            }
        };
        if (better.empty() && worse.empty()) {
            flow_.paragraph(plain(text("summary_none")), kBody);
        }
        list(better, "summary_better", kBetter);
        list(worse, "summary_worse", kWorse);
        flow_.move_down(3);
        flow_.paragraph(plain(text("summary_rest",
                                   {{"count", std::to_string(both)},
                                    {"rest", std::to_string(both - better.size() - worse.size())}}),
                              FontStyle::Regular, kMuted),
                        kSmall);
    }

    RichText value_cell(const std::optional<double>& v) const {
        if (!v) {
            return plain(text("no_value"), FontStyle::Regular, kMuted);
        }
        return plain(number(*v));
    }

    RichText change_cell(const Change& ch) const {
        if (ch.direction == Direction::NotMeasured || !ch.absolute) {
            return plain(text("not_measured"), FontStyle::Regular, kMuted);
        }
        const std::string numbers = change_numbers(ch) + " ";
        if (ch.direction == Direction::Unchanged) {
            return {Span{numbers, FontStyle::Regular, kInk},
                    Span{text("unchanged"), FontStyle::Regular, kMuted}};
        }
        const bool good = ch.direction == Direction::Better;
        const std::string word = text(good ? "better" : "worse");
        const Colour colour = good ? kBetter : kWorse;
        if (ch.important) {
            return {Span{numbers, FontStyle::Regular, kInk},
                    Span{word + ", " + text("important"), FontStyle::Bold, colour}};
        }
        return {Span{numbers, FontStyle::Regular, kInk}, Span{word, FontStyle::Regular, colour}};
    }

    // The measures of the table under the headings of progress.json "groups", in core's order
    // within each; a measure no group names goes under "group_other", so nothing is dropped.
    std::vector<std::pair<std::string, std::vector<const MeasureRow*>>> grouped_rows() const {
        std::vector<std::pair<std::string, std::vector<const MeasureRow*>>> out;
        std::set<const MeasureRow*> placed;
        auto groups = t_.json().find("groups");
        if (groups != t_.json().end() && groups->is_array()) {
            for (const auto& g : *groups) {
                if (!g.is_object() || !g.contains("title") || !g["title"].is_string() ||
                    !g.contains("measures") || !g["measures"].is_array()) {
                    continue;
                }
                std::set<std::string> measures;
                for (const auto& m : g["measures"]) {
                    if (m.is_string()) {
                        measures.insert(m.get<std::string>());
                    }
                }
                std::vector<const MeasureRow*> rows;
                for (const auto& r : c_.rows) {
                    if (measures.count(r.measure) && !placed.count(&r)) {
                        rows.push_back(&r);
                        placed.insert(&r);
                    }
                }
                if (!rows.empty()) {
                    out.emplace_back(g["title"].get<std::string>(), std::move(rows));
                }
            }
        }
        std::vector<const MeasureRow*> rest;
        for (const auto& r : c_.rows) {
            if (!placed.count(&r)) {
                rest.push_back(&r);
            }
        }
        if (!rest.empty()) {
            out.emplace_back(out.empty() ? "" : text("group_other"), std::move(rest));
        }
        return out;
    }

    void table() {
        // The heading and its note stay with the first group's heading, header and rows.
        const RichText intro = plain(text("table_intro"), FontStyle::Regular, kMuted);
        const double intro_h =
            kSmall.leading *
            static_cast<double>(flow_.wrap(intro, kSmall.size, flow_.width()).size());
        section_heading("table_heading", intro_h + 100);
        flow_.paragraph(intro, kSmall);
        if (c_.rows.empty()) {
            flow_.move_down(3);
            flow_.paragraph(plain(text("table_none")), kBody);
            return;
        }
        const std::vector<Column> columns = {
            {text("col_measure"), 0.195},
            {text("col_unit"), 0.075},
            {text("col_baseline", {{"date", short_date(c_.baseline.date)}}), 0.095},
            {text("col_previous", {{"date", short_date(c_.previous.date)}}), 0.095},
            {text("col_latest", {{"date", short_date(c_.latest.date)}}), 0.095},
            {text("col_since_baseline"), 0.2225},
            {text("col_since_previous"), 0.2225}};
        for (const auto& [title, rows] : grouped_rows()) {
            std::vector<std::vector<RichText>> cells;
            for (const MeasureRow* r : rows) {
                cells.push_back({plain(r->label), plain(r->unit, FontStyle::Regular, kMuted),
                                 value_cell(r->baseline), value_cell(r->previous),
                                 value_cell(r->latest), change_cell(r->from_baseline),
                                 change_cell(r->from_previous)});
            }
            flow_.move_down(5);
            if (!title.empty()) {
                // Kept with the table's header and its first rows.
                flow_.heading(title, kSubheading, kInk, 64);
            }
            flow_.table(columns, cells, kTable, kHeaderFill);
        }
    }

    // The charts: the groups of progress.json "charts" first, then any charted measure they
    // do not name, each in a chart of its own.
    std::vector<LineChart> chart_list() const {
        std::vector<std::pair<std::string, std::vector<const MeasureRow*>>> groups;
        std::set<std::string> used;
        auto defs = t_.json().find("charts");
        if (defs != t_.json().end() && defs->is_array()) {
            for (const auto& g : *defs) {
                if (!g.is_object() || !g.contains("rows") || !g["rows"].is_array()) {
                    continue;
                }
                std::vector<const MeasureRow*> rows;
                for (const auto& id : g["rows"]) {
                    if (!id.is_string()) {
                        continue;
                    }
                    const std::string s = id.get<std::string>();
                    const bool charted =
                        std::find(c_.charts.begin(), c_.charts.end(), s) != c_.charts.end();
                    if (charted && !used.count(s) && c_.row(s)) {
                        rows.push_back(c_.row(s));
                        used.insert(s);
                    }
                }
                if (!rows.empty()) {
                    const std::string title = g.contains("title") && g["title"].is_string()
                                                  ? g["title"].get<std::string>()
                                                  : rows.front()->label;
                    groups.emplace_back(title, std::move(rows));
                }
            }
        }
        for (const auto& id : c_.charts) {
            if (!used.count(id) && c_.row(id)) {
                groups.push_back({c_.row(id)->label, {c_.row(id)}});
                used.insert(id);
            }
        }
        std::vector<std::string> dates;
        for (const auto& v : c_.visits) {
            dates.push_back(v.date);
        }
        std::vector<LineChart> out;
        for (const auto& [title, rows] : groups) {
            LineChart chart;
            chart.title = title;
            chart.dates = dates;
            chart.mark = c_.baseline.index;
            chart.mark_label = text("chart_baseline");
            const bool all_lower = std::all_of(
                rows.begin(), rows.end(), [](const MeasureRow* r) { return !r->higher_is_better; });
            const bool all_higher = std::all_of(
                rows.begin(), rows.end(), [](const MeasureRow* r) { return r->higher_is_better; });
            chart.note = all_lower    ? text("chart_lower_better")
                         : all_higher ? text("chart_higher_better")
                                      : "";
            // The scale's full range when the unit names it ("/10"), so that charts of the same
            // scale compare at a glance; otherwise the data's range.
            double lo = 0;
            double hi = 0;
            bool scaled = false;
            for (const MeasureRow* r : rows) {
                if (r->unit.size() > 1 && r->unit.front() == '/') {
                    try {
                        hi = std::max(hi, std::stod(r->unit.substr(1)));
                        scaled = true;
                    } catch (const std::exception&) {
                        // Not a number after the slash: the data's range is used.
                    }
                }
                for (const auto& v : r->values) {
                    if (v) {
                        lo = std::min(lo, *v);
                        hi = std::max(hi, scaled ? *v : *v * 1.1);
                    }
                }
            }
            chart.y_min = lo;
            chart.y_max = hi > lo ? hi : lo + 1;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                LineSeries s = series_style(i);
                s.label = rows[i]->label;
                s.values = rows[i]->values;
                chart.series.push_back(std::move(s));
            }
            chart.value_labels = rows.size() == 1;
            out.push_back(std::move(chart));
        }
        return out;
    }

    void charts() {
        const auto list = chart_list();
        if (list.empty()) {
            return;
        }
        const double gap = 18;
        const double w = (flow_.width() - gap) / 2;
        const double h = 170;
        section_heading("charts_heading", h + 30);
        flow_.paragraph(plain(text("charts_intro"), FontStyle::Regular, kMuted), kSmall);
        flow_.move_down(6);
        for (std::size_t i = 0; i < list.size(); i += 2) {
            flow_.ensure(h + 4);
            const double top = flow_.y();
            const std::size_t end = std::min(i + 2, list.size());
            std::size_t rows = 0;
            for (std::size_t k = i; k < end; ++k) {
                rows = std::max(rows, line_chart_legend_rows(flow_.doc(), list[k], w));
            }
            for (std::size_t k = i; k < end; ++k) {
                const double x = flow_.left() + static_cast<double>(k - i) * (w + gap);
                LineChart chart = list[k];
                chart.legend_rows = rows;
                draw_line_chart(flow_.page(), flow_.doc(), chart, ChartBox{x, top - h, w, h});
            }
            flow_.move_down(h + 14);
        }
    }

    ChartMarks marks_at(std::size_t visit, bool latest) const {
        ChartMarks marks;
        marks.positive_grade = defs_.rules.acr1990.positive_grade;
        for (const auto& a : c_.areas) {
            // NotCompared: painful at whichever of the two visits has a pain map.
            const bool mapped = latest ? c_.latest_pain_map : c_.baseline_pain_map;
            const bool painful =
                a.status == AreaStatus::Unchanged ||
                (a.status == AreaStatus::NotCompared && mapped) ||
                (latest ? a.status == AreaStatus::New : a.status == AreaStatus::Resolved);
            if (painful) {
                marks.painful.insert(a.id);
            }
        }
        for (const auto& r : c_.rows) {
            if (r.measure == "tp" && visit < r.values.size() && r.values[visit]) {
                marks.grades[r.id] = std::lround(*r.values[visit]);
            }
        }
        return marks;
    }

    void body_charts() {
        const double chart_h = 215;
        const double gap = 16;
        const double w = (flow_.width() - gap) / 2;
        const double caption = 16;
        section_heading("body_heading", chart_h + caption + 40);
        const ChartMarks before = marks_at(c_.baseline.index, false);
        const ChartMarks after = marks_at(c_.latest.index, true);
        const double top = flow_.y();
        const std::string captions[] = {
            text("body_baseline_caption", {{"date", long_date(c_.baseline.date)}}),
            text("body_latest_caption", {{"date", long_date(c_.latest.date)}})};
        const ChartMarks* marks[] = {&before, &after};
        for (int k = 0; k < 2; ++k) {
            const double x = flow_.left() + k * (w + gap);
            const double cw =
                flow_.doc().text_width(captions[k], FontStyle::Bold, kSubheading.size);
            flow_.page().ops.push_back(TextOp{{x + (w - cw) / 2, top - kSubheading.size},
                                              FontStyle::Bold,
                                              kSubheading.size,
                                              kInk,
                                              captions[k]});
            draw_body_chart(flow_.page(), flow_.doc(), res_.chart,
                            ChartBox{x, top - caption - chart_h, w, chart_h}, *marks[k]);
        }
        // A hairline between the two visits, so the charts do not read as one body.
        const double mid = flow_.left() + w + gap / 2;
        flow_.page().ops.push_back(
            line_op({mid, top - caption - chart_h + 6}, {mid, top - 4}, kRule, 0.5));
        flow_.move_down(caption + chart_h + 8);

        // The legend and the changes in words, so that nothing depends on seeing the shading.
        const auto lines = flow_.wrap(
            plain(text("body_legend", {{"grade", std::to_string(before.positive_grade)}}),
                  FontStyle::Regular, kMuted),
            kSmall.size, flow_.width() - 22);
        flow_.ensure(kSmall.leading * static_cast<double>(lines.size()));
        flow_.page().ops.push_back(rect_op(flow_.left(), flow_.y() - kSmall.leading + 1.5, 14,
                                           kSmall.leading - 3.5, chart_shade(),
                                           Colour{0.85, 0.45, 0.3}, 0.4));
        for (const Line& line : lines) {
            flow_.draw_line(line, flow_.left() + 22, kSmall.size, kSmall.leading);
        }
        flow_.move_down(4);
        // Rules 2026.2: a visit without a pain map is "not recorded", so no area is called new
        // or resolved against it.
        const bool compared = c_.baseline_pain_map && c_.latest_pain_map;
        if (!compared) {
            const char* key = !c_.baseline_pain_map && !c_.latest_pain_map ? "areas_no_map_both"
                              : !c_.baseline_pain_map                      ? "areas_no_map_baseline"
                                                                           : "areas_no_map_latest";
            flow_.paragraph(plain(text(key)), kBody);
        } else if (c_.areas.empty()) {
            flow_.paragraph(plain(text("areas_none")), kBody);
        }
        const std::pair<AreaStatus, const char*> kinds[] = {
            {AreaStatus::New, "areas_new"},
            {AreaStatus::Resolved, "areas_resolved"},
            {AreaStatus::Unchanged, "areas_unchanged"},
            {AreaStatus::NotCompared,
             c_.baseline_pain_map ? "areas_at_baseline" : "areas_at_latest"}};
        for (const auto& [status, key] : kinds) {
            std::vector<std::string> labels;
            for (const auto& a : c_.areas) {
                if (a.status == status) {
                    labels.push_back(sided(a.label));
                }
            }
            if (!labels.empty()) {
                flow_.paragraph(
                    {Span{text(key), FontStyle::Bold, kInk},
                     Span{upper_first(join_list(labels)) + ".", FontStyle::Regular, kInk}},
                    kBody);
            }
        }
        if (compared && !c_.areas.empty()) {
            flow_.paragraph(
                plain(text("areas_counts", {{"baseline", std::to_string(before.painful.size())},
                                            {"latest", std::to_string(after.painful.size())}}),
                      FontStyle::Regular, kMuted),
                kSmall);
        }
        if (!before.grades.empty() || !after.grades.empty()) {
            const auto positive = [](const ChartMarks& m) {
                return std::to_string(
                    std::count_if(m.grades.begin(), m.grades.end(),
                                  [&](const auto& g) { return g.second >= m.positive_grade; }));
            };
            const auto examined = [&](const ChartMarks& m, const std::string& count) {
                return m.grades.empty() ? text("not_measured") : count;
            };
            flow_.paragraph(
                plain(text("tender_positive", {{"grade", std::to_string(before.positive_grade)},
                                               {"baseline", examined(before, positive(before))},
                                               {"latest", examined(after, positive(after))}}),
                      FontStyle::Regular, kMuted),
                kSmall);
        }
    }

    void thresholds() {
        section_heading("thresholds_heading", 50);
        flow_.paragraph(plain(text("thresholds_intro", {{"rules_version", rules_version()}}),
                              FontStyle::Regular, kMuted),
                        kSmall);
        flow_.move_down(3);
        // One line per distinct threshold and source, naming the measures it applies to, in
        // the order of the table.
        struct Group {
            std::string threshold;
            std::string source;
            std::vector<std::string> labels;
        };
        std::vector<Group> groups;
        std::set<std::string> seen;
        for (const auto& r : c_.rows) {
            if (!seen.insert(r.measure).second) {
                continue;
            }
            const ChangeMeasure* m = defs_.rules.change.measure(r.measure);
            const std::string label = m ? m->label : r.label;
            auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
                return g.threshold == r.threshold && g.source == r.source;
            });
            if (it == groups.end()) {
                groups.push_back({r.threshold, r.source, {label}});
            } else {
                it->labels.push_back(label);
            }
        }
        for (const auto& g : groups) {
            std::string labels;
            for (const auto& l : g.labels) {
                labels += (labels.empty() ? "" : "; ") + l;
            }
            RichText line = {
                Span{labels + ": ", FontStyle::Bold, kInk},
                Span{g.threshold.empty() ? text("threshold_none")
                                         : text("threshold_line", {{"threshold", g.threshold}}),
                     FontStyle::Regular, kInk}};
            if (!g.source.empty()) {
                line.push_back(
                    Span{" " + text("source_label") + g.source, FontStyle::Regular, kMuted});
            }
            flow_.bullet("•", line, kSmall, 0, kAccent);
            flow_.move_down(1.5);
        }
    }

    void signature() { draw_signature(flow_, t_, settings_.clinician, kSubheading, kBody, kSmall); }

    const ReportResources& res_;
    const Definitions& defs_;
    const ReportText& t_;
    const Comparison& c_;
    const ReportSettings& settings_;
    Flow flow_;
};

}  // namespace

std::string make_progress(const ReportResources& res, const Comparison& c,
                          const ReportSettings& settings) {
    // compare_visits refuses fewer than two visits; a hand-made Comparison is refused here too.
    if (c.visits.size() < 2 || c.evaluations.size() != c.visits.size()) {
        throw ReportError("a progress report needs two or more visits");
    }
    PdfDocument doc(res.fonts);
    Progress progress(res, c, settings, doc);
    auto pages = progress.build();
    return doc.render(pages, kA4Width, kA4Height, progress.title(), settings.pdfa);
}

}  // namespace myo::report
