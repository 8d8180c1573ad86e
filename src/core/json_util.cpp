#include "core/json_util.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <list>
#include <sstream>
#include <unordered_set>

#include "core/text_input.hpp"

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

// nlohmann's message starts "[json.exception.parse_error.101] parse error at line 3,
// column 15: "; keep only what follows, since we print line and column ourselves. What it
// quotes ("last read: '...'") is the raw input, so it is made safe and short.
std::string syntax_detail(const std::string& what) {
    std::string detail = what;
    auto column = what.find("column ");
    auto colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
    if (colon != std::string::npos) {
        detail = what.substr(colon + 2);
    } else if (auto bracket = what.find("] "); bracket != std::string::npos) {
        detail = what.substr(bracket + 2);
    }
    auto last = detail.find("last read: '");
    auto close = detail.rfind('\'');
    if (last != std::string::npos && close != std::string::npos && close >= last + 12) {
        std::string token = detail.substr(last + 12, close - (last + 12));
        detail = detail.substr(0, last + 12) + quote_for_message(token) + detail.substr(close);
    }
    return quote_for_message(detail, 400);
}

// The number's text has a non-zero digit before its exponent: "1e-400" does, "0e-400" not.
bool has_nonzero_mantissa(const std::string& token) {
    for (char c : token) {
        if (c == 'e' || c == 'E') {
            break;
        }
        if (c >= '1' && c <= '9') {
            return true;
        }
    }
    return false;
}

// Builds the document in one pass (SAX). nlohmann's own DOM builder for ordered_json looks
// every key up in the object so far (ordered_map is a vector), which made an object of n keys
// cost n^2/2 comparisons: 80,000 keys took 10 s. Here keys are appended directly and repeats
// are found with a hash set per open object, so parsing is linear in the size of the text.
class DomBuilder {
  public:
    DomBuilder(std::string_view text, std::vector<Problem>& problems)
        : text_(text), problems_(problems) {}

    bool null() { return add(Json(nullptr)); }
    bool boolean(bool v) { return add(Json(v)); }
    bool number_integer(Json::number_integer_t v) { return add(Json(v)); }
    bool number_unsigned(Json::number_unsigned_t v) { return add(Json(v)); }
    bool number_float(Json::number_float_t v, const std::string& token) {
        // strtod turns 1e-400 into 0 and 1e-310 into a denormal that loses digits; a value
        // that cannot be represented is refused like 1e400 rather than silently changed.
        if ((v == 0.0 && has_nonzero_mantissa(token)) ||
            (v != 0.0 && std::fabs(v) < std::numeric_limits<double>::min())) {
            fatal_ = Problem{line_column(text_, token_start(token)),
                             "malformed JSON: the number " + quote_for_message(token, 21) +
                                 " is too small to represent"};
            return false;
        }
        return add(Json(v));
    }
    bool string(std::string& v) { return add(Json(std::move(v))); }
    bool binary(Json::binary_t&) { return false; }  // never produced by the JSON parser
    bool start_object(std::size_t) {
        if (!add(Json::object())) {
            return false;
        }
        frames_.push_back(Frame{true, {}, {}, -1});
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) {
        if (!add(Json::array())) {
            return false;
        }
        frames_.push_back(Frame{false, {}, {}, -1});
        return true;
    }
    bool end_array() { return close(); }
    bool key(std::string& k) {
        Frame& top = frames_.back();
        top.key = k;
        top.duplicate = !top.keys.insert(k).second;
        if (top.duplicate && problems_.size() < kMaxProblems) {
            problems_.push_back({path(), "the key \"" + quote_for_message(k) +
                                             "\" appears more than once in this object"});
        }
        return true;
    }
    bool parse_error(std::size_t position, const std::string& token,
                     const nlohmann::detail::exception& e) {
        if (e.id == 406) {
            // A number too large for a double (1e400); position is just past it.
            std::size_t at = position >= token.size() ? position - token.size() : 0;
            fatal_ = Problem{line_column(text_, at), "malformed JSON: the number " +
                                                         quote_for_message(token, 21) +
                                                         " is too large to represent"};
        } else {
            // The offset of the character that broke the parse (1-based in the exception).
            const auto* pe = dynamic_cast<const nlohmann::detail::parse_error*>(&e);
            std::size_t byte = pe ? pe->byte : position;
            std::size_t stop = byte == 0 ? 0 : std::min<std::size_t>(byte - 1, text_.size());
            fatal_ =
                Problem{line_column(text_, stop), "malformed JSON: " + syntax_detail(e.what())};
        }
        return false;
    }

