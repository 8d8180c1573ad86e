#include "report/bidi_text.hpp"

#include <fribidi.h>

#include <algorithm>
#include <vector>

#include "report/fonts.hpp"
#include "report/report_error.hpp"

namespace myo::report {

namespace {

bool is_rtl_or_arabic(char32_t c) {
    // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended; the
    // presentation forms; the explicit marks are removed before layout but count here too.
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFC) || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

// The paragraph analysis both functions share; `reorder` decides the last step.
std::u32string run_fribidi(std::u32string_view logical, bool reorder, bool keep_fill = false) {
    const auto len = static_cast<FriBidiStrIndex>(logical.size());
    if (logical.size() > static_cast<std::size_t>(INT32_MAX / 4)) {
        throw ReportError("a text is too long to lay out");
    }
    std::vector<FriBidiChar> str(logical.begin(), logical.end());
    std::vector<FriBidiCharType> types(str.size());
    std::vector<FriBidiBracketType> brackets(str.size());
    std::vector<FriBidiLevel> levels(str.size());
    std::vector<FriBidiArabicProp> joining(str.size());
    fribidi_get_bidi_types(str.data(), len, types.data());
    fribidi_get_bracket_types(str.data(), len, types.data(), brackets.data());
    FriBidiParType base = FRIBIDI_PAR_LTR;
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), len, &base,
                                            levels.data()) == 0) {
        throw ReportError("the bidirectional text layout failed (out of memory?)");
    }
    fribidi_get_joining_types(str.data(), len, joining.data());
    fribidi_join_arabic(types.data(), len, levels.data(), joining.data());
    // Not FRIBIDI_FLAG_REORDER_NSM: DejaVu Sans draws Hebrew points and Arabic harakat to
    // the right of the pen (they are meant to precede their letter when drawn left to
    // right), so in right-to-left runs the marks stay before their letter after reversal.
    // Latin marks draw to the left of the pen and follow their letter, as typed.
    const FriBidiFlags flags =
        FRIBIDI_FLAG_SHAPE_MIRRORING | FRIBIDI_FLAG_REMOVE_SPECIALS | FRIBIDI_FLAGS_ARABIC;
    fribidi_shape(flags, levels.data(), len, joining.data(), str.data());
    if (reorder && fribidi_reorder_line(flags, types.data(), len, 0, base, levels.data(),
                                        str.data(), nullptr) == 0) {
        throw ReportError("the bidirectional text layout failed (out of memory?)");
    }
    std::u32string out;
    out.reserve(str.size());
    for (FriBidiChar c : str) {
        // FriBidi marks the second letter of a lam-alef ligature with this filler.
        if (keep_fill || c != kLigatureFill) {
            out.push_back(static_cast<char32_t>(c));
        }
    }
    return out;
}

}  // namespace

bool needs_bidi(std::u32string_view text) {
    return std::any_of(text.begin(), text.end(), is_rtl_or_arabic);
}

std::u32string shaped(std::u32string_view logical) {
    if (!needs_bidi(logical)) {
        return std::u32string(logical);
    }
    return run_fribidi(logical, false);
}

std::u32string shaped_aligned(std::u32string_view logical) {
    if (!needs_bidi(logical)) {
        return std::u32string(logical);
    }
    return run_fribidi(logical, false, true);
}

std::u32string visual(std::u32string_view logical) {
    if (!needs_bidi(logical)) {
        return std::u32string(logical);
    }
    return run_fribidi(logical, true);
}

}  // namespace myo::report
