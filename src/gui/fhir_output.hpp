#pragma once
// File > Export FHIR... (issue 16): the open visit as an HL7 FHIR R4 Bundle, through src/fhir
// (the same code as `myoscreen-cli export --fhir`), with the referral note PDF in it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "gui/pdf_output.hpp"

namespace myo::store {
class Store;
}

namespace myo::gui {

// "<patient id>-<visit date>-fhir.json": the name the save dialog proposes.
std::string fhir_file_name(const Assessment& a);

// What an export reads from the store: the letterhead of its referral note and the clinic's
// patient id system (issue 14: read on the window's read worker on a clinic server).
struct FhirInputs {
    Letterhead letterhead;
    std::string patient_id_system;
};
FhirInputs read_fhir_inputs(store::Store& store);

// Writes the Bundle to `path`, never over an existing file nor over `protect`'s files (the
// database; the message says so). Records nothing (record_fhir does). Throws std::exception
// with a sentence for the user.
void write_local_fhir(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      const std::string& path, const FhirInputs& inputs,
                      const std::vector<std::string>& protect);

// The export's row in the audit trail; nothing on a read-only store.
void record_fhir(store::Store& store, const std::string& patient_id,
                 std::optional<std::int64_t> assessment, const std::string& path);

}  // namespace myo::gui
