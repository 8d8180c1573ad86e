// ACR 2016 and ACR 1990 scores, derived values and the functional muscle-pain pattern
// (clinical.md 1-4), with each threshold at its boundary and "null, never a guess".

#include <doctest/doctest.h>

#include <optional>

#include "core/case_builder.hpp"
#include "core/describe.hpp"
#include "core/text_summary.hpp"
#include "support/test_support.hpp"

using namespace myo;
using test::Case;

namespace {

// Four regions (left/right upper and lower): generalized pain with WPI 4.
Case generalized(int extra_areas, int sss, double weeks = 20) {
    Case c;
    for (const char* a :
         {"wpi.shoulder_girdle_l", "wpi.shoulder_girdle_r", "wpi.hip_l", "wpi.hip_r"}) {
        c.set(a, true);
    }
    const char* extras[] = {"wpi.upper_arm_l", "wpi.upper_arm_r", "wpi.lower_arm_l",
                            "wpi.lower_arm_r", "wpi.upper_leg_l", "wpi.upper_leg_r",
                            "wpi.lower_leg_l", "wpi.lower_leg_r"};
    for (int i = 0; i < extra_areas; ++i) {
        c.set(extras[i], true);
    }
    // SSS: graded items first (up to 9), then the three yes/no symptoms.
    int graded = std::min(sss, 9);
    int rest = sss - graded;
    c.set("sss.fatigue", std::min(graded, 3));
    c.set("sss.waking_unrefreshed", std::min(std::max(graded - 3, 0), 3));
    c.set("sss.cognitive", std::max(graded - 6, 0));
    c.set("sss.headaches", rest >= 1);
    c.set("sss.lower_abdominal", rest >= 2);
    c.set("sss.depression", rest >= 3);
    c.set("duration_weeks", weeks);
    return c;
}

}  // namespace

TEST_CASE("derived: age in whole years, the day before a birthday is the old age") {
    Case c;
    c.birth_date = "1976-11-21";
    CHECK(c.evaluate().age == 49);
    c.birth_date = "1976-11-20";
    CHECK(c.evaluate().age == 50);
    c.birth_date = "2000-02-29";
    c.date = "2026-02-28";
    CHECK(c.evaluate().age == 25);
}

TEST_CASE("derived: duration categories at 5.9/6 and 12.9/13 weeks; null when absent") {
    CHECK(Case().set("duration_weeks", 5.9).evaluate().duration_category == "acute");
    CHECK(Case().set("duration_weeks", 6).evaluate().duration_category == "subacute");
    CHECK(Case().set("duration_weeks", 12.9).evaluate().duration_category == "subacute");
    CHECK(Case().set("duration_weeks", 13).evaluate().duration_category == "chronic");
    Evaluation none = Case().evaluate();
    CHECK_FALSE(none.duration_category.has_value());
    CHECK_FALSE(none.duration_weeks.has_value());
    Json out = evaluation_to_json(none, test::definitions());
    CHECK(out["duration"]["weeks"].is_null());
    CHECK(out["duration"]["category"].is_null());
}

TEST_CASE("derived: weight loss needs both weights and a previous weight within 12 months") {
    CHECK_FALSE(Case().set("exam.weight_kg", 80).evaluate().weight_loss_percent.has_value());
    CHECK_FALSE(Case()
                    .set("exam.weight_kg", 80)
                    .set("exam.weight_prev_kg", 90)
                    .evaluate()
                    .weight_loss_percent);
    auto gain = Case()
                    .set("exam.weight_kg", 90)
                    .set("exam.weight_prev_kg", 80)
                    .set("exam.weight_prev_months", 3);
    CHECK(gain.evaluate().weight_loss_percent == doctest::Approx(-12.5));
}

