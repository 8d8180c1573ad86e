// The PostgreSQL backend: opening, transactions, patients, assessments, the smaller records and
// the audit trail. The SQL mirrors store/sqlite/ in PostgreSQL's dialect; the tables are
// sql/001_schema.sql's.
#include "store/pg/pg_backend.hpp"

#include <libpq-fe.h>  // PQhost, PQport, PQdb: where the backups of this database go

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "core/text_input.hpp"
#include "store/paths.hpp"
#include "store/pg/conninfo.hpp"
#include "store/pg/pg_backup.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_leases.hpp"
#include "store/pg/pg_queries.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_upgrade.hpp"
#include "store/pg/pg_versions.hpp"

namespace myo::store::pg {

namespace {

// The SQLite store's strftime('%Y-%m-%dT%H:%M:%fZ', 'now'): the same text, so that a copy
// between the backends keeps every date as it was.
constexpr const char* kNow =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

const char* const kInfoColumns = R"sql(
SELECT a.id, p.patient_key, a.visit, a.version, a.supersedes,
       (SELECT b.id FROM myoscreen.assessments b WHERE b.supersedes = a.id),
       a.status, a.date, a.kind, a.nrs_now, a.nrs_average, a.wpi, a.sss, a.fs, a.tender_count,
       a.urgency, a.rules_version, a.created_at, a.updated_at, a.finalized_at, a.row_version
FROM myoscreen.assessments a JOIN myoscreen.patients p ON p.id = a.patient
)sql";

std::optional<int> opt_int(const Result& r, int row, int col) {
    std::optional<std::int64_t> v = r.opt_int64(row, col);
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

AssessmentInfo read_info(const Result& r, int row) {
    AssessmentInfo i;
    i.id = r.int64(row, 0);
    i.patient_id = r.text(row, 1);
    i.visit = r.int64(row, 2);
    i.version = static_cast<int>(r.int64(row, 3));
    i.supersedes = r.opt_int64(row, 4);
    i.superseded_by = r.opt_int64(row, 5);
    i.status = r.text(row, 6) == "final" ? Status::Final : Status::Draft;
    i.date = r.text(row, 7);
    i.kind = r.opt_text(row, 8);
    i.nrs_now = opt_int(r, row, 9);
    i.nrs_average = opt_int(r, row, 10);
    i.wpi = opt_int(r, row, 11);
    i.sss = opt_int(r, row, 12);
    i.fs = opt_int(r, row, 13);
    i.tender_count = opt_int(r, row, 14);
    i.urgency = urgency_from(r.text(row, 15));
    i.rules_version = r.text(row, 16);
    i.created_at = r.text(row, 17);
    i.updated_at = r.text(row, 18);
    i.finalized_at = r.opt_text(row, 19);
    i.row_version = r.int64(row, 20);
    return i;
}

Param opt_param(const std::optional<int>& v) {
    return v ? Param(*v) : Param(std::nullopt);
}

class PgBackendTransaction final : public BackendTransaction {
  public:
    // A Read transaction is one snapshot for the reads of a listing or a history, begun in the
    // same statement (a search as you type runs two per keystroke: each round trip counts).
    PgBackendTransaction(Connection& c, StoreBackend::TxKind kind)
        : tx_(c, kind == StoreBackend::TxKind::Read
                     ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                     : "BEGIN") {}
    void commit() override { tx_.commit(); }

  private:
    Transaction tx_;
};

}  // namespace

PgBackend::PgBackend(const std::string& conninfo, const OpenOptions& options)
    : conninfo_(conninfo),
      read_only_(options.read_only),
      c_(open_session(conninfo, options.read_only)),
      os_user_(os_account()) {}

Connection PgBackend::open_session(const std::string& conninfo, bool read_only) {
    Connection c = Connection::open(conninfo);
    require_current_schema(c);
    if (read_only) {
        // The server refuses every write of this session, whatever the Store asks.
        c.exec("SET default_transaction_read_only = on");
    }
    return c;
}

std::unique_ptr<BackendTransaction> PgBackend::begin(TxKind kind) {
    if (!c_.alive()) {
        // Between transactions nothing is pending: a new session continues where the lost one
        // stopped (ConnectFailed again while the server is still away).
        c_ = open_session(conninfo_, read_only_);
    }
    return std::make_unique<PgBackendTransaction>(c_, kind);
}

// --- patients

std::optional<StoredPatient> PgBackend::patient_by_key(std::string_view patient_id) {
    Result r = c_.exec_prepared(
        "SELECT id, patient_key, name, birth_date, sex FROM myoscreen.patients "
        "WHERE patient_key = $1",
        {patient_id});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return StoredPatient{r.int64(0, 0),
                         Patient{r.text(0, 1), r.text(0, 2), r.text(0, 3), r.opt_text(0, 4)}};
}

store::PatientRow PgBackend::insert_patient(const Patient& p, const std::string& sort_name,
                                            const std::vector<std::string>& terms) {
    std::int64_t row = c_.query_int(
        std::string("INSERT INTO myoscreen.patients (patient_key, name, birth_date, sex, "
                    "created_at, sort_name) VALUES ($1, $2, $3, $4, ") +
            kNow + ", $5) RETURNING id",
        {p.id, p.name, p.birth_date, p.sex, sort_name});
    for (const auto& t : terms) {
        c_.exec(
            "INSERT INTO myoscreen.patient_terms (term, patient) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING",
            {t, row});
    }
    return row;
}

std::size_t PgBackend::count_all_patients(std::size_t cap) {
    if (cap == 0) {
        return static_cast<std::size_t>(c_.query_int("SELECT count(*) FROM myoscreen.patients"));
    }
    return static_cast<std::size_t>(
        c_.query_int("SELECT count(*) FROM (SELECT 1 FROM myoscreen.patients LIMIT $1) s",
                     {static_cast<std::int64_t>(cap)}));
}

std::vector<store::PatientRow> PgBackend::patient_rows(std::size_t limit, std::size_t offset) {
    // LIMIT NULL is no limit.
    Result r = c_.exec(queries::kPatientPage,
                       {limit == 0 ? Param(std::nullopt) : Param(static_cast<std::int64_t>(limit)),
                        static_cast<std::int64_t>(offset)});
    std::vector<store::PatientRow> rows;
    for (int i = 0; i < r.rows(); ++i) {
        rows.push_back(r.int64(i, 0));
    }
    return rows;
}

// As the SQLite backend: the longest word drives the scan (ordered by word, then patient); every
// other word must also start a word of the same patient. The server walks the "C"-ordered index
// of words (004_search_index.sql) and sends the matches in batches, each continuing after the
// last (word, patient) sent: a search that stops after a page (the GUI takes 301, a capped
// count 5,000) does not make the server find and send every match of "a".
void PgBackend::scan_matches(std::vector<std::string> terms,
                             const std::function<bool(store::PatientRow)>& take) {
    if (terms.empty()) {
        return;
    }
    std::stable_sort(terms.begin(), terms.end(), [](const std::string& a, const std::string& b) {
        return a.size() > b.size();
    });
    // $1: the batch's size; then the words' ranges; after the first batch, the last
    // (word, patient) sent.
    std::vector<Param> params{std::int64_t{0}};
    for (const auto& t : terms) {
        params.emplace_back(t);
        params.emplace_back(queries::prefix_end(t));
    }
    bool after = false;
    std::string sql = queries::scan_matches(terms.size(), after);
    std::unordered_set<std::int64_t> seen;
    // A page and a bit first (most searches end there), then larger batches for a count.
    std::int64_t batch = 320;
    while (true) {
        params[0] = Param(batch);
        Result r = c_.exec_prepared(sql, params);
        for (int i = 0; i < r.rows(); ++i) {
            std::int64_t row = r.int64(i, 1);
            if (seen.insert(row).second && !take(row)) {
                return;
            }
        }
        if (r.rows() < batch) {
            return;  // the range is exhausted
        }
        if (!after) {
            after = true;
            sql = queries::scan_matches(terms.size(), after);
            params.emplace_back(std::nullopt);
            params.emplace_back(std::nullopt);
        }
        params[params.size() - 2] = Param(r.text(r.rows() - 1, 0));
        params[params.size() - 1] = Param(r.int64(r.rows() - 1, 1));
        batch = std::min<std::int64_t>(batch * 4, 20480);
    }
}

// Counted on the server: a broad prefix ("a") does not send thousands of rows to be counted
// here. A patient may have two words in the range ("ana", "anastasia"): the first `limit`
// matches are counted once per patient, and the limit doubles in the rare case that they hold
// fewer than `cap` patients but do not end the range.
std::size_t PgBackend::count_matches(std::vector<std::string> terms, std::size_t cap) {
    if (terms.empty()) {
        return 0;
    }
    std::stable_sort(terms.begin(), terms.end(), [](const std::string& a, const std::string& b) {
        return a.size() > b.size();
    });
    std::string sql = queries::count_matches(terms.size());
    std::vector<Param> params{std::nullopt};
    for (const auto& t : terms) {
        params.emplace_back(t);
        params.emplace_back(queries::prefix_end(t));
    }
    auto limit = static_cast<std::int64_t>(cap);
    while (true) {
        params[0] = cap == 0 ? Param(std::nullopt) : Param(limit);
        Result r = c_.exec_prepared(sql, params);
        auto rows = static_cast<std::size_t>(r.int64(0, 0));
        auto patients = static_cast<std::size_t>(r.int64(0, 1));
        if (cap == 0 || rows < static_cast<std::size_t>(limit)) {
            return cap == 0 ? patients : std::min(patients, cap);
        }
        if (patients >= cap) {
            return cap;
        }
        limit *= 2;
    }
}

std::optional<std::size_t> PgBackend::patient_position(std::string_view patient_id) {
    Result r = c_.exec(R"sql(
SELECT (SELECT count(*) FROM myoscreen.patients b
        WHERE (b.sort_name COLLATE "C", b.id) < (p.sort_name COLLATE "C", p.id))
FROM myoscreen.patients p WHERE p.patient_key = $1
)sql",
                       {patient_id});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(r.int64(0, 0));
}

