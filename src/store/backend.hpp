#pragma once
// The seam between the Store and the database that keeps its records (issue 13).
//
// Above it, once for every backend (store.hpp and store_*.cpp): the checks of what is stored
// (validate_assessment, the text policy of text_input.hpp, the birth date), normalisation, the
// figures (assessment_figures.hpp), the rules of drafts, finals and corrections, the messages,
// the audit summaries (audit_summary.hpp), the search words (search_terms) and the order of the
// list. Below it, one implementation per backend: the SQL of its dialect and how its database
// keeps rows, transactions, the audit trail and backups. SQLite today (store/sqlite/);
// PostgreSQL for clinic mode next (store/pg/).
//
// A backend stores and reads what the Store gives it, already checked; it refuses only what its
// own database enforces (a final row is never changed, a read-only opening writes nothing).
// Every call below runs inside a transaction the Store began with begin(): a change (an
// assessment, its patient and its audit row) commits or rolls back as one.
//
// What only SQLite has (a file path, the open Connection, WAL, quick_check at opening, the
// one-writer lock file, the chain record file beside the database, the tamper checks of the
// file, restore by replacing the file) has no common operation: it stays in SqliteBackend,
// reached through sqlite(), which is null for any other backend. backup() is common: a
// verified file copy for SQLite, a pg_dump archive for PostgreSQL. Restore and `db check` are
// not operations of an open backend at all: they work on a database that must not be open
// (restore) or may not open (check refuses nothing), so they are functions of the target
// (restore_sqlite, check_database for a file; the PostgreSQL ones beside its backend), chosen
// where the target is read (Store::restore, the CLI's db verbs).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/assessment.hpp"
#include "store/assessment_figures.hpp"
#include "store/audit.hpp"
#include "store/errors.hpp"
#include "store/store_types.hpp"

namespace myo::store {

class SqliteBackend;

// The database's own number of a patient (patients.id), which its assessments, search words and
// baseline point to; never shown to a user (they see Patient::id).
using PatientRow = std::int64_t;

struct StoredPatient {
    PatientRow row = 0;
    Patient patient;
};

// What the list of patients needs of one patient; the Store derives the age, the number of
// visits and the last urgency from it.
struct PatientListing {
    Patient patient;
    std::string sort_name;  // fold_for_search(name): the list's order
    // (date, urgency id) of every version no correction replaces, newest date first.
    std::vector<std::pair<std::string, std::string>> visits;
};

// Removed by delete_patient_rows.
struct RemovedRows {
    std::int64_t assessments = 0;  // drafts and finals
    std::int64_t finals = 0;
};

// An open transaction: rolled back when destroyed without commit().
class BackendTransaction {
  public:
    virtual ~BackendTransaction() = default;
    virtual void commit() = 0;
};

class StoreBackend {
  public:
    // Read: a consistent snapshot for several reads. Write: a change; writers take turns.
    enum class TxKind { Read, Write };

    StoreBackend() = default;
    StoreBackend(const StoreBackend&) = delete;
    StoreBackend& operator=(const StoreBackend&) = delete;
    virtual ~StoreBackend() = default;

    // --- the database itself
    // How messages name the database: its file, or its server and name (never a password).
    virtual std::string describe() const = 0;
    // What a read-only opening could not check, or empty.
    virtual const std::string& read_only_limitation() const = 0;
    // The SQLite-only capabilities (file path, connection, restore); null for other backends.
    virtual SqliteBackend* sqlite() { return nullptr; }
    virtual std::unique_ptr<BackendTransaction> begin(TxKind kind) = 0;

    // --- patients
    virtual std::optional<StoredPatient> patient_by_key(std::string_view patient_id) = 0;
    // Inserts a new patient with its search words (search_terms of the name and of the id).
    virtual PatientRow insert_patient(const Patient& patient, const std::string& sort_name,
                                      const std::vector<std::string>& terms) = 0;
    // All patients, counting stops at `cap` (0: no cap).
    virtual std::size_t count_all_patients(std::size_t cap) = 0;
    // All patients in list order (sort_name, row); limit 0 = all.
    virtual std::vector<PatientRow> patient_rows(std::size_t limit, std::size_t offset) = 0;
    // The patients whose name or id has a word starting with each of `terms`, in a stable
    // order, calling `take` for each until it returns false: the list and its count share it.
    virtual void scan_matches(std::vector<std::string> terms,
                              const std::function<bool(PatientRow)>& take) = 0;
    // How many patients scan_matches gives, counting stops at `cap` (0: no cap). By default
    // the scan itself; a server counts where the rows are (PgBackend), not sending them.
    virtual std::size_t count_matches(std::vector<std::string> terms, std::size_t cap) {
        std::size_t n = 0;
        scan_matches(std::move(terms), [&](PatientRow) { return ++n != cap; });
        return n;
    }
    // The rows before the patient in patient_rows' order, or nullopt if no such patient.
    virtual std::optional<std::size_t> patient_position(std::string_view patient_id) = 0;
    // The listing of each row, in the given order; a row no longer there is left out.
    virtual std::vector<PatientListing> listings(const std::vector<PatientRow>& rows) = 0;

