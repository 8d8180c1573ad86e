#include "store/pg/pg_backup.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>

#include "core/text_input.hpp"
#include "fileio/output_file.hpp"
#include "store/audit.hpp"
#include "store/audit_summary.hpp"
#include "store/backup_names.hpp"
#include "store/backup_retention.hpp"
#include "store/free_space.hpp"
#include "store/paths.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

namespace myo::store::pg {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// pg_dump reads as the schema's owner: row-level security (draft_leases) spares a table's owner
// only, not the members of its role, and pg_dump refuses to dump a table whose rows a policy
// would hide. So an administrator who is a member of myoscreen_owner, not a superuser, can
// back up too. A clinician (the backup before a deletion, db backup) is no member: pg_dump
// then applies the policies, which hide only other workstations' draft leases (a lease is
// not a record; it expires anyway), and every record is dumped.
constexpr const char* kAsOwner = "--role=myoscreen_owner";
constexpr const char* kWithPolicies = "--enable-row-security";

const char* dump_role_option(Connection& c) {
    return c.exec("SELECT pg_catalog.pg_has_role('myoscreen_owner', 'MEMBER')").boolean(0, 0)
               ? kAsOwner
               : kWithPolicies;
}

// The folders a backup creates for its file, removed again (while empty) when it fails: a
// refused or failed backup leaves nothing behind, not even a backups folder.
class MadeFolders {
  public:
    explicit MadeFolders(const fs::path& dir) {
        std::error_code ec;
        for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec);
             p = p.parent_path()) {
            made_.push_back(p);  // deepest first
            if (p == p.parent_path()) {
                break;
            }
        }
        create_private_directories(dir);
    }
    ~MadeFolders() {
        if (kept_) {
            return;
        }
        for (const auto& p : made_) {
            std::error_code ec;
            fs::remove(p, ec);  // only while empty: never a file
        }
    }
    MadeFolders(const MadeFolders&) = delete;
    MadeFolders& operator=(const MadeFolders&) = delete;
    void keep() { kept_ = true; }

  private:
    std::vector<fs::path> made_;
    bool kept_ = false;
};

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Inside the caller's transaction, so that they agree with what it sees.
DatabaseFigures read_figures(Connection& c) {
    DatabaseFigures f;
    f.patients = c.query_int("SELECT count(*) FROM myoscreen.patients");
    f.assessments = c.query_int("SELECT count(*) FROM myoscreen.assessments");
    f.audit_rows = c.query_int("SELECT count(*) FROM myoscreen.audit");
    Result head = c.exec("SELECT seq, hash FROM myoscreen.audit_head WHERE id = 1");
    if (head.rows() == 1) {
        f.head_seq = head.int64(0, 0);
        f.head_hash = head.text(0, 1);
    }
    return f;
}

std::string describe(const DatabaseFigures& f) {
    return std::to_string(f.patients) + " patients, " + std::to_string(f.assessments) +
           " assessments, " + std::to_string(f.audit_rows) + " audit rows, audit head row " +
           std::to_string(f.head_seq) + " " + (f.head_hash.empty() ? "-" : f.head_hash);
}

std::string tool_text(const Tool& t) {
    return quote_for_message(t.path.string(), 200) + " " + t.version;
}

std::string tool_error(const Tool& t, const ToolRun& r) {
    std::string err = r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) {
        err.pop_back();
    }
    return quote_for_message(t.path.filename().string()) + " failed (" +
           (r.status < 0 ? std::string("killed") : "exit status " + std::to_string(r.status)) +
           "): " + quote_for_message(err, 400);
}

// pg_restore -d takes a connection string: the database by name only (the rest is in the
// environment), quoted in libpq's syntax so that no name is read as more than a name.
std::string dbname_arg(const std::string& name) {
    std::string out = "--dbname=dbname='";
    for (char ch : name) {
        if (ch == '\\' || ch == '\'') {
            out += '\\';
        }
        out += ch;
    }
    return out + "'";
}

// The archive's table of contents must hold MyoScreen's data.
bool is_myoscreen_archive(const std::string& list) {
    for (const char* table : {"patients", "assessments", "audit"}) {
        if (list.find(std::string(" TABLE DATA myoscreen ") + table + " ") == std::string::npos) {
            return false;
        }
    }
    return true;
}

