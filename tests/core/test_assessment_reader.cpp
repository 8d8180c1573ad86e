// Reading assessment files (assessment-format.md 1, 2, 4): every problem reported with its
// JSON path, exact messages, and exact round trips.

#include <doctest/doctest.h>

#include "core/assessment.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

const char* kValid = R"({
 "format": "myoscreen.assessment",
 "version": 1,
 "patient": {"id": "P-1", "name": "Юлия Иванова", "birth_date": "1970-05-06", "sex": "female"},
 "date": "2026-11-20",
 "kind": "initial",
 "answers": {"nrs_now": 6, "duration_weeks": 0.3, "character": ["deep", "aching"], "rf.fever": "no"}
})";

Json valid() {
    return *parse_json(kValid).value;
}

std::vector<std::string> problems_of(const Json& doc) {
    std::vector<std::string> out;
    for (const auto& p : assessment_from_json(doc, test::definitions()).problems) {
        out.push_back(p.path + ": " + p.message);
    }
    return out;
}

std::vector<std::string> problems_of_text(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& p : parse_assessment(text, test::definitions()).problems) {
        out.push_back(p.path + ": " + p.message);
    }
    return out;
}

}  // namespace

TEST_CASE("reader: a valid file reads, and writes back out identically") {
    auto parsed = parse_assessment(kValid, test::definitions());
    REQUIRE(parsed.problems.empty());
    std::string once = write_assessment(*parsed.assessment);
    auto again = parse_assessment(once, test::definitions());
    REQUIRE(again.problems.empty());
    CHECK(write_assessment(*again.assessment) == once);
    CHECK(once.find("\"duration_weeks\": 0.3") != std::string::npos);
    CHECK(once.find("Юлия Иванова") != std::string::npos);
    CHECK(assessment_to_json(*again.assessment) == valid());
}

TEST_CASE("reader: every vignette round-trips exactly") {
    for (const auto& file : test::vignette_files()) {
        CAPTURE(file.filename().string());
        Json input = test::read_json(file)["input"];
        auto parsed = assessment_from_json(input, test::definitions());
        REQUIRE(parsed.problems.empty());
        CHECK(assessment_to_json(*parsed.assessment) == input);
        std::string text = write_assessment(*parsed.assessment);
        CHECK(write_assessment(*parse_assessment(text, test::definitions()).assessment) == text);
    }
}

TEST_CASE("reader: out-of-range values, wrong types and unknown ids, all reported") {
    Json doc = valid();
    doc["answers"]["tp.knee_l"] = 7;
    doc["answers"]["nrs_now"] = "six";
    doc["answers"]["tp.kne_r"] = 1;
    doc["answers"]["rf.fever"] = "maybe";
    doc["answers"]["character"] = Json::array({"deep", "deep", "itchy"});
    doc["answers"]["duration_weeks"] = -1;
    doc["answers"]["sss.headaches"] = "yes";
    doc["answers"]["onset"] = "slow";
    doc["answers"]["sss.fatigue"] = 2.0;
    doc["colour"] = "blue";
    CHECK(problems_of(doc) ==
          std::vector<std::string>{
              "/colour: unknown key \"colour\"",
              "/answers/nrs_now: expected an integer 0..10, got \"six\"",
              "/answers/duration_weeks: expected a number 0..2600, got -1",
              "/answers/character/1: \"deep\" appears more than once",
              "/answers/character/2: expected one of \"deep\", \"aching\", \"burning\", "
              "\"throbbing\", \"sharp\", \"cramping\" or \"stabbing\", got \"itchy\"",
              "/answers/rf.fever: expected \"yes\", \"no\" or \"unknown\", got \"maybe\"",
              "/answers/tp.knee_l: expected an integer 0..3, got 7",
              "/answers/tp.kne_r: unknown item \"tp.kne_r\" (did you mean \"tp.knee_r\"?)",
              "/answers/sss.headaches: expected true or false, got \"yes\"",
              "/answers/onset: expected one of \"gradual\", \"sudden\", \"after_exertion\", "
              "\"after_new_medication\", \"after_injury\" or \"after_infection\", got \"slow\"",
              "/answers/sss.fatigue: expected an integer 0..3, got 2.0",
          });
}

