// Every CLI verb against a MyoScreen database on PostgreSQL (issue 13): the same output as on a
// SQLite store holding the same records, backups and restore through the Store, a readonly
// login refused for writes, and each bad target refused by every verb with exit 2 and nothing
// written anywhere.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/assessment.hpp"
#include "pg_fixture.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_tools.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
using namespace myo::test;
namespace fs = std::filesystem;
namespace pg = myo::store::pg;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void spit(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The six examples, plus a second visit of V1 (for compare and baseline), as files in `dir`.
std::vector<std::string> example_files(const fs::path& dir) {
    std::vector<std::string> files;
    for (const auto& v : vignette_files()) {
        fs::path p = dir / v.filename();
        spit(p, write_assessment(vignette_assessment(v)));
        files.push_back(p.string());
    }
    Assessment again = vignette_assessment(vignette_files().front());
    again.date = "2026-11-27";
    fs::path p = dir / "v1_again.json";
    spit(p, write_assessment(again));
    files.push_back(p.string());
    return files;
}

// The CLI with the forms, in `cwd`, with HOME (and so the backups folder) under `home`.
struct Cli {
    fs::path cwd;
    fs::path home;
    std::string extra_env;
    CommandResult operator()(const std::string& db, std::vector<std::string> args) const {
        args.insert(args.begin(), {"--forms", forms_dir().string(), "--db", db});
        return run_cli(args, "cd " + shell_quote(cwd.string()) + " && env -u XDG_DATA_HOME -u " +
                                 "XDG_CONFIG_HOME HOME=" + shell_quote(home.string()) +
                                 (extra_env.empty() ? "" : " " + extra_env));
    }
};

std::string pdf_text(const fs::path& pdf) {
    auto r = run_command("pdftotext -enc UTF-8 " + shell_quote(pdf.string()) + " -");
    REQUIRE(r.status == 0);
    return squash_whitespace(r.out);
}

// A MyoScreen database made by `server init`, and t.okafor, a clinician.
struct ClinicDb {
    ScratchDatabase db;
    explicit ClinicDb(const std::string& admin) : db(admin) {
        auto r = run_cli({"server", "init", db.conninfo()});
        REQUIRE_MESSAGE(r.status == 0, r.err);
        auto c = db.admin();
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
        pg::add_user(c, "r.viewer", pg::UserRole::Readonly);
    }
};

std::size_t audit_rows(const ScratchDatabase& db) {
    auto c = db.admin();
    return pg::read_audit(c).size();
}

}  // namespace

