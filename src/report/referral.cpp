// The referral note (issue 4): clinician-facing, A4, usually two pages. Section order and
// wording come from reports/referral.json; every finding, score and rule comes from core.

#include <algorithm>
#include <set>

#include "core/dates.hpp"
#include "core/describe.hpp"
#include "report/body_chart_pdf.hpp"
#include "report/report_common.hpp"

namespace myo::report {

namespace {

const TextStyle kBody{9.5, 12.6};
const TextStyle kSmall{8, 10.6};
const TextStyle kHeading{12, 17};
const TextStyle kSubheading{10, 14};

class Referral {
  public:
    Referral(const ReportResources& res, const Assessment& a, const Evaluation& e,
             const ReportSettings& settings, PdfDocument& doc)
        : res_(res),
          defs_(*res.defs),
          t_(res.referral),
          a_(a),
          e_(e),
          settings_(settings),
          flow_(doc, PageGeometry{}) {}

    std::vector<PageOps> build() {
        for (const auto& section : t_.sections()) {
            if (section == "letterhead") {
                letterhead();
            } else if (section == "patient") {
                patient();
            } else if (section == "reason") {
                reason();
            } else if (section == "red_flags") {
                red_flags();
            } else if (section == "history") {
                history();
            } else if (section == "body_chart") {
                body_chart();
            } else if (section == "scores") {
                scores();
            } else if (section == "pattern") {
                pattern();
            } else if (section == "tests") {
                tests();
            } else if (section == "referrals") {
                referrals();
            } else if (section == "notes") {
                notes();
            } else if (section == "signature") {
                signature();
            }
        }
        add_footers(flow_,
                    t_.fill("footer_left",
                            {{"name", a_.patient.name}, {"rules_version", e_.rules_version}}),
                    t_.get("footer_page"), t_.get("footer_disclaimer"),
                    t_.file() + ": /text/footer_page");
        return std::move(flow_.pages());
    }

    std::string title() const { return t_.get("document_title"); }

  private:
    std::string text(const std::string& key, const Values& v = {}) const { return t_.fill(key, v); }

    const Json* answer(const std::string& id) const {
        auto it = a_.answers.find(id);
        return it == a_.answers.end() ? nullptr : &*it;
    }
    bool is_true(const std::string& id) const {
        const Json* v = answer(id);
        return v && ((v->is_boolean() && v->get<bool>()) || (v->is_string() && *v == "yes"));
    }
    std::string answer_text(const std::string& id) const {
        const ItemDef* item = defs_.form.find(id);
        const Json* v = answer(id);
        return item && v ? describe_answer(*item, *v) : "";
    }
    std::string clinician() const {
        if (!settings_.clinician.empty()) {
            return settings_.clinician;
        }
        return a_.clinician.value_or("");
    }

    void section_heading(const std::string& key, double keep = 40) {
        flow_.move_down(6);
        flow_.heading(text(key), kHeading, kAccent, keep);
        flow_.move_down(1);
    }

    void letterhead() {
        draw_letterhead(flow_,
                        {settings_.clinic.empty() ? text("clinic_default") : settings_.clinic,
                         settings_.clinic_address,
                         clinician().empty() ? "" : text("from", {{"clinician", clinician()}}),
                         text("title"), text("visit_line", {{"date", long_date(a_.date)}})});
    }

    void patient() {
        std::string visit_kind;
        if (a_.kind) {
            visit_kind = *a_.kind == "follow_up" ? "follow-up" : *a_.kind;
        }
        std::string birth = long_date(a_.patient.birth_date);
        if (e_.age) {
            birth = text("birth_value", {{"date", birth}, {"age", std::to_string(*e_.age)}});
        }
        const std::string visit =
            visit_kind.empty()
                ? long_date(a_.date)
                : text("visit_value", {{"date", long_date(a_.date)}, {"kind", visit_kind}});
        std::vector<std::pair<std::string, std::string>> cells = {
            {text("label_name"), a_.patient.name},
            {text("label_id"), a_.patient.id},
            {text("label_birth"), birth},
            {text("label_visit"), visit}};
        if (a_.patient.sex) {
            cells.push_back({text("label_sex"), *a_.patient.sex});
        }
        draw_fields(flow_, cells, true);
        flow_.move_down(4);
    }

