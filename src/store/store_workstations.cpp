// Several workstations at once (issue 14): draft leases and changes made elsewhere, through the
// Store for either backend. A file has neither: one MyoScreen writes it at a time (the writer
// lock), so a lease is always ours and nothing is announced.

#include <thread>

#include "store/audit.hpp"
#include "store/backend.hpp"
#include "store/store.hpp"

namespace myo::store {

std::vector<ChangeNote> StoreBackend::wait_for_changes(std::chrono::milliseconds timeout) {
    std::this_thread::sleep_for(timeout);
    return {};
}

DraftLease Store::take_draft_lease(std::int64_t id) {
    require_writable("taking the draft for editing");
    // One transaction: a takeover and its audit row are one change.
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    DraftLease lease = backend_->take_draft_lease(id);
    if (lease.took_over) {
        auto found = backend_->assessment_info(id);
        audit(audit_action::kTakeOver,
              {found ? std::optional(found->patient_id) : std::nullopt, id},
              "took the draft over from " + lease.taken_from +
                  " (their lease had expired: no heartbeat)");
    }
    tx->commit();
    return lease;
}

DraftLease Store::take_over_draft_lease(std::int64_t id) {
    require_writable("taking the draft over");
    // One transaction: the other lease's end, its audit row (written by the backend: on a
    // server by the function that ends the lease) and ours are one change.
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    DraftLease lease = backend_->take_over_draft_lease(id);
    tx->commit();
    return lease;
}

bool Store::renew_draft_lease(std::int64_t id) {
    return backend_->renew_draft_lease(id);
}

void Store::release_draft_lease(std::int64_t id) {
    backend_->release_draft_lease(id);
}

std::chrono::milliseconds Store::lease_stale_after() {
    return backend_->lease_stale_after();
}

std::vector<ChangeNote> Store::wait_for_changes(std::chrono::milliseconds timeout) {
    return backend_->wait_for_changes(timeout);
}

}  // namespace myo::store
