// The Store's audit trail calls (store/audit.hpp): events from outside the store, the trail,
// and the check of its chain.
#include "store/backend.hpp"
#include "store/store.hpp"

namespace myo::store {

void Store::record_event(std::string_view action, const AuditRef& record,
                         std::string_view summary) {
    require_writable("recording the event");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    AuditRef ref = record;
    if (ref.assessment && !ref.patient_id) {
        ref.patient_id = info(*ref.assessment).patient_id;
    }
    audit(action, ref, summary);
    tx->commit();
}

std::vector<AuditEntry> Store::audit_trail(const std::optional<std::string>& patient_id) {
    return backend_->audit_trail(patient_id);
}

AuditVerification Store::verify_audit() {
    return backend_->verify_audit();
}

}  // namespace myo::store
