#include "gui/pdf_output.hpp"

#include <filesystem>
#include <map>
#include <memory>

#include "report/reports.hpp"
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

}  // namespace

std::string pdf_file_name(const Assessment& a, PdfKind kind) {
    std::string id;
    for (char c : a.patient.id) {
        bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
        id += safe ? c : '_';
    }
    return id + "-" + a.date + (kind == PdfKind::Referral ? "-referral.pdf" : "-handout.pdf");
}

std::string write_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const std::string& folder, store::Store& store) {
    std::filesystem::path dir =
        folder.empty() ? std::filesystem::current_path() : std::filesystem::path(folder);
    std::filesystem::create_directories(dir);
    std::filesystem::path out = dir / pdf_file_name(a, kind);
    store::Settings s = store.load_settings();
    report::ReportSettings letterhead;
    letterhead.clinic = s.clinic_name;
    letterhead.clinician = s.clinician_name;
    letterhead.clinic_address = s.clinic_address;
    report::write_report(
        resources(defs),
        kind == PdfKind::Referral ? report::ReportKind::Referral : report::ReportKind::Handout, a,
        e, letterhead, out);
    return out.string();
}

}  // namespace myo::gui
