// Issue 10, classes 3 and 4: the tampering corpus and the damage corpus.
//
// Each tampering is scripted as someone with the sqlite3 shell would do it: a plain SQLite
// connection (sqlite3_open_v2, none of MyoScreen's functions), dropping and re-creating
// triggers, PRAGMA writable_schema, sqlite_sequence. Each must be found by db verify and db
// check (exit 2, a message naming what), and the file refused for writing. The damage cases
// (a file cut short, a document whose bytes were flipped) must be found by db check, refused by
// export and by the backup's verification.

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>

#include "store/audit.hpp"
#include "store/chain_record.hpp"
#include "store/content_digest.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

// The sqlite3 shell's view: a plain connection. Returns SQLite's error message, "" when the
// script ran.
std::string shell(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr);
    char* message = nullptr;
    int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &message);
    std::string out = rc == SQLITE_OK ? "" : (message != nullptr ? message : "error");
    sqlite3_free(message);
    sqlite3_close(h);
    return out;
}

std::string shell_text(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
}

// Drops a trigger, runs `sql`, re-creates the trigger with its exact text: the shell's way past
// a trigger that leaves no trace in the schema.
std::string around_trigger(const fs::path& db, const std::vector<std::string>& triggers,
                           const std::string& sql) {
    std::string drop;
    std::string create;
    for (const auto& t : triggers) {
        std::string text = shell_text(db, "SELECT sql FROM sqlite_schema WHERE name = '" + t + "'");
        REQUIRE_FALSE(text.empty());
        drop += "DROP TRIGGER " + t + ";";
        create += text + ";";
    }
    return shell(db, "BEGIN;" + drop + sql + create + "COMMIT;");
}

// A closed store with patients, finals, a draft, a baseline, settings and a few PDF events.
fs::path make_store(const fs::path& dir, const std::string& name = "clinic.db") {
    fs::path p = dir / name;
    Store s(p, test::definitions());
    s.save_settings({"Clinic", "Road 1", "Dr Tamper"});
    for (int i = 0; i < 4; ++i) {
        Assessment a = test::sample_assessment("T-" + std::to_string(i), "Tamper Patient");
        auto id = s.create_draft(a);
        s.finalize(id);
    }
    s.create_draft(test::sample_assessment("T-9", "Draft Patient"));
    s.set_baseline("T-0", 1);
    for (int i = 0; i < 3; ++i) {
        s.record_event(audit_action::kPdf, {std::nullopt, 1}, "referral written");
    }
    return p;
}

bool has_problem(const CheckReport& r, const std::string& start) {
    for (const auto& p : r.problems) {
        if (p.rfind(start, 0) == 0) {
            return true;
        }
    }
    return false;
}

std::string problems_of(const CheckReport& r) {
    std::string out;
    for (const auto& p : r.problems) {
        out += p + "\n";
    }
    return out;
}

struct Verdict {
    bool check_flags = false;
    bool verify_flags = false;
    bool open_refused = false;
    std::string check_problems;
    std::string verify_err;
    std::string open_message;
};

Verdict judge(const fs::path& db) {
    Verdict v;
    CheckOptions o;
    o.definitions = &test::definitions();
    CheckReport r = check_database(db, o);
    v.check_flags = !r.ok;
    v.check_problems = problems_of(r);
    auto verify = test::cli(db, {"db", "verify"});
    v.verify_flags = verify.status == 2;
    v.verify_err = verify.err;
    auto check = test::cli(db, {"db", "check"});
    v.check_flags = v.check_flags && check.status == 2;
    try {
        Store s(db, test::definitions());
    } catch (const OpenRefused& e) {
        v.open_refused = e.reason() == Refusal::Tampered;
        v.open_message = e.what();
    }
    return v;
}