    std::string flag_labels() const {
        std::vector<std::string> labels;
        for (const auto& f : e_.red_flags) {
            labels.push_back(f.label);
        }
        return join_list(labels);
    }

    std::vector<std::string> painful_area_labels() const {
        std::vector<std::string> out;
        for (const auto& item : defs_.form.items) {
            if (item.group == "wpi" && is_true(item.id)) {
                out.push_back(sided(item.label));
            }
        }
        return out;
    }

    void reason() {
        std::string line;
        if (!e_.red_flags.empty()) {
            const UrgencyLevel* level = defs_.rules.level(e_.urgency);
            line = text("reason_flags", {{"urgency", urgency_label(defs_, e_.urgency)},
                                         {"meaning", level ? level->meaning : ""},
                                         {"flags", flag_labels()}});
        } else {
            const auto areas = painful_area_labels();
            const std::string duration =
                e_.duration_weeks ? " lasting " + weeks_text(*e_.duration_weeks) : "";
            std::string where = areas.size() > 4
                                    ? std::to_string(areas.size()) + " of 19 body areas"
                                    : join_list(areas);
            line = areas.empty()
                       ? text("reason_no_flags_no_areas", {{"duration", duration}})
                       : text("reason_no_flags", {{"duration", duration}, {"areas", where}});
        }
        flow_.paragraph({Span{text("reason_label"), FontStyle::Bold, kInk},
                         Span{line, FontStyle::Regular, kInk}},
                        {10, 13.5});
        flow_.move_down(6);
    }

    // A coloured tag with the urgency in words, then the text wrapped beside it.
    void tagged(const std::string& tag, Colour colour, const RichText& content, TextStyle style) {
        PdfDocument& doc = flow_.doc();
        const double tag_size = style.size - 1.5;
        const double tag_w = doc.text_width(tag, FontStyle::Bold, tag_size) + 8;
        const auto lines = flow_.wrap(content, style.size, flow_.width() - tag_w - 6);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            flow_.ensure(style.leading);
            if (i == 0) {
                const double top = flow_.y();
                flow_.page().ops.push_back(rect_op(flow_.left(), top - style.leading + 1.5, tag_w,
                                                   style.leading - 2.5, colour));
                flow_.page().ops.push_back(
                    TextOp{{flow_.left() + 4, baseline(top, tag_size, style.leading)},
                           FontStyle::Bold,
                           tag_size,
                           {1, 1, 1},
                           tag});
            }
            flow_.draw_line(lines[i], flow_.left() + tag_w + 6, style.size, style.leading);
        }
    }

    void red_flags() {
        const bool any = !e_.red_flags.empty();
        const Colour border = any ? urgency_colour(e_.urgency) : kRule;
        const Colour fill = any ? Colour{1.0, 0.97, 0.95} : Colour{0.97, 0.98, 0.97};
        flow_.begin_box(fill, border, any ? 1.4 : 0.8, 9);
        flow_.heading(text("red_flags_heading"), kHeading, any ? border : kAccent, 24);
        if (!any) {
            flow_.paragraph(plain(text("red_flags_none")), kBody);
        }
        for (const FlagResult& f : e_.red_flags) {
            flow_.move_down(2);
            std::string tag = urgency_label(defs_, f.urgency);
            std::transform(tag.begin(), tag.end(), tag.begin(), [](char c) {
                return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
            });
            tagged(tag, urgency_colour(f.urgency), plain(f.label, FontStyle::Bold), {10, 13.5});
            std::vector<std::string> findings;
            for (const auto& b : f.because) {
                findings.push_back(describe_finding(defs_, a_, e_, b));
            }
            const double indent = 12;
            const auto row = [&](const std::string& key, const std::string& value, Colour c) {
                flow_.paragraph(
                    {Span{text(key), FontStyle::Bold, kInk}, Span{value, FontStyle::Regular, c}},
                    kBody, indent);
            };
            std::string finding_text;
            for (const auto& finding : findings) {
                finding_text += (finding_text.empty() ? "" : "; ") + finding;
            }
            row("flag_findings", finding_text, kInk);
            row("flag_action", f.action, kInk);
            row("flag_rule", f.rule, kMuted);
            row("flag_source", f.source, kMuted);
            if (a_.acknowledged) {
                for (const auto& ack : *a_.acknowledged) {
                    if (ack.flag == f.id) {
                        flow_.paragraph(
                            plain(text("acknowledged",
                                       {{"by", ack.by}, {"at", local_date_time(ack.at)}}),
                                  FontStyle::Regular, kMuted),
                            kBody, indent);
                    }
                }
            }
        }
        flow_.move_down(4);
        if (e_.unscreened.empty()) {
            flow_.paragraph(plain(text("unscreened_none"), FontStyle::Regular, kMuted), kBody);
        } else {
            flow_.heading(
                text("unscreened_heading", {{"count", std::to_string(e_.unscreened.size())}}),
                kSubheading, kInk, 14);
            std::vector<std::string> labels = unscreened_questions(defs_, e_);
            std::string joined;
            for (const auto& l : labels) {
                joined += (joined.empty() ? "" : "  ·  ") + l;
            }
            flow_.paragraph(plain(joined), kSmall);
        }
        flow_.end_box();
        flow_.move_down(4);
    }

