// Change between visits (clinical.md 9) on hand-worked series: improving, worsening,
// unchanged, missing measures, a new PSFS activity, a marked baseline, each threshold at its
// boundary, and the JSON and CSV forms.

#include <doctest/doctest.h>

#include "core/case_builder.hpp"
#include "core/comparison.hpp"
#include "support/test_support.hpp"

using namespace myo;
using test::Case;

namespace {

Assessment visit(Case c, const std::string& date) {
    c.date = date;
    Assessment a = c.assessment();
    a.kind = date == "2026-01-10" ? "initial" : "follow_up";
    return a;
}

Json psfs(std::initializer_list<std::pair<const char*, int>> items) {
    Json arr = Json::array();
    for (const auto& [activity, score] : items) {
        arr.push_back(Json{{"activity", activity}, {"score", score}});
    }
    return arr;
}

const ChangeMeasure& measure(const char* id) {
    const ChangeMeasure* m = test::definitions().rules.change.measure(id);
    REQUIRE(m);
    return *m;
}

}  // namespace

TEST_CASE("comparison: an improving series") {
    std::vector<Assessment> visits = {
        visit(Case()
                  .set("nrs_now", 7)
                  .set("nrs_worst", 9)
                  .set("psfs", psfs({{"walking 1 km", 3}, {"Lifting a child", 2}})),
              "2026-01-10"),
        visit(Case().set("nrs_now", 5).set("nrs_worst", 8).set("psfs", psfs({{"walking 1 km", 5}})),
              "2026-02-10"),
        visit(Case()
                  .set("nrs_now", 4)
                  .set("nrs_worst", 6)
                  .set("psfs", psfs({{"Walking  1 KM", 7}, {"lifting a child", 4}})),
              "2026-03-10"),
    };
    Comparison c = compare_visits(test::definitions(), visits);
    CHECK(c.baseline.date == "2026-01-10");
    CHECK(c.previous.date == "2026-02-10");
    CHECK(c.latest.date == "2026-03-10");
    const MeasureRow* now = c.row("nrs_now");
    REQUIRE(now);
    CHECK(now->from_baseline.absolute == -3);
    CHECK(now->from_baseline.percent == doctest::Approx(-42.9));
    CHECK(now->from_baseline.direction == Direction::Better);
    CHECK(now->from_baseline.important);
    CHECK(now->from_previous.absolute == -1);
    CHECK(now->from_previous.direction == Direction::Better);
    CHECK_FALSE(now->from_previous.important);  // 1 point, 20 % of 5
    const MeasureRow* walking = c.row("psfs:walking 1 km");
    REQUIRE(walking);
    CHECK(walking->label == "PSFS: walking 1 km");
    CHECK(walking->from_baseline.absolute == 4);
    CHECK(walking->from_baseline.direction == Direction::Better);
    CHECK(walking->from_baseline.important);
    const MeasureRow* lifting = c.row("psfs:lifting a child");
    REQUIRE(lifting);
    CHECK_FALSE(lifting->previous.has_value());
    CHECK(lifting->from_previous.direction == Direction::NotMeasured);
    CHECK(lifting->from_baseline.absolute == 2);
    CHECK_FALSE(lifting->from_baseline.important);  // a single activity needs 3 points
    const MeasureRow* avg = c.row("psfs_average");
    REQUIRE(avg);
    CHECK(avg->baseline == doctest::Approx(2.5));
    CHECK(avg->latest == doctest::Approx(5.5));
    CHECK(avg->from_baseline.important);
    CHECK(c.charts == std::vector<std::string>{"nrs_now", "nrs_worst", "psfs_average"});
}

TEST_CASE("comparison: worsening, unchanged and missing measures") {
    std::vector<Assessment> visits = {
        visit(Case().set("nrs_now", 3).set("nrs_average", 5).set("nrs_worst", 6), "2026-01-10"),
        visit(Case().set("nrs_now", 5).set("nrs_average", 5), "2026-02-10"),
    };
    Comparison c = compare_visits(test::definitions(), visits);
    CHECK(c.row("nrs_now")->from_baseline.direction == Direction::Worse);
    CHECK(c.row("nrs_now")->from_baseline.important);
    CHECK(c.row("nrs_average")->from_baseline.direction == Direction::Unchanged);
    CHECK_FALSE(c.row("nrs_average")->from_baseline.important);
    CHECK(c.row("nrs_worst")->from_baseline.direction == Direction::NotMeasured);
    CHECK_FALSE(c.row("nrs_best"));  // never recorded: no row
    CHECK_THROWS_AS(compare_visits(test::definitions(), {visits[0]}), std::invalid_argument);
}

