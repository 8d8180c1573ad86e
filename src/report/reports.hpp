#pragma once
// The PDF reports: the referral note and the patient handout (issue 4), and the progress
// report between visits (issue 6). Everything here takes core's Assessment, Evaluation and
// Comparison as they are; no score, rule or change is computed in report code.
//
//   auto res = myo::report::load_report_resources(defs);          // once per process
//   myo::report::write_referral(res, assessment, evaluation, {"Clinic", "Dr X"}, "out.pdf");
//   myo::report::write_progress(res, compare_visits(defs, visits), {"Clinic", "Dr X"}, "p.pdf");

#include <filesystem>
#include <optional>
#include <string>

#include "core/assessment.hpp"
#include "core/bodychart.hpp"
#include "core/comparison.hpp"
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
// back to the assessment's clinician (the progress report has no single assessment: it then
// names no clinician) and the report text's default clinic line.
struct ReportSettings {
    std::string clinic;
    std::string clinician;
    std::string clinic_address;  // may hold several lines
    // PDF/A-1b (issue 15), what hospital archives ask for; off only for `--pdfa off`.
    bool pdfa = true;
};

// What every report needs, loaded once: the definitions, the body chart, the report texts
// and the fonts. Keep it alive while making reports; it is read-only and thread-compatible.
struct ReportResources {
    const Definitions* defs = nullptr;
    BodyChart chart;
    ReportText referral;
    ReportText handout;
    ReportText progress;
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

// The progress report (issue 6) of a comparison of two or more visits: the letterhead and
// patient, the visits compared, every measure at baseline, previous and latest visit with its
// change and whether that is clinically important (in words), line charts across all visits,
// the baseline and latest body charts side by side, and the thresholds with their sources.
// As bytes; throws ReportError.
std::string make_progress_report(const ReportResources& res, const Comparison& c,
                                 const ReportSettings& settings);
// Through a temporary file and a rename, as write_report. Throws ReportError.
void write_progress(const ReportResources& res, const Comparison& c, const ReportSettings& settings,
                    const std::filesystem::path& path);

// The names the report texts must define (used to check reports/*.json at load time).
const std::vector<std::string>& referral_sections();
const std::vector<std::string>& handout_sections();
const std::vector<std::string>& progress_sections();

}  // namespace myo::report
