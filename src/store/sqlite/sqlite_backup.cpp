// A SQLite backup: a consistent copy of the file through SQLite's backup API, verified, and
// compressed when its name ends in .zst (issue 12).
#include "fileio/output_file.hpp"
#include "store/backup_names.hpp"
#include "store/free_space.hpp"
#include "store/paths.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "store/sqlite/sqlite_sql.hpp"
#include "store/tamper_check.hpp"
#include "store/zstd_file.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

struct Counts {
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
};

Counts count_rows(Connection& c) {
    return {c.query_int("SELECT count(*) FROM patients"),
            c.query_int("SELECT count(*) FROM assessments")};
}

}  // namespace

BackupReport SqliteBackend::backup(const fs::path& destination) {
    constexpr std::string_view kNote = "a backup never overwrites a file, choose a new name";
    const bool compress = is_compressed_name(destination);
    fs::path dir = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    create_private_directories(destination.parent_path());
    // Never onto the database or its companions, a folder, a pipe or a device (by device and
    // inode, so a link or "dir/../" to the database is recognised), nor over any file; the copy
    // is made under a temporary name of fileio's pattern that a kill leaves for the next
    // backup into this folder to remove.
    try {
        fileio::ProtectedSet protect;
        protect_database(protect, path(), true);
        fileio::check_target(destination, protect, fileio::Existing::Refuse, kNote);
    } catch (const fileio::OutputRefused& e) {
        throw BackupFailed(e.what());
    } catch (const fileio::OutputError& e) {
        throw BackupFailed(e.what());
    }
    // Issue 12: room for the copy (about the database's pages) and, compressed, for the .zst
    // beside it, before anything is written. Half the copy is a generous guess for the .zst
    // (clinical JSON compresses 4 to 30 times); a wrong guess only means a disk found full
    // while writing, which leaves nothing placed.
    const std::uintmax_t pages = static_cast<std::uintmax_t>(db_.query_int("PRAGMA page_count") *
                                                             db_.query_int("PRAGMA page_size"));
    std::string shortage = space_shortage(dir, pages + (compress ? pages / 2 : 0), free_space(dir),
                                          "the backup " + destination.filename().string());
    if (!shortage.empty()) {
        throw BackupFailed(shortage);
    }
    std::optional<fileio::TempFile> temp_file;
    std::optional<fileio::TempFile> packed_file;
    try {
        temp_file.emplace(dir);
    } catch (const fileio::OutputError& e) {
        throw BackupFailed(e.what());
    }
    const fs::path temp = temp_file->path();
    try {
        Counts counts;
        {
            // One read transaction: the counts and the copy see the same snapshot.
            Transaction snapshot(db_, Transaction::Kind::Deferred);
            counts = count_rows(db_);
            Connection out(temp, Connection::Mode::ReadWrite);
            if (auto failed = copy_pages(db_, out)) {
                throw BackupFailed((failed->started ? "the backup did not complete: "
                                                    : "cannot start the backup: ") +
                                   failed->what);
            }
            snapshot.commit();
            // A backup is one self-contained file: no write-ahead log beside it.
            out.exec("PRAGMA journal_mode = DELETE");
        }
        sync_path(temp);
        {
            Connection check(temp, Connection::Mode::ReadOnly);
            if (check.query_int("PRAGMA application_id") != kApplicationId ||
                check.query_int("PRAGMA user_version") != kSchemaVersion) {
                throw BackupFailed("the copy does not carry MyoScreen's schema");
            }
            std::string integrity = check.query_text("PRAGMA integrity_check");
            if (integrity != "ok") {
                throw BackupFailed("the copy fails integrity_check: " + integrity);
            }
            Counts copied = count_rows(check);
            if (copied.patients != counts.patients || copied.assessments != counts.assessments) {
                throw BackupFailed("the copy holds different row counts than the database");
            }
            // Issue 10: a backup is called verified only when its records are, byte for byte,
            // what MyoScreen wrote (the content digest recounted: hash speed, and MyoScreen
            // stores only validated documents) and its trail is whole. Only when they are not
            // are the documents parsed, to name the damaged one (db check parses them all).
            TamperCheck how;
            how.chain_record = false;
            TamperReport tamper = check_for_tampering(check, temp, how);
            if (!tamper.problems.empty()) {
                auto unreadable = unreadable_documents(check, defs_, 3).messages;
                if (!unreadable.empty()) {
                    throw BackupFailed(
                        "the database holds a damaged record, so no backup was called verified: " +
                        unreadable.front() +
                        (unreadable.size() > 1 ? " (and more; run db check)" : ""));
                }
                throw BackupFailed(
                    "the copy shows changes made outside MyoScreen, so it is not "
                    "called verified: " +
                    tamper.problems.front() + " (run db check)");
            }
        }
        BackupReport r;
        r.path = destination;
        r.patients = counts.patients;
        r.assessments = counts.assessments;
        r.compressed = compress;
        r.database_bytes = fs::file_size(temp);
        if (!compress) {
            temp_file->place_new(destination, kNote);
            r.bytes = fs::file_size(destination);
            r.sha256 = file_sha256(destination);
            return r;
        }
        // Issue 12: the verified copy, compressed; the .zst is only placed when reading it
        // back gives the verified copy again, byte for byte (its SHA-256, zstd's checksums).
        packed_file.emplace(dir);
        const fs::path packed = packed_file->path();
        zstd::Compressed written =
            zstd::compress_file(temp, packed, kBackupZstdLevel, kBackupZstdWorkers);
        zstd::Decompressed reread = zstd::decompress_file(packed, {}, written.in_bytes);
        if (reread.out_sha256 != written.in_sha256 || reread.out_bytes != written.in_bytes) {
            throw BackupFailed("the compressed backup did not read back as the verified copy");
        }
        temp_file.reset();  // the plain copy's space is given back before the rename
        packed_file->place_new(destination, kNote);
        r.bytes = reread.in_bytes;
        r.sha256 = reread.in_sha256;  // the file written, as read back
        return r;
    } catch (const SqliteError& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const StorageFailed& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const fs::filesystem_error& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const zstd::IoError& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const zstd::BadFile& e) {
        throw BackupFailed(std::string("backup failed, the compressed file did not read back: ") +
                           e.what());
    } catch (const fileio::OutputRefused& e) {
        throw BackupFailed(e.what());
    } catch (const fileio::OutputError& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    }
}

}  // namespace myo::store
