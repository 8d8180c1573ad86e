// Opening a database: creation, settings per connection, every refusal (with its message and
// the file left untouched), migrations from older files, busy writers, backup and check.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store/connection.hpp"
#include "store/paths.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/tamper_check.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;
using myo::test::TempDir;

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777u;
}

// A SQLite file made by "another application": plain SQLite, no MyoScreen schema.
void make_foreign_db(const fs::path& p, int application_id) {
    Connection c(p, Connection::Mode::ReadWriteCreate);
    c.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
    c.exec("INSERT INTO notes (text) VALUES ('shopping list')");
    if (application_id != 0) {
        c.exec(("PRAGMA application_id = " + std::to_string(application_id)).c_str());
    }
}

struct Snapshot {
    std::string bytes;
    fs::file_time_type mtime;
    bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const fs::path& p) {
    return {test::slurp(p), fs::last_write_time(p)};
}

// Opens and expects a refusal of the given kind; returns its message.
std::string refusal_of(const fs::path& p, Refusal expected) {
    Snapshot before = snapshot(p);
    std::string message;
    try {
        Store s(p, test::definitions());
        FAIL("opened a file that should have been refused");
    } catch (const OpenRefused& e) {
        CHECK(e.reason() == expected);
        message = e.what();
    }
    CHECK(snapshot(p) == before);
    CHECK_FALSE(fs::exists(p.string() + "-wal"));
    return message;
}

}  // namespace

// Every case here is about the SQLite file itself (its header, pages, WAL, lock, migrations
// of the file): the PostgreSQL run of the suite leaves them out (tests/store/CMakeLists.txt).
TEST_SUITE_BEGIN("sqlite file");

TEST_CASE("a new database: private folder and file, MyoScreen's id, WAL with FULL sync") {
    TempDir tmp;
    fs::path db = tmp.path() / "new" / "deeper" / "myoscreen.db";
    Store s(db, test::definitions());
    CHECK(mode_of(tmp.path() / "new") == 0700u);
    CHECK(mode_of(tmp.path() / "new" / "deeper") == 0700u);
    CHECK(mode_of(db) == 0600u);
    Connection& c = s.connection();
    CHECK(c.query_int("PRAGMA application_id") == kApplicationId);
    CHECK(c.query_int("PRAGMA user_version") == kSchemaVersion);
    CHECK(c.query_text("PRAGMA journal_mode") == "wal");
    CHECK(c.query_int("PRAGMA synchronous") == 2);
    CHECK(c.query_int("PRAGMA foreign_keys") == 1);
    CHECK(c.query_int("PRAGMA busy_timeout") > 0);
    // Reopening an up-to-date file changes nothing.
    Store again(db, test::definitions());
    CHECK(again.connection().query_int("PRAGMA user_version") == kSchemaVersion);
}

TEST_CASE("the default location follows XDG_DATA_HOME, else ~/.local/share") {
    const char* old_xdg = std::getenv("XDG_DATA_HOME");
    const char* old_home = std::getenv("HOME");
    std::string saved_xdg = old_xdg ? old_xdg : "";
    std::string saved_home = old_home ? old_home : "";
    ::setenv("XDG_DATA_HOME", "/data/x", 1);
    CHECK(default_database_path() == fs::path("/data/x/myoscreen/myoscreen.db"));
    ::setenv("XDG_DATA_HOME", "relative/ignored", 1);
    ::setenv("HOME", "/home/clin", 1);
    CHECK(default_database_path() == fs::path("/home/clin/.local/share/myoscreen/myoscreen.db"));
    ::unsetenv("XDG_DATA_HOME");
    CHECK(default_database_path() == fs::path("/home/clin/.local/share/myoscreen/myoscreen.db"));
    if (old_xdg) {
        ::setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
    }
    if (old_home) {
        ::setenv("HOME", saved_home.c_str(), 1);
    }
}

