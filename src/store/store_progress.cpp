// The Store's progress reading (issue 6): the final visits a comparison reads, and the visit a
// patient's progress is measured from (the baseline).
#include "store/backend.hpp"
#include "store/message_text.hpp"
#include "store/store.hpp"

namespace myo::store {

std::vector<StoredAssessment> Store::final_visits(std::string_view patient_id) {
    std::vector<StoredAssessment> out;
    for (const auto& info : current_finals(patient_id)) {
        out.push_back(load(info.id));
    }
    return out;
}

void Store::set_baseline(std::string_view patient_id, std::optional<std::int64_t> id) {
    require_writable("marking the baseline");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    auto patient = backend_->patient_by_key(patient_id);
    if (!patient) {
        throw NotFound("there is no patient " + in_quotes(std::string(patient_id)));
    }
    if (!id) {
        backend_->clear_baseline(patient->row);
        audit(audit_action::kBaseline, {std::string(patient_id), std::nullopt},
              "baseline set back to the first visit");
        tx->commit();
        return;
    }
    auto visit = backend_->visit_of(*id, patient->row);
    if (!visit) {
        throw NotFound("patient " + in_quotes(std::string(patient_id)) + " has no assessment " +
                       std::to_string(*id));
    }
    backend_->put_baseline(patient->row, *visit);
    audit(audit_action::kBaseline, {std::string(patient_id), *id},
          "baseline set to the visit of assessment " + std::to_string(*id));
    tx->commit();
}

std::optional<std::int64_t> Store::baseline_visit(std::string_view patient_id) {
    return backend_->baseline_visit(patient_id);
}

}  // namespace myo::store
