#include "core/rules.hpp"

#include <set>

#include "core/reader.hpp"

namespace myo {

const char* urgency_id(Urgency u) {
    switch (u) {
        case Urgency::Emergency:
            return "emergency";
        case Urgency::Urgent:
            return "urgent";
        case Urgency::Soon:
            return "soon";
        case Urgency::Routine:
            return "routine";
    }
    return "routine";
}

std::optional<Urgency> parse_urgency(const std::string& id) {
    for (auto u : {Urgency::Emergency, Urgency::Urgent, Urgency::Soon, Urgency::Routine}) {
        if (id == urgency_id(u)) {
            return u;
        }
    }
    return std::nullopt;
}

const char* priority_id(Priority p) {
    return p == Priority::Recommended ? "recommended" : "consider";
}

std::optional<Priority> parse_priority(const std::string& id) {
    if (id == "recommended")
        return Priority::Recommended;
    if (id == "consider")
        return Priority::Consider;
    return std::nullopt;
}

const TestDef* TestCatalogue::find(const std::string& id) const {
    for (const auto& t : tests) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

template <typename T>
static const T* find_by_id(const std::vector<T>& v, const std::string& id) {
    for (const auto& x : v) {
        if (x.id == id) {
            return &x;
        }
    }
    return nullptr;
}

const RedFlagRule* RuleSet::flag(const std::string& id) const {
    return find_by_id(red_flags, id);
}
const WorkupRule* RuleSet::workup_rule(const std::string& id) const {
    return find_by_id(workup, id);
}
const AdviceRule* RuleSet::advice_rule(const std::string& id) const {
    return find_by_id(advice, id);
}

const ChangeMeasure* ChangeRules::measure(const std::string& id) const {
    return find_by_id(measures, id);
}

const UrgencyLevel* RuleSet::level(Urgency u) const {
    for (const auto& l : urgency_levels) {
        if (l.level == u) {
            return &l;
        }
    }
    return nullptr;
}

TestCatalogue load_tests(const Json& doc, std::vector<Problem>& problems) {
    Reader r(problems);
    TestCatalogue cat;
    if (!r.is_object(doc, "")) {
        return cat;
    }
    cat.version = r.string(doc, "", "catalogue_version").value_or("");
    cat.red_flag_only_source = r.string(doc, "", "red_flag_only_source", false).value_or("");
    std::set<std::string> ids;
    if (const Json* arr = r.array(doc, "", "tests")) {
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/tests", i);
            if (!r.is_object((*arr)[i], p)) {
                continue;
            }
            TestDef t;
            t.id = r.string((*arr)[i], p, "id").value_or("");
            t.name = r.string((*arr)[i], p, "name").value_or("");
            t.red_flag_only = r.boolean((*arr)[i], p, "red_flag_only", false).value_or(false);
            if (!t.id.empty() && !ids.insert(t.id).second) {
                r.problem(join_path(p, "id"), "duplicate test id \"" + t.id + "\"");
                continue;
            }
            cat.tests.push_back(std::move(t));
        }
    }
    return cat;
}

namespace {

class RulesLoader {
  public:
    RulesLoader(const FormDef& form, const TestCatalogue& tests, std::vector<Problem>& problems)
        : form_(form), tests_(tests), r_(problems) {
        scope_.form = &form;
        for (auto u : {Urgency::Emergency, Urgency::Urgent, Urgency::Soon, Urgency::Routine}) {
            scope_.urgency_levels.insert(urgency_id(u));
        }
    }

