#pragma once
// Optimistic versions (issue 13, "two workstations, one record"): a patient row or an
// assessment draft is saved only if its row_version is still the one the caller read. The
// server keeps row_version, changed_by (the login), changed_at and changed_from (the
// workstation's application_name) in a trigger (sql/002_two_workstations.sql); the check and
// the write are one UPDATE, so no other save can slip in between.
//
// A refused save throws ChangedElsewhere (pg_errors.hpp), naming who changed the row, when and
// from where. These functions take the caller's row by const reference and never change it: the
// answers the user typed stay in the caller's hands, to be saved again once the user has seen
// the other change (read_stamp gives the version to save against).
//
// They do not begin a transaction: the store backend runs them inside its own, with the audit
// row and the search terms of the same save.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "store/pg/pg_connection.hpp"
#include "store/stale_save.hpp"

namespace myo::store::pg {

// Who changed a row last, as the server recorded it.
struct RowStamp {
    std::int64_t row_version = 0;
    std::string changed_by;          // the login (current_user)
    std::string changed_from;        // its application_name, "MyoScreen on ROOM-2"
    std::int64_t changed_at_ms = 0;  // milliseconds since 1970 (UTC)
};

// The columns of a patient a save may change (its key and creation stay).
struct PatientRow {
    std::int64_t id = 0;
    std::string name;
    std::string birth_date;
    std::optional<std::string> sex;
    std::string sort_name;  // store/search's folded name
};

// The columns of an assessment draft a save changes (as the SQLite store's save_draft);
// updated_at is the server's clock.
struct DraftRow {
    std::int64_t id = 0;
    std::string document;  // the JSON bytes
    std::string date;
    std::optional<std::string> kind;
    std::optional<std::int64_t> nrs_now, nrs_average, wpi, sss, fs, tender_count;
    std::string urgency;
    std::string rules_version;
};

enum class RowKind { Patient, Assessment };

// The row's stamp now; nullopt when there is no such row.
std::optional<RowStamp> read_stamp(Connection& c, RowKind kind, std::int64_t id);

// Saves `row` if the patient's row_version is still `read_version`; returns the new stamp.
// Throws ChangedElsewhere otherwise (also when the patient is gone); PgError for a
// `read_version` the row never had (a caller's mistake, not another workstation's change).
RowStamp save_patient_if_unchanged(Connection& c, const PatientRow& row, std::int64_t read_version);

// Saves `row` if the assessment is still a draft at `read_version`; returns the new stamp.
// Throws ChangedElsewhere when another save, a finalisation or a discard came first.
RowStamp save_draft_if_unchanged(Connection& c, const DraftRow& row, std::int64_t read_version);

// The refusal of a save at `read_version` that found no such row version (ChangedElsewhere, or
// PgError for a version the row never had). Also what the Store calls when its own check of the
// version the editor read fails before any write.
[[noreturn]] void refuse_stale_save(Connection& c, RowKind kind, std::int64_t id,
                                    std::int64_t read_version);

// The wording of times, shared with the SQLite store (store/stale_save.hpp).
using store::local_time;
using store::local_time_phrase;
using store::now_ms;

// "on another workstation (ROOM-2)"; "on this workstation" when `from` is this
// connection's own application_name (another window or program here).
std::string workstation_phrase(const std::string& from, const std::string& ours);

}  // namespace myo::store::pg
