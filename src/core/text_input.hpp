#pragma once
// The one policy for text that a person types or a file brings in (names, ids, clinic and
// clinician, free text): how it is normalised, how long it may be, and which characters the
// reports can print. The reader, the store, the GUI dialogs and the CLI all ask here, so a
// name is refused where it is typed or imported, never later at report time.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace myo {

// What a text is, which decides its limit and whether it may hold line breaks.
enum class TextKind {
    kName,      // a person's, clinic's or clinician's name: one line
    kId,        // a patient or record id: one line, no spaces at either end
    kLine,      // any other one-line value (a medication, a list entry)
    kAddress,   // a postal address: a few lines
    kFreeText,  // notes: several lines allowed
};

// Limits in Unicode characters (code points), after normalisation. Documented in the README.
std::size_t max_chars(TextKind kind);

// NFC, with the invisible format characters removed: zero-width space/joiners (U+200B..U+200D),
// the word joiner, invisible operators and deprecated format controls (U+2060..U+206F), the
// byte-order mark (U+FEFF), bidi marks, embeddings, overrides and isolates (U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069) and the soft hyphen (U+00AD). Text is
// stored and printed in this form. Invalid UTF-8 is left for text_problem() to refuse.
std::string normalize_text(std::string_view utf8);

// Whether the reports can print this code point: the union of the fonts the report layer
// embeds, limited to the scripts it lays out correctly (Latin, Greek, Cyrillic, Armenian,
// Georgian, Hebrew, Arabic, Chinese, Japanese, Korean). A test in tests/report checks every
// code point accepted here against the fonts.
bool is_printable_codepoint(char32_t cp);

// Nothing when `utf8` (already normalised) is acceptable as `kind`; otherwise one sentence
// that names the problem and, for a character, quotes it as U+XXXX with its script, e.g.
// "contains U+0915 (Devanagari), which the reports cannot print". Checks: valid UTF-8, no NUL
// or other control character (line breaks and tabs only in kFreeText and kAddress), no space at
// either end of a kId, within max_chars(kind), every character assigned and printable, at most
// four combining marks on one letter.
// Control characters are named, never echoed.
std::optional<std::string> text_problem(std::string_view utf8, TextKind kind);

// "U+0915 (Devanagari)": a code point as a message quotes it, with its block's name when known.
std::string describe_codepoint(char32_t cp);

// A piece of untrusted text made safe to quote in a message printed on a terminal: invalid
// UTF-8 becomes U+FFFD, control and format characters become \u001B escapes, and anything past
// `max_chars` characters is cut with "...". Used for every value a message quotes.
std::string quote_for_message(std::string_view text, std::size_t max_chars = 80);

}  // namespace myo
