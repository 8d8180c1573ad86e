// Item 7 of issue 7: every action leaves one audit row (who, when, what, which record, a summary
// without clinical values); the trail is append-only; changing or deleting any sampled row is
// found by db verify. Also the schema-3 fixture's upgrade to the audited schema 4.

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "store/audit.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

std::vector<std::string> actions_of(const std::vector<AuditEntry>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) {
        out.push_back(r.action);
    }
    return out;
}

// A store with a trail of a few dozen rows, closed (one self-contained file).
fs::path make_trail(const fs::path& dir) {
    fs::path p = dir / "trail.db";
    Store s(p, test::definitions());
    s.save_settings({"Clinic", "Road 1", "Dr Chain"});
    for (int i = 0; i < 10; ++i) {
        Assessment a = test::sample_assessment("C-" + std::to_string(i), "Chain Patient");
        auto id = s.create_draft(a);
        a.answers["nrs_now"] = i % 11;
        s.save_draft(id, a);
        s.finalize(id);
    }
    return p;
}

void drop_triggers(Connection& c) {
    c.exec("DROP TRIGGER audit_rows_are_not_changed; DROP TRIGGER audit_rows_are_not_deleted");
}

}  // namespace

TEST_CASE("audit: a scripted run of every action leaves one row each, with who, when and what") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    {
        Store s(db, test::definitions());
        s.save_settings({"Clinic", "Road 1", "Dr Audit"});            // settings
        s.add_patient({"P-A", "Ana Audit", "1970-01-02", "female"});  // create-patient
        Assessment a = test::sample_assessment("P-A", "Ana Audit");
        a.patient.sex = "female";
        a.patient.birth_date = "1970-01-02";
        auto id = s.create_draft(a);  // create
        Assessment edited = a;
        edited.answers["nrs_now"] = 9;
        edited.answers.erase("nrs_average");
        edited.notes = "changed";
        s.save_draft(id, edited);  // edit
        s.finalize(id);            // finalize
        auto fix = s.amend(id);    // amend
        s.discard_draft(fix);      // discard
        Assessment other = a;
        other.date = "2026-11-21";
        auto imported = s.import_assessments({other})[0].id;                             // import
        s.set_baseline("P-A", imported);                                                 // baseline
        s.record_event(audit_action::kPdf, {std::nullopt, id}, "referral PDF written");  // pdf
        auto exported = test::cli(db, {"export", "--assessment", std::to_string(id), "--out",
                                       (tmp.path() / "out").string()});  // export
        CHECK(exported.status == 0);
        s.backup(tmp.path() / "b.db");                                   // backup
        s.add_patient({"P-B", "Bo Other", "1980-05-06", std::nullopt});  // create-patient
        s.delete_patient("P-A", "Ana Audit", tmp.path() / "bk");         // backup + delete

        auto rows = s.audit_trail();
        std::vector<std::string> expected = {
            "audit-start", "settings",       "create-patient", "create",   "edit", "finalize",
            "amend",       "discard",        "import",         "baseline", "pdf",  "export",
            "backup",      "create-patient", "backup",         "delete"};
        CHECK(actions_of(rows) == expected);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            CAPTURE(i);
            CHECK(rows[i].seq == static_cast<std::int64_t>(i + 1));
            CHECK(rows[i].os_user == os_account());
            CHECK_FALSE(rows[i].os_user.empty());
            CHECK(rows[i].at.size() == 24);
            CHECK(rows[i].at.back() == 'Z');
            CHECK(rows[i].clinician == (i < 1 ? "" : "Dr Audit"));
        }
        CHECK(rows[1].summary == "settings changed: clinic name, clinic address, clinician name");
        CHECK(rows[4].summary ==
              "draft saved; answers changed: nrs_now; answers removed: nrs_average; fields "
              "changed: notes");
        CHECK(rows[4].assessment == id);
        CHECK(rows[10].patient_id == "P-A");  // filled in from the assessment
        CHECK(rows[10].summary == "referral PDF written");
        CHECK(rows[11].summary.find("exported to ") == 0);
        // A patient's trail: its own rows only, kept after the patient is deleted.
        auto mine = s.audit_trail(std::string("P-A"));
        CHECK(actions_of(mine) == std::vector<std::string>{"create-patient", "create", "edit",
                                                           "finalize", "amend", "discard", "import",
                                                           "baseline", "pdf", "export", "delete"});
        CHECK(s.verify_audit().ok);
    }
    // The restore is recorded in the restored file.
    auto r = Store::restore(db, tmp.path() / "b.db");
    Store s(db, test::definitions());
    auto rows = s.audit_trail();
    CHECK(rows.back().action == "restore");
    CHECK(s.verify_audit().ok);

    auto cli = test::cli(db, {"audit", "--patient", "P-A"});
    CHECK(cli.status == 0);
    CHECK(cli.out.find("WHEN (UTC)") != std::string::npos);
    CHECK(cli.out.find("create-patient") != std::string::npos);
    CHECK(cli.out.find("restore") == std::string::npos);
    auto json = test::cli(db, {"audit", "--format", "json"});
    CHECK(json.status == 0);
    CHECK(Json::parse(json.out).size() == rows.size());
}