TEST_CASE("refusal: a file that is not SQLite") {
    TempDir tmp;
    fs::path p = tmp.path() / "notes.db";
    test::spit(p, "These are not the records you are looking for.\n" + std::string(200, 'x'));
    std::string m = refusal_of(p, Refusal::NotSqlite);
    CHECK(m == p.string() + " is not a SQLite database, so it is not a MyoScreen database; " +
                   p.string() + " was left untouched");
    test::spit(p, "short");
    refusal_of(p, Refusal::NotSqlite);
}

TEST_CASE("refusal: a SQLite database of another application") {
    TempDir tmp;
    fs::path plain = tmp.path() / "plain.db";
    make_foreign_db(plain, 0);
    CHECK(refusal_of(plain, Refusal::OtherApplication) ==
          plain.string() +
              " is a SQLite database of another application (application_id "
              "0x00000000, MyoScreen's is 0x4D594F53); " +
              plain.string() + " was left untouched");
    fs::path other = tmp.path() / "other.db";
    make_foreign_db(other, 0x12345678);
    CHECK(refusal_of(other, Refusal::OtherApplication).find("application_id 0x12345678") !=
          std::string::npos);
}

TEST_CASE("an empty SQLite file or an empty file is adopted as a new database") {
    TempDir tmp;
    fs::path empty = tmp.path() / "empty.db";
    test::spit(empty, "");
    Store s(empty, test::definitions());
    CHECK(s.connection().query_int("PRAGMA application_id") == kApplicationId);
}

TEST_CASE("refusal: a schema newer than this build") {
    TempDir tmp;
    fs::path p = tmp.path() / "future.db";
    { Store s(p, test::definitions()); }
    {
        Connection c(p, Connection::Mode::ReadWrite);
        c.exec("PRAGMA user_version = 99");
    }
    CHECK(refusal_of(p, Refusal::NewerSchema) ==
          p.string() + " has schema version 99, newer than this MyoScreen understands (" +
              std::to_string(kSchemaVersion) + "); open it with a newer MyoScreen; " + p.string() +
              " was left untouched");
}

TEST_CASE("refusal: a damaged file fails quick_check (--check) and is refused where it is read") {
    TempDir tmp;
    fs::path p = tmp.path() / "damaged.db";
    {
        Store s(p, test::definitions());
        for (int i = 0; i < 40; ++i) {
            s.import_assessments({test::sample_assessment("D" + std::to_string(i), "Damaged Dan")});
        }
    }
    // Every connection is closed, so the log was folded into the file. Scribble over a page
    // in the middle, past the schema on page 1.
    REQUIRE_FALSE(fs::exists(p.string() + "-wal"));
    auto size = fs::file_size(p);
    REQUIRE(size > 8 * 4096);
    {
        std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp(static_cast<std::streamoff>(size / 4096 / 2 * 4096));
        std::string junk(4096, '\x5A');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    // Opening with quick_check (myoscreen-cli --check) refuses it, leaving it untouched.
    const std::string before = test::slurp(p);
    OpenOptions check;
    check.quick_check = true;
    try {
        Store s(p, test::definitions(), check);
        FAIL("opened a damaged file with quick_check");
    } catch (const OpenRefused& e) {
        CHECK(e.reason() == Refusal::FailedCheck);
        std::string m = e.what();
        CHECK(m.rfind(p.string() + " is damaged: SQLite", 0) == 0);
        CHECK(m.find("restore it from a backup") != std::string::npos);
        CHECK(m.find("was left untouched") != std::string::npos);
    }
    CHECK(test::slurp(p) == before);
    CHECK_FALSE(fs::exists(p.string() + "-wal"));
    // The everyday opening does not read the whole file: the damage is refused (Damaged, a
    // clear message) where a page of it is read, and nothing is changed.
    {
        bool met = false;
        try {
            Store s(p, test::definitions());
            for (const auto& ps : s.list_patients()) {
                for (const auto& info : s.history(ps.patient.id)) {
                    s.load(info.id);
                }
            }
            s.verify_audit();
        } catch (const OpenRefused& e) {
            met = e.reason() == Refusal::FailedCheck;  // the page was one opening reads
        } catch (const Damaged& e) {
            met = std::string(e.what()).find(" is damaged: SQLite reports") != std::string::npos;
        }
        CHECK(met);
    }
    CHECK(test::slurp(p) == before);
    // db check still reports on it.
    CheckReport r = check_database(p);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.problems.empty());
}

