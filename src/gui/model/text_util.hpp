#pragma once
// Small text helpers shared by the presentation models.

#include <optional>
#include <string>

#include "core/text_input.hpp"

namespace myo::gui {

// The text without leading and trailing white space (what a user typed around a value).
inline std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) {
        return {};
    }
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// "What" followed by text_problem()'s sentence and a full stop, for the text as it will be
// stored (normalised); nothing when it is acceptable. Shared by every dialog with typed text:
// "The name contains U+0915 (Devanagari), which the reports cannot print."
inline std::optional<std::string> typed_text_problem(const std::string& what,
                                                     const std::string& typed, TextKind kind) {
    if (auto problem = text_problem(normalize_text(typed), kind)) {
        return what + " " + *problem + ".";
    }
    return std::nullopt;
}

}  // namespace myo::gui