TEST_CASE("pg cli: every verb gives on PostgreSQL what it gives on a SQLite store") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    const std::string server = clinic.db.conninfo("t.okafor");
    TempDir tmp;
    fs::create_directories(tmp.path() / "in");
    fs::create_directories(tmp.path() / "home");
    const Cli cli{tmp.path(), tmp.path() / "home", ""};
    const std::string file = (tmp.path() / "clinic.db").string();
    auto inputs = example_files(tmp.path() / "in");
    std::vector<std::string> import{"import"};
    import.insert(import.end(), inputs.begin(), inputs.end());

    auto same = [&](const std::vector<std::string>& args) {
        CAPTURE(args.front());
        auto on_server = cli(server, args);
        auto on_file = cli(file, args);
        CHECK_MESSAGE(on_server.status == 0, on_server.err);
        CHECK(on_server.status == on_file.status);
        CHECK(on_server.out == on_file.out);
        CHECK(on_server.err == on_file.err);
        return on_server;
    };
    auto imported = same(import);
    CHECK(contains(imported.out, ": stored as assessment 1 (patient V1, new, 2026-11-20)\n"));
    same({"list"});
    same({"list", "--search", "zoe ake"});
    same({"list", "--search", "ZOË", "--format", "json"});
    same({"list", "--offset", "2", "--limit", "3"});
    same({"history", "V1"});
    same({"history", "V1", "--format", "json"});
    same({"export", "--assessment", "3"});
    same({"compare", "--patient", "V1"});
    same({"compare", "--patient", "V1", "--format", "text"});
    same({"baseline", "--patient", "V1", "--assessment", "7"});
    same({"history", "V1"});
    same({"baseline", "--patient", "V1", "--first"});
    same({"settings", "--clinic-name", "Clinic Ørsted", "--clinician", "Dr T. Okafor"});
    same({"settings"});
    same({"evaluate", "--assessment", "2"});

    // export --patient writes the same bytes into a folder.
    auto exported_pg = cli(server, {"export", "--patient", "V1", "--out", "pg-out"});
    auto exported_file = cli(file, {"export", "--patient", "V1", "--out", "file-out"});
    REQUIRE_MESSAGE(exported_pg.status == 0, exported_pg.err);
    REQUIRE(exported_file.status == 0);
    REQUIRE(names_in(tmp.path() / "pg-out") == names_in(tmp.path() / "file-out"));
    for (const auto& name : names_in(tmp.path() / "pg-out")) {
        CHECK(slurp(tmp.path() / "pg-out" / name) == slurp(tmp.path() / "file-out" / name));
    }
    // The report of a stored assessment: the same text in the PDF.
    auto report_pg = cli(server, {"report", "--assessment", "1", "-o", "pg.pdf"});
    auto report_file = cli(file, {"report", "--assessment", "1", "-o", "file.pdf"});
    REQUIRE_MESSAGE(report_pg.status == 0, report_pg.err);
    REQUIRE(report_file.status == 0);
    CHECK(pdf_text(tmp.path() / "pg.pdf") == pdf_text(tmp.path() / "file.pdf"));

    // The audit trail: the same actions in the same order; the server names the login.
    auto actions = [&](const std::string& db) {
        auto r = cli(db, {"audit", "--format", "json"});
        REQUIRE_MESSAGE(r.status == 0, r.err);
        std::vector<std::string> out;
        for (const auto& row : Json::parse(r.out)) {
            out.push_back(row["action"].get<std::string>());
        }
        return out;
    };
    auto pg_actions = actions(server);
    auto file_actions = actions(file);
    REQUIRE(!pg_actions.empty());
    CHECK(std::vector<std::string>(pg_actions.begin() + 1, pg_actions.end()) ==
          std::vector<std::string>(file_actions.begin() + 1, file_actions.end()));
    auto trail = cli(server, {"audit", "--patient", "V1"});
    CHECK(contains(trail.out, "t.okafor"));

    // Nothing of the server's is on this computer but the exports asked for.
    CHECK(names_in(tmp.path()) == std::vector<std::string>{"clinic.db", "clinic.db.chain",
                                                           "clinic.db.lock", "file-out", "file.pdf",
                                                           "home", "in", "pg-out", "pg.pdf"});
    CHECK(fs::is_empty(tmp.path() / "home"));
}

