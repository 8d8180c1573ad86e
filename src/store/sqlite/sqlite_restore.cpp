// Restoring a SQLite database: the file replaced by a checked copy of a backup (plain or
// zstd-compressed), the previous file kept beside it.
#include "fileio/output_file.hpp"
#include "store/backup_names.hpp"
#include "store/chain_record.hpp"
#include "store/free_space.hpp"
#include "store/paths.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "store/sqlite/sqlite_sql.hpp"
#include "store/tamper_check.hpp"
#include "store/writer_lock.hpp"
#include "store/zstd_file.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

// SQLite's backup API from `from` into the empty file `to`, as one self-contained file.
void copy_database(Connection& from, const fs::path& to) {
    Connection out(to, Connection::Mode::ReadWrite);
    if (auto failed = copy_pages(from, out)) {
        throw RestoreFailed("cannot copy the backup: " + failed->what);
    }
    out.exec("PRAGMA journal_mode = DELETE");
}

void link_or_copy(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec) {
        fs::copy_file(from, to);
    }
}

// The database target resolved and checked (restore_sqlite, below).
RestoreReport restore_checked(const fs::path& database, const fs::path& backup,
                              const OpenOptions& options) {
    std::error_code ec;
    // Nobody else may use the file while it is replaced. (A first restore on a new machine may
    // come before the database's folder exists.)
    create_private_directories(database.parent_path());
    auto lock = WriterLock::acquire_sole(
        database, options.lock_timeout_ms < 0 ? options.busy_timeout_ms : options.lock_timeout_ms);

    fs::path dir = database.parent_path().empty() ? fs::path(".") : database.parent_path();
    // fileio's temporary beside the database (same file system, so the rename is atomic): a
    // restore killed half-way leaves nothing the next one does not remove.
    std::optional<fileio::TempFile> temp_file;
    try {
        temp_file.emplace(dir);
    } catch (const fileio::OutputError& e) {
        throw RestoreFailed(e.what());
    }
    const fs::path temp = temp_file->path();
    const std::string unchanged = "; the current database was not changed";

    // 0. Issue 12: a compressed backup is decompressed into that temporary first (after
    // checking the room for the size its frame declares; never more than that, or than fits),
    // and the checks and the restore then work on the decompressed copy.
    const bool compressed = zstd::is_zstd(backup);
    std::uintmax_t needed = 0;
    std::optional<std::uintmax_t> declared;
    if (compressed) {
        declared = zstd::declared_size(backup);
        needed = declared.value_or(0);
    } else {
        needed = fs::file_size(backup, ec);
    }
    const auto free = free_space(dir);
    std::string shortage =
        space_shortage(dir, needed, free, "restoring " + backup.filename().string());
    if (!shortage.empty()) {
        throw RestoreFailed(shortage + unchanged);
    }
    std::string backup_sha256;  // of the .zst, taken while decompressing it (read once)
    if (compressed) {
        try {
            backup_sha256 =
                zstd::decompress_file(backup, temp, declared.value_or(free.value_or(UINTMAX_MAX)))
                    .in_sha256;
        } catch (const zstd::BadFile& e) {
            throw RestoreFailed(std::string(e.what()) + "; it cannot be restored" + unchanged);
        } catch (const zstd::IoError& e) {
            throw RestoreFailed(std::string("the restore failed: ") + e.what() + unchanged);
        }
    }
    const fs::path candidate = compressed ? temp : backup;
    // Messages about the decompressed copy name the backup the user gave.
    auto named = [&](std::string text) {
        if (compressed) {
            for (auto at = text.find(temp.string()); at != std::string::npos;
                 at = text.find(temp.string(), at)) {
                text.replace(at, temp.string().size(), backup.string());
                at += backup.string().size();
            }
        }
        return text;
    };

    // 1. The candidate: read-only checks, the file itself never written.
    CheckOptions check_options;
    check_options.chain_record = false;  // a backup has no chain record beside it
    CheckReport check = check_database(candidate, check_options);
    std::int64_t version = 0;
    std::int64_t app = 0;
    {
        try {
            Connection c(candidate, Connection::Mode::ReadOnly);
            app = c.query_int("PRAGMA application_id");
            version = c.query_int("PRAGMA user_version");
        } catch (const std::exception&) {
            app = 0;
        }
    }
    // A backup kept on a network share is only read, once, through the backup API: that is
    // safe, unlike living there; every other problem refuses it.
    // A broken audit chain does not keep the records from being restored; the restore's own
    // audit row says so.
    std::vector<std::string> problems;
    std::string chain_note;
    for (const auto& p : check.problems) {
        if (p.rfind("audit trail: ", 0) == 0) {
            chain_note = "; warning: the backup's " + named(p);
        } else if (p.rfind("on a network filesystem", 0) != 0) {
            problems.push_back(named(p));
        }
    }
    if (!problems.empty() || app != kApplicationId || version < 1) {
        std::string why = problems.empty() ? "it holds no MyoScreen records" : problems.front();
        throw RestoreFailed(backup.string() + " cannot be restored: " + why + unchanged);
    }
    RestoreReport report;
    report.restored_from = backup;
    report.sha256 = compressed ? backup_sha256 : file_sha256(backup);

    // 2. A verified copy beside the database, upgraded if older and carrying the restore's
    // audit row: the decompressed temporary itself, or a copy of the plain backup.
    std::string stamp = utc_stamp();
    fs::path aside = free_name(dir, database.filename().string() + ".before-restore-" + stamp, "");
    bool had_database = fs::exists(database, ec);
    ChainHead restored_head;
    try {
        if (!compressed) {
            Connection source(backup, Connection::Mode::ReadOnly);
            copy_database(source, temp);
        }
        {
            OpenOptions plain;
            plain.busy_timeout_ms = options.busy_timeout_ms;
            plain.chain_record = false;  // it gets the database's record once in place
            Connection restored = open_database(temp, plain);
            Transaction tx(restored);
            report.patients = restored.query_int("SELECT count(*) FROM patients");
            report.assessments = restored.query_int("SELECT count(*) FROM assessments");
            append_audit(restored, os_account(), audit_action::kRestore, {},
                         "database restored from " + backup.string() + " (sha256 " + report.sha256 +
                             ")" +
                             (had_database ? "; the previous file is kept as " + aside.string()
                                           : std::string()) +
                             chain_note);
            tx.commit();
            restored_head = audit_head(restored);
            if (restored.query_text("PRAGMA integrity_check") != "ok") {
                throw RestoreFailed("the restored copy fails integrity_check");
            }
            restored.exec("PRAGMA journal_mode = DELETE");
        }
        sync_path(temp);
    } catch (const RestoreFailed&) {
        fs::remove(temp, ec);
        throw;
    } catch (const std::exception& e) {
        fs::remove(temp, ec);
        throw RestoreFailed(std::string("the restore failed, the current database was not "
                                        "changed: ") +
                            e.what());
    }

    // 3. The current file goes aside with its write-ahead log, so the pair stays readable; the
    // names -wal and -shm are cleared before the new file arrives, because SQLite would pair a
    // leftover log with the wrong database.
    fs::path wal = database.string() + "-wal";
    fs::path shm = database.string() + "-shm";
    try {
        if (had_database) {
            try {
                // Folds the log into the file when it can; a damaged file keeps its log aside.
                Connection current(database, Connection::Mode::ReadWrite);
                current.set_busy_timeout(options.busy_timeout_ms);
                current.query_text("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (const std::exception&) {
            }
            link_or_copy(database, aside);
            if (fs::exists(wal, ec)) {
                link_or_copy(wal, aside.string() + "-wal");
            }
            // The old file's chain record goes with it; the restored file gets its own.
            if (fs::exists(chain_record_path(database), ec)) {
                link_or_copy(chain_record_path(database), chain_record_path(aside));
            }
            sync_path(dir);
            fs::remove(wal, ec);
            fs::remove(shm, ec);
        }
        fs::remove(chain_record_path(database), ec);
        temp_file->place_over(database);
        write_chain_record(database, {restored_head, std::nullopt});
    } catch (const std::exception& e) {
        fs::remove(temp, ec);
        throw RestoreFailed(std::string("the restore could not put the copy in place: ") +
                            e.what() +
                            (had_database ? "; the previous database is kept as " + aside.string()
                                          : std::string()));
    }
    if (had_database) {
        report.previous_kept_as = aside;
    }
    return report;
}

}  // namespace

RestoreReport restore_sqlite(const fs::path& database, const fs::path& backup,
                             const OpenOptions& options) {
    std::error_code ec;
    if (!fs::is_regular_file(backup, ec)) {
        throw RestoreFailed("there is no backup file at " + backup.string());
    }
    if (fs::exists(database, ec) && fs::equivalent(database, backup, ec)) {
        throw RestoreFailed(backup.string() + " is the database itself; name a backup file");
    }
    // The file replaced must be a regular file (or a new name): never a folder, pipe or device
    // given as --db. A symbolic link is followed, so the real database is replaced, not the link.
    const fs::path typed_database = database;
    fs::path real_database;
    try {
        create_private_directories(typed_database.parent_path());
        real_database = fileio::check_target(typed_database, {}, fileio::Existing::ReplaceRegular);
    } catch (const fileio::OutputRefused& e) {
        throw RestoreFailed(std::string("cannot restore: the database ") + e.what());
    }
    return restore_checked(real_database, backup, options);
}

}  // namespace myo::store
