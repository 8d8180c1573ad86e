#pragma once
// A small RAII wrapper over one libharu document (design.md 2, after Wt's WPdfImage): the
// libharu error handler only records the error; the C++ side checks after each call and
// throws ReportError, so no exception ever crosses libharu's C frames. Any error discards the
// document. hpdf.h is not included here, so callers (GUI, CLI) need no libharu headers.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "report/display_list.hpp"
#include "report/fonts.hpp"

namespace myo::report {

// A4 in points.
inline constexpr double kA4Width = 595.276;
inline constexpr double kA4Height = 841.89;

class PdfDocument {
  public:
    explicit PdfDocument(const FontSet& fonts);
    ~PdfDocument();
    PdfDocument(const PdfDocument&) = delete;
    PdfDocument& operator=(const PdfDocument&) = delete;

    // Width in points of text set in one style and size, with fallback fonts for characters
    // the first font lacks. Throws ReportError naming any character no font can draw.
    double text_width(std::string_view text, FontStyle style, double size);
    // The width of each character of `text` as drawn in context (Arabic joined forms); a
    // letter merged into a ligature with the one before it counts 0. In one pass, so
    // breaking a long word stays linear in its length.
    std::vector<double> char_widths(std::u32string_view text, FontStyle style, double size);
    // Throws ReportError if some character of text has no glyph in any font.
    void check_text(std::string_view text, FontStyle style);

    // Renders the pages and returns the PDF bytes. Can be called once. `title` goes into the
    // metadata, so it must be generic (no patient data). With `pdfa` the file is PDF/A-1b
    // (pdfa.hpp): complete font descriptors, sRGB output intent, XMP metadata, file ID.
    std::string render(const std::vector<PageOps>& pages, double width, double height,
                       const std::string& title, bool pdfa = true);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Text safe for the PDF: tabs become spaces, other control characters and the invisible
// format characters (soft hyphen, zero-width space and joiners, bidi marks and overrides,
// byte-order mark) are removed, the rest is composed (NFC), and malformed UTF-8 becomes
// U+FFFD (which then fails the glyph check, naming itself).
std::string clean_text(std::string_view text);

// Writes bytes to path through fileio::write_file (an unnamed temporary linked into place), so
// a failure or a kill never leaves a partial, truncated or stray file, and a folder, pipe or
// device is refused. Throws ReportError.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace myo::report
