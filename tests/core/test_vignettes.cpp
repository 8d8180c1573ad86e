// The worked vignettes of ../shared/vignettes (copied to tests/data/vignettes): the evaluation
// must match "expected" in every field the file gives; lists of red flags and tests compare
// as sets (by id), every other list in order.

#include <doctest/doctest.h>

#include <map>

#include "core/evaluation.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

void compare(const Json& expected, const Json& actual, const std::string& path) {
    if (expected.is_object()) {
        REQUIRE_MESSAGE(actual.is_object(), path << ": expected an object, got " << actual.dump());
        for (const auto& [key, value] : expected.items()) {
            REQUIRE_MESSAGE(actual.contains(key), path << "/" << key << " is missing");
            compare(value, actual[key], path + "/" + key);
        }
        return;
    }
    bool by_id = path.size() >= 6 && (path.ends_with("/red_flags") || path.ends_with("/tests"));
    if (expected.is_array() && by_id) {
        REQUIRE(actual.is_array());
        std::map<std::string, Json> want;
        std::map<std::string, Json> got;
        for (const auto& e : expected) {
            want[e["id"].get<std::string>()] = e;
        }
        for (const auto& a : actual) {
            got[a["id"].get<std::string>()] = a;
        }
        std::vector<std::string> want_ids;
        std::vector<std::string> got_ids;
        for (const auto& [id, _] : want)
            want_ids.push_back(id);
        for (const auto& [id, _] : got)
            got_ids.push_back(id);
        REQUIRE_MESSAGE(want_ids == got_ids, path << ": ids differ: expected "
                                                  << Json(want_ids).dump() << ", got "
                                                  << Json(got_ids).dump());
        for (const auto& [id, e] : want) {
            compare(e, got[id], path + "/" + id);
        }
        return;
    }
    CHECK_MESSAGE(expected == actual,
                  path << ": expected " << expected.dump() << ", got " << actual.dump());
}

}  // namespace

TEST_CASE("vignettes: the evaluation matches every expected field") {
    auto files = test::vignette_files();
    REQUIRE(files.size() == 6);
    for (const auto& file : files) {
        CAPTURE(file.filename().string());
        Json doc = test::read_json(file);
        Assessment a = test::vignette_assessment(file);
        Json actual = evaluation_to_json(evaluate(test::definitions(), a), test::definitions());
        compare(doc["expected"], actual, "");
    }
}

TEST_CASE("vignettes: evaluation output has the contract's shape") {
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    Json out = evaluation_to_json(evaluate(test::definitions(), a), test::definitions());
    CHECK(out["format"] == "myoscreen.evaluation");
    CHECK(out["version"] == 1);
    CHECK(out["rules_version"] == "2026.2");
    for (const char* key :
         {"age", "duration", "weight_loss_percent", "acr2016", "acr1990", "pattern", "urgency",
          "red_flags", "unscreened", "tests", "referrals", "advice"}) {
        CHECK_MESSAGE(out.contains(key), key);
    }
}
