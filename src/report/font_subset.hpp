#pragma once
// Each document embeds only the glyphs it uses: HarfBuzz's hb-subset cuts a verified font
// down to the document's characters, so a Chinese name embeds a few kilobytes of the 4 MB
// Droid Sans Fallback rather than all of it. libharu 2.3 loads TrueType only from a file
// path, so the subset is handed over through an unnamed in-memory file (memfd), which
// leaves nothing on disk, even if the process is killed.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace myo::report {

// The TrueType bytes of `ttf` (a whole font file) reduced to `chars` (plus .notdef), with
// hinting and the layout tables dropped (libharu uses neither). Throws ReportError.
std::string subset_font(std::string_view ttf, const std::vector<char32_t>& chars,
                        const std::string& name_for_errors);

// The height of the font's flat capitals in thousandths of an em, for the PDF font descriptor's
// CapHeight (PDF/A requires it): OS/2's sCapHeight when the font has it (OS/2 version 2 and
// later: Nanum Gothic, Droid Sans Fallback), else the top of its "H" (DejaVu's OS/2 is
// version 1), else its ascender.
unsigned cap_height(std::string_view ttf);

// A file with no name in any folder, holding `bytes`, readable through path() while this
// object lives. Falls back to a temporary file unlinked by release_name() when /proc is
// not mounted.
class AnonymousFile {
  public:
    explicit AnonymousFile(const std::string& bytes);  // throws ReportError
    ~AnonymousFile();
    AnonymousFile(const AnonymousFile&) = delete;
    AnonymousFile& operator=(const AnonymousFile&) = delete;
    AnonymousFile(AnonymousFile&& other) noexcept;
    AnonymousFile& operator=(AnonymousFile&&) = delete;

    const std::string& path() const { return path_; }
    // Once the reader has opened it: removes the fallback file's name (a no-op for a memfd).
    void release_name();

  private:
    int fd_ = -1;
    std::string path_;
    bool named_ = false;
};

}  // namespace myo::report
