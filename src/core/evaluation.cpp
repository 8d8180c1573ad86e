#include "core/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/dates.hpp"

namespace myo {

const FlagResult* Evaluation::flag(const std::string& id) const {
    for (const auto& f : red_flags) {
        if (f.id == id) {
            return &f;
        }
    }
    return nullptr;
}

namespace {

// The item ids of the contract that the derived values read (assessment-format.md 2).
constexpr const char* kDuration = "duration_weeks";
constexpr const char* kWeight = "exam.weight_kg";
constexpr const char* kWeightPrev = "exam.weight_prev_kg";
constexpr const char* kWeightPrevMonths = "exam.weight_prev_months";

const Json* answer(const Json& answers, const std::string& id) {
    auto it = answers.find(id);
    return it == answers.end() ? nullptr : &*it;
}

std::optional<double> number(const Json& answers, const std::string& id) {
    const Json* v = answer(answers, id);
    if (!v || !v->is_number()) {
        return std::nullopt;
    }
    return v->get<double>();
}

bool is_true(const Json& answers, const std::string& id) {
    const Json* v = answer(answers, id);
    return v && *v == true;
}

bool any_true(const Json& answers, const std::vector<std::string>& ids) {
    return std::any_of(ids.begin(), ids.end(),
                       [&](const std::string& id) { return is_true(answers, id); });
}

bool answered(const Json& answers, const std::string& id) {
    const Json* v = answer(answers, id);
    return v && !v->is_null() && !(v->is_string() && *v == "unknown");
}

Tri tri(std::optional<bool> b) {
    return !b ? Tri::Unknown : *b ? Tri::True : Tri::False;
}

std::optional<std::string> duration_category(const RuleSet& rules, std::optional<double> weeks) {
    if (!weeks) {
        return std::nullopt;
    }
    for (const auto& c : rules.duration_categories) {
        if (!c.below_weeks || *weeks < *c.below_weeks) {
            return c.id;
        }
    }
    return std::nullopt;
}

std::optional<double> weight_loss(const RuleSet& rules, const Json& answers) {
    auto now = number(answers, kWeight);
    auto prev = number(answers, kWeightPrev);
    auto months = number(answers, kWeightPrevMonths);
    if (!now || !prev || !months || *months > rules.weight_loss_max_interval_months || *prev <= 0) {
        return std::nullopt;
    }
    double scale = std::pow(10.0, rules.weight_loss_decimals);
    return std::round((*prev - *now) / *prev * 100.0 * scale) / scale;
}

// ACR 2016 (clinical.md 2), including the min/max treatment of missing SSS items, duration and
// an unrecorded pain map.
Acr2016Result acr2016(const Definitions& defs, const Json& answers, std::optional<double> weeks) {
    const Acr2016Params& p = defs.rules.acr2016;
    Acr2016Result r;
    const bool mapped = pain_map_recorded(defs, answers);
    int wpi = 0;
    for (const auto& id : p.wpi_items) {
        wpi += is_true(answers, id) ? 1 : 0;
    }
    int sss_min = 0;
    int sss_max = 0;
    bool complete = true;
    for (const auto& id : p.sss_graded) {
        if (auto v = number(answers, id)) {
            sss_min += static_cast<int>(*v);
            sss_max += static_cast<int>(*v);
        } else {
            complete = false;
            const ItemDef* item = defs.form.find(id);
            sss_max += item && item->max ? static_cast<int>(*item->max) : 0;
        }
    }
    for (const auto& id : p.sss_present) {
        if (const Json* v = answer(answers, id)) {
            sss_min += *v == true ? 1 : 0;
            sss_max += *v == true ? 1 : 0;
        } else {
            complete = false;
            sss_max += 1;
        }
    }
    if (complete) {
        r.sss = sss_min;
    }
    bool generalized = false;
    if (mapped) {
        std::set<std::string> excluded(p.not_counted_for_regions.begin(),
                                       p.not_counted_for_regions.end());
        std::vector<std::string> regions;
        for (const auto& region : p.regions) {
            bool counts = std::any_of(
                region.areas.begin(), region.areas.end(),
                [&](const std::string& id) { return !excluded.count(id) && is_true(answers, id); });
            if (counts) {
                regions.push_back(region.id);
            }
        }
        generalized = static_cast<int>(regions.size()) >= p.generalized_min_regions;
        r.wpi = wpi;
        r.regions = std::move(regions);
        r.generalized = generalized;
        if (r.sss) {
            r.fs = wpi + *r.sss;
        }
    }
    auto meets = [&](int w, bool gen, int sss, bool long_enough) {
        bool scores =
            std::any_of(p.thresholds.begin(), p.thresholds.end(), [&](const Threshold& t) {
                return w >= t.wpi_min && (!t.wpi_max || w <= *t.wpi_max) && sss >= t.sss_min;
            });
        return scores && gen && long_enough;
    };
    // The both-ways rule: every unknown is tried at both ends; agreement decides.
    std::vector<std::pair<int, bool>> maps;
    if (mapped) {
        maps.push_back({wpi, generalized});
    } else {
        maps = {{0, false}, {static_cast<int>(p.wpi_items.size()), true}};
    }
    std::vector<bool> durations;
    if (weeks) {
        durations.push_back(*weeks >= p.min_duration_weeks);
    } else {
        durations = {false, true};
    }
    std::set<bool> outcomes;
    for (const auto& [w, gen] : maps) {
        for (bool d : durations) {
            outcomes.insert(meets(w, gen, sss_min, d));
            outcomes.insert(meets(w, gen, sss_max, d));
        }
    }
    if (outcomes.size() == 1) {
        r.met = *outcomes.begin();
    }
    return r;
}

Acr1990Result acr1990(const Definitions& defs, const Json& answers, std::optional<double> weeks) {
    const Acr1990Params& p = defs.rules.acr1990;
    Acr1990Result r;
    bool any_examined = false;
    int count = 0;
    for (const auto& id : p.tender_points) {
        if (auto v = number(answers, id)) {
            any_examined = true;
            count += *v >= p.positive_grade ? 1 : 0;
        }
    }
    if (any_examined) {
        r.tender_count = count;
    }
    if (pain_map_recorded(defs, answers)) {
        r.widespread = any_true(answers, p.left) && any_true(answers, p.right) &&
                       any_true(answers, p.above_waist) && any_true(answers, p.below_waist) &&
                       any_true(answers, p.axial);
    }
    Tri tender = r.tender_count ? tri(*r.tender_count >= p.min_tender_points) : Tri::Unknown;
    Tri duration = weeks ? tri(*weeks >= p.min_duration_weeks) : Tri::Unknown;
    r.met = to_optional(tri_and(tri_and(tri(r.widespread), tender), duration));
    return r;
}

template <typename T>
const T* first_applicable(const std::vector<T>& options, const Facts& facts) {
    for (const auto& o : options) {
        if (!o.when || o.when->evaluate(facts).value == Tri::True) {
            return &o;
        }
    }
    return nullptr;
}

struct TestAccumulator {
    Priority priority = Priority::Consider;
    std::set<std::string> because;
};

}  // namespace

bool pain_map_recorded(const Definitions& defs, const Json& answers) {
    const auto& ids = defs.rules.acr2016.wpi_items;
    return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
        const Json* v = answer(answers, id);
        return v && v->is_boolean();
    });
}