TEST_CASE("audit: append-only; the database refuses to change or delete a row") {
    test::TempDir tmp;
    Store s(make_trail(tmp.path()), test::definitions());
    auto before = s.audit_trail();
    CHECK_THROWS_WITH_AS(s.connection().exec("UPDATE audit SET summary = 'nothing' WHERE seq = 3"),
                         doctest::Contains("append-only"), SqliteError);
    CHECK_THROWS_WITH_AS(s.connection().exec("DELETE FROM audit WHERE seq = 3"),
                         doctest::Contains("append-only"), SqliteError);
    CHECK(s.audit_trail().size() == before.size());
    CHECK(s.verify_audit().ok);
}

TEST_CASE("audit: changing or deleting any sampled row is found by db verify") {
    test::TempDir tmp;
    fs::path good = make_trail(tmp.path());
    std::int64_t rows = 0;
    {
        Connection c(good, Connection::Mode::ReadOnly);
        rows = c.query_int("SELECT count(*) FROM audit");
    }
    REQUIRE(rows >= 30);
    const char* const kChanges[] = {
        "UPDATE audit SET summary = summary || '.' WHERE seq = ?1",
        "UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ?1",
        "UPDATE audit SET clinician = 'Someone Else' WHERE seq = ?1",
        "UPDATE audit SET os_user = 'intruder' WHERE seq = ?1",
        "UPDATE audit SET action = 'export' WHERE seq = ?1",
        "UPDATE audit SET patient = 'C-99' WHERE seq = ?1",
        "UPDATE audit SET assessment = 999 WHERE seq = ?1",
        "UPDATE audit SET hash = prev_hash WHERE seq = ?1",
        "DELETE FROM audit WHERE seq = ?1",
    };
    std::mt19937 rng(77);
    std::uniform_int_distribution<std::int64_t> pick(1, rows);
    int trials = 0;
    int detected = 0;
    fs::path copy = tmp.path() / "tampered.db";
    for (const char* change : kChanges) {
        for (int k = 0; k < 6; ++k) {
            std::int64_t seq = k == 0 ? rows : (k == 1 ? 1 : pick(rng));
            CAPTURE(change);
            CAPTURE(seq);
            fs::remove(copy);
            fs::copy_file(good, copy);
            Connection c(copy, Connection::Mode::ReadWrite);
            drop_triggers(c);
            Statement s = c.prepare(change);
            s.bind(1, seq).run();
            REQUIRE(c.changes() == 1);
            auto v = verify_audit_chain(c);
            ++trials;
            CHECK_FALSE(v.ok);
            CHECK(v.first_broken == seq);
            detected += v.ok ? 0 : 1;
        }
    }
    // A row slipped in at the end without the right hash.
    {
        fs::remove(copy);
        fs::copy_file(good, copy);
        Connection c(copy, Connection::Mode::ReadWrite);
        Statement s = c.prepare(
            "INSERT INTO audit (at, clinician, os_user, action, patient, summary, prev_hash, hash) "
            "SELECT at, clinician, os_user, 'delete', patient, 'forged', hash, hash FROM audit "
            "ORDER BY seq DESC LIMIT 1");
        s.run();
        auto v = verify_audit_chain(c);
        ++trials;
        CHECK(v.first_broken == rows + 1);
        detected += v.ok ? 0 : 1;
    }
    CHECK(detected == trials);
    MESSAGE("audit tampering: ", trials, " trials on a ", rows,
            "-row trail (9 kinds of change, "
            "first, last and random rows, and a forged row), ",
            detected,
            " detected at the "
            "right row");

    // The CLI says where.
    fs::remove(copy);
    fs::copy_file(good, copy);
    {
        Connection c(copy, Connection::Mode::ReadWrite);
        drop_triggers(c);
        c.exec("UPDATE audit SET summary = 'rewritten' WHERE seq = 7");
    }
    CheckReport report = check_database(copy);
    CHECK_FALSE(report.ok);
    CHECK(std::find(report.problems.begin(), report.problems.end(),
                    "audit trail: row 7 was changed after it was written (its hash does not match "
                    "its content)") != report.problems.end());
    auto broken = test::cli(copy, {"db", "verify"});
    CHECK(broken.status == 2);
    // The chain first; then the other findings (the dropped triggers) as problem lines.
    CHECK(broken.err.rfind("audit trail BROKEN at row 7: row 7 was changed after it was written "
                           "(its hash does not match its content)\n",
                           0) == 0);
    CHECK(broken.err.find("problem: schema: trigger audit_rows_are_not_changed is missing") !=
          std::string::npos);
    auto fine = test::cli(good, {"db", "verify"});
    CHECK(fine.status == 0);
    CHECK(fine.out.rfind("audit trail intact: " + std::to_string(rows) + " rows, head ", 0) == 0);
}

