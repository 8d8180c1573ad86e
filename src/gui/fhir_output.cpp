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

void write_fhir(const Definitions& defs, const Assessment& a, const Evaluation& e,
                const std::string& path, store::Store& store,
                std::optional<std::int64_t> assessment) {
    fhir::ExportOptions options;
    if (const auto system = store.fhir_patient_id_system(); !system.empty()) {
        options.patient_id_system = system;
    }
    options.timestamp = fhir::now_instant();
    options.referral_pdf = pdf_bytes(defs, a, e, PdfKind::Referral, store);
    const std::string text = fhir::export_bundle(defs, a, e, options).dump(1) + "\n";
    fileio::ProtectedSet protect;
    store::protect_database(protect, store.path());
    fileio::write_file(path, text, protect, fileio::Existing::Refuse,
                       "an export never overwrites a file");
    if (!store.read_only()) {
        store.record_event(store::audit_action::kExport, {a.patient.id, assessment},
                           "exported as FHIR to " + path);
    }
}

}  // namespace myo::gui