TEST_CASE("ACR 2016: WPI 3/4 and 6/7, SSS 4/5 and 8/9") {
    // WPI 4-6 needs SSS >= 9; WPI >= 7 needs SSS >= 5.
    CHECK(generalized(0, 9).evaluate().acr2016.met == true);
    CHECK(generalized(0, 8).evaluate().acr2016.met == false);
    CHECK(generalized(2, 9).evaluate().acr2016.met == true);  // WPI 6
    CHECK(generalized(2, 8).evaluate().acr2016.met == false);
    CHECK(generalized(2, 5).evaluate().acr2016.met == false);  // WPI 6, SSS 5: not enough
    CHECK(generalized(3, 5).evaluate().acr2016.met == true);   // WPI 7
    CHECK(generalized(3, 4).evaluate().acr2016.met == false);
    // WPI 3 cannot be generalized pain: never met.
    Case three = generalized(0, 12).erase("wpi.hip_r");
    Evaluation e3 = three.evaluate();
    CHECK(e3.acr2016.wpi == 3);
    CHECK(e3.acr2016.generalized == false);
    CHECK(e3.acr2016.met == false);
    Evaluation e = generalized(3, 5).evaluate();
    CHECK(e.acr2016.wpi == 7);
    CHECK(e.acr2016.sss == 5);
    CHECK(e.acr2016.fs == 12);
}

TEST_CASE("ACR 2016: duration 12.9 / 13 weeks") {
    CHECK(generalized(3, 6, 12.9).evaluate().acr2016.met == false);
    CHECK(generalized(3, 6, 13).evaluate().acr2016.met == true);
}

TEST_CASE("ACR 2016: regions ignore jaw, chest and abdomen") {
    Case c;
    for (const char* a : {"wpi.jaw_l", "wpi.jaw_r", "wpi.chest", "wpi.abdomen", "wpi.hip_l"}) {
        c.set(a, true);
    }
    Evaluation e = c.evaluate();
    CHECK(e.acr2016.wpi == 5);
    CHECK(e.acr2016.regions == std::vector<std::string>{"left_lower"});
    CHECK(e.acr2016.generalized == false);
}

TEST_CASE("ACR 2016 with missing answers: null exactly when the answer depends on them") {
    SUBCASE("an SSS item absent makes sss and fs null") {
        Evaluation e = generalized(3, 6).erase("sss.depression").evaluate();
        CHECK_FALSE(e.acr2016.sss.has_value());
        CHECK_FALSE(e.acr2016.fs.has_value());
        CHECK(e.acr2016.met == true);  // met at the minimum already
    }
    SUBCASE("met is null when the missing SSS item could decide it") {
        Case c = generalized(3, 4).erase("sss.depression");  // 4 known, +1 possible
        CHECK_FALSE(c.evaluate().acr2016.met.has_value());
    }
    SUBCASE("met is false when even the maximum cannot reach the threshold") {
        Case c = generalized(0, 2).erase("sss.headaches");  // WPI 4: needs 9, at most 3
        CHECK(c.evaluate().acr2016.met == false);
    }
    SUBCASE("absent duration: null when the scores are met, false when they are not") {
        CHECK_FALSE(generalized(3, 6).erase("duration_weeks").evaluate().acr2016.met.has_value());
        CHECK(generalized(3, 4).erase("duration_weeks").evaluate().acr2016.met == false);
    }
}

