// Every rule of forms/rules.json: a positive and a negative case (clinical.md 5, 6, 8), plus
// urgency variants, conditional tests, deduplication and the guardrail.

#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "core/case_builder.hpp"
#include "support/test_support.hpp"

using namespace myo;
using test::Case;

namespace {

struct RuleCase {
    std::string id;
    std::function<Case()> positive;
    std::function<Case()> negative;
};

Case chronic() {
    return Case().set("duration_weeks", 20);
}

// Red flags: a positive case and the closest negative one.
const std::vector<RuleCase>& flag_cases() {
    static const std::vector<RuleCase> cases = {
        {"cauda_equina", [] { return Case().set("rf.saddle_or_sphincter", "yes"); },
         [] { return Case().set("rf.saddle_or_sphincter", "unknown"); }},
        {"rhabdomyolysis", [] { return Case().set("rf.dark_urine", "yes"); },
         [] { return Case().set("rf.dark_urine", "no"); }},
        {"giant_cell_arteritis", [] { return Case().age(50).set("rf.gca_symptoms", "yes"); },
         [] { return Case().age(49).set("rf.gca_symptoms", "yes"); }},
        {"muscle_weakness", [] { return Case().set("rf.weakness_proximal", "yes"); },
         [] {
             return Case().set("rf.weakness_proximal", "no").set("rf.weakness_objective", "no");
         }},
        {"dermatomyositis_rash", [] { return Case().set("rf.rash", "yes"); },
         [] { return Case().set("rf.rash", "no"); }},
        {"neurological_deficit", [] { return Case().set("rf.neuro_deficit", "yes"); },
         [] { return Case().set("rf.neuro_progressive", "yes"); }},
        {"numbness", [] { return Case().set("rf.numbness", "yes"); },
         [] { return Case().set("rf.numbness", "yes").set("rf.neuro_deficit", "yes"); }},
        {"malignancy", [] { return Case().set("rf.night_pain", "yes"); },
         [] { return Case().set("rf.night_pain", "no"); }},
        {"infection", [] { return Case().set("rf.fever", "yes"); },
         [] { return Case().set("rf.ivdu", "yes"); }},
        {"polymyalgia_rheumatica", [] { return Case().age(50).set("rf.girdle_stiffness", "yes"); },
         [] { return Case().age(49).set("rf.girdle_stiffness", "yes"); }},
        {"inflammatory_arthritis", [] { return Case().set("rf.synovitis", "yes"); },
         [] { return Case().set("rf.synovitis", "no"); }},
        {"connective_tissue_disease", [] { return Case().set("rf.sle_features", "yes"); },
         [] { return Case().set("rf.sle_features", "unknown"); }},
        {"drug_myopathy", [] { return Case().set("med.other_myotoxic", true); },
         [] { return Case().set("med.statin", false).set("med.other_myotoxic", false); }},
        {"fracture_risk", [] { return Case().set("med.glucocorticoid_long_term", true); },
         [] { return Case().set("med.glucocorticoid_long_term", false); }},
    };
    return cases;
}

}  // namespace

TEST_CASE("every red flag of rules.json has a positive and a negative case") {
    std::set<std::string> covered;
    for (const auto& c : flag_cases()) {
        CAPTURE(c.id);
        covered.insert(c.id);
        Evaluation pos = c.positive().evaluate();
        CHECK(test::has_flag(pos, c.id));
        CHECK(pos.urgency != Urgency::Routine);
        CHECK(pos.pattern.criteria.back().value == false);  // no_red_flags
        Evaluation neg = c.negative().evaluate();
        CHECK_FALSE(test::has_flag(neg, c.id));
    }
    std::set<std::string> all;
    for (const auto& f : test::definitions().rules.red_flags) {
        all.insert(f.id);
    }
    CHECK(covered == all);
}