// A database made for the verification, dropped (with any session left in it) at the end.
class ScratchDb {
  public:
    ScratchDb(Connection& c) : c_(c) {
        using namespace std::chrono;
        name_ = "myoscreen_verify_" + std::to_string(::getpid()) + "_" +
                std::to_string(
                    duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
        // A name made here, not input; identifiers cannot be parameters.
        c_.exec("CREATE DATABASE " + c_.quote_identifier(name_) +
                " ENCODING 'UTF8' TEMPLATE template0");
    }
    ~ScratchDb() {
        try {
            c_.exec("DROP DATABASE IF EXISTS " + c_.quote_identifier(name_) + " WITH (FORCE)");
        } catch (...) {
            // Reported nowhere: the name says what it is (myoscreen_verify_*), and a backup
            // never depends on it.
        }
    }
    ScratchDb(const ScratchDb&) = delete;
    ScratchDb& operator=(const ScratchDb&) = delete;
    const std::string& name() const { return name_; }

  private:
    Connection& c_;
    std::string name_;
};

// A read-only session (the Store opened read-only) creates nothing on the server, not even a
// scratch database: its backups are verified by the list and the checksum.
bool may_create_databases(Connection& c) {
    return c.exec(
                "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = current_user "
                "AND (rolsuper OR rolcreatedb) "
                "AND pg_catalog.current_setting('default_transaction_read_only') = 'off'")
               .rows() == 1;
}

void verify_by_scratch_restore(Connection& c, const Tool& pg_restore, const fs::path& file,
                               const DatabaseFigures& expected) {
    ScratchDb scratch(c);
    Connection s = Connection::open(conninfo_for_database(c, scratch.name()));
    ToolRun r = run_tool(pg_restore,
                         {"--exit-on-error", "--single-transaction", "--no-password",
                          dbname_arg(scratch.name()), file.string()},
                         connection_environment(s));
    if (r.status != 0) {
        throw PgBackupFailed("the backup did not restore into a scratch database: " +
                             tool_error(pg_restore, r));
    }
    Transaction tx(s);
    s.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    DatabaseFigures restored = read_figures(s);
    tx.commit();
    if (!(restored == expected)) {
        throw PgBackupFailed("the backup restored into a scratch database holds " +
                             describe(restored) + ", the snapshot " + describe(expected));
    }
    AuditVerification chain = verify_audit_chain(s);
    if (!chain.ok || chain.head != expected.head_hash) {
        throw PgBackupFailed(
            "the audit chain of the backup, restored into a scratch database, "
            "does not verify: " +
            (chain.problem.empty() ? "its head differs" : chain.problem));
    }
}

void verify_by_list(const Tool& pg_restore, const fs::path& file) {
    ToolRun r = run_tool(pg_restore, {"--list", file.string()}, {});
    if (r.status != 0) {
        throw PgBackupFailed("the backup does not read back: " + tool_error(pg_restore, r));
    }
    if (!is_myoscreen_archive(r.out)) {
        throw PgBackupFailed("the backup's table of contents lacks MyoScreen's tables");
    }
}

}  // namespace

const char* verification_text(BackupVerification v) {
    return v == BackupVerification::ScratchRestore
               ? "restored into a scratch database; counts and audit chain head compared"
               : "pg_restore --list read the whole archive and its SHA-256 was read back (the "
                 "login may not create a scratch database: no CREATEDB)";
}

std::string backup_method(const PgBackupReport& r) {
    return std::string("pg_dump custom format, ") +
           (r.verification == BackupVerification::ScratchRestore
                ? "verified by a restore into a scratch database"
                : "verified by pg_restore --list and its SHA-256");
}

