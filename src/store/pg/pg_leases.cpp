#include "store/pg/pg_leases.hpp"

#include "core/text_input.hpp"
#include "store/pg/pg_versions.hpp"

namespace myo::store::pg {

namespace {

constexpr const char* kMs = "(extract(epoch FROM %) * 1000)::bigint";

// kMs with `%` replaced by a column.
std::string ms(const char* column) {
    std::string s = kMs;
    s.replace(s.find('%'), 1, column);
    return s;
}

}  // namespace

LeaseAttempt acquire_lease(Connection& c, std::int64_t assessment) {
    Result r = c.exec("SELECT l.acquired, l.holder, l.workstation, " + ms("l.since") + ", " +
                          ms("l.heartbeat") + " FROM myoscreen.acquire_draft_lease($1) l",
                      {assessment});
    LeaseAttempt a;
    a.acquired = r.boolean(0, 0);
    a.lease.assessment = assessment;
    a.lease.holder = r.text(0, 1);
    a.lease.workstation = r.text(0, 2);
    a.lease.since_ms = r.int64(0, 3);
    a.lease.heartbeat_ms = r.int64(0, 4);
    a.lease.mine = a.acquired;
    a.holder_phrase = quote_for_message(a.lease.holder) + " " +
                      workstation_phrase(a.lease.workstation, c.application_name()) + " since " +
                      local_time(a.lease.since_ms, now_ms());
    return a;
}

std::optional<EndedLease> end_lease_for_take_over(Connection& c, std::int64_t assessment,
                                                  const std::string& os_user) {
    Result r =
        c.exec("SELECT e.holder, e.workstation FROM myoscreen.end_lease_for_take_over($1, $2) e",
               {assessment, os_user});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return EndedLease{r.text(0, 0), r.text(0, 1)};
}

bool heartbeat_lease(Connection& c, std::int64_t assessment) {
    // The trigger sets the heartbeat to the server's clock; the row policy and the conditions
    // keep it to our own lease.
    return c.exec(
                "UPDATE myoscreen.draft_leases SET heartbeat = clock_timestamp() "
                "WHERE assessment = $1 AND holder = current_user "
                "AND workstation = pg_catalog.current_setting('application_name') RETURNING 1",
                {assessment})
               .rows() == 1;
}

bool release_lease(Connection& c, std::int64_t assessment) {
    return c.exec(
                "DELETE FROM myoscreen.draft_leases WHERE assessment = $1 "
                "AND holder = current_user "
                "AND workstation = pg_catalog.current_setting('application_name') RETURNING 1",
                {assessment})
               .rows() == 1;
}

std::vector<Lease> read_leases(Connection& c) {
    Result r = c.exec("SELECT l.assessment, a.patient, l.holder, l.workstation, " + ms("l.since") +
                      ", " + ms("l.heartbeat") +
                      ", myoscreen.lease_is_stale(l.heartbeat), "
                      "l.holder = current_user AND "
                      "l.workstation = pg_catalog.current_setting('application_name') "
                      "FROM myoscreen.draft_leases l "
                      "JOIN myoscreen.assessments a ON a.id = l.assessment "
                      "ORDER BY l.since, l.assessment");
    std::vector<Lease> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back({r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3), r.int64(i, 4),
                       r.int64(i, 5), r.boolean(i, 6), r.boolean(i, 7)});
    }
    return out;
}

std::chrono::milliseconds lease_stale_after(Connection& c) {
    return std::chrono::milliseconds(
        c.query_int("SELECT (extract(epoch FROM stale_after) * 1000)::bigint "
                    "FROM myoscreen.lease_policy WHERE id = 1"));
}

}  // namespace myo::store::pg