std::vector<PatientListing> PgBackend::listings(const std::vector<store::PatientRow>& rows) {
    // Two queries for the whole page (its patients, then their visits), not two per row: each
    // query is a round trip to the server.
    std::string ids = "{";
    for (store::PatientRow row : rows) {
        ids += (ids.size() > 1 ? "," : "") + std::to_string(row);
    }
    ids += "}";
    Result p = c_.exec_prepared(queries::kListingPatients, {ids});
    std::unordered_map<std::int64_t, PatientListing> by_row;
    for (int i = 0; i < p.rows(); ++i) {
        PatientListing l;
        l.patient = Patient{p.text(i, 1), p.text(i, 2), p.text(i, 3), p.opt_text(i, 4)};
        l.sort_name = p.text(i, 5);
        by_row.emplace(p.int64(i, 0), std::move(l));
    }
    Result v = c_.exec_prepared(queries::kListingVisits, {ids});
    for (int i = 0; i < v.rows(); ++i) {
        if (auto it = by_row.find(v.int64(i, 0)); it != by_row.end()) {
            it->second.visits.emplace_back(v.text(i, 1), v.text(i, 2));
        }
    }
    std::vector<PatientListing> out;
    out.reserve(rows.size());
    for (store::PatientRow row : rows) {
        if (auto it = by_row.find(row); it != by_row.end()) {
            out.push_back(it->second);  // as in SQLite: a row no longer there is left out
        }
    }
    return out;
}