    RuleSet load(const Json& doc) {
        RuleSet rules;
        if (!r_.is_object(doc, "")) {
            return rules;
        }
        static const std::set<std::string> kTop = {
            "rules_version", "about",     "urgency_levels", "derived", "acr2016", "acr1990",
            "pattern",       "red_flags", "workup",         "notes",   "advice",  "change"};
        for (const auto& [key, _] : doc.items()) {
            if (!kTop.count(key)) {
                r_.problem(join_path("", key), "unknown key \"" + key + "\"");
            }
        }
        rules.version = r_.string(doc, "", "rules_version").value_or("");
        load_levels(doc, rules);
        load_derived(doc, rules);
        // Flag ids first: notes may name flag.<id> and tests may only name known flags.
        if (const Json* flags = r_.array(doc, "", "red_flags")) {
            for (const auto& f : *flags) {
                if (f.is_object() && f.contains("id") && f["id"].is_string()) {
                    scope_.flag_ids.insert(f["id"].get<std::string>());
                }
            }
        }
        load_acr2016(doc, rules);
        load_acr1990(doc, rules);
        load_pattern(doc, rules);
        load_flags(doc, rules);
        load_workup(doc, rules);
        load_notes(doc, rules);
        load_advice(doc, rules);
        load_change(doc, rules);
        return rules;
    }

  private:
    ConditionPtr condition(const Json& obj, const std::string& path, const char* key, bool required,
                           bool in_flag = false) {
        auto text = r_.string(obj, path, key, required);
        if (!text) {
            return nullptr;
        }
        std::string p = join_path(path, key);
        ConditionPtr c;
        try {
            c = Condition::parse(*text);
        } catch (const ConditionSyntaxError& e) {
            r_.problem(p, std::string("condition syntax: ") + e.what());
            return nullptr;
        }
        ConditionScope scope = scope_;
        scope.allow_urgency = in_flag;
        for (const auto& msg : c->check(scope)) {
            r_.problem(p, msg);
        }
        return c;
    }

    void unique(std::set<std::string>& seen, const std::string& id, const std::string& path,
                const char* what) {
        if (!id.empty() && !seen.insert(id).second) {
            r_.problem(join_path(path, "id"),
                       std::string("duplicate ") + what + " id \"" + id + "\"");
        }
    }

    void check_test(const std::string& id, const std::string& path, bool from_workup) {
        const TestDef* t = tests_.find(id);
        if (!t) {
            r_.problem(path, "unknown test \"" + id + "\" (not in tests.json)");
        } else if (from_workup && t->red_flag_only) {
            r_.problem(path, "\"" + id +
                                 "\" may only be suggested by a red flag, never by a "
                                 "work-up rule (guardrail in tests.json)");
        }
    }

    std::vector<std::string> item_list(const Json& obj, const std::string& path, const char* key) {
        std::vector<std::string> out;
        auto names = r_.strings(obj, path, key);
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto ids = form_.expand(names[i]);
            if (ids.empty()) {
                r_.problem(join_path(join_path(path, key), i), "unknown item \"" + names[i] + "\"");
            }
            out.insert(out.end(), ids.begin(), ids.end());
        }
        return out;
    }

    void load_levels(const Json& doc, RuleSet& rules) {
        const Json* arr = r_.array(doc, "", "urgency_levels");
        if (!arr) {
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/urgency_levels", i);
            if (!r_.is_object((*arr)[i], p)) {
                continue;
            }
            auto id = r_.string((*arr)[i], p, "id").value_or("");
            auto level = parse_urgency(id);
            if (!level) {
                r_.problem(join_path(p, "id"),
                           "unknown urgency \"" + id + "\" (emergency, urgent, soon or routine)");
                continue;
            }
            unique(seen, id, p, "urgency");
            rules.urgency_levels.push_back({*level, r_.string((*arr)[i], p, "label").value_or(id),
                                            r_.string((*arr)[i], p, "meaning").value_or("")});
        }
        if (seen.size() != 4) {
            r_.problem("/urgency_levels", "must describe emergency, urgent, soon and routine");
        }
    }

