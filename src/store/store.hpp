#pragma once
// The patient store: patients, their assessments (draft or final, with versions) and the
// practice settings, in one SQLite file (or, in clinic mode, a PostgreSQL database: issue 13).
// This is the API the CLI and the GUI call; the database is behind store/backend.hpp, and the
// Store's methods (store_*.cpp, one concern each) hold what every backend shares.
//
// Rules a user relies on:
// - A patient is identified by patient.id. Storing an assessment whose patient has the same id
//   but a different name, birth date or sex is refused (PatientConflict), never an overwrite.
// - A draft is editable and may be discarded. A final assessment is never changed or deleted
//   (the database enforces it too); a correction is a new version (amend) that keeps the
//   original, and history() lists both.
// - Every stored assessment has passed validate_assessment(); its key figures come from core's
//   evaluate(), so the list, the history, the screen and the PDF agree.
// - The document is kept as write_assessment() wrote it, so an export re-imports identically.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/rules.hpp"
#include "store/audit.hpp"
#include "store/connection.hpp"
#include "store/errors.hpp"
#include "store/schema.hpp"
#include "store/store_types.hpp"

namespace myo::store {

class StoreBackend;
class SqliteBackend;

// One Store per thread: the connection is opened without SQLite's mutexes. Stores of one process
// may share the file; writers take turns (OpenOptions::busy_timeout_ms). Another process is
// refused while this one has the database open for writing (AlreadyOpen, the one-writer rule
// of store/writer_lock.hpp) unless it opens read-only (OpenOptions::read_only).
//
// Every change is recorded in the audit trail (store/audit.hpp) in the same transaction.
class Store {
  public:
    // Opens or creates the database (see open_database for the refusals). `defs` must outlive
    // the store: assessments are validated and evaluated against it.
    // `path` is a target (store/target.hpp): a PostgreSQL one opens the clinic backend
    // (store/pg/pg_backend.hpp); ConnectFailed or SchemaOutdated when it cannot.
    Store(const std::filesystem::path& path, const Definitions& defs,
          const OpenOptions& options = {});
    ~Store();

    // The SQLite file and its connection (StoreError for a database that is not a file).
    const std::filesystem::path& path() const;
    // What the store was opened with (a file or a PostgreSQL connection string): what another
    // thread gives its own Store to open the same database, whichever backend it is.
    const std::filesystem::path& target() const { return target_; }
    Connection& connection();
    // A database shared on a PostgreSQL server (clinic mode), not a file of this computer.
    bool on_server() const;
    // On a server: the login, the database and whether the login may write (one query);
    // nullopt for a file, which has no logins.
    std::optional<ServerSession> server_session();
    // Opened with OpenOptions::read_only (or made so): every change throws ReadOnlyStore.
    bool read_only() const { return read_only_; }
    // From now on every change throws ReadOnlyStore saying `why` ("the login front.desk is a
    // readonly login"); on a server the session refuses writes as well. For a GUI whose login
    // may not write (server_session), so its windows show what they cannot do instead of
    // failing at the first save.
    void make_read_only(const std::string& why);
    // What a read-only opening could not check (Connection::limitation), or empty.
    const std::string& read_only_limitation() const;

    // --- patients
    // Ordered by folded name. `search` matches the start of any word of the name or the id,
    // ignoring case and accents; every word of the search must match ("zoe ake"). limit 0 = all.
    // A search's page that does not hold every match (limit reached, or offset) keeps the
    // order of the matching word's index instead, stable from page to page.
    // A search with no word at all (only punctuation, "!!!") matches nobody.
    std::vector<PatientSummary> list_patients(std::string_view search = {}, std::size_t limit = 0,
                                              std::size_t offset = 0);
    // How many patients list_patients(search) lists; counting stops at `cap` (0: no cap), which
    // bounds the cost of a common prefix ("a") on a big store.
    std::size_t count_patients(std::string_view search = {}, std::size_t cap = 0);
    // Where the patient stands in list_patients() without a search (0: first), or nullopt if
    // there is no such patient: the GUI's list fetches only the rows it shows, and finds a
    // patient far down without reading the rows before it.
    std::optional<std::size_t> patient_position(std::string_view patient_id);
    std::optional<Patient> find_patient(std::string_view patient_id);
    // Creates the patient, or accepts an identical one (returns false). PatientConflict if the
    // id is stored with another name, birth date or sex. The id and name are normalised and
    // checked (text_input.hpp): StoreError naming the character or the limit, nothing stored.
    bool add_patient(const Patient& patient);

