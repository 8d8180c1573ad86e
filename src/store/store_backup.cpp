// The Store's backups: one taken and audited, the daily backups and their retention, and a
// restore (issues 7, 12 and 13). How a backup is made and checked is the backend's.
#include <fstream>
#include <system_error>

#include "core/text_input.hpp"
#include "store/audit_summary.hpp"
#include "store/backend.hpp"
#include "store/backup_retention.hpp"
#include "store/paths.hpp"
#include "store/pg/pg_backup.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "store/store.hpp"
#include "store/target.hpp"

namespace myo::store {

namespace fs = std::filesystem;

bool Store::on_server() const {
    return backend_->on_server();
}

std::optional<ServerSession> Store::server_session() {
    return backend_->server_session();
}

BackupReport Store::backup(const fs::path& destination) {
    if (!read_only_) {
        backend_->require_write_access("the backup");  // it is recorded in the trail
    }
    BackupReport r = backend_->backup(destination);
    if (!read_only_) {
        // The chain head goes into the row too: a later rewrite of the trail in the database
        // no longer matches what the backup, and this row, say. A snapshot's head (PostgreSQL)
        // is the backup's own; a file's is read now (the writer lock kept it unchanged).
        AuditHead head;
        if (r.head) {
            head = *r.head;
        } else {
            AuditVerification chain = verify_audit();
            head = {chain.head_seq, chain.head};
        }
        try {
            auto tx = backend_->begin(StoreBackend::TxKind::Write);
            audit(audit_action::kBackup, {},
                  backup_summary(r.path, r.patients, r.assessments, r.sha256, head.seq, head.hash,
                                 r.method));
            tx->commit();
        } catch (const StoreError& e) {
            throw BackupFailed("the backup " + quote_for_message(r.path.string(), 200) +
                               " was written and verified, but recording it in the audit trail "
                               "failed: " +
                               e.what());
        }
    }
    return r;
}

fs::path Store::backup_folder() const {
    return backend_->backup_folder();
}

std::optional<BackupReport> Store::daily_backup(const fs::path& folder, int keep,
                                                std::optional<std::uintmax_t> budget) {
    if (backend_->on_server()) {
        return std::nullopt;
    }
    return dated_backup(folder, keep, budget);
}

std::optional<BackupReport> Store::dated_backup(const fs::path& folder, int keep,
                                                std::optional<std::uintmax_t> budget) {
    if (read_only_) {
        return std::nullopt;
    }
    fs::path dir = folder.empty() ? backup_folder() : folder;
    const std::vector<std::string> suffixes = backend_->backup_suffixes();
    std::error_code ec;
    std::optional<BackupReport> made;
    // Anything there but a (link to a) regular file, such as a folder or a pipe named like
    // today's backup, does not count as the backup: backup() refuses it, naming it.
    bool taken = false;
    for (const auto& suffix : suffixes) {
        taken = taken || fs::is_regular_file(fs::status(dir / dated_backup_name(suffix), ec));
    }
    if (!taken) {
        made = backup(dir / dated_backup_name(suffixes.front()));
    }
    // Issue 12: the size budget, by default a multiple of the database's size.
    keep_newest_dated(dir, suffixes, keep,
                      budget.value_or(kDailyBudgetFactor * backend_->database_bytes()));
    return made;
}

namespace {

enum class BackupKind { Sqlite, Zstd, PgDump, Other };

// By the file's first bytes, whatever its name.
BackupKind backup_kind(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char head[16] = {};
    in.read(head, sizeof head);
    const std::string bytes(head, static_cast<std::size_t>(in.gcount()));
    if (bytes.rfind(std::string("SQLite format 3\0", 16), 0) == 0) {
        return BackupKind::Sqlite;
    }
    if (bytes.rfind("\x28\xB5\x2F\xFD", 0) == 0) {
        return BackupKind::Zstd;  // the SQLite store's compressed backups
    }
    if (bytes.rfind("PGDMP", 0) == 0) {
        return BackupKind::PgDump;  // pg_dump's custom format
    }
    return BackupKind::Other;
}

}  // namespace

RestoreReport Store::restore(const fs::path& database, const fs::path& backup,
                             const OpenOptions& options) {
    const Target target = parse_target(database.string());
    const BackupKind kind = backup_kind(backup);
    const std::string file = quote_for_message(backup.string(), 200);
    if (!target.is_postgresql()) {
        if (kind == BackupKind::PgDump) {
            throw RestoreFailed(file + " is a backup of a PostgreSQL database (pg_dump), and " +
                                quote_for_message(database.string(), 200) +
                                " is a SQLite database file: restore it into an empty PostgreSQL "
                                "database (--db CONNINFO db restore), or give a SQLite backup "
                                "(.db or .db.zst); nothing was changed");
        }
        return restore_sqlite(database, backup, options);
    }
    if (kind == BackupKind::Sqlite || kind == BackupKind::Zstd) {
        throw RestoreFailed(file + " is a backup of a SQLite database file, and " +
                            target.display() +
                            " is a PostgreSQL database, restored from a server backup (.pgdump) "
                            "only; to move a SQLite store onto the server, use db copy; nothing "
                            "was written");
    }
    pg::PgRestoreReport r =
        pg::restore_database(target.conninfo, backup, pg::default_tool_search(), os_account());
    RestoreReport report;
    report.restored = r.target;
    report.restored_from = backup;
    report.sha256 = r.sha256;
    report.patients = r.figures.patients;
    report.assessments = r.figures.assessments;
    report.head = AuditHead{r.figures.head_seq, r.figures.head_hash};
    report.schema_version = r.schema_version;
    return report;
}

}  // namespace myo::store