    std::vector<std::string> labels_of(const std::vector<std::string>& ids) const {
        std::vector<std::string> out;
        for (const auto& id : ids) {
            if (is_true(id)) {
                if (const ItemDef* item = defs_.form.find(id)) {
                    out.push_back(lower_first(item->label));
                }
            }
        }
        return out;
    }

    std::string multi_text(const std::string& id) const {
        const ItemDef* item = defs_.form.find(id);
        const Json* v = answer(id);
        if (!item || !v || !v->is_array() || v->empty()) {
            return "";
        }
        std::vector<std::string> labels;
        for (const auto& value : *v) {
            const Choice* c = value.is_string() ? item->choice(value.get<std::string>()) : nullptr;
            labels.push_back(c ? lower_first(c->label) : describe_value(value));
        }
        return join_list(labels);
    }

    Values history_values() const {
        Values v;
        if (e_.duration_weeks) {
            v["duration"] = weeks_text(*e_.duration_weeks);
            std::string category = e_.duration_category.value_or("");
            for (const auto& c : defs_.rules.duration_categories) {
                if (c.id == category) {
                    category = c.label;
                }
            }
            v["category"] = lower_first(category);
        }
        if (const Json* onset = answer("onset"); onset && onset->is_string()) {
            v["onset"] = t_.phrase("onset", onset->get<std::string>())
                             .value_or(lower_first(answer_text("onset")));
        }
        if (const Json* course = answer("pattern"); course && course->is_string()) {
            v["course"] =
                t_.phrase("course", course->get<std::string>()).value_or(answer_text("pattern"));
        }
        v["character"] = multi_text("character");
        std::vector<std::string> nrs;
        for (const char* id : {"nrs_now", "nrs_average", "nrs_worst", "nrs_best"}) {
            if (answer(id)) {
                const ItemDef* item = defs_.form.find(id);
                std::string label = item ? item->label : id;
                // "Pain now (NRS)" -> "pain now": the sentence already says NRS 0-10.
                if (auto paren = label.find(" ("); paren != std::string::npos) {
                    label = label.substr(0, paren);
                }
                nrs.push_back(lower_first(label) + " " + answer_text(id));
            }
        }
        v["intensity"] = join_list(nrs, "and");
        if (answer("morning_stiffness_min")) {
            v["stiffness"] = format_number(answer("morning_stiffness_min")->get<double>());
        }
        v["worse"] = multi_text("aggravators");
        v["eased"] = multi_text("relievers");

        std::vector<std::string> symptoms;
        for (const auto& item : defs_.form.items) {
            if (item.step != "symptoms" || !answer(item.id)) {
                continue;
            }
            if (item.type == ItemType::Bool || item.type == ItemType::YesNo) {
                if (is_true(item.id)) {
                    symptoms.push_back(lower_first(item.label));
                }
            } else if (item.type == ItemType::Int) {
                const Json* value = answer(item.id);
                if (value->is_number() && value->get<double>() > 0) {
                    std::string grade = answer_text(item.id);
                    if (auto dash = grade.find(" - "); dash != std::string::npos) {
                        grade = grade.substr(dash + 3);
                    }
                    symptoms.push_back(lower_first(item.label) + " (" + grade + ")");
                }
            }
        }
        v["symptoms"] = join_list(symptoms);
        std::vector<std::string> factors;
        std::vector<std::string> meds;
        for (const auto& item : defs_.form.items) {
            if (item.id.rfind("factor.", 0) == 0 && is_true(item.id)) {
                factors.push_back(lower_first(item.label));
            }
            if (item.id.rfind("med.", 0) == 0 && item.type == ItemType::Bool && is_true(item.id)) {
                meds.push_back(lower_first(item.label));
            }
        }
        if (const Json* list = answer("med.list");
            list && list->is_string() && !list->get<std::string>().empty()) {
            meds.push_back(list->get<std::string>());
        }
        v["factors"] = join_list(factors);
        v["medication"] = join_list(meds, "; ");
        if (!meds.empty()) {
            std::string joined;
            for (const auto& m : meds) {
                joined += (joined.empty() ? "" : "; ") + m;
            }
            v["medication"] = joined;
        }
        std::vector<std::string> exam;
        if (e_.weight_loss_percent) {
            exam.push_back(lower_first(describe_finding(defs_, a_, e_, "weight_loss_percent")));
        } else if (answer("exam.weight_kg")) {
            exam.push_back("weight " + answer_text("exam.weight_kg"));
        }
        if (answer("exam.temp_c")) {
            exam.push_back("temperature " + answer_text("exam.temp_c"));
        }
        if (const Json* notes = answer("exam.notes"); notes && notes->is_string()) {
            exam.push_back(notes->get<std::string>());
        }
        std::string exam_text;
        for (const auto& x : exam) {
            exam_text += (exam_text.empty() ? "" : "; ") + x;
        }
        v["examination"] = exam_text;
        v["trigger_points"] = trigger_points();
        return v;
    }