Evaluation evaluate(const Definitions& defs, const Assessment& a) {
    const RuleSet& rules = defs.rules;
    const Json& answers = a.answers;
    Evaluation e;
    e.rules_version = rules.version;

    auto birth = parse_iso_date(a.patient.birth_date);
    auto visit = parse_iso_date(a.date);
    if (birth && visit) {
        e.age = whole_years(*birth, *visit);
    }
    e.duration_weeks = number(answers, kDuration);
    e.duration_category = duration_category(rules, e.duration_weeks);
    e.weight_loss_percent = weight_loss(rules, answers);
    e.acr2016 = acr2016(defs, answers, e.duration_weeks);
    e.acr1990 = acr1990(defs, answers, e.duration_weeks);

    Facts facts;
    facts.form = &defs.form;
    facts.answers = &answers;
    facts.age = e.age;
    facts.duration_category = e.duration_category;
    facts.weight_loss_percent = e.weight_loss_percent;

    // Red flags: positive only when the trigger is true; an unanswered question leaves the
    // trigger unknown, which keeps "no red flags" from being claimed.
    std::map<std::string, TestAccumulator> tests;
    std::set<std::string> positive;
    Tri any_flag = Tri::False;
    for (const auto& rule : rules.red_flags) {
        Outcome trigger = rule.trigger->evaluate(facts);
        any_flag = tri_or(any_flag, trigger.value);
        if (trigger.value != Tri::True) {
            continue;
        }
        positive.insert(rule.id);
        FlagResult f;
        f.id = rule.id;
        f.because = trigger.because;
        f.label = rule.label;
        f.rule = rule.rule;
        f.source = rule.source;
        if (const UrgencyOption* u = first_applicable(rule.urgency, facts)) {
            f.urgency = u->level;
        }
        Facts flag_facts = facts;
        flag_facts.urgency = urgency_id(f.urgency);
        if (const ActionText* act = first_applicable(rule.action, flag_facts)) {
            f.action = act->text;
        }
        for (const auto& t : rule.tests) {
            if (!t.when || t.when->evaluate(flag_facts).value == Tri::True) {
                auto& acc = tests[t.test];
                acc.priority = std::min(acc.priority, t.priority);
                acc.because.insert(rule.id);
            }
        }
        for (const auto& ref : rule.referrals) {
            if (ref.when && ref.when->evaluate(flag_facts).value != Tri::True) {
                continue;
            }
            auto same = std::find_if(e.referrals.begin(), e.referrals.end(),
                                     [&](const ReferralResult& r) { return r.to == ref.to; });
            if (same == e.referrals.end()) {
                e.referrals.push_back({ref.to, f.urgency, {rule.id}});
            } else {
                same->urgency = std::min(same->urgency, f.urgency);
                same->because.push_back(rule.id);
            }
        }
        e.urgency = std::min(e.urgency, f.urgency);
        e.red_flags.push_back(std::move(f));
    }
    facts.any_red_flag = any_flag;
    facts.red_flag_count = static_cast<int>(positive.size());
    facts.positive_flags = &positive;

    // Functional muscle-pain pattern (clinical.md 4).
    bool any_false = false;
    bool any_null = false;
    for (const auto& c : rules.pattern.criteria) {
        CriterionResult cr{c.id, std::nullopt};
        bool all_absent =
            !c.null_if_absent.empty() &&
            std::none_of(c.null_if_absent.begin(), c.null_if_absent.end(),
                         [&](const std::string& id) { return answered(answers, id); });
        if (!all_absent) {
            cr.value = to_optional(c.when->evaluate(facts).value);
        }
        any_false = any_false || (cr.value && !*cr.value);
        any_null = any_null || !cr.value;
        e.pattern.criteria.push_back(cr);
    }
    if (any_false) {
        e.pattern.functional_muscle_pain = false;
    } else if (!any_null) {
        e.pattern.functional_muscle_pain = true;
    }

    for (const auto& rule : rules.workup) {
        if (rule.when->evaluate(facts).value != Tri::True) {
            continue;
        }
        for (const auto& id : rule.tests) {
            auto& acc = tests[id];
            acc.priority = std::min(acc.priority, rule.priority);
            acc.because.insert(rule.id);
        }
    }

    bool suppress_tests = false;
    for (const auto& note : rules.notes) {
        Outcome o = note.when->evaluate(facts);
        if (o.value == Tri::True) {
            e.notes.push_back({note.id, note.text, o.because});
            suppress_tests = suppress_tests || note.suppress_tests;
        }
    }
    if (!suppress_tests) {
        for (const auto& [id, acc] : tests) {  // std::map: sorted by id
            const TestDef* def = defs.tests.find(id);
            e.tests.push_back({id, def ? def->name : id, acc.priority,
                               std::vector<std::string>(acc.because.begin(), acc.because.end())});
        }
    }

    for (const auto& rule : rules.advice) {
        Outcome o = rule.when->evaluate(facts);
        if (o.value == Tri::True) {
            e.advice.push_back({rule.id, o.because});
        }
    }

    for (const auto& item : defs.form.items) {
        if (item.type == ItemType::YesNo && item.id.rfind("rf.", 0) == 0 &&
            !answered(answers, item.id)) {
            e.unscreened.push_back(item.id);
        }
    }
    return e;
}

