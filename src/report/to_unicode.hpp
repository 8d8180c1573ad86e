#pragma once
// A correct ToUnicode CMap for the fonts the reports embed. libharu 2.3 writes its Identity-H
// encoding CMap (with "begincidrange") as the font's ToUnicode map, which is not valid there:
// poppler warns "Invalid 'begincidrange' operator in ToUnicode CMap" and copy-paste relies on
// guesses. The reports draw every glyph by its Unicode code point (Identity-H with a
// CIDToGIDMap), so the correct map is one "bfchar" entry per code the document uses, with
// Arabic presentation forms mapped back to the letters they show, so copied text is the
// letters that were typed.

#include <string>
#include <vector>

namespace myo::report {

// The text of a ToUnicode CMap mapping each of `codes` (BMP code points, sorted, unique).
std::string to_unicode_cmap(const std::vector<char32_t>& codes);

// What a drawn code point copies out as: itself, or for an Arabic presentation form (and a
// lam-alef ligature) the letters it shows.
std::u32string copied_text(char32_t code);

}  // namespace myo::report
