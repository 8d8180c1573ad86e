#pragma once
// The SQLite backend (store/backend.hpp): one file on one computer, the default. Its SQL is in
// the sqlite_*.cpp files beside this one, one concern each.
//
// What only this backend has, and the Store reaches through StoreBackend::sqlite():
// - a file path and an open Connection (WAL mode, quick_check on opening, the checks of
//   open_database: store/schema.hpp);
// - the one-writer lock file of store/writer_lock.hpp (a server serialises its own writers);
// - the chain record beside the file (store/chain_record.hpp), kept by ChainKeeper's commit
//   hooks (a server keeps the chain head in the same transaction instead);
// - restore: the file is replaced by a checked copy (restore_sqlite below), which needs no open
//   store and cannot be a common operation.

#include <filesystem>
#include <memory>
#include <string>

#include "core/definitions.hpp"
#include "store/backend.hpp"
#include "store/connection.hpp"
#include "store/schema.hpp"

namespace myo::store {

class WriterLock;
class ChainKeeper;

class SqliteBackend final : public StoreBackend {
  public:
    // Opens or creates the database (see open_database for the refusals). `defs` must outlive
    // the backend: a backup names a stored document that no longer parses.
    SqliteBackend(const std::filesystem::path& path, const Definitions& defs,
                  const OpenOptions& options);
    ~SqliteBackend() override;

    const std::filesystem::path& path() const { return db_.path(); }
    Connection& connection() { return db_; }

    std::string describe() const override { return path().string(); }
    const std::string& read_only_limitation() const override { return db_.limitation(); }
    SqliteBackend* sqlite() override { return this; }
    std::unique_ptr<BackendTransaction> begin(TxKind kind) override;

    std::optional<StoredPatient> patient_by_key(std::string_view patient_id) override;
    PatientRow insert_patient(const Patient& patient, const std::string& sort_name,
                              const std::vector<std::string>& terms) override;
    std::size_t count_all_patients(std::size_t cap) override;
    std::vector<PatientRow> patient_rows(std::size_t limit, std::size_t offset) override;
    void scan_matches(std::vector<std::string> terms,
                      const std::function<bool(PatientRow)>& take) override;
    std::optional<std::size_t> patient_position(std::string_view patient_id) override;
    std::vector<PatientListing> listings(const std::vector<PatientRow>& rows) override;

    std::int64_t insert_assessment(PatientRow patient, const AssessmentFigures& figures,
                                   Status status, std::optional<std::int64_t> visit, int version,
                                   std::optional<std::int64_t> supersedes) override;
    std::optional<AssessmentInfo> assessment_info(std::int64_t id) override;
    std::optional<std::string> assessment_document(std::int64_t id) override;
    PatientRow assessment_patient(std::int64_t id) override;
    std::vector<AssessmentInfo> history(std::string_view patient_id) override;
    void update_draft(std::int64_t id, const AssessmentFigures& figures,
                      std::optional<std::int64_t> expected_version) override;
    [[noreturn]] void refuse_stale_save(std::int64_t id, std::int64_t read_version) override;
    void delete_draft(std::int64_t id) override;
    void mark_final(std::int64_t id) override;
    std::optional<std::int64_t> final_with_document(PatientRow patient,
                                                    const std::string& document) override;

    std::optional<std::int64_t> visit_of(std::int64_t id, PatientRow patient) override;
    void put_baseline(PatientRow patient, std::int64_t visit) override;
    void clear_baseline(PatientRow patient) override;
    std::optional<std::int64_t> baseline_visit(std::string_view patient_id) override;

    std::vector<std::pair<std::string, std::string>> settings() override;
    void put_setting(std::string_view key, std::string_view value) override;

    RemovedRows delete_patient_rows(PatientRow patient) override;

    void append_audit(std::string_view action, const AuditRef& ref,
                      std::string_view summary) override;
    std::vector<AuditEntry> audit_trail(const std::optional<std::string>& patient_id) override;
    AuditVerification verify_audit() override;

    BackupReport backup(const std::filesystem::path& destination) override;
    std::filesystem::path backup_folder() const override;
    // A plain .db of today, taken before the update to compressed backups, is today's backup.
    std::vector<std::string> backup_suffixes() const override { return {".db.zst", ".db"}; }
    std::uintmax_t database_bytes() override;

  private:
    const Definitions& defs_;
    std::string os_user_;
    // Declared before db_: taken before the connection opens, released after it closes.
    std::shared_ptr<WriterLock> lock_;
    Connection db_;
    // Declared after db_: its hooks are removed before the connection closes. Null read-only.
    std::shared_ptr<ChainKeeper> chain_;
};

// Replaces the file `database` with a checked copy of `backup` (Store::restore says what is
// checked and kept). No store may be open on it.
RestoreReport restore_sqlite(const std::filesystem::path& database,
                             const std::filesystem::path& backup, const OpenOptions& options);

}  // namespace myo::store
