#include "core/json_util.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace myo {

std::string pointer_escape(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string join_path(const std::string& parent, std::string_view key) {
    return parent + "/" + pointer_escape(key);
}

std::string join_path(const std::string& parent, std::size_t index) {
    return parent + "/" + std::to_string(index);
}

namespace {

struct Frame {
    bool is_object = false;
    std::set<std::string> keys;
    std::string key;
    long index = -1;
};

std::string frames_path(const std::vector<Frame>& frames, std::size_t upto) {
    std::string path;
    for (std::size_t i = 0; i < upto; ++i) {
        const Frame& f = frames[i];
        if (f.is_object) {
            path = join_path(path, f.key);
        } else {
            path = join_path(path, static_cast<std::size_t>(f.index));
        }
    }
    return path;
}

// nlohmann's message starts "[json.exception.parse_error.101] parse error at line 3,
// column 15: "; keep only what follows, since we print line and column ourselves.
std::string syntax_detail(const std::string& what) {
    auto column = what.find("column ");
    if (column != std::string::npos) {
        auto colon = what.find(": ", column);
        if (colon != std::string::npos) {
            return what.substr(colon + 2);
        }
    }
    auto bracket = what.find("] ");
    return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

}  // namespace

ParsedJson parse_json(std::string_view text) {
    ParsedJson result;
    std::vector<Frame> frames;
    auto element_starts = [&frames]() {
        if (!frames.empty() && !frames.back().is_object) {
            ++frames.back().index;
        }
    };
    Json::parser_callback_t callback = [&](int, nlohmann::json::parse_event_t event, Json& parsed) {
        using E = nlohmann::json::parse_event_t;
        switch (event) {
            case E::object_start:
                element_starts();
                frames.push_back(Frame{true, {}, {}, -1});
                break;
            case E::array_start:
                element_starts();
                frames.push_back(Frame{false, {}, {}, -1});
                break;
            case E::object_end:
            case E::array_end:
                if (!frames.empty()) {
                    frames.pop_back();
                }
                break;
            case E::key: {
                Frame& top = frames.back();
                top.key = parsed.get<std::string>();
                if (!top.keys.insert(top.key).second) {
                    result.problems.push_back(
                        {frames_path(frames, frames.size()),
                         "the key \"" + top.key + "\" appears more than once in this object"});
                }
                break;
            }
            case E::value:
                element_starts();
                break;
        }
        return true;
    };
    try {
        Json value = Json::parse(text.begin(), text.end(), callback, true, false);
        if (result.problems.empty()) {
            result.value = std::move(value);
        }
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is the 1-based offset of the character that broke the parse.
        std::size_t stop = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < stop; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
                ++column;  // count characters, not UTF-8 continuation bytes
            }
        }
        result.problems.clear();
        result.problems.push_back(
            {"line " + std::to_string(line) + ", column " + std::to_string(column),
             "malformed JSON: " + syntax_detail(e.what())});
    }
    return result;
}

std::string describe_value(const Json& value) {
    std::string out = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    constexpr std::size_t kMax = 60;
    if (out.size() > kMax) {
        out = out.substr(0, kMax - 3) + "...";
    }
    return out;
}

std::string format_number(double value) {
    if (value == static_cast<double>(static_cast<long long>(value)) && value > -1e15 &&
        value < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    return Json(value).dump();
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(path.string() + ": cannot open: " + std::strerror(errno));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
        throw std::runtime_error(path.string() + ": cannot read: " + std::strerror(errno));
    }
    return buffer.str();
}

}  // namespace myo
