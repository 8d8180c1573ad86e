#pragma once
// Backups of a MyoScreen database on PostgreSQL (issue 13): pg_dump's custom format, taken in
// one snapshot, verified before it is placed, recorded in the audit trail with its SHA-256;
// dated backups in a folder keep the newest 14, as the SQLite store's daily backups. Restore
// goes into an empty database only.
//
// The snapshot: a REPEATABLE READ transaction on the caller's connection exports its snapshot
// (pg_export_snapshot) and reads the counts and the audit chain's head; pg_dump --snapshot=
// dumps exactly what that transaction sees, so the figures and the file agree even while
// clinicians keep saving.
//
// Verification: when the login may create databases (CREATEDB or superuser), the file is
// restored with pg_restore into a scratch database (created and dropped by the backup) whose
// counts, audit chain (verified) and chain head must equal the snapshot's. Otherwise the
// archive is read whole by `pg_restore --list` (its table of contents, which must hold the
// patients, assessments and audit data) and its SHA-256 is read back after placing; the report
// says which verification ran.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_tools.hpp"

namespace myo::store::pg {

inline constexpr int kPgDailyBackupsKept = 14;

// The backup or the restore failed or was refused; the message says why and what was left
// (for a backup: no file at the destination; for a restore: nothing written, unless it says).
class PgBackupFailed : public StoreError {
  public:
    using StoreError::StoreError;
};

// What a snapshot holds, compared between the source and the restored copy.
struct DatabaseFigures {
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
    std::int64_t audit_rows = 0;
    std::int64_t head_seq = 0;  // the audit chain's head (myoscreen.audit_head)
    std::string head_hash;
    bool operator==(const DatabaseFigures&) const = default;
};

enum class BackupVerification {
    ScratchRestore,   // restored into a scratch database, figures and chain compared
    ListAndChecksum,  // pg_restore --list read the archive; SHA-256 read back after placing
};
const char* verification_text(BackupVerification v);

struct PgBackupReport {
    std::filesystem::path path;
    std::uintmax_t bytes = 0;
    std::string sha256;  // of the file placed; also in the audit row
    DatabaseFigures figures;
    BackupVerification verification = BackupVerification::ScratchRestore;
    std::string pg_dump;  // the program used and its version, "/usr/.../pg_dump 15.18"
    double seconds = 0;   // from the snapshot to the audit row
};

// What the audit row says of how a backup was made and verified ("pg_dump custom format,
// verified by a restore into a scratch database").
std::string backup_method(const PgBackupReport& r);

// Writes a verified backup as backup_database does, without recording it: for the Store, whose
// backup() records every backend's backups in one row (store_backup.cpp).
PgBackupReport write_backup(Connection& c, const std::filesystem::path& destination,
                            const ToolSearch& tools);

// Writes a verified backup of the connected MyoScreen database to `destination` (a new name:
// an existing file, a folder or a protected target is refused). Checks the free space first
// (the size of the schema's tables without their indexes, an upper bound of the compressed
// dump). Throws ToolFailed (pg_dump/pg_restore missing or older than the server) or
// PgBackupFailed; either way no file is at `destination` and nothing was recorded, except when
// recording the placed, verified file in the audit trail fails: then the message says so.
PgBackupReport backup_database(Connection& c, const std::filesystem::path& destination,
                               const ToolSearch& tools);

struct PgFolderBackupReport {
    std::optional<PgBackupReport> backup;        // nullopt: today's backup was already there
    std::filesystem::path today;                 // myoscreen-YYYY-MM-DD.pgdump (local date)
    std::vector<std::filesystem::path> removed;  // by the retention
};
// Today's dated backup in `folder` (created 0700 if missing) unless it exists, then the
// retention (keep_dated_backups).
PgFolderBackupReport backup_to_folder(Connection& c, const std::filesystem::path& folder,
                                      const ToolSearch& tools, int keep = kPgDailyBackupsKept);

// Keeps the newest `keep` (at least 1) regular files named myoscreen-YYYY-MM-DD.pgdump in
// `folder` and deletes the older ones; no other name is ever touched. Returns what it removed.
// The one rule of store/backup_retention.hpp, by count only: the dumps are small beside a
// server's disk.
std::vector<std::filesystem::path> keep_dated_backups(const std::filesystem::path& folder,
                                                      int keep = kPgDailyBackupsKept);

struct PgRestoreReport {
    std::string target;       // how messages name the restored database (no password)
    DatabaseFigures figures;  // of the restored database, before the restore's audit row
    std::string sha256;       // of the backup file
    int schema_version = 0;   // as restored; older than this build's: server upgrade is due
    std::string pg_restore;   // the program used and its version
    double seconds = 0;
};
// Restores `backup` (a pg_dump custom archive of a MyoScreen database) into the database
// `target_conninfo` names, which must be empty: anything in it (or a MyoScreen schema) is
// refused with nothing written. Creates MyoScreen's roles where missing (roles.sql), restores
// in one transaction (pg_restore --single-transaction: a failure leaves the database empty),
// verifies the audit chain and its head, then records the restore in the trail. The login
// needs what server init needs (a superuser, or the database's owner with CREATEROLE).
PgRestoreReport restore_database(const std::string& target_conninfo,
                                 const std::filesystem::path& backup, const ToolSearch& tools,
                                 const std::string& os_user);

}  // namespace myo::store::pg
