#include "report/pdf_document.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <hpdf.h>

#include "fileio/output_file.hpp"
#include "report/report_error.hpp"

namespace myo::report {

namespace {

// Filled by the libharu error handler; read by the C++ side after each call.
struct ErrorState {
    bool failed = false;
    HPDF_STATUS error = 0;
    HPDF_STATUS detail = 0;
};

extern "C" void record_error(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
    auto* state = static_cast<ErrorState*>(user_data);
    // Keep the first error: later ones are usually consequences of it.
    if (!state->failed) {
        state->failed = true;
        state->error = error;
        state->detail = detail;
    }
}

struct Run {
    std::size_t face = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

}  // namespace

struct PdfDocument::Impl {
    const FontSet& fonts;
    ErrorState state;
    HPDF_Doc doc = nullptr;
    // Loaded fonts per style and face; null until a character needs that face.
    std::vector<HPDF_Font> loaded[2];
    bool rendered = false;

    // The fill and stroke colours of a path or circle; absent ones are left as they are.
    void set_colours(HPDF_Page page, const std::optional<Colour>& fill,
                     const std::optional<Colour>& stroke) {
        const auto real = [](double v) { return static_cast<HPDF_REAL>(v); };
        if (fill) {
            check(HPDF_Page_SetRGBFill(page, real(fill->r), real(fill->g), real(fill->b)),
                  "fill colour");
        }
        if (stroke) {
            check(HPDF_Page_SetRGBStroke(page, real(stroke->r), real(stroke->g), real(stroke->b)),
                  "stroke colour");
        }
    }

    explicit Impl(const FontSet& f) : fonts(f) {}

    void check(const char* what) const {
        if (state.failed) {
            char code[64];
            std::snprintf(code, sizeof code, "0x%04X (detail %u)",
                          static_cast<unsigned>(state.error), static_cast<unsigned>(state.detail));
            throw ReportError(std::string("PDF library error ") + code + " in " + what);
        }
    }
    void check(HPDF_STATUS status, const char* what) {
        if (status != HPDF_OK && !state.failed) {
            record_error(status, 0, &state);
        }
        check(what);
    }

    HPDF_Font font(FontStyle style, std::size_t face) {
        auto& slots = loaded[static_cast<int>(style)];
        if (slots.size() <= face) {
            slots.resize(face + 1, nullptr);
        }
        if (!slots[face]) {
            // Checks the file against its recorded hash before libharu parses it.
            (void)fonts.faces(style)[face].coverage();
            const auto& file = fonts.faces(style)[face].file();
            const char* name = HPDF_LoadTTFontFromFile(doc, file.c_str(), HPDF_TRUE);
            check("loading the font");
            if (!name) {
                throw ReportError("cannot load the font " + file.string());
            }
            slots[face] = HPDF_GetFont(doc, name, "UTF-8");
            check("selecting the font");
        }
        return slots[face];
    }

    // Splits text into runs, each drawn with the first face that has all its characters.
    std::vector<Run> runs(std::string_view text, FontStyle style) const {
        std::vector<Run> out;
        const auto& faces = fonts.faces(style);
        const std::string s(text);
        std::size_t i = 0;
        while (i < s.size()) {
            const std::size_t start = i;
            const char32_t c = next_char(s, i);
            std::size_t face = 0;
            while (face < faces.size() && !faces[face].coverage().has(c)) {
                ++face;
            }
            if (face == faces.size()) {
                throw ReportError("the character " + describe_char(c) + " in \"" + s +
                                  "\" cannot be printed: no report font has it");
            }
            if (!out.empty() && out.back().face == face) {
                out.back().end = i;
            } else {
                out.push_back({face, start, i});
            }
        }
        return out;
    }
};

PdfDocument::PdfDocument(const FontSet& fonts) : impl_(std::make_unique<Impl>(fonts)) {
    impl_->doc = HPDF_New(record_error, &impl_->state);
    if (!impl_->doc) {
        throw ReportError("the PDF library could not start a document (out of memory?)");
    }
    impl_->check(HPDF_SetCompressionMode(impl_->doc, HPDF_COMP_ALL), "setting compression");
    impl_->check(HPDF_UseUTFEncodings(impl_->doc), "enabling UTF-8");
    impl_->check(HPDF_SetCurrentEncoder(impl_->doc, "UTF-8"), "selecting UTF-8");
    impl_->font(FontStyle::Regular, 0);
}

PdfDocument::~PdfDocument() {
    if (impl_ && impl_->doc) {
        HPDF_Free(impl_->doc);
    }
}

void PdfDocument::check_text(std::string_view text, FontStyle style) {
    (void)impl_->runs(text, style);
}

double PdfDocument::text_width(std::string_view text, FontStyle style, double size) {
    // From the metrics read once per process: no libharu call per word.
    const auto& faces = impl_->fonts.faces(style);
    unsigned units = 0;
    std::size_t i = 0;
    const std::string s(text);
    while (i < s.size()) {
        const char32_t c = next_char(s, i);
        std::size_t face = 0;
        while (face < faces.size() && !faces[face].coverage().has(c)) {
            ++face;
        }
        if (face == faces.size()) {
            throw ReportError("the character " + describe_char(c) + " in \"" + s +
                              "\" cannot be printed: no report font has it");
        }
        units += faces[face].coverage().advance(c);
    }
    return static_cast<double>(units) * size / 1000.0;
}

std::string PdfDocument::render(const std::vector<PageOps>& pages, double width, double height,
                                const std::string& title) {
    if (impl_->rendered) {
        throw ReportError("a PDF document can be rendered only once");
    }
    impl_->rendered = true;
    HPDF_Doc doc = impl_->doc;
    // Generic metadata only: libharu writes Info values unescaped, and patient data does not
    // belong in metadata that file managers and indexers show (reliability-notes 5.4, 6.3).
    impl_->check(HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, title.c_str()), "setting the title");
    impl_->check(HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "MyoScreen"), "setting the creator");

