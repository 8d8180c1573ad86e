// Loading forms/: the shipped definitions hold every contract id, and broken definitions are
// refused at start-up with "file: /json/path: message".

#include <doctest/doctest.h>

#include <fstream>
#include <functional>

#include "core/definitions.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

// Copies forms/ into a temp dir, lets the test change one file, and returns the error lines.
std::string load_error(const std::string& file, const std::function<void(Json&)>& change) {
    test::TempDir dir;
    for (const char* name : {"assessment.json", "tests.json", "rules.json"}) {
        std::filesystem::copy_file(test::forms_dir() / name, dir.path() / name);
    }
    Json doc = test::read_json(dir.path() / file);
    change(doc);
    std::ofstream(dir.path() / file) << doc.dump(1);
    try {
        load_definitions(dir.path());
    } catch (const DefinitionError& e) {
        std::string lines = e.lines();
        auto prefix = (dir.path() / file).string() + ": ";
        std::string out;
        std::size_t pos = 0;
        while ((pos = lines.find(prefix, pos)) != std::string::npos) {
            lines.erase(pos, prefix.size());
        }
        return lines;
    }
    return "loaded";
}

Json& flag(Json& rules, const std::string& id) {
    for (auto& f : rules["red_flags"]) {
        if (f["id"] == id) {
            return f;
        }
    }
    throw std::runtime_error("no flag " + id);
}

}  // namespace

TEST_CASE("definitions: the shipped forms load and hold every contract id") {
    const Definitions& d = test::definitions();
    CHECK(d.rules.version == "2026.2");
    std::vector<std::string> contract = {"duration_weeks",
                                         "onset",
                                         "pattern",
                                         "character",
                                         "nrs_now",
                                         "nrs_average",
                                         "nrs_worst",
                                         "nrs_best",
                                         "morning_stiffness_min",
                                         "aggravators",
                                         "relievers",
                                         "sleep_disrupted",
                                         "daily_tasks_limited",
                                         "sym.cramps",
                                         "mtrp",
                                         "sss.fatigue",
                                         "sss.waking_unrefreshed",
                                         "sss.cognitive",
                                         "sss.headaches",
                                         "sss.lower_abdominal",
                                         "sss.depression",
                                         "factor.overuse",
                                         "factor.posture",
                                         "factor.stress",
                                         "factor.poor_sleep",
                                         "factor.low_activity",
                                         "factor.dehydration",
                                         "factor.diet",
                                         "factor.unaccustomed_exercise",
                                         "med.statin",
                                         "med.other_myotoxic",
                                         "med.glucocorticoid_long_term",
                                         "med.list",
                                         "exam.weight_kg",
                                         "exam.weight_prev_kg",
                                         "exam.weight_prev_months",
                                         "exam.temp_c",
                                         "exam.notes",
                                         "psfs",
                                         "ppt.tibialis_anterior_l",
                                         "ppt.tibialis_anterior_r"};
    for (const char* a :
         {"jaw", "shoulder_girdle", "upper_arm", "lower_arm", "hip", "upper_leg", "lower_leg"}) {
        contract.push_back(std::string("wpi.") + a + "_l");
        contract.push_back(std::string("wpi.") + a + "_r");
    }
    for (const char* a : {"neck", "upper_back", "lower_back", "chest", "abdomen"}) {
        contract.push_back(std::string("wpi.") + a);
    }
    for (const char* s : {"occiput", "low_cervical", "trapezius", "supraspinatus", "second_rib",
                          "lateral_epicondyle", "gluteal", "greater_trochanter", "knee"}) {
        for (const char* side : {"_l", "_r"}) {
            contract.push_back(std::string("tp.") + s + side);
            contract.push_back(std::string("ppt.") + s + side);
        }
    }
    for (const char* r : {"weakness_objective",
                          "weakness_proximal",
                          "dysphagia_dyspnoea",
                          "numbness",
                          "neuro_deficit",
                          "neuro_progressive",
                          "saddle_or_sphincter",
                          "weight_loss",
                          "fever",
                          "cancer_history",
                          "night_pain",
                          "immunosuppressed",
                          "ivdu",
                          "trauma",
                          "girdle_stiffness",
                          "gca_symptoms",
                          "visual_disturbance",
                          "dark_urine",
                          "rash",
                          "synovitis",
                          "sle_features"}) {
        contract.push_back(std::string("rf.") + r);
    }
    for (const auto& id : contract) {
        CHECK_MESSAGE(d.form.find(id), id);
    }
    for (const auto& item : d.form.items) {
        CHECK_MESSAGE(!item.label.empty(), item.id);
        CHECK_MESSAGE(!item.help.empty(), item.id);
    }
    CHECK(d.form.steps.size() == 8);
    CHECK(d.tests.tests.size() == 27);
    CHECK(d.rules.red_flags.size() == 14);
    for (const auto& f : d.rules.red_flags) {
        CHECK_MESSAGE(!f.source.empty(), f.id);
        CHECK_MESSAGE(!f.action.empty(), f.id);
    }
}

