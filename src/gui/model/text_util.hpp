#pragma once
// Small text helpers shared by the presentation models.

#include <string>

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

}  // namespace myo::gui
