// server init / add-user / remove-user / status, roles and the audit trail on a real
// PostgreSQL server (issue 13).

#include <doctest/doctest.h>

#include <thread>

#include "pg_fixture.hpp"
#include "store/audit.hpp"
#include "store/errors.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;

namespace {

// Everything the database holds outside PostgreSQL's own schemas, as one comparable text.
std::string objects(pg::Connection& c) {
    pg::Result r = c.exec(
        "SELECT string_agg(n.nspname || '.' || cl.relname, ',' ORDER BY 1) "
        "FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%'");
    return r.text(0, 0) + "|" +
           c.query_text("SELECT string_agg(nspname, ',' ORDER BY 1) FROM pg_namespace");
}

void init(const ScratchDatabase& db) {
    auto r = run_cli({"server", "init", db.conninfo()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
}

void add_user(const ScratchDatabase& db, const std::string& name, const std::string& role) {
    auto r = run_cli({"--db", db.conninfo(), "server", "add-user", name, "--role", role});
    REQUIRE_MESSAGE(r.status == 0, r.err);
}

// Runs `sql` as `user` and returns the message of the PermissionDenied it must raise.
std::string denied(const ScratchDatabase& db, const std::string& user, const std::string& sql) {
    auto c = pg::Connection::open(db.conninfo(user));
    try {
        c.exec(sql);
    } catch (const pg::PermissionDenied& e) {
        return e.what();
    }
    FAIL("not refused for " << user << ": " << sql);
    return "";
}

}  // namespace

TEST_CASE("server init: an empty database gets the schema, the roles and a first audit row") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto r = run_cli({"server", "init", db.conninfo()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("Created MyoScreen's schema (version " + std::to_string(pg::kPgSchemaVersion) +
                     ") in database \"" + db.name() + "\" on the local server") !=
          std::string::npos);
    auto c = db.admin();
    CHECK(pg::schema_version(c) == pg::kPgSchemaVersion);
    for (const char* role : {"myoscreen_owner", "clinician", "readonly"}) {
        CHECK(c.exec("SELECT 1 FROM pg_roles WHERE rolname = $1 AND NOT rolcanlogin", {role})
                  .rows() == 1);
    }
    CHECK(c.query_text("SELECT tableowner FROM pg_tables WHERE schemaname = 'myoscreen' AND "
                       "tablename = 'audit'") == "myoscreen_owner");
    auto rows = pg::read_audit(c);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].action == "audit-start");
    CHECK(rows[0].clinician == "myoscreen_admin");  // the login, recorded by the server
    CHECK(pg::verify_audit_chain(c).ok);

    SUBCASE("a second init is refused, exit 2, nothing written") {
        std::string before = objects(c);
        auto again = run_cli({"server", "init", db.conninfo()});
        CHECK(again.status == 2);
        CHECK(again.err == "myoscreen-cli: database \"" + db.name() +
                               "\" on the local server (socket in " +
                               db.conninfo().substr(5, db.conninfo().find(' ') - 5) +
                               ") is already a MyoScreen database (schema version " +
                               std::to_string(pg::kPgSchemaVersion) +
                               "); nothing "
                               "was written\n");
        CHECK(objects(c) == before);
    }
}