// `on_open`: found by the constant-time checks of every opening for writing too (the schema,
// the digest against the newest audit row, the chain record, the deletion flag); the rest
// (a recount of every row, a walk of the whole chain) is db check's and db verify's.
void expect_detected(const fs::path& db, const std::string& what, const std::string& named,
                     bool on_open = true) {
    INFO(what);
    Verdict v = judge(db);
    INFO(v.check_problems);
    INFO(v.verify_err);
    CHECK(v.check_flags);
    CHECK(v.verify_flags);
    CHECK(v.open_refused == on_open);
    CHECK(v.check_problems.find(named) != std::string::npos);
    CHECK(v.verify_err.find(named) != std::string::npos);
    if (v.open_refused) {
        CHECK(v.open_message.find("was changed outside MyoScreen") != std::string::npos);
        CHECK(v.open_message.find("--read-only") != std::string::npos);
    }
}

}  // namespace

TEST_CASE("tampering: a store left by MyoScreen passes db verify and db check") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    CHECK(fs::exists(chain_record_path(db)));
    Verdict v = judge(db);
    INFO(v.check_problems);
    INFO(v.verify_err);
    CHECK_FALSE(v.check_flags);
    CHECK_FALSE(v.verify_flags);
    CHECK_FALSE(v.open_refused);
    auto verify = test::cli(db, {"db", "verify"});
    CHECK(verify.out.find("records match the trail") != std::string::npos);
}

TEST_CASE("tampering: the sqlite3 shell cannot change the records while the triggers stand") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    for (const char* sql :
         {"UPDATE patients SET name = 'Mallory' WHERE patient_key = 'T-1'",
          "INSERT INTO patients (patient_key, name, birth_date, created_at) VALUES ('X', 'X', "
          "'1970-01-01', 'now')",
          "DELETE FROM assessments WHERE status = 'draft'",
          "UPDATE settings SET value = 'Dr Mallory' WHERE key = 'clinician_name'",
          "DELETE FROM patient_terms", "DELETE FROM baselines"}) {
        INFO(sql);
        CHECK(shell(db, sql).find("no such function: myo_digest") != std::string::npos);
    }
    CHECK_FALSE(judge(db).check_flags);
}

