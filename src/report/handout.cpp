// The patient handout (issue 4): plain language, larger type, no scores. Wording comes from
// reports/handout.json and the advice texts of forms/rules.json.

#include <algorithm>
#include <set>

#include "report/report_common.hpp"

namespace myo::report {

namespace {

const TextStyle kBody{12.5, 17.5};
const TextStyle kHeading{16, 22};
const TextStyle kAdviceTitle{13.5, 19};

class Handout {
  public:
    Handout(const ReportResources& res, const Assessment& a, const Evaluation& e,
            const ReportSettings& settings, PdfDocument& doc)
        : defs_(*res.defs),
          t_(res.handout),
          a_(a),
          e_(e),
          settings_(settings),
          flow_(doc, PageGeometry{kA4Width, kA4Height, 62, 62, 54, 66}) {}

    std::vector<PageOps> build() {
        for (const auto& section : t_.sections()) {
            if (section == "title") {
                title();
            } else if (section == "prompt_care") {
                prompt_care();
            } else if (section == "found") {
                found();
            } else if (section == "plan") {
                plan();
            } else if (section == "get_help") {
                get_help();
            }
        }
        add_footers(flow_, t_.fill("footer_left", {{"name", a_.patient.name}}),
                    t_.get("footer_page"), t_.get("footer_disclaimer"),
                    t_.file() + ": /text/footer_page");
        return std::move(flow_.pages());
    }

    std::string title_text() const { return t_.get("document_title"); }

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

    void heading(const std::string& key) {
        flow_.move_down(10);
        flow_.heading(text(key), kHeading, kAccent, 60);
        flow_.move_down(2);
    }

    void title() {
        flow_.heading(text("title"), {20, 26}, kAccent, 30);
        flow_.move_down(2);
        std::string clinician =
            settings_.clinician.empty() ? a_.clinician.value_or("") : settings_.clinician;
        const std::string part =
            clinician.empty() ? "" : text("clinician_part", {{"clinician", clinician}});
        flow_.paragraph(plain(text("for_line", {{"name", a_.patient.name},
                                                {"date", long_date(a_.date)},
                                                {"clinician", part}}),
                              FontStyle::Regular, kMuted),
                        {11.5, 16});
        if (!settings_.clinic.empty()) {
            flow_.paragraph(plain(settings_.clinic, FontStyle::Regular, kMuted), {11.5, 16});
        }
        flow_.move_down(4);
        const double y = flow_.y();
        flow_.page().ops.push_back(
            line_op({flow_.left(), y}, {flow_.left() + flow_.width(), y}, kAccent, 1.2));
        flow_.move_down(8);
    }

    void prompt_care() {
        std::string key;
        if (e_.red_flags.empty()) {
            return;
        }
        switch (e_.urgency) {
            case Urgency::Emergency:
                key = "prompt_care_emergency";
                break;
            case Urgency::Urgent:
                key = "prompt_care_urgent";
                break;
            case Urgency::Soon:
                key = "prompt_care_soon";
                break;
            case Urgency::Routine:
                return;
        }
        const Colour c = urgency_colour(e_.urgency);
        flow_.begin_box(Colour{1.0, 0.96, 0.94}, c, 2, 12);
        flow_.paragraph(plain(text(key), FontStyle::Bold, kInk), {13.5, 19});
        flow_.end_box();
        flow_.move_down(6);
    }

    // "your left thigh", "both thighs", "your neck", from handout.json's area names.
    std::vector<std::string> area_words() const {
        std::vector<std::string> out;
        std::set<std::string> done;
        const Json& doc = t_.json();
        const auto names = doc.find("areas");
        const auto sides = doc.find("sides");
        const auto side_text = [&](const char* key, const std::string& fallback) {
            if (sides != doc.end() && sides->contains(key) && (*sides)[key].is_string()) {
                return (*sides)[key].get<std::string>();
            }
            return fallback;
        };
        for (const auto& item : defs_.form.items) {
            if (item.group != "wpi" || !is_true(item.id)) {
                continue;
            }
            std::string base = item.id.substr(4);
            std::string side;
            if (base.size() > 2 && (base.ends_with("_l") || base.ends_with("_r"))) {
                side = base.substr(base.size() - 1);
                base = base.substr(0, base.size() - 2);
            }
            if (!done.insert(base).second) {
                continue;
            }
            std::string one = lower_first(item.label);
            std::string both = one;
            if (names != doc.end() && names->contains(base) && (*names)[base].is_array() &&
                (*names)[base].size() == 2) {
                one = (*names)[base][0].get<std::string>();
                both = (*names)[base][1].get<std::string>();
            }
            Values v{{"area", one}, {"areas", both}};
            const std::string where = t_.file() + ": /sides";
            if (side.empty()) {
                out.push_back(fill_template(side_text("single", "your {area}"), v, where));
            } else {
                const bool other = is_true("wpi." + base + (side == "l" ? "_r" : "_l"));
                if (other) {
                    out.push_back(fill_template(side_text("both", "both {areas}"), v, where));
                } else {
                    out.push_back(fill_template(
                        side_text(side == "l" ? "left" : "right",
                                  side == "l" ? "your left {area}" : "your right {area}"),
                        v, where));
                }
            }
        }
        return out;
    }