TEST_CASE("pg cli: db backup, delete, check, verify and restore on PostgreSQL") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    const std::string server = clinic.db.conninfo();
    TempDir tmp;
    fs::create_directories(tmp.path() / "in");
    fs::create_directories(tmp.path() / "home");
    const Cli cli{tmp.path(), tmp.path() / "home", ""};
    auto inputs = example_files(tmp.path() / "in");
    std::vector<std::string> import{"import"};
    import.insert(import.end(), inputs.begin(), inputs.end());
    REQUIRE(cli(server, import).status == 0);
    const fs::path folder = tmp.path() / "home" / ".local" / "share" / "myoscreen" / "backups";

    SUBCASE("db backup PATH: a verified archive, exactly one audit row") {
        const auto before = audit_rows(clinic.db);
        auto r = cli(server, {"db", "backup", "clinic.pgdump"});
        REQUIRE_MESSAGE(r.status == 0, r.err);
        CHECK(r.out == "backup written and verified: " + (tmp.path() / "clinic.pgdump").string() +
                           " (" + std::to_string(fs::file_size(tmp.path() / "clinic.pgdump")) +
                           " bytes, 6 patients, 7 assessments, pg_dump custom format, verified by "
                           "a restore into a scratch database)\n");
        auto c = clinic.db.admin();
        auto rows = pg::read_audit(c);
        REQUIRE(rows.size() == before + 1);
        CHECK(rows.back().action == "backup");
        CHECK(contains(rows.back().summary, "verified backup written to " +
                                                (tmp.path() / "clinic.pgdump").string() +
                                                " (6 patients, 7 assessments, sha256 "));
        CHECK(contains(rows.back().summary,
                       "; pg_dump custom format, verified by a restore into a scratch database)"));
        CHECK(fs::is_empty(tmp.path() / "home"));  // a PATH given: no backups folder
    }
    SUBCASE("db backup: today's dated backup in this user's folder for the server") {
        auto r = cli(server, {"db", "backup"});
        REQUIRE_MESSAGE(r.status == 0, r.err);
        REQUIRE(fs::is_directory(folder));
        auto servers = names_in(folder);
        REQUIRE(servers.size() == 1);
        CHECK(servers[0] ==
              "local_" +
                  server.substr(server.find("port=") + 5,
                                server.find(' ', server.find("port=")) - server.find("port=") - 5) +
                  "-" + clinic.db.name());
        auto dated = names_in(folder / servers[0]);
        REQUIRE(dated.size() == 1);
        CHECK(dated[0].size() == std::string("myoscreen-2026-12-01.pgdump").size());
        CHECK(contains(r.out, "daily backup written and verified: "));
        auto again = cli(server, {"db", "backup"});
        CHECK(again.status == 0);
        CHECK(contains(again.out, "today's backup exists already in "));
    }
    SUBCASE("delete: audited, after a verified backup that restores the patient") {
        // As a clinician, as in the clinic: pg_dump reads the sequences' values (SELECT on
        // them, granted to clinician by schema 4).
        const auto before = audit_rows(clinic.db);
        auto r = cli(clinic.db.conninfo("t.okafor"),
                     {"delete", "--patient", "V4", "--confirm", "Tomás Ribeiro"});
        REQUIRE_MESSAGE(r.status == 0, r.err);
        CHECK(contains(r.out, "patient V4 deleted with 1 assessments; backup taken before: "));
        auto c = clinic.db.admin();
        auto rows = pg::read_audit(c);
        REQUIRE(rows.size() == before + 2);  // the backup, the deletion
        CHECK(rows[rows.size() - 2].action == "backup");
        CHECK(rows.back().action == "delete");
        CHECK(rows.back().patient_id == std::optional<std::string>("V4"));
        CHECK(rows.back().clinician == "t.okafor");
        // No CREATEDB for a clinician: verified by pg_restore --list and the SHA-256.
        CHECK(contains(rows[rows.size() - 2].summary, "verified by pg_restore --list"));
        // The backup is there and holds the patient: restored into an empty database.
        auto servers = names_in(folder);
        REQUIRE(servers.size() == 1);
        auto kept = names_in(folder / servers[0]);
        REQUIRE(kept.size() == 1);
        CHECK(kept[0].rfind("myoscreen-before-delete-", 0) == 0);
        CHECK(kept[0].size() > 7);
        CHECK(kept[0].substr(kept[0].size() - 7) == ".pgdump");
        CHECK(contains(rows.back().summary, kept[0]));
        ScratchDatabase restored(*admin);
        auto rr =
            cli(restored.conninfo(), {"db", "restore", (folder / servers[0] / kept[0]).string()});
        REQUIRE_MESSAGE(rr.status == 0, rr.err);
        CHECK(contains(rr.out, "(6 patients, 7 assessments, sha256 "));
        CHECK(contains(rr.out, "audit chain verified, head row "));
        CHECK(contains(cli(restored.conninfo(), {"list"}).out, "Tomás Ribeiro"));
        CHECK(!contains(cli(server, {"list"}).out, "Tomás Ribeiro"));
        auto v = cli(restored.conninfo(), {"db", "verify"});
        CHECK_MESSAGE(v.status == 0, v.err);
    }
    SUBCASE("a read-only opening backs up without writing on the server") {
        const auto before = audit_rows(clinic.db);
        auto r = cli(server, {"--read-only", "db", "backup", "ro.pgdump"});
        REQUIRE_MESSAGE(r.status == 0, r.err);
        CHECK(contains(r.out, "verified by pg_restore --list and its SHA-256"));
        CHECK(audit_rows(clinic.db) == before);  // no row, no scratch database
    }
    SUBCASE("db check and db verify") {
        auto check = cli(server, {"db", "check"});
        REQUIRE_MESSAGE(check.status == 0, check.err);
        const std::string version = std::to_string(store::pg::kPgSchemaVersion);
        for (const std::string& line :
             {"schema version: " + version + " (this build: " + version + ")\n",
              std::string("other objects: none\n"), std::string("audit trail: intact (8 rows)\n"),
              std::string("stored documents: all parse\n"), std::string("patients: 6\n"),
              std::string("assessments: 7 final, 0 draft\n")}) {
            CHECK_MESSAGE(contains(check.out, line), line);
        }
        CHECK(contains(check.out, "\nok\n"));
        auto verify = cli(server, {"db", "verify"});
        REQUIRE_MESSAGE(verify.status == 0, verify.err);
        CHECK(verify.out.rfind("audit trail intact: 8 rows, head ", 0) == 0);
        // A table of another application beside MyoScreen's: reported, exit 2.
        auto c = clinic.db.admin();
        c.exec("CREATE TABLE public.orders (id int)");
        auto dirty = cli(server, {"db", "check"});
        CHECK(dirty.status == 2);
        CHECK(contains(dirty.err,
                       "problem: the database holds objects of another application "
                       "besides MyoScreen's (public.orders)\n"));
        // An audit row changed behind MyoScreen's back (as the owner, bypassing the triggers).
        c.exec("DROP TABLE public.orders");
        c.exec("SET session_replication_role = replica");
        c.exec("UPDATE myoscreen.audit SET summary = 'nothing happened' WHERE seq = 3");
        auto broken = cli(server, {"db", "verify"});
        CHECK(broken.status == 2);
        CHECK(contains(broken.err, "audit trail BROKEN at row 3"));
    }
    SUBCASE("db restore: only into an empty database; the other kind of backup refused") {
        REQUIRE(cli(server, {"db", "backup", "clinic.pgdump"}).status == 0);
        auto full = cli(server, {"db", "restore", "clinic.pgdump"});
        CHECK(full.status == 2);
        CHECK(
            contains(full.err, "is a MyoScreen database already (schema version " +
                                   std::to_string(store::pg::kPgSchemaVersion) +
                                   "); restore "
                                   "goes into an empty database only (createdb NAME); nothing was "
                                   "written\n"));
        // A SQLite backup for the server, a server backup for a file: refused naming both.
        REQUIRE(cli("s.db", {"import", inputs.front()}).status == 0);
        REQUIRE(cli("s.db", {"db", "backup", "s.db.zst"}).status == 0);
        ScratchDatabase empty(*admin);
        auto sqlite_in = cli(empty.conninfo(), {"db", "restore", "s.db.zst"});
        CHECK(sqlite_in.status == 2);
        CHECK(contains(sqlite_in.err,
                       "myoscreen-cli: s.db.zst is a backup of a SQLite database "
                       "file, and "));
        CHECK(contains(sqlite_in.err,
                       " is a PostgreSQL database, restored from a server backup "
                       "(.pgdump) only; to move a SQLite store onto the server, "
                       "use db copy; nothing was written\n"));
        auto c = empty.admin();
        CHECK(pg::foreign_objects(c).empty());
        auto pg_in = cli("new.db", {"db", "restore", "clinic.pgdump"});
        CHECK(pg_in.status == 2);
        CHECK(pg_in.err ==
              "myoscreen-cli: clinic.pgdump is a backup of a PostgreSQL database (pg_dump), and "
              "new.db is a SQLite database file: restore it into an empty PostgreSQL database "
              "(--db CONNINFO db restore), or give a SQLite backup (.db or .db.zst); nothing was "
              "changed\n");
        CHECK(!fs::exists(tmp.path() / "new.db"));
        // Into an empty database: the one code path of server restore.
        auto ok = cli(empty.conninfo(), {"db", "restore", "clinic.pgdump"});
        REQUIRE_MESSAGE(ok.status == 0, ok.err);
        CHECK(cli(empty.conninfo(), {"list"}).out == cli(server, {"list"}).out);
    }
}