    std::string trigger_points() const {
        const ItemDef* item = defs_.form.find("mtrp");
        const Json* list = answer("mtrp");
        if (!item || !list || !list->is_array() || list->empty()) {
            return "";
        }
        const auto field_text = [&](const Json& entry, const std::string& field) -> std::string {
            auto it = entry.find(field);
            if (it == entry.end()) {
                return "";
            }
            for (const auto& f : item->fields) {
                if (f.id == field) {
                    if (it->is_string()) {
                        for (const auto& c : f.choices) {
                            if (c.value == it->get<std::string>()) {
                                return c.label;
                            }
                        }
                        return it->get<std::string>();
                    }
                    if (it->is_boolean()) {
                        return it->get<bool>() ? lower_first(f.label) : "";
                    }
                    if (it->is_number()) {
                        return lower_first(f.label) + " " + format_number(it->get<double>()) +
                               (f.unit.empty() ? "" : " " + f.unit);
                    }
                }
            }
            return "";
        };
        std::vector<std::string> entries;
        for (const auto& entry : *list) {
            std::string where = field_text(entry, "muscle");
            const std::string side = field_text(entry, "side");
            if (!side.empty()) {
                where += " (" + lower_first(side) + ")";
            }
            std::vector<std::string> features;
            for (const char* f : {"recognised", "referred_pain", "twitch", "jump_sign", "ppt"}) {
                std::string s = field_text(entry, f);
                if (!s.empty()) {
                    features.push_back(s);
                }
            }
            entries.push_back(features.empty() ? where : where + ": " + join_list(features));
        }
        std::string out;
        for (const auto& e : entries) {
            out += (out.empty() ? "" : "; ") + e;
        }
        return out;
    }

    void history() {
        section_heading("history_heading");
        const Values values = history_values();
        std::string sentences;
        auto list = t_.json().find("history");
        if (list != t_.json().end() && list->is_array()) {
            for (const auto& s : *list) {
                if (!s.is_object() || !s.contains("text") || !s["text"].is_string()) {
                    continue;
                }
                bool ok = true;
                if (s.contains("needs") && s["needs"].is_array()) {
                    for (const auto& need : s["needs"]) {
                        auto it =
                            need.is_string() ? values.find(need.get<std::string>()) : values.end();
                        ok = ok && it != values.end() && !it->second.empty();
                    }
                }
                if (ok) {
                    const std::string sentence = upper_first(fill_template(
                        s["text"].get<std::string>(), values, t_.file() + ": /history"));
                    sentences += (sentences.empty() ? "" : " ") + sentence;
                }
            }
        }
        flow_.paragraph(plain(sentences.empty() ? text("history_none") : sentences), kBody);
    }