    void load_derived(const Json& doc, RuleSet& rules) {
        const Json* d = r_.object(doc, "", "derived");
        if (!d) {
            return;
        }
        if (const Json* cats = r_.array(*d, "/derived", "duration_categories")) {
            std::optional<double> last;
            for (std::size_t i = 0; i < cats->size(); ++i) {
                std::string p = join_path("/derived/duration_categories", i);
                if (!r_.is_object((*cats)[i], p)) {
                    continue;
                }
                DurationCategory c;
                c.id = r_.string((*cats)[i], p, "id").value_or("");
                c.label = r_.string((*cats)[i], p, "label").value_or(c.id);
                c.below_weeks = r_.number((*cats)[i], p, "below_weeks", i + 1 < cats->size());
                if (c.below_weeks && last && *c.below_weeks <= *last) {
                    r_.problem(join_path(p, "below_weeks"), "categories must go up in weeks");
                }
                if (c.below_weeks) {
                    last = c.below_weeks;
                }
                scope_.duration_categories.insert(c.id);
                rules.duration_categories.push_back(std::move(c));
            }
        }
        if (const Json* w = r_.object(*d, "/derived", "weight_loss")) {
            rules.weight_loss_max_interval_months =
                r_.number(*w, "/derived/weight_loss", "max_interval_months").value_or(0);
            rules.weight_loss_decimals =
                static_cast<int>(r_.number(*w, "/derived/weight_loss", "decimals").value_or(1));
            rules.weight_loss_source =
                r_.string(*w, "/derived/weight_loss", "source", false).value_or("");
        }
    }

    void load_acr2016(const Json& doc, RuleSet& rules) {
        const Json* a = r_.object(doc, "", "acr2016");
        if (!a) {
            return;
        }
        const std::string p = "/acr2016";
        auto& out = rules.acr2016;
        out.name = r_.string(*a, p, "name").value_or("");
        out.source = r_.string(*a, p, "source").value_or("");
        out.wpi_items = item_list(*a, p, "wpi_items");
        out.sss_graded = item_list(*a, p, "sss_graded");
        out.sss_present = item_list(*a, p, "sss_present");
        out.not_counted_for_regions = item_list(*a, p, "not_counted_for_regions");
        out.generalized_min_regions =
            static_cast<int>(r_.number(*a, p, "generalized_min_regions").value_or(0));
        out.min_duration_weeks = r_.number(*a, p, "min_duration_weeks").value_or(0);
        if (const Json* regions = r_.array(*a, p, "regions")) {
            for (std::size_t i = 0; i < regions->size(); ++i) {
                std::string rp = join_path(p + "/regions", i);
                if (!r_.is_object((*regions)[i], rp)) {
                    continue;
                }
                Region reg;
                reg.id = r_.string((*regions)[i], rp, "id").value_or("");
                reg.label = r_.string((*regions)[i], rp, "label").value_or(reg.id);
                reg.areas = item_list((*regions)[i], rp, "areas");
                out.regions.push_back(std::move(reg));
            }
        }
        if (const Json* ts = r_.array(*a, p, "thresholds")) {
            for (std::size_t i = 0; i < ts->size(); ++i) {
                std::string tp = join_path(p + "/thresholds", i);
                if (!r_.is_object((*ts)[i], tp)) {
                    continue;
                }
                Threshold t;
                t.wpi_min = static_cast<int>(r_.number((*ts)[i], tp, "wpi_min").value_or(0));
                if (auto mx = r_.number((*ts)[i], tp, "wpi_max", false)) {
                    t.wpi_max = static_cast<int>(*mx);
                }
                t.sss_min = static_cast<int>(r_.number((*ts)[i], tp, "sss_min").value_or(0));
                out.thresholds.push_back(t);
            }
        }
        for (const auto& id : out.sss_graded) {
            const ItemDef* item = form_.find(id);
            if (item && item->type != ItemType::Int) {
                r_.problem(p + "/sss_graded", "\"" + id + "\" must be an int item");
            }
        }
        for (const auto& id : out.sss_present) {
            const ItemDef* item = form_.find(id);
            if (item && item->type != ItemType::Bool) {
                r_.problem(p + "/sss_present", "\"" + id + "\" must be a bool item");
            }
        }
    }