TEST_CASE(
    "pg cli: a readonly login reads; every write is refused, exit 2, as for a read-only "
    "store") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    TempDir tmp;
    fs::create_directories(tmp.path() / "in");
    fs::create_directories(tmp.path() / "home");
    const Cli cli{tmp.path(), tmp.path() / "home", ""};
    auto inputs = example_files(tmp.path() / "in");
    REQUIRE(cli(clinic.db.conninfo("t.okafor"), {"import", inputs[0], inputs[1]}).status == 0);
    const std::string viewer = clinic.db.conninfo("r.viewer");
    CHECK(cli(viewer, {"list"}).status == 0);
    CHECK(cli(viewer, {"history", "V1"}).status == 0);
    CHECK(cli(viewer, {"db", "verify"}).status == 0);
    const auto before = audit_rows(clinic.db);
    // The same writes on a SQLite store opened --read-only: exit 2 as well.
    REQUIRE(cli("ro.db", {"import", inputs[0]}).status == 0);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"import", inputs[2]},
             {"settings", "--clinic-name", "X"},
             {"baseline", "--patient", "V1", "--first"},
             {"delete", "--patient", "V1", "--confirm", "Zoë Åkesson-Núñez"}}) {
        CAPTURE(args.front());
        auto r = cli(viewer, args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(contains(r.err, "myoscreen-cli: "));
        CHECK(contains(r.err, "permission"));
        std::vector<std::string> ro{"--read-only"};
        ro.insert(ro.end(), args.begin(), args.end());
        CHECK(cli("ro.db", ro).status == 2);
    }
    CHECK(audit_rows(clinic.db) == before);
    CHECK(fs::is_empty(tmp.path() / "home"));
}