TEST_CASE("comparison: NRS threshold, 2 points or 30 % of the reference") {
    const ChangeMeasure& nrs = measure("nrs_now");
    CHECK(measure_change(nrs, 6, 4).important);        // 2 points
    CHECK_FALSE(measure_change(nrs, 6, 5).important);  // 1 point, 16.7 %
    CHECK(measure_change(nrs, 3, 2).important);        // 1 point, 33.3 %
    CHECK_FALSE(measure_change(nrs, 4, 3).important);  // 1 point, 25 %
    CHECK(measure_change(nrs, 10, 7).important);       // 30 % exactly
    CHECK_FALSE(measure_change(nrs, 0, 1).important);  // no percentage of 0
    CHECK(measure_change(nrs, 0, 2).important);
    CHECK(measure_change(nrs, 2, 4).direction == Direction::Worse);
}

TEST_CASE("comparison: PPT, 0.34 kg/cm2 and 15 %, higher is better") {
    const ChangeMeasure& ppt = measure("ppt");
    Change up = measure_change(ppt, 2.1, 2.44);
    CHECK(up.absolute == doctest::Approx(0.34));
    CHECK(up.direction == Direction::Better);
    CHECK(up.important);                                    // 0.34 and 16.2 %
    CHECK_FALSE(measure_change(ppt, 2.1, 2.43).important);  // 0.33
    CHECK_FALSE(measure_change(ppt, 3.0, 3.4).important);   // 0.4 but 13.3 %
    CHECK(measure_change(ppt, 2.0, 2.34).important);        // 0.34 and 17 %
    Change down = measure_change(ppt, 3.4, 2.8);
    CHECK(down.direction == Direction::Worse);
    CHECK(down.important);
}

TEST_CASE("comparison: PSFS average 2 points, one activity 3 points") {
    CHECK(measure_change(measure("psfs_average"), 4, 6).important);
    CHECK_FALSE(measure_change(measure("psfs_average"), 4, 5.9).important);
    CHECK(measure_change(measure("psfs"), 4, 7).important);
    CHECK_FALSE(measure_change(measure("psfs"), 4, 6).important);
    CHECK(measure_change(measure("psfs"), 7, 4).direction == Direction::Worse);
}

TEST_CASE("comparison: tender count, WPI, SSS and FS report change without a threshold") {
    std::vector<Assessment> visits = {
        visit(Case()
                  .set("tp.knee_l", 3)
                  .set("tp.knee_r", 2)
                  .set("wpi.neck", true)
                  .set("wpi.hip_l", true),
              "2026-01-10"),
        visit(Case()
                  .set("tp.knee_l", 0)
                  .set("tp.knee_r", 1)
                  .set("wpi.neck", true)
                  .set("wpi.hip_r", true),
              "2026-02-10"),
    };
    Comparison c = compare_visits(test::definitions(), visits);
    const MeasureRow* tc = c.row("tender_count");
    REQUIRE(tc);
    CHECK(tc->from_baseline.absolute == -2);
    CHECK(tc->from_baseline.direction == Direction::Better);
    CHECK_FALSE(tc->from_baseline.important);
    CHECK(tc->threshold.empty());
    CHECK(c.row("tp.knee_l")->from_baseline.absolute == -3);
    CHECK(c.row("wpi")->from_baseline.direction == Direction::Unchanged);
    REQUIRE(c.areas.size() == 3);
    CHECK(c.areas[0].id == "wpi.hip_l");
    CHECK(c.areas[0].status == AreaStatus::Resolved);
    CHECK(c.areas[1].id == "wpi.hip_r");
    CHECK(c.areas[1].status == AreaStatus::New);
    CHECK(c.areas[2].id == "wpi.neck");
    CHECK(c.areas[2].status == AreaStatus::Unchanged);
}

TEST_CASE("comparison: a marked baseline") {
    std::vector<Assessment> visits = {
        visit(Case().set("nrs_now", 2), "2026-01-10"),
        visit(Case().set("nrs_now", 8), "2026-02-10"),
        visit(Case().set("nrs_now", 5), "2026-03-10"),
    };
    Comparison c = compare_visits(test::definitions(), visits, 1);
    CHECK(c.baseline_marked);
    CHECK(c.baseline.date == "2026-02-10");
    CHECK(c.row("nrs_now")->from_baseline.absolute == -3);
    CHECK(c.row("nrs_now")->from_baseline.direction == Direction::Better);
    CHECK_THROWS_AS(compare_visits(test::definitions(), visits, 2), std::invalid_argument);
}

