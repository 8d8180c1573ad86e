// Every name a clinic meets prints right (issue 10, class 2): each code point core accepts as
// printable has a real glyph in the report fonts in every form it can take; names in each
// supported script come out of the referral and the handout with the right glyphs, in the
// right order, copy out right with no ToUnicode warning, and embed only the glyphs they use;
// and line breaking is linear in the length of the text (class 5).

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>

#include "core/evaluation.hpp"
#include "core/json_util.hpp"
#include "core/printable_ranges.inc"
#include "report/bidi_text.hpp"
#include "report/reports.hpp"
#include "report/text_layout.hpp"
#include "report/to_unicode.hpp"
#include "script_names.hpp"
#include "support/test_support.hpp"

using namespace myo;
using report::FontStyle;
using report::ReportKind;
using test::NameCase;
using test::names;

namespace {

const report::ReportResources& resources() {
    static const report::ReportResources res = report::load_report_resources(test::definitions());
    return res;
}

bool drawable(char32_t c, FontStyle style) {
    const auto& faces = resources().fonts.faces(style);
    return std::any_of(faces.begin(), faces.end(),
                       [&](const report::FontFace& f) { return f.coverage().has(c); });
}

std::string hex(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

// pdftotext's text with poppler's bidi embedding marks (U+202A..U+202E) and whitespace runs
// removed, so a name is found whatever the layout around it.
std::string copied(const std::filesystem::path& pdf, std::string* warnings = nullptr,
                   const char* mode = "") {
    const auto r = test::run_command(std::string("pdftotext -enc UTF-8 ") + mode + " " +
                                     test::shell_quote(pdf.string()) + " -");
    REQUIRE(r.status == 0);
    if (warnings) {
        *warnings = r.err;
    }
    std::u32string out;
    bool space = false;
    for (char32_t c : myo::to_utf32(r.out)) {
        if (c >= 0x202A && c <= 0x202E) {
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            space = true;
            continue;
        }
        if (space && !out.empty()) {
            out += U' ';
        }
        space = false;
        out += c;
    }
    return myo::to_utf8(out);
}

bool qpdf_clean(const std::filesystem::path& pdf) {
    const auto r = test::run_command("qpdf --check " + test::shell_quote(pdf.string()));
    return r.status == 0 && r.err.empty();
}

// Every glyph the PDF draws, read back from the file itself (not from the layout): each text
// string's codes, looked up in its font's CIDToGIDMap. Returns the codes drawn as glyph 0
// (.notdef, the empty box) and counts the glyphs checked.
std::vector<std::string> notdef_glyphs(const std::filesystem::path& pdf, std::size_t& checked) {
    const auto qdf = pdf.string() + ".qdf";
    REQUIRE(test::run_command("qpdf --qdf --object-streams=disable " +
                              test::shell_quote(pdf.string()) + " " + test::shell_quote(qdf))
                .status == 0);
    const std::string file = read_text_file(qdf);
    std::filesystem::remove(qdf);
    const auto object = [&](const std::string& id) {
        const auto at = file.find("\n" + id + " 0 obj\n");
        REQUIRE(at != std::string::npos);
        return file.substr(at, file.find("\nendobj", at) - at);
    };
    const auto stream = [&](const std::string& id) {
        const std::string obj = object(id);
        const auto begin = obj.find("stream\n");
        REQUIRE(begin != std::string::npos);
        const auto end = obj.rfind("\nendstream");
        return obj.substr(begin + 7, end - begin - 7);
    };
    const auto ref = [](const std::string& text, const std::string& key) {
        std::smatch m;
        const std::regex re(key + "\\s+\\[?\\s*(\\d+) 0 R");
        REQUIRE(std::regex_search(text, m, re));
        return m[1].str();
    };
    std::vector<std::string> missing;
    checked = 0;
    const std::regex page_re("\\n(\\d+) 0 obj\\n<<\\n  /Contents (\\d+) 0 R");
    const std::regex font_entry("/(F\\d+) (\\d+) 0 R");
    const std::regex text_op("/(F\\d+) [\\d.]+ Tf|<([0-9a-fA-F]*)> Tj");
    for (auto p = std::sregex_iterator(file.begin(), file.end(), page_re);
         p != std::sregex_iterator(); ++p) {
        const std::string page = object((*p)[1].str());
        std::map<std::string, std::string> gid_maps;  // font name -> CIDToGIDMap bytes
        std::string fonts = page.substr(page.find("/Font <<"));
        fonts = fonts.substr(0, fonts.find(">>"));
        for (auto f = std::sregex_iterator(fonts.begin(), fonts.end(), font_entry);
             f != std::sregex_iterator(); ++f) {
            const std::string descendant = ref(object((*f)[2].str()), "/DescendantFonts");
            gid_maps[(*f)[1].str()] = stream(ref(object(descendant), "/CIDToGIDMap"));
        }
        const std::string content = stream((*p)[2].str());
        std::string current;
        for (auto t = std::sregex_iterator(content.begin(), content.end(), text_op);
             t != std::sregex_iterator(); ++t) {
            if ((*t)[1].matched) {
                current = (*t)[1].str();
                continue;
            }
            const std::string hexes = (*t)[2].str();
            const std::string& map = gid_maps.at(current);
            for (std::size_t k = 0; k + 4 <= hexes.size(); k += 4) {
                const auto code = std::stoul(hexes.substr(k, 4), nullptr, 16);
                const bool in_map = 2 * code + 1 < map.size();
                const unsigned gid =
                    in_map
                        ? (static_cast<unsigned>(static_cast<unsigned char>(map[2 * code])) << 8U) |
                              static_cast<unsigned char>(map[2 * code + 1])
                        : 0U;
                ++checked;
                if (gid == 0) {
                    missing.push_back(hex(static_cast<char32_t>(code)));
                }
            }
        }
    }
    return missing;
}

}  // namespace

TEST_CASE("printable table: sorted, and every code point has a glyph in every form it takes") {
    std::size_t count = 0;
    char32_t last = 0;
    bool first = true;
    for (const auto& [a, b] : kPrintableRanges) {
        REQUIRE(a <= b);
        REQUIRE((first || a > last + 1));  // sorted, non-overlapping, not adjacent
        first = false;
        last = b;
    }
    // Each code point alone, between Arabic letters (medial form, and mirrored inside
    // right-to-left text), before and after one (initial and final forms), in both styles.
    std::vector<std::string> failures;
    for (const auto& [a, b] : kPrintableRanges) {
        for (char32_t c = a; c <= b; ++c) {
            ++count;
            const std::u32string contexts[] = {
                {c}, {U'\u0628', c, U'\u0628'}, {c, U'\u0628'}, {U'\u0628', c}};
            for (const auto& context : contexts) {
                for (char32_t drawn : report::visual(context)) {
                    for (auto style : {FontStyle::Regular, FontStyle::Bold}) {
                        if (!drawable(drawn, style) && failures.size() < 20) {
                            failures.push_back(hex(c) + " draws " + hex(drawn) + " (" +
                                               (style == FontStyle::Bold ? "bold" : "regular") +
                                               ")");
                        }
                    }
                }
            }
        }
    }
    for (const auto& f : failures) {
        MESSAGE(f);
    }
    CHECK(failures.empty());
    // The scripts the README lists are in; those needing complex shaping are not.
    const auto printable = [](char32_t c) {
        return std::any_of(std::begin(kPrintableRanges), std::end(kPrintableRanges),
                           [&](const auto& r) { return c >= r.first && c <= r.second; });
    };
    for (char32_t c : {U'A', U'Ș', U'ễ', U'ə',  U'Ә',  U'ұ',  U'Ա',  U'ნ',      U'א', U'م',
                       U'پ', U'Ω', U'Ж', U'中', U'あ', U'カ', U'한', U'\u0308', U'€', U'–'}) {
        CHECK_MESSAGE(printable(c), hex(c));
    }
    for (char32_t c :
         {U'\u0915', U'\u0E01', U'\u0E81', U'\u1780', U'\u0710', U'\u00AD', U'\u200B', U'\u200D',
          U'\u202E', U'\uFEFF', U'\u0007', U'\u0085', U'\u2028', U'\uE000', U'\u0750'}) {
        CHECK_MESSAGE(!printable(c), hex(c));
    }
    CHECK(count > 40000);
}

TEST_CASE("printable table: every printable code point goes through the whole PDF chain") {
    // All ~42,000 code points in one document, regular and bold: each font is cut down to
    // them, loaded by libharu, and each code's glyph and width are checked as libharu sees
    // them (pdf_document.cpp refuses a .notdef or a width the layout did not use).
    std::string all;
    std::size_t n = 0;
    for (const auto& [a, b] : kPrintableRanges) {
        for (char32_t c = a; c <= b; ++c) {
            if (c == U' ') {
                continue;
            }
            all += myo::to_utf8(std::u32string(1, c));
            if (++n % 40 == 0) {
                all += ' ';
            }
        }
    }
    report::PdfDocument doc(resources().fonts);
    report::Flow flow(doc, report::PageGeometry{});
    flow.paragraph(report::plain(all), {8, 10});
    flow.paragraph(report::plain(all, FontStyle::Bold), {8, 10});
    std::string pdf;
    REQUIRE_NOTHROW(pdf = doc.render(flow.pages(), report::kA4Width, report::kA4Height, "all"));
    test::TempDir dir;
    const auto path = dir.path() / "all.pdf";
    std::ofstream(path, std::ios::binary) << pdf;
    CHECK(qpdf_clean(path));
}

TEST_CASE("report: names in every supported script print, in order, and copy out right") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    int checked = 0;
    for (const NameCase& name : names()) {
        CAPTURE(name.script);
        a.patient.name = name.typed;
        a.notes = "Free text: " + name.typed;
        const Evaluation e = evaluate(defs, a);
        for (auto kind : {ReportKind::Referral, ReportKind::Handout}) {
            const auto pdf = dir.path() / "name.pdf";
            REQUIRE_NOTHROW(report::write_report(resources(), kind, a, e,
                                                 {name.typed, name.typed, "Street"}, pdf));
            CHECK(qpdf_clean(pdf));
            std::string warnings;
            const std::string text = copied(pdf, &warnings);
            CHECK_MESSAGE(warnings.empty(), warnings);
            CHECK_MESSAGE(text.find(name.printed) != std::string::npos, text.substr(0, 400));
            std::size_t glyphs = 0;
            const auto boxes = notdef_glyphs(pdf, glyphs);
            CHECK_MESSAGE(boxes.empty(), (boxes.empty() ? std::string() : boxes.front()));
            CHECK(glyphs > 1000);
            ++checked;
        }
    }
    CHECK(checked == static_cast<int>(names().size()) * 2);
}