TEST_CASE("tampering corpus: each change made around MyoScreen is found, naming what") {
    test::TempDir tmp;
    fs::path good = make_store(tmp.path(), "good.db");
    int n = 0;
    auto fresh = [&]() {
        fs::path p = tmp.path() / ("case" + std::to_string(++n) + ".db");
        fs::copy_file(good, p);
        fs::copy_file(chain_record_path(good), chain_record_path(p));
        return p;
    };

    SUBCASE("UPDATE patients SET name (around the digest trigger)") {
        fs::path p = fresh();
        CHECK(around_trigger(p, {"patients_digest_update"},
                             "UPDATE patients SET name = 'Mallory' WHERE patient_key = 'T-1';")
                  .empty());
        expect_detected(p, "patient renamed", "records: ", false);
    }
    SUBCASE("a row in deletion_in_progress lets a final be deleted") {
        fs::path p = fresh();
        CHECK(around_trigger(p, {"assessments_digest_delete"},
                             "INSERT INTO deletion_in_progress SELECT patient FROM assessments "
                             "WHERE id = 2; DELETE FROM assessments WHERE id = 2; DELETE FROM "
                             "deletion_in_progress;")
                  .empty());
        expect_detected(p, "final deleted through the flag", "records: ", false);
    }
    SUBCASE("the deletion flag left set") {
        fs::path p = fresh();
        CHECK(shell(p, "INSERT INTO deletion_in_progress VALUES (1)").empty());
        expect_detected(p, "deletion flag set", "a deletion flag is set");
    }
    SUBCASE("writable_schema: a trigger rewritten to WHEN 0, then a final edited") {
        fs::path p = fresh();
        CHECK(shell(p,
                    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, "
                    "'WHEN OLD.status = ''final''', 'WHEN 0') WHERE name = "
                    "'final_assessments_are_not_updated'; UPDATE sqlite_schema SET sql = "
                    "'CREATE TRIGGER assessments_digest_update AFTER UPDATE ON assessments WHEN 0 "
                    "BEGIN SELECT 1; END' WHERE name = 'assessments_digest_update'; PRAGMA "
                    "writable_schema = OFF;")
                  .empty());
        CHECK(shell(p, "UPDATE assessments SET urgency = 'routine', wpi = 0 WHERE id = 1").empty());
        expect_detected(p, "writable_schema",
                        "trigger final_assessments_are_not_updated was changed");
        CHECK(judge(p).check_problems.find("records: ") != std::string::npos);
    }
    SUBCASE("the whole audit trail deleted, with its sqlite_sequence row") {
        fs::path p = fresh();
        CHECK(around_trigger(p, {"audit_rows_are_not_deleted"},
                             "DELETE FROM audit; DELETE FROM sqlite_sequence WHERE name = "
                             "'audit';")
                  .empty());
        expect_detected(p, "trail wiped", "the audit trail was wiped");
    }
    SUBCASE("the newest audit rows deleted and sqlite_sequence lowered") {
        fs::path p = fresh();
        // The newest three rows are PDF events: the records did not change with them, so only
        // the chain record can tell.
        CHECK(around_trigger(p, {"audit_rows_are_not_deleted"},
                             "DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit); "
                             "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM audit) "
                             "WHERE name = 'audit';")
                  .empty());
        expect_detected(p, "tail cut", "were removed: the trail ends at row");
    }
    SUBCASE("a dropped trigger, not re-created") {
        fs::path p = fresh();
        CHECK(shell(p, "DROP TRIGGER final_assessments_are_not_deleted").empty());
        expect_detected(p, "trigger dropped",
                        "trigger final_assessments_are_not_deleted is missing");
    }
    SUBCASE("a dropped digest trigger, then a change") {
        fs::path p = fresh();
        CHECK(shell(p,
                    "DROP TRIGGER patients_digest_update; UPDATE patients SET birth_date = "
                    "'1999-01-01' WHERE id = 1")
                  .empty());
        expect_detected(p, "digest trigger dropped", "trigger patients_digest_update is missing");
    }
    SUBCASE("the content digest emptied, or its table dropped") {
        fs::path p = fresh();
        CHECK(shell(p, "DELETE FROM content_digest").empty());
        expect_detected(p, "digest emptied", "the content digest is gone");
        fs::path q = fresh();
        CHECK(shell(q, "DROP TABLE content_digest").empty());
        expect_detected(q, "digest table dropped", "table content_digest is missing");
    }
    SUBCASE("an index or table added") {
        fs::path p = fresh();
        CHECK(shell(p, "CREATE TABLE notes (x); CREATE INDEX spy ON patients (name)").empty());
        expect_detected(p, "objects added", "table notes is not MyoScreen's (added)");
    }
    SUBCASE("a program with MyoScreen's functions changes a patient without an audit row") {
        fs::path p = fresh();
        {
            Connection c(p, Connection::Mode::ReadWrite);
            c.exec("UPDATE patients SET name = 'Mallory' WHERE id = 1");
        }
        expect_detected(p, "digest kept but no audit row", "without an audit row");
    }
    SUBCASE("... and appends a forged, well-chained audit row for it") {
        fs::path p = fresh();
        {
            Connection c(p, Connection::Mode::ReadWrite);
            Transaction tx(c);
            c.exec("UPDATE patients SET name = 'Mallory' WHERE id = 1");
            append_audit(c, "mallory", audit_action::kEdit, {}, "nothing to see");
            tx.commit();
        }
        expect_detected(p, "forged row", "were added outside MyoScreen");
    }
    SUBCASE("the newest rows cut and the chain record deleted") {
        fs::path p = fresh();
        CHECK(around_trigger(p, {"audit_rows_are_not_deleted"},
                             "DELETE FROM audit WHERE seq > (SELECT max(seq) - 2 FROM audit);")
                  .empty());
        fs::remove(chain_record_path(p));
        Verdict v = judge(p);
        CHECK(v.check_flags);
        CHECK(v.verify_flags);
        CHECK(v.verify_err.find("chain record") != std::string::npos);
    }
    SUBCASE("the chain record rewritten to another head") {
        fs::path p = fresh();
        fs::remove(chain_record_path(p));
        write_chain_record(p, {{3, std::string(64, 'a')}, std::nullopt});
        expect_detected(p, "record rewritten", "was rewritten");
    }
    SUBCASE("an audit row changed in place (chain hashes left)") {
        fs::path p = fresh();
        CHECK(around_trigger(p, {"audit_rows_are_not_changed"},
                             "UPDATE audit SET summary = 'nothing' WHERE seq = 3;")
                  .empty());
        expect_detected(p, "row changed", "row 3 was changed after it was written", false);
    }
    SUBCASE("the content digest row changed to match a renamed patient is still found") {
        fs::path p = fresh();
        CHECK(around_trigger(p, {"patients_digest_update"},
                             "UPDATE patients SET name = 'Mallory' WHERE id = 1; UPDATE "
                             "content_digest SET digest = '" +
                                 std::string(64, '1') + "';")
                  .empty());
        expect_detected(p, "digest row rewritten", "records: ");
    }
}