    void load_acr1990(const Json& doc, RuleSet& rules) {
        const Json* a = r_.object(doc, "", "acr1990");
        if (!a) {
            return;
        }
        const std::string p = "/acr1990";
        auto& out = rules.acr1990;
        out.name = r_.string(*a, p, "name").value_or("");
        out.source = r_.string(*a, p, "source").value_or("");
        out.tender_points = item_list(*a, p, "tender_points");
        out.positive_grade = static_cast<int>(r_.number(*a, p, "positive_grade").value_or(0));
        out.min_tender_points = static_cast<int>(r_.number(*a, p, "min_tender_points").value_or(0));
        out.min_duration_weeks = r_.number(*a, p, "min_duration_weeks").value_or(0);
        if (const Json* w = r_.object(*a, p, "widespread")) {
            std::string wp = p + "/widespread";
            out.left = item_list(*w, wp, "left");
            out.right = item_list(*w, wp, "right");
            out.above_waist = item_list(*w, wp, "above_waist");
            out.below_waist = item_list(*w, wp, "below_waist");
            out.axial = item_list(*w, wp, "axial");
        }
    }

    void load_pattern(const Json& doc, RuleSet& rules) {
        const Json* a = r_.object(doc, "", "pattern");
        if (!a) {
            return;
        }
        const std::string p = "/pattern";
        rules.pattern.label = r_.string(*a, p, "label").value_or("");
        rules.pattern.statement = r_.string(*a, p, "statement").value_or("");
        rules.pattern.source = r_.string(*a, p, "source").value_or("");
        std::set<std::string> seen;
        if (const Json* cs = r_.array(*a, p, "criteria")) {
            for (std::size_t i = 0; i < cs->size(); ++i) {
                std::string cp = join_path(p + "/criteria", i);
                if (!r_.is_object((*cs)[i], cp)) {
                    continue;
                }
                PatternCriterion c;
                c.id = r_.string((*cs)[i], cp, "id").value_or("");
                unique(seen, c.id, cp, "criterion");
                c.label = r_.string((*cs)[i], cp, "label").value_or("");
                c.when = condition((*cs)[i], cp, "when", true);
                if ((*cs)[i].contains("null_if_absent")) {
                    c.null_if_absent = item_list((*cs)[i], cp, "null_if_absent");
                }
                rules.pattern.criteria.push_back(std::move(c));
            }
        }
    }

