// Schema 3 (issue 6): the baseline a clinician marks, the final visits a comparison reads, and
// the upgrade of a database written by schema 2.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/comparison.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "support/test_support.hpp"
#include "test_database.hpp"

using namespace myo;
using namespace myo::store;
namespace fs = std::filesystem;

namespace {

Assessment visit_of(const char* date, int nrs) {
    Assessment a = test::vignette_assessment(test::vignette_files()[4]);  // v5, a physio case
    a.date = date;
    a.kind = "follow_up";
    a.answers["nrs_now"] = nrs;
    return a;
}

}  // namespace

TEST_CASE("migration: the schema-2 fixture (written by schema 2's myoscreen-cli) upgrades to 3" *
          doctest::test_suite("sqlite file")) {
    test::TempDir tmp;
    fs::path p = tmp.path() / "v2.db";
    fs::copy_file(test::data_dir() / "store" / "schema_v2.db", p);
    {
        Connection c(p, Connection::Mode::ReadOnly);
        CHECK(c.query_int("PRAGMA user_version") == 2);
    }
    Store s(p, test::definitions());
    CHECK(s.connection().query_int("PRAGMA user_version") == kSchemaVersion);
    CHECK(s.connection().query_text("PRAGMA integrity_check") == "ok");
    CHECK(s.list_patients().size() == 6);
    CHECK(s.list_patients("tomas").size() == 1);
    CHECK(s.load_settings().clinic_name == "Northside Pain Clinic");
    CHECK_FALSE(s.baseline_visit("V1").has_value());
    CHECK(s.load_document(4) ==
          write_assessment(test::vignette_assessment(test::vignette_files()[3])));
}

TEST_CASE("baseline: first visit unless marked; marking is validated and reversible") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    auto ids = s.import_assessments(
        {visit_of("2026-01-05", 7), visit_of("2026-02-05", 5), visit_of("2026-03-05", 4)});
    REQUIRE(ids.size() == 3);
    auto visits = s.final_visits("V5");
    REQUIRE(visits.size() == 3);
    CHECK(visits[0].assessment.date == "2026-01-05");
    CHECK(visits[2].assessment.date == "2026-03-05");
    CHECK_FALSE(s.baseline_visit("V5").has_value());

    s.set_baseline("V5", ids[1].id);
    CHECK(s.baseline_visit("V5") == ids[1].id);
    s.set_baseline("V5", std::nullopt);
    CHECK_FALSE(s.baseline_visit("V5").has_value());
    CHECK_THROWS_AS(s.set_baseline("V5", 999), NotFound);
    CHECK_THROWS_AS(s.set_baseline("nobody", ids[0].id), NotFound);
    s.import_assessments({test::vignette_assessment(test::vignette_files()[0])});
    CHECK_THROWS_AS(s.set_baseline("V5", s.final_visits("V1")[0].info.id),
                    NotFound);  // another patient's

    std::vector<Assessment> docs;
    for (const auto& v : visits) {
        docs.push_back(v.assessment);
    }
    Comparison c = compare_visits(test::definitions(), docs);
    CHECK(c.row("nrs_now")->from_baseline.absolute == -3);
}

TEST_CASE("baseline: a correction of a final visit replaces it in the comparison") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    auto ids = s.import_assessments({visit_of("2026-01-05", 7), visit_of("2026-02-05", 5)});
    std::int64_t draft = s.amend(ids[1].id);
    Assessment corrected = s.load(draft).assessment;
    corrected.answers["nrs_now"] = 2;
    s.save_draft(draft, corrected);
    CHECK(s.final_visits("V5")[1].assessment.answers["nrs_now"] ==
          5);  // a draft correction does not count yet
    s.finalize(draft);
    CHECK(s.final_visits("V5")[1].assessment.answers["nrs_now"] == 2);
    CHECK(s.final_visits("V5").size() == 2);
}
