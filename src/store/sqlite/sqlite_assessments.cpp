// The assessments' SQL: versions of visits, drafts and finals.
#include "store/sqlite/sqlite_backend.hpp"
#include "store/sqlite/sqlite_sql.hpp"
#include "store/stale_save.hpp"

namespace myo::store {

std::int64_t SqliteBackend::insert_assessment(PatientRow patient_row, const AssessmentFigures& f,
                                              Status status, std::optional<std::int64_t> visit,
                                              int version, std::optional<std::int64_t> supersedes) {
    // Inserted as a draft first: the database refuses any change to a final row, and a new
    // visit's number is its own id, known only after the insert.
    Statement insert = db_.prepare(std::string(R"sql(
INSERT INTO assessments (patient, visit, version, supersedes, status, document, date, kind,
  nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, created_at, updated_at)
VALUES (?1, COALESCE(?2, 0), ?3, ?4, 'draft', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, )sql") +
                                   kNow + ", " + kNow + ")");
    insert.bind(1, patient_row).bind(2, visit).bind(3, version).bind(4, supersedes);
    insert.bind(5, f.document).bind(6, f.date).bind(7, f.kind).bind(8, f.nrs_now);
    insert.bind(9, f.nrs_average).bind(10, f.wpi).bind(11, f.sss).bind(12, f.fs);
    insert.bind(13, f.tender_count).bind(14, f.urgency).bind(15, f.rules_version);
    insert.run();
    std::int64_t id = db_.last_insert_rowid();
    if (!visit) {
        Statement set_visit = db_.prepare("UPDATE assessments SET visit = id WHERE id = ?1");
        set_visit.bind(1, id).run();
    }
    if (status == Status::Final) {
        Statement fin =
            db_.prepare(std::string("UPDATE assessments SET status = 'final', finalized_at = ") +
                        kNow + " WHERE id = ?1");
        fin.bind(1, id).run();
    }
    return id;
}

std::optional<AssessmentInfo> SqliteBackend::assessment_info(std::int64_t id) {
    Statement s = db_.prepare(std::string(kInfoColumns) + " WHERE a.id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        return std::nullopt;
    }
    return read_info(s);
}

std::optional<std::string> SqliteBackend::assessment_document(std::int64_t id) {
    Statement s = db_.prepare("SELECT document FROM assessments WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        return std::nullopt;
    }
    return s.text(0);
}

PatientRow SqliteBackend::assessment_patient(std::int64_t id) {
    Statement row = db_.prepare("SELECT patient FROM assessments WHERE id = ?1");
    row.bind(1, id);
    row.step();
    return row.int64(0);
}

std::vector<AssessmentInfo> SqliteBackend::history(std::string_view patient_id) {
    Statement s = db_.prepare(std::string(kInfoColumns) +
                              " WHERE p.patient_key = ?1 ORDER BY "
                              "(SELECT v.date FROM assessments v WHERE v.id = a.visit), a.visit, "
                              "a.version");
    s.bind(1, patient_id);
    std::vector<AssessmentInfo> out;
    while (s.step()) {
        out.push_back(read_info(s));
    }
    return out;
}

void SqliteBackend::update_draft(std::int64_t id, const AssessmentFigures& f,
                                 std::optional<std::int64_t> expected_version) {
    // Inside the Store's IMMEDIATE transaction: no other connection writes between this check
    // and the UPDATE.
    if (expected_version) {
        auto now = assessment_info(id);
        if (!now || now->row_version != *expected_version) {
            refuse_stale_save(id, *expected_version);
        }
    }
    Statement update = db_.prepare(std::string(R"sql(
UPDATE assessments SET document = ?2, date = ?3, kind = ?4, nrs_now = ?5, nrs_average = ?6,
  wpi = ?7, sss = ?8, fs = ?9, tender_count = ?10, urgency = ?11, rules_version = ?12,
  updated_at = )sql") + kNow + " WHERE id = ?1 AND status = 'draft'");
    update.bind(1, id).bind(2, f.document).bind(3, f.date).bind(4, f.kind).bind(5, f.nrs_now);
    update.bind(6, f.nrs_average).bind(7, f.wpi).bind(8, f.sss).bind(9, f.fs);
    update.bind(10, f.tender_count).bind(11, f.urgency).bind(12, f.rules_version);
    update.run();
}

void SqliteBackend::refuse_stale_save(std::int64_t id, std::int64_t read_version) {
    // One file on one computer: the other change came from another window or program here.
    // Who and when are the newest audit row that changed the assessment.
    const std::string row = "assessment draft " + std::to_string(id);
    const std::string where = "in another window or program on this computer";
    auto now = assessment_info(id);
    if (!now) {
        throw gone_since_read(row, where);
    }
    ChangedElsewhere::LastChange change;
    change.row_version = now->row_version;
    change.finalised = now->status == Status::Final;
    Statement last = db_.prepare(std::string("SELECT os_user, at FROM audit WHERE seq = ?1"));
    last.bind(1, now->row_version);
    if (last.step()) {
        change.by = last.text(0);
        change.at_ms = utc_text_ms(last.text(1));
    }
    if (change.row_version <= read_version && !change.finalised) {
        // Nobody changed it since: the caller's version was never read from this row.
        throw StoreError(path().string() + ": " + row + " is at version " +
                         std::to_string(change.row_version) + ", not at " +
                         std::to_string(read_version) + " as the save assumed");
    }
    throw changed_since_read(row, change, where);
}

void SqliteBackend::delete_draft(std::int64_t id) {
    Statement del = db_.prepare("DELETE FROM assessments WHERE id = ?1 AND status = 'draft'");
    del.bind(1, id).run();
}

void SqliteBackend::mark_final(std::int64_t id) {
    Statement fin = db_.prepare(std::string("UPDATE assessments SET status = 'final', "
                                            "finalized_at = ") +
                                kNow + ", updated_at = " + kNow + " WHERE id = ?1");
    fin.bind(1, id).run();
}

std::optional<std::int64_t> SqliteBackend::final_with_document(PatientRow patient,
                                                               const std::string& document) {
    Statement same = db_.prepare(
        "SELECT id FROM assessments WHERE patient = ?1 AND status = 'final' AND document = ?2 "
        "ORDER BY id LIMIT 1");
    same.bind(1, patient).bind(2, document);
    if (!same.step()) {
        return std::nullopt;
    }
    return same.int64(0);
}

}  // namespace myo::store