    void body_chart() {
        ChartMarks marks;
        marks.positive_grade = defs_.rules.acr1990.positive_grade;
        std::size_t examined = 0;
        for (const auto& item : defs_.form.items) {
            if (item.group == "wpi" && is_true(item.id)) {
                marks.painful.insert(item.id);
            }
            if (item.group == "tp") {
                if (const Json* v = answer(item.id); v && v->is_number()) {
                    marks.grades[item.id] = v->get<long>();
                    ++examined;
                }
            }
        }
        const double chart_h = 215;
        flow_.move_down(6);
        flow_.heading(text("chart_heading"), kHeading, kAccent, chart_h);
        const double top = flow_.y();
        const double chart_w = 230;
        draw_body_chart(flow_.page(), flow_.doc(), res_.chart,
                        ChartBox{flow_.left(), top - chart_h, chart_w, chart_h}, marks);
        // The legend and the lists in words beside the chart, so colour never carries meaning
        // alone and nothing depends on seeing the drawing.
        const double x = flow_.left() + chart_w + 16;
        const double w = flow_.left() + flow_.width() - x;
        double y = top - 4;
        const auto column = [&](const RichText& rich, TextStyle style) {
            for (const Line& line : flow_.wrap(rich, style.size, w)) {
                for (const Piece& p : line.pieces) {
                    flow_.page().ops.push_back(
                        TextOp{{x + p.dx, baseline(y, style.size, style.leading)},
                               p.style,
                               style.size,
                               p.colour,
                               p.text});
                }
                y -= style.leading;
            }
            y -= 4;
        };
        // The swatch sits beside the first legend line, the text indented past it.
        flow_.page().ops.push_back(rect_op(x, y - kSmall.leading + 1.5, 14, kSmall.leading - 3.5,
                                           chart_shade(), Colour{0.85, 0.45, 0.3}, 0.4));
        {
            const double saved = y;
            for (const Line& line :
                 flow_.wrap(plain(e_.acr2016.pain_map_recorded()
                                      ? text("chart_legend_areas",
                                             {{"count", std::to_string(marks.painful.size())}})
                                      : text("chart_legend_no_map")),
                            kSmall.size, w - 20)) {
                for (const Piece& p : line.pieces) {
                    flow_.page().ops.push_back(
                        TextOp{{x + 20 + p.dx, baseline(y, kSmall.size, kSmall.leading)},
                               p.style,
                               kSmall.size,
                               p.colour,
                               p.text});
                }
                y -= kSmall.leading;
            }
            y = std::min(y, saved - kSmall.leading) - 4;
        }
        const auto areas = painful_area_labels();
        if (!areas.empty()) {
            column(plain(upper_first(join_list(areas)) + "."), kSmall);
        }
        if (examined > 0) {
            column(plain(text("chart_legend_points",
                              {{"grade", std::to_string(marks.positive_grade)}})),
                   kSmall);
            std::vector<std::string> positive;
            for (const auto& item : defs_.form.items) {
                auto g = marks.grades.find(item.id);
                if (g != marks.grades.end() && g->second >= marks.positive_grade) {
                    positive.push_back(sided(item.label) + " " + std::to_string(g->second));
                }
            }
            if (!positive.empty()) {
                column(plain(upper_first(join_list(positive)) + "."), kSmall);
            }
        } else {
            column(plain(text("chart_legend_no_points")), kSmall);
        }
        const double bottom = std::min(top - chart_h, y);
        flow_.move_down(top - bottom + 4);
    }