    // --- assessments
    // Every version of every visit of the patient, oldest visit first. NotFound if no patient.
    std::vector<AssessmentInfo> history(std::string_view patient_id);
    // NotFound if there is no such assessment; AssessmentError if the stored document no
    // longer validates against the current definitions (load_document still gives it).
    StoredAssessment load(std::int64_t id);
    AssessmentInfo info(std::int64_t id);
    std::string load_document(std::int64_t id);
    // A new draft (version 1 of a new visit); adds the patient if needed. Returns its id.
    std::int64_t create_draft(const Assessment& assessment);
    // Replaces a draft's content. NotEditable for a final; the patient id cannot change.
    // A save by someone else since the caller read the draft (another window, program or
    // workstation) is not noticed: for callers that hold no earlier read (the CLI, scripts).
    // An editor uses the overload below.
    void save_draft(std::int64_t id, const Assessment& assessment);
    // The same, only if the draft is still at `expected_version` (AssessmentInfo::row_version
    // of the read the caller's copy came from). A save based on an older read is refused with
    // ChangedElsewhere naming who saved, finalised or discarded it since, when and from where
    // ("changed by t.okafor at 10:42 on another workstation (ROOM-2)"); nothing is written and
    // the caller's `assessment` is its own to keep. Returns the draft's new row_version: what
    // the caller's next save carries.
    std::int64_t save_draft(std::int64_t id, const Assessment& assessment,
                            std::int64_t expected_version);
    // Deletes a draft (never a final).
    void discard_draft(std::int64_t id);
    // Signs a draft off. NotEditable if it is final already.
    void finalize(std::int64_t id);
    // Starts a correction of a final assessment: a new draft version with the same content.
    // NotEditable for a draft, or a final already corrected (amend the newest version instead).
    std::int64_t amend(std::int64_t final_id);
    // Stores finished assessments (from files) as final, all or nothing. An identical document
    // already stored for the patient is not stored twice. PatientConflict names the batch index.
    std::vector<ImportResult> import_assessments(const std::vector<Assessment>& assessments);
    // The newest version of each visit of the patient that is final (what export writes).
    std::vector<AssessmentInfo> current_finals(std::string_view patient_id);

    // --- progress (issue 6)
    // The newest final version of each visit, oldest visit first, loaded: what a comparison
    // between visits reads.
    std::vector<StoredAssessment> final_visits(std::string_view patient_id);
    // Marks the visit of assessment `id` as the patient's baseline; nullopt goes back to the
    // first visit. NotFound if the patient or the assessment (of that patient) does not exist.
    void set_baseline(std::string_view patient_id, std::optional<std::int64_t> id);
    // The visit id (first version's id) marked as baseline, if any.
    std::optional<std::int64_t> baseline_visit(std::string_view patient_id);

    // --- settings
    Settings load_settings();
    // Normalised and checked (text_input.hpp: names kName, the address kAddress); StoreError
    // naming the field and the character or limit, nothing saved.
    void save_settings(const Settings& settings);
    // The identifier system URI of patient ids in FHIR exports (issue 16), set by the clinic;
    // empty when none is set. The save checks it is an absolute URI without spaces (StoreError).
    std::string fhir_patient_id_system();
    void save_fhir_patient_id_system(const std::string& uri);

