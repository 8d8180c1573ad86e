#include "core/text_summary.hpp"

#include <sstream>

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

std::string evaluation_to_text(const Definitions& defs, const Assessment& a, const Evaluation& e) {
    std::ostringstream o;
    const RuleSet& rules = defs.rules;
    o << "MyoScreen evaluation (rules " << e.rules_version << ")\n";
    o << "Patient:  " << a.patient.name << " (" << a.patient.id << "), born "
      << a.patient.birth_date;
    if (e.age) {
        o << ", " << *e.age << " years";
    }
    o << "\nVisit:    " << a.date;
    if (a.kind) {
        o << ", " << (*a.kind == "follow_up" ? "follow-up" : *a.kind);
    }
    if (a.clinician) {
        o << ", " << *a.clinician;
    }
    o << "\n\n";

    o << "Urgency:  " << upper(urgency_label(defs, e.urgency));
    if (const UrgencyLevel* level = rules.level(e.urgency)) {
        o << " (" << level->meaning << ")";
    }
    o << "\n\n";

    o << "Red flags: "
      << (e.red_flags.empty() ? "none positive" : std::to_string(e.red_flags.size()) + " positive")
      << "\n";
    for (const auto& f : e.red_flags) {
        o << "  [" << upper(urgency_label(defs, f.urgency)) << "] " << f.label << "\n";
        for (const auto& b : f.because) {
            o << "      finding: " << describe_finding(defs, a, e, b) << "\n";
        }
        o << "      rule:    " << f.rule << "\n";
        o << "      action:  " << f.action << "\n";
        o << "      source:  " << f.source << "\n";
    }
    if (e.unscreened.empty()) {
        o << "Not screened: none (every red-flag question was answered)\n";
    } else {
        o << "Not screened (" << e.unscreened.size() << "): not asked or answered \"unknown\"\n";
        for (const auto& question : unscreened_questions(defs, e)) {
            o << "  - " << question << "\n";
        }
    }
    o << "\n";

    o << "Duration:    ";
    if (e.duration_weeks) {
        o << format_number(*e.duration_weeks) << " weeks (" << e.duration_category.value_or("?")
          << ")\n";
    } else {
        o << "not recorded\n";
    }
    o << "Weight loss: "
      << (e.weight_loss_percent
              ? format_number(*e.weight_loss_percent) + " %"
              : std::string("not computed (needs today's and a previous weight within ") +
                    format_number(rules.weight_loss_max_interval_months) + " months)")
      << "\n\n";

    o << rules.acr2016.name << "\n";
    const std::string sss = opt_int(e.acr2016.sss, "/12", "not known (symptoms not all asked)");
    if (e.acr2016.regions) {
        o << "  WPI " << describe_wpi(e.acr2016, "/19") << ", SSS " << sss << ", FS "
          << describe_fs(e.acr2016, "/31") << "\n";
        std::vector<std::string> region_labels;
        for (const auto& r : rules.acr2016.regions) {
            for (const auto& id : *e.acr2016.regions) {
                if (id == r.id) {
                    region_labels.push_back(r.label);
                }
            }
        }
        o << "  Regions with pain: " << (region_labels.empty() ? "none" : join(region_labels, ", "))
          << "; generalized pain: " << describe_map_bool(e.acr2016.generalized) << "\n";
    } else {
        // Rules 2026.2: say what is missing, never "WPI 0".
        o << "  WPI: " << kPainMapNotRecorded << ", SSS " << sss << ", FS: " << kPainMapNotRecorded
          << "\n";
        o << "  Regions with pain and generalized pain: " << kPainMapNotRecorded << "\n";
    }
    o << "  Criteria met: " << yes_no_unknown(e.acr2016.met) << "\n";
    o << rules.acr1990.name << "\n";
    o << "  Tender points: " << opt_int(e.acr1990.tender_count, "/18", "not examined")
      << "; widespread pain: " << describe_map_bool(e.acr1990.widespread)
      << "; criteria met: " << yes_no_unknown(e.acr1990.met) << "\n\n";

    o << rules.pattern.label << ": " << yes_no_unknown(e.pattern.functional_muscle_pain) << "\n";
    o << "  " << rules.pattern.statement << "\n";
    for (std::size_t i = 0; i < e.pattern.criteria.size() && i < rules.pattern.criteria.size();
         ++i) {
        const auto& c = e.pattern.criteria[i];
        o << "  ["
          << (!c.value   ? "?"
              : *c.value ? "x"
                         : " ")
          << "] " << rules.pattern.criteria[i].label << "\n";
    }
    o << "\n";

    o << "Suggested tests: " << (e.tests.empty() ? "none" : std::to_string(e.tests.size())) << "\n";
    for (Priority p : {Priority::Recommended, Priority::Consider}) {
        bool header = false;
        for (const auto& t : e.tests) {
            if (t.priority != p) {
                continue;
            }
            if (!header) {
                o << "  " << (p == Priority::Recommended ? "Recommended" : "Consider") << ":\n";
                header = true;
            }
            std::vector<std::string> reasons;
            for (const auto& b : t.because) {
                reasons.push_back(describe_finding(defs, a, e, b));
            }
            o << "    " << t.id << " - " << t.name << "\n      because: " << join(reasons, "; ")
              << "\n";
        }
    }
    if (!e.referrals.empty()) {
        o << "\nReferrals:\n";
        for (const auto& r : e.referrals) {
            o << "  [" << upper(urgency_label(defs, r.urgency)) << "] " << r.to << "\n";
        }
    }
    if (!e.notes.empty()) {
        o << "\nNotes:\n";
        for (const auto& n : e.notes) {
            o << "  - " << n.text << "\n";
        }
    }
    o << "\nSelf-care advice:\n";
    for (const auto& adv : e.advice) {
        const AdviceRule* rule = rules.advice_rule(adv.id);
        o << "  - " << (rule ? rule->title + ": " + rule->gist : adv.id) << "\n";
    }
    o << "\nThese suggestions support, and do not replace, clinical judgement.\n";
    return o.str();
}

}  // namespace myo
