#pragma once
// The two PDFs the assessment screen writes, through src/report (the same code as the CLI).

#include <string>

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
std::string write_pdf(const Definitions& defs, const Assessment& a, const Evaluation& e,
                      PdfKind kind, const std::string& folder, store::Store& store);

// The file name alone, with characters that are unsafe in file names replaced.
std::string pdf_file_name(const Assessment& a, PdfKind kind);

}  // namespace myo::gui
