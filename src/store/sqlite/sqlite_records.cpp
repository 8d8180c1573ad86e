// The SQL of the smaller records: baselines (issue 6), the practice settings, and the deletion
// of a patient with everything of it.
#include "store/sqlite/sqlite_backend.hpp"
#include "store/sqlite/sqlite_sql.hpp"

namespace myo::store {

std::optional<std::int64_t> SqliteBackend::visit_of(std::int64_t id, PatientRow patient) {
    Statement a = db_.prepare("SELECT visit FROM assessments WHERE id = ?1 AND patient = ?2");
    a.bind(1, id).bind(2, patient);
    if (!a.step()) {
        return std::nullopt;
    }
    return a.int64(0);
}

void SqliteBackend::put_baseline(PatientRow patient, std::int64_t visit) {
    Statement put = db_.prepare(
        std::string("INSERT INTO baselines (patient, visit, marked_at) VALUES (?1, ?2, ") + kNow +
        ") ON CONFLICT (patient) DO UPDATE SET visit = excluded.visit, "
        "marked_at = excluded.marked_at");
    put.bind(1, patient).bind(2, visit).run();
}

void SqliteBackend::clear_baseline(PatientRow patient) {
    Statement del = db_.prepare("DELETE FROM baselines WHERE patient = ?1");
    del.bind(1, patient).run();
}

std::optional<std::int64_t> SqliteBackend::baseline_visit(std::string_view patient_id) {
    Statement s = db_.prepare(
        "SELECT b.visit FROM baselines b JOIN patients p ON p.id = b.patient WHERE p.patient_key = "
        "?1");
    s.bind(1, patient_id);
    if (!s.step()) {
        return std::nullopt;
    }
    return s.int64(0);
}

std::vector<std::pair<std::string, std::string>> SqliteBackend::settings() {
    std::vector<std::pair<std::string, std::string>> out;
    Statement q = db_.prepare("SELECT key, value FROM settings");
    while (q.step()) {
        out.emplace_back(q.text(0), q.text(1));
    }
    return out;
}

void SqliteBackend::put_setting(std::string_view key, std::string_view value) {
    // An upsert, not INSERT OR REPLACE: the replaced row must reach the content digest's
    // delete trigger, which SQLite skips for REPLACE without recursive triggers.
    Statement put = db_.prepare(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET "
        "value = excluded.value");
    put.bind(1, key).bind(2, value).run();
}

RemovedRows SqliteBackend::delete_patient_rows(PatientRow patient_row) {
    RemovedRows removed;
    Statement count = db_.prepare(
        "SELECT count(*), coalesce(sum(status = 'final'), 0) FROM assessments WHERE patient = ?1");
    count.bind(1, patient_row);
    count.step();
    removed.assessments = count.int64(0);
    removed.finals = count.int64(1);
    // The flag row lets the trigger pass finals of this patient, for this transaction only.
    const char* const kSteps[] = {
        "INSERT INTO deletion_in_progress (patient) VALUES (?1)",
        "DELETE FROM baselines WHERE patient = ?1",
        "DELETE FROM assessments WHERE patient = ?1",
        "DELETE FROM patient_terms WHERE patient = ?1",
        "DELETE FROM patients WHERE id = ?1",
        "DELETE FROM deletion_in_progress WHERE patient = ?1",
    };
    for (const char* sql : kSteps) {
        Statement step = db_.prepare(sql);
        step.bind(1, patient_row).run();
    }
    return removed;
}

}  // namespace myo::store