TEST_CASE("comparison: JSON and CSV") {
    std::vector<Assessment> visits = {
        visit(Case().set("nrs_now", 6).set("ppt.trapezius_l", 2.1), "2026-01-10"),
        visit(Case().set("nrs_now", 3).set("ppt.trapezius_l", 2.44), "2026-02-10"),
    };
    Comparison c = compare_visits(test::definitions(), visits);
    Json j = comparison_to_json(c);
    CHECK(j["format"] == "myoscreen.comparison");
    CHECK(j["baseline"]["date"] == "2026-01-10");
    CHECK(j["baseline"]["marked"] == false);
    Json nrs = j["measures"][0];
    CHECK(nrs["id"] == "nrs_now");
    CHECK(nrs["baseline"] == 6);
    CHECK(nrs["latest"] == 3);
    CHECK(nrs["change_from_baseline"]["absolute"] == -3);
    CHECK(nrs["change_from_baseline"]["percent"] == -50);
    CHECK(nrs["change_from_baseline"]["direction"] == "better");
    CHECK(nrs["change_from_baseline"]["important"] == true);
    CHECK(nrs["threshold"] == "2 points or 30 %");
    CHECK(j["series"]["nrs_now"].size() == 2);
    std::string csv = comparison_to_csv(c);
    CHECK(csv.starts_with("patient_id,date,kind,nrs_now,ppt.trapezius_l\r\n"));
    CHECK(csv.find("T-1,2026-01-10,initial,6,2.1") != std::string::npos);
    CHECK(csv.find("T-1,2026-02-10,follow_up,3,2.44") != std::string::npos);
    Comparison one = measures_over_time(test::definitions(), {visits[0]});
    CHECK(comparison_to_csv(one).find("T-1,2026-01-10,initial,6,2.1") != std::string::npos);
}

TEST_CASE("comparison: a visit without a pain map has no WPI or FS (rules 2026.2)") {
    auto full_sss = [](Case c) {
        return c.set("sss.fatigue", 2)
            .set("sss.waking_unrefreshed", 1)
            .set("sss.cognitive", 0)
            .set("sss.headaches", false)
            .set("sss.lower_abdominal", false)
            .set("sss.depression", false);
    };
    std::vector<Assessment> visits = {
        visit(full_sss(Case()), "2026-01-10"),  // symptoms asked, pain map not recorded
        visit(full_sss(Case()).set("wpi.neck", true).set("wpi.hip_l", true), "2026-02-10"),
        visit(full_sss(Case()).set("wpi.neck", false), "2026-03-10"),  // map: nothing painful
    };
    Comparison c = compare_visits(test::definitions(), visits);
    CHECK_FALSE(c.baseline_pain_map);
    CHECK(c.latest_pain_map);
    const MeasureRow* wpi = c.row("wpi");
    REQUIRE(wpi);
    CHECK_FALSE(wpi->values[0].has_value());  // not measured, never 0
    CHECK(wpi->values[1] == 2);
    CHECK(wpi->values[2] == 0);  // one area recorded: the others count as not painful
    CHECK(wpi->from_baseline.direction == Direction::NotMeasured);
    CHECK(wpi->from_previous.direction == Direction::Better);
    const MeasureRow* fs = c.row("fs");
    REQUIRE(fs);
    CHECK_FALSE(fs->values[0].has_value());
    CHECK(fs->values[1] == 5);
    CHECK(fs->from_baseline.direction == Direction::NotMeasured);
    CHECK(c.row("sss")->values[0] == 3);  // the symptoms are still compared
    // No area is "new" or "resolved" against a map that was not recorded.
    CHECK(c.areas.empty());  // nothing painful at the latest visit

    std::vector<Assessment> later = {visits[0], visits[1]};
    Comparison d = compare_visits(test::definitions(), later);
    REQUIRE(d.areas.size() == 2);
    for (const auto& a : d.areas) {
        CHECK(a.status == AreaStatus::NotCompared);
    }
    Json j = comparison_to_json(d);
    CHECK(j["pain_map"]["baseline"] == false);
    CHECK(j["pain_map"]["latest"] == true);
    CHECK(j["areas"][0]["status"] == "not compared");
    std::string text = comparison_to_text(d);
    CHECK(text.find("Widespread Pain Index [/19]\n  baseline not measured, previous not measured, "
                    "latest 2\n  since baseline: not measured") != std::string::npos);
    CHECK(text.find("Pain areas, baseline to latest: not compared, pain map not recorded at the "
                    "baseline") != std::string::npos);
    CHECK(text.find("baseline 0") == std::string::npos);
}