// --- assessments

std::int64_t PgBackend::insert_assessment(store::PatientRow patient, const AssessmentFigures& f,
                                          Status status, std::optional<std::int64_t> visit,
                                          int version, std::optional<std::int64_t> supersedes) {
    // As in SQLite: inserted as a draft (a final row never changes), a new visit numbered by
    // its own id afterwards.
    std::int64_t id = c_.query_int(
        std::string(R"sql(
INSERT INTO myoscreen.assessments (patient, visit, version, supersedes, status, document, date,
  kind, nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, created_at,
  updated_at)
VALUES ($1, COALESCE($2::bigint, 0), $3, $4, 'draft', $5, $6, $7, $8, $9, $10, $11, $12, $13,
  $14, $15, )sql") +
            kNow + ", " + kNow + ") RETURNING id",
        {patient, visit ? Param(*visit) : Param(std::nullopt), version,
         supersedes ? Param(*supersedes) : Param(std::nullopt), f.document, f.date, f.kind,
         opt_param(f.nrs_now), opt_param(f.nrs_average), opt_param(f.wpi), opt_param(f.sss),
         opt_param(f.fs), opt_param(f.tender_count), f.urgency, f.rules_version});
    if (!visit) {
        c_.exec("UPDATE myoscreen.assessments SET visit = id WHERE id = $1", {id});
    }
    if (status == Status::Final) {
        c_.exec(std::string("UPDATE myoscreen.assessments SET status = 'final', finalized_at = ") +
                    kNow + " WHERE id = $1",
                {id});
    }
    return id;
}

std::optional<AssessmentInfo> PgBackend::assessment_info(std::int64_t id) {
    Result r = c_.exec_prepared(std::string(kInfoColumns) + " WHERE a.id = $1", {id});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return read_info(r, 0);
}

std::optional<std::string> PgBackend::assessment_document(std::int64_t id) {
    Result r = c_.exec("SELECT document FROM myoscreen.assessments WHERE id = $1", {id});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return r.text(0, 0);
}

store::PatientRow PgBackend::assessment_patient(std::int64_t id) {
    return c_.query_int("SELECT patient FROM myoscreen.assessments WHERE id = $1", {id});
}

std::vector<AssessmentInfo> PgBackend::history(std::string_view patient_id) {
    Result r = c_.exec_prepared(std::string(kInfoColumns) + queries::kHistoryWhere, {patient_id});
    std::vector<AssessmentInfo> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(read_info(r, i));
    }
    return out;
}