TEST_CASE("migration: the schema-3 fixture (written by schema 3's myoscreen-cli) upgrades to 4") {
    test::TempDir tmp;
    fs::path p = tmp.path() / "v3.db";
    fs::copy_file(test::data_dir() / "store" / "schema_v3.db", p);
    {
        Connection c(p, Connection::Mode::ReadOnly);
        CHECK(c.query_int("PRAGMA user_version") == 3);
    }
    Store s(p, test::definitions());
    Connection& c = s.connection();
    CHECK(c.query_int("PRAGMA user_version") == kSchemaVersion);
    CHECK(c.query_text("PRAGMA integrity_check") == "ok");
    CHECK(c.query_int("SELECT count(*) FROM pragma_foreign_key_check") == 0);
    CHECK(s.list_patients().size() == 6);
    CHECK(c.query_int("SELECT count(*) FROM assessments") == 6);
    CHECK(s.load_settings().clinician_name == "Dr Fixture");
    CHECK(s.baseline_visit("V1") == 1);
    auto trail = s.audit_trail();
    // Schema 4's start of the trail, then schema 5's row carrying the records' digest.
    REQUIRE(trail.size() == 2);
    CHECK(trail[0].action == "audit-start");
    CHECK(trail[1].action == "schema");
    CHECK(trail[1].content.has_value());
    CHECK(trail[0].summary ==
          "audit trail started (schema 4); 6 patients and 6 assessments stored before it");
    CHECK(trail[0].clinician == "Dr Fixture");
    CHECK(s.verify_audit().ok);
    CHECK_THROWS(c.exec("DELETE FROM assessments WHERE id = 1"));
    CHECK(s.load_document(4) ==
          write_assessment(test::vignette_assessment(test::vignette_files()[3])));
}