TEST_CASE("server init: refuses another application's database and a newer schema") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    SUBCASE("another application's tables") {
        ScratchDatabase db(*admin);
        auto c = db.admin();
        c.exec("CREATE TABLE public.invoices (id int)");
        std::string before = objects(c);
        auto r = run_cli({"server", "init", db.conninfo()});
        CHECK(r.status == 2);
        CHECK(r.err.find("is not empty: it holds another application's objects (public.invoices)"
                         "; server init needs an empty database (createdb NAME); nothing was "
                         "written") != std::string::npos);
        CHECK(objects(c) == before);
        // And the other verbs refuse it too.
        auto s = run_cli({"--db", db.conninfo(), "server", "status"});
        CHECK(s.status == 2);
        CHECK(s.err.find("is not a MyoScreen database (no MyoScreen schema)") != std::string::npos);
    }
    SUBCASE("PostgreSQL's own database") {
        auto r = run_cli({"server", "init", *admin});
        CHECK(r.status == 2);
        CHECK(r.err.find("is PostgreSQL's own database; MyoScreen needs one of its own") !=
              std::string::npos);
    }
    SUBCASE("a login that may not create roles") {
        ScratchDatabase db(*admin);
        auto c = db.admin();
        c.exec("DROP ROLE IF EXISTS plain_owner");
        c.exec("CREATE ROLE plain_owner LOGIN");
        c.exec("ALTER DATABASE " + c.quote_identifier(db.name()) + " OWNER TO plain_owner");
        std::string before = objects(c);
        auto r = run_cli({"server", "init", db.conninfo("plain_owner")});
        CHECK(r.status == 2);
        CHECK(r.err.find("permission denied: the PostgreSQL login \"plain_owner\" may not do "
                         "this in database") != std::string::npos);
        CHECK(r.err.find("; server init needs a superuser, or the database's owner with the "
                         "CREATEROLE attribute; nothing was written\n") != std::string::npos);
        CHECK(objects(c) == before);
        c.exec("ALTER DATABASE " + c.quote_identifier(db.name()) + " OWNER TO myoscreen_admin");
        c.exec("DROP ROLE plain_owner");
    }
    SUBCASE("the database's owner with CREATEROLE may") {
        ScratchDatabase db(*admin);
        auto c = db.admin();
        c.exec("DROP ROLE IF EXISTS clinic_admin");
        c.exec("CREATE ROLE clinic_admin LOGIN CREATEROLE");
        c.exec("ALTER DATABASE " + c.quote_identifier(db.name()) + " OWNER TO clinic_admin");
        auto r = run_cli({"server", "init", db.conninfo("clinic_admin")});
        CHECK_MESSAGE(r.status == 0, r.err);
        auto s = run_cli({"--db", db.conninfo("clinic_admin"), "server", "status"});
        CHECK(s.out.find("connected as: clinic_admin") != std::string::npos);
    }
    SUBCASE("a schema newer than this build") {
        ScratchDatabase db(*admin);
        init(db);
        auto c = db.admin();
        c.exec("INSERT INTO myoscreen.schema_version (version) VALUES ($1)",
               {pg::kPgSchemaVersion + 1});
        std::string newer = "version " + std::to_string(pg::kPgSchemaVersion + 1) +
                            ", newer than this MyoScreen (" + std::to_string(pg::kPgSchemaVersion) +
                            ")";
        std::string before = objects(c);
        auto r = run_cli({"server", "init", db.conninfo()});
        CHECK(r.status == 2);
        CHECK(r.err.find("holds a MyoScreen schema of " + newer +
                         "; use a newer MyoScreen; nothing was written") != std::string::npos);
        CHECK(objects(c) == before);
        auto s = run_cli({"--db", db.conninfo(), "server", "status"});
        CHECK(s.status == 2);
        CHECK(s.err.find("has MyoScreen schema " + newer) != std::string::npos);
    }
}

TEST_CASE("server add-user / remove-user: logins in a group; removal keeps the history") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    init(db);
    auto r =
        run_cli({"--db", db.conninfo(), "server", "add-user", "t.okafor", "--role", "clinician"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("t.okafor in the group clinician (read and write)") != std::string::npos);
    CHECK(r.out.find("MyoScreen never handles passwords") != std::string::npos);
    CHECK(r.out.find("\\password t.okafor") != std::string::npos);
    add_user(db, "r.viewer", "readonly");

    auto status = run_cli({"--db", db.conninfo(), "server", "status"});
    REQUIRE_MESSAGE(status.status == 0, status.err);
    std::string v = std::to_string(pg::kPgSchemaVersion);
    CHECK(status.out.find("schema version: " + v + " (this build: " + v + ")") !=
          std::string::npos);
    CHECK(status.out.find("  r.viewer  readonly\n  t.okafor  clinician\n") != std::string::npos);
    CHECK(status.out.find("last backup: none recorded") != std::string::npos);
    CHECK(status.out.find("size: ") != std::string::npos);

    {
        auto c = pg::Connection::open(db.conninfo("t.okafor"));
        c.exec("INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ('u', 'edit', 's')");
    }
    auto removed = run_cli({"--db", db.conninfo(), "server", "remove-user", "t.okafor"});
    REQUIRE_MESSAGE(removed.status == 0, removed.err);
    CHECK(removed.out.find("the 1 audit row naming t.okafor keep") != std::string::npos);
    auto c = db.admin();
    CHECK(c.exec("SELECT 1 FROM pg_roles WHERE rolname = 't.okafor' AND NOT rolcanlogin").rows() ==
          1);
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.audit WHERE clinician = 't.okafor'") == 1);
    auto after = run_cli({"--db", db.conninfo(), "server", "status"});
    CHECK(after.out.find("t.okafor") == std::string::npos);
    // Unable to log in now.
    CHECK_THROWS_AS(pg::Connection::open(db.conninfo("t.okafor")), pg::ConnectFailed);

    SUBCASE("refusals: exit 2, clear message") {
        auto unknown = run_cli({"--db", db.conninfo(), "server", "remove-user", "nobody"});
        CHECK(unknown.status == 2);
        CHECK(unknown.err.find("\"nobody\" is not a MyoScreen user of database") !=
              std::string::npos);
        auto bad = run_cli(
            {"--db", db.conninfo(), "server", "add-user", "Bob; DROP", "--role", "readonly"});
        CHECK(bad.status == 2);
        CHECK(bad.err ==
              "myoscreen-cli: the user name \"Bob; DROP\" is refused: a user name has only "
              "lower-case letters a-z, digits, '.', '_' and '-'\n");
        auto group = run_cli(
            {"--db", db.conninfo(), "server", "add-user", "clinician", "--role", "readonly"});
        CHECK(group.status == 2);
        auto role = run_cli({"--db", db.conninfo(), "server", "add-user", "x", "--role", "boss"});
        CHECK(role.status == 2);
    }
}