void PgBackend::update_draft(std::int64_t id, const AssessmentFigures& f,
                             std::optional<std::int64_t> expected_version) {
    // The version-checked save (pg_versions.hpp): the check and the write are one UPDATE, at the
    // version the editor read, or else (a caller that does not care) the one read here.
    std::int64_t version = 0;
    if (expected_version) {
        version = *expected_version;
    } else {
        std::optional<RowStamp> stamp = read_stamp(c_, RowKind::Assessment, id);
        if (!stamp) {
            return;  // as SQLite's UPDATE of no row: the Store checked the draft exists
        }
        version = stamp->row_version;
    }
    auto to64 = [](const std::optional<int>& v) {
        return v ? std::optional<std::int64_t>(*v) : std::nullopt;
    };
    DraftRow row;
    row.id = id;
    row.document = f.document;
    row.date = f.date;
    row.kind = f.kind;
    row.nrs_now = to64(f.nrs_now);
    row.nrs_average = to64(f.nrs_average);
    row.wpi = to64(f.wpi);
    row.sss = to64(f.sss);
    row.fs = to64(f.fs);
    row.tender_count = to64(f.tender_count);
    row.urgency = f.urgency;
    row.rules_version = f.rules_version;
    save_draft_if_unchanged(c_, row, version);
}

void PgBackend::refuse_stale_save(std::int64_t id, std::int64_t read_version) {
    pg::refuse_stale_save(c_, RowKind::Assessment, id, read_version);
}

void PgBackend::delete_draft(std::int64_t id) {
    c_.exec("DELETE FROM myoscreen.assessments WHERE id = $1 AND status = 'draft'", {id});
}

void PgBackend::mark_final(std::int64_t id) {
    c_.exec(std::string("UPDATE myoscreen.assessments SET status = 'final', finalized_at = ") +
                kNow + ", updated_at = " + kNow + " WHERE id = $1",
            {id});
}

std::optional<std::int64_t> PgBackend::final_with_document(store::PatientRow patient,
                                                           const std::string& document) {
    Result r = c_.exec(
        "SELECT id FROM myoscreen.assessments WHERE patient = $1 AND status = 'final' "
        "AND document = $2 ORDER BY id LIMIT 1",
        {patient, document});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return r.int64(0, 0);
}

// --- baselines, settings, deletion

std::optional<std::int64_t> PgBackend::visit_of(std::int64_t id, store::PatientRow patient) {
    Result r = c_.exec("SELECT visit FROM myoscreen.assessments WHERE id = $1 AND patient = $2",
                       {id, patient});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return r.int64(0, 0);
}

void PgBackend::put_baseline(store::PatientRow patient, std::int64_t visit) {
    c_.exec(std::string("INSERT INTO myoscreen.baselines (patient, visit, marked_at) VALUES ($1, "
                        "$2, ") +
                kNow +
                ") ON CONFLICT (patient) DO UPDATE SET visit = excluded.visit, "
                "marked_at = excluded.marked_at",
            {patient, visit});
}

void PgBackend::clear_baseline(store::PatientRow patient) {
    c_.exec("DELETE FROM myoscreen.baselines WHERE patient = $1", {patient});
}

