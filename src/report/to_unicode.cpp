#include "report/to_unicode.hpp"

#include <utf8proc.h>

#include <array>
#include <cstdio>

namespace myo::report {

std::u32string copied_text(char32_t code) {
    const bool presentation_form =
        (code >= 0xFB50 && code <= 0xFDFF) || (code >= 0xFE70 && code <= 0xFEFC);
    if (presentation_form) {
        std::array<utf8proc_int32_t, 8> out{};
        int boundclass = 0;
        const utf8proc_ssize_t n = utf8proc_decompose_char(
            static_cast<utf8proc_int32_t>(code), out.data(),
            static_cast<utf8proc_ssize_t>(out.size()),
            static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT), &boundclass);
        if (n > 0 && static_cast<std::size_t>(n) <= out.size()) {
            std::u32string letters;
            for (utf8proc_ssize_t i = 0; i < n; ++i) {
                letters.push_back(static_cast<char32_t>(out[static_cast<std::size_t>(i)]));
            }
            return letters;
        }
    }
    return std::u32string(1, code);
}

std::string to_unicode_cmap(const std::vector<char32_t>& codes) {
    std::string out =
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    char buf[16];
    // At most 100 entries per block (PDF 32000-1, 9.10.3).
    for (std::size_t start = 0; start < codes.size(); start += 100) {
        const std::size_t end = std::min(codes.size(), start + 100);
        out += std::to_string(end - start) + " beginbfchar\n";
        for (std::size_t i = start; i < end; ++i) {
            std::snprintf(buf, sizeof buf, "<%04X> <", static_cast<unsigned>(codes[i]));
            out += buf;
            for (char32_t c : copied_text(codes[i])) {
                if (c >= 0x10000) {  // UTF-16BE surrogate pair
                    const char32_t v = c - 0x10000;
                    std::snprintf(buf, sizeof buf, "%04X%04X",
                                  static_cast<unsigned>(0xD800 + (v >> 10)),
                                  static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
                } else {
                    std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
                }
                out += buf;
            }
            out += ">\n";
        }
        out += "endbfchar\n";
    }
    out +=
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n";
    return out;
}

}  // namespace myo::report