TEST_CASE("ACR 1990: tender count 10 / 11, widespread pain, duration") {
    auto widespread = [](int tender, double weeks) {
        Case c;
        c.set("wpi.shoulder_girdle_l", true).set("wpi.hip_r", true).set("wpi.neck", true);
        c.set("duration_weeks", weeks);
        const auto& sites = test::definitions().rules.acr1990.tender_points;
        for (int i = 0; i < 18; ++i) {
            c.set(sites[static_cast<std::size_t>(i)], i < tender ? 2 : 1);
        }
        return c;
    };
    Evaluation ten = widespread(10, 20).evaluate();
    CHECK(ten.acr1990.tender_count == 10);
    CHECK(ten.acr1990.widespread == true);
    CHECK(ten.acr1990.met == false);
    CHECK(widespread(11, 20).evaluate().acr1990.met == true);
    CHECK(widespread(11, 12.9).evaluate().acr1990.met == false);
    CHECK_FALSE(widespread(11, 20).erase("duration_weeks").evaluate().acr1990.met.has_value());
    // Grade 1 is tender but not painful: not positive.
    CHECK(Case().set("tp.knee_l", 1).evaluate().acr1990.tender_count == 0);
    CHECK(Case().set("tp.knee_l", 3).evaluate().acr1990.tender_count == 1);
    SUBCASE("not widespread: pain on one side only") {
        Case c = widespread(18, 20).erase("wpi.hip_r").set("wpi.hip_l", true);
        CHECK(c.evaluate().acr1990.widespread == false);
        CHECK(c.evaluate().acr1990.met == false);
    }
    SUBCASE("no tender point examined: count null, met null if it could be met") {
        Case c;
        c.set("wpi.shoulder_girdle_l", true)
            .set("wpi.hip_r", true)
            .set("wpi.neck", true)
            .set("duration_weeks", 20);
        Evaluation e = c.evaluate();
        CHECK_FALSE(e.acr1990.tender_count.has_value());
        CHECK_FALSE(e.acr1990.met.has_value());
        // A pain map with no painful area: not widespread, so never met.
        CHECK(Case().set("wpi.neck", false).evaluate().acr1990.met == false);
    }
}

TEST_CASE("pattern: the five criteria, true/false/null") {
    Case full;
    full.set("character", Json::array({"burning"}))
        .set("tp.trapezius_l", 2)
        .set("duration_weeks", 3);
    Evaluation e = full.evaluate();
    CHECK(e.pattern.functional_muscle_pain == true);

    auto criterion = [](const Evaluation& ev, const std::string& id) {
        for (const auto& c : ev.pattern.criteria) {
            if (c.id == id) {
                return c.value;
            }
        }
        FAIL("no criterion " << id);
        return std::optional<bool>();
    };
    SUBCASE("muscle_character") {
        CHECK(criterion(Case(full).set("character", Json::array({"sharp"})).evaluate(),
                        "muscle_character") == false);
        CHECK_FALSE(
            criterion(Case(full).erase("character").evaluate(), "muscle_character").has_value());
    }
    SUBCASE("palpation_reproduces: a tender point >= 2 or a recognised trigger point") {
        CHECK(criterion(Case(full).set("tp.trapezius_l", 1).evaluate(), "palpation_reproduces") ==
              false);
        Json mtrp =
            Json::array({Json{{"muscle", "upper trapezius"}, {"side", "l"}, {"recognised", true}}});
        CHECK(criterion(Case(full).erase("tp.trapezius_l").set("mtrp", mtrp).evaluate(),
                        "palpation_reproduces") == true);
        CHECK_FALSE(criterion(Case(full).erase("tp.trapezius_l").evaluate(), "palpation_reproduces")
                        .has_value());
    }
    SUBCASE("persistent: 2 weeks or recurrent") {
        CHECK(criterion(Case(full).set("duration_weeks", 1.9).evaluate(), "persistent") == false);
        CHECK(criterion(Case(full).set("duration_weeks", 1).set("pattern", "recurrent").evaluate(),
                        "persistent") == true);
        CHECK_FALSE(
            criterion(Case(full).erase("duration_weeks").evaluate(), "persistent").has_value());
    }
    SUBCASE("no_weakness: only an explicit no") {
        CHECK(criterion(Case(full).set("rf.weakness_objective", "yes").evaluate(), "no_weakness") ==
              false);
        CHECK_FALSE(
            criterion(Case(full).set("rf.weakness_objective", "unknown").evaluate(), "no_weakness")
                .has_value());
    }
    SUBCASE("no_red_flags: null while an unanswered question could still raise one") {
        Evaluation unknown = Case(full).set("rf.dark_urine", "unknown").evaluate();
        CHECK_FALSE(criterion(unknown, "no_red_flags").has_value());
        CHECK_FALSE(unknown.pattern.functional_muscle_pain.has_value());
        // An unanswered urgency modifier cannot raise a flag by itself.
        CHECK(criterion(Case(full).erase("rf.neuro_progressive").evaluate(), "no_red_flags") ==
              true);
        CHECK(criterion(Case(full).set("rf.trauma", "yes").evaluate(), "no_red_flags") == false);
    }
    SUBCASE("the pattern is false as soon as one criterion is false") {
        Evaluation mixed =
            Case(full).erase("character").set("rf.weakness_objective", "yes").evaluate();
        CHECK(mixed.pattern.functional_muscle_pain == false);
    }
}