TEST_CASE("tampering: the limit the README states (file and chain record both rewritten)") {
    // Someone who can write both files can cut the newest rows and move the record back: the
    // trail alone cannot tell. This test pins the stated limit, so the README stays true.
    test::TempDir tmp;
    fs::path p = make_store(tmp.path());
    CHECK(around_trigger(p, {"audit_rows_are_not_deleted"},
                         "DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit); UPDATE "
                         "sqlite_sequence SET seq = (SELECT max(seq) FROM audit) WHERE name = "
                         "'audit';")
              .empty());
    ChainHead head;
    {
        Connection c(p, Connection::Mode::ReadOnly);
        head = {c.query_int("SELECT max(seq) FROM audit"),
                c.query_text("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")};
    }
    fs::remove(chain_record_path(p));
    write_chain_record(p, {head, std::nullopt});
    CHECK_FALSE(judge(p).verify_flags);
}

TEST_CASE("chain record: kept by every save, missing one written anew with an audit row") {
    test::TempDir tmp;
    fs::path p = make_store(tmp.path());
    auto record = read_chain_record(p);
    REQUIRE(record);
    CHECK_FALSE(record->pending);
    {
        Connection c(p, Connection::Mode::ReadOnly);
        CHECK(record->committed.seq == c.query_int("SELECT max(seq) FROM audit"));
    }
    // A crash between a commit and its record leaves the head as pending: accepted and settled.
    {
        Connection c(p, Connection::Mode::ReadOnly);
        ChainHead now{c.query_int("SELECT max(seq) FROM audit"),
                      c.query_text("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")};
        Statement prev = c.prepare("SELECT seq, hash FROM audit WHERE seq = ?1");
        prev.bind(1, now.seq - 1);
        REQUIRE(prev.step());
        fs::remove(chain_record_path(p));
        write_chain_record(p, {{prev.int64(0), prev.text(1)}, now});
    }
    CHECK_FALSE(judge(p).verify_flags);
    CHECK_FALSE(read_chain_record(p)->pending);  // the writer opening in judge() settled it
    // Missing: db check says so; the next writer opening writes it anew and says so in the trail.
    fs::remove(chain_record_path(p));
    auto check = test::cli(p, {"db", "check"});
    CHECK(check.status == 2);
    CHECK(check.err.find("is missing, so a cut of the newest audit rows cannot be ruled out") !=
          std::string::npos);
    {
        // Opening alone writes nothing; the next change records the loss first.
        Store s(p, test::definitions());
        CHECK_FALSE(fs::exists(chain_record_path(p)));
        s.record_event(audit_action::kPdf, {std::nullopt, 1}, "a PDF");
        auto trail = s.audit_trail();
        REQUIRE(trail.size() >= 2);
        CHECK(trail[trail.size() - 2].action == "chain-record");
        CHECK(trail.back().action == "pdf");
    }
    CHECK(fs::exists(chain_record_path(p)));
    CHECK(test::cli(p, {"db", "verify"}).status == 0);
}

