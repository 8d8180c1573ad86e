#include "store/pg/pg_versions.hpp"

#include "core/text_input.hpp"
#include "store/pg/conninfo.hpp"
#include "store/pg/pg_errors.hpp"

namespace myo::store::pg {

namespace {

// The stamp's columns, in RowStamp's order; changed_at as whole milliseconds since 1970.
constexpr const char* kStampColumns =
    "row_version, changed_by, changed_from, "
    "(extract(epoch FROM changed_at) * 1000)::bigint";

Param optional_int(const std::optional<std::int64_t>& v) {
    return v ? Param(*v) : Param(std::nullopt);
}

RowStamp stamp_of(const Result& r, int row) {
    return {r.int64(row, 0), r.text(row, 1), r.text(row, 2), r.int64(row, 3)};
}

std::string what_row(RowKind kind, std::int64_t id) {
    return kind == RowKind::Patient
               ? "the patient's details (patient record " + std::to_string(id) + ")"
               : "assessment draft " + std::to_string(id);
}

}  // namespace

// Read after the UPDATE found no row at the caller's version: in READ COMMITTED this statement
// sees the change that won, committed.
void refuse_stale_save(Connection& c, RowKind kind, std::int64_t id, std::int64_t read_version) {
    std::string sql = std::string("SELECT ") + kStampColumns +
                      (kind == RowKind::Patient ? ", false FROM myoscreen.patients"
                                                : ", status = 'final' FROM myoscreen.assessments") +
                      " WHERE id = $1";
    Result r = c.exec(sql, {id});
    std::string row = what_row(kind, id);
    if (r.rows() == 0) {
        throw gone_since_read(row, "on another workstation", kind == RowKind::Patient);
    }
    RowStamp s = stamp_of(r, 0);
    ChangedElsewhere::LastChange change{s.row_version, s.changed_by, s.changed_from,
                                        s.changed_at_ms, r.boolean(0, 4)};
    if (s.row_version <= read_version && !change.finalised) {
        // Nobody changed it since: the caller's version was never read from this row.
        throw StoreError(c.target() + ": " + row + " is at version " +
                         std::to_string(s.row_version) + ", not at " +
                         std::to_string(read_version) + " as the save assumed");
    }
    throw changed_since_read(row, change, workstation_phrase(s.changed_from, c.application_name()));
}

std::optional<RowStamp> read_stamp(Connection& c, RowKind kind, std::int64_t id) {
    Result r =
        c.exec(std::string("SELECT ") + kStampColumns + " FROM " +
                   (kind == RowKind::Patient ? "myoscreen.patients" : "myoscreen.assessments") +
                   " WHERE id = $1",
               {id});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return stamp_of(r, 0);
}

RowStamp save_patient_if_unchanged(Connection& c, const PatientRow& row,
                                   std::int64_t read_version) {
    Result r = c.exec(std::string("UPDATE myoscreen.patients SET name = $3, birth_date = $4, "
                                  "sex = $5, sort_name = $6 "
                                  "WHERE id = $1 AND row_version = $2 RETURNING ") +
                          kStampColumns,
                      {row.id, read_version, row.name, row.birth_date, row.sex, row.sort_name});
    if (r.rows() == 0) {
        refuse_stale_save(c, RowKind::Patient, row.id, read_version);
    }
    return stamp_of(r, 0);
}

RowStamp save_draft_if_unchanged(Connection& c, const DraftRow& row, std::int64_t read_version) {
    // updated_at in the SQLite store's format (store.cpp's kNow), by the server's clock.
    Result r = c.exec(
        std::string("UPDATE myoscreen.assessments SET document = $3, date = $4, kind = $5, "
                    "nrs_now = $6, nrs_average = $7, wpi = $8, sss = $9, fs = $10, "
                    "tender_count = $11, urgency = $12, rules_version = $13, updated_at = "
                    "to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
                    "WHERE id = $1 AND row_version = $2 AND status = 'draft' RETURNING ") +
            kStampColumns,
        {row.id, read_version, row.document, row.date, row.kind, optional_int(row.nrs_now),
         optional_int(row.nrs_average), optional_int(row.wpi), optional_int(row.sss),
         optional_int(row.fs), optional_int(row.tender_count), row.urgency, row.rules_version});
    if (r.rows() == 0) {
        refuse_stale_save(c, RowKind::Assessment, row.id, read_version);
    }
    return stamp_of(r, 0);
}

std::string workstation_phrase(const std::string& from, const std::string& ours) {
    if (from == ours) {
        return "on this workstation";
    }
    // Another workstation's application_name: its words, quoted safe for a terminal.
    std::string name = quote_for_message(workstation_of(from), 64);
    return name.empty() ? "on another workstation" : "on another workstation (" + name + ")";
}

}  // namespace myo::store::pg
