#pragma once
// Right-to-left text inside the reports' left-to-right lines (FriBidi): Arabic letters take
// their joined forms (Arabic Presentation Forms, which DejaVu Sans draws), and each drawn
// piece of a line is reordered from the order it is typed in to the order it is drawn in
// (Unicode bidirectional algorithm, base direction left to right), after line breaking.
// libharu draws glyphs left to right with no shaping of its own, so this is all it needs.

#include <string>
#include <string_view>

#include "core/utf8.hpp"  // to_utf32, to_utf8: what callers of these functions convert with

namespace myo::report {

// Whether `text` needs shaping or reordering at all; most text does not, and skips FriBidi.
bool needs_bidi(std::u32string_view text);

// Arabic joined forms (and the lam-alef ligatures), still in typed order: what is measured.
std::u32string shaped(std::u32string_view logical);

// As shaped(), one character for each of `logical`: the second letter of a lam-alef
// ligature becomes U+FEFF (drawn as nothing, zero width). For breaking a word between
// characters.
std::u32string shaped_aligned(std::u32string_view logical);
inline constexpr char32_t kLigatureFill = 0xFEFF;

// Shaped and reordered for drawing left to right; mirrored brackets inside right-to-left runs.
std::u32string visual(std::u32string_view logical);

}  // namespace myo::report