TEST_CASE("reader: impossible dates and patients") {
    Json doc = valid();
    doc["date"] = "2026-02-30";
    // Written as YYYY-MM-DD, as asked: the message says the day does not exist (issue 11).
    CHECK(problems_of(doc) ==
          std::vector<std::string>{"/date: the date 2026-02-30 does not exist: February 2026 "
                                   "has 28 days"});
    doc["date"] = "2026-13-01";
    CHECK(problems_of(doc) ==
          std::vector<std::string>{"/date: the date 2026-13-01 does not exist: there is no month "
                                   "13 (months are 01 to 12)"});
    doc["date"] = "20.11.2026";
    CHECK(problems_of(doc) == std::vector<std::string>{
                                  "/date: expected a real date as YYYY-MM-DD, got \"20.11.2026\""});
    doc = valid();
    doc["patient"]["birth_date"] = "1975-02-30";
    CHECK(problems_of(doc) ==
          std::vector<std::string>{"/patient/birth_date: the birth date 1975-02-30 does not exist: "
                                   "February 1975 has 28 days"});
    doc = valid();
    doc["patient"]["birth_date"] = "2027-01-01";
    CHECK(problems_of(doc) ==
          std::vector<std::string>{"/patient/birth_date: the birth date 2027-01-01 is after the "
                                   "assessment date 2026-11-20"});
    doc["patient"]["birth_date"] = "1890-01-01";
    CHECK(problems_of(doc) ==
          std::vector<std::string>{
              "/patient/birth_date: the patient would be 136 years old (at most 130)"});
    doc = valid();
    doc["patient"].erase("name");
    doc["patient"]["id"] = "";
    doc["patient"]["sex"] = "f";
    CHECK(problems_of(doc) ==
          std::vector<std::string>{
              "/patient/id: expected 1 to 64 characters, got 0",
              "/patient/name: required",
              "/patient/sex: expected \"female\", \"male\", \"other\" or \"unknown\", got \"f\"",
          });
    doc = valid();
    doc.erase("patient");
    doc.erase("answers");
    doc["version"] = 2;
    doc["kind"] = "review";
    CHECK(problems_of(doc) == std::vector<std::string>{
                                  "/version: expected 1 (this build reads version 1), got 2",
                                  "/patient: required",
                                  "/kind: expected \"initial\" or \"follow_up\", got \"review\"",
                                  "/answers: required",
                              });
}

TEST_CASE("reader: lists (PSFS, trigger points) and acknowledgements") {
    Json doc = valid();
    doc["answers"]["psfs"] = Json::array();
    for (int i = 0; i < 6; ++i) {
        doc["answers"]["psfs"].push_back(Json{{"activity", "walking"}, {"score", 4}});
    }
    doc["answers"]["psfs"][1]["score"] = 11;
    doc["answers"]["psfs"][2].erase("activity");
    doc["answers"]["mtrp"] =
        Json::array({Json{{"muscle", "trapezius"}, {"side", "left"}, {"twitchy", true}}});
    doc["acknowledged"] =
        Json::array({Json{{"flag", "rhabdo"}, {"by", "Dr A"}, {"at", "2026-11-20 10:00"}}});
    CHECK(problems_of(doc) ==
          std::vector<std::string>{
              "/acknowledged/0/flag: unknown red flag \"rhabdo\"",
              "/acknowledged/0/at: expected an ISO date-time (YYYY-MM-DDTHH:MM:SSZ), got "
              "\"2026-11-20 10:00\"",
              "/answers/psfs: at most 5 entries, got 6",
              "/answers/psfs/1/score: expected an integer 0..10, got 11",
              "/answers/psfs/2/activity: required",
              "/answers/mtrp/0/side: expected one of \"l\", \"r\" or \"midline\", got \"left\"",
              "/answers/mtrp/0/twitchy: unknown field \"twitchy\"",
          });
    doc = valid();
    doc["acknowledged"] = Json::array(
        {Json{{"flag", "rhabdomyolysis"}, {"by", "Dr A"}, {"at", "2026-11-20T10:00:00Z"}}});
    CHECK(problems_of(doc).empty());
}

TEST_CASE("reader: malformed JSON names line and column; duplicate keys are refused") {
    CHECK(problems_of_text("{\n \"format\": \"myoscreen.assessment\",\n \"version\": 1,,\n}") ==
          std::vector<std::string>{
              "line 3, column 15: malformed JSON: syntax error while parsing object key - "
              "unexpected ','; expected string literal"});
    CHECK(problems_of_text("") ==
          std::vector<std::string>{
              "line 1, column 1: malformed JSON: syntax error while parsing value - "
              "unexpected end of input; expected '[', '{', or a literal"});
    std::string dup = kValid;
    dup.replace(dup.find("\"nrs_now\": 6"), 12, "\"nrs_now\": 6, \"nrs_now\": 2");
    CHECK(problems_of_text(dup) ==
          std::vector<std::string>{
              "/answers/nrs_now: the key \"nrs_now\" appears more than once in this object"});
    // A number beyond a double's range is malformed input, not a crash (found by fuzzing).
    CHECK(problems_of_text("{\n \"format\": 1e400\n}") ==
          std::vector<std::string>{
              "line 2, column 12: malformed JSON: the number 1e400 is too large to represent"});
    CHECK(problems_of_text("[-123456789012345678901234567890e999]") ==
          std::vector<std::string>{"line 1, column 2: malformed JSON: the number "
                                   "-12345678901234567890... is too large to represent"});
    // So is nesting deeper than any MyoScreen document needs; brackets in strings don't count.
    CHECK(problems_of_text("{\"notes\": \"[[[[\", \"a\":" + std::string(100, '[')) ==
          std::vector<std::string>{
              "line 1, column 86: malformed JSON: nested more than 64 levels deep"});
    CHECK(problems_of_text("[1, 2]") ==
          std::vector<std::string>{": expected a JSON object (an assessment), got [1,2]"});
}

TEST_CASE("reader: errors are formatted as file: /json/path: message") {
    CHECK(format_problem("case.json", {"/answers/tp.knee_l", "expected an integer 0..3, got 7"}) ==
          "case.json: /answers/tp.knee_l: expected an integer 0..3, got 7");
    CHECK(format_problem("case.json", {"", "x"}) == "case.json: /: x");
}