    void load_flags(const Json& doc, RuleSet& rules) {
        const Json* arr = r_.array(doc, "", "red_flags");
        if (!arr) {
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/red_flags", i);
            const Json& obj = (*arr)[i];
            if (!r_.is_object(obj, p)) {
                continue;
            }
            RedFlagRule f;
            f.id = r_.string(obj, p, "id").value_or("");
            unique(seen, f.id, p, "red flag");
            f.label = r_.string(obj, p, "label").value_or("");
            f.rule = r_.string(obj, p, "rule").value_or("");
            f.source = r_.string(obj, p, "source").value_or("");
            f.trigger = condition(obj, p, "trigger", true);
            if (const Json* us = r_.array(obj, p, "urgency")) {
                for (std::size_t k = 0; k < us->size(); ++k) {
                    std::string up = join_path(p + "/urgency", k);
                    if (!r_.is_object((*us)[k], up)) {
                        continue;
                    }
                    UrgencyOption o;
                    o.when = condition((*us)[k], up, "when", false, false);
                    auto level = r_.string((*us)[k], up, "level").value_or("");
                    auto u = parse_urgency(level);
                    if (!u || *u == Urgency::Routine) {
                        r_.problem(join_path(up, "level"),
                                   "unknown urgency \"" + level + "\" (emergency, urgent or soon)");
                    } else {
                        o.level = *u;
                    }
                    f.urgency.push_back(o);
                }
                if (f.urgency.empty() || f.urgency.back().when) {
                    r_.problem(p + "/urgency",
                               "the last urgency must have no \"when\" (the default)");
                }
            }
            if (const Json* as = r_.array(obj, p, "action")) {
                for (std::size_t k = 0; k < as->size(); ++k) {
                    std::string ap = join_path(p + "/action", k);
                    if (!r_.is_object((*as)[k], ap)) {
                        continue;
                    }
                    f.action.push_back({condition((*as)[k], ap, "when", false, true),
                                        r_.string((*as)[k], ap, "text").value_or("")});
                }
            }
            if (const Json* ts = r_.array(obj, p, "tests")) {
                std::set<std::string> test_ids;
                for (std::size_t k = 0; k < ts->size(); ++k) {
                    std::string tp = join_path(p + "/tests", k);
                    if (!r_.is_object((*ts)[k], tp)) {
                        continue;
                    }
                    FlagTest t;
                    t.test = r_.string((*ts)[k], tp, "id").value_or("");
                    check_test(t.test, join_path(tp, "id"), false);
                    if (!test_ids.insert(t.test).second) {
                        r_.problem(join_path(tp, "id"), "test \"" + t.test + "\" listed twice");
                    }
                    auto prio = r_.string((*ts)[k], tp, "priority", false).value_or("recommended");
                    if (auto pr = parse_priority(prio)) {
                        t.priority = *pr;
                    } else {
                        r_.problem(join_path(tp, "priority"),
                                   "unknown priority \"" + prio + "\" (recommended or consider)");
                    }
                    t.when = condition((*ts)[k], tp, "when", false, true);
                    f.tests.push_back(std::move(t));
                }
            }
            if (const Json* rs = r_.array(obj, p, "referrals")) {
                for (std::size_t k = 0; k < rs->size(); ++k) {
                    std::string rp = join_path(p + "/referrals", k);
                    if (!r_.is_object((*rs)[k], rp)) {
                        continue;
                    }
                    f.referrals.push_back({r_.string((*rs)[k], rp, "to").value_or(""),
                                           condition((*rs)[k], rp, "when", false, true)});
                }
            }
            rules.red_flags.push_back(std::move(f));
        }
    }

    void load_workup(const Json& doc, RuleSet& rules) {
        const Json* arr = r_.array(doc, "", "workup");
        if (!arr) {
            return;
        }
        std::set<std::string> seen(scope_.flag_ids);
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/workup", i);
            const Json& obj = (*arr)[i];
            if (!r_.is_object(obj, p)) {
                continue;
            }
            WorkupRule w;
            w.id = r_.string(obj, p, "id").value_or("");
            unique(seen, w.id, p, "rule");
            w.label = r_.string(obj, p, "label").value_or("");
            w.rule = r_.string(obj, p, "rule").value_or("");
            w.source = r_.string(obj, p, "source").value_or("");
            w.when = condition(obj, p, "when", true);
            w.tests = r_.strings(obj, p, "tests");
            for (std::size_t k = 0; k < w.tests.size(); ++k) {
                check_test(w.tests[k], join_path(p + "/tests", k), true);
            }
            auto prio = r_.string(obj, p, "priority").value_or("recommended");
            if (auto pr = parse_priority(prio)) {
                w.priority = *pr;
            } else {
                r_.problem(join_path(p, "priority"),
                           "unknown priority \"" + prio + "\" (recommended or consider)");
            }
            rules.workup.push_back(std::move(w));
        }
    }

    void load_notes(const Json& doc, RuleSet& rules) {
        const Json* arr = r_.array(doc, "", "notes", false);
        if (!arr) {
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/notes", i);
            const Json& obj = (*arr)[i];
            if (!r_.is_object(obj, p)) {
                continue;
            }
            NoteRule n;
            n.id = r_.string(obj, p, "id").value_or("");
            unique(seen, n.id, p, "note");
            n.when = condition(obj, p, "when", true);
            n.suppress_tests = r_.boolean(obj, p, "suppress_tests", false).value_or(false);
            n.text = r_.string(obj, p, "text").value_or("");
            n.source = r_.string(obj, p, "source").value_or("");
            rules.notes.push_back(std::move(n));
        }
    }

