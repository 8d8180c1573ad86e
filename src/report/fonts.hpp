#pragma once
// The fonts the reports embed, and which characters each can draw. Only fonts the project
// ships (the build-time DejaVu subset) or names (the installed DejaVu, as a fallback) are
// ever loaded, never a user-supplied font (reliability-notes 5.4).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
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
    static Coverage from_file(const std::filesystem::path& ttf);  // throws ReportError

  private:
    std::shared_ptr<std::vector<std::uint16_t>> advance_ =
        std::make_shared<std::vector<std::uint16_t>>(0x10000, kMissing);
};

// A font file and its metrics, read on first use: the full installed fonts are only a
// fallback, and reading 700 KB each would cost every report command a few milliseconds.
class FontFace {
  public:
    // `sha256`: the hash recorded at build time (fonts.sha256); the file is checked against it
    // before its first use, so only the fonts the build named ever reach libharu.
    FontFace(std::filesystem::path file, std::string sha256);
    const std::filesystem::path& file() const { return file_; }
    // Thread-safe; throws ReportError (also when the file no longer matches its hash).
    const Coverage& coverage() const;

  private:
    std::filesystem::path file_;
    std::string sha256_;
    struct Lazy;
    std::shared_ptr<Lazy> lazy_;
};

// Per style: the subset first, then the full installed font for anything the subset lacks.
struct FontSet {
    std::vector<FontFace> regular;
    std::vector<FontFace> bold;
    const std::vector<FontFace>& faces(FontStyle s) const {
        return s == FontStyle::Bold ? bold : regular;
    }
};

// Finds the fonts: <forms dir>/../fonts, <exe dir>/../share/myoscreen/fonts, the build tree,
// the install prefix; then the installed DejaVu as fallback (or as the only font when no
// subset is found). Throws ReportError when neither exists.
FontSet find_fonts(const std::filesystem::path& forms_dir);

// "U+4E2D '中'" for messages.
std::string describe_char(char32_t c);

// Decodes one UTF-8 sequence at s[i], advancing i; malformed bytes give U+FFFD.
char32_t next_char(const std::string& s, std::size_t& i);

}  // namespace myo::report
