#include "store/message_text.hpp"

#include "core/text_input.hpp"

namespace myo::store {

std::string in_quotes(const std::string& s) {
    return "\"" + quote_for_message(s, max_chars(TextKind::kName)) + "\"";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ", ") + i;
    }
    return out;
}

}  // namespace myo::store
