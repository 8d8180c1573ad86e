#pragma once
// Moving a practice (issue 13): `db copy FROM TO` copies a whole store between the backends, a
// SQLite file into an empty PostgreSQL database made by `server init`, or a PostgreSQL database
// into a new SQLite file (and, by the same path, file to file or server to server).
//
// What a user relies on:
// - Everything is copied as it was: patients (with their database ids), every assessment
//   byte for byte with its id, visit, version, status, dates and the correction it supersedes,
//   baselines, settings, the search words, and the audit trail continued: the source's rows
//   with their numbers, times, clinicians, accounts, actions, references, summaries, content
//   digests and hashes, so its chain verifies on the target exactly as on the source. Then one
//   new audit row on the target records the copy (from where, the counts, the source's head).
// - The copy is verified before it counts: the row counts and a digest of every row (each
//   document by its SHA-256) read back from the target equal the source's, the target's
//   chain verifies and its head before the copy's row is the source's head. A source whose
//   trail does not verify is not copied.
// - The source is never changed: it is read in one snapshot, a file read-only (no -wal, -shm or
//   lock file is left behind, the file's bytes stay as they were).
// - Nothing is written unless everything is: into PostgreSQL in one transaction (the server's
//   copy functions, sql/003_copy_in.sql, only the owner may call), into SQLite under a temporary
//   name beside the target, fsynced and renamed into place only when verified.
// - Refused (CopyRefused, nothing written): a target that is not empty (a database holding
//   records, any existing file), the source itself, a PostgreSQL target whose login is not the
//   database's owner role (myoscreen_owner) or a member of it.
//
// Rows are streamed (COPY through libpq, prepared statements in SQLite), never all in memory.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/chain_record.hpp"
#include "store/errors.hpp"

namespace myo::store {

// The copy was refused before anything was written (the CLI: exit 2).
class CopyRefused : public StoreError {
  public:
    using StoreError::StoreError;
};

// The copy failed while running or did not verify; the target was left as it was.
class CopyFailed : public StoreError {
  public:
    using StoreError::StoreError;
};

struct CopyCounts {
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
    std::int64_t baselines = 0;
    std::int64_t settings = 0;
    std::int64_t search_words = 0;
    std::int64_t audit_rows = 0;  // the source's, before the copy's own row
};

struct CopyReport {
    std::string from;  // as messages name them (never a password)
    std::string to;
    CopyCounts counts;
    ChainHead source_head;  // the source's newest audit row, now the target's too
    ChainHead copy_row;     // the target's row recording the copy
    std::string replaced;   // a PostgreSQL target's own rows the trail replaced ("audit-start")
};

// Told every kProgressRows rows of a table, while copying ("copying") and while reading the
// target back ("verifying"): a large store takes minutes.
using CopyProgress =
    std::function<void(std::string_view phase, std::string_view table, std::int64_t rows)>;
inline constexpr std::int64_t kProgressRows = 100000;

// FROM and TO as --db takes them (store/target.hpp). Throws CopyRefused, CopyFailed, or the
// store's errors for a source or target that cannot be opened (OpenRefused, ConnectFailed...).
CopyReport copy_store(std::string_view from, std::string_view to,
                      const CopyProgress& progress = {});

}  // namespace myo::store
