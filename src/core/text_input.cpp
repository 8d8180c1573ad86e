#include "core/text_input.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>

#include <utf8proc.h>

#include "core/printable_ranges.inc"
#include "core/utf8.hpp"

namespace myo {

namespace {

// One step through UTF-8: the code point and its length in bytes, or nullopt when the bytes
// at `text` are not valid UTF-8 (overlong, surrogate, truncated, past U+10FFFF).
struct Step {
    char32_t cp = 0;
    std::size_t length = 1;
    bool valid = false;
};

Step next(std::string_view text) {
    utf8proc_int32_t cp = 0;
    auto n =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                         static_cast<utf8proc_ssize_t>(std::min<std::size_t>(text.size(), 4)), &cp);
    if (n <= 0) {
        return Step{0xFFFD, 1, false};
    }
    return Step{static_cast<char32_t>(cp), static_cast<std::size_t>(n), true};
}

// The invisible format characters normalize_text() removes (see the header).
bool is_removed_format(char32_t cp) {
    return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF;
}

bool is_control(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Unicode block names for messages: enough to tell a user which script a refused character
// belongs to. Sorted by first code point; a code point outside these is quoted without one.
struct Block {
    char32_t first;
    char32_t last;
    const char* name;
};

constexpr Block kBlocks[] = {
    {0x0000, 0x001F, "a control character"},
    {0x0020, 0x007E, "Basic Latin"},
    {0x007F, 0x009F, "a control character"},
    {0x00A0, 0x00FF, "Latin-1 Supplement"},
    {0x0100, 0x017F, "Latin Extended-A"},
    {0x0180, 0x024F, "Latin Extended-B"},
    {0x0250, 0x02AF, "IPA Extensions"},
    {0x02B0, 0x02FF, "Spacing Modifier Letters"},
    {0x0300, 0x036F, "Combining Diacritical Marks"},
    {0x0370, 0x03FF, "Greek"},
    {0x0400, 0x052F, "Cyrillic"},
    {0x0530, 0x058F, "Armenian"},
    {0x0590, 0x05FF, "Hebrew"},
    {0x0600, 0x06FF, "Arabic"},
    {0x0700, 0x074F, "Syriac"},
    {0x0750, 0x077F, "Arabic Supplement"},
    {0x0780, 0x07BF, "Thaana"},
    {0x07C0, 0x07FF, "NKo"},
    {0x0800, 0x08FF, "Samaritan, Mandaic or Arabic Extended"},
    {0x0900, 0x097F, "Devanagari"},
    {0x0980, 0x09FF, "Bengali"},
    {0x0A00, 0x0A7F, "Gurmukhi"},
    {0x0A80, 0x0AFF, "Gujarati"},
    {0x0B00, 0x0B7F, "Oriya"},
    {0x0B80, 0x0BFF, "Tamil"},
    {0x0C00, 0x0C7F, "Telugu"},
    {0x0C80, 0x0CFF, "Kannada"},
    {0x0D00, 0x0D7F, "Malayalam"},
    {0x0D80, 0x0DFF, "Sinhala"},
    {0x0E00, 0x0E7F, "Thai"},
    {0x0E80, 0x0EFF, "Lao"},
    {0x0F00, 0x0FFF, "Tibetan"},
    {0x1000, 0x109F, "Myanmar"},
    {0x10A0, 0x10FF, "Georgian"},
    {0x1100, 0x11FF, "Hangul Jamo"},
    {0x1200, 0x139F, "Ethiopic"},
    {0x13A0, 0x13FF, "Cherokee"},
    {0x1400, 0x167F, "Canadian Syllabics"},
    {0x1680, 0x169F, "Ogham"},
    {0x16A0, 0x16FF, "Runic"},
    {0x1700, 0x177F, "Philippine scripts"},
    {0x1780, 0x17FF, "Khmer"},
    {0x1800, 0x18AF, "Mongolian"},
    {0x1AB0, 0x1AFF, "Combining Diacritical Marks Extended"},
    {0x1C80, 0x1C8F, "Cyrillic Extended-C"},
    {0x1C90, 0x1CBF, "Georgian Extended"},
    {0x1D00, 0x1DBF, "Phonetic Extensions"},
    {0x1DC0, 0x1DFF, "Combining Diacritical Marks Supplement"},
    {0x1E00, 0x1EFF, "Latin Extended Additional"},
    {0x1F00, 0x1FFF, "Greek Extended"},
    {0x2000, 0x206F, "General Punctuation"},
    {0x2070, 0x209F, "Superscripts and Subscripts"},
    {0x20A0, 0x20CF, "Currency Symbols"},
    {0x20D0, 0x20FF, "Combining Marks for Symbols"},
    {0x2100, 0x214F, "Letterlike Symbols"},
    {0x2150, 0x218F, "Number Forms"},
    {0x2190, 0x21FF, "Arrows"},
    {0x2200, 0x22FF, "Mathematical Operators"},
    {0x2300, 0x23FF, "Miscellaneous Technical"},
    {0x2400, 0x245F, "Control Pictures or OCR"},
    {0x2460, 0x24FF, "Enclosed Alphanumerics"},
    {0x2500, 0x259F, "Box Drawing"},
    {0x25A0, 0x25FF, "Geometric Shapes"},
    {0x2600, 0x27BF, "Symbols and Dingbats"},
    {0x2C60, 0x2C7F, "Latin Extended-C"},
    {0x2D00, 0x2D2F, "Georgian Supplement"},
    {0x2DE0, 0x2DFF, "Cyrillic Extended-A"},
    {0x2E80, 0x2FDF, "CJK Radicals"},
    {0x3000, 0x303F, "CJK Symbols and Punctuation"},
    {0x3040, 0x309F, "Hiragana"},
    {0x30A0, 0x30FF, "Katakana"},
    {0x3100, 0x312F, "Bopomofo"},
    {0x3130, 0x318F, "Hangul Compatibility Jamo"},
    {0x3190, 0x33FF, "CJK symbols"},
    {0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"},
    {0x4DC0, 0x4DFF, "Yijing Hexagram Symbols"},
    {0x4E00, 0x9FFF, "CJK Unified Ideographs"},
    {0xA000, 0xA4CF, "Yi"},
    {0xA640, 0xA69F, "Cyrillic Extended-B"},
    {0xA720, 0xA7FF, "Latin Extended-D"},
    {0xA800, 0xABFF, "South and Southeast Asian scripts"},
    {0xAC00, 0xD7AF, "Hangul Syllables"},
    {0xD7B0, 0xD7FF, "Hangul Jamo Extended-B"},
    {0xE000, 0xF8FF, "Private Use Area"},
    {0xF900, 0xFAFF, "CJK Compatibility Ideographs"},
    {0xFB00, 0xFB4F, "Alphabetic Presentation Forms"},
    {0xFB50, 0xFDFF, "Arabic Presentation Forms-A"},
    {0xFE00, 0xFE0F, "Variation Selectors"},
    {0xFE20, 0xFE2F, "Combining Half Marks"},
    {0xFE70, 0xFEFF, "Arabic Presentation Forms-B"},
    {0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"},
    {0xFFF0, 0xFFFF, "Specials"},
    {0x10000, 0x1F0FF, "a historic or rare script"},
    {0x1F100, 0x1FAFF, "emoji or pictographs"},
    {0x20000, 0x3134F, "CJK Unified Ideographs Extension"},
    {0xE0000, 0xE007F, "Tags"},
    {0xE0100, 0xE01EF, "Variation Selectors Supplement"},
    {0xF0000, 0x10FFFF, "Private Use Area"},
};

const char* block_name(char32_t cp) {
    auto it = std::upper_bound(std::begin(kBlocks), std::end(kBlocks), cp,
                               [](char32_t c, const Block& b) { return c < b.first; });
    if (it == std::begin(kBlocks)) {
        return nullptr;
    }
    --it;
    return cp <= it->last ? it->name : nullptr;
}

// After NFC, Vietnamese needs at most two marks on a letter and pointed Hebrew about three.
constexpr std::size_t kMaxCombiningMarks = 4;

std::string hex(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

}  // namespace

std::size_t max_chars(TextKind kind) {
    switch (kind) {
        case TextKind::kName:
            return 200;
        case TextKind::kId:
            return 64;
        case TextKind::kLine:
            return 500;
        case TextKind::kAddress:
            return 500;
        case TextKind::kFreeText:
            return 20000;
    }
    return 0;
}

std::string normalize_text(std::string_view utf8) {
    // Pass 1: drop the invisible format characters and make every line break "\n", so a note
    // pasted from Windows reads like one typed here. Invalid UTF-8 is kept as it is.
    std::string cleaned;
    cleaned.reserve(utf8.size());
    bool valid = true;
    for (std::size_t i = 0; i < utf8.size();) {
        Step s = next(utf8.substr(i));
        if (!s.valid) {
            valid = false;
            cleaned += utf8[i];
            ++i;
            continue;
        }
        if (s.cp == '\r') {
            cleaned += '\n';
            i += (i + 1 < utf8.size() && utf8[i + 1] == '\n') ? std::size_t{2} : std::size_t{1};
            continue;
        }
        if (!is_removed_format(s.cp)) {
            cleaned.append(utf8.substr(i, s.length));
        }
        i += s.length;
    }
    if (!valid) {
        return cleaned;  // text_problem() refuses it; composing would need valid input
    }
    // Pass 2: NFC (canonical composition), so "e" + U+0308 is stored and printed as "ë".
    // The explicit length (no UTF8PROC_NULLTERM) keeps an embedded NUL for text_problem().
    utf8proc_uint8_t* out = nullptr;
    auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(cleaned.data()),
                          static_cast<utf8proc_ssize_t>(cleaned.size()), &out,
                          static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
    if (n < 0) {
        return cleaned;
    }
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

bool is_printable_codepoint(char32_t cp) {
    auto it = std::upper_bound(
        std::begin(kPrintableRanges), std::end(kPrintableRanges), cp,
        [](char32_t c, const std::pair<char32_t, char32_t>& r) { return c < r.first; });
    if (it == std::begin(kPrintableRanges)) {
        return false;
    }
    --it;
    return cp <= it->second;
}

std::string describe_codepoint(char32_t cp) {
    std::string out = hex(cp);
    if (cp == '\n' || cp == '\r') {
        return out + " (a line break)";
    }
    if (cp == '\t') {
        return out + " (a tab)";
    }
    if (const char* name = block_name(cp)) {
        out += " (";
        out += name;
        out += ")";
    }
    return out;
}

std::optional<std::string> text_problem(std::string_view utf8, TextKind kind) {
    const bool multiline = kind == TextKind::kFreeText || kind == TextKind::kAddress;
    std::size_t count = 0;
    std::size_t marks = 0;                   // combining marks in a row, on one letter
    std::optional<std::string> unprintable;  // the first, reported after the harder errors
    for (std::size_t i = 0; i < utf8.size();) {
        Step s = next(utf8.substr(i));
        if (!s.valid) {
            return "is not valid UTF-8 text (byte " + std::to_string(i + 1) + ")";
        }
        i += s.length;
        ++count;
        if (s.cp == 0) {
            return "contains U+0000 (a NUL character), which is not allowed";
        }
        if (s.cp == '\n' || s.cp == '\t') {
            if (!multiline) {
                return "contains " + describe_codepoint(s.cp) +
                       ", which is not allowed in a one-line field";
            }
            continue;
        }
        if (is_control(s.cp)) {
            return "contains the control character " + hex(s.cp) + ", which is not allowed";
        }
        auto category = utf8proc_category(static_cast<utf8proc_int32_t>(s.cp));
        bool mark = category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_ME;
        marks = mark ? marks + 1 : 0;
        if (marks > kMaxCombiningMarks && !unprintable) {
            // "Zalgo" text: no script stacks this many marks on one letter, and a report line
            // could not hold them.
            unprintable = "has more than " + std::to_string(kMaxCombiningMarks) +
                          " combining marks on one letter (" + describe_codepoint(s.cp) + ")";
        }
        if (unprintable) {
            continue;
        }
        if (category == UTF8PROC_CATEGORY_CN) {
            unprintable = "contains " + describe_codepoint(s.cp) +
                          ", which is not an assigned Unicode character";
        } else if (category == UTF8PROC_CATEGORY_CF || !is_printable_codepoint(s.cp)) {
            unprintable =
                "contains " + describe_codepoint(s.cp) + ", which the reports cannot print";
        }
    }
    if (count > max_chars(kind)) {
        return "is too long: " + std::to_string(count) + " characters, at most " +
               std::to_string(max_chars(kind));
    }
    if (unprintable) {
        return unprintable;
    }
    if (kind == TextKind::kId && !utf8.empty() && (utf8.front() == ' ' || utf8.back() == ' ')) {
        return "must not begin or end with a space";
    }
    return std::nullopt;
}

std::string quote_for_message(std::string_view text, std::size_t max_chars) {
    std::string out;
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (count == max_chars) {
            out += "...";
            break;
        }
        Step s = next(text.substr(i));
        i += s.length;
        ++count;
        if (!s.valid) {
            append_utf8(out, 0xFFFD);
            continue;
        }
        auto category = utf8proc_category(static_cast<utf8proc_int32_t>(s.cp));
        bool invisible = is_control(s.cp) || category == UTF8PROC_CATEGORY_CF ||
                         category == UTF8PROC_CATEGORY_ZL || category == UTF8PROC_CATEGORY_ZP;
        if (invisible) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(s.cp));
            out += buf;
        } else {
            out.append(text.substr(i - s.length, s.length));
        }
    }
    return out;
}

}  // namespace myo