TEST_CASE("report: right-to-left names are drawn right to left inside a left-to-right line") {
    // The drawn order: the first letter typed is the rightmost.
    CHECK(report::visual(U"דוד כהן") == U"ןהכ דוד");
    CHECK(report::visual(U"Dr דוד כהן, MD") == U"Dr ןהכ דוד, MD");
    // Arabic letters joined: meem initial, hah medial, meem medial, dal final.
    CHECK(report::visual(U"محمد") == U"\uFEAA\uFEE4\uFEA4\uFEE3");
    // Hebrew points and Arabic harakat stay before their letter in drawing order: DejaVu
    // draws them to the right of the pen, over the letter that follows.
    CHECK(report::visual(U"\u05E9\u05B8") == U"\u05B8\u05E9");
    // Brackets around right-to-left text inside a left-to-right line stay as typed.
    CHECK(report::visual(U"Lee (כהן)") == U"Lee (ןהכ)");
    // lam-alef as one ligature glyph
    CHECK(report::visual(U"لا") == U"\uFEFB");
    // Copied out of the PDF as the letters typed.
    CHECK(report::copied_text(0xFEE3) == U"\u0645");
    CHECK(report::copied_text(0xFEFB) == U"\u0644\u0627");
    // pdftotext -raw gives the drawn order, word by word: the last word typed comes first.
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    a.patient.name = "محمد عبد الله";
    const auto pdf = dir.path() / "ar.pdf";
    report::write_report(resources(), ReportKind::Referral, a, evaluate(defs, a), {}, pdf);
    const std::string raw = copied(pdf, nullptr, "-raw");
    const auto last = raw.find("الله");
    const auto first = raw.find("محمد");
    REQUIRE(last != std::string::npos);
    REQUIRE(first != std::string::npos);
    CHECK(last < first);
}

