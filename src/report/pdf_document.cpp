#include "report/pdf_document.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <hpdf.h>

#include <cstdlib>
#include <map>
#include <set>

#include "core/text_input.hpp"
#include "fileio/output_file.hpp"
#include "report/bidi_text.hpp"
#include "report/font_subset.hpp"
#include "report/pdfa.hpp"
#include "report/report_error.hpp"
#include "report/to_unicode.hpp"

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

// A stretch of drawn text set in one face.
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
    // One embedded subset per font file (a file shared by both styles, as Droid Sans
    // Fallback is, is embedded once), with the codes it draws; loaded at render time, when
    // every character of the document is known.
    struct Embedded {
        HPDF_Font font = nullptr;
        HPDF_FontDef def = nullptr;
        std::vector<char32_t> codes;
        unsigned cap_height = 0;  // thousandths of an em, for PDF/A's font descriptor
    };
    std::map<std::filesystem::path, Embedded> embedded;
    // The in-memory files libharu reads the subsets from: kept until the document is freed,
    // since libharu reads the glyphs again when it saves.
    std::vector<AnonymousFile> files;
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

    // The first face of `style` that draws c; throws ReportError naming c and `text`.
    std::size_t face_of(char32_t c, FontStyle style, std::u32string_view text) const {
        const auto& faces = fonts.faces(style);
        std::size_t face = 0;
        while (face < faces.size() && !(faces[face].may_have(c) && faces[face].coverage().has(c))) {
            ++face;
        }
        if (face == faces.size()) {
            // Quote at most 80 characters of the text: it may be a whole free-text note.
            const std::string shown = to_utf8(text.substr(0, 80)) + (text.size() > 80 ? "…" : "");
            throw ReportError("the character " + describe_char(c) + " in \"" + shown +
                              "\" cannot be printed: no report font has it");
        }
        return face;
    }

    // Splits drawn (visual) text into runs, each set in the face that draws its characters
    // in this document. Faces drawn from one font are one run: libharu skips a text of zero
    // width, so a combining mark alone in a run would be lost.
    std::vector<Run> runs(std::u32string_view text, FontStyle style) const {
        std::vector<Run> out;
        const auto& remap = drawn_with[static_cast<int>(style)];
        for (std::size_t i = 0; i < text.size(); ++i) {
            const std::size_t face = remap[face_of(text[i], style, text)];
            if (!out.empty() && out.back().face == face) {
                out.back().end = i + 1;
            } else {
                out.push_back({face, i, i + 1});
            }
        }
        return out;
    }

    // Thousandths of an em of drawn text in one style (each character in its own face).
    unsigned advance(std::u32string_view drawn, FontStyle style) const {
        const auto& faces = fonts.faces(style);
        unsigned units = 0;
        for (char32_t c : drawn) {
            units += faces[face_of(c, style, drawn)].coverage().advance(c);
        }
        return units;
    }

    // Per style, the face each face's characters are drawn with in this document: the
    // build-time DejaVu subset and the installed DejaVu share one PostScript name, and
    // libharu hands back the first font loaded under a name, so when a document needs the
    // installed font at all, all of that style's DejaVu text is drawn from it (it has every
    // glyph of the subset, with the same widths).
    std::vector<std::size_t> drawn_with[2];

    // Cuts each font the document uses down to its characters and loads it into libharu.
    void load_fonts(const std::vector<const TextOp*>& ops,
                    const std::vector<std::u32string>& drawn) {
        std::set<std::size_t> faces_used[2];
        for (std::size_t k = 0; k < ops.size(); ++k) {
            for (char32_t c : drawn[k]) {
                faces_used[static_cast<int>(ops[k]->style)].insert(
                    face_of(c, ops[k]->style, drawn[k]));
            }
        }
        for (int st = 0; st < 2; ++st) {
            const auto& faces = fonts.faces(static_cast<FontStyle>(st));
            auto& map = drawn_with[st];
            map.resize(faces.size());
            for (std::size_t f = 0; f < faces.size(); ++f) {
                map[f] = f;
                for (std::size_t later : faces_used[st]) {
                    if (later > f && faces[later].family() == faces[f].family()) {
                        map[f] = later;
                    }
                }
            }
        }
        std::map<std::filesystem::path, std::pair<const FontFace*, std::set<char32_t>>> used;
        for (std::size_t k = 0; k < ops.size(); ++k) {
            const int st = static_cast<int>(ops[k]->style);
            const auto& faces = fonts.faces(ops[k]->style);
            for (char32_t c : drawn[k]) {
                const FontFace& face = faces[drawn_with[st][face_of(c, ops[k]->style, drawn[k])]];
                auto& entry = used[face.file()];
                entry.first = &face;
                entry.second.insert(c);
            }
        }
        for (auto& [file, entry] : used) {
            std::vector<char32_t> codes(entry.second.begin(), entry.second.end());
            AnonymousFile ttf(subset_font(entry.first->bytes(), codes, file.string()));
            const char* name = HPDF_LoadTTFontFromFile(doc, ttf.path().c_str(), HPDF_TRUE);
            ttf.release_name();
            files.push_back(std::move(ttf));
            check("loading the font");
            if (!name) {
                throw ReportError("cannot load the font " + file.string());
            }
            HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
            check("selecting the font");
            HPDF_FontDef def = HPDF_GetFontDef(doc, name);
            check("finding the font's definition");
            // What libharu will draw and how wide it thinks it is, checked for every code:
            // a glyph 0 (.notdef, an empty box) or a width other than the one the layout
            // used is refused here rather than printed.
            for (char32_t c : codes) {
                const auto code = static_cast<HPDF_UINT16>(c);
                const bool has_glyph = HPDF_TTFontDef_GetGlyphid(def, code) != 0;
                const auto width = static_cast<unsigned>(HPDF_TTFontDef_GetCharWidth(def, code));
                if (!has_glyph || width != entry.first->coverage().advance(c)) {
                    throw ReportError("the character " + describe_char(c) +
                                      " cannot be printed: the font " + file.string() +
                                      (has_glyph ? " gives it another width once cut down"
                                                 : " has no glyph for it once cut down"));
                }
            }
            embedded[file] = {font, def, std::move(codes), cap_height(entry.first->bytes())};
        }
    }

    // libharu embeds only the glyphs it saw drawn plus one level of their components, and
    // DejaVu builds letters with two accents (Vietnamese "ễ") from nested components, which
    // then print bare. The subset already holds exactly the glyphs the document needs with
    // all their components, so every one of its glyphs is embedded.
    void embed_every_glyph() {
        for (auto& [file, e] : embedded) {
            auto* attr = static_cast<HPDF_TTFontDefAttr>(e.def->attr);
            if (!attr || !attr->glyph_tbl.flgs) {
                throw ReportError("the PDF library's font " + file.string() +
                                  " has no glyph table");
            }
            std::fill(attr->glyph_tbl.flgs, attr->glyph_tbl.flgs + attr->num_glyphs, HPDF_BYTE{1});
        }
    }

    // PDF/A-1b's font requirements libharu leaves out (pdfa.hpp); after embed_every_glyph,
    // since the descriptor is built with the font program.
    void complete_fonts_for_pdfa() {
        for (auto& [file, e] : embedded) {
            HPDF_ResetError(doc);
            pdfa::complete_cid_font(doc, e.font, e.def, e.cap_height, e.codes);
            check("completing the font for PDF/A");
        }
    }

    // Replaces libharu's ToUnicode map (see to_unicode.hpp) in each embedded font.
    void write_to_unicode() {
        for (auto& [file, e] : embedded) {
            auto* font = static_cast<HPDF_Dict>(e.font);
            HPDF_Dict map =
                static_cast<HPDF_Dict>(HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT));
            if (!map || !map->stream) {
                throw ReportError("the PDF library's font has no ToUnicode map to replace");
            }
            // The keys of an encoding CMap do not belong in a ToUnicode stream.
            for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"}) {
                if (HPDF_Dict_GetItem(map, key, HPDF_OCLASS_UNKNOWN)) {
                    check(HPDF_Dict_RemoveElement(map, key), "replacing the ToUnicode map");
                }
            }
            // libharu's streams skip writes while the document's error code is set, and
            // some lookups leave a harmless one behind (our handler already checked).
            HPDF_ResetError(doc);
            HPDF_MemStream_FreeData(map->stream);
            const std::string cmap = to_unicode_cmap(e.codes);
            check(HPDF_Stream_Write(map->stream, reinterpret_cast<const HPDF_BYTE*>(cmap.data()),
                                    static_cast<HPDF_UINT>(cmap.size())),
                  "writing the ToUnicode map");
        }
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
}

