#pragma once
// Change notifications (issue 13): the server announces every change to a patient or an
// assessment, and every lease taken or ended, on the channel myoscreen_changes when its transaction
// commits (never for one rolled back), with a small JSON payload (sql/002_two_workstations.sql). A
// ChangeListener LISTENs on a connection for its lifetime and hands over what arrived.
//
// Like the connection, a listener belongs to one thread at a time.
// Notifications reach a connection between its transactions; a connection that also runs
// queries receives them all the same (libpq queues them), but a dedicated one hears them
// soonest.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

inline constexpr const char* kChangesChannel = "myoscreen_changes";

// A lease taken or ended comes as table "draft_leases", op "insert" or "delete", id the draft,
// by and workstation its holder's, row_version 0 (patient 0 when the draft was discarded).
struct Change {
    std::string table;  // "patients", "assessments" or "draft_leases"
    std::string op;     // "insert", "update" or "delete"
    std::int64_t id = 0;
    std::int64_t patient = 0;  // the patient row (its own id for a patient)
    std::int64_t row_version = 0;
    std::string by;           // the login
    std::string workstation;  // its application_name
    std::string payload;      // as received
};

class ChangeListener {
  public:
    // LISTEN now (outside any transaction of `c`, which must outlive the listener).
    explicit ChangeListener(Connection& c);
    // UNLISTEN (best effort: a lost connection stops listening by itself).
    ~ChangeListener();
    ChangeListener(const ChangeListener&) = delete;
    ChangeListener& operator=(const ChangeListener&) = delete;

    // What arrived, in commit order; waits up to `timeout` for the first when none is queued
    // (0: only what is there). Throws ConnectFailed when the connection is lost.
    std::vector<Change> wait(std::chrono::milliseconds timeout);

  private:
    std::vector<Change> drain();
    Connection& c_;
};

// A payload as the server sends it; throws PgError for one that is not.
Change parse_change(const std::string& payload);

}  // namespace myo::store::pg