    // --- assessments
    // A new version, as a draft or final; `visit` nullopt starts a new visit (its id).
    virtual std::int64_t insert_assessment(PatientRow patient, const AssessmentFigures& figures,
                                           Status status, std::optional<std::int64_t> visit,
                                           int version, std::optional<std::int64_t> supersedes) = 0;
    virtual std::optional<AssessmentInfo> assessment_info(std::int64_t id) = 0;
    virtual std::optional<std::string> assessment_document(std::int64_t id) = 0;
    // The patient of an existing assessment.
    virtual PatientRow assessment_patient(std::int64_t id) = 0;
    // Every version of the patient's visits, oldest visit first (empty for no patient).
    virtual std::vector<AssessmentInfo> history(std::string_view patient_id) = 0;
    // Replaces a draft's document and figures (a final is never changed). With
    // `expected_version`, only if the row is still at that version (AssessmentInfo::row_version),
    // checked with the write: refuse_stale_save otherwise.
    virtual void update_draft(std::int64_t id, const AssessmentFigures& figures,
                              std::optional<std::int64_t> expected_version) = 0;
    // Throws ChangedElsewhere naming who changed (finalised, discarded) assessment `id` since
    // it was read at `read_version`, when, and from where.
    [[noreturn]] virtual void refuse_stale_save(std::int64_t id, std::int64_t read_version) = 0;
    virtual void delete_draft(std::int64_t id) = 0;
    virtual void mark_final(std::int64_t id) = 0;
    // The oldest final of the patient holding exactly `document` (an import already stored).
    virtual std::optional<std::int64_t> final_with_document(PatientRow patient,
                                                            const std::string& document) = 0;

    // --- baselines (issue 6)
    // The visit of assessment `id` if it belongs to the patient.
    virtual std::optional<std::int64_t> visit_of(std::int64_t id, PatientRow patient) = 0;
    virtual void put_baseline(PatientRow patient, std::int64_t visit) = 0;
    virtual void clear_baseline(PatientRow patient) = 0;
    virtual std::optional<std::int64_t> baseline_visit(std::string_view patient_id) = 0;

    // --- settings: (key, value) pairs
    virtual std::vector<std::pair<std::string, std::string>> settings() = 0;
    virtual void put_setting(std::string_view key, std::string_view value) = 0;

    // --- deletion: the patient, every assessment, search word and baseline of it
    virtual RemovedRows delete_patient_rows(PatientRow patient) = 0;

    // --- audit trail (store/audit.hpp): a row's hash (audit_row_hash) and the checks of the
    // chain (ChainVerifier) are the same for every backend; how a row is appended under a lock,
    // who the clinician is, and where the chain head is kept besides are the backend's.
    virtual void append_audit(std::string_view action, const AuditRef& ref,
                              std::string_view summary) = 0;
    virtual std::vector<AuditEntry> audit_trail(const std::optional<std::string>& patient_id) = 0;
    virtual AuditVerification verify_audit() = 0;

    // --- maintenance
    // A verified backup at `destination`, not audited (the Store records it). A consistent
    // file copy for SQLite; a pg_dump archive for PostgreSQL.
    virtual BackupReport backup(const std::filesystem::path& destination) = 0;
    // Where the daily backups go by default.
    virtual std::filesystem::path backup_folder() const = 0;
    // The file name endings of this backend's backups: the first is what backup() writes for a
    // dated or before-delete backup (".db.zst"; ".pgdump"), the others count as today's too.
    virtual std::vector<std::string> backup_suffixes() const = 0;
    // A database shared on a server (PostgreSQL): its daily backups are the server's (server
    // backup --folder, from cron there), not each workstation's.
    virtual bool on_server() const { return false; }
    // Refuses (PermissionDenied on PostgreSQL) when the login may not record changes, before a
    // change that does work first (a backup before a deletion): a readonly login is refused
    // with nothing written, not after a backup file was made. A file's store has no logins.
    virtual void require_write_access(std::string_view /*doing*/) {}
    // Store::make_read_only: the database refuses writes too where it can (a server's session).
    virtual void make_read_only() {}
    // Store's lease and change calls (store.hpp); a file has neither (these defaults).
    virtual DraftLease take_draft_lease(std::int64_t /*id*/) { return {}; }
    // Ends another's live lease and takes it, auditing the take-over itself (on a server, in
    // the same transaction as the end of the other lease).
    virtual DraftLease take_over_draft_lease(std::int64_t /*id*/) { return {}; }
    virtual bool renew_draft_lease(std::int64_t /*id*/) { return true; }
    virtual void release_draft_lease(std::int64_t /*id*/) {}
    virtual std::chrono::milliseconds lease_stale_after() { return {}; }
    virtual std::vector<ChangeNote> wait_for_changes(std::chrono::milliseconds timeout);
    // Store::server_session: nullopt for a file.
    virtual std::optional<ServerSession> server_session() { return std::nullopt; }
    // The database's size, for the daily backups' budget.
    virtual std::uintmax_t database_bytes() = 0;
};

}  // namespace myo::store