TEST_CASE("pg cli: a bad target is refused by every verb, exit 2, nothing written anywhere") {
    auto admin = pg_setting();
    auto tls = pg_setting("_TLS");
    auto plain = pg_setting("_PLAIN");
    auto passfile = pg_setting("_PASSFILE");
    if (!admin || !tls || !plain || !passfile) {
        return;
    }
    TempDir inputs_dir;
    auto inputs = example_files(inputs_dir.path());
    ScratchDatabase foreign(*admin);
    foreign.admin().exec("CREATE TABLE public.invoices (id int)");
    ClinicDb newer(*admin);
    const auto newer_rows = audit_rows(newer.db);
    newer.db.admin().exec("INSERT INTO myoscreen.schema_version (version) VALUES ($1)",
                          {pg::kPgSchemaVersion + 1});
    TempDir pass_dir;
    const fs::path wrong = pass_dir.path() / "pgpass";
    std::ofstream(wrong) << "*:*:*:myoscreen_admin:not-the-password\n";
    fs::permissions(wrong, fs::perms::owner_read | fs::perms::owner_write);
    const int plain_port = std::stoi(plain->substr(plain->find("port=") + 5));

    struct Bad {
        const char* what;
        std::string db;
        std::string env;
        std::vector<std::string> says;  // one of these
    };
    const std::string untouched = "env -u PGSSLMODE -u PGHOST -u PGSERVICE PGPASSFILE=";
    const std::vector<Bad> bad{
        {"malformed",
         "postgresql://db.clinic.test:notaport/x",
         "",
         {"the connection settings are not valid"}},
        {"wrong password",
         *tls + " dbname=postgres",
         untouched + shell_quote(wrong.string()),
         {"the server refused the login"}},
        {"unreachable",
         "host=db.clinic.test hostaddr=127.0.0.1 connect_timeout=2 port=" +
             std::to_string(plain_port + 1000) + " dbname='x\x1b[31mred'",
         "",
         {"no PostgreSQL server answered"}},
        {"no TLS",
         *plain,
         untouched + shell_quote(*passfile),
         {"the server does not offer TLS, and TLS is required"}},
        // db restore refuses any database that is not empty, in its own words.
        {"another application's",
         foreign.conninfo(),
         "",
         {"is not a MyoScreen database",
          "not a MyoScreen database: it holds another "
          "application's objects (public.invoices)",
          "is not empty (public.invoices); restore goes into an empty database only"}},
        {"newer schema",
         newer.db.conninfo(),
         "",
         {"newer", "is a MyoScreen database already (schema version " +
                       std::to_string(pg::kPgSchemaVersion + 1) + ")"}},
    };
    const std::vector<std::vector<std::string>> verbs{
        {"import", inputs[0]},
        {"export", "--assessment", "1"},
        {"export", "--patient", "V1", "--out", "out"},
        {"list"},
        {"list", "--search", "zoe"},
        {"history", "V1"},
        {"compare", "--patient", "V1"},
        {"baseline", "--patient", "V1", "--first"},
        {"report", "--assessment", "1", "-o", "r.pdf"},
        {"evaluate", "--assessment", "1"},
        {"audit"},
        {"delete", "--patient", "V1", "--confirm", "Zoë Åkesson-Núñez"},
        {"settings"},
        {"settings", "--clinic-name", "X"},
        {"db", "check"},
        {"db", "verify"},
        {"db", "backup"},
        {"db", "backup", "b.pgdump"},
        {"db", "restore", inputs[0]},
    };
    for (const auto& target : bad) {
        for (const auto& args : verbs) {
            CAPTURE(std::string(target.what));
            CAPTURE(args.front());
            CAPTURE(args.size() > 1 ? args[1] : "");
            TempDir work;
            fs::create_directories(work.path() / "home");
            const Cli cli{work.path(), work.path() / "home", target.env};
            auto r = cli(target.db, args);
            CHECK(r.status == 2);
            CHECK(r.out.empty());
            CHECK_MESSAGE(std::any_of(target.says.begin(), target.says.end(),
                                      [&](const std::string& s) { return contains(r.err, s); }),
                          r.err);
            CHECK(r.err.find('\x1b') == std::string::npos);  // quoted, never raw
            CHECK(names_in(work.path()) == std::vector<std::string>{"home"});
            CHECK(fs::is_empty(work.path() / "home"));
        }
    }
    // Nothing was written on the server either.
    auto c = foreign.admin();
    CHECK(pg::foreign_objects(c) == std::vector<std::string>{"public.invoices"});
    CHECK(audit_rows(newer.db) == newer_rows);
}

