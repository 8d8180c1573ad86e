// server upgrade, backup and restore on a real PostgreSQL server (issue 13): an older schema
// brought up to date and refused to clinicians until then; pg_dump backups taken in one
// snapshot, verified, audited with their SHA-256 and kept 14; restores into empty databases only.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pg_fixture.hpp"
#include "store/audit.hpp"
#include "store/errors.hpp"
#include "store/free_space.hpp"
#include "store/pg/pg_backup.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_tools.hpp"
#include "store/pg/pg_upgrade.hpp"
#include "store/pg/server_admin.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A MyoScreen database with `patients` patients, two assessments each (one final, one draft)
// and an audit row per patient, written by the admin as the owner's member.
void fill_one(pg::Connection& c, int i);

void fill(pg::Connection& c, int patients) {
    pg::Transaction tx(c);
    for (int i = 1; i <= patients; ++i) {
        fill_one(c, i);
    }
    tx.commit();
}

// Patient i, its two assessments and its audit row (in the caller's transaction, if any).
void fill_one(pg::Connection& c, int i) {
    std::int64_t p = c.query_int(
        "INSERT INTO myoscreen.patients (patient_key, name, birth_date, created_at) VALUES "
        "($1, $2, '1980-02-03', '2026-12-01T08:00:00.000Z') RETURNING id",
        {"P-" + std::to_string(i), "Patient Nº " + std::to_string(i)});
    for (int v = 1; v <= 2; ++v) {
        c.exec(
            "INSERT INTO myoscreen.assessments (patient, visit, version, status, date, "
            "urgency, rules_version, created_at, updated_at, document) VALUES ($1, $2, 1, "
            "$3, '2026-12-01', 'routine', '1', 'x', 'x', '{\"answers\":{\"q\":\"été\"}}')",
            {p, p * 10 + v, v == 1 ? "final" : "draft"});
    }
    c.exec(
        "INSERT INTO myoscreen.audit (os_user, action, patient, summary) VALUES ('tester', "
        "'create-patient', $1, 'patient created')",
        {"P-" + std::to_string(i)});
}

pg::DatabaseFigures figures(pg::Connection& c) {
    pg::DatabaseFigures f;
    f.patients = c.query_int("SELECT count(*) FROM myoscreen.patients");
    f.assessments = c.query_int("SELECT count(*) FROM myoscreen.assessments");
    f.audit_rows = c.query_int("SELECT count(*) FROM myoscreen.audit");
    f.head_seq = c.query_int("SELECT seq FROM myoscreen.audit_head");
    f.head_hash = c.query_text("SELECT hash FROM myoscreen.audit_head");
    return f;
}

