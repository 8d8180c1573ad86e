// The condition language of forms/rules.json (README "Changing a rule").

#include <doctest/doctest.h>

#include "core/condition.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

Outcome eval(const std::string& text, const Json& answers, int age = 40) {
    auto c = Condition::parse(text);
    ConditionScope scope;
    scope.form = &test::definitions().form;
    scope.duration_categories = {"acute", "subacute", "chronic"};
    scope.flag_ids = {"malignancy"};
    auto problems = c->check(scope);
    REQUIRE_MESSAGE(problems.empty(), text << ": " << (problems.empty() ? "" : problems.front()));
    Facts f;
    f.form = &test::definitions().form;
    f.answers = &answers;
    f.age = age;
    return c->evaluate(f);
}

std::vector<std::string> check(const std::string& text) {
    auto c = Condition::parse(text);
    ConditionScope scope;
    scope.form = &test::definitions().form;
    scope.duration_categories = {"acute", "subacute", "chronic"};
    return c->check(scope);
}

}  // namespace

TEST_CASE("condition: yes/no/unknown items are three-valued") {
    CHECK(eval("rf.fever", Json{{"rf.fever", "yes"}}).value == Tri::True);
    CHECK(eval("rf.fever", Json{{"rf.fever", "no"}}).value == Tri::False);
    CHECK(eval("rf.fever", Json{{"rf.fever", "unknown"}}).value == Tri::Unknown);
    CHECK(eval("rf.fever", Json::object()).value == Tri::Unknown);
    CHECK(eval("not rf.fever", Json::object()).value == Tri::Unknown);
    // Kleene: unknown or true = true; unknown and false = false.
    CHECK(eval("rf.fever or rf.rash", Json{{"rf.rash", "yes"}}).value == Tri::True);
    CHECK(eval("rf.fever and rf.rash", Json{{"rf.rash", "no"}}).value == Tri::False);
    CHECK(eval("age >= 50 and rf.gca_symptoms", Json::object(), 30).value == Tri::False);
    CHECK(eval("age >= 50 and rf.gca_symptoms", Json::object(), 60).value == Tri::Unknown);
}

TEST_CASE("condition: absent numbers, checkboxes and choices are false, != is true") {
    CHECK(eval("nrs_worst >= 8", Json::object()).value == Tri::False);
    CHECK(eval("med.statin", Json::object()).value == Tri::False);
    CHECK(eval("pattern == \"recurrent\"", Json::object()).value == Tri::False);
    CHECK(eval("rf.neuro_deficit != \"yes\"", Json::object()).value == Tri::True);
    CHECK(eval("rf.neuro_deficit != \"yes\"", Json{{"rf.neuro_deficit", "yes"}}).value ==
          Tri::False);
}

TEST_CASE("condition: because lists the true findings, every branch of an or") {
    Json a{{"rf.fever", "yes"}, {"rf.rash", "yes"}, {"nrs_worst", 9}};
    CHECK(eval("rf.fever or rf.rash or rf.trauma", a).because ==
          std::vector<std::string>{"rf.fever", "rf.rash"});
    CHECK(eval("age >= 18 and nrs_worst >= 8", a).because == std::vector<std::string>{"nrs_worst"});
    CHECK(eval("always or factor.low_activity", Json::object()).because.empty());
    Json tps{{"tp.knee_l", 2}, {"tp.knee_r", 1}, {"tp.occiput_l", 3}};
    auto o = eval("tp.* >= 2", tps);
    CHECK(o.value == Tri::True);
    CHECK(o.because == std::vector<std::string>{"tp.occiput_l", "tp.knee_l"});
    Json mtrp{{"mtrp", Json::array({Json{{"muscle", "x"}, {"side", "l"}, {"recognised", true}}})}};
    CHECK(eval("mtrp.recognised", mtrp).because == std::vector<std::string>{"mtrp"});
    CHECK(eval("character has_any [\"deep\", \"aching\"]", Json{{"character", {"aching"}}}).value ==
          Tri::True);
    CHECK(eval("character has \"cramping\"", Json{{"character", {"aching"}}}).value == Tri::False);
    CHECK(eval("answered(rf.fever)", Json{{"rf.fever", "unknown"}}).value == Tri::False);
    CHECK(eval("answered(rf.fever)", Json{{"rf.fever", "no"}}).value == Tri::True);
}

TEST_CASE("condition: syntax errors name the character") {
    auto message = [](const std::string& text) {
        try {
            Condition::parse(text);
        } catch (const ConditionSyntaxError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("rf.fever or") ==
          "at character 12: expected a name, \"not\" or \"(\" but found \"end of condition\"");
    CHECK(message("(rf.fever") == "at character 10: expected \")\" but found \"end of condition\"");
    CHECK(message("nrs_worst >= ") ==
          "at character 14: expected a number or a \"string\" after the comparison");
    CHECK(message("rf.fever & rf.rash") == "at character 10: unexpected character '&'");
    CHECK(message("character has_any []") ==
          "at character 20: expected a non-empty list of \"strings\" closed with ]");
    // Nesting is bounded, so thousands of brackets are an error, not a stack overflow
    // (found by fuzzing); 32 levels still parse.
    CHECK(message(std::string(5000, '(') + "rf.fever") ==
          "at character 33: the condition nests more than 32 levels of brackets or \"not\"");
    CHECK(message(std::string(31, '(') + "rf.fever" + std::string(31, ')')) == "no error");
    std::string nots;
    for (int i = 0; i < 40; ++i) {
        nots += "not ";
    }
    CHECK(message(nots + "rf.fever") ==
          "at character 129: the condition nests more than 32 levels of brackets or \"not\"");
}

TEST_CASE("condition: names, types and choices are checked against the form") {
    CHECK(check("rf.fevr") == std::vector<std::string>{"unknown item or value \"rf.fevr\""});
    CHECK(check("nrs_worst") ==
          std::vector<std::string>{
              "\"nrs_worst\" is not a yes/no item: compare it (e.g. nrs_worst >= 1)"});
    CHECK(check("sss.fatigue >= 4") ==
          std::vector<std::string>{"the value 4 is outside sss.fatigue's range 0..3"});
    CHECK(check("character has \"crampy\"")
              .front()
              .starts_with("\"crampy\" is not a choice of character"));
    CHECK(check("pattern == 3") ==
          std::vector<std::string>{"\"pattern\" takes == or != with a \"string\""});
    CHECK(check("duration_category == \"long\"")
              .front()
              .starts_with("\"long\" is not a value of duration_category"));
    CHECK(check("urgency == \"urgent\"").front() ==
          "\"urgency\" can only be used in a red flag's tests and referrals");
    CHECK(check("flag.nonsense") == std::vector<std::string>{"unknown red flag \"nonsense\""});
    CHECK(check("zz.* >= 1") == std::vector<std::string>{"\"zz.*\" matches no item"});
}
