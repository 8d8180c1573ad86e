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

// "line L, column C" of a byte offset, counting characters, not UTF-8 continuation bytes.
std::string line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann copies and prints values recursively, so a file nested thousands deep
// ("[[[[...") would overflow the stack long after parsing. No MyoScreen document nests
// more than six deep; refuse past kMaxDepth before parsing. Returns the byte offset of the
// bracket that goes too deep, or npos. Brackets inside strings do not count.
constexpr int kMaxDepth = 64;

std::size_t too_deep_at(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) {
                return i;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::string_view::npos;
}

}  // namespace

ParsedJson parse_json(std::string_view text) {
    ParsedJson result;
    if (std::size_t deep = too_deep_at(text); deep != std::string_view::npos) {
        result.problems.push_back(
            {line_column(text, deep),
             "malformed JSON: nested more than " + std::to_string(kMaxDepth) + " levels deep"});
        return result;
    }
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
        result.problems.clear();
        result.problems.push_back(
            {line_column(text, stop), "malformed JSON: " + syntax_detail(e.what())});
    } catch (const nlohmann::json::out_of_range& e) {
        // A number too large for a double (1e400) is the one out_of_range the parser
        // throws (406); it carries no offset, so find the token it quotes.
        std::string what = e.what();
        auto open = what.find('\'');
        auto close = what.rfind('\'');
        std::string token = open != std::string::npos && close > open
                                ? what.substr(open + 1, close - open - 1)
                                : "";
        std::size_t at = token.empty() ? std::string_view::npos : text.find(token);
        std::string shown = token.size() > 24 ? token.substr(0, 21) + "..." : token;
        result.problems.clear();
        result.problems.push_back(
            {at == std::string_view::npos ? std::string("/") : line_column(text, at),
             "malformed JSON: the number " + shown + " is too large to represent"});
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
