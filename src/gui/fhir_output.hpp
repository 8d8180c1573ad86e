#pragma once
// File > Export FHIR... (issue 16): the open visit as an HL7 FHIR R4 Bundle, through src/fhir
// (the same code as `myoscreen-cli export --fhir`), with the referral note PDF in it.

#include <cstdint>
#include <optional>
#include <string>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo::store {
class Store;
}

namespace myo::gui {

// "<patient id>-<visit date>-fhir.json": the name the save dialog proposes.
std::string fhir_file_name(const Assessment& a);

// Writes the Bundle to `path`, never over an existing file nor the database (the message says
// so), and records the export in the audit trail unless the store is read-only. Throws
// std::exception with a sentence for the user.
void write_fhir(const Definitions& defs, const Assessment& a, const Evaluation& e,
                const std::string& path, store::Store& store,
                std::optional<std::int64_t> assessment = std::nullopt);

}  // namespace myo::gui