TEST_CASE("red flags: urgency variants follow clinical.md 5") {
    auto urgency = [](const Case& c, const char* flag) {
        Evaluation e = c.evaluate();
        const FlagResult* f = e.flag(flag);
        REQUIRE(f);
        return f->urgency;
    };
    CHECK(urgency(Case().set("rf.saddle_or_sphincter", "yes"), "cauda_equina") ==
          Urgency::Emergency);
    CHECK(urgency(Case().set("rf.dark_urine", "yes"), "rhabdomyolysis") == Urgency::Emergency);
    CHECK(urgency(Case().age(60).set("rf.gca_symptoms", "yes"), "giant_cell_arteritis") ==
          Urgency::Urgent);
    CHECK(urgency(Case().age(60).set("rf.gca_symptoms", "yes").set("rf.visual_disturbance", "yes"),
                  "giant_cell_arteritis") == Urgency::Emergency);
    CHECK(urgency(Case().set("rf.weakness_objective", "yes"), "muscle_weakness") == Urgency::Soon);
    CHECK(urgency(Case().set("rf.weakness_objective", "yes").set("rf.dysphagia_dyspnoea", "yes"),
                  "muscle_weakness") == Urgency::Urgent);
    CHECK(urgency(Case().set("rf.neuro_deficit", "yes"), "neurological_deficit") == Urgency::Soon);
    CHECK(urgency(Case().set("rf.neuro_deficit", "yes").set("rf.neuro_progressive", "yes"),
                  "neurological_deficit") == Urgency::Urgent);
    CHECK(urgency(Case().set("rf.weight_loss", "yes"), "malignancy") == Urgency::Soon);
    CHECK(urgency(Case().set("rf.cancer_history", "yes"), "malignancy") == Urgency::Urgent);
    CHECK(urgency(Case().set("rf.fever", "yes"), "infection") == Urgency::Soon);
    CHECK(urgency(Case().set("rf.fever", "yes").set("rf.immunosuppressed", "yes"), "infection") ==
          Urgency::Urgent);
    CHECK(urgency(Case().set("rf.fever", "yes").set("rf.ivdu", "yes"), "infection") ==
          Urgency::Urgent);
    CHECK(urgency(Case().set("rf.rash", "yes"), "dermatomyositis_rash") == Urgency::Urgent);
    CHECK(urgency(Case().set("rf.synovitis", "yes"), "inflammatory_arthritis") == Urgency::Urgent);
    // An unanswered modifier never raises the urgency: only "yes" counts.
    CHECK(urgency(Case().set("rf.fever", "yes").set("rf.ivdu", "unknown"), "infection") ==
          Urgency::Soon);
}

TEST_CASE("red flags: the overall urgency is the highest one") {
    Evaluation e = Case().set("rf.fever", "yes").set("rf.dark_urine", "yes").evaluate();
    CHECK(e.urgency == Urgency::Emergency);
    CHECK(Case().evaluate().urgency == Urgency::Routine);
}

TEST_CASE("red flags: conditional tests") {
    SUBCASE("MRI_SPINE only when the neurological deficit is urgent") {
        CHECK_FALSE(test::find_test(Case().set("rf.neuro_deficit", "yes").evaluate(), "MRI_SPINE"));
        CHECK(test::find_test(
            Case().set("rf.neuro_deficit", "yes").set("rf.neuro_progressive", "yes").evaluate(),
            "MRI_SPINE"));
    }
    SUBCASE("BLOOD_CULTURES only when infection is urgent") {
        CHECK_FALSE(test::find_test(Case().set("rf.fever", "yes").evaluate(), "BLOOD_CULTURES"));
        CHECK(test::find_test(Case().set("rf.fever", "yes").set("rf.ivdu", "yes").evaluate(),
                              "BLOOD_CULTURES"));
    }
    SUBCASE("SPEP for malignancy at age 50, not 49") {
        CHECK(test::find_test(Case().age(50).set("rf.night_pain", "yes").evaluate(), "SPEP"));
        CHECK_FALSE(test::find_test(Case().age(49).set("rf.night_pain", "yes").evaluate(), "SPEP"));
    }
    SUBCASE("URINALYSIS for drug myopathy when worst pain >= 8 or objective weakness") {
        CHECK_FALSE(test::find_test(Case().set("med.statin", true).set("nrs_worst", 7).evaluate(),
                                    "URINALYSIS"));
        CHECK(test::find_test(Case().set("med.statin", true).set("nrs_worst", 8).evaluate(),
                              "URINALYSIS"));
        CHECK(test::find_test(
            Case().set("med.statin", true).set("rf.weakness_objective", "yes").evaluate(),
            "URINALYSIS"));
    }
    SUBCASE("consider-tests of a flag") {
        Evaluation e = Case().set("rf.weakness_objective", "yes").evaluate();
        const TestSuggestion* ana = test::find_test(e, "ANA");
        REQUIRE(ana);
        CHECK(ana->priority == Priority::Consider);
    }
}