    std::optional<Problem> fatal() const { return fatal_; }
    Json take() { return std::move(root_); }

  private:
    struct Frame {
        bool is_object = false;
        std::unordered_set<std::string> keys;
        std::string key;
        long index = -1;
        bool duplicate = false;
    };

    // Where a number token starts (the SAX interface gives no offset for a value): its first
    // occurrence not inside a longer number. Called once, for the refused number only.
    std::size_t token_start(const std::string& token) const {
        auto is_number_char = [](char c) {
            return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' ||
                   c == 'E';
        };
        for (std::size_t at = text_.find(token); at != std::string_view::npos;
             at = text_.find(token, at + 1)) {
            bool starts = at == 0 || !is_number_char(text_[at - 1]);
            std::size_t end = at + token.size();
            if (starts && (end == text_.size() || !is_number_char(text_[end]))) {
                return at;
            }
        }
        return 0;
    }

    std::string path() const {
        std::string p;
        for (const Frame& f : frames_) {
            p = f.is_object ? join_path(p, quote_for_message(f.key))
                            : join_path(p, static_cast<std::size_t>(f.index));
        }
        return p;
    }

    // Appends a value where the parser stands: the root, the next array element, or the
    // member named by the last key (dropped when that key is a repeat: the document is refused).
    bool add(Json value) {
        if (frames_.empty()) {
            root_ = std::move(value);
            if (root_.is_structured()) {
                stack_.push_back(&root_);
            }
            return true;
        }
        Frame& top = frames_.back();
        Json& parent = *stack_.back();
        Json* placed = nullptr;
        if (top.is_object) {
            if (top.duplicate) {
                scratch_.push_back(std::move(value));
                placed = &scratch_.back();
            } else {
                auto& members =
                    static_cast<Json::object_t::Container&>(parent.get_ref<Json::object_t&>());
                members.emplace_back(top.key, std::move(value));
                placed = &members.back().second;
            }
        } else {
            ++top.index;
            auto& elements = parent.get_ref<Json::array_t&>();
            elements.push_back(std::move(value));
            placed = &elements.back();
        }
        if (placed->is_structured()) {
            stack_.push_back(placed);
        }
        return true;
    }

    bool close() {
        frames_.pop_back();
        stack_.pop_back();
        return true;
    }

    std::string_view text_;
    std::vector<Problem>& problems_;
    Json root_;
    std::vector<Frame> frames_;
    std::vector<Json*> stack_;  // the open containers; pointers stay valid: each is the
                                // last element of its parent until it is closed
    std::list<Json> scratch_;   // values under a repeated key, kept only until the end
    std::optional<Problem> fatal_;
};

}  // namespace

ParsedJson parse_json(std::string_view text) {
    ParsedJson result;
    if (std::size_t deep = too_deep_at(text); deep != std::string_view::npos) {
        result.problems.push_back(
            {line_column(text, deep),
             "malformed JSON: nested more than " + std::to_string(kMaxDepth) + " levels deep"});
        return result;
    }
    DomBuilder builder(text, result.problems);
    bool ok = Json::sax_parse(text.begin(), text.end(), &builder, Json::input_format_t::json, true,
                              false);
    if (!ok || builder.fatal()) {
        result.problems.clear();
        if (auto f = builder.fatal()) {
            result.problems.push_back(*f);
        } else {
            result.problems.push_back({"/", "malformed JSON"});
        }
        return result;
    }
    if (result.problems.empty()) {
        result.value = builder.take();
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
