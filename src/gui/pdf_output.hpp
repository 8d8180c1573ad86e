#pragma once
// The PDFs the app writes, through src/report (the same code as the CLI): the referral note
// and the handout from the assessment screen, the progress report from the Progress view.
// Each PDF written is recorded in the audit trail ("pdf") unless the store is read-only.

#include <cstdint>
#include <optional>
#include <string>

#include "core/comparison.hpp"

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo::store {
class Store;
}

namespace myo::gui {

enum class PdfKind { Referral, Handout };

// "<patient id>-<visit date>-referral.pdf" in `folder` (created if missing). Returns the path
// written. Throws (ReportError, std::runtime_error) with a sentence for the user.
// `assessment` is the stored assessment's number, named in the audit row.
std::string write_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const std::string& folder, store::Store& store,
                      std::optional<std::int64_t> assessment = std::nullopt);

// "<patient id>-<latest visit date>-progress.pdf" in `folder`, as write_pdf.
std::string write_progress_pdf(const Definitions& defs, const Comparison& c,
                               const std::string& folder, store::Store& store);

// The file name alone, with characters that are unsafe in file names replaced.
std::string pdf_file_name(const Assessment& a, PdfKind kind);
std::string progress_file_name(const Comparison& c);

}  // namespace myo::gui