    void scores() {
        const auto& acr16 = e_.acr2016;
        const auto& rules = defs_.rules;
        const auto opt = [](const std::optional<int>& v, const char* of) {
            return v ? std::to_string(*v) + of : std::string("not known");
        };
        // Rules 2026.2: without a pain map the WPI, FS, regions and widespread pain are not
        // known; the report says so rather than printing 0.
        std::string regions = text("score_no_pain_map");
        if (acr16.regions) {
            std::vector<std::string> region_labels;
            for (const auto& r : rules.acr2016.regions) {
                if (std::find(acr16.regions->begin(), acr16.regions->end(), r.id) !=
                    acr16.regions->end()) {
                    region_labels.push_back(r.label);
                }
            }
            regions = text("score_regions") + ": " +
                      (region_labels.empty() ? "none" : join_list(region_labels)) + "; " +
                      text("score_generalized", {{"value", describe_map_bool(acr16.generalized)}});
        }
        std::vector<std::vector<RichText>> rows = {
            {plain(text("score_wpi")),
             plain(acr16.wpi ? std::to_string(*acr16.wpi) + "/19" : text("score_not_recorded"),
                   FontStyle::Bold),
             plain(regions)},
            {plain(text("score_sss")), plain(opt(acr16.sss, "/12"), FontStyle::Bold), plain("")},
            {plain(text("score_fs")),
             plain(acr16.pain_map_recorded() ? opt(acr16.fs, "/31") : text("score_not_recorded"),
                   FontStyle::Bold),
             plain("")},
            {plain(rules.acr2016.name, FontStyle::Bold),
             plain(yes_no_unknown(acr16.met), FontStyle::Bold),
             plain(text("score_acr2016_met", {{"value", yes_no_unknown(acr16.met)}}))},
            {plain(text("score_tender", {{"grade", std::to_string(rules.acr1990.positive_grade)}})),
             plain(e_.acr1990.tender_count ? std::to_string(*e_.acr1990.tender_count) + "/18"
                                           : text("score_tender_none"),
                   FontStyle::Bold),
             plain("")},
            {plain(rules.acr1990.name, FontStyle::Bold),
             plain(yes_no_unknown(e_.acr1990.met), FontStyle::Bold),
             plain(text("score_acr1990_met",
                        {{"value", yes_no_unknown(e_.acr1990.met)},
                         {"widespread", describe_map_bool(e_.acr1990.widespread)}}))}};
        const std::vector<Column> columns = {
            {text("col_measure"), 0.44}, {text("col_result"), 0.15}, {text("col_criteria"), 0.41}};
        const TextStyle style{9, 11.8};
        // The scores table is short: keep it whole with its heading, however tall its wording
        // ("pain map not recorded" wraps) makes it.
        section_heading("scores_heading", flow_.table_height(columns, rows, style));
        flow_.table(columns, rows, style, kHeaderFill, true);
        flow_.move_down(3);
        flow_.paragraph(plain(text("criteria_version", {{"rules_version", e_.rules_version},
                                                        {"acr2016_source", rules.acr2016.source},
                                                        {"acr1990_source", rules.acr1990.source}}),
                              FontStyle::Regular, kMuted),
                        kSmall);
    }

    void pattern() {
        const auto& p = defs_.rules.pattern;
        flow_.move_down(6);
        flow_.heading(p.label, kHeading, kAccent, 50);
        const auto& v = e_.pattern.functional_muscle_pain;
        const std::string value = !v   ? text("pattern_value_unknown")
                                  : *v ? text("pattern_value_yes")
                                       : text("pattern_value_no");
        flow_.paragraph(
            plain(text("pattern_line", {{"label", p.label}, {"value", value}}), FontStyle::Bold),
            kBody);
        flow_.paragraph(plain(p.statement, FontStyle::Regular, kMuted), kBody);
        flow_.move_down(2);
        for (std::size_t i = 0; i < e_.pattern.criteria.size() && i < p.criteria.size(); ++i) {
            const auto& c = e_.pattern.criteria[i];
            const std::string mark = !c.value ? "?" : *c.value ? "✓" : "✗";
            const Colour colour = !c.value   ? kMuted
                                  : *c.value ? Colour{0.15, 0.45, 0.25}
                                             : Colour{0.7, 0.1, 0.1};
            flow_.bullet(mark, plain(p.criteria[i].label), kBody, 8, colour);
        }
    }

    std::string rule_source(const std::string& id) const {
        if (const RedFlagRule* f = defs_.rules.flag(id)) {
            return f->source;
        }
        if (const WorkupRule* w = defs_.rules.workup_rule(id)) {
            return w->source;
        }
        return "";
    }

