#include "store/pg/pg_versions.hpp"

#include <ctime>

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

// The refusal, read after the UPDATE found no row at the caller's version: in READ COMMITTED
// this statement sees the change that won, committed.
[[noreturn]] void refuse(Connection& c, RowKind kind, std::int64_t id, std::int64_t read_version) {
    std::string sql = std::string("SELECT ") + kStampColumns +
                      (kind == RowKind::Patient ? ", false FROM myoscreen.patients"
                                                : ", status = 'final' FROM myoscreen.assessments") +
                      " WHERE id = $1";
    Result r = c.exec(sql, {id});
    std::string row = what_row(kind, id);
    std::string kept = "; nothing was saved and your answers are kept";
    if (r.rows() == 0) {
        throw ChangedElsewhere(
            row + " was " + (kind == RowKind::Patient ? "deleted" : "discarded or deleted") +
                " on another workstation since this copy was read" + kept +
                " (save them as a new " + (kind == RowKind::Patient ? "patient)" : "draft)"),
            {});
    }
    RowStamp s = stamp_of(r, 0);
    ChangedElsewhere::LastChange change{s.row_version, s.changed_by, s.changed_from,
                                        s.changed_at_ms, r.boolean(0, 4)};
    if (s.row_version <= read_version && !change.finalised) {
        // Nobody changed it since: the caller's version was never read from this row.
        throw PgError("", c.target() + ": " + row + " is at version " +
                              std::to_string(s.row_version) + ", not at " +
                              std::to_string(read_version) + " as the save assumed");
    }
    std::string ours = c.application_name();
    std::string said = (change.finalised ? " was finalised by " : " was changed by ") +
                       quote_for_message(s.changed_by) + " " +
                       local_time_phrase(s.changed_at_ms, now_ms()) + " " +
                       workstation_phrase(s.changed_from, ours);
    throw ChangedElsewhere(
        row + said + " since this copy was read" + kept +
            (change.finalised ? " (amend the final assessment to add them)"
                              : " (reload to see the other change, then save again)"),
        change);
}

}  // namespace

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
        refuse(c, RowKind::Patient, row.id, read_version);
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
        refuse(c, RowKind::Assessment, row.id, read_version);
    }
    return stamp_of(r, 0);
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string local_time_phrase(std::int64_t at_ms, std::int64_t now) {
    return "at " + local_time(at_ms, now);
}

std::string local_time(std::int64_t at_ms, std::int64_t now) {
    auto local = [](std::int64_t ms) {
        std::time_t t = static_cast<std::time_t>(ms / 1000);
        std::tm tm{};
        localtime_r(&t, &tm);
        return tm;
    };
    std::tm at = local(at_ms);
    std::tm today = local(now);
    char buf[32];
    std::strftime(buf, sizeof buf, "%H:%M", &at);
    std::string out = buf;
    if (at.tm_year != today.tm_year || at.tm_yday != today.tm_yday) {
        std::strftime(buf, sizeof buf, " on %Y-%m-%d", &at);
        out += buf;
    }
    return out;
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
