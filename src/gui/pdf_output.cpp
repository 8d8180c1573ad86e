#include "gui/pdf_output.hpp"

#include <filesystem>
#include <map>
#include <memory>

#include "fileio/output_file.hpp"
#include "report/report_error.hpp"
#include "report/reports.hpp"
#include "store/paths.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

// Fonts, report texts and the body chart are read once per process (loading them takes
// longer than making a report).
const report::ReportResources& resources(const Definitions& defs) {
    static std::map<const Definitions*, std::unique_ptr<report::ReportResources>> cache;
    auto& slot = cache[&defs];
    if (!slot) {
        slot = std::make_unique<report::ReportResources>(report::load_report_resources(defs));
    }
    return *slot;
}

std::string safe_id(const std::string& patient_id) {
    return fileio::safe_file_part(patient_id);
}

// The GUI's PDFs go through the same writer as the command line's: never over the database,
// its companions or backups, nor over anything at all: the name is the application's choice,
// not the user's, so an existing file (an earlier letter) keeps it and this one is numbered.
std::filesystem::path write_pdf_file(const std::filesystem::path& folder, const std::string& stem,
                                     const std::string& pdf, store::Store& store) {
    fileio::ProtectedSet protect;
    store::protect_database(protect, store.path());
    try {
        return fileio::write_new_file(folder, stem, ".pdf", pdf, protect);
    } catch (const fileio::OutputRefused& e) {
        throw report::ReportError(e.what());
    } catch (const fileio::OutputError& e) {
        throw report::ReportError(e.what());
    }
}

report::ReportSettings report_settings(const Letterhead& l) {
    report::ReportSettings out;
    out.clinic = l.clinic;
    out.clinician = l.clinician;
    out.clinic_address = l.clinic_address;
    return out;
}

std::filesystem::path output_folder(const std::string& folder) {
    std::filesystem::path dir =
        folder.empty() ? std::filesystem::current_path() : std::filesystem::path(folder);
    std::filesystem::create_directories(dir);
    return dir;
}

fileio::ProtectedSet protected_set(const std::vector<std::string>& protect) {
    fileio::ProtectedSet set;
    for (const auto& p : protect) {
        store::protect_database(set, p);
    }
    return set;
}

}  // namespace

std::vector<std::string> local_database_files(const store::Store& store) {
    if (store.on_server()) {
        return {};
    }
    return {store.path().string()};
}

void record_pdf(store::Store& store, const std::string& patient_id,
                std::optional<std::int64_t> assessment, const std::string& what,
                const std::string& path) {
    // A read-only instance cannot write the trail; the PDF is still made (the writer's trail
    // cannot know).
    if (!store.read_only()) {
        store.record_event(store::audit_action::kPdf, {patient_id, assessment},
                           what + " PDF written to " + path);
    }
}

Letterhead read_letterhead(store::Store& store) {
    store::Settings s = store.load_settings();
    return Letterhead{s.clinic_name, s.clinician_name, s.clinic_address};
}

std::string write_local_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                            PdfKind kind, const std::string& folder, const Letterhead& letterhead,
                            std::optional<std::int64_t> visit, int version,
                            const std::vector<std::string>& protect) {
    fileio::ProtectedSet set = protected_set(protect);
    std::optional<VisitVersion> named;
    if (visit) {
        named = VisitVersion{*visit, version};
    }
    const std::string bytes = report::make_report(
        resources(defs),
        kind == PdfKind::Referral ? report::ReportKind::Referral : report::ReportKind::Handout, a,
        e, report_settings(letterhead));
    try {
        return fileio::write_new_file(output_folder(folder), pdf_file_stem(a, kind, named), ".pdf",
                                      bytes, set)
            .string();
    } catch (const fileio::OutputRefused& err) {
        throw report::ReportError(err.what());
    } catch (const fileio::OutputError& err) {
        throw report::ReportError(err.what());
    }
}

std::string progress_file_stem(const Comparison& c) {
    return safe_id(c.patient.id) + "-" + c.latest.date + "-progress";
}

std::string write_local_progress_pdf(const Definitions& defs, const Comparison& c,
                                     const std::string& folder, const Letterhead& letterhead,
                                     const std::vector<std::string>& protect) {
    const std::string bytes =
        report::make_progress_report(resources(defs), c, report_settings(letterhead));
    try {
        return fileio::write_new_file(output_folder(folder), progress_file_stem(c), ".pdf", bytes,
                                      protected_set(protect))
            .string();
    } catch (const fileio::OutputRefused& err) {
        throw report::ReportError(err.what());
    } catch (const fileio::OutputError& err) {
        throw report::ReportError(err.what());
    }
}

std::string pdf_bytes(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const Letterhead& letterhead) {
    return report::make_report(
        resources(defs),
        kind == PdfKind::Referral ? report::ReportKind::Referral : report::ReportKind::Handout, a,
        e, report_settings(letterhead));
}

std::string pdf_file_stem(const Assessment& a, PdfKind kind, std::optional<VisitVersion> visit) {
    std::string stem = safe_id(a.patient.id) + "-" + a.date;
    if (visit) {
        stem += "-visit" + std::to_string(visit->visit) + "-v" + std::to_string(visit->version);
    }
    return stem + (kind == PdfKind::Referral ? "-referral" : "-handout");
}

std::string write_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const std::string& folder, store::Store& store,
                      std::optional<std::int64_t> assessment) {
    std::optional<VisitVersion> visit;
    if (assessment) {
        const store::AssessmentInfo info = store.info(*assessment);
        visit = VisitVersion{info.visit, info.version};
    }
    const std::filesystem::path out =
        write_pdf_file(output_folder(folder), pdf_file_stem(a, kind, visit),
                       pdf_bytes(defs, a, e, kind, read_letterhead(store)), store);
    record_pdf(store, a.patient.id, assessment, kind == PdfKind::Referral ? "referral" : "handout",
               out.string());
    return out.string();
}

}  // namespace myo::gui