PgBackupReport write_backup(Connection& c, const fs::path& destination, const ToolSearch& tools) {
    constexpr std::string_view kNote = "a backup never overwrites a file, choose a new name";
    const auto t0 = Clock::now();
    require_myoscreen_database(c);
    const int major = server_major(c);
    Tool pg_dump = find_tool("pg_dump", major, tools);
    Tool pg_restore = find_tool("pg_restore", major, tools);
    PgBackupReport report;
    report.pg_dump = tool_text(pg_dump);
    try {
        MadeFolders folders(destination.parent_path().empty() ? fs::path(".")
                                                              : destination.parent_path());
        fs::path target = fileio::check_target(destination, fileio::ProtectedSet{},
                                               fileio::Existing::Refuse, kNote);
        fs::path dir = target.parent_path();
        // The tables without their indexes (pg_dump writes no index, and compresses): an upper
        // bound of the file, known before anything is written.
        auto needed = static_cast<std::uintmax_t>(
            c.query_int("SELECT coalesce(sum(pg_catalog.pg_table_size(cl.oid)), 0)::bigint "
                        "FROM pg_catalog.pg_class cl JOIN pg_catalog.pg_namespace n ON n.oid = "
                        "cl.relnamespace WHERE n.nspname = 'myoscreen' AND cl.relkind = 'r'"));
        if (std::string m = space_shortage(dir, needed, free_space(dir), "the backup");
            !m.empty()) {
            throw PgBackupFailed(m + "; nothing was written");
        }
        fileio::remove_stale_temporaries(dir);  // left by a backup killed mid-way
        fileio::TempFile temp(dir);
        {
            // One snapshot for the figures and the dump: pg_dump imports it while this
            // transaction stays open.
            Transaction snapshot(c);
            c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            std::string id = c.query_text("SELECT pg_catalog.pg_export_snapshot()");
            report.figures = read_figures(c);
            ToolRun r = run_tool(pg_dump,
                                 {"--format=custom", "--no-password", "--snapshot=" + id,
                                  dump_role_option(c), "--file=" + temp.path().string()},
                                 connection_environment(c));
            if (r.status != 0) {
                throw PgBackupFailed("backup failed: " + tool_error(pg_dump, r) +
                                     "; nothing was written");
            }
            snapshot.commit();
        }
        sync_path(temp.path());
        const std::string written_sha = file_sha256(temp.path());
        if (may_create_databases(c)) {
            verify_by_scratch_restore(c, pg_restore, temp.path(), report.figures);
            report.verification = BackupVerification::ScratchRestore;
        } else {
            verify_by_list(pg_restore, temp.path());
            report.verification = BackupVerification::ListAndChecksum;
        }
        temp.place_new(target, kNote);  // renamed into place, the folder fsynced
        report.path = target;
        report.sha256 = file_sha256(target);
        if (report.sha256 != written_sha) {
            fs::remove(target);
            throw PgBackupFailed(
                "the backup read back with another SHA-256 than it was written "
                "with; it was removed");
        }
        report.bytes = fs::file_size(target);
        folders.keep();
    } catch (const fileio::OutputRefused& e) {
        throw PgBackupFailed(e.what());
    } catch (const fileio::OutputError& e) {
        throw PgBackupFailed(std::string("backup failed: ") + e.what());
    } catch (const fs::filesystem_error& e) {
        throw PgBackupFailed(std::string("backup failed: ") + e.what());
    }
    report.seconds = seconds_since(t0);
    return report;
}

PgBackupReport backup_database(Connection& c, const fs::path& destination,
                               const ToolSearch& tools) {
    const auto t0 = Clock::now();
    PgBackupReport report = write_backup(c, destination, tools);
    try {
        const DatabaseFigures& f = report.figures;
        c.exec("INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, $2, $3)",
               {os_account(), audit_action::kBackup,
                backup_summary(report.path, f.patients, f.assessments, report.sha256, f.head_seq,
                               f.head_hash, backup_method(report))});
    } catch (const std::exception& e) {
        throw PgBackupFailed("the backup " + quote_for_message(report.path.string(), 200) +
                             " was written and verified, but recording it in the audit trail "
                             "failed: " +
                             e.what());
    }
    report.seconds = seconds_since(t0);
    return report;
}

std::vector<fs::path> keep_dated_backups(const fs::path& folder, int keep) {
    return keep_newest_dated(folder, {".pgdump"}, keep, std::nullopt);
}

PgFolderBackupReport backup_to_folder(Connection& c, const fs::path& folder,
                                      const ToolSearch& tools, int keep) {
    create_private_directories(folder);
    PgFolderBackupReport report;
    report.today = folder / dated_backup_name(".pgdump");
    std::error_code ec;
    // Anything else with today's name (a folder, a pipe) is refused by backup_database.
    if (!fs::is_regular_file(fs::symlink_status(report.today, ec))) {
        report.backup = backup_database(c, report.today, tools);
    }
    report.removed = keep_dated_backups(folder, keep);
    return report;
}