    // Plain words for the items an advice rule names ("you feel stressed").
    std::vector<std::string> reasons(const std::vector<std::string>& because) const {
        std::vector<std::string> out;
        for (const auto& id : because) {
            auto phrase = t_.phrase("reasons", id);
            if (!phrase) {
                const auto dot = id.find('.');
                if (dot != std::string::npos) {
                    phrase = t_.phrase("reasons", id.substr(0, dot) + ".*");
                }
            }
            if (phrase && std::find(out.begin(), out.end(), *phrase) == out.end()) {
                out.push_back(*phrase);
            }
        }
        return out;
    }

    void found() {
        heading("found_heading");
        const auto areas = area_words();
        std::vector<std::string> paras;
        paras.push_back(areas.empty() ? text("found_no_areas")
                                      : text("found_areas", {{"areas", join_list(areas)}}));
        if (e_.duration_weeks) {
            paras.push_back(
                text(*e_.duration_weeks < 6 ? "found_duration_short" : "found_duration_long",
                     {{"weeks", weeks_text(*e_.duration_weeks)}}));
        }
        if (e_.pattern.functional_muscle_pain.value_or(false)) {
            paras.push_back(text("found_pattern"));
        }
        if (!e_.red_flags.empty()) {
            paras.push_back(text("found_flags"));
        }
        if (!e_.tests.empty()) {
            paras.push_back(text("found_tests"));
        }
        std::vector<std::string> factor_ids;
        for (const auto& item : defs_.form.items) {
            if (item.id.rfind("factor.", 0) == 0 && is_true(item.id)) {
                factor_ids.push_back(item.id);
            }
        }
        const auto factors = reasons(factor_ids);
        if (!factors.empty()) {
            paras.push_back(text("found_factors", {{"factors", join_list(factors)}}));
        }
        for (const auto& p : paras) {
            flow_.paragraph(plain(p), kBody);
            flow_.move_down(5);
        }
    }

    void plan() {
        heading("plan_heading");
        flow_.paragraph(plain(text("plan_intro")), kBody);
        flow_.move_down(6);
        for (const auto& advice : e_.advice) {
            const AdviceRule* rule = defs_.rules.advice_rule(advice.id);
            if (!rule || !rule->points.empty() || advice.id == "seek_care") {
                continue;  // the warning signs get their own box
            }
            flow_.ensure(kAdviceTitle.leading + kBody.leading * 2);
            flow_.bullet("■", plain(rule->title, FontStyle::Bold, kAccent), kAdviceTitle, 0,
                         kAccent);
            flow_.paragraph(plain(rule->text), kBody, 20);
            const auto why = reasons(advice.because);
            if (!why.empty()) {
                flow_.paragraph(plain(text("plan_why", {{"reasons", join_list(why)}}),
                                      FontStyle::Regular, kMuted),
                                {11, 15}, 20);
            }
            flow_.move_down(7);
        }
    }

    void get_help() {
        for (const auto& advice : e_.advice) {
            const AdviceRule* rule = defs_.rules.advice_rule(advice.id);
            if (!rule || (rule->points.empty() && advice.id != "seek_care")) {
                continue;
            }
            flow_.move_down(8);
            const Colour red = urgency_colour(Urgency::Emergency);
            // The warning signs are read as one list: keep the box on one page when it fits.
            const double pad = 12;
            const double inner = flow_.width() - 2 * pad;
            double height = kHeading.leading + 2 * pad + 6;
            height += kBody.leading *
                      static_cast<double>(flow_.wrap(plain(rule->text), kBody.size, inner).size());
            for (const auto& point : rule->points) {
                height +=
                    kBody.leading *
                    static_cast<double>(flow_.wrap(plain(point), kBody.size, inner - 20).size());
            }
            const PageGeometry& g = flow_.geometry();
            flow_.ensure(std::min(height, g.height - g.top - g.bottom));
            flow_.begin_box(Colour{1.0, 0.965, 0.955}, red, 2, pad);
            flow_.heading(rule->title.empty() ? text("get_help_heading") : rule->title, kHeading,
                          red, 40);
            flow_.paragraph(plain(rule->text), kBody);
            flow_.move_down(3);
            for (const auto& point : rule->points) {
                flow_.bullet("•", plain(point), kBody, 4, red);
            }
            flow_.end_box();
        }
    }

    const Definitions& defs_;
    const ReportText& t_;
    const Assessment& a_;
    const Evaluation& e_;
    const ReportSettings& settings_;
    Flow flow_;
};

}  // namespace

std::string make_handout(const ReportResources& res, const Assessment& a, const Evaluation& e,
                         const ReportSettings& settings) {
    PdfDocument doc(res.fonts);
    Handout handout(res, a, e, settings, doc);
    auto pages = handout.build();
    return doc.render(pages, kA4Width, kA4Height, handout.title_text(), settings.pdfa);
}

}  // namespace myo::report
