#pragma once
// reports/<kind>.json: the order of a report's sections and its wording, with {placeholders},
// read at run time so that a clinic can change a sentence without recompiling.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_util.hpp"

namespace myo::report {

using Values = std::map<std::string, std::string>;

class ReportText {
  public:
    // Reads and checks <dir>/<kind>.json: "sections" (ids among `known_sections`) and "text"
    // (every key of `required_keys` a string). Throws DefinitionError.
    static ReportText load(const std::filesystem::path& dir, const std::string& kind,
                           const std::vector<std::string>& known_sections,
                           const std::vector<std::string>& required_keys);

    const std::vector<std::string>& sections() const { return sections_; }
    const std::string& file() const { return file_; }
    // The raw template.
    const std::string& get(const std::string& key) const;
    // The template with {name} replaced from values; "{{" and "}}" give braces. A placeholder
    // without a value throws ReportError naming the file and key.
    std::string fill(const std::string& key, const Values& values) const;
    // A string from a phrase table: text.<table>.<id>, or nullopt.
    std::optional<std::string> phrase(const std::string& table, const std::string& id) const;
    // A list of templates under a key (e.g. the history sentences), each {"needs", "text"}.
    const Json& json() const { return doc_; }

  private:
    std::string file_;
    Json doc_;
    std::vector<std::string> sections_;
};

// Replaces {name} placeholders; throws ReportError(where + ...) for an unknown one.
std::string fill_template(const std::string& text, const Values& values, const std::string& where);

// Where the report texts are: a "reports" folder beside the forms folder, else
// <exe dir>/../share/myoscreen/reports, else the install prefix.
std::optional<std::filesystem::path> find_reports_dir(const std::filesystem::path& forms_dir);

}  // namespace myo::report
