#include "store/sqlite/sqlite_sql.hpp"

#include <sqlite3.h>

#include "store/assessment_figures.hpp"

namespace myo::store {

std::string prefix_end(const std::string& prefix) {
    return prefix + "\xF4\x8F\xBF\xBF";
}

// The audit actions (audit_action) that change an assessment row: create, edit, finalize,
// amend, import. A PDF or an export of it changes nothing and does not count.
#define MYO_ROW_CHANGES "('create', 'edit', 'finalize', 'amend', 'import')"

const char* const kInfoColumns = R"sql(
SELECT a.id, p.patient_key, a.visit, a.version, a.supersedes,
       (SELECT b.id FROM assessments b WHERE b.supersedes = a.id),
       a.status, a.date, a.kind, a.nrs_now, a.nrs_average, a.wpi, a.sss, a.fs, a.tender_count,
       a.urgency, a.rules_version, a.created_at, a.updated_at, a.finalized_at,
       COALESCE((SELECT max(u.seq) FROM audit u WHERE u.patient = p.patient_key
                 AND u.assessment = a.id AND u.action IN )sql" MYO_ROW_CHANGES R"sql(), 0)
FROM assessments a JOIN patients p ON p.id = a.patient
)sql";
#undef MYO_ROW_CHANGES

AssessmentInfo read_info(const Statement& s) {
    AssessmentInfo i;
    i.id = s.int64(0);
    i.patient_id = s.text(1);
    i.visit = s.int64(2);
    i.version = s.integer(3);
    i.supersedes = s.opt_int64(4);
    i.superseded_by = s.opt_int64(5);
    i.status = s.text(6) == "final" ? Status::Final : Status::Draft;
    i.date = s.text(7);
    i.kind = s.opt_text(8);
    i.nrs_now = s.opt_integer(9);
    i.nrs_average = s.opt_integer(10);
    i.wpi = s.opt_integer(11);
    i.sss = s.opt_integer(12);
    i.fs = s.opt_integer(13);
    i.tender_count = s.opt_integer(14);
    i.urgency = urgency_from(s.text(15));
    i.rules_version = s.text(16);
    i.created_at = s.text(17);
    i.updated_at = s.text(18);
    i.finalized_at = s.opt_text(19);
    i.row_version = s.int64(20);
    return i;
}

std::optional<CopyFailure> copy_pages(Connection& from, Connection& to) {
    sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (b == nullptr) {
        return CopyFailure{false, sqlite3_errmsg(to.handle())};
    }
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        return CopyFailure{true, sqlite3_errstr(rc)};
    }
    return std::nullopt;
}

}  // namespace myo::store