PgRestoreReport restore_database(const std::string& target_conninfo, const fs::path& backup,
                                 const ToolSearch& tools, const std::string& os_user) {
    const auto t0 = Clock::now();
    const std::string untouched = "; nothing was written";
    Connection t = Connection::open(target_conninfo);
    if (std::string db = t.query_text("SELECT pg_catalog.current_database()");
        db == "postgres" || db == "template0" || db == "template1") {
        throw PgBackupFailed(t.target() + " is PostgreSQL's own database; restore into an " +
                             "empty one of its own (createdb --encoding=UTF8 " +
                             "--template=template0 myoscreen)" + untouched);
    }
    if (auto version = schema_version(t)) {
        throw PgBackupFailed(t.target() + " is a MyoScreen database already (schema version " +
                             std::to_string(*version) +
                             "); restore goes into an empty database only (createdb NAME)" +
                             untouched);
    }
    if (auto found = foreign_objects(t); !found.empty()) {
        std::string list;
        for (const auto& f : found) {
            list += (list.empty() ? "" : ", ") + f;
        }
        throw PgBackupFailed(
            t.target() + " is not empty (" + list + (found.size() >= 4 ? ", ..." : "") +
            "); restore goes into an empty database only (createdb NAME)" + untouched);
    }
    std::error_code ec;
    if (!fs::is_regular_file(backup, ec)) {
        throw PgBackupFailed(quote_for_message(backup.string(), 200) + " is not a backup file" +
                             untouched);
    }
    PgRestoreReport report;
    report.target = t.target();
    report.sha256 = file_sha256(backup);
    Tool pg_restore = find_tool("pg_restore", server_major(t), tools);
    report.pg_restore = tool_text(pg_restore);
    ToolRun list = run_tool(pg_restore, {"--list", backup.string()}, {});
    if (list.status != 0 || !is_myoscreen_archive(list.out)) {
        throw PgBackupFailed(quote_for_message(backup.string(), 200) +
                             " is not a MyoScreen backup of PostgreSQL (pg_dump custom format)" +
                             (list.status != 0 ? ": " + tool_error(pg_restore, list) : "") +
                             untouched);
    }
    try {
        // The roles are the server's, not the archive's: made where missing, as server init
        // does; the schema roles.sql creates is dropped again (empty), the archive brings it.
        Transaction tx(t);
        t.exec_script(std::string(embedded_file("roles.sql")));
        t.exec("DROP SCHEMA myoscreen");
        tx.commit();
    } catch (const PermissionDenied& e) {
        throw PgBackupFailed(std::string(e.what()) +
                             "; restore needs what server init needs: a superuser, or the "
                             "database's owner with the CREATEROLE attribute" +
                             untouched);
    }
    ToolRun r = run_tool(
        pg_restore,
        {"--exit-on-error", "--single-transaction", "--no-password",
         dbname_arg(t.query_text("SELECT pg_catalog.current_database()")), backup.string()},
        connection_environment(t));
    if (r.status != 0) {
        throw PgBackupFailed("restore failed: " + tool_error(pg_restore, r) +
                             "; the database holds none of the backup (one transaction)");
    }
    {
        Transaction snapshot(t);
        t.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        report.figures = read_figures(t);
        report.schema_version = schema_version(t).value_or(0);
        snapshot.commit();
    }
    AuditVerification chain = verify_audit_chain(t);
    if (!chain.ok || chain.head != report.figures.head_hash) {
        throw PgBackupFailed("the restored database's audit chain does not verify: " +
                             (chain.problem.empty() ? "its head differs" : chain.problem) +
                             "; the database is restored as the backup holds it");
    }
    t.exec("INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, $2, $3)",
           {os_user, audit_action::kRestore,
            "database restored from " + quote_for_message(backup.string(), 200) + " (sha256 " +
                report.sha256 + "; " + describe(report.figures) + ")"});
    report.seconds = seconds_since(t0);
    return report;
}

}  // namespace myo::store::pg
