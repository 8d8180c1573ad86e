// Every example's FHIR export and the exports of a generated store pass the offline FHIR R4
// validators pinned in tools/fhir-validator (FHIR.js 4.12 and the official R4 JSON schema),
// plus their check that every reference resolves inside its Bundle. Any error fails.
#include <doctest/doctest.h>

#include <fstream>
#include <random>

#include "random_assessment.hpp"
#include "support/test_support.hpp"

using namespace myo;

TEST_CASE("the FHIR exports of the examples and of a generated store pass the R4 validators") {
    const auto validator = test::source_dir() / "tools" / "fhir-validator";
    // scripts/test installs the pinned validators (npm ci); without them this test cannot pass.
    const std::string install_hint =
        "the FHIR validators are not installed: run  npm ci --prefix " + validator.string() +
        "  (scripts/test does)";
    REQUIRE_MESSAGE(std::filesystem::exists(validator / "node_modules" / "fhir"), install_hint);
    test::TempDir dir;
    const auto out = dir.path() / "bundles";
    std::filesystem::create_directories(out);
    std::string files;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "examples")) {
        const auto target = out / (entry.path().stem().string() + ".fhir.json");
        auto r = test::cli_command("fhir " + test::shell_quote(entry.path().string()) + " -o " +
                                   test::shell_quote(target.string()));
        REQUIRE_MESSAGE(r.status == 0, r.err);
    }
    // One with notes and an acknowledged emergency: the QuestionnaireResponse's record group.
    {
        Assessment a = test::vignette_assessment(test::vignette_files().front());
        a.notes = "Dark urine since Tuesday; CK today.";
        a.acknowledged = std::vector<Acknowledgement>{
            {"rhabdomyolysis", "Dr R. Mensah", "2026-11-20T10:31:00Z"}};
        const auto input = dir.path() / "acknowledged.json";
        std::ofstream(input) << write_assessment(a);
        auto r = test::cli_command("fhir " + test::shell_quote(input.string()) + " -o " +
                                   test::shell_quote((out / "acknowledged.fhir.json").string()));
        REQUIRE_MESSAGE(r.status == 0, r.err);
    }

    // A generated store: 25 patients with random assessments (every item type, unknowns,
    // not-asked items), exported per patient through export --fhir.
    std::mt19937 rng(1616);
    std::string inputs;
    for (int n = 1; n <= 25; ++n) {
        const auto path = dir.path() / ("a" + std::to_string(n) + ".json");
        std::ofstream(path) << write_assessment(
            test::random_assessment(test::definitions(), rng, n));
        inputs += " " + test::shell_quote(path.string());
    }
    const std::string db = "--db " + test::shell_quote((dir.path() / "s.db").string()) + " ";
    auto imported = test::cli_command(db + "import" + inputs);
    REQUIRE_MESSAGE(imported.status == 0, imported.err);
    REQUIRE(test::cli_command(db + "settings --fhir-id-system urn:oid:1.2.3.4.5").status == 0);
    for (int n = 1; n <= 25; ++n) {
        auto r = test::cli_command(db + "export --patient P-" + std::to_string(n) +
                                   " --fhir --out " + test::shell_quote(out.string()));
        REQUIRE_MESSAGE(r.status == 0, r.err);
    }
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(out)) {
        ++count;
    }
    CHECK(count == 32);

    auto v = test::run_command("node " + test::shell_quote((validator / "validate.js").string()) +
                               " " + test::shell_quote(out.string()) + "/*.json");
    INFO(v.err.substr(0, 4000));
    MESSAGE(v.out);
    CHECK(v.status == 0);
    CHECK(v.out.find(", 0 error(s)") != std::string::npos);
}