TEST_CASE("report: a CJK name embeds only its glyphs (referral under 60 KB)") {
    const Definitions& defs = test::definitions();
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    for (const char* name : {"王小明", "山田 はなこ", "김민준", "Zoë Åkesson-Núñez"}) {
        a.patient.name = name;
        const std::string pdf = report::make_report(resources(), ReportKind::Referral, a,
                                                    evaluate(defs, a), {name, name, ""});
        CHECK_MESSAGE(pdf.size() < 60 * 1024, name << ": " << pdf.size());
    }
}

TEST_CASE("report: a ToUnicode map without 'begincidrange' (no poppler warning)") {
    const std::string cmap = report::to_unicode_cmap({U'A', U'\uFEE3', U'中'});
    CHECK(cmap.find("cidrange") == std::string::npos);
    CHECK(cmap.find("<0041> <0041>") != std::string::npos);
    CHECK(cmap.find("<FEE3> <0645>") != std::string::npos);
    CHECK(cmap.find("<4E2D> <4E2D>") != std::string::npos);
    // Over 100 codes: several blocks of at most 100.
    std::vector<char32_t> many;
    for (char32_t c = 0x4E00; c < 0x4E00 + 250; ++c) {
        many.push_back(c);
    }
    const std::string big = report::to_unicode_cmap(many);
    CHECK(big.find("100 beginbfchar") != std::string::npos);
    CHECK(big.find("50 beginbfchar") != std::string::npos);
}

