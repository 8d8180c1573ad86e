#pragma once
// Draft leases (issue 13): a draft being edited is held by one login on one workstation, so
// the others can see who edits it and open it read-only. The server records who (the login),
// which workstation (application_name), since when and the last heartbeat; a lease whose
// heartbeat is older than the database's lease_policy.stale_after (kLeaseStaleAfter unless the
// administrator changed it) is stale and may be taken over. A lease is advisory: the save
// itself is guarded by the row version (pg_versions.hpp).
//
// Row-level security (sql/002_two_workstations.sql): a clinician takes, refreshes and releases
// only their own leases (and removes stale ones); readonly reads them and may take none
// (PermissionDenied). Finalising or discarding a draft ends its lease on the server.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

// The default age of a heartbeat after which a lease is stale (the schema's default of
// lease_policy.stale_after), and how often a holder should heartbeat: well inside it, so a
// missed beat or two does not lose the lease.
inline constexpr std::chrono::seconds kLeaseStaleAfter{120};
inline constexpr std::chrono::seconds kLeaseHeartbeatEvery{30};

struct Lease {
    std::int64_t assessment = 0;
    std::int64_t patient = 0;       // the draft's patient row (read_leases only; 0 otherwise)
    std::string holder;             // the login
    std::string workstation;        // its application_name, "MyoScreen on ROOM-2"
    std::int64_t since_ms = 0;      // milliseconds since 1970 (UTC)
    std::int64_t heartbeat_ms = 0;  // the last heartbeat
    bool stale = false;             // by the server's clock and policy, when read
    bool mine = false;              // this login on this workstation
};

struct LeaseAttempt {
    bool acquired = false;
    Lease lease;  // ours when acquired, else the holder's
    // "t.okafor on another workstation (ROOM-2) since 10:42" (local time), for a message.
    std::string holder_phrase;
};

// Takes the lease of draft `assessment`: when none is held, when it is ours (refreshed) or
// stale (taken over). Otherwise returns the current holder's. Throws NotEditable when the
// assessment is not a draft, PermissionDenied for a readonly login.
LeaseAttempt acquire_lease(Connection& c, std::int64_t assessment);

// Ends another's lease of draft `assessment` even though it is live, and audits that as the
// session's login (sql/006_take_over.sql, end_lease_for_take_over): the previous holder and
// their application_name, or nothing when no one else held it. The caller then takes the lease
// with acquire_lease in the same transaction. NotEditable when the assessment is not a draft,
// PermissionDenied for a login outside the clinician group.
struct EndedLease {
    std::string holder;
    std::string workstation;
};
std::optional<EndedLease> end_lease_for_take_over(Connection& c, std::int64_t assessment,
                                                  const std::string& os_user);

// Refreshes our lease; false when it is no longer ours (taken over after going stale, or
// ended by a finalisation or a discard).
bool heartbeat_lease(Connection& c, std::int64_t assessment);

// Ends our lease; false when there was none of ours.
bool release_lease(Connection& c, std::int64_t assessment);

// Every lease of a draft, for a list of who edits what (oldest first), stale ones included.
std::vector<Lease> read_leases(Connection& c);

// The database's stale_after, as the server holds it.
std::chrono::milliseconds lease_stale_after(Connection& c);

}  // namespace myo::store::pg