TEST_CASE("definitions: broken rules are refused with the path and the reason") {
    CHECK(load_error("rules.json", [](Json& r) {
              flag(r, "rhabdomyolysis")["trigger"] = "rf.dark_urin";
          }) == "/red_flags/1/trigger: unknown item or value \"rf.dark_urin\"\n");
    CHECK(load_error("rules.json", [](Json& r) {
              flag(r, "rhabdomyolysis")["tests"][0]["id"] = "CKK";
          }) == "/red_flags/1/tests/0/id: unknown test \"CKK\" (not in tests.json)\n");
    CHECK(load_error("rules.json", [](Json& r) { flag(r, "numbness")["id"] = "rhabdomyolysis"; }) ==
          "/red_flags/6/id: duplicate red flag id \"rhabdomyolysis\"\n");
    CHECK(load_error("rules.json", [](Json& r) { r["workup"][0]["tests"].push_back("ANA"); }) ==
          "/workup/0/tests/5: \"ANA\" may only be suggested by a red flag, never by a work-up rule "
          "(guardrail in "
          "tests.json)\n");
    CHECK(load_error("rules.json", [](Json& r) { r["workup"][2]["when"] = "sss.fatigue >= 7"; }) ==
          "/workup/2/when: the value 7 is outside sss.fatigue's range 0..3\n");
    CHECK(load_error("rules.json", [](Json& r) { r["workup"][2]["when"] = "sss.fatigue >="; }) ==
          "/workup/2/when: condition syntax: at character 15: expected a number or a \"string\" "
          "after the "
          "comparison\n");
    CHECK(load_error("rules.json",
                     [](Json& r) { flag(r, "infection")["urgency"][1]["level"] = "asap"; }) ==
          "/red_flags/8/urgency/1/level: unknown urgency \"asap\" (emergency, urgent or soon)\n");
    CHECK(load_error("rules.json", [](Json& r) { r["advice"][0].erase("when"); }) ==
          "/advice/0/when: required\n");
    CHECK(load_error("rules.json", [](Json& r) {
              r["acr2016"]["regions"][0]["areas"][0] = "wpi.jaw";
          }) == "/acr2016/regions/0/areas/0: unknown item \"wpi.jaw\"\n");
}

TEST_CASE("definitions: broken forms and catalogue are refused") {
    CHECK(
        load_error("assessment.json", [](Json& f) { f["items"][1]["type"] = "choice"; }) ==
        "/items/1/type: unknown type \"choice\" (yn, bool, int, num, enum, multi, text or list)\n");
    CHECK(load_error("assessment.json", [](Json& f) { f["items"][2]["id"] = "duration_weeks"; }) ==
          "/items/2/id: duplicate item id \"duration_weeks\"\n");
    CHECK(load_error("assessment.json", [](Json& f) {
              f["items"][0]["min"] = 10;
              f["items"][0]["max"] = 1;
          }) == "/items/0/min: min is greater than max\n");
    CHECK(load_error("tests.json", [](Json& t) { t["tests"][1]["id"] = "CBC"; }) ==
          "/tests/1/id: duplicate test id \"CBC\"\n");
}

TEST_CASE("definitions: a malformed or missing file is named") {
    test::TempDir dir;
    for (const char* name : {"assessment.json", "tests.json"}) {
        std::filesystem::copy_file(test::forms_dir() / name, dir.path() / name);
    }
    std::ofstream(dir.path() / "rules.json")
        << "{\n  \"rules_version\": \"x\"\n  \"red_flags\": []\n}";
    try {
        load_definitions(dir.path());
        FAIL("loaded");
    } catch (const DefinitionError& e) {
        CHECK(e.lines() == (dir.path() / "rules.json").string() +
                               ": line 3, column 13: malformed JSON: syntax error while parsing "
                               "object - unexpected "
                               "string literal; expected '}'\n");
    }
    std::filesystem::remove(dir.path() / "tests.json");
    CHECK_THROWS_AS(load_definitions(dir.path()), DefinitionError);
}

TEST_CASE("definitions: the directory is found beside the binary or named explicitly") {
    CHECK(find_definitions_dir(std::filesystem::path("/x/forms"), "/nowhere") ==
          std::filesystem::path("/x/forms"));
    auto found = find_definitions_dir(std::nullopt, test::binary_dir() / "bin");
    REQUIRE(found);
    CHECK(std::filesystem::exists(*found / "rules.json"));
    CHECK_FALSE(find_definitions_dir(std::nullopt, "/nonexistent/bin").has_value());
}
