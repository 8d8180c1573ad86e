#!/usr/bin/env python3
"""Generates src/core/printable_ranges.inc: the code points the reports can print, which core's
is_printable_codepoint() accepts where a name or text is typed or imported.

A code point is printable when
  - it is in a block of a script the reports lay out correctly (Latin, Greek, Cyrillic,
    Armenian, Georgian, Hebrew, Arabic, Chinese, Japanese, Korean) or in the common
    punctuation and symbol blocks; scripts that need complex shaping (Devanagari and the other
    Indic scripts, Thai, Lao, Khmer, Myanmar, Tibetan, Syriac, ...) are left out even where a
    font has glyphs for them, since libharu draws glyphs one after another without shaping;
  - it is not a control, format (U+00AD, U+200B..U+200F, U+202A..U+202E, U+2060..U+206F,
    U+FEFF, ...), surrogate, private-use, unassigned or line/paragraph separator character,
    and not an enclosing or combining mark outside the marks placed without shaping
    (U+0300..U+036F, Hebrew points, Arabic harakat);
  - both the regular and the bold chain of report fonts draw it (fonts.cpp: DejaVu Sans,
    Nanum Gothic for Hangul only, Droid Sans Fallback), in the Basic Multilingual Plane;
  - for an Arabic letter: every joined form FriBidi may draw for it (the Arabic Presentation
    Forms that decompose to it) is in both DejaVu faces.

tests/report/test_printable.cpp checks every accepted code point against the fonts the
reports load, in the contexts that change its form (Arabic joining, mirroring in
right-to-left text).

Run (Debian's python3-fonttools):
  /usr/bin/python3 src/report/tools/make_printable_ranges.py > src/core/printable_ranges.inc
  /usr/bin/python3 src/report/tools/make_printable_ranges.py --check src/core/printable_ranges.inc
"""
import sys
import unicodedata

from fontTools.ttLib import TTFont

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
NANUM = "/usr/share/fonts/truetype/nanum/"
DROID = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
HANGUL = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)]
# The ranges fonts.cpp reads the installed DejaVu for (it has nothing in the others).
DEJAVU_USED = [(0x0000, 0x2FFF), (0x4DC0, 0x4DFF), (0xA000, 0xABFF), (0xD800, 0xF8FF), (0xFB00, 0xFFFF)]

# Blocks of the supported scripts and of common punctuation and symbols (inclusive).
BLOCKS = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x024F),  # Latin Extended-A and -B
    (0x0250, 0x02AF),  # IPA Extensions (Latin letters used in African languages)
    (0x02B0, 0x02FF),  # Spacing Modifier Letters
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic, Cyrillic Supplement
    (0x0530, 0x058F),  # Armenian
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x10A0, 0x10FF),  # Georgian
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x1F00, 0x1FFF),  # Greek Extended
    (0x2000, 0x206F),  # General Punctuation
    (0x2070, 0x209F),  # Superscripts and Subscripts
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2150, 0x218F),  # Number Forms
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2713, 0x2717),  # check marks and crosses used by the reports
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0x2D00, 0x2D2F),  # Georgian Supplement
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA640, 0xA69F),  # Cyrillic Extended-B
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xAB30, 0xAB6F),  # Latin Extended-E
    (0xAC00, 0xD7A3),  # Hangul Syllables
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFB13, 0xFB17),  # Armenian ligatures
    (0xFB1D, 0xFB4F),  # Hebrew presentation forms
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFE),  # Arabic Presentation Forms-B
    (0xFF01, 0xFFEF),  # Halfwidth and Fullwidth Forms
]

# Marks drawn over the letter before them without shaping (zero-width glyphs in DejaVu).
PLACED_MARKS = [(0x0300, 0x036F), (0x0591, 0x05C7), (0x064B, 0x065F), (0x0670, 0x0670)]

# Mirrored characters kept: brackets, quotes and comparison signs in these blocks.
MIRRORED_KEPT = [(0x0020, 0x00FF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF01, 0xFFEF)]

# Format characters are removed on input (core's normalize_text); the other categories can
# never be printed.
EXCLUDED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Me"}


def in_ranges(c, ranges):
    return any(a <= c <= b for a, b in ranges)


def cmap(path, only=None):
    font = TTFont(path, lazy=True)
    return {c for c in font.getBestCmap() if c < 0x10000 and (only is None or in_ranges(c, only))}


def arabic_form_gaps(dejavu_faces):
    """Arabic letters that cannot be joined: some of their joined forms are missing from a
    DejaVu face, or Unicode has no presentation forms for them at all (FriBidi shapes only
    to presentation forms, so such a letter would stand unjoined between joined ones)."""
    with_forms = set()
    missing = set()
    for form in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        decomposition = unicodedata.decomposition(chr(form)).split()
        if len(decomposition) != 2 or decomposition[0] not in (
            "<isolated>", "<initial>", "<medial>", "<final>"
        ):
            continue
        letter = int(decomposition[1], 16)
        with_forms.add(letter)
        if not all(form in face for face in dejavu_faces):
            missing.add(letter)
    for letter in list(range(0x0620, 0x0700)) + list(range(0x0750, 0x0780)):
        if unicodedata.category(chr(letter)) == "Lo" and letter not in with_forms:
            missing.add(letter)
    return missing


def printable():
    regular = [cmap(DEJAVU + "DejaVuSans.ttf", DEJAVU_USED), cmap(NANUM + "NanumGothic.ttf", HANGUL), cmap(DROID)]
    bold = [cmap(DEJAVU + "DejaVuSans-Bold.ttf", DEJAVU_USED), cmap(NANUM + "NanumGothicBold.ttf", HANGUL), cmap(DROID)]
    drawn = set.union(*regular) & set.union(*bold)
    no_forms = arabic_form_gaps([regular[0], bold[0]])
    out = []
    for c in sorted(drawn):
        if not in_ranges(c, BLOCKS):
            continue
        category = unicodedata.category(chr(c))
        if category in EXCLUDED_CATEGORIES:
            continue
        if category == "Mn" and not in_ranges(c, PLACED_MARKS):
            continue
        if c in no_forms:
            continue
        # Inside right-to-left text FriBidi draws a mirrored character (a bracket, a
        # relation sign) as its mirror image, another code point the fonts may lack; only the
        # brackets and quotes of the punctuation blocks are kept, whose mirrors they have.
        if unicodedata.mirrored(chr(c)) and not in_ranges(c, MIRRORED_KEPT):
            continue
        out.append(c)
    return out


def ranges(codes):
    result = []
    for c in codes:
        if result and result[-1][1] == c - 1:
            result[-1][1] = c
        else:
            result.append([c, c])
    return result


def render(codes):
    lines = [
        "// Generated by src/report/tools/make_printable_ranges.py from the report fonts; do not edit.",
        "// The code points the reports can print: sorted, inclusive, non-overlapping ranges.",
        f"// {len(codes)} code points (Unicode {unicodedata.unidata_version} categories).",
        "#pragma once",
        "",
        "#include <utility>",
        "",
        "inline constexpr std::pair<char32_t, char32_t> kPrintableRanges[] = {",
    ]
    for a, b in ranges(codes):
        lines.append(f"    {{0x{a:04X}, 0x{b:04X}}},")
    lines.append("};")
    return "\n".join(lines) + "\n"


def main():
    text = render(printable())
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        with open(sys.argv[2], encoding="utf-8") as f:
            if f.read() != text:
                sys.stderr.write(f"{sys.argv[2]} is out of date with the installed fonts: run {sys.argv[0]}\n")
                return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
