// The Store's deletion of a patient (issue 7): confirmed by the name, after a verified backup,
// audited by patient id only.
#include "store/backend.hpp"
#include "store/backup_names.hpp"
#include "store/message_text.hpp"
#include "store/store.hpp"

namespace myo::store {

namespace fs = std::filesystem;

DeletionReport Store::delete_patient(std::string_view patient_id, std::string_view confirmation,
                                     const fs::path& backup_folder_path) {
    require_writable("deleting the patient");
    backend_->require_write_access("deleting the patient");
    auto patient = find_patient(patient_id);
    if (!patient) {
        throw NotFound("there is no patient " + in_quotes(std::string(patient_id)));
    }
    if (confirmation != patient->name) {
        throw NotEditable("the confirmation " + in_quotes(std::string(confirmation)) +
                          " is not the name of patient " + in_quotes(patient->id) +
                          "; type the name exactly as stored to delete the patient. Nothing "
                          "was deleted");
    }
    DeletionReport report;
    report.patient_id = patient->id;
    fs::path dir = backup_folder_path.empty() ? backup_folder() : backup_folder_path;
    report.backup = backup(free_name(dir, "myoscreen-before-delete-" + utc_stamp(),
                                     backend_->backup_suffixes().front()));
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    auto stored = backend_->patient_by_key(patient_id);
    if (!stored || stored->patient.name != patient->name) {
        throw NotFound("patient " + in_quotes(patient->id) + " changed while it was being deleted");
    }
    RemovedRows removed = backend_->delete_patient_rows(stored->row);
    report.assessments = removed.assessments;
    std::int64_t finals = removed.finals;
    audit(audit_action::kDelete, {patient->id, std::nullopt},
          "patient deleted with " + std::to_string(report.assessments) + " assessments (" +
              std::to_string(finals) + " final, " + std::to_string(report.assessments - finals) +
              " draft), after the backup " + report.backup.path.string());
    tx->commit();
    return report;
}

}  // namespace myo::store