std::int64_t scratch_databases(pg::Connection& c) {
    return c.query_int(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'myoscreen\\_verify\\_%'");
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void touch(const fs::path& p) {
    std::ofstream(p) << "x";
}

}  // namespace

TEST_CASE("server upgrade: a database at schema 1 is refused to a clinician, then upgraded") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    // This build's version, in the messages (a later migration must not break this test).
    const std::string now = std::to_string(pg::kPgSchemaVersion);
    ScratchDatabase db(*admin);
    {
        auto c = db.admin();
        pg::init_database(c, "tester", 1);  // as a build whose list stopped at 001
        REQUIRE(pg::schema_version(c) == 1);
        CHECK(c.exec("SELECT 1 FROM pg_tables WHERE schemaname = 'myoscreen' AND tablename = "
                     "'draft_leases'")
                  .rows() == 0);
        pg::add_user(c, "up.clin", pg::UserRole::Clinician);
        pg::add_user(c, "up.view", pg::UserRole::Readonly);
        fill(c, 3);
    }
    for (const char* user : {"up.clin", "up.view"}) {
        auto c = pg::Connection::open(db.conninfo(user));
        try {
            pg::require_current_schema(c);
            FAIL("an older schema was accepted for " << user);
        } catch (const pg::SchemaOutdated& e) {
            CHECK(e.found() == 1);
            CHECK(e.wanted() == pg::kPgSchemaVersion);
            CHECK(std::string(e.what()) ==
                  "database \"" + db.name() + "\" on the local server (socket in " +
                      db.admin().query_text("SELECT current_setting('unix_socket_directories')") +
                      ") has MyoScreen schema version 1, older than this MyoScreen (" +
                      std::to_string(pg::kPgSchemaVersion) +
                      "); an "
                      "administrator upgrades it first with: myoscreen-cli --db CONNINFO server "
                      "upgrade (CONNINFO: this database's connection string); nothing was read "
                      "or written");
        }
    }
    {  // A clinician may not upgrade: it cannot act as the owner; nothing changes.
        auto c = pg::Connection::open(db.conninfo("up.clin"));
        CHECK_THROWS_AS(pg::upgrade_database(c, "tester"), pg::PermissionDenied);
        CHECK(pg::schema_version(c) == 1);
    }
    auto status = run_cli({"--db", db.conninfo(), "server", "status"});
    REQUIRE_MESSAGE(status.status == 0, status.err);
    CHECK(contains(status.out, "schema version: 1 (this build: " + now +
                                   ")\nupgrade due: clinicians are "
                                   "refused until an administrator runs\n  myoscreen-cli --db '" +
                                   db.conninfo() + "' server upgrade\n"));

    {  // A backup of schema 1 restores as schema 1, and says an upgrade is due.
        TempDir dir;
        auto bk = run_cli(
            {"--db", db.conninfo(), "server", "backup", (dir.path() / "v1.pgdump").string()});
        REQUIRE_MESSAGE(bk.status == 0, bk.err);
        ScratchDatabase target(*admin);
        auto rr = run_cli({"server", "restore", (dir.path() / "v1.pgdump").string(), "--into",
                           target.conninfo()});
        REQUIRE_MESSAGE(rr.status == 0, rr.err);
        CHECK(contains(rr.out,
                       "The backup has schema version 1; upgrade it before clinicians "
                       "connect:\n  myoscreen-cli --db '" +
                           target.conninfo() + "' server upgrade\n"));
        auto t = target.admin();
        CHECK(pg::schema_version(t) == 1);
    }
    auto r = run_cli({"--db", db.conninfo(), "server", "upgrade"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(contains(r.out, "from schema version 1 to " + now +
                              " (each step in one transaction, "
                              "recorded in the audit trail: schema upgraded from 1 to 2"));
    auto c = db.admin();
    CHECK(pg::schema_version(c) == pg::kPgSchemaVersion);
    CHECK(c.exec("SELECT 1 FROM pg_tables WHERE schemaname = 'myoscreen' AND tablename = "
                 "'draft_leases' AND tableowner = 'myoscreen_owner'")
              .rows() == 1);
    auto rows = pg::read_audit(c);
    REQUIRE(!rows.empty());
    CHECK(rows.back().action == "schema");
    CHECK(rows.back().summary ==
          "schema upgraded from " + std::to_string(pg::kPgSchemaVersion - 1) + " to " + now);
    CHECK(rows.back().clinician == "myoscreen_admin");
    CHECK(pg::verify_audit_chain(c).ok);
    {  // The clinician now passes, and may take a lease (a table of schema 2).
        auto clin = pg::Connection::open(db.conninfo("up.clin"));
        CHECK_NOTHROW(pg::require_current_schema(clin));
        CHECK(clin.query_int("SELECT count(*) FROM myoscreen.draft_leases") == 0);
    }
    auto again = run_cli({"--db", db.conninfo(), "server", "upgrade"});
    CHECK(again.status == 0);
    CHECK(
        contains(again.out, "is at schema version " + now + ", this build's; nothing to upgrade."));
    CHECK(pg::read_audit(c).size() == rows.size());
    status = run_cli({"--db", db.conninfo(), "server", "status"});
    CHECK(!contains(status.out, "upgrade due"));

    // A newer schema is refused as before, to everyone.
    c.exec("INSERT INTO myoscreen.schema_version (version) VALUES ($1)",
           {pg::kPgSchemaVersion + 1});
    CHECK_THROWS_WITH_AS(pg::require_current_schema(c),
                         doctest::Contains(("newer than this MyoScreen (" + now + ")").c_str()),
                         store::StoreError);
    auto newer = run_cli({"--db", db.conninfo(), "server", "upgrade"});
    CHECK(newer.status == 2);
    CHECK(contains(newer.err, "has MyoScreen schema version " +
                                  std::to_string(pg::kPgSchemaVersion + 1) +
                                  ", newer than this MyoScreen (" + now + ")"));
}

TEST_CASE(
    "server backup: one verified file, audited with its SHA-256; restore into an empty "
    "database gives the same records and chain") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto c = db.admin();
    pg::init_database(c, "tester");
    fill(c, 20);
    const pg::DatabaseFigures before = figures(c);
    TempDir dir;
    fs::path file = dir.path() / "clinic.pgdump";

    auto r = run_cli({"--db", db.conninfo(), "server", "backup", file.string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    REQUIRE(fs::is_regular_file(file));
    CHECK(names_in(dir.path()) == std::vector<std::string>{"clinic.pgdump"});  // no temporary
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string sha = store::file_sha256(file);
    CHECK(contains(r.out, "Backup written to " + file.string()));
    CHECK(contains(r.out, "20 patients, 40 assessments, 21 audit rows"));
    CHECK(contains(r.out, "sha256 " + sha + "\n"));
    CHECK(contains(r.out,
                   "verified: restored into a scratch database; counts and audit chain "
                   "head compared."));
    CHECK(scratch_databases(c) == 0);  // the scratch database is gone
    auto rows = pg::read_audit(c);
    REQUIRE(rows.size() == static_cast<std::size_t>(before.audit_rows) + 1);
    CHECK(rows.back().action == "backup");
    CHECK(rows.back().summary ==
          "verified backup written to " + file.string() + " (20 patients, 40 assessments, sha256 " +
              sha + ", audit head row " + std::to_string(before.head_seq) + " " + before.head_hash +
              "; pg_dump custom format, verified by a restore into a scratch database)");
    CHECK(pg::verify_audit_chain(c).ok);

    SUBCASE("an existing file is never overwritten") {
        auto again = run_cli({"--db", db.conninfo(), "server", "backup", file.string()});
        CHECK(again.status == 2);
        CHECK(contains(again.err, "already exists; a backup never overwrites a file"));
        CHECK(store::file_sha256(file) == sha);
        CHECK(pg::read_audit(c).size() == rows.size());
    }
    SUBCASE("restore into an empty database: the same records and chain head") {
        ScratchDatabase target(*admin);
        auto rr = run_cli({"server", "restore", file.string(), "--into", target.conninfo()});
        REQUIRE_MESSAGE(rr.status == 0, rr.err);
        CHECK(contains(rr.out,
                       "20 patients, 40 assessments, 21 audit rows; audit chain "
                       "verified, head row " +
                           std::to_string(before.head_seq) + "."));
        auto t = target.admin();
        auto restored_rows = pg::read_audit(t);
        REQUIRE(restored_rows.size() == static_cast<std::size_t>(before.audit_rows) + 1);
        // The restored trail is the source's up to the backup, then the restore's own row.
        CHECK(restored_rows[static_cast<std::size_t>(before.audit_rows) - 1].hash ==
              before.head_hash);
        CHECK(restored_rows.back().action == "restore");
        CHECK(contains(restored_rows.back().summary, "sha256 " + sha));
        CHECK(pg::verify_audit_chain(t).ok);
        pg::DatabaseFigures after = figures(t);
        CHECK(after.patients == before.patients);
        CHECK(after.assessments == before.assessments);
        CHECK(t.query_text("SELECT string_agg(document, '|' ORDER BY id) FROM "
                           "myoscreen.assessments") ==
              c.query_text("SELECT string_agg(document, '|' ORDER BY id) FROM "
                           "myoscreen.assessments"));
        CHECK(pg::schema_version(t) == pg::kPgSchemaVersion);
        CHECK(t.query_text("SELECT tableowner FROM pg_tables WHERE schemaname = 'myoscreen' AND "
                           "tablename = 'audit'") == "myoscreen_owner");
        // The triggers came back: the restored trail is still append-only.
        CHECK_THROWS(t.exec("DELETE FROM myoscreen.audit"));

        // A second restore into it (now a MyoScreen database) is refused, nothing written.
        auto second = run_cli({"server", "restore", file.string(), "--into", target.conninfo()});
        CHECK(second.status == 2);
        CHECK(contains(second.err, "is a MyoScreen database already (schema version " +
                                       std::to_string(pg::kPgSchemaVersion) +
                                       "); restore "
                                       "goes into an empty database only"));
        CHECK(pg::read_audit(t).size() == restored_rows.size());
    }
    SUBCASE("restore into a database holding anything else is refused; nothing written") {
        ScratchDatabase other(*admin);
        auto o = other.admin();
        o.exec("CREATE TABLE public.invoices (id int)");
        auto rr = run_cli({"server", "restore", file.string(), "--into", other.conninfo()});
        CHECK(rr.status == 2);
        CHECK(contains(rr.err,
                       "is not empty (public.invoices); restore goes into an empty "
                       "database only (createdb NAME); nothing was written"));
        CHECK(!pg::schema_version(o));
        CHECK(o.query_int("SELECT count(*) FROM pg_namespace WHERE nspname = 'myoscreen'") == 0);
    }
    SUBCASE("a file that is not a MyoScreen backup is refused; nothing written") {
        ScratchDatabase target(*admin);
        fs::path junk = dir.path() / "junk.pgdump";
        touch(junk);
        auto rr = run_cli({"server", "restore", junk.string(), "--into", target.conninfo()});
        CHECK(rr.status == 2);
        CHECK(contains(rr.err, "is not a MyoScreen backup of PostgreSQL"));
        auto t = target.admin();
        CHECK(pg::foreign_objects(t).empty());
    }
}

TEST_CASE(
    "server backup by an administrator who is not a superuser: without CREATEDB "
    "verified by pg_restore --list and the checksum, with it by a scratch restore") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto c = db.admin();
    pg::init_database(c, "tester");
    fill(c, 2);
    // An administrator who is a member of myoscreen_owner, neither superuser nor CREATEDB.
    c.exec("DROP ROLE IF EXISTS bk_operator");
    c.exec("CREATE ROLE bk_operator LOGIN NOCREATEDB");
    c.exec("GRANT myoscreen_owner TO bk_operator");
    c.exec("GRANT CONNECT ON DATABASE " + c.quote_identifier(db.name()) + " TO bk_operator");
    TempDir dir;
    fs::path file = dir.path() / "b.pgdump";
    {
        auto op = pg::Connection::open(db.conninfo("bk_operator"));
        auto report = pg::backup_database(op, file, pg::default_tool_search());
        CHECK(report.verification == pg::BackupVerification::ListAndChecksum);
        CHECK(report.sha256 == store::file_sha256(file));
        CHECK(report.figures.patients == 2);
    }
    auto rows = pg::read_audit(c);
    CHECK(rows.back().clinician == "bk_operator");
    CHECK(contains(rows.back().summary, "verified by pg_restore --list and its SHA-256"));
    // With CREATEDB (still no superuser), the same login verifies by a scratch restore.
    c.exec("ALTER ROLE bk_operator CREATEDB");
    {
        auto op = pg::Connection::open(db.conninfo("bk_operator"));
        auto report = pg::backup_database(op, dir.path() / "c.pgdump", pg::default_tool_search());
        CHECK(report.verification == pg::BackupVerification::ScratchRestore);
        CHECK(scratch_databases(op) == 0);
    }
    c.exec("REVOKE ALL ON DATABASE " + c.quote_identifier(db.name()) + " FROM bk_operator");
    c.exec("REVOKE myoscreen_owner FROM bk_operator");
}

TEST_CASE(
    "server backup --folder: today's dated backup, the newest 14 dated kept, nothing else "
    "touched") {
    TempDir dir;
    // 16 dated backups of 2020 and what is not one of them.
    for (int d = 1; d <= 16; ++d) {
        char name[64];
        std::snprintf(name, sizeof name, "myoscreen-2020-01-%02d.pgdump", d);
        touch(dir.path() / name);
    }
    for (const char* other : {"notes.txt", "myoscreen-2019-12-31.pgdump.bak",
                              "myoscreen-before-move.pgdump", "myoscreen-2019-12-30.db.zst"}) {
        touch(dir.path() / other);
    }
    fs::create_directory(dir.path() / "myoscreen-2019-12-29.pgdump");  // a folder, not a backup

    auto removed = pg::keep_dated_backups(dir.path(), 14);
    REQUIRE(removed.size() == 2);
    std::vector<std::string> gone{removed[0].filename().string(), removed[1].filename().string()};
    std::sort(gone.begin(), gone.end());
    CHECK(gone ==
          std::vector<std::string>{"myoscreen-2020-01-01.pgdump", "myoscreen-2020-01-02.pgdump"});
    auto left = names_in(dir.path());
    CHECK(left.size() == 14 + 5);
    for (const char* kept :
         {"notes.txt", "myoscreen-2019-12-31.pgdump.bak", "myoscreen-before-move.pgdump",
          "myoscreen-2019-12-30.db.zst", "myoscreen-2019-12-29.pgdump",
          "myoscreen-2020-01-03.pgdump", "myoscreen-2020-01-16.pgdump"}) {
        CHECK(std::count(left.begin(), left.end(), kept) == 1);
    }

    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    {
        auto c = db.admin();
        pg::init_database(c, "tester");
    }
    auto r = run_cli({"--db", db.conninfo(), "server", "backup", "--folder", dir.path().string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(contains(r.out, "Removed the older backup " +
                              (dir.path() / "myoscreen-2020-01-03.pgdump").string() +
                              " (keeping 14)."));
    left = names_in(dir.path());
    CHECK(left.size() == 14 + 5);
    CHECK(std::count(left.begin(), left.end(), "myoscreen-2020-01-03.pgdump") == 0);
    CHECK(std::count(left.begin(), left.end(), "notes.txt") == 1);
    // Today's is there; a second run the same day takes none.
    auto again =
        run_cli({"--db", db.conninfo(), "server", "backup", "--folder", dir.path().string()});
    REQUIRE_MESSAGE(again.status == 0, again.err);
    CHECK(contains(again.out, "exists; none taken."));
    CHECK(names_in(dir.path()) == left);
}

TEST_CASE("server backup: pg_dump missing or older than the server is refused clearly") {
    TempDir empty;
    pg::ToolSearch nowhere;
    nowhere.versioned_root = empty.path();
    nowhere.path = "/nonexistent-a:/nonexistent-b";
    CHECK_THROWS_WITH_AS(
        pg::find_tool("pg_dump", 15, nowhere),
        ("pg_dump was not found in " + (empty.path() / "15" / "bin").string() +
         " and the PATH; MyoScreen needs pg_dump of PostgreSQL 15 or newer (the server's major "
         "version; Debian: apt-get install postgresql-client-15), or --pg-bin DIR naming its "
         "folder; nothing was written")
            .c_str(),
        pg::ToolFailed);
    pg::ToolSearch given = nowhere;
    given.bin_dir = empty.path();
    CHECK_THROWS_WITH_AS(
        pg::find_tool("pg_dump", 15, given),
        doctest::Contains(
            ("pg_dump was not found in " + empty.path().string() + " (--pg-bin)").c_str()),
        pg::ToolFailed);
    // An older pg_dump (a stand-in that answers --version as PostgreSQL 14 does).
    TempDir old;
    fs::path fake = old.path() / "pg_dump";
    std::ofstream(fake) << "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.10 (Debian 14.10-1)'\n";
    fs::permissions(fake, fs::perms::owner_all);
    given.bin_dir = old.path();
    CHECK_THROWS_WITH_AS(pg::find_tool("pg_dump", 15, given),
                         doctest::Contains("pg_dump is version 14.10, older than the server "
                                           "(15); MyoScreen needs pg_dump of PostgreSQL 15"),
                         pg::ToolFailed);
    // Found on the PATH alone when the versioned folder is absent.
    if (fs::exists("/usr/lib/postgresql/15/bin/pg_dump")) {
        pg::ToolSearch on_path = nowhere;
        on_path.path = "/nonexistent:/usr/lib/postgresql/15/bin";
        auto t = pg::find_tool("pg_dump", 15, on_path);
        CHECK(t.major == 15);
        CHECK(t.path == "/usr/lib/postgresql/15/bin/pg_dump");
    }

    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto c = db.admin();
    pg::init_database(c, "tester");
    const auto audit_rows = pg::read_audit(c).size();
    TempDir dir;
    fs::path file = dir.path() / "x.pgdump";
    auto r = run_cli({"--db", db.conninfo(), "server", "backup", file.string(), "--pg-bin",
                      empty.path().string()});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "pg_dump was not found in " + empty.path().string() + " (--pg-bin)"));
    CHECK(!fs::exists(file));
    CHECK(names_in(dir.path()).empty());
    CHECK(pg::read_audit(c).size() == audit_rows);
}

TEST_CASE(
    "server backup over TLS with the password in PGPASSFILE: pg_dump and pg_restore reach "
    "the server as MyoScreen did, no password on their command lines") {
    auto tls = pg_setting("_TLS");
    auto passfile = pg_setting("_PASSFILE");
    auto admin = pg_setting();
    if (!tls || !passfile || !admin) {
        return;
    }
    ScratchDatabase db(*admin);
    {
        auto c = db.admin();
        pg::init_database(c, "tester");
        fill(c, 3);
    }
    TempDir dir;
    fs::path file = dir.path() / "tls.pgdump";
    // No PGHOST or PGSSLMODE of the test environment: the connection string and the policy's
    // verify-full alone, the password from the file.
    const std::string env = "env -u PGSSLMODE -u PGHOST -u PGSERVICE -u PGPASSWORD PGPASSFILE=" +
                            shell_quote(*passfile);
    auto r =
        run_cli({"--db", *tls + " dbname=" + db.name(), "server", "backup", file.string()}, env);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(contains(r.out, "verified: restored into a scratch database"));
    ScratchDatabase target(*admin);
    auto rr = run_cli(
        {"server", "restore", file.string(), "--into", *tls + " dbname=" + target.name()}, env);
    REQUIRE_MESSAGE(rr.status == 0, rr.err);
    CHECK(contains(rr.out, "3 patients, 6 assessments"));
}

TEST_CASE("server backup while clinicians save: the file and the figures are one snapshot") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    {
        auto c = db.admin();
        pg::init_database(c, "tester");
        fill(c, 200);
    }
    std::atomic<bool> stop{false};
    std::atomic<int> saved{0};
    std::thread writer([&] {
        auto w = db.admin();
        for (int i = 1000; !stop; ++i) {
            pg::Transaction tx(w);  // a save: the patient, its assessments and audit row
            fill_one(w, i);
            tx.commit();
            ++saved;
        }
    });
    TempDir dir;
    std::vector<pg::PgBackupReport> reports;
    try {
        auto c = db.admin();
        for (int i = 0; i < 3; ++i) {
            reports.push_back(pg::backup_database(c, dir.path() / ("b" + std::to_string(i)),
                                                  pg::default_tool_search()));
        }
    } catch (...) {
        stop = true;
        writer.join();
        throw;
    }
    stop = true;
    writer.join();
    CHECK(saved > 0);
    for (const auto& r : reports) {
        // Verified by a scratch restore: the file holds exactly the snapshot's records.
        CHECK(r.verification == pg::BackupVerification::ScratchRestore);
        CHECK(r.figures.assessments == 2 * r.figures.patients);
        CHECK(r.figures.audit_rows == r.figures.head_seq);
    }
    auto c = db.admin();
    CHECK(pg::verify_audit_chain(c).ok);
}

TEST_CASE("server backup: a failing pg_dump or too little space leaves no file and no audit row") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto c = db.admin();
    pg::init_database(c, "tester");
    fill(c, 5);
    const auto audit_rows = pg::read_audit(c).size();
    TempDir dir;
    fs::path file = dir.path() / "f.pgdump";

    SUBCASE("pg_dump fails half-way") {
        // A stand-in that answers --version as PostgreSQL 15, writes half a file and fails.
        TempDir bin;
        std::ofstream(bin.path() / "pg_dump")
            << "#!/bin/sh\n"
               "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 15.18'; exit 0; fi\n"
               "for a; do case $a in --file=*) echo partial > \"${a#--file=}\";; esac; done\n"
               "echo 'pg_dump: error: connection lost' >&2; exit 1\n";
        const char* pg_bin = std::getenv("MYOSCREEN_TEST_PG_BIN");
        fs::create_symlink(
            fs::path(pg_bin != nullptr ? pg_bin : "/usr/lib/postgresql/15/bin") / "pg_restore",
            bin.path() / "pg_restore");
        fs::permissions(bin.path() / "pg_dump", fs::perms::owner_all);
        pg::ToolSearch search;
        search.bin_dir = bin.path();
        CHECK_THROWS_WITH_AS(pg::backup_database(c, file, search),
                             "backup failed: pg_dump failed (exit status 1): pg_dump: error: "
                             "connection lost; nothing was written",
                             pg::PgBackupFailed);
    }
    SUBCASE("not enough free space") {
        store::set_free_space_lookup([](const fs::path&) { return std::uintmax_t{10}; });
        CHECK_THROWS_WITH_AS(pg::backup_database(c, file, pg::default_tool_search()),
                             doctest::Contains("not enough free space in "), pg::PgBackupFailed);
        store::set_free_space_lookup({});
    }
    CHECK(names_in(dir.path()).empty());  // no file, no temporary
    CHECK(pg::read_audit(c).size() == audit_rows);
    CHECK(scratch_databases(c) == 0);
}

TEST_CASE(
    "server backup and restore: a file name with a terminal escape is quoted, never sent raw") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto c = db.admin();
    pg::init_database(c, "tester");
    TempDir dir;
    fs::path file = dir.path() / "x\x1b[2Jy.pgdump";
    auto r = run_cli({"--db", db.conninfo(), "server", "backup", file.string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(fs::is_regular_file(file));
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find("x\\u001B[2Jy.pgdump") != std::string::npos);
    // The audit row names the file the same way.
    bool audited = false;
    for (const auto& e : pg::read_audit(c)) {
        audited = audited || e.summary.find("x\\u001B[2Jy.pgdump") != std::string::npos;
        CHECK(e.summary.find('\x1b') == std::string::npos);
    }
    CHECK(audited);
}