    // --- maintenance
    // A consistent copy (SQLite's backup API) written to a temporary name beside `destination`,
    // fsynced, opened and verified (integrity_check, schema, row counts, every stored document
    // parses, the records match their digest and the trail its chain), and only then renamed
    // into place and its folder fsynced: a file at `destination` is always a verified backup.
    // When `destination` ends in .zst, the verified copy is compressed (zstd, checksummed) to a
    // second temporary, which is read back and decompressed and must give the verified copy's
    // SHA-256 before it is fsynced and renamed into place; any other name gets the plain SQLite
    // file (for sqlite3). The free space in the folder (the copy, plus about half of it when
    // compressed) is checked first: a shortage is refused naming the folder, what is needed and
    // what is free, nothing written. Refuses an existing destination. Throws BackupFailed.
    // The backup is recorded in the audit trail with the SHA-256 of the file written (not when
    // read-only): one row.
    // On PostgreSQL: a pg_dump archive (custom format) of one snapshot, verified by a restore
    // into a scratch database, or by pg_restore --list and its SHA-256 when the login may not
    // create one (store/pg/pg_backup.hpp); the audit row says which.
    BackupReport backup(const std::filesystem::path& destination);

    // --- data safety (issue 7)
    // <database folder>/backups: where the daily backups go. On PostgreSQL, this user's own
    // folder <data folder>/backups/<server>-<database> (PostgreSqlBackend::backup_folder).
    std::filesystem::path backup_folder() const;
    // The app calls this at start: if `folder` (default backup_folder()) has no backup of today
    // (local date), takes one as myoscreen-YYYY-MM-DD.db.zst (a myoscreen-YYYY-MM-DD.db of an
    // older MyoScreen counts as today's); then keeps the newest `keep` daily backups (.db.zst
    // and .db) that together take at most `budget` bytes (default kDailyBudgetFactor times the
    // database's size), always the newest one, and deletes the older ones. Other files (a
    // user's own, before-delete backups) are neither counted nor deleted. Returns the new
    // backup, or nullopt when today's existed (or the store is read-only: the writer takes it).
    // Throws BackupFailed.
    // On PostgreSQL it takes none (nullopt): the clinic's database is backed up once, on the
    // server (server backup --folder, from cron), not by each workstation at each start.
    std::optional<BackupReport> daily_backup(const std::filesystem::path& folder = {},
                                             int keep = kDailyBackupsKept,
                                             std::optional<std::uintmax_t> budget = std::nullopt);
    // What daily_backup does for a file, for either backend, when a user asks for it (db backup
    // without a PATH): today's dated backup (myoscreen-YYYY-MM-DD.db.zst; .pgdump on
    // PostgreSQL) unless it exists, then the retention (store/backup_retention.hpp).
    std::optional<BackupReport> dated_backup(const std::filesystem::path& folder = {},
                                             int keep = kDailyBackupsKept,
                                             std::optional<std::uintmax_t> budget = std::nullopt);
    // Replaces `database` with a copy of `backup` after checking it (a MyoScreen database,
    // integrity_check ok, schema not newer; an older one is upgraded). A zstd-compressed backup
    // (recognised by its content, whatever its name) is first decompressed to a temporary beside
    // the database, after checking the free space for it; a file that is not whole zstd (cut
    // short, a checksum that fails, more data than it declares or than fits) is refused naming
    // it, nothing changed. The current file is kept
    // beside it as <name>.before-restore-<UTC time> (with its -wal), the copy is put in place by
    // rename, and the restore is recorded in the restored file's audit trail. No Store may be
    // open on `database`, in this process or another (AlreadyOpen). Throws RestoreFailed.
    // A PostgreSQL target: the backup (a .pgdump) is restored into that database only if it is
    // empty, as server restore does (pg::restore_database, one code path); nothing is replaced.
    // A backup of the other kind (a SQLite file for a server, a .pgdump for a file) is refused
    // naming both kinds, nothing touched.
    static RestoreReport restore(const std::filesystem::path& database,
                                 const std::filesystem::path& backup,
                                 const OpenOptions& options = {});

