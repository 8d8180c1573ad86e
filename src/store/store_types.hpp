#pragma once
// The values the store gives and takes (store.hpp), shared by the Store and its backends
// (store/backend.hpp).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/assessment.hpp"
#include "core/rules.hpp"

namespace myo::store {

enum class Status { Draft, Final };
const char* status_id(Status status);  // "draft" | "final"

struct PatientSummary {
    Patient patient;
    std::optional<int> age;                 // whole years today (UTC)
    int visits = 0;                         // a visit and its corrections count once
    std::optional<std::string> last_visit;  // ISO date of the latest visit
    std::optional<Urgency> last_urgency;    // highest urgency among the latest visit's date
};

// One stored assessment version: the row of a history.
struct AssessmentInfo {
    std::int64_t id = 0;  // the assessment number (export --assessment N)
    std::string patient_id;
    std::int64_t visit = 0;  // id of the first version of this visit
    int version = 1;
    std::optional<std::int64_t> supersedes;     // the version this one corrects
    std::optional<std::int64_t> superseded_by;  // the correction that replaces this one
    Status status = Status::Draft;
    std::string date;
    std::optional<std::string> kind;
    std::optional<int> nrs_now;
    std::optional<int> nrs_average;
    std::optional<int> wpi;
    std::optional<int> sss;
    std::optional<int> fs;
    std::optional<int> tender_count;
    Urgency urgency = Urgency::Routine;
    std::string rules_version;
    std::string created_at;  // UTC, ISO date-time
    std::string updated_at;
    std::optional<std::string> finalized_at;
    // The row's version when it was read: what a save of this draft carries
    // (Store::save_draft's expected_version), so that a save based on an older read is refused.
    // Each change of the row gives a higher one. PostgreSQL: the row's row_version, kept by the
    // server. SQLite: the number (seq) of the newest audit row that changed this assessment
    // (written in the same transaction as the change; 0 for rows older than the trail).
    // Compare it only with another read of the same database.
    std::int64_t row_version = 0;
};

// Who a store acts as on a server (clinic mode, issue 14): what the title and status bar show
// ("t.okafor @ riverside") and whether this login may change anything at all.
struct ServerSession {
    std::string login;        // the PostgreSQL login (current_user)
    std::string database;     // the database's name
    std::string workstation;  // this computer's name as the server records it (application_name)
    // False for a login outside the clinician group (readonly): every change would be refused
    // by the server, so the GUI opens everything read-only and says why.
    bool may_write = true;
};

// Who edits a draft (issue 14): Store::take_draft_lease's answer. A lease names a login on one
// workstation; a file has none (one MyoScreen writes a file at a time): always ours there.
struct DraftLease {
    bool ours = true;           // this login on this workstation holds it now
    bool took_over = false;     // it was another's (stale, or live and taken explicitly): audited
    std::string holder;         // the login ("" on a file)
    std::string workstation;    // its computer's name, "PHYSIO-2" ("" when unknown)
    std::int64_t since_ms = 0;  // when the holder took it (milliseconds since 1970, UTC)
    std::int64_t heartbeat_ms = 0;
    std::string taken_from;  // took_over: "m.silva on PHYSIO-2", for the audit row
};

// A change made elsewhere (issue 14): Store::wait_for_changes. `table` is "patients",
// "assessments" or "draft_leases"; `op` "insert", "update" or "delete"; `id` the row (a lease:
// its draft); `by` the login and `workstation` its computer's name.
struct ChangeNote {
    std::string table;
    std::string op;
    std::int64_t id = 0;
    std::string by;
    std::string workstation;
};

struct StoredAssessment {
    AssessmentInfo info;
    Assessment assessment;
    std::string document;  // exactly as stored (write_assessment's canonical text)
};

struct ImportResult {
    std::int64_t id = 0;          // the stored (or already stored) assessment
    bool already_stored = false;  // an identical final document was there: nothing added
    bool patient_created = false;
};

// Letterhead of the reports.
struct Settings {
    std::string clinic_name;
    std::string clinic_address;  // may hold several lines
    std::string clinician_name;

    bool operator==(const Settings&) const = default;
};

// The audit chain's head (row number and hash) as a backup holds it.
struct AuditHead {
    std::int64_t seq = 0;
    std::string hash;  // empty: no row yet
};

struct BackupReport {
    std::filesystem::path path;
    std::uintmax_t bytes = 0;  // of the file written
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
    std::string sha256;                 // of the backup file, also written in the audit row
    bool compressed = false;            // zstd (the name ends in .zst)
    std::uintmax_t database_bytes = 0;  // the verified SQLite copy's size (uncompressed)
    // How it was made and verified, for the audit row (empty: a SQLite copy, which says so).
    std::string method;
    // The chain head of the snapshot the backup holds (PostgreSQL); nullopt: the Store reads
    // the head after the copy, as the writer lock keeps it unchanged meanwhile (SQLite).
    std::optional<AuditHead> head;
};

// Backups (issue 12). A name ending in .zst is written compressed with zstd at this level, in
// the calling thread. Measured on the 1.75 GB generated store (bench/backup, 2 busy cores):
// level 3 took 5.0 s for ratio 26.8, level 1 5.6 s for 22.8, levels 6 and 9 13.6 and 14.7 s for
// 30.0 and 31.3; one or two zstd worker threads took 7.1 and 6.5 s with 4-5 times the memory
// (42-51 MB against 10 MB), and would take the second core from the window at start-up.
inline constexpr int kBackupZstdLevel = 3;
inline constexpr int kBackupZstdWorkers = 0;
// The daily backups kept: the newest kDailyBackupsKept, and together at most the budget,
// by default kDailyBudgetFactor times the database's size (the newest is always kept).
inline constexpr int kDailyBackupsKept = 14;
inline constexpr std::uintmax_t kDailyBudgetFactor = 4;

struct RestoreReport {
    std::string restored;  // how messages name the database restored (no password)
    std::filesystem::path restored_from;
    std::filesystem::path previous_kept_as;  // empty when there was no database before
    std::string sha256;                      // of the restored backup file
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
    // PostgreSQL: the restored audit chain's head (verified) and the schema version as restored
    // (older than this build's: server upgrade is due).
    std::optional<AuditHead> head;
    int schema_version = 0;
};

struct DeletionReport {
    std::string patient_id;
    std::int64_t assessments = 0;  // drafts and finals removed
    BackupReport backup;           // taken just before the deletion
};

}  // namespace myo::store