TEST_CASE("roles: readonly cannot write; a clinician cannot touch the audit rows or the schema") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    init(db);
    add_user(db, "doc", "clinician");
    add_user(db, "viewer", "readonly");

    // A login of the server outside MyoScreen's groups does not even connect.
    db.admin().exec("DROP ROLE IF EXISTS stranger");
    db.admin().exec("CREATE ROLE stranger LOGIN");
    try {
        pg::Connection::open(db.conninfo("stranger"));
        FAIL("a stranger connected");
    } catch (const pg::ConnectFailed& e) {
        CHECK(e.problem() == pg::ConnectProblem::AuthFailed);
        CHECK(std::string(e.what()).find("this login may not connect to the database; only the "
                                         "members of the groups clinician and readonly may") !=
              std::string::npos);
    }
    db.admin().exec("DROP ROLE stranger");

    std::string w = denied(db, "viewer", "INSERT INTO myoscreen.settings VALUES ('a', 'b')");
    CHECK(w == "permission denied: the PostgreSQL login \"viewer\" may not do this in database \"" +
                   db.name() + "\" on the local server (socket in " +
                   db.conninfo().substr(5, db.conninfo().find(' ') - 5) +
                   ") (PostgreSQL: \"permission denied for table settings\")");
    denied(db, "viewer",
           "INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ('u', 'edit', 's')");
    {
        auto c = pg::Connection::open(db.conninfo("viewer"));
        CHECK(c.query_int("SELECT count(*) FROM myoscreen.audit") == 1);  // reads
    }
    // The clinician writes records and appends to the trail...
    {
        auto c = pg::Connection::open(db.conninfo("doc"));
        c.exec("INSERT INTO myoscreen.settings VALUES ('clinic_name', 'Praxis')");
        c.exec("INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ('u', 'edit', 's')");
    }
    // ...but neither changes the trail nor the schema.
    for (const char* sql : {
             "UPDATE myoscreen.audit SET summary = 'x'",
             "DELETE FROM myoscreen.audit",
             "TRUNCATE myoscreen.audit",
             "UPDATE myoscreen.audit_head SET seq = 0",
             "INSERT INTO myoscreen.audit (os_user, action, summary, clinician) VALUES ('u', "
             "'edit', 's', 'someone else')",
             "DROP TABLE myoscreen.patients",
             "ALTER TABLE myoscreen.audit DISABLE TRIGGER audit_rows_are_not_changed",
             "DROP TRIGGER audit_chain ON myoscreen.audit",
             "DROP FUNCTION myoscreen.audit_extend_chain()",
             "TRUNCATE myoscreen.assessments",
         }) {
        CAPTURE(sql);
        std::string msg = denied(db, "doc", sql);
        CHECK(msg.find("permission denied: the PostgreSQL login \"doc\" may not do this") == 0);
    }
    // The owner itself meets the append-only triggers.
    {
        auto c = db.admin();
        c.exec("SET ROLE myoscreen_owner");
        try {
            c.exec("DELETE FROM myoscreen.audit WHERE seq = 1");
            FAIL("the owner deleted an audit row");
        } catch (const pg::PermissionDenied& e) {
            CHECK(std::string(e.what()).find(
                      "the audit trail is append-only: a row cannot be deleted") == 0);
        }
    }
}

