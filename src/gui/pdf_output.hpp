#pragma once
// The PDFs the app writes, through src/report (the same code as the CLI): the referral note
// and the handout from the assessment screen, the progress report from the Progress view.
// Each PDF written is recorded in the audit trail ("pdf") unless the store is read-only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/comparison.hpp"

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo::store {
class Store;
}

namespace myo::gui {

enum class PdfKind { Referral, Handout };

// "<patient id>-<visit date>-visit<N>-v<version>-referral.pdf" in `folder` (created if
// missing): the name carries the visit and its version (an amendment), so a follow-up's letter
// on the same day never takes the initial visit's name. A report never replaces another file:
// when the name exists the PDF becomes "... (2).pdf", "... (3).pdf". Returns the path written.
// Throws (ReportError, std::runtime_error) with a sentence for the user. `assessment` is the
// stored assessment's number, named in the audit row and (through the store) in the name.
std::string write_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const std::string& folder, store::Store& store,
                      std::optional<std::int64_t> assessment = std::nullopt);

// The database's own files on this computer, which an output never overwrites: the SQLite
// file (and, through protect_database, its companions), none for a clinic server (whose
// Store has no path: asking it threw, so the Progress PDF and the FHIR export failed there).
std::vector<std::string> local_database_files(const store::Store& store);

// The letterhead of the PDFs (the practice settings): what write_local_pdf is given.
struct Letterhead {
    std::string clinic;
    std::string clinician;
    std::string clinic_address;
};
Letterhead read_letterhead(store::Store& store);

// As write_pdf, without a store (issue 14: an editor whose server is away writes from its local
// copy): the letterhead and the visit's number as the editor last read them (no visit: a
// visit created offline, which has no number yet: the name says none), never over `protect`'s
// files (the offline journal). Records nothing: the caller records the PDF in the trail when
// it can.
std::string write_local_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                            PdfKind kind, const std::string& folder, const Letterhead& letterhead,
                            std::optional<std::int64_t> visit, int version,
                            const std::vector<std::string>& protect);

// The PDF as bytes with the store's letterhead, written nowhere (the FHIR export carries the
// referral note inside its Bundle).
std::string pdf_bytes(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const Letterhead& letterhead);

// "<patient id>-<latest visit date>-progress.pdf" in `folder`, as write_pdf (never over
// another file, nor `protect`'s: the database's), with the letterhead as read (issue 14: on
// the window's read worker). Records nothing (record_pdf does).
std::string write_local_progress_pdf(const Definitions& defs, const Comparison& c,
                                     const std::string& folder, const Letterhead& letterhead,
                                     const std::vector<std::string>& protect);

// The audit trail's row for a PDF written (issue 7: a PDF carries patient data out of the
// database), "<what> PDF written to <path>"; nothing on a read-only store.
void record_pdf(store::Store& store, const std::string& patient_id,
                std::optional<std::int64_t> assessment, const std::string& what,
                const std::string& path);

// Which stored visit and version a PDF is of (the store's AssessmentInfo visit and version).
struct VisitVersion {
    std::int64_t visit = 0;
    int version = 1;
};

// The file name the application chooses, without ".pdf" and before any " (2)", with
// characters that are unsafe in file names replaced.
std::string pdf_file_stem(const Assessment& a, PdfKind kind,
                          std::optional<VisitVersion> visit = std::nullopt);
std::string progress_file_stem(const Comparison& c);

}  // namespace myo::gui
