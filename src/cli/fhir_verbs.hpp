#pragma once
// The FHIR R4 exchange from the command line (issue 16): `fhir FILE`, `export --fhir` and
// `import --fhir`. The Bundle itself is built and read in src/fhir.

#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "store/store.hpp"

namespace myo::cli {

struct FhirExportOptions {
    std::string id_system;  // empty: the store's setting, else fhir::kDefaultPatientIdSystem
    bool referral = true;   // the referral note PDF as a DocumentReference
};

// fhir FILE: the Bundle of an assessment file, on standard output or -o.
void add_fhir_command(CLI::App& app, Context& ctx, Runner& runner);

// export --fhir: one assessment (to `out`, a file; empty: standard output) or every final
// visit of a patient (one file each in the folder `out`, default the current folder).
int export_fhir(Context& ctx, store::Store& store, const std::vector<store::AssessmentInfo>& items,
                bool single, const std::string& out, const FhirExportOptions& options);

// import --fhir: every file read and checked first, then each stored as a new draft.
int import_fhir(Context& ctx, const std::vector<std::string>& files);

}  // namespace myo::cli