TEST_CASE("red flags: referrals, with their conditions") {
    Evaluation gca =
        Case().age(70).set("rf.gca_symptoms", "yes").set("rf.visual_disturbance", "yes").evaluate();
    REQUIRE(gca.referrals.size() == 2);
    CHECK(gca.referrals[1].to.find("Ophthalmology") != std::string::npos);
    CHECK(gca.referrals[1].urgency == Urgency::Emergency);
    Evaluation malig = Case().set("rf.weight_loss", "yes").evaluate();
    CHECK(malig.referrals.empty());
    Evaluation cancer = Case().set("rf.cancer_history", "yes").evaluate();
    REQUIRE(cancer.referrals.size() == 1);
    CHECK(cancer.referrals[0].because == std::vector<std::string>{"malignancy"});
}

TEST_CASE("red flags: because names the findings, never the age") {
    Evaluation e = Case().age(72).set("rf.girdle_stiffness", "yes").evaluate();
    REQUIRE(e.flag("polymyalgia_rheumatica"));
    CHECK(e.flag("polymyalgia_rheumatica")->because ==
          std::vector<std::string>{"rf.girdle_stiffness"});
    Evaluation m = Case().set("rf.cancer_history", "yes").set("rf.night_pain", "yes").evaluate();
    CHECK(m.flag("malignancy")->because ==
          std::vector<std::string>{"rf.cancer_history", "rf.night_pain"});
    Evaluation n = Case().set("rf.numbness", "yes").erase("rf.neuro_deficit").evaluate();
    CHECK(n.flag("numbness")->because == std::vector<std::string>{"rf.numbness"});
}

TEST_CASE("weight loss of 5 % or more counts as unexplained weight loss (boundary 4.9 / 5.0)") {
    auto with_weights = [](double now, double prev, double months) {
        return Case()
            .set("rf.weight_loss", "no")
            .set("exam.weight_kg", now)
            .set("exam.weight_prev_kg", prev)
            .set("exam.weight_prev_months", months);
    };
    Evaluation at49 = with_weights(95.1, 100, 6).evaluate();
    CHECK(at49.weight_loss_percent == doctest::Approx(4.9));
    CHECK_FALSE(test::has_flag(at49, "malignancy"));
    Evaluation at50 = with_weights(95, 100, 6).evaluate();
    CHECK(at50.weight_loss_percent == doctest::Approx(5.0));
    REQUIRE(test::has_flag(at50, "malignancy"));
    CHECK(at50.flag("malignancy")->because == std::vector<std::string>{"weight_loss_percent"});
    // Over 12 months the loss is not computed, so it cannot trigger the flag.
    Evaluation old = with_weights(80, 100, 13).evaluate();
    CHECK_FALSE(old.weight_loss_percent.has_value());
    CHECK_FALSE(test::has_flag(old, "malignancy"));
    CHECK(with_weights(80, 100, 12).evaluate().weight_loss_percent == doctest::Approx(20.0));
    CHECK(with_weights(84, 91, 6).evaluate().weight_loss_percent == doctest::Approx(7.7));
}