TEST_CASE("refusal: a folder is not a database") {
    TempDir tmp;
    try {
        Store s(tmp.path(), test::definitions());
        FAIL("opened a folder");
    } catch (const OpenRefused& e) {
        CHECK(e.reason() == Refusal::NotAFile);
        CHECK(std::string(e.what()) ==
              tmp.path().string() + " is not a regular file, so it cannot be a database");
    }
}

TEST_CASE("migration: the schema-1 fixture opens, is upgraded in place and keeps its records") {
    TempDir tmp;
    fs::path p = tmp.path() / "v1.db";
    fs::copy_file(test::data_dir() / "store" / "schema_v1.db", p);
    {
        CheckReport before = check_database(p);
        CHECK(before.ok);
    }
    Store s(p, test::definitions());
    CHECK(s.connection().query_int("PRAGMA user_version") == kSchemaVersion);
    CHECK(s.connection().query_text("PRAGMA journal_mode") == "wal");
    CHECK(s.connection().query_text("PRAGMA integrity_check") == "ok");
    auto zoe = s.list_patients("zoe");
    REQUIRE(zoe.size() == 1);
    CHECK(zoe[0].patient.name == "Zoë Åkesson-Núñez");
    CHECK(zoe[0].visits == 1);
    CHECK(s.list_patients("herr").size() == 1);
    CHECK(s.list_patients().size() == 2);
    auto v1 = test::vignette_files().front();
    CHECK(s.load_document(1) == write_assessment(test::vignette_assessment(v1)));
    auto loaded = s.load(1);
    CHECK(loaded.info.status == Status::Final);
    CHECK(loaded.info.wpi == 9);
    CHECK(s.load(2).info.status == Status::Draft);
    CHECK(s.load_settings().clinic_name == "Clínica Ñandú");
    // The migrated file keeps the rules: the final is still not editable.
    CHECK_THROWS_AS(s.save_draft(1, loaded.assessment), NotEditable);
}

TEST_CASE("migration: the fixture is exactly what schema step 1 creates") {
    TempDir tmp;
    fs::path fresh = tmp.path() / "fresh.db";
    {
        Connection c(fresh, Connection::Mode::ReadWriteCreate);
        migrate(c, 1);
    }
    auto schema_of = [](const fs::path& p) {
        Connection c(p, Connection::Mode::ReadOnly);
        Statement s = c.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name");
        std::string out;
        while (s.step()) {
            out += s.text(0) + " " + s.text(1) + " " + s.opt_text(2).value_or("") + "\n";
        }
        return out + "app " + std::to_string(c.query_int("PRAGMA application_id")) + " v" +
               std::to_string(c.query_int("PRAGMA user_version"));
    };
    CHECK(schema_of(fresh) == schema_of(test::data_dir() / "store" / "schema_v1.db"));
}

TEST_CASE("a second writer waits, then fails cleanly without changing anything") {
    TempDir tmp;
    fs::path p = tmp.path() / "busy.db";
    Store first(p, test::definitions());
    OpenOptions impatient;
    impatient.busy_timeout_ms = 100;
    Store second(p, test::definitions(), impatient);
    {
        Transaction hold(first.connection());
        CHECK_THROWS_AS(second.create_draft(test::sample_assessment("B1", "Busy Bee")),
                        DatabaseBusy);
        // Readers are not blocked by a writer (WAL).
        CHECK(second.list_patients().empty());
    }
    CHECK(second.list_patients().empty());
    second.create_draft(test::sample_assessment("B1", "Busy Bee"));
    CHECK(first.list_patients().size() == 1);
}