TEST_CASE("evaluation JSON: null, never a guess") {
    Json out = evaluation_to_json(Case().evaluate(), test::definitions());
    CHECK(out["weight_loss_percent"].is_null());
    CHECK(out["acr2016"]["wpi"].is_null());  // no pain map: not "WPI 0"
    CHECK(out["acr2016"]["sss"].is_null());
    CHECK(out["acr2016"]["fs"].is_null());
    CHECK(out["acr2016"]["regions"].is_null());
    CHECK(out["acr2016"]["generalized"].is_null());
    CHECK(out["acr2016"]["met"].is_null());  // SSS, duration and map unknown: could be met
    CHECK(out["acr1990"]["widespread"].is_null());
    CHECK(out["acr1990"]["met"].is_null());
    CHECK(out["acr1990"]["tender_count"].is_null());
    CHECK(out["pattern"]["criteria"]["persistent"].is_null());
    CHECK(out["pattern"]["functional_muscle_pain"].is_null());
    CHECK(out["urgency"] == "routine");
}

namespace {

// Every SSS item answered, with the given total (graded items first), and a duration.
Case symptoms_only(int sss, double weeks) {
    Case c = generalized(0, sss, weeks);
    for (const char* a :
         {"wpi.shoulder_girdle_l", "wpi.shoulder_girdle_r", "wpi.hip_l", "wpi.hip_r"}) {
        c.erase(a);
    }
    return c;
}

const std::vector<std::string>& all_areas() {
    return test::definitions().rules.acr2016.wpi_items;
}

}  // namespace

TEST_CASE("rules 2026.2: no wpi item means the pain map was not recorded") {
    REQUIRE(all_areas().size() == 19);
    Evaluation e = symptoms_only(12, 20).evaluate();
    CHECK_FALSE(e.acr2016.pain_map_recorded());
    CHECK_FALSE(e.acr2016.wpi.has_value());
    CHECK_FALSE(e.acr2016.fs.has_value());
    CHECK_FALSE(e.acr2016.regions.has_value());
    CHECK_FALSE(e.acr2016.generalized.has_value());
    CHECK(e.acr2016.sss == 12);  // the symptoms are still scored
    CHECK_FALSE(e.acr1990.widespread.has_value());
    Json out = evaluation_to_json(e, test::definitions());
    CHECK(out["rules_version"] == "2026.2");
    CHECK(out["acr2016"]["wpi"].is_null());
    CHECK(out["acr2016"]["fs"].is_null());
    CHECK(out["acr2016"]["regions"].is_null());
    CHECK(out["acr2016"]["generalized"].is_null());
    CHECK(out["acr2016"]["sss"] == 12);
    CHECK(out["acr1990"]["widespread"].is_null());
}

TEST_CASE("rules 2026.2: ACR 2016 met both ways (WPI 0 and 19) without a pain map") {
    SUBCASE("duration 12.9 weeks: false either way") {
        CHECK(symptoms_only(12, 12.9).evaluate().acr2016.met == false);
    }
    SUBCASE("duration 13 weeks, SSS 5: could be met with a full map, so null") {
        CHECK_FALSE(symptoms_only(5, 13).evaluate().acr2016.met.has_value());
    }
    SUBCASE("all SSS items present and SSS 4: false either way") {
        CHECK(symptoms_only(4, 20).evaluate().acr2016.met == false);
        CHECK(symptoms_only(0, 20).evaluate().acr2016.met == false);
    }
    SUBCASE("SSS 4 known, one item absent: 5 is possible, so null") {
        Case c = symptoms_only(4, 20).erase("sss.depression");
        CHECK_FALSE(c.evaluate().acr2016.met.has_value());
    }
    SUBCASE("SSS items absent, at most 4: false") {
        // fatigue 0, waking 0, cognitive absent (max 3), headaches absent (max 1): at most 4.
        Case c = symptoms_only(0, 20).erase("sss.cognitive").erase("sss.headaches");
        CHECK(c.evaluate().acr2016.met == false);
    }
    SUBCASE("duration absent, SSS 4: false; SSS 5: null") {
        CHECK(symptoms_only(4, 20).erase("duration_weeks").evaluate().acr2016.met == false);
        CHECK_FALSE(
            symptoms_only(5, 20).erase("duration_weeks").evaluate().acr2016.met.has_value());
    }
    SUBCASE("nothing answered at all: null") {
        Case c;
        CHECK_FALSE(c.evaluate().acr2016.met.has_value());
    }
}