    void load_advice(const Json& doc, RuleSet& rules) {
        const Json* arr = r_.array(doc, "", "advice");
        if (!arr) {
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/advice", i);
            const Json& obj = (*arr)[i];
            if (!r_.is_object(obj, p)) {
                continue;
            }
            AdviceRule a;
            a.id = r_.string(obj, p, "id").value_or("");
            unique(seen, a.id, p, "advice");
            a.when = condition(obj, p, "when", true);
            a.title = r_.string(obj, p, "title").value_or("");
            a.gist = r_.string(obj, p, "gist").value_or("");
            a.text = r_.string(obj, p, "text").value_or("");
            a.source = r_.string(obj, p, "source").value_or("");
            if (obj.contains("points")) {
                a.points = r_.strings(obj, p, "points");
            }
            rules.advice.push_back(std::move(a));
        }
    }

    void load_change(const Json& doc, RuleSet& rules) {
        const Json* c = r_.object(doc, "", "change");
        if (!c) {
            return;
        }
        static const std::set<std::string> kDerived = {"tender_count", "wpi",          "sss",
                                                       "fs",           "psfs_average", "psfs.*"};
        std::set<std::string> seen;
        if (const Json* arr = r_.array(*c, "/change", "measures")) {
            for (std::size_t i = 0; i < arr->size(); ++i) {
                std::string p = join_path("/change/measures", i);
                const Json& obj = (*arr)[i];
                if (!r_.is_object(obj, p)) {
                    continue;
                }
                ChangeMeasure m;
                m.id = r_.string(obj, p, "id").value_or("");
                unique(seen, m.id, p, "measure");
                m.label = r_.string(obj, p, "label").value_or("");
                m.value = r_.string(obj, p, "value").value_or("");
                m.unit = r_.string(obj, p, "unit", false).value_or("");
                m.source = r_.string(obj, p, "source").value_or("");
                auto better = r_.string(obj, p, "better").value_or("lower");
                if (better != "lower" && better != "higher") {
                    r_.problem(join_path(p, "better"),
                               "expected \"lower\" or \"higher\", got \"" + better + "\"");
                }
                m.higher_is_better = better == "higher";
                if (!kDerived.count(m.value)) {
                    auto ids = form_.expand(m.value);
                    if (ids.empty()) {
                        r_.problem(join_path(p, "value"),
                                   "unknown item or score \"" + m.value + "\"");
                    }
                    for (const auto& id : ids) {
                        const ItemDef* item = form_.find(id);
                        if (item->type != ItemType::Int && item->type != ItemType::Num) {
                            r_.problem(join_path(p, "value"),
                                       "\"" + id + "\" is not a numeric item");
                        }
                    }
                }
                if (const Json* imp = r_.object(obj, p, "important", false)) {
                    std::string ip = join_path(p, "important");
                    m.important_points = r_.number(*imp, ip, "points", false);
                    m.important_percent = r_.number(*imp, ip, "percent", false);
                    auto combine = r_.string(*imp, ip, "combine", false).value_or("either");
                    if (combine != "either" && combine != "both") {
                        r_.problem(join_path(ip, "combine"),
                                   "expected \"either\" or \"both\", got \"" + combine + "\"");
                    }
                    m.require_both = combine == "both";
                    if (!m.important_points && !m.important_percent) {
                        r_.problem(ip, "needs points, percent or both");
                    }
                }
                rules.change.measures.push_back(std::move(m));
            }
        }
        rules.change.charts = r_.strings(*c, "/change", "charts", false);
        for (std::size_t i = 0; i < rules.change.charts.size(); ++i) {
            if (!seen.count(rules.change.charts[i])) {
                r_.problem(join_path("/change/charts", i),
                           "unknown measure \"" + rules.change.charts[i] + "\"");
            }
        }
    }

    const FormDef& form_;
    const TestCatalogue& tests_;
    Reader r_;
    ConditionScope scope_;
};

}  // namespace

RuleSet load_rules(const Json& doc, const FormDef& form, const TestCatalogue& tests,
                   std::vector<Problem>& problems) {
    RulesLoader loader(form, tests, problems);
    return loader.load(doc);
}

}  // namespace myo