TEST_CASE("chain record: restore gives the restored file its own, the old one goes aside") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    fs::path backup = tmp.path() / "b.db";
    {
        Store s(db, test::definitions());
        s.backup(backup);
        s.record_event(audit_action::kPdf, {std::nullopt, 1}, "after the backup");
    }
    auto r = Store::restore(db, backup);
    CHECK(fs::exists(chain_record_path(r.previous_kept_as)));
    CHECK(test::cli(db, {"db", "verify"}).status == 0);
    CHECK(test::cli(db, {"db", "check"}).status == 0);
    Store s(db, test::definitions());
    CHECK(s.audit_trail().back().action == "restore");
}

TEST_CASE("damage: a file one byte short fails db check, with and without a write-ahead log") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    fs::path cut = tmp.path() / "cut.db";
    fs::copy_file(db, cut);
    fs::resize_file(cut, fs::file_size(cut) - 1);
    auto check = test::cli(cut, {"db", "check"});
    CHECK(check.status == 2);
    CHECK(check.err.find("problem: the file is truncated") != std::string::npos);
    // With a log beside it (a store open elsewhere): still not a whole number of pages.
    fs::path live = tmp.path() / "live.db";
    fs::copy_file(db, live);
    fs::copy_file(chain_record_path(db), chain_record_path(live));
    Store s(live, test::definitions());
    s.record_event(audit_action::kPdf, {std::nullopt, 1}, "write into the log");
    REQUIRE(fs::file_size(live.string() + "-wal") > 0);
    fs::path cut_wal = tmp.path() / "cutwal.db";
    fs::copy_file(live, cut_wal);
    fs::copy_file(live.string() + "-wal", cut_wal.string() + "-wal");
    fs::resize_file(cut_wal, fs::file_size(cut_wal) - 1);
    CheckReport r = check_database(cut_wal);
    CHECK(has_problem(r, "the file is truncated"));
}

TEST_CASE(
    "damage: a stored document whose bytes were flipped is found, not exported or backed up") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    // Flip the bytes on the disk, as a failing disk would: the document of assessment 3.
    std::string bytes = test::slurp(db);
    std::string key = "\"id\": \"T-2\"";
    auto at = bytes.find(key);
    REQUIRE(at != std::string::npos);
    bytes[at] = '\x01';
    bytes[at + 1] = '\xff';
    {
        std::ofstream out(db, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    auto check = test::cli(db, {"db", "check"});
    CHECK(check.status == 2);
    CHECK(check.err.find("problem: assessment 3 (patient T-2): its stored document does not "
                         "parse as an assessment") != std::string::npos);
    // The records no longer match their digest either: the flip is also a change.
    CHECK(check.err.find("records: ") != std::string::npos);
    // A file changed under MyoScreen is refused for writing; read-only, export is refused too
    // (an export is audited), so the damaged document is never written out with exit 0.
    auto exported = test::cli(db, {"export", "--assessment", "3"});
    CHECK(exported.status == 2);
    CHECK(exported.out.empty());
    auto backup = test::cli(db, {"db", "backup", (tmp.path() / "b.db").string()});
    CHECK(backup.status == 2);
    CHECK_FALSE(fs::exists(tmp.path() / "b.db"));
}

TEST_CASE("damage: a document that does not parse is refused by export and the backup") {
    // The same damage with the records' digest made to agree (the flip happened before the
    // digest was taken): only the parse can tell.
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    {
        Store s(db, test::definitions());
        Transaction tx(s.connection());
        s.connection().exec(
            "UPDATE assessments SET document = replace(document, '\"answers\"', '\"ans\x01wers') "
            "WHERE id = 5");
        append_audit(s.connection(), "test", audit_action::kEdit, {}, "flip");
        tx.commit();
    }
    // The row was appended by hand, so the chain record is reset to the new head.
    {
        Connection c(db, Connection::Mode::ReadOnly);
        write_chain_record(db, {{c.query_int("SELECT max(seq) FROM audit"),
                                 c.query_text("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")},
                                std::nullopt});
    }
    auto check = test::cli(db, {"db", "check"});
    CHECK(check.status == 2);
    CHECK(check.err.find("problem: assessment 5 (patient T-9): its stored document does not "
                         "parse") != std::string::npos);
    auto exported = test::cli(db, {"export", "--assessment", "5"});
    CHECK(exported.status == 2);
    CHECK(exported.out.empty());
    CHECK(exported.err.find("assessment 5") != std::string::npos);
    // The backup checks the records against their digest, not each document (README): a
    // document made to agree with the digest outside MyoScreen is copied, and db check names it.
    auto backup = test::cli(db, {"db", "backup", (tmp.path() / "b.db").string()});
    CHECK(backup.status == 0);
    CHECK(test::cli(tmp.path() / "b.db", {"db", "check"}).err.find("assessment 5 (patient T-9)") !=
          std::string::npos);
}

TEST_CASE("damage: a backup of a store whose document bytes were flipped is refused, naming it") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    // The flip happens while the store is open (a failing disk under a running MyoScreen): the
    // opening's checks passed, the backup's recount does not.
    Store s(db, test::definitions());
    {
        Connection raw(db, Connection::Mode::ReadWrite);
        raw.exec("DROP TRIGGER assessments_digest_update");
        raw.exec("UPDATE assessments SET document = '{' WHERE id = 5");
    }
    CHECK_THROWS_WITH_AS(s.backup(tmp.path() / "b.db"),
                         doctest::Contains("assessment 5 (patient T-9): its stored document does "
                                           "not parse"),
                         BackupFailed);
    CHECK_FALSE(fs::exists(tmp.path() / "b.db"));
}