TEST_CASE("rules 2026.2: one wpi item recorded, even false, makes the map recorded") {
    SUBCASE("exactly one item, false: WPI 0 counted, absent areas not painful") {
        Evaluation e = symptoms_only(12, 20).set("wpi.neck", false).evaluate();
        CHECK(e.acr2016.pain_map_recorded());
        CHECK(e.acr2016.wpi == 0);
        CHECK(e.acr2016.fs == 12);
        CHECK(e.acr2016.regions == std::vector<std::string>{});
        CHECK(e.acr2016.generalized == false);
        CHECK(e.acr2016.met == false);  // WPI 0 never meets, whatever else is found
        CHECK(e.acr1990.widespread == false);
        Json out = evaluation_to_json(e, test::definitions());
        CHECK(out["acr2016"]["wpi"] == 0);
        CHECK(out["acr2016"]["regions"] == Json::array());
        CHECK(out["acr2016"]["generalized"] == false);
        CHECK(out["acr1990"]["widespread"] == false);
    }
    SUBCASE("exactly one item, true: WPI 1") {
        Evaluation e = symptoms_only(12, 20).set("wpi.chest", true).evaluate();
        CHECK(e.acr2016.wpi == 1);
        CHECK(e.acr2016.regions == std::vector<std::string>{});  // chest does not count
        CHECK(e.acr2016.met == false);
    }
    SUBCASE("\"no painful areas\": all 19 false") {
        Case c = symptoms_only(12, 20);
        for (const auto& id : all_areas()) {
            c.set(id, false);
        }
        Evaluation e = c.evaluate();
        CHECK(e.acr2016.wpi == 0);
        CHECK(e.acr2016.met == false);
        CHECK(e.acr1990.widespread == false);
        CHECK(e.acr1990.met == false);
    }
    SUBCASE("all 19 true: WPI 19, generalized, met") {
        Case c = symptoms_only(5, 13);
        for (const auto& id : all_areas()) {
            c.set(id, true);
        }
        Evaluation e = c.evaluate();
        CHECK(e.acr2016.wpi == 19);
        CHECK(e.acr2016.fs == 24);
        CHECK(e.acr2016.generalized == true);
        CHECK(e.acr2016.met == true);
        CHECK(e.acr1990.widespread == true);
    }
}

TEST_CASE("rules 2026.2: ACR 1990 both ways without a pain map") {
    auto tender = [](int positive, std::optional<double> weeks) {
        Case c;
        const auto& sites = test::definitions().rules.acr1990.tender_points;
        for (std::size_t i = 0; i < sites.size(); ++i) {
            c.set(sites[i], static_cast<int>(i) < positive ? 2 : 0);
        }
        if (weeks) {
            c.set("duration_weeks", *weeks);
        }
        return c;
    };
    SUBCASE("tender count 10: false") {
        Evaluation e = tender(10, 20).evaluate();
        CHECK_FALSE(e.acr1990.widespread.has_value());
        CHECK(e.acr1990.met == false);
    }
    SUBCASE("tender count 11, 13 weeks: null (widespread unknown)") {
        CHECK_FALSE(tender(11, 13).evaluate().acr1990.met.has_value());
    }
    SUBCASE("tender count 18, 12.9 weeks: false") {
        CHECK(tender(18, 12.9).evaluate().acr1990.met == false);
    }
    SUBCASE("tender count 11, duration absent: null") {
        CHECK_FALSE(tender(11, std::nullopt).evaluate().acr1990.met.has_value());
    }
    SUBCASE("no tender point, 12.9 weeks: false; 13 weeks: null") {
        CHECK(Case().set("duration_weeks", 12.9).evaluate().acr1990.met == false);
        CHECK_FALSE(Case().set("duration_weeks", 13).evaluate().acr1990.met.has_value());
    }
    SUBCASE("a pain map on one side only decides it again: false") {
        CHECK(tender(18, 20).set("wpi.hip_l", true).evaluate().acr1990.met == false);
    }
}

