// myoscreen-cli as a user runs it: --help, --version, exit codes 0/2, JSON on stdout only.

#include <doctest/doctest.h>

#include <fstream>

#include "support/test_support.hpp"

using namespace myo;

TEST_CASE("cli: --help and --version") {
    auto help = test::cli_command("--help");
    CHECK(help.status == 0);
    CHECK(help.out.find("evaluate") != std::string::npos);
    CHECK(help.out.find("--forms") != std::string::npos);
    auto version = test::cli_command("--version");
    CHECK(version.status == 0);
    CHECK(version.out.starts_with("myoscreen-cli "));
    auto eval_help = test::cli_command("evaluate --help");
    CHECK(eval_help.status == 0);
    CHECK(eval_help.out.find("--format") != std::string::npos);
}

TEST_CASE("cli: evaluate prints the evaluation JSON on stdout, exit 0") {
    auto r = test::cli_command("evaluate " + test::quoted_example("v4_dark_urine.json"));
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    CHECK((*parsed.value)["urgency"] == "emergency");
    CHECK((*parsed.value)["red_flags"][0]["id"] == "rhabdomyolysis");
}

TEST_CASE("cli: evaluate reads standard input with -") {
    auto r = test::run_command(test::shell_quote(test::cli_path().string()) + " evaluate - < " +
                               test::quoted_example("v2_statin_thighs.json"));
    REQUIRE(r.status == 0);
    CHECK((*parse_json(r.out).value)["red_flags"][0]["id"] == "drug_myopathy");
}

TEST_CASE("cli: --format text is for a person") {
    auto r = test::cli_command("evaluate --format text " +
                               test::quoted_example("v1_widespread_chronic.json"));
    REQUIRE(r.status == 0);
    CHECK(r.out.find("Zoë Åkesson-Núñez") != std::string::npos);
    CHECK(r.out.find("WPI 9/19, SSS 7/12, FS 16/31") != std::string::npos);
    CHECK(r.out.find("support, and do not replace, clinical judgement") != std::string::npos);
    CHECK(r.out.find("diagnosis: inomyalgia") == std::string::npos);
    CHECK(test::cli_command("evaluate --format xml " +
                            test::quoted_example("v1_widespread_chronic.json"))
              .status == 2);
}

TEST_CASE("cli: evaluate without any wpi item: pain map not recorded (rules 2026.2)") {
    test::TempDir dir;
    auto file = dir.path() / "no-map.json";
    Json doc = test::read_json(test::source_dir() / "examples" / "v1_widespread_chronic.json");
    for (auto it = doc["answers"].begin(); it != doc["answers"].end();) {
        it = it.key().rfind("wpi.", 0) == 0 ? doc["answers"].erase(it) : std::next(it);
    }
    std::ofstream(file) << doc.dump(1);
    auto r = test::cli_command("evaluate " + test::shell_quote(file.string()));
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    const Json& out = *parsed.value;
    CHECK(out["format"] == "myoscreen.evaluation");
    CHECK(out["version"] == 1);
    CHECK(out["rules_version"] == "2026.2");
    // The keys and their nulls as in assessment-format.md section 3.
    CHECK(out["acr2016"] == Json::parse(R"({"wpi": null, "sss": 7, "fs": null, "regions": null,
                                            "generalized": null, "met": null})"));
    // SSS 7 and 30 weeks: met with a full map, not with an empty one, so null; ACR 1990 has enough
    // (11) tender points and 30 weeks, so only the unknown widespread pain could decide it: null.
    CHECK(out["acr1990"] ==
          Json::parse(R"({"tender_count": 11, "widespread": null, "met": null})"));

    auto text = test::cli_command("evaluate --format text " + test::shell_quote(file.string()));
    REQUIRE(text.status == 0);
    CHECK(text.out.find("WPI: pain map not recorded, SSS 7/12, FS: pain map not recorded") !=
          std::string::npos);
    CHECK(text.out.find("WPI 0") == std::string::npos);
}

TEST_CASE("cli: invalid input prints every problem on stderr, nothing on stdout, exit 2") {
    test::TempDir dir;
    auto file = dir.path() / "case.json";
    Json doc = test::read_json(test::source_dir() / "examples" / "v1_widespread_chronic.json");
    doc["answers"]["tp.knee_l"] = 7;
    doc["answers"]["nrs_now"] = 11;
    std::ofstream(file) << doc.dump(1);
    auto r = test::cli_command("evaluate " + test::shell_quote(file.string()));
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == file.string() + ": /answers/nrs_now: expected an integer 0..10, got 11\n" +
                       file.string() + ": /answers/tp.knee_l: expected an integer 0..3, got 7\n");

    std::ofstream(file) << "{\"format\": ";
    auto malformed = test::cli_command("evaluate " + test::shell_quote(file.string()));
    CHECK(malformed.status == 2);
    CHECK(malformed.out.empty());
    CHECK(malformed.err.starts_with(file.string() + ": line 1, column 12: malformed JSON: "));

    auto missing = test::cli_command("evaluate /nonexistent/case.json");
    CHECK(missing.status == 2);
    CHECK(missing.err == "/nonexistent/case.json: /: cannot be read (missing or unreadable)\n");
    // Issue 10: a directory says so; a device or an over-long input is refused by its size.
    auto directory = test::cli_command("evaluate /tmp");
    CHECK(directory.status == 2);
    CHECK(directory.err == "/tmp: /: is a directory, not an assessment file\n");
    auto zero = test::cli_command("evaluate /dev/zero");
    CHECK(zero.status == 2);
    CHECK(zero.err ==
          "/dev/zero: /: is larger than 1024 KiB, the most an assessment file may "
          "hold; it is not an assessment\n");
    auto piped = test::cli_command("evaluate - < /dev/zero");
    CHECK(piped.status == 2);
    CHECK(piped.err.starts_with("<stdin>: /: is larger than 1024 KiB"));
    CHECK(test::cli_command("evaluate").status == 2);
    CHECK(test::cli_command("frobnicate").status == 2);
}

TEST_CASE("cli: --forms names the definitions; broken definitions exit 2 with the path") {
    test::TempDir dir;
    for (const char* name : {"assessment.json", "tests.json", "rules.json"}) {
        std::filesystem::copy_file(test::forms_dir() / name, dir.path() / name);
    }
    CHECK(test::cli_command("--forms " + test::shell_quote(dir.path().string()) + " evaluate " +
                            test::quoted_example("v5_desk_trapezius.json"))
              .status == 0);
    Json rules = test::read_json(dir.path() / "rules.json");
    rules["workup"][0]["tests"][0] = "NOPE";
    std::ofstream(dir.path() / "rules.json") << rules.dump(1);
    auto r = test::cli_command("--forms " + test::shell_quote(dir.path().string()) + " evaluate " +
                               test::quoted_example("v5_desk_trapezius.json"));
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == (dir.path() / "rules.json").string() +
                       ": /workup/0/tests/0: unknown test \"NOPE\" (not in tests.json)\n");
}
