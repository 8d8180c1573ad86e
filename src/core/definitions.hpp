#pragma once
// Everything read from the definitions directory (forms/) at start-up.

#include <filesystem>
#include <optional>
#include <string>

#include "core/form.hpp"
#include "core/rules.hpp"

namespace myo {

struct Definitions {
    std::filesystem::path dir;
    FormDef form;
    TestCatalogue tests;
    RuleSet rules;
};

// Reads assessment.json, tests.json and rules.json from dir and validates them together.
// Throws DefinitionError listing every problem of the first file that has any, each as
// "file: /json/path: message".
Definitions load_definitions(const std::filesystem::path& dir);

// Where the definitions are: the explicit directory if given, else the first of
// <exe dir>/forms, <exe dir>/../share/myoscreen/forms and <install prefix>/share/myoscreen/forms
// that holds rules.json. Returns nullopt when none does.
std::optional<std::filesystem::path> find_definitions_dir(
    const std::optional<std::filesystem::path>& explicit_dir, const std::filesystem::path& exe_dir);

// The candidate directories in search order (for a helpful "not found" message).
std::vector<std::filesystem::path> definitions_search_path(const std::filesystem::path& exe_dir);

// The directory of the running executable (from /proc/self/exe), or the current directory.
std::filesystem::path executable_dir();

}  // namespace myo
