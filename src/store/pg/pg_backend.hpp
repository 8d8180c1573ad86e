#pragma once
// The PostgreSQL backend (store/backend.hpp) for clinic mode (issue 13): one database on a
// server shared by every workstation. Its SQL is the schema of sql/*.sql; every query takes its
// values as parameters (pg_connection.hpp).
//
// What differs from the SQLite backend, because the server is shared:
// - no file, no writer lock, no chain record: the server serialises writers, and its audit
//   trigger numbers, stamps and chains each row under the head's row lock (001_schema.sql);
// - the clinician of an audit row is the login (current_user), filled in by the server;
// - a draft is saved through the version-checked save of pg_versions.hpp.

#include <memory>
#include <string>

#include "store/backend.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_listener.hpp"
#include "store/schema.hpp"

namespace myo::store::pg {

class PgBackend final : public StoreBackend {
  public:
    // Connects (conninfo.hpp's policy) and requires this build's schema (pg_upgrade.hpp);
    // ConnectFailed, SchemaOutdated or StoreError otherwise. A read-only opening makes every
    // transaction of the session read-only on the server. A session lost later (the server
    // restarted, the network dropped) is opened again at the next call (begin()): the call that
    // lost it was told (ConnectFailed, saying whether anything was saved), and the next one goes
    // on once the server answers again.
    PgBackend(const std::string& conninfo, const OpenOptions& options);

    Connection& connection() { return c_; }

    std::string describe() const override { return c_.target(); }
    const std::string& read_only_limitation() const override { return limitation_; }
    std::unique_ptr<BackendTransaction> begin(TxKind kind) override;

    std::optional<StoredPatient> patient_by_key(std::string_view patient_id) override;
    store::PatientRow insert_patient(const Patient& patient, const std::string& sort_name,
                                     const std::vector<std::string>& terms) override;
    std::size_t count_all_patients(std::size_t cap) override;
    std::vector<store::PatientRow> patient_rows(std::size_t limit, std::size_t offset) override;
    void scan_matches(std::vector<std::string> terms,
                      const std::function<bool(store::PatientRow)>& take) override;
    std::size_t count_matches(std::vector<std::string> terms, std::size_t cap) override;
    std::optional<std::size_t> patient_position(std::string_view patient_id) override;
    std::vector<PatientListing> listings(const std::vector<store::PatientRow>& rows) override;

    std::int64_t insert_assessment(store::PatientRow patient, const AssessmentFigures& figures,
                                   Status status, std::optional<std::int64_t> visit, int version,
                                   std::optional<std::int64_t> supersedes) override;
    std::optional<AssessmentInfo> assessment_info(std::int64_t id) override;
    std::optional<std::string> assessment_document(std::int64_t id) override;
    store::PatientRow assessment_patient(std::int64_t id) override;
    std::vector<AssessmentInfo> history(std::string_view patient_id) override;
    void update_draft(std::int64_t id, const AssessmentFigures& figures,
                      std::optional<std::int64_t> expected_version) override;
    [[noreturn]] void refuse_stale_save(std::int64_t id, std::int64_t read_version) override;
    void delete_draft(std::int64_t id) override;
    void mark_final(std::int64_t id) override;
    std::optional<std::int64_t> final_with_document(store::PatientRow patient,
                                                    const std::string& document) override;

    std::optional<std::int64_t> visit_of(std::int64_t id, store::PatientRow patient) override;
    void put_baseline(store::PatientRow patient, std::int64_t visit) override;
    void clear_baseline(store::PatientRow patient) override;
    std::optional<std::int64_t> baseline_visit(std::string_view patient_id) override;

    std::vector<std::pair<std::string, std::string>> settings() override;
    void put_setting(std::string_view key, std::string_view value) override;

    RemovedRows delete_patient_rows(store::PatientRow patient) override;

    void append_audit(std::string_view action, const AuditRef& ref,
                      std::string_view summary) override;
    std::vector<AuditEntry> audit_trail(const std::optional<std::string>& patient_id) override;
    AuditVerification verify_audit() override;

    BackupReport backup(const std::filesystem::path& destination) override;
    // <data folder>/backups/<server>-<database>: this user's own backups of the server's
    // database (db backup, before a deletion); never a folder named after the connection string.
    std::filesystem::path backup_folder() const override;
    std::vector<std::string> backup_suffixes() const override { return {".pgdump"}; }
    bool on_server() const override { return true; }
    void require_write_access(std::string_view doing) override;
    std::optional<ServerSession> server_session() override;
    void make_read_only() override;
    std::uintmax_t database_bytes() override;
    DraftLease take_draft_lease(std::int64_t id) override;
    DraftLease take_over_draft_lease(std::int64_t id) override;
    bool renew_draft_lease(std::int64_t id) override;
    void release_draft_lease(std::int64_t id) override;
    std::chrono::milliseconds lease_stale_after() override;
    std::vector<ChangeNote> wait_for_changes(std::chrono::milliseconds timeout) override;

  private:
    // Connects, requires this build's schema, and makes the session read-only if asked: at
    // opening, and again when the session was lost (begin()).
    static Connection open_session(const std::string& conninfo, bool read_only);

    std::string conninfo_;
    bool read_only_ = false;
    Connection c_;
    std::string os_user_;
    std::string limitation_;  // always empty: the server checks what a read-only opening reads
    // LISTENing on c_ since the first wait_for_changes (declared after c_: it goes first).
    std::unique_ptr<ChangeListener> listener_;
};

}  // namespace myo::store::pg
