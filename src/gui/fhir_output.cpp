#include "gui/fhir_output.hpp"

#include "fhir/fhir.hpp"
#include "fileio/output_file.hpp"
#include "gui/pdf_output.hpp"
#include "store/paths.hpp"
#include "store/store.hpp"

namespace myo::gui {

std::string fhir_file_name(const Assessment& a) {
    return fileio::safe_file_part(a.patient.id) + "-" + a.date + "-fhir.json";
}

FhirInputs read_fhir_inputs(store::Store& store) {
    return FhirInputs{read_letterhead(store), store.fhir_patient_id_system()};
}

void write_local_fhir(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      const std::string& path, const FhirInputs& inputs,
                      const std::vector<std::string>& protect) {
    fhir::ExportOptions options;
    if (!inputs.patient_id_system.empty()) {
        options.patient_id_system = inputs.patient_id_system;
    }
    options.timestamp = fhir::now_instant();
    options.referral_pdf = pdf_bytes(defs, a, e, PdfKind::Referral, inputs.letterhead);
    const std::string text = fhir::export_bundle(defs, a, e, options).dump(1) + "\n";
    fileio::ProtectedSet set;
    for (const auto& p : protect) {
        store::protect_database(set, p);
    }
    fileio::write_file(path, text, set, fileio::Existing::Refuse,
                       "an export never overwrites a file");
}

void record_fhir(store::Store& store, const std::string& patient_id,
                 std::optional<std::int64_t> assessment, const std::string& path) {
    if (!store.read_only()) {
        store.record_event(store::audit_action::kExport, {patient_id, assessment},
                           "exported as FHIR to " + path);
    }
}

}  // namespace myo::gui