TEST_CASE("work-up rules: positive and negative, with boundaries") {
    SUBCASE("chronic_baseline and chronic_extended: 12.9 / 13 weeks") {
        Evaluation below = Case().set("duration_weeks", 12.9).evaluate();
        Evaluation at = Case().set("duration_weeks", 13).evaluate();
        CHECK_FALSE(test::find_test(below, "CK"));
        CHECK_FALSE(test::find_test(below, "VITD"));
        REQUIRE(test::find_test(at, "CK"));
        CHECK(test::find_test(at, "CK")->because == std::vector<std::string>{"chronic_baseline"});
        REQUIRE(test::find_test(at, "VITD"));
        CHECK(test::find_test(at, "VITD")->priority == Priority::Consider);
    }
    SUBCASE("fatigue: sss.fatigue 1 / 2") {
        CHECK_FALSE(test::find_test(
            Case().set("duration_weeks", 8).set("sss.fatigue", 1).evaluate(), "FERRITIN"));
        Evaluation e = Case().set("duration_weeks", 8).set("sss.fatigue", 2).evaluate();
        const TestSuggestion* t = test::find_test(e, "FERRITIN");
        REQUIRE(t);
        CHECK(t->because == std::vector<std::string>{"fatigue"});
        CHECK(t->priority == Priority::Recommended);
    }
    SUBCASE("cramps: sym.cramps or cramping pain") {
        CHECK(test::find_test(Case().set("duration_weeks", 8).set("sym.cramps", true).evaluate(),
                              "MAGNESIUM"));
        CHECK(test::find_test(
            Case().set("duration_weeks", 8).set("character", Json::array({"cramping"})).evaluate(),
            "ELECTROLYTES"));
        CHECK_FALSE(test::find_test(Case()
                                        .set("duration_weeks", 8)
                                        .set("sym.cramps", false)
                                        .set("character", Json::array({"aching"}))
                                        .evaluate(),
                                    "ELECTROLYTES"));
    }
    SUBCASE("sleep: sss.waking_unrefreshed 1 / 2") {
        CHECK_FALSE(test::find_test(
            Case().set("duration_weeks", 8).set("sss.waking_unrefreshed", 1).evaluate(),
            "SLEEP_ASSESSMENT"));
        CHECK(test::find_test(
            Case().set("duration_weeks", 8).set("sss.waking_unrefreshed", 2).evaluate(),
            "SLEEP_ASSESSMENT"));
    }
    SUBCASE("nutrition: factor.diet") {
        CHECK(test::find_test(Case().set("duration_weeks", 8).set("factor.diet", true).evaluate(),
                              "B12"));
        CHECK_FALSE(test::find_test(
            Case().set("duration_weeks", 8).set("factor.diet", false).evaluate(), "B12"));
    }
    std::set<std::string> ids;
    for (const auto& w : test::definitions().rules.workup) {
        ids.insert(w.id);
    }
    CHECK(ids == std::set<std::string>{"chronic_baseline", "chronic_extended", "fatigue", "cramps",
                                       "sleep", "nutrition"});
}

TEST_CASE("tests: one entry per test, every reason listed, the highest priority kept") {
    Evaluation e = chronic().set("sss.fatigue", 3).set("factor.diet", true).evaluate();
    const TestSuggestion* ferritin = test::find_test(e, "FERRITIN");
    REQUIRE(ferritin);
    CHECK(ferritin->priority == Priority::Recommended);
    CHECK(ferritin->because == std::vector<std::string>{"chronic_extended", "fatigue"});
    const TestSuggestion* b12 = test::find_test(e, "B12");
    REQUIRE(b12);
    CHECK(b12->because == std::vector<std::string>{"chronic_extended", "nutrition"});
    std::set<std::string> seen;
    for (const auto& t : e.tests) {
        CHECK(seen.insert(t.id).second);
    }
    Evaluation both = chronic().set("rf.night_pain", "yes").evaluate();
    CHECK(test::find_test(both, "ESR")->because ==
          std::vector<std::string>{"chronic_baseline", "malignancy"});
}

TEST_CASE("acute pain without a red flag gets no tests (5.9 / 6 weeks)") {
    Evaluation acute =
        Case().set("duration_weeks", 5.9).set("sss.fatigue", 3).set("sym.cramps", true).evaluate();
    CHECK(acute.duration_category == "acute");
    CHECK(acute.tests.empty());
    CHECK(test::has_note(acute, "acute_review"));
    Evaluation subacute = Case().set("duration_weeks", 6).set("sss.fatigue", 3).evaluate();
    CHECK(subacute.duration_category == "subacute");
    CHECK(test::find_test(subacute, "FERRITIN"));
    CHECK_FALSE(test::has_note(subacute, "acute_review"));
    // With a positive red flag, acute pain keeps every test (vignette 2).
    Evaluation flagged =
        Case().set("duration_weeks", 2).set("sym.cramps", true).set("med.statin", true).evaluate();
    CHECK(test::find_test(flagged, "CK"));
    CHECK(test::find_test(flagged, "MAGNESIUM"));
}

TEST_CASE("guardrail: serology and imaging come only from red flags") {
    Evaluation e = chronic()
                       .set("sss.fatigue", 3)
                       .set("sss.waking_unrefreshed", 3)
                       .set("sym.cramps", true)
                       .set("factor.diet", true)
                       .evaluate();
    for (const char* id : {"ANA", "RF", "ANTI_CCP", "MYOSITIS_AB", "IMAGING", "MRI_SPINE",
                           "XRAY_HANDS_FEET", "CXR"}) {
        CHECK_MESSAGE(!test::find_test(e, id), id);
    }
    for (const auto& w : test::definitions().rules.workup) {
        for (const auto& t : w.tests) {
            CHECK_FALSE(test::definitions().tests.find(t)->red_flag_only);
        }
    }
}