TEST_CASE("layout: very long words and names wrap linearly and lose nothing") {
    report::PdfDocument doc(resources().fonts);
    report::Flow flow(doc, report::PageGeometry{});
    for (std::size_t size : {std::size_t{100'000}, std::size_t{1'000'000}}) {
        for (const std::u32string& unit : {std::u32string(U"a"), std::u32string(U"中"),
                                           std::u32string(U"محمد"), std::u32string(U"e\u0301")}) {
            std::u32string word;
            while (word.size() < size / 4) {
                word += unit;
            }
            const std::string text = myo::to_utf8(word);
            const auto lines = flow.wrap(report::plain(text), 10, 300);
            std::string joined;
            double widest = 0;
            for (const auto& line : lines) {
                for (const auto& piece : line.pieces) {
                    joined += piece.text;
                }
                widest = std::max(widest, line.width);
            }
            // NFC composes e + U+0301; everything else comes back unchanged.
            CHECK(joined == report::clean_text(text));
            CHECK(widest <= 300.0001);
            CHECK(lines.size() > 1);
        }
    }
}

TEST_CASE("report: a 100 KB name and free text make a report (footer shortened)") {
    const Definitions& defs = test::definitions();
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    a.patient.name = std::string(100'000, 'x');
    a.notes = std::string(100'000, 'y');
    std::string pdf;
    REQUIRE_NOTHROW(
        pdf = report::make_report(resources(), ReportKind::Referral, a, evaluate(defs, a), {}));
    CHECK(pdf.size() > 1000);
}