std::optional<std::int64_t> PgBackend::baseline_visit(std::string_view patient_id) {
    Result r = c_.exec(
        "SELECT b.visit FROM myoscreen.baselines b JOIN myoscreen.patients p ON p.id = "
        "b.patient WHERE p.patient_key = $1",
        {patient_id});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return r.int64(0, 0);
}

std::vector<std::pair<std::string, std::string>> PgBackend::settings() {
    Result r = c_.exec("SELECT key, value FROM myoscreen.settings");
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace_back(r.text(i, 0), r.text(i, 1));
    }
    return out;
}

void PgBackend::put_setting(std::string_view key, std::string_view value) {
    c_.exec(
        "INSERT INTO myoscreen.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO "
        "UPDATE SET value = excluded.value",
        {key, value});
}

RemovedRows PgBackend::delete_patient_rows(store::PatientRow patient) {
    RemovedRows removed;
    Result count = c_.exec(
        "SELECT count(*), count(*) FILTER (WHERE status = 'final') FROM myoscreen.assessments "
        "WHERE patient = $1",
        {patient});
    removed.assessments = count.int64(0, 0);
    removed.finals = count.int64(0, 1);
    // The flag row lets the trigger pass finals of this patient, for this transaction only.
    const char* const kSteps[] = {
        "INSERT INTO myoscreen.deletion_in_progress (patient) VALUES ($1)",
        "DELETE FROM myoscreen.baselines WHERE patient = $1",
        "DELETE FROM myoscreen.assessments WHERE patient = $1",
        "DELETE FROM myoscreen.patient_terms WHERE patient = $1",
        "DELETE FROM myoscreen.patients WHERE id = $1",
        "DELETE FROM myoscreen.deletion_in_progress WHERE patient = $1",
    };
    for (const char* sql : kSteps) {
        c_.exec(sql, {patient});
    }
    return removed;
}

// --- audit trail: the server numbers, stamps, names the login and chains each row

void PgBackend::append_audit(std::string_view action, const AuditRef& ref,
                             std::string_view summary) {
    c_.exec(
        "INSERT INTO myoscreen.audit (os_user, action, patient, assessment, summary) "
        "VALUES ($1, $2, $3, $4, $5)",
        {os_user_, action, ref.patient_id,
         ref.assessment ? Param(*ref.assessment) : Param(std::nullopt), summary});
}

std::vector<AuditEntry> PgBackend::audit_trail(const std::optional<std::string>& patient_id) {
    return read_audit(c_, patient_id);
}

AuditVerification PgBackend::verify_audit() {
    // Inside the Store's transaction (a snapshot for a Read one): the rows and the head agree.
    ChainVerifier verifier;
    for (const AuditEntry& e : read_audit(c_)) {
        if (!verifier.add(e)) {
            break;
        }
    }
    return verifier.finish(c_.query_int("SELECT seq FROM myoscreen.audit_head WHERE id = 1"));
}

// --- maintenance

BackupReport PgBackend::backup(const std::filesystem::path& destination) {
    PgBackupReport pr = write_backup(c_, destination, default_tool_search());
    BackupReport r;
    r.path = pr.path;
    r.bytes = pr.bytes;
    r.patients = pr.figures.patients;
    r.assessments = pr.figures.assessments;
    r.sha256 = pr.sha256;
    r.method = backup_method(pr);
    r.head = AuditHead{pr.figures.head_seq, pr.figures.head_hash};
    return r;
}

namespace {

// Every change is audited: a login that may not append to the trail may change nothing.
// (The grant is by column: has_table_privilege says no for a clinician.)
constexpr const char* kMayAppendAudit =
    "SELECT pg_catalog.has_column_privilege('myoscreen.audit', 'action', 'INSERT'), "
    "current_user, pg_catalog.current_database()";

}  // namespace

std::optional<ServerSession> PgBackend::server_session() {
    Result r = c_.exec(kMayAppendAudit);
    return ServerSession{r.text(0, 1), r.text(0, 2), workstation_of(c_.application_name()),
                         r.boolean(0, 0)};
}

// --- several workstations at once (issue 14)

