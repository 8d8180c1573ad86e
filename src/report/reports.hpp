#pragma once
// The PDF reports (issue 4): the referral note and the patient handout. Everything here takes
// core's Assessment and Evaluation as they are; no score or rule is computed in report code.
//
//   auto res = myo::report::load_report_resources(defs);          // once per process
//   myo::report::write_referral(res, assessment, evaluation, {"Clinic", "Dr X"}, "out.pdf");

#include <filesystem>
#include <optional>
#include <string>

#include "core/assessment.hpp"
#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "report/fonts.hpp"
#include "report/report_error.hpp"
#include "report/report_text.hpp"

namespace myo::report {

enum class ReportKind { Referral, Handout };
std::optional<ReportKind> parse_report_kind(const std::string& id);  // "referral" | "handout"
const char* report_kind_id(ReportKind kind);

// The letterhead (from the store's settings, or --clinic / --clinician). Empty fields fall
// back to the assessment's clinician and the report text's default clinic line.
struct ReportSettings {
    std::string clinic;
    std::string clinician;
    std::string clinic_address;  // may hold several lines
};

// What every report needs, loaded once: the definitions, the body chart, the report texts
// and the fonts. Keep it alive while making reports; it is read-only and thread-compatible.
struct ReportResources {
    const Definitions* defs = nullptr;
    BodyChart chart;
    ReportText referral;
    ReportText handout;
    FontSet fonts;
};

// Reads <forms>/bodychart.json, the reports/ folder beside the forms and the fonts.
// Throws DefinitionError (a file is wrong; print e.lines()) or ReportError (fonts missing).
ReportResources load_report_resources(const Definitions& defs);

// The PDF as bytes. Throws ReportError (e.g. a character no font has, naming it).
std::string make_report(const ReportResources& res, ReportKind kind, const Assessment& a,
                        const Evaluation& e, const ReportSettings& settings);

// Writes the PDF through a temporary file in the same folder and renames it on success, so
// a failure never leaves a partial file. Throws ReportError.
void write_report(const ReportResources& res, ReportKind kind, const Assessment& a,
                  const Evaluation& e, const ReportSettings& settings,
                  const std::filesystem::path& path);

inline void write_referral(const ReportResources& res, const Assessment& a, const Evaluation& e,
                           const ReportSettings& s, const std::filesystem::path& path) {
    write_report(res, ReportKind::Referral, a, e, s, path);
}
inline void write_handout(const ReportResources& res, const Assessment& a, const Evaluation& e,
                          const ReportSettings& s, const std::filesystem::path& path) {
    write_report(res, ReportKind::Handout, a, e, s, path);
}

// The names the report texts must define (used to check reports/*.json at load time).
const std::vector<std::string>& referral_sections();
const std::vector<std::string>& handout_sections();

}  // namespace myo::report