TEST_CASE("pg tools: a run that does not finish in time is stopped, naming the tool and time") {
    TempDir bin;
    const fs::path tool = bin.path() / "pg_dump";
    std::ofstream(tool) << "#!/bin/sh\n"
                           "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 15.18'; "
                           "exit 0; fi\n"
                           "sleep 30\n";
    fs::permissions(tool, fs::perms::owner_all);
    pg::ToolSearch search;
    search.bin_dir = bin.path();
    search.timeout = std::chrono::seconds(1);
    pg::Tool t = pg::find_tool("pg_dump", 15, search);
    CHECK(t.timeout == std::chrono::seconds(1));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH_AS(pg::run_tool(t, {"--file=x"}, {}),
                         "pg_dump did not finish within 1 second and was stopped (is the server "
                         "answering? a longer limit: MYOSCREEN_PG_TOOL_TIMEOUT=SECONDS); nothing "
                         "was written",
                         pg::ToolFailed);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
}

TEST_CASE("pg store: no daily backup at a workstation's start; backups named for the server") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    store::Store s(clinic.db.conninfo("t.okafor"), definitions());
    CHECK(s.on_server());
    // The clinic's backups are the server's (server backup --folder from cron): the GUI's
    // start takes none and reports no error.
    CHECK_FALSE(s.daily_backup().has_value());
    const fs::path folder = s.backup_folder();
    CHECK(folder.parent_path().filename() == "backups");
    CHECK(folder.filename().string().rfind("local_", 0) == 0);
    CHECK(folder.filename().string().find("-" + clinic.db.name()) != std::string::npos);
    CHECK_FALSE(fs::exists(folder));
}