TEST_CASE("notes: the GCA prompt and delayed-onset soreness") {
    CHECK(test::has_note(Case()
                             .age(70)
                             .set("rf.girdle_stiffness", "yes")
                             .set("rf.gca_symptoms", "unknown")
                             .evaluate(),
                         "ask_gca_symptoms"));
    CHECK(test::has_note(
        Case().age(70).set("rf.girdle_stiffness", "yes").erase("rf.gca_symptoms").evaluate(),
        "ask_gca_symptoms"));
    CHECK_FALSE(test::has_note(Case().age(70).set("rf.girdle_stiffness", "yes").evaluate(),
                               "ask_gca_symptoms"));
    CHECK(test::has_note(
        Case().set("factor.unaccustomed_exercise", true).set("duration_weeks", 1.9).evaluate(),
        "delayed_onset_soreness"));
    CHECK_FALSE(test::has_note(
        Case().set("factor.unaccustomed_exercise", true).set("duration_weeks", 2).evaluate(),
        "delayed_onset_soreness"));
}

TEST_CASE("advice: each piece with its trigger (clinical.md 8)") {
    struct AdviceCase {
        const char* id;
        Case positive;
        Case negative;
        std::vector<std::string> because;
    };
    std::vector<AdviceCase> cases = {
        {"stretching",
         Case().set("morning_stiffness_min", 15),
         Case().set("morning_stiffness_min", 14),
         {"morning_stiffness_min"}},
        {"heat",
         Case().set("relievers", Json::array({"heat"})),
         Case().set("character", Json::array({"sharp"})),
         {"relievers"}},
        {"hydration_nutrition",
         Case().set("factor.dehydration", true),
         Case().set("factor.dehydration", false),
         {"factor.dehydration"}},
        {"stress_relaxation",
         Case().set("factor.stress", true),
         Case().set("factor.stress", false),
         {"factor.stress"}},
        {"sleep_hygiene",
         Case().set("sss.waking_unrefreshed", 2),
         Case().set("sss.waking_unrefreshed", 1),
         {"sss.waking_unrefreshed"}},
        {"self_massage", Case().set("tp.knee_l", 2), Case().set("tp.knee_l", 1), {"tp.knee_l"}},
        {"posture_ergonomics",
         Case().set("aggravators", Json::array({"static_posture"})),
         Case().set("aggravators", Json::array({"cold"})),
         {"aggravators"}},
        {"pacing",
         Case().set("daily_tasks_limited", true),
         Case().set("daily_tasks_limited", false),
         {"daily_tasks_limited"}},
        {"symptom_journal",
         Case().set("duration_weeks", 13),
         Case().set("duration_weeks", 12),
         {"duration_weeks"}},
    };
    std::set<std::string> covered = {"gentle_movement", "seek_care"};
    for (const auto& c : cases) {
        CAPTURE(c.id);
        covered.insert(c.id);
        Evaluation pos = c.positive.evaluate();
        REQUIRE(test::has_advice(pos, c.id));
        for (const auto& a : pos.advice) {
            if (a.id == c.id) {
                CHECK(a.because == c.because);
            }
        }
        CHECK_FALSE(test::has_advice(c.negative.evaluate(), c.id));
    }
    // Always given; gentle movement names low activity when recorded (format example).
    Evaluation plain = Case().evaluate();
    CHECK(test::has_advice(plain, "gentle_movement"));
    CHECK(test::has_advice(plain, "seek_care"));
    Evaluation low = Case().set("factor.low_activity", true).evaluate();
    CHECK(low.advice.front().because == std::vector<std::string>{"factor.low_activity"});
    std::set<std::string> all;
    for (const auto& a : test::definitions().rules.advice) {
        all.insert(a.id);
    }
    CHECK(covered == all);
}

TEST_CASE("unscreened: every rf item absent or unknown, in the order of the format's table") {
    Evaluation e = Case().erase("rf.fever").set("rf.numbness", "unknown").evaluate();
    CHECK(e.unscreened == std::vector<std::string>{"rf.numbness", "rf.fever"});
    Case none;
    for (const auto& item : test::definitions().form.items) {
        if (item.id.rfind("rf.", 0) == 0) {
            none.erase(item.id);
        }
    }
    Evaluation all = none.evaluate();
    REQUIRE(all.unscreened.size() == 21);
    CHECK(all.unscreened.front() == "rf.weakness_objective");
    CHECK(all.unscreened.back() == "rf.sle_features");
}