TEST_CASE("damage: a header whose user_version disagrees with the tables gives a clear message") {
    test::TempDir tmp;
    fs::path db = make_store(tmp.path());
    for (int version : {1, 2, 3, 4}) {
        CAPTURE(version);
        fs::path p = tmp.path() / ("v" + std::to_string(version) + ".db");
        fs::copy_file(db, p);
        CHECK(shell(p, "PRAGMA user_version = " + std::to_string(version)).empty());
        auto list = test::cli(p, {"list"});
        CHECK(list.status == 2);
        CHECK(list.err.find("internal error") == std::string::npos);
        CHECK(list.err.find("its schema is not the one MyoScreen creates for the version its "
                            "header names (" +
                            std::to_string(version) + ")") != std::string::npos);
        auto check = test::cli(p, {"db", "check"});
        CHECK(check.status == 2);
        CHECK(check.err.find("is not MyoScreen's (added)") != std::string::npos);
    }
}

TEST_CASE(
    "tampering corpus: insert, update and delete on every covered table, around its triggers") {
    // The class, not the example: each table the content digest covers, each kind of change,
    // made with its digest triggers (and the finals' triggers) dropped and re-created.
    test::TempDir tmp;
    fs::path good = make_store(tmp.path(), "good.db");
    struct Change {
        const char* table;
        const char* sql;
    };
    const Change changes[] = {
        {"patients", "UPDATE patients SET name = name || 'x' WHERE id = 1;"},
        {"patients", "DELETE FROM patients WHERE id = 4;"},
        {"patients",
         "INSERT INTO patients (patient_key, name, birth_date, created_at, sort_name) VALUES "
         "('EVIL', 'Evil', '1970-01-01', 'x', 'evil');"},
        {"assessments", "UPDATE assessments SET urgency = 'emergency' WHERE id = 1;"},
        {"assessments", "DELETE FROM assessments WHERE id = 2;"},
        {"assessments",
         "INSERT INTO assessments (patient, visit, version, status, date, urgency, "
         "rules_version, created_at, updated_at, document) SELECT patient, visit, version + 10, "
         "'final', date, urgency, rules_version, created_at, updated_at, document FROM "
         "assessments WHERE id = 1;"},
        {"baselines", "UPDATE baselines SET marked_at = 'x';"},
        {"baselines", "DELETE FROM baselines;"},
        {"baselines", "INSERT INTO baselines VALUES (2, 2, 'x');"},
        {"patient_terms",
         "UPDATE patient_terms SET term = term || 'x' WHERE term = (SELECT min(term) FROM "
         "patient_terms);"},
        {"patient_terms", "DELETE FROM patient_terms WHERE patient = 1;"},
        {"patient_terms", "INSERT INTO patient_terms VALUES ('evil', 1);"},
        {"settings", "UPDATE settings SET value = 'Dr Mallory' WHERE key = 'clinician_name';"},
        {"settings", "DELETE FROM settings WHERE key = 'clinic_name';"},
        {"settings", "INSERT INTO settings VALUES ('evil', 'x');"},
    };
    int n = 0;
    int found = 0;
    for (const auto& change : changes) {
        CAPTURE(change.sql);
        fs::path p = tmp.path() / ("t" + std::to_string(++n) + ".db");
        fs::copy_file(good, p);
        fs::copy_file(chain_record_path(good), chain_record_path(p));
        std::string t = change.table;
        std::vector<std::string> triggers = {t + "_digest_insert", t + "_digest_update",
                                             t + "_digest_delete"};
        if (t == "assessments") {
            triggers.emplace_back("final_assessments_are_not_updated");
            triggers.emplace_back("final_assessments_are_not_deleted");
        }
        REQUIRE(around_trigger(p, triggers, change.sql).empty());
        CheckReport r = check_database(p);
        CHECK(has_problem(r, "records: "));
        auto verify = test::cli(p, {"db", "verify"});
        CHECK(verify.status == 2);
        found += (!r.ok && verify.status == 2) ? 1 : 0;
    }
    CHECK(found == static_cast<int>(std::size(changes)));
    MESSAGE("tampering around the triggers: ", std::size(changes),
            " changes (5 tables x insert, "
            "update, delete), ",
            found, " found by db check and db verify");
}