    for (const PageOps& page_ops : pages) {
        HPDF_Page page = HPDF_AddPage(doc);
        impl_->check("adding a page");
        impl_->check(HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(width)), "sizing a page");
        impl_->check(HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(height)), "sizing a page");
        const auto real = [](double v) { return static_cast<HPDF_REAL>(v); };
        for (const Op& op : page_ops.ops) {
            if (const auto* t = std::get_if<TextOp>(&op)) {
                if (t->text.empty()) {
                    continue;
                }
                impl_->check(HPDF_Page_SetRGBFill(page, real(t->colour.r), real(t->colour.g),
                                                  real(t->colour.b)),
                             "setting a colour");
                impl_->check(HPDF_Page_BeginText(page), "starting text");
                double x = t->at.x;
                for (const Run& run : impl_->runs(t->text, t->style)) {
                    const std::string piece = t->text.substr(run.begin, run.end - run.begin);
                    HPDF_Font font = impl_->font(t->style, run.face);
                    impl_->check(HPDF_Page_SetFontAndSize(page, font, real(t->size)),
                                 "setting the font");
                    impl_->check(HPDF_Page_TextOut(page, real(x), real(t->at.y), piece.c_str()),
                                 "writing text");
                    x += text_width(piece, t->style, t->size);
                }
                impl_->check(HPDF_Page_EndText(page), "ending text");
            } else if (const auto* p = std::get_if<PathOp>(&op)) {
                impl_->check(HPDF_Page_SetLineWidth(page, real(p->line_width)), "line width");
                impl_->check(HPDF_Page_SetLineJoin(page, HPDF_ROUND_JOIN), "line join");
                impl_->set_colours(page, p->fill, p->stroke);
                // Set before the path is begun: libharu refuses it inside path construction.
                if (!p->dash.empty()) {
                    std::vector<HPDF_UINT16> pattern;
                    for (unsigned d : p->dash) {
                        pattern.push_back(static_cast<HPDF_UINT16>(d));
                    }
                    // libharu takes at most 8 lengths.
                    impl_->check(
                        HPDF_Page_SetDash(
                            page, pattern.data(),
                            static_cast<HPDF_UINT>(std::min<std::size_t>(pattern.size(), 8)), 0),
                        "dash");
                }
                for (const auto& sub : p->subpaths) {
                    if (sub.size() < 2) {
                        continue;
                    }
                    impl_->check(HPDF_Page_MoveTo(page, real(sub[0].x), real(sub[0].y)), "path");
                    for (std::size_t i = 1; i < sub.size(); ++i) {
                        impl_->check(HPDF_Page_LineTo(page, real(sub[i].x), real(sub[i].y)),
                                     "path");
                    }
                    if (p->closed) {
                        impl_->check(HPDF_Page_ClosePath(page), "path");
                    }
                }
                HPDF_STATUS s = HPDF_OK;
                if (p->fill && p->stroke && p->closed) {
                    s = HPDF_Page_FillStroke(page);
                } else if (p->fill && p->closed) {
                    s = HPDF_Page_Fill(page);
                } else {
                    s = HPDF_Page_Stroke(page);
                }
                impl_->check(s, "painting a path");
                if (!p->dash.empty()) {
                    impl_->check(HPDF_Page_SetDash(page, nullptr, 0, 0), "dash");
                }
            } else if (const auto* c = std::get_if<CircleOp>(&op)) {
                impl_->check(HPDF_Page_SetLineWidth(page, real(c->line_width)), "line width");
                impl_->set_colours(page, c->fill, c->stroke);
                impl_->check(
                    HPDF_Page_Circle(page, real(c->centre.x), real(c->centre.y), real(c->radius)),
                    "circle");
                HPDF_STATUS s = c->fill && c->stroke ? HPDF_Page_FillStroke(page)
                                : c->fill            ? HPDF_Page_Fill(page)
                                                     : HPDF_Page_Stroke(page);
                impl_->check(s, "painting a circle");
            }
        }
    }

    impl_->check(HPDF_SaveToStream(doc), "saving");
    const HPDF_UINT32 size = HPDF_GetStreamSize(doc);
    impl_->check("measuring the output");
    impl_->check(HPDF_ResetStream(doc), "rewinding the output");
    std::string bytes(size, '\0');
    HPDF_UINT32 got = size;
    HPDF_STATUS s = HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &got);
    // ReadFromStream reports end-of-stream as a status when it has read everything.
    if (s != HPDF_OK && s != HPDF_STREAM_EOF) {
        impl_->check(s, "reading the output");
    }
    bytes.resize(got);
    return bytes;
}

std::string clean_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const std::string s(text);
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        const char32_t c = next_char(s, i);
        if (c == '\t') {
            out += ' ';
        } else if (c == '\n') {
            out += '\n';
        } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            continue;
        } else if (c == 0xFFFD && s.compare(start, 3, "\xEF\xBF\xBD") != 0) {
            out += "\xEF\xBF\xBD";
        } else {
            out.append(s, start, i - start);
        }
    }
    return out;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
    // The one writer of user-named files (fileio): refuses folders, pipes, devices and links to
    // nothing; a SIGKILL leaves no temporary behind. The callers that know the database and the
    // input files (cli, gui) pass them to fileio::write_file themselves.
    try {
        fileio::write_file(path, bytes, {}, fileio::Existing::ReplacePdf);
    } catch (const fileio::OutputRefused& e) {
        throw ReportError(e.what());
    } catch (const fileio::OutputError& e) {
        throw ReportError(e.what());
    }
}

}  // namespace myo::report
