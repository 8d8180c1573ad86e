#pragma once
// HL7 FHIR R4 exchange of one assessment (issue 16; the Bundle is documented in the README,
// "FHIR export and import").
//
//   Json bundle = myo::fhir::export_bundle(defs, assessment, evaluate(defs, assessment), opts);
//   myo::fhir::Imported in = myo::fhir::import_bundle(defs, text);  // throws fhir::ImportError
//
// The export is a Bundle of type "document" (Composition first). Every resource has a urn:uuid
// fullUrl derived from the assessment's content, so the same assessment always gives the same
// Bundle apart from its timestamp, and every reference resolves inside the Bundle.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "core/problem.hpp"

namespace myo::fhir {

// MyoScreen's canonical URLs (stable: receivers key on them). The codes of both CodeSystems are
// documented in the README ("FHIR export and import"); every coding also carries its display.
inline constexpr const char* kBase = "https://myoscreen.org/fhir";
inline constexpr const char* kQuestionnaireUrl =
    "https://myoscreen.org/fhir/Questionnaire/assessment";
inline constexpr const char* kCodeSystemUrl = "https://myoscreen.org/fhir/CodeSystem/myoscreen";
inline constexpr const char* kChoicesUrl = "https://myoscreen.org/fhir/CodeSystem/answer-choices";
// The identifier system of a patient id when the clinic has set none (a URN, not a guess at
// the clinic's own URI).
inline constexpr const char* kDefaultPatientIdSystem = "urn:myoscreen:patient-id";
// The largest FHIR file read (the Bundle carries the referral PDF in base64).
inline constexpr std::size_t kMaxFhirBytes = 32 * 1024 * 1024;

struct ExportOptions {
    std::string patient_id_system = kDefaultPatientIdSystem;
    std::string timestamp;  // FHIR instant of the export, e.g. 2026-12-01T20:00:00Z
    std::optional<std::string> referral_pdf;  // bytes; nullopt: no DocumentReference
};

// The current time as a FHIR instant (UTC, seconds).
std::string now_instant();

// The Questionnaire generated from forms/assessment.json (canonical URL, version = form version).
Json questionnaire(const Definitions& defs);

// The Bundle. The assessment must be valid and `e` its evaluation.
Json export_bundle(const Definitions& defs, const Assessment& a, const Evaluation& e,
                   const ExportOptions& options);

// A FHIR file that cannot be imported: each problem names the FHIR path (FHIRPath-like,
// "Bundle.entry[3].resource.item[0].answer[0]") or the assessment field it would become.
class ImportError : public ProblemsError {
  public:
    using ProblemsError::ProblemsError;
};

// Reads a Bundle holding one QuestionnaireResponse made against our Questionnaire (its subject a
// Patient in the Bundle) into an assessment, checked like every other input. `file` names the
// input in problems. Throws ImportError.
Assessment import_bundle(const Definitions& defs, std::string_view text, const std::string& file);

}  // namespace myo::fhir
