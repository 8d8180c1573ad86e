// fhir FILE, export --fhir, import --fhir and settings --fhir-id-system as a user runs them.
#include <doctest/doctest.h>

#include <fstream>

#include "core/evaluation.hpp"
#include "fhir/fhir.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("fhir FILE: the Bundle on standard output or in a new file, with the referral PDF") {
    test::TempDir dir;
    auto r = test::cli_command("fhir " + test::quoted_example("v4_dark_urine.json"));
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    CHECK((*parsed.value)["type"] == "document");
    bool pdf = false;
    for (const auto& e : (*parsed.value)["entry"]) {
        if (e["resource"]["resourceType"] == "DocumentReference") {
            pdf = e["resource"]["content"][0]["attachment"]["data"].get<std::string>().rfind(
                      "JVBER", 0) == 0;
        }
    }
    CHECK(pdf);
    const auto out = dir.path() / "b.json";
    CHECK(test::cli_command("fhir --no-referral " + test::quoted_example("v4_dark_urine.json") +
                            " -o " + test::shell_quote(out.string()))
              .status == 0);
    CHECK(read_text_file(out).find("DocumentReference") == std::string::npos);
    auto again = test::cli_command("fhir " + test::quoted_example("v4_dark_urine.json") + " -o " +
                                   test::shell_quote(out.string()));
    CHECK(again.status == 2);
    CHECK(again.err.find("already exists; export never overwrites a file") != std::string::npos);
}

TEST_CASE("export --fhir from the store, the clinic's id system, import --fhir into a draft") {
    test::TempDir dir;
    const std::string db = "--db " + test::shell_quote((dir.path() / "s.db").string()) + " ";
    REQUIRE(test::cli_command(db + "import " + test::quoted_example("v1_widespread_chronic.json") +
                              " " + test::quoted_example("v4_dark_urine.json"))
                .status == 0);
    auto bad_uri = test::cli_command(db + "settings --fhir-id-system 'not a uri'");
    CHECK(bad_uri.status == 2);
    CHECK(bad_uri.err.find("must be an absolute URI") != std::string::npos);
    auto set =
        test::cli_command(db + "settings --fhir-id-system https://clinic.example/patient-ids");
    REQUIRE(set.status == 0);
    CHECK(set.out.find("FHIR patient id system: https://clinic.example/patient-ids\n") !=
          std::string::npos);

    const auto one = dir.path() / "one.json";
    auto r = test::cli_command(db + "export --assessment 1 --fhir -o " +
                               test::shell_quote(one.string()));
    REQUIRE(r.status == 0);
    const Json b = *parse_json(read_text_file(one)).value;
    bool system = false;
    for (const auto& e : b["entry"]) {
        if (e["resource"]["resourceType"] == "Patient") {
            system =
                e["resource"]["identifier"][0]["system"] == "https://clinic.example/patient-ids";
        }
    }
    CHECK(system);

    auto all = test::cli_command(db + "export --patient V1 --fhir --out " +
                                 test::shell_quote((dir.path() / "all").string()));
    REQUIRE(all.status == 0);
    CHECK(all.out.find(".fhir.json\n") != std::string::npos);

    auto in = test::cli_command(db + "import --fhir " + test::shell_quote(one.string()));
    REQUIRE(in.status == 0);
    CHECK(in.out.find(": stored as draft assessment 3 (patient ") != std::string::npos);
    const auto original = test::cli_command(db + "evaluate --assessment 1");
    const auto imported = test::cli_command(db + "evaluate --assessment 3");
    REQUIRE(imported.status == 0);
    CHECK(imported.out == original.out);
    auto audit = test::cli_command(db + "audit");
    CHECK(audit.out.find("exported as FHIR to") != std::string::npos);
}

TEST_CASE("import --fhir: hostile files give a clear message and exit 2, nothing stored") {
    test::TempDir dir;
    const std::string db = "--db " + test::shell_quote((dir.path() / "s.db").string()) + " ";
    const auto f = dir.path() / "x.json";
    const std::pair<std::string, std::string> cases[] = {
        {"{\"resourceType\": \"Observation\"}", "Bundle.resourceType: expected \"Bundle\""},
        {"{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": 5}]}",
         "Bundle.entry[0].resource: expected an object, got 5"},
        {std::string(5000, '[') + std::string(5000, ']'), "nest"},
        {"{\"resourceType\": \"Bundle\"", "line 1"},
        {"", ""},
    };
    for (const auto& [text, message] : cases) {
        write(f, text);
        auto r = test::cli_command(db + "import --fhir " + test::shell_quote(f.string()));
        INFO(text.substr(0, 60));
        CHECK(r.status == 2);
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(r.out.empty());
    }
    auto missing = test::cli_command(db + "import --fhir " +
                                     test::shell_quote((dir.path() / "none.json").string()));
    CHECK(missing.status == 2);
    CHECK(missing.err.find("none.json: /: cannot be read (missing or unreadable)\n") !=
          std::string::npos);
    // A huge file is refused by its size, unread.
    std::filesystem::resize_file(f, fhir::kMaxFhirBytes + 1);
    auto huge = test::cli_command(db + "import --fhir " + test::shell_quote(f.string()));
    CHECK(huge.status == 2);
    CHECK(huge.err.find("a FHIR file is read up to 32 MiB") != std::string::npos);
    // A device that never ends is read no further than the limit (it hung before), and a
    // folder is named as one.
    auto device = test::cli_command(db + "import --fhir /dev/zero");
    CHECK(device.status == 2);
    CHECK(device.err.find("/dev/zero: /: is too large: a FHIR file is read up to 32 MiB\n") !=
          std::string::npos);
    auto folder = test::cli_command(db + "import --fhir " + test::shell_quote(dir.path().string()));
    CHECK(folder.status == 2);
    CHECK(folder.err.find(": /: is a directory, not a FHIR file\n") != std::string::npos);
}
