#include "report/fonts.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

#include "core/definitions.hpp"
#include "core/json_util.hpp"
#include "core/utf8.hpp"
#include "hash/sha256.hpp"
#include "report/report_error.hpp"

#ifndef MYOSCREEN_BUILD_FONT_DIR
#define MYOSCREEN_BUILD_FONT_DIR ""
#endif
#ifndef MYOSCREEN_INSTALL_DATADIR
#define MYOSCREEN_INSTALL_DATADIR "/usr/local/share"
#endif
#ifndef MYOSCREEN_SYSTEM_FONT_DIR
#define MYOSCREEN_SYSTEM_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif
#ifndef MYOSCREEN_NANUM_FONT_DIR
#define MYOSCREEN_NANUM_FONT_DIR "/usr/share/fonts/truetype/nanum"
#endif
#ifndef MYOSCREEN_DROID_FONT
#define MYOSCREEN_DROID_FONT "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
#endif

namespace myo::report {

namespace {

// Big-endian reads with bounds checks: a truncated font must give an error, not a crash.
struct Bytes {
    std::string_view data;
    std::uint32_t u16(std::size_t at) const {
        need(at, 2);
        return (static_cast<std::uint32_t>(static_cast<unsigned char>(data[at])) << 8) |
               static_cast<unsigned char>(data[at + 1]);
    }
    std::uint32_t u32(std::size_t at) const { return (u16(at) << 16) | u16(at + 2); }
    void need(std::size_t at, std::size_t n) const {
        if (at + n > data.size()) {
            throw ReportError("font file is truncated");
        }
    }
};

void read_format4(const Bytes& b, std::size_t at, std::vector<std::uint32_t>& glyphs) {
    const std::size_t segs = b.u16(at + 6) / 2;
    const std::size_t ends = at + 14;
    const std::size_t starts = ends + 2 * segs + 2;
    const std::size_t deltas = starts + 2 * segs;
    const std::size_t offsets = deltas + 2 * segs;
    for (std::size_t s = 0; s < segs; ++s) {
        const std::uint32_t end = b.u16(ends + 2 * s);
        const std::uint32_t start = b.u16(starts + 2 * s);
        const std::uint32_t delta = b.u16(deltas + 2 * s);
        const std::size_t range_at = offsets + 2 * s;
        const std::uint32_t range = b.u16(range_at);
        for (std::uint32_t c = start; c <= end && c < 0xFFFF; ++c) {
            std::uint32_t glyph = 0;
            if (range == 0) {
                glyph = (c + delta) & 0xFFFF;
            } else {
                glyph = b.u16(range_at + range + 2 * (c - start));
                if (glyph != 0) {
                    glyph = (glyph + delta) & 0xFFFF;
                }
            }
            glyphs[c] = glyph;
        }
    }
}

void read_format12(const Bytes& b, std::size_t at, std::vector<std::uint32_t>& glyphs) {
    const std::uint32_t groups = b.u32(at + 12);
    for (std::uint32_t g = 0; g < groups; ++g) {
        const std::size_t rec = at + 16 + 12 * static_cast<std::size_t>(g);
        const std::uint32_t start = b.u32(rec);
        const std::uint32_t end = b.u32(rec + 4);
        const std::uint32_t glyph = b.u32(rec + 8);
        for (std::uint32_t c = start; c <= end && c < 0x10000; ++c) {
            glyphs[c] = glyph + (c - start);
        }
    }
}

// The whole file in one read into a buffer of its size, left uninitialised before the read:
// a CJK font is 4 MB, and zero-filling or copying it through a stream cost more than the
// rest of a report.
std::shared_ptr<const FontBytes> read_font_file(const std::filesystem::path& path) {
    const auto fail = [&](int err) {
        throw ReportError("cannot read the font " + path.string() + ": " + std::strerror(err));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (64 << 20)) {
        const int err = errno;
        ::close(fd);
        if (st.st_size <= 0 || st.st_size > (64 << 20)) {
            throw ReportError("the font " + path.string() + " is empty or larger than 64 MB");
        }
        fail(err);
    }
    auto bytes = std::make_shared<FontBytes>();
    bytes->data.reset(new char[static_cast<std::size_t>(st.st_size)]);
    std::size_t done = 0;
    const auto size = static_cast<std::size_t>(st.st_size);
    while (done < size) {
        const ssize_t n = ::read(fd, bytes->data.get() + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            fail(err);
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    bytes->size = size;
    return bytes;
}

std::optional<std::filesystem::path> first_with(const std::vector<std::filesystem::path>& dirs,
                                                const std::string& file) {
    std::error_code ec;
    for (const auto& dir : dirs) {
        if (!dir.empty() && std::filesystem::exists(dir / file, ec)) {
            return dir / file;
        }
    }
    return std::nullopt;
}

}  // namespace

Coverage Coverage::from_bytes(std::string_view data, const std::filesystem::path& ttf,
                              const std::vector<std::pair<char32_t, char32_t>>& only) {
    Coverage cov;
    try {
        Bytes b{data};
        const std::uint32_t tables = b.u16(4);
        std::size_t cmap = 0;
        std::size_t head = 0;
        std::size_t hhea = 0;
        std::size_t hmtx = 0;
        for (std::uint32_t t = 0; t < tables; ++t) {
            const std::size_t rec = 12 + 16 * static_cast<std::size_t>(t);
            b.need(rec, 16);
            const std::size_t offset = b.u32(rec + 8);
            if (data.compare(rec, 4, "cmap") == 0) {
                cmap = offset;
            } else if (data.compare(rec, 4, "head") == 0) {
                head = offset;
            } else if (data.compare(rec, 4, "hhea") == 0) {
                hhea = offset;
            } else if (data.compare(rec, 4, "hmtx") == 0) {
                hmtx = offset;
            }
        }
        if (cmap == 0 || head == 0 || hhea == 0 || hmtx == 0) {
            throw ReportError("a cmap, head, hhea or hmtx table is missing");
        }
        const std::uint32_t units_per_em = b.u16(head + 18);
        const std::uint32_t metrics = b.u16(hhea + 34);
        if (units_per_em == 0 || metrics == 0) {
            throw ReportError("unitsPerEm or numberOfHMetrics is 0");
        }
        // Prefer the full-Unicode table (3,10) and else the BMP one (3,1) or (0,x).
        std::size_t best = 0;
        int best_rank = 0;
        const std::uint32_t subtables = b.u16(cmap + 2);
        for (std::uint32_t s = 0; s < subtables; ++s) {
            const std::size_t rec = cmap + 4 + 8 * static_cast<std::size_t>(s);
            const std::uint32_t platform = b.u16(rec);
            const std::uint32_t encoding = b.u16(rec + 2);
            const std::size_t at = cmap + b.u32(rec + 4);
            const std::uint32_t format = b.u16(at);
            int rank = 0;
            if (format == 12 && (platform == 3 || platform == 0)) {
                rank = 3;
            } else if (format == 4 && platform == 3 && encoding == 1) {
                rank = 2;
            } else if (format == 4 && platform == 0) {
                rank = 1;
            }
            if (rank > best_rank) {
                best_rank = rank;
                best = at;
            }
        }
        if (best_rank == 0) {
            throw ReportError("no Unicode cmap subtable");
        }
        std::vector<std::uint32_t> glyphs(0x10000, 0);
        if (b.u16(best) == 12) {
            read_format12(b, best, glyphs);
        } else {
            read_format4(b, best, glyphs);
        }
        auto& advance = *cov.advance_;
        for (std::size_t c = 0; c < glyphs.size(); ++c) {
            const std::uint32_t glyph = glyphs[c];
            if (glyph == 0) {
                continue;
            }
            if (!only.empty() && std::none_of(only.begin(), only.end(), [&](const auto& r) {
                    return c >= r.first && c <= r.second;
                })) {
                continue;
            }
            // Glyphs past the last metric share its advance (TrueType hmtx).
            const std::uint32_t index = std::min(glyph, metrics - 1);
            const std::uint32_t units = b.u16(hmtx + 4 * static_cast<std::size_t>(index));
            // Integer thousandths, as libharu computes the widths it writes into the PDF.
            advance[c] = static_cast<std::uint16_t>(
                std::min<std::uint32_t>(units * 1000 / units_per_em, Coverage::kMissing - 1));
        }
    } catch (const ReportError& e) {
        throw ReportError("the font " + ttf.string() + " cannot be used: " + e.what());
    }
    return cov;
}

struct FontFace::Lazy {
    std::once_flag once;
    std::shared_ptr<const FontBytes> bytes;
    Coverage coverage;
};

FontFace::FontFace(std::filesystem::path file, std::string sha256, std::string family,
                   std::vector<std::pair<char32_t, char32_t>> only)
    : file_(std::move(file)),
      sha256_(std::move(sha256)),
      family_(std::move(family)),
      only_(std::move(only)),
      lazy_(std::make_shared<Lazy>()) {}

std::string_view FontFace::bytes() const {
    (void)coverage();
    return lazy_->bytes->view();
}

const Coverage& FontFace::coverage() const {
    std::call_once(lazy_->once, [this]() {
        auto data = read_font_file(file_);
        if (sha256_hex(data->view()) != sha256_) {
            throw ReportError("the font " + file_.string() +
                              " does not match the SHA-256 recorded when MyoScreen was built; it "
                              "was changed or replaced, so it is not used (rebuild or reinstall)");
        }
        lazy_->coverage = Coverage::from_bytes(data->view(), file_, only_);
        lazy_->bytes = std::move(data);
    });
    return lazy_->coverage;
}

namespace {

// fonts.sha256: "<sha256>  <name>" lines written by cmake/hash_fonts.cmake.
std::map<std::string, std::string> read_manifest(const std::filesystem::path& file) {
    std::map<std::string, std::string> out;
    std::istringstream in(read_text_file(file));
    std::string line;
    while (std::getline(in, line)) {
        auto gap = line.find("  ");
        if (gap == 64) {
            out[line.substr(66)] = line.substr(0, 64);
        }
    }
    return out;
}

}  // namespace

FontSet find_fonts(const std::filesystem::path& forms_dir) {
    const std::vector<std::filesystem::path> subset_dirs = {
        forms_dir / ".." / "fonts", executable_dir() / ".." / "share" / "myoscreen" / "fonts",
        std::filesystem::path(MYOSCREEN_BUILD_FONT_DIR),
        std::filesystem::path(MYOSCREEN_INSTALL_DATADIR) / "myoscreen" / "fonts"};
    const std::vector<std::filesystem::path> system_dirs = {MYOSCREEN_SYSTEM_FONT_DIR};
    FontSet set;
    auto manifest_file = first_with(subset_dirs, "fonts.sha256");
    if (!manifest_file) {
        throw ReportError(
            "the report fonts' manifest fonts.sha256 was not found (rebuild MyoScreen)");
    }
    const auto manifest = read_manifest(*manifest_file);
    auto recorded = [&](const std::string& key) {
        auto it = manifest.find(key);
        return it == manifest.end() ? std::string() : it->second;
    };
    const std::array<std::pair<const char*, std::vector<FontFace>*>, 2> styles = {
        {{"DejaVuSans", &set.regular}, {"DejaVuSans-Bold", &set.bold}}};
    for (const auto& [name, faces] : styles) {
        const std::string file = std::string(name) + ".ttf";
        // The subset beside the manifest; the installed font only if the build recorded it.
        auto subset = manifest_file->parent_path() / file;
        auto full = first_with(system_dirs, file);
        if (std::filesystem::exists(subset)) {
            faces->emplace_back(subset, recorded(file), name);
            (void)faces->back().coverage();  // a broken or changed subset is found at start-up
        }
        if (full && !recorded(full->string()).empty()) {
            // DejaVu has no Han, Hangul or CJK compatibility ideographs: not read for them.
            faces->emplace_back(*full, recorded(full->string()), name,
                                std::vector<std::pair<char32_t, char32_t>>{{0x0000, 0x2FFF},
                                                                           {0x4DC0, 0x4DFF},
                                                                           {0xA000, 0xABFF},
                                                                           {0xD800, 0xF8FF},
                                                                           {0xFB00, 0xFFFF}});
        }
        if (faces->empty()) {
            throw ReportError("the report font " + file +
                              " was not found (install fonts-dejavu-core, or rebuild so the "
                              "build makes its subset)");
        }
    }
    // Chinese, Japanese and Korean: DejaVu has none. Hangul comes from Nanum Gothic (Droid
    // Sans Fallback has 3 of its 11,172 syllables), Han and kana from Droid Sans Fallback,
    // which has no bold: a bold CJK name is set in its regular weight. Read only when a
    // document has such a character (FontFace is lazy).
    const std::vector<std::pair<char32_t, char32_t>> hangul = {
        {0x1100, 0x11FF}, {0x3130, 0x318F}, {0xA960, 0xA97F}, {0xAC00, 0xD7FF}};
    const std::array<std::tuple<std::vector<FontFace>*, std::filesystem::path,
                                std::vector<std::pair<char32_t, char32_t>>>,
                     4>
        cjk = {{{&set.regular, std::filesystem::path(MYOSCREEN_NANUM_FONT_DIR) / "NanumGothic.ttf",
                 hangul},
                {&set.bold, std::filesystem::path(MYOSCREEN_NANUM_FONT_DIR) / "NanumGothicBold.ttf",
                 hangul},
                {&set.regular, std::filesystem::path(MYOSCREEN_DROID_FONT), {}},
                {&set.bold, std::filesystem::path(MYOSCREEN_DROID_FONT), {}}}};
    for (const auto& [faces, path, only] : cjk) {
        const std::string sha = recorded(path.string());
        std::error_code ec;
        if (!sha.empty() && std::filesystem::exists(path, ec)) {
            faces->emplace_back(path, sha, path.filename().string(), only);
        }
    }
    return set;
}

std::string describe_char(char32_t c) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    std::string out = code;
    if (c >= 0x20 && c != 0x7F && c != 0xFFFD) {
        std::string utf8;
        append_utf8(utf8, c);
        out += " '" + utf8 + "'";
    }
    return out;
}

}  // namespace myo::report
