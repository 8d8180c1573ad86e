#include "core/text_fold.hpp"

#include <array>
#include <cstdint>

#include "core/utf8.hpp"

namespace myo {

namespace {

// One entry per code point from U+00C0 to U+017F. A letter is the folded form; the digits
// stand for two-letter folds and '0' means "keep the character" (x and division signs).
constexpr std::string_view kLatinTable =
    // U+00C0..U+00FF: ÀÁÂÃÄÅÆÇ ÈÉÊË ÌÍÎÏ ÐÑ ÒÓÔÕÖ × Ø ÙÚÛÜ Ý Þ ß, then the lower case
    "aaaaaa1ceeeeiiiidnooooo0ouuuuy23"
    "aaaaaa1ceeeeiiiidnooooo0ouuuuy2y"
    // U+0100..U+017F: Latin Extended-A
    "aaaaaacccccccc"             // ĀāĂăĄą ĆćĈĉĊċČč
    "ddddeeeeeeeeee"             // ĎďĐđ ĒēĔĕĖėĘęĚě
    "gggggggghhhh"               // ĜĝĞğĠġĢģ ĤĥĦħ
    "iiiiiiiiii44jjkkk"          // ĨĩĪīĬĭĮįİı Ĳĳ Ĵĵ Ķķĸ
    "llllllllllnnnnnnnnn"        // ĹĺĻļĽľĿŀŁł ŃńŅņŇňŉŊŋ
    "oooooo55rrrrrr"             // ŌōŎŏŐő Œœ ŔŕŖŗŘř
    "sssssssstttttt"             // ŚśŜŝŞşŠš ŢţŤťŦŧ
    "uuuuuuuuuuuuwwyyyzzzzzzs";  // ŨũŪūŬŭŮůŰűŲų Ŵŵ ŶŷŸ ŹźŻżŽž ſ

static_assert(kLatinTable.size() == 0x180 - 0xC0, "one entry per code point");

std::string_view latin_fold(char code) {
    switch (code) {
        case '1':
            return "ae";
        case '2':
            return "th";
        case '3':
            return "ss";
        case '4':
            return "ij";
        case '5':
            return "oe";
        default:
            return {};
    }
}

char32_t fold_greek(char32_t cp) {
    switch (cp) {
        case 0x0386:
        case 0x03AC:
            return 0x03B1;  // alpha with tonos
        case 0x0388:
        case 0x03AD:
            return 0x03B5;  // epsilon
        case 0x0389:
        case 0x03AE:
            return 0x03B7;  // eta
        case 0x038A:
        case 0x03AF:
        case 0x03AA:
        case 0x03CA:
        case 0x0390:
            return 0x03B9;  // iota
        case 0x038C:
        case 0x03CC:
            return 0x03BF;  // omicron
        case 0x038E:
        case 0x03CD:
        case 0x03AB:
        case 0x03CB:
        case 0x03B0:
            return 0x03C5;  // upsilon
        case 0x038F:
        case 0x03CE:
            return 0x03C9;  // omega
        case 0x03C2:
            return 0x03C3;  // final sigma searches like sigma
        default:
            break;
    }
    if (cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2) {
        return cp + 0x20;
    }
    return cp;
}

char32_t fold_cyrillic(char32_t cp) {
    if (cp >= 0x0410 && cp <= 0x042F) {
        return cp + 0x20;
    }
    if (cp >= 0x0400 && cp <= 0x040F) {
        cp += 0x50;
    }
    // Russian text often writes ё as е; a search must find either.
    return cp == 0x0451 ? char32_t{0x0435} : cp;
}

void fold_code_point(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
        return;
    }
    if (cp >= 0xC0 && cp < 0x180) {
        char code = kLatinTable[cp - 0xC0];
        if (code >= 'a' && code <= 'z') {
            out += code;
        } else if (code == '0') {
            append_utf8(out, cp);
        } else {
            out += latin_fold(code);
        }
        return;
    }
    if (cp >= 0x0300 && cp <= 0x036F) {
        return;  // combining marks: decomposed "e" + U+0308 folds like "ë"
    }
    switch (cp) {
        case 0x0218:
        case 0x0219:
            out += 's';
            return;  // Romanian ș
        case 0x021A:
        case 0x021B:
            out += 't';
            return;  // Romanian ț
        case 0x01A0:
        case 0x01A1:
            out += 'o';
            return;  // Vietnamese ơ
        case 0x01AF:
        case 0x01B0:
            out += 'u';
            return;  // Vietnamese ư
        case 0x0192:
            out += 'f';
            return;
        case 0x1E9E:
            out += "ss";
            return;  // capital sharp s
        default:
            break;
    }
    if (cp >= 0x0370 && cp <= 0x03FF) {
        append_utf8(out, fold_greek(cp));
    } else if (cp >= 0x0400 && cp <= 0x04FF) {
        append_utf8(out, fold_cyrillic(cp));
    } else {
        append_utf8(out, cp);
    }
}

}  // namespace

std::string fold_for_search(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    std::size_t i = 0;
    while (i < utf8.size()) {
        fold_code_point(next_code_point(utf8, i), out);
    }
    return out;
}

std::vector<std::string> search_terms(std::string_view utf8) {
    std::vector<std::string> terms;
    std::string current;
    for (char c : fold_for_search(utf8)) {
        auto u = static_cast<unsigned char>(c);
        bool word = u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (word) {
            current += c;
        } else if (!current.empty()) {
            terms.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) {
        terms.push_back(std::move(current));
    }
    return terms;
}

}  // namespace myo
