#pragma once
// What the store throws. StoreError and its subclasses are answers a user can act on (the
// CLI prints them and exits 2, the GUI shows them); SqliteError is an internal failure.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/problem.hpp"

namespace myo::store {

// SQLite failed where it should not have (exit 1).
class SqliteError : public std::runtime_error {
  public:
    SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }  // extended result code

  private:
    int code_;
};

// A refusal or a rule of the store; the message is a whole sentence for the user.
class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A save based on a row version that is no longer the row's (Store::save_draft with the version
// the editor read): another window, process or workstation saved, finalised or discarded it
// since the caller read it. Nothing was written; the caller's copy is untouched, to be kept or
// saved again after a reload. The message names who, when (local time) and from where.
class ChangedElsewhere : public StoreError {
  public:
    struct LastChange {
        std::int64_t row_version = 0;  // the row's current version; 0: the row is gone
        std::string by;                // who changed it: the login, or the OS account on SQLite
        std::string from;              // its workstation (PostgreSQL's application_name)
        std::int64_t at_ms = 0;        // when, milliseconds since 1970 (UTC)
        bool finalised = false;        // a draft that is now final
    };
    ChangedElsewhere(const std::string& message, LastChange change)
        : StoreError(message), change_(std::move(change)) {}
    const LastChange& change() const { return change_; }

  private:
    LastChange change_;
};

// Why a database file was refused at opening. In every case the file was left untouched.
enum class Refusal {
    NotSqlite,          // not a SQLite database at all
    OtherApplication,   // SQLite, but another application's (application_id)
    NewerSchema,        // written by a newer MyoScreen (user_version)
    FailedCheck,        // damaged: cut short, a bad write-ahead log, a damaged page read while
                        // opening, or PRAGMA quick_check failed (OpenOptions::quick_check)
    NetworkFilesystem,  // on NFS/SMB, where SQLite's locking and WAL are unsafe
    NotAFile,           // a directory or other non-regular file
    Unreadable,         // permissions or I/O
    NeedsUpgrade,       // an older schema cannot be upgraded by a read-only opening
    NotFound,           // read-only opening of a file that does not exist
    Tampered,           // changed outside MyoScreen (schema, records or trail); read-only opens
};

class OpenRefused : public StoreError {
  public:
    OpenRefused(Refusal reason, const std::string& message)
        : StoreError(message), reason_(reason) {}
    Refusal reason() const { return reason_; }

  private:
    Refusal reason_;
};

// Another connection held the write lock for longer than the busy timeout. Nothing changed.
class DatabaseBusy : public StoreError {
  public:
    using StoreError::StoreError;
};

// A patient id already stored with a different name, birth date or sex. `problems()` name
// the fields as JSON paths of the assessment (/patient/name, ...); `index()` is the position
// in an import batch.
class PatientConflict : public StoreError {
  public:
    PatientConflict(std::size_t index, std::vector<Problem> problems);
    std::size_t index() const { return index_; }
    const std::vector<Problem>& problems() const { return problems_; }

  private:
    std::size_t index_;
    std::vector<Problem> problems_;
};

// Another process holds the database open for writing (the one-writer rule). Nothing was
// opened; `pid()` is the other process as it recorded itself in the lock file (0 if unknown).
class AlreadyOpen : public StoreError {
  public:
    AlreadyOpen(long pid, const std::string& message) : StoreError(message), pid_(pid) {}
    long pid() const { return pid_; }

  private:
    long pid_;
};

// A change asked of a Store opened read-only (OpenOptions::read_only). Nothing was changed.
class ReadOnlyStore : public StoreError {
  public:
    using StoreError::StoreError;
};

// The file system refused a write: full, read-only or an I/O error. The transaction was rolled
// back, so what was saved before is intact; `code()` is SQLite's extended result code.
class StorageFailed : public StoreError {
  public:
    StorageFailed(int code, const std::string& message) : StoreError(message), code_(code) {}
    int code() const { return code_; }

  private:
    int code_;
};

// SQLite met a damaged page (SQLITE_CORRUPT, SQLITE_NOTADB) or a file cut short (a short
// read) after the database was opened: opening checks only what is cheap (schema.hpp), so the
// damage of a page is met when the page is first read. The action was not done: a write's
// transaction was rolled back. The message names the file, what SQLite said and the advice.
class Damaged : public StoreError {
  public:
    Damaged(int code, const std::string& message) : StoreError(message), code_(code) {}
    int code() const { return code_; }  // SQLite's extended result code

  private:
    int code_;
};

// A restore candidate was refused, or the restore could not complete. The current database
// is unchanged unless the message says otherwise.
class RestoreFailed : public StoreError {
  public:
    using StoreError::StoreError;
};

// No such patient or assessment.
class NotFound : public StoreError {
  public:
    using StoreError::StoreError;
};

// The operation breaks the draft/final rules (editing a final assessment, amending a draft).
class NotEditable : public StoreError {
  public:
    using StoreError::StoreError;
};

// A backup could not be written or did not verify.
class BackupFailed : public StoreError {
  public:
    using StoreError::StoreError;
};

}  // namespace myo::store