DraftLease PgBackend::take_draft_lease(std::int64_t id) {
    // Who held it before, to tell a takeover (a stale lease of another) from a fresh take.
    Result before = c_.exec(
        "SELECT holder, workstation FROM myoscreen.draft_leases WHERE assessment = $1", {id});
    LeaseAttempt a = acquire_lease(c_, id);
    DraftLease l;
    l.ours = a.acquired;
    l.holder = a.lease.holder;
    l.workstation = workstation_of(a.lease.workstation);
    l.since_ms = a.lease.since_ms;
    l.heartbeat_ms = a.lease.heartbeat_ms;
    if (a.acquired && before.rows() == 1 &&
        (before.text(0, 0) != c_.user() || before.text(0, 1) != c_.application_name())) {
        l.took_over = true;
        std::string where = workstation_of(before.text(0, 1));
        l.taken_from = before.text(0, 0) + (where.empty() ? "" : " on " + where);
    }
    return l;
}

DraftLease PgBackend::take_over_draft_lease(std::int64_t id) {
    // The function ends the other lease and writes the audit row; ours is then taken as
    // ourselves (invoker's rights: the new lease names this login and workstation).
    std::optional<EndedLease> ended = end_lease_for_take_over(c_, id, os_user_);
    DraftLease l = take_draft_lease(id);
    if (ended) {
        l.took_over = true;
        std::string where = workstation_of(ended->workstation);
        l.taken_from = ended->holder + (where.empty() ? "" : " on " + where);
    }
    return l;
}

bool PgBackend::renew_draft_lease(std::int64_t id) {
    return heartbeat_lease(c_, id);
}

void PgBackend::release_draft_lease(std::int64_t id) {
    release_lease(c_, id);
}

std::chrono::milliseconds PgBackend::lease_stale_after() {
    return pg::lease_stale_after(c_);
}

std::vector<ChangeNote> PgBackend::wait_for_changes(std::chrono::milliseconds timeout) {
    if (!c_.alive()) {
        listener_.reset();
        c_ = open_session(conninfo_, read_only_);
    }
    if (!listener_) {
        listener_ = std::make_unique<ChangeListener>(c_);
    }
    std::vector<Change> changes;
    try {
        changes = listener_->wait(timeout);
    } catch (const ConnectFailed&) {
        listener_.reset();  // the next call LISTENs on a new session
        throw;
    }
    std::vector<ChangeNote> out;
    out.reserve(changes.size());
    for (const Change& c : changes) {
        out.push_back({c.table, c.op, c.id, c.by, workstation_of(c.workstation)});
    }
    return out;
}

void PgBackend::make_read_only() {
    read_only_ = true;  // a new session after a lost one is read-only too (open_session)
    if (c_.alive()) {
        c_.exec("SET default_transaction_read_only = on");
    }
}

void PgBackend::require_write_access(std::string_view doing) {
    if (!c_.exec(kMayAppendAudit).boolean(0, 0)) {
        throw PermissionDenied("permission denied: the PostgreSQL login " +
                               quote_for_message(c_.user()) + " may not change " + describe() +
                               " (a readonly login), so " + std::string(doing) +
                               " was not done; nothing was written");
    }
}

namespace {

// One path component made of the server's words: letters, digits, '.', '_' and '-' only, not
// starting with a dot (no "..", no hidden name), never empty.
std::string folder_word(const std::string& text) {
    std::string out;
    for (char ch : text) {
        const auto u = static_cast<unsigned char>(ch);
        out += std::isalnum(u) != 0 || ch == '.' || ch == '_' || ch == '-' ? ch : '_';
    }
    if (out.empty() || out.front() == '.') {
        out.insert(out.begin(), '_');
    }
    return out;
}

}  // namespace

std::filesystem::path PgBackend::backup_folder() const {
    // The live connection's host, port and database (whatever the string, service file or PG*
    // variables said): the same folder for every way of naming one database.
    const char* host = PQhost(c_.handle());
    const char* port = PQport(c_.handle());
    const char* db = PQdb(c_.handle());
    std::string h = host != nullptr ? host : "";
    h = h.empty() || h.front() == '/' ? "local" : h;  // a Unix socket's folder: this machine
    std::string p = port != nullptr ? port : "";
    if (!p.empty() && p != "5432") {
        h += "_" + p;
    }
    return default_database_path().parent_path() / "backups" /
           folder_word(h + "-" + (db != nullptr ? db : ""));
}

std::uintmax_t PgBackend::database_bytes() {
    return static_cast<std::uintmax_t>(
        c_.query_int("SELECT pg_catalog.pg_database_size(pg_catalog.current_database())"));
}

}  // namespace myo::store::pg
