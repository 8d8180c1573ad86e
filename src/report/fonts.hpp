#pragma once
// The fonts the reports embed, and which characters each can draw. Only fonts the project
// ships (the build-time DejaVu subset) or names (the installed DejaVu, Droid Sans Fallback and
// Nanum Gothic from Debian packages) are ever loaded, never a user-supplied font
// (reliability-notes 5.4). Each document embeds only the glyphs it uses (font_subset.hpp).

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myo::report {

enum class FontStyle { Regular = 0, Bold = 1 };

// The Basic Multilingual Plane characters a TrueType font maps to a glyph (its cmap), with
// each one's advance width in thousandths of an em, computed as libharu does. Read once per
// process, so measuring text costs no libharu call (libharu searches its cmap per character).
class Coverage {
  public:
    static constexpr std::uint16_t kMissing = 0xFFFF;
    bool has(char32_t c) const { return c < 0x10000 && (*advance_)[c] != kMissing; }
    // Thousandths of an em; only for characters the font has.
    unsigned advance(char32_t c) const { return (*advance_)[c]; }
    // From the font's bytes; only the characters in [first, last] of `only` when given.
    // Throws ReportError naming `ttf`.
    static Coverage from_bytes(std::string_view data, const std::filesystem::path& ttf,
                               const std::vector<std::pair<char32_t, char32_t>>& only = {});

  private:
    std::shared_ptr<std::vector<std::uint16_t>> advance_ =
        std::make_shared<std::vector<std::uint16_t>>(0x10000, kMissing);
};

// A font file's bytes as read (and checked against its hash) once per process.
struct FontBytes {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::string_view view() const { return {data.get(), size}; }
};

// A font file and its metrics, read on first use: the full installed fonts are only a
// fallback, and reading 700 KB each would cost every report command a few milliseconds.
class FontFace {
  public:
    // `sha256`: the hash recorded at build time (fonts.sha256); the file is checked against it
    // before its first use, so only the fonts the build named ever reach libharu.
    // `only`: the ranges this face is used for (empty: all it has), e.g. Hangul from Nanum
    // Gothic so a Korean name is not drawn half in one font and half in another.
    // `family`: faces of one family have the same PostScript name, and a later one has every
    // glyph of an earlier one (the installed DejaVu and its build-time subset).
    FontFace(std::filesystem::path file, std::string sha256, std::string family,
             std::vector<std::pair<char32_t, char32_t>> only = {});
    const std::filesystem::path& file() const { return file_; }
    const std::string& family() const { return family_; }
    // False when c is outside the ranges this face is used for: then the face need not be
    // read (4-5 MB for a CJK font) to know it will not draw c.
    bool may_have(char32_t c) const {
        return only_.empty() || std::any_of(only_.begin(), only_.end(), [c](const auto& r) {
                   return c >= r.first && c <= r.second;
               });
    }
    // Thread-safe; throws ReportError (also when the file no longer matches its hash).
    const Coverage& coverage() const;
    // The verified bytes of the file, read once with the hash check: what is subset and
    // embedded is exactly what was checked, even if the file changes afterwards.
    std::string_view bytes() const;

  private:
    std::filesystem::path file_;
    std::string sha256_;
    std::string family_;
    std::vector<std::pair<char32_t, char32_t>> only_;
    struct Lazy;
    std::shared_ptr<Lazy> lazy_;
};

// Per style: the build-time subset first, then the full installed DejaVu, then the CJK fonts.
struct FontSet {
    std::vector<FontFace> regular;
    std::vector<FontFace> bold;
    const std::vector<FontFace>& faces(FontStyle s) const {
        return s == FontStyle::Bold ? bold : regular;
    }
};

// Finds the fonts: <forms dir>/../fonts, <exe dir>/../share/myoscreen/fonts, the build tree,
// the install prefix; then the installed fonts the build recorded (DejaVu Sans, Nanum Gothic
// for Hangul, Droid Sans Fallback for Han and kana). Throws ReportError when no DejaVu exists.
FontSet find_fonts(const std::filesystem::path& forms_dir);

// "U+4E2D '中'" for messages.
std::string describe_char(char32_t c);

}  // namespace myo::report