TEST_CASE("backup: a verified, private, self-contained copy; never over an existing file") {
    TempDir tmp;
    fs::path p = tmp.path() / "live.db";
    Store s(p, test::definitions());
    for (const auto& v : test::vignette_files()) {
        s.import_assessments({test::vignette_assessment(v)});
    }
    std::int64_t draft = s.create_draft(test::sample_assessment("B2", "Brigitte Ødegård"));
    fs::path copy = tmp.path() / "backups" / "copy.db";
    BackupReport r = s.backup(copy);
    CHECK(r.patients == 7);
    CHECK(r.assessments == 7);
    CHECK(r.bytes == fs::file_size(copy));
    CHECK(mode_of(copy) == 0600u);
    CHECK_FALSE(fs::exists(copy.string() + "-wal"));
    for (const auto& entry : fs::directory_iterator(copy.parent_path())) {
        CHECK(entry.path().filename() == "copy.db");  // no temporary file left behind
    }
    CHECK(check_database(copy).ok);
    {
        Store restored(copy, test::definitions());
        CHECK(restored.list_patients().size() == 7);
        CHECK(restored.load_document(draft) == s.load_document(draft));
        CHECK(restored.history("V1").size() == 1);
    }
    try {
        s.backup(copy);
        FAIL("overwrote a backup");
    } catch (const BackupFailed& e) {
        CHECK(std::string(e.what()) ==
              copy.string() +
                  " already exists; a backup never overwrites a file, choose a new name");
    }
}

TEST_CASE("db check: facts of a healthy file and of a missing one") {
    TempDir tmp;
    fs::path p = tmp.path() / "ok.db";
    { Store s(p, test::definitions()); }
    CheckReport r = check_database(p);
    CHECK(r.ok);
    CHECK(r.problems.empty());
    bool saw_integrity = false;
    for (const auto& [label, value] : r.facts) {
        if (label == "integrity check") {
            saw_integrity = value == "ok";
        }
    }
    CHECK(saw_integrity);
    CheckReport missing = check_database(tmp.path() / "nothing.db");
    CHECK_FALSE(missing.ok);
    CHECK_FALSE(fs::exists(tmp.path() / "nothing.db"));
}

TEST_CASE("SQLite's in-memory database stays in memory (no file named :memory:)") {
    // Every opening goes through a file: URI; the special name must not become a real file,
    // which later openings (the tamper check's expected schema) would find half-filled.
    test::TempDir dir;
    const auto before = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    {
        store::Connection memory(":memory:", store::Connection::Mode::ReadWriteCreate);
        memory.exec("CREATE TABLE t(x)");
    }
    store::Connection again(":memory:", store::Connection::Mode::ReadWriteCreate);
    CHECK(again.query_int("SELECT count(*) FROM sqlite_schema") == 0);
    std::filesystem::current_path(before);
    CHECK_FALSE(std::filesystem::exists(dir.path() / ":memory:"));
}

TEST_CASE("the schema fingerprint an opening trusts is what the migrations create") {
    // Opening an up-to-date file compares its schema's fingerprint with a constant instead of
    // building the schema in memory; a schema change must update the constant.
    // A new schema version: set kFingerprintVersion and kFingerprint (tamper_check.cpp) to
    // kSchemaVersion and the built fingerprint this check prints.
    const auto [version, fingerprint] = known_schema_fingerprint();
    CHECK(version == kSchemaVersion);
    CHECK(fingerprint == built_schema_fingerprint(kSchemaVersion));
    // A file changed outside MyoScreen still shows its differences (the slow path).
    TempDir tmp;
    fs::path p = tmp.path() / "f.db";
    { Store s(p, test::definitions()); }
    Connection c(p, Connection::Mode::ReadWrite);
    CHECK(schema_differences(c, kSchemaVersion).empty());
    CHECK(has_known_schema(c, kSchemaVersion) == (version == kSchemaVersion));
    c.exec("CREATE INDEX extra ON patients (name)");
    CHECK_FALSE(has_known_schema(c, kSchemaVersion));
    auto d = schema_differences(c, kSchemaVersion);
    REQUIRE(d.size() == 1);
    CHECK(d.front() == "index extra is not MyoScreen's (added)");
}

TEST_SUITE_END();