namespace {

Json number_json(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        return static_cast<long long>(v);
    }
    return v;
}

template <typename T>
Json optional_json(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}

}  // namespace

Json evaluation_to_json(const Evaluation& e, const Definitions& defs) {
    Json out = Json::object();
    out["format"] = kEvaluationFormat;
    out["version"] = kEvaluationVersion;
    out["rules_version"] = e.rules_version;
    out["age"] = optional_json(e.age);
    out["duration"] =
        Json{{"weeks", e.duration_weeks ? number_json(*e.duration_weeks) : Json(nullptr)},
             {"category", optional_json(e.duration_category)}};
    out["weight_loss_percent"] = optional_json(e.weight_loss_percent);
    out["acr2016"] = Json{{"wpi", optional_json(e.acr2016.wpi)},
                          {"sss", optional_json(e.acr2016.sss)},
                          {"fs", optional_json(e.acr2016.fs)},
                          {"regions", optional_json(e.acr2016.regions)},
                          {"generalized", optional_json(e.acr2016.generalized)},
                          {"met", optional_json(e.acr2016.met)}};
    out["acr1990"] = Json{{"tender_count", optional_json(e.acr1990.tender_count)},
                          {"widespread", optional_json(e.acr1990.widespread)},
                          {"met", optional_json(e.acr1990.met)}};
    Json criteria = Json::object();
    for (const auto& c : e.pattern.criteria) {
        criteria[c.id] = optional_json(c.value);
    }
    out["pattern"] =
        Json{{"functional_muscle_pain", optional_json(e.pattern.functional_muscle_pain)},
             {"criteria", criteria}};
    out["urgency"] = urgency_id(e.urgency);
    Json flags = Json::array();
    for (const auto& f : e.red_flags) {
        flags.push_back(Json{{"id", f.id},
                             {"urgency", urgency_id(f.urgency)},
                             {"because", f.because},
                             {"label", f.label},
                             {"rule", f.rule},
                             {"action", f.action},
                             {"source", f.source}});
    }
    out["red_flags"] = flags;
    out["unscreened"] = e.unscreened;
    Json tests = Json::array();
    for (const auto& t : e.tests) {
        tests.push_back(Json{{"id", t.id},
                             {"name", t.name},
                             {"priority", priority_id(t.priority)},
                             {"because", t.because}});
    }
    out["tests"] = tests;
    Json referrals = Json::array();
    for (const auto& r : e.referrals) {
        referrals.push_back(
            Json{{"to", r.to}, {"urgency", urgency_id(r.urgency)}, {"because", r.because}});
    }
    out["referrals"] = referrals;
    Json advice = Json::array();
    for (const auto& a : e.advice) {
        const AdviceRule* rule = defs.rules.advice_rule(a.id);
        advice.push_back(
            Json{{"id", a.id}, {"title", rule ? rule->title : a.id}, {"because", a.because}});
    }
    out["advice"] = advice;
    Json notes = Json::array();
    for (const auto& n : e.notes) {
        notes.push_back(Json{{"id", n.id}, {"text", n.text}, {"because", n.because}});
    }
    out["notes"] = notes;
    return out;
}

}  // namespace myo