    // Deletes a patient with every draft and final assessment and the baseline. `confirmation`
    // must equal the patient's stored name exactly (NotEditable otherwise, nothing done). A
    // verified backup is taken first into `backup_folder` (default backup_folder()) as
    // myoscreen-before-delete-<UTC time>.db.zst (.pgdump on PostgreSQL; never deleted by the daily
    // retention); the deletion is audited (by patient id only).
    DeletionReport delete_patient(std::string_view patient_id, std::string_view confirmation,
                                  const std::filesystem::path& backup_folder = {});

    // --- several workstations at once (issue 14)
    // Takes the lease of draft `id` for this login on this workstation: when none is held, when
    // it is ours (refreshed), or when the holder's went stale (taken over: audited, naming the
    // previous holder). Otherwise `ours` is false and the answer names the holder. On a file
    // always ours. NotEditable for a final; PermissionDenied for a readonly login.
    DraftLease take_draft_lease(std::int64_t id);
    // The explicit take-over (issue 14): takes the lease of draft `id` even while another
    // workstation holds it live, after the user confirmed. The other lease ends, the take-over
    // is audited naming its holder, and their MyoScreen is told at once (the server announces
    // the new lease) and turns read-only. On a file always ours. NotEditable for a final;
    // PermissionDenied for a readonly login or a read-only Store.
    DraftLease take_over_draft_lease(std::int64_t id);
    // Refreshes our lease: false when it is no longer ours (taken over after going stale, or
    // ended by a finalisation or a discard). Always true on a file.
    bool renew_draft_lease(std::int64_t id);
    // Ends our lease of draft `id`, if we hold it.
    void release_draft_lease(std::int64_t id);
    // How old a heartbeat may be before its lease is stale (the server's policy; 0 on a file).
    std::chrono::milliseconds lease_stale_after();
    // What other sessions changed, in commit order, waiting up to `timeout` for the first
    // (LISTEN on this store's session from the first call on: use a Store of its own, on a
    // worker thread). On a file: waits `timeout` and returns nothing. ConnectFailed when the
    // session is lost.
    std::vector<ChangeNote> wait_for_changes(std::chrono::milliseconds timeout);

    // --- audit trail
    // Records an event that happened outside the store (a PDF written, an export): `action` is
    // one of audit_action (kPdf, kExport...), the record is a patient and/or an assessment
    // (the patient is filled in from the assessment). ReadOnlyStore when read-only.
    void record_event(std::string_view action, const AuditRef& record, std::string_view summary);
    // The whole trail, or the rows about one patient, oldest first.
    std::vector<AuditEntry> audit_trail(
        const std::optional<std::string>& patient_id = std::nullopt);
    // Checks the hash chain; names the first broken row.
    AuditVerification verify_audit();

  private:
    // The SQLite-only capabilities (path, connection): StoreError on another backend.
    SqliteBackend& sqlite_only(const char* what) const;
    void check_valid(const Assessment& a, const std::string& label) const;
    std::int64_t ensure_patient(const Patient& p, std::size_t index, bool* created);
    std::int64_t save_draft_at(std::int64_t id, const Assessment& assessment,
                               std::optional<std::int64_t> expected_version);

    void require_writable(const char* what) const;
    void audit(std::string_view action, const AuditRef& ref, std::string_view summary);

    const Definitions& defs_;
    std::filesystem::path target_;
    bool read_only_ = false;
    std::string read_only_why_ = "another MyoScreen may have it open";
    // The database behind the seam (store/backend.hpp), chosen from the target at opening.
    std::unique_ptr<StoreBackend> backend_;
};

}  // namespace myo::store