TEST_CASE("chain record: an unreadable record is reported like a missing one, then replaced") {
    test::TempDir tmp;
    fs::path p = make_store(tmp.path());
    test::spit(chain_record_path(p), "");  // what a power cut can leave of an unsynced write
    auto check = test::cli(p, {"db", "check"});
    CHECK(check.status == 2);
    CHECK(check.err.find("cannot be read") != std::string::npos);
    {
        Store s(p, test::definitions());
        s.record_event(audit_action::kPdf, {std::nullopt, 1}, "a PDF");
        CHECK(s.audit_trail()[s.audit_trail().size() - 2].action == "chain-record");
    }
    CHECK(test::cli(p, {"db", "verify"}).status == 0);
}

TEST_CASE("chain record: a torn write leaves the state before it") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "x.db";
    ChainHead a{4, std::string(64, 'a')};
    ChainHead b{5, std::string(64, 'b')};
    write_chain_record(db, {a, std::nullopt});
    write_chain_record(db, {a, b});
    CHECK(read_chain_record(db)->pending == b);
    // Garble the newest slot (the second write went to the other slot of the two).
    std::string bytes = test::slurp(chain_record_path(db));
    REQUIRE(bytes.size() == 1024);
    std::size_t newest = bytes.find("pending") < 512 ? 0 : 512;
    bytes[newest + 30] ^= 0x20;
    test::spit(chain_record_path(db), bytes);
    auto back = read_chain_record(db);
    REQUIRE(back);
    CHECK(back->committed == a);
    CHECK_FALSE(back->pending);
}

TEST_CASE("tampering: what changes no record is not taken for tampering") {
    // VACUUM, ANALYZE and a switch of journal mode leave every record and row as it was.
    test::TempDir tmp;
    fs::path p = make_store(tmp.path());
    CHECK(shell(p, "VACUUM").empty());
    CHECK(shell(p, "ANALYZE").empty());
    CHECK(shell(p, "PRAGMA optimize").empty());
    Verdict v = judge(p);
    INFO(v.check_problems);
    CHECK_FALSE(v.check_flags);
    CHECK_FALSE(v.verify_flags);
    CHECK_FALSE(v.open_refused);
}
