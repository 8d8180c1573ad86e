#include "core/text_summary.hpp"

#include "core/describe.hpp"

namespace myo {

namespace {

std::string upper(std::string s) {
    for (auto& c : s) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return s;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : sep) + p;
    }
    return out;
}

std::string opt_int(const std::optional<int>& v, const std::string& suffix,
                    const std::string& missing = "not known") {
    return v ? std::to_string(*v) + suffix : missing;
}

}  // namespace

std::vector<SummaryLine> evaluation_lines(const Definitions& defs, const Assessment& a,
                                          const Evaluation& e) {
    using Role = SummaryLine::Role;
    std::vector<SummaryLine> out;
    auto add = [&out](Role role, int indent, std::string lead, std::string text,
                      std::optional<Urgency> urgency = std::nullopt) {
        out.push_back({role, indent, std::move(lead), std::move(text), urgency});
    };
    auto blank = [&]() { add(Role::kBlank, 0, "", ""); };
    const RuleSet& rules = defs.rules;
    add(Role::kTitle, 0, "", "MyoScreen evaluation (rules " + e.rules_version + ")");
    std::string patient = a.patient.name + " (" + a.patient.id + "), born " + a.patient.birth_date;
    if (e.age) {
        patient += ", " + std::to_string(*e.age) + " years";
    }
    add(Role::kField, 0, "Patient:  ", patient);
    std::string visit = a.date;
    if (a.kind) {
        visit += ", " + (*a.kind == "follow_up" ? std::string("follow-up") : *a.kind);
    }
    if (a.clinician) {
        visit += ", " + *a.clinician;
    }
    add(Role::kField, 0, "Visit:    ", visit);
    blank();

    std::string urgency = upper(urgency_label(defs, e.urgency));
    if (const UrgencyLevel* level = rules.level(e.urgency)) {
        urgency += " (" + level->meaning + ")";
    }
    add(Role::kUrgency, 0, "Urgency:  ", urgency, e.urgency);
    blank();

    add(Role::kHeading, 0, "Red flags: ",
        e.red_flags.empty() ? "none positive" : std::to_string(e.red_flags.size()) + " positive");
    for (const auto& f : e.red_flags) {
        add(Role::kFlag, 2, "[" + upper(urgency_label(defs, f.urgency)) + "] ", f.label, f.urgency);
        for (const auto& b : f.because) {
            add(Role::kDetail, 6, "finding: ", describe_finding(defs, a, e, b));
        }
        add(Role::kDetail, 6, "rule:    ", f.rule);
        add(Role::kDetail, 6, "action:  ", f.action);
        add(Role::kDetail, 6, "source:  ", f.source);
    }
    if (e.unscreened.empty()) {
        add(Role::kHeading, 0, "Not screened: ", "none (every red-flag question was answered)");
    } else {
        add(Role::kHeading, 0, "Not screened ",
            "(" + std::to_string(e.unscreened.size()) + "): not asked or answered \"unknown\"");
        for (const auto& question : unscreened_questions(defs, e)) {
            add(Role::kItem, 2, "- ", question);
        }
    }
    blank();

    add(Role::kField, 0, "Duration:    ",
        e.duration_weeks ? format_number(*e.duration_weeks) + " weeks (" +
                               e.duration_category.value_or("?") + ")"
                         : std::string("not recorded"));
    add(Role::kField, 0, "Weight loss: ",
        e.weight_loss_percent
            ? format_number(*e.weight_loss_percent) + " %"
            : std::string("not computed (needs today's and a previous weight within ") +
                  format_number(rules.weight_loss_max_interval_months) + " months)");
    blank();

    add(Role::kHeading, 0, "", rules.acr2016.name);
    const std::string sss = opt_int(e.acr2016.sss, "/12", "not known (symptoms not all asked)");
    if (e.acr2016.regions) {
        add(Role::kText, 2, "",
            "WPI " + describe_wpi(e.acr2016, "/19") + ", SSS " + sss + ", FS " +
                describe_fs(e.acr2016, "/31"));
        std::vector<std::string> region_labels;
        for (const auto& r : rules.acr2016.regions) {
            for (const auto& id : *e.acr2016.regions) {
                if (id == r.id) {
                    region_labels.push_back(r.label);
                }
            }
        }
        add(Role::kText, 2, "",
            "Regions with pain: " + (region_labels.empty() ? "none" : join(region_labels, ", ")) +
                "; generalized pain: " + describe_map_bool(e.acr2016.generalized));
    } else {
        // Rules 2026.2: say what is missing, never "WPI 0".
        add(Role::kText, 2, "",
            "WPI: " + std::string(kPainMapNotRecorded) + ", SSS " + sss +
                ", FS: " + std::string(kPainMapNotRecorded));
        add(Role::kText, 2, "",
            "Regions with pain and generalized pain: " + std::string(kPainMapNotRecorded));
    }
    add(Role::kText, 2, "", "Criteria met: " + yes_no_unknown(e.acr2016.met));
    add(Role::kHeading, 0, "", rules.acr1990.name);
    add(Role::kText, 2, "",
        "Tender points: " + opt_int(e.acr1990.tender_count, "/18", "not examined") +
            "; widespread pain: " + describe_map_bool(e.acr1990.widespread) +
            "; criteria met: " + yes_no_unknown(e.acr1990.met));
    blank();

    add(Role::kHeading, 0, rules.pattern.label + ": ",
        yes_no_unknown(e.pattern.functional_muscle_pain));
    add(Role::kText, 2, "", rules.pattern.statement);
    for (std::size_t i = 0; i < e.pattern.criteria.size() && i < rules.pattern.criteria.size();
         ++i) {
        const auto& c = e.pattern.criteria[i];
        add(Role::kCheck, 2,
            !c.value   ? "[?] "
            : *c.value ? "[x] "
                       : "[ ] ",
            rules.pattern.criteria[i].label);
    }
    blank();

    add(Role::kHeading, 0,
        "Suggested tests: ", e.tests.empty() ? "none" : std::to_string(e.tests.size()));
    for (Priority p : {Priority::Recommended, Priority::Consider}) {
        bool header = false;
        for (const auto& t : e.tests) {
            if (t.priority != p) {
                continue;
            }
            if (!header) {
                add(Role::kSubheading, 2, "",
                    std::string(p == Priority::Recommended ? "Recommended" : "Consider") + ":");
                header = true;
            }
            std::vector<std::string> reasons;
            for (const auto& b : t.because) {
                reasons.push_back(describe_finding(defs, a, e, b));
            }
            add(Role::kItem, 4, "", t.id + " - " + t.name);
            add(Role::kDetail, 6, "because: ", join(reasons, "; "));
        }
    }
    if (!e.referrals.empty()) {
        blank();
        add(Role::kHeading, 0, "", "Referrals:");
        for (const auto& r : e.referrals) {
            add(Role::kFlag, 2, "[" + upper(urgency_label(defs, r.urgency)) + "] ", r.to,
                r.urgency);
        }
    }
    if (!e.notes.empty()) {
        blank();
        add(Role::kHeading, 0, "", "Notes:");
        for (const auto& n : e.notes) {
            add(Role::kItem, 2, "- ", n.text);
        }
    }
    blank();
    add(Role::kHeading, 0, "", "Self-care advice:");
    for (const auto& adv : e.advice) {
        const AdviceRule* rule = rules.advice_rule(adv.id);
        add(Role::kItem, 2, "- ", rule ? rule->title + ": " + rule->gist : adv.id);
    }
    blank();
    add(Role::kFooter, 0, "", "These suggestions support, and do not replace, clinical judgement.");
    return out;
}

std::string evaluation_to_text(const Definitions& defs, const Assessment& a, const Evaluation& e) {
    std::string out;
    for (const auto& line : evaluation_lines(defs, a, e)) {
        out +=
            std::string(static_cast<std::size_t>(line.indent), ' ') + line.lead + line.text + "\n";
    }
    return out;
}

}  // namespace myo