TEST_CASE("rules 2026.2: the words say \"pain map not recorded\", never WPI 0") {
    const Definitions& defs = test::definitions();
    Case c = symptoms_only(6, 20);
    Assessment a = c.assessment();
    Evaluation e = evaluate(defs, a);
    std::string text = evaluation_to_text(defs, a, e);
    CHECK(text.find("(rules 2026.2)") != std::string::npos);
    CHECK(text.find("  WPI: pain map not recorded, SSS 6/12, FS: pain map not recorded\n") !=
          std::string::npos);
    CHECK(text.find("  Regions with pain and generalized pain: pain map not recorded\n") !=
          std::string::npos);
    CHECK(text.find("widespread pain: pain map not recorded") != std::string::npos);
    CHECK(text.find("WPI 0") == std::string::npos);
    CHECK(describe_wpi(e.acr2016, " of 19") == "pain map not recorded");
    CHECK(describe_fs(e.acr2016, "/31") == "pain map not recorded");

    Evaluation mapped = c.set("wpi.neck", false).evaluate();
    CHECK(describe_wpi(mapped.acr2016, " of 19") == "0 of 19");
    CHECK(describe_fs(mapped.acr2016, "/31") == "6/31");
    CHECK(describe_fs(c.erase("sss.fatigue").evaluate().acr2016, "/31") == "not known");
}

TEST_CASE("rules 2026.2: without a map, met is what the empty and the full map agree on") {
    // Every SSS pattern at the boundaries (each item absent, at its minimum or its maximum, and
    // the graded ones at 1 and 2) and every duration boundary, against the same case with all
    // 19 areas false and with all 19 true.
    const std::optional<int> graded[] = {std::nullopt, 0, 1, 2, 3};
    const std::optional<bool> present[] = {std::nullopt, false, true};
    const std::optional<double> weeks[] = {std::nullopt, 12.9, 13};
    auto agree = [](std::optional<bool> a, std::optional<bool> b) {
        return a && b && *a == *b ? a : std::nullopt;
    };
    int cases = 0;
    for (auto fatigue : graded) {
        for (auto waking : graded) {
            for (auto headaches : present) {
                for (auto depression : present) {
                    for (auto w : weeks) {
                        Case c;
                        c.set("sss.cognitive", 1).set("sss.lower_abdominal", false);
                        auto put = [&](const char* id, auto v) {
                            if (v) {
                                c.set(id, *v);
                            }
                        };
                        put("sss.fatigue", fatigue);
                        put("sss.waking_unrefreshed", waking);
                        put("sss.headaches", headaches);
                        put("sss.depression", depression);
                        put("duration_weeks", w);
                        for (const auto& id : test::definitions().rules.acr1990.tender_points) {
                            c.set(id, 2);
                        }
                        Case none = c;
                        Case full = c;
                        for (const auto& id : all_areas()) {
                            none.set(id, false);
                            full.set(id, true);
                        }
                        Evaluation e = c.evaluate();
                        Evaluation e0 = none.evaluate();
                        Evaluation e19 = full.evaluate();
                        CAPTURE(cases);
                        CHECK(e.acr2016.met == agree(e0.acr2016.met, e19.acr2016.met));
                        CHECK(e.acr1990.met == agree(e0.acr1990.met, e19.acr1990.met));
                        CHECK(e.acr2016.sss == e0.acr2016.sss);
                        ++cases;
                    }
                }
            }
        }
    }
    CHECK(cases == 675);  // 5 x 5 x 3 x 3 x 3
}
