#pragma once
// JSON helpers shared by every reader: parsing with line/column and duplicate-key reports,
// JSON-pointer paths, and short renderings of a value for error messages.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/problem.hpp"

namespace myo {

// Insertion-ordered, so a file written back keeps the order it was read in.
using Json = nlohmann::ordered_json;

std::string pointer_escape(std::string_view key);
std::string join_path(const std::string& parent, std::string_view key);
std::string join_path(const std::string& parent, std::size_t index);

struct ParsedJson {
    std::optional<Json> value;
    std::vector<Problem> problems;  // syntax error (with line and column) or duplicate keys
};

// Parses UTF-8 JSON text. A syntax error gives one problem naming line and column; a key
// repeated in one object is a problem too (a repeated finding must never silently win).
ParsedJson parse_json(std::string_view text);

// A value as it would appear in the file, shortened for messages: 7, "two", true, an array.
std::string describe_value(const Json& value);

// Shortest text for a number: 2600 rather than 2600.0, 0.3 rather than 0.29999.
std::string format_number(double value);

// Whole file as bytes; throws std::runtime_error naming the path and the reason.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace myo