PdfDocument::~PdfDocument() {
    if (impl_ && impl_->doc) {
        HPDF_Free(impl_->doc);
    }
}

void PdfDocument::check_text(std::string_view text, FontStyle style) {
    (void)impl_->advance(shaped(to_utf32(text)), style);
}

double PdfDocument::text_width(std::string_view text, FontStyle style, double size) {
    // From the metrics read once per process (no libharu call per word), of the joined
    // forms that will be drawn; reordering does not change the width.
    return static_cast<double>(impl_->advance(shaped(to_utf32(text)), style)) * size / 1000.0;
}

std::vector<double> PdfDocument::char_widths(std::u32string_view text, FontStyle style,
                                             double size) {
    const std::u32string drawn = shaped_aligned(text);
    const auto& faces = impl_->fonts.faces(style);
    const bool may_fill = needs_bidi(text);
    std::vector<double> out;
    out.reserve(drawn.size());
    for (char32_t c : drawn) {
        if (c == kLigatureFill && may_fill) {
            out.push_back(0);
            continue;
        }
        const unsigned units = faces[impl_->face_of(c, style, drawn)].coverage().advance(c);
        out.push_back(static_cast<double>(units) * size / 1000.0);
    }
    return out;
}

std::string PdfDocument::render(const std::vector<PageOps>& pages, double width, double height,
                                const std::string& title, bool pdfa) {
    if (impl_->rendered) {
        throw ReportError("a PDF document can be rendered only once");
    }
    impl_->rendered = true;
    HPDF_Doc doc = impl_->doc;
    // Generic metadata only: libharu writes Info values unescaped, and patient data does not
    // belong in metadata that file managers and indexers show (reliability-notes 5.4, 6.3).
    impl_->check(HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, title.c_str()), "setting the title");
    const std::string creator = "MyoScreen";
    impl_->check(HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, creator.c_str()), "setting the creator");

    // Every text of the document in drawing order first, so each font is cut down to
    // exactly the characters the document draws before libharu loads it.
    std::vector<const TextOp*> text_ops;
    std::vector<std::u32string> drawn;
    for (const PageOps& page_ops : pages) {
        for (const Op& op : page_ops.ops) {
            if (const auto* t = std::get_if<TextOp>(&op); t && !t->text.empty()) {
                text_ops.push_back(t);
                drawn.push_back(visual(to_utf32(t->text)));
            }
        }
    }
    impl_->load_fonts(text_ops, drawn);
    std::size_t next_text = 0;

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
                const std::u32string& text = drawn[next_text++];
                impl_->check(HPDF_Page_SetRGBFill(page, real(t->colour.r), real(t->colour.g),
                                                  real(t->colour.b)),
                             "setting a colour");
                impl_->check(HPDF_Page_BeginText(page), "starting text");
                double x = t->at.x;
                const auto& faces = impl_->fonts.faces(t->style);
                for (const Run& run : impl_->runs(text, t->style)) {
                    const std::u32string_view piece(text.data() + run.begin, run.end - run.begin);
                    HPDF_Font font = impl_->embedded.at(faces[run.face].file()).font;
                    impl_->check(HPDF_Page_SetFontAndSize(page, font, real(t->size)),
                                 "setting the font");
                    impl_->check(
                        HPDF_Page_TextOut(page, real(x), real(t->at.y), to_utf8(piece).c_str()),
                        "writing text");
                    x += static_cast<double>(impl_->advance(piece, t->style)) * t->size / 1000.0;
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

    impl_->write_to_unicode();
    impl_->embed_every_glyph();
    if (pdfa) {
        impl_->complete_fonts_for_pdfa();
        HPDF_ResetError(doc);
        pdfa::finish_document(doc, title, creator);
        impl_->check("making the document PDF/A");
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
    // Core's normalisation first (NFC, the invisible format characters removed), as core
    // stores text; it also covers text stored before core normalised it. Then what only the
    // drawing needs: a tab is a space, other control characters go, and a malformed sequence
    // becomes U+FFFD, which the glyph check then refuses by name.
    const std::string normal = normalize_text(text);
    std::u32string out;
    out.reserve(normal.size());
    for (char32_t c : to_utf32(normal)) {
        if (c == '\t') {
            out += ' ';
        } else if (c == '\n') {
            out += '\n';
        } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            continue;
        } else {
            const bool bad = (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF;
            out += bad ? char32_t{0xFFFD} : c;
        }
    }
    return to_utf8(out);
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