    void tests() {
        section_heading("tests_heading", 60);
        if (e_.tests.empty()) {
            flow_.paragraph(plain(text("tests_none")), kBody);
            return;
        }
        // Sources are numbered once for the section and listed after the tables, so a rule
        // cited by many tests does not repeat its reference in every row.
        std::vector<std::string> sources;
        const auto source_number = [&](const std::string& s) {
            auto it = std::find(sources.begin(), sources.end(), s);
            if (it == sources.end()) {
                sources.push_back(s);
                return sources.size();
            }
            return static_cast<std::size_t>(it - sources.begin()) + 1;
        };
        const TextStyle table_style{8.5, 11.2};
        for (Priority pr : {Priority::Recommended, Priority::Consider}) {
            std::vector<std::vector<RichText>> rows;
            for (const auto& test : e_.tests) {
                if (test.priority != pr) {
                    continue;
                }
                std::string why_text;
                for (const auto& b : test.because) {
                    why_text += (why_text.empty() ? "" : "; ") + describe_finding(defs_, a_, e_, b);
                    const std::string s = rule_source(b);
                    if (!s.empty()) {
                        why_text += " [" + std::to_string(source_number(s)) + "]";
                    }
                }
                rows.push_back({plain(test.name, FontStyle::Bold), plain(why_text)});
            }
            if (rows.empty()) {
                continue;
            }
            flow_.move_down(2);
            flow_.heading(
                text(pr == Priority::Recommended ? "tests_recommended" : "tests_consider"),
                kSubheading, kInk, 40);
            flow_.table({{text("col_test"), 0.36}, {text("col_reason"), 0.64}}, rows, table_style,
                        kHeaderFill);
        }
        if (!sources.empty()) {
            flow_.move_down(3);
            flow_.paragraph(plain(text("col_source"), FontStyle::Bold, kMuted), kSmall);
            for (std::size_t i = 0; i < sources.size(); ++i) {
                flow_.bullet("[" + std::to_string(i + 1) + "]",
                             plain(sources[i], FontStyle::Regular, kMuted), kSmall, 0, kMuted);
            }
        }
    }

    void referrals() {
        section_heading("referrals_heading");
        if (e_.referrals.empty()) {
            flow_.paragraph(plain(text("referrals_none")), kBody);
            return;
        }
        for (const auto& r : e_.referrals) {
            std::vector<std::string> because;
            for (const auto& b : r.because) {
                because.push_back(describe_finding(defs_, a_, e_, b));
            }
            std::string tag = urgency_label(defs_, r.urgency);
            std::transform(tag.begin(), tag.end(), tag.begin(), [](char c) {
                return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
            });
            tagged(tag, urgency_colour(r.urgency),
                   {Span{r.to, FontStyle::Bold, kInk},
                    Span{" — " + join_list(because), FontStyle::Regular, kInk}},
                   kBody);
            flow_.move_down(2);
        }
    }

    void notes() {
        section_heading("notes_heading");
        if (e_.notes.empty() && !a_.notes) {
            flow_.paragraph(plain(text("notes_none")), kBody);
            return;
        }
        for (const auto& n : e_.notes) {
            flow_.bullet("•", plain(n.text), kBody, 0, kAccent);
        }
        if (a_.notes && !a_.notes->empty()) {
            flow_.move_down(3);
            flow_.paragraph({Span{text("free_text_label"), FontStyle::Bold, kInk},
                             Span{*a_.notes, FontStyle::Regular, kInk}},
                            kBody);
        }
    }

    void signature() { draw_signature(flow_, t_, clinician(), kSubheading, kBody, kSmall); }

    const ReportResources& res_;
    const Definitions& defs_;
    const ReportText& t_;
    const Assessment& a_;
    const Evaluation& e_;
    const ReportSettings& settings_;
    Flow flow_;
};

}  // namespace

std::string make_referral(const ReportResources& res, const Assessment& a, const Evaluation& e,
                          const ReportSettings& settings) {
    PdfDocument doc(res.fonts);
    Referral referral(res, a, e, settings, doc);
    auto pages = referral.build();
    return doc.render(pages, kA4Width, kA4Height, referral.title(), settings.pdfa);
}

}  // namespace myo::report