TEST_CASE("audit on PostgreSQL: the actor is the login; the SQLite verifier checks the chain") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    init(db);
    add_user(db, "doc", "clinician");
    add_user(db, "nurse", "clinician");
    for (const char* who : {"doc", "nurse", "doc"}) {
        auto c = pg::Connection::open(db.conninfo(who));
        pg::Transaction tx(c);
        // Non-ASCII text: the server counts bytes as audit.cpp does.
        c.exec(
            "INSERT INTO myoscreen.audit (os_user, action, patient, assessment, summary) "
            "VALUES ($1, 'edit', 'P-1', 7, $2)",
            {std::string("ws-") + who, "Müller – naïve 東京"});
        tx.commit();
    }
    auto c = db.admin();
    auto rows = pg::read_audit(c);
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].clinician == "doc");
    CHECK(rows[2].clinician == "nurse");
    CHECK(rows[2].os_user == "ws-nurse");
    for (const auto& row : rows) {
        CHECK(store::audit_row_hash(row) == row.hash);  // one hash format for both stores
    }
    auto v = pg::verify_audit_chain(c);
    CHECK(v.ok);
    CHECK(v.rows == 4);
    CHECK(v.head_seq == 4);
    CHECK(v.head == rows[3].hash);

    SUBCASE("a row changed by the owner (triggers disabled) is found") {
        c.exec("SET ROLE myoscreen_owner");
        c.exec("ALTER TABLE myoscreen.audit DISABLE TRIGGER audit_rows_are_not_changed");
        c.exec("UPDATE myoscreen.audit SET clinician = 'nurse' WHERE seq = 2");
        c.exec("ALTER TABLE myoscreen.audit ENABLE TRIGGER audit_rows_are_not_changed");
        auto t = pg::verify_audit_chain(c);
        CHECK_FALSE(t.ok);
        CHECK(t.first_broken == 2);
        CHECK(t.problem ==
              "row 2 was changed after it was written (its hash does not match its content)");
    }
    SUBCASE("the newest row removed by the owner is found") {
        c.exec("SET ROLE myoscreen_owner");
        c.exec("ALTER TABLE myoscreen.audit DISABLE TRIGGER audit_rows_are_not_changed");
        c.exec("DELETE FROM myoscreen.audit WHERE seq = 4");
        auto t = pg::verify_audit_chain(c);
        CHECK_FALSE(t.ok);
        CHECK(t.problem == "row 4 and any after it are missing (4 rows were written)");
    }
}

TEST_CASE("audit on PostgreSQL: four workstations appending at once leave one unbroken chain") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    init(db);
    add_user(db, "doc", "clinician");
    constexpr int kClients = 4;
    constexpr int kRows = 25;
    std::vector<std::thread> clients;
    std::vector<std::string> failures(kClients);
    for (int i = 0; i < kClients; ++i) {
        clients.emplace_back([&db, &failures, i]() {
            try {
                auto c = pg::Connection::open(db.conninfo("doc"));
                for (int n = 0; n < kRows; ++n) {
                    pg::Transaction tx(c);
                    c.exec(
                        "INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, "
                        "'edit', $2)",
                        {"ws" + std::to_string(i), "save " + std::to_string(n)});
                    tx.commit();
                }
            } catch (const std::exception& e) {
                failures[static_cast<std::size_t>(i)] = e.what();
            }
        });
    }
    for (auto& t : clients) {
        t.join();
    }
    for (const auto& f : failures) {
        CHECK(f.empty());
    }
    auto c = db.admin();
    auto v = pg::verify_audit_chain(c);
    CHECK_MESSAGE(v.ok, v.problem);
    CHECK(v.rows == 1 + kClients * kRows);
    CHECK(v.head_seq == 1 + kClients * kRows);
}

TEST_CASE("records on PostgreSQL: row versions kept by the server; a final never changes") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ScratchDatabase db(*admin);
    init(db);
    add_user(db, "doc", "clinician");
    auto c = pg::Connection::open(db.conninfo("doc"));
    auto id = c.query_int(
        "INSERT INTO myoscreen.patients (patient_key, name, birth_date, created_at, row_version, "
        "changed_by) VALUES ('P-1', 'Ana', '1980-01-01', '2026-01-01', 99, 'forged') "
        "RETURNING id");
    CHECK(c.query_text("SELECT row_version || ' ' || changed_by FROM myoscreen.patients") ==
          "1 doc");
    c.exec("UPDATE myoscreen.patients SET name = 'Ana B' WHERE id = $1", {id});
    c.exec("UPDATE myoscreen.patients SET name = 'Ana C', row_version = 1 WHERE id = $1", {id});
    CHECK(c.query_int("SELECT row_version FROM myoscreen.patients") == 3);
    auto a = c.query_int(
        "INSERT INTO myoscreen.assessments (patient, visit, version, status, date, urgency, "
        "rules_version, created_at, updated_at, document) VALUES ($1, 1, 1, 'final', "
        "'2026-01-01', 'routine', '1', 'x', 'x', '{}') RETURNING id",
        {id});
    CHECK_THROWS_WITH_AS(c.exec("UPDATE myoscreen.assessments SET document = '{\"x\":1}' WHERE "
                                "id = $1",
                                {a}),
                         "a final assessment cannot be changed", store::NotEditable);
    CHECK_THROWS_WITH_AS(c.exec("DELETE FROM myoscreen.assessments WHERE id = $1", {a}),
                         "a final assessment cannot be deleted", store::NotEditable);
}
