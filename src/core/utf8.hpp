#pragma once
// UTF-8 encoding and decoding, one implementation for the whole program: search folding, the
// input policy and the reports' layout all walk text by code point.

#include <cstddef>
#include <string>
#include <string_view>

namespace myo {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point at `i` and advances `i` past it. A malformed or overlong sequence,
// a surrogate or a value past U+10FFFF gives U+FFFD and consumes one byte, so every byte of
// the input is looked at once (linear) and nothing malformed gets through.
char32_t next_code_point(std::string_view s, std::size_t& i);

void append_utf8(std::string& out, char32_t cp);

std::u32string to_utf32(std::string_view utf8);  // malformed bytes give U+FFFD
std::string to_utf8(std::u32string_view text);

}  // namespace myo
