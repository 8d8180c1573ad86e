#include "core/definitions.hpp"

#include <system_error>

namespace myo {

#ifndef MYOSCREEN_INSTALL_DATADIR
#define MYOSCREEN_INSTALL_DATADIR "/usr/local/share"
#endif

namespace {

Json parse_definition_file(const std::filesystem::path& path) {
    std::string text;
    try {
        text = read_text_file(path);
    } catch (const std::exception& e) {
        throw DefinitionError(path.string(), {{"", "cannot be read"}});
    }
    ParsedJson parsed = parse_json(text);
    if (!parsed.value) {
        throw DefinitionError(path.string(), parsed.problems);
    }
    return std::move(*parsed.value);
}

}  // namespace

Definitions load_definitions(const std::filesystem::path& dir) {
    Definitions defs;
    defs.dir = dir;
    const auto form_path = dir / "assessment.json";
    const auto tests_path = dir / "tests.json";
    const auto rules_path = dir / "rules.json";
    Json form_doc = parse_definition_file(form_path);
    Json tests_doc = parse_definition_file(tests_path);
    Json rules_doc = parse_definition_file(rules_path);

    std::vector<Problem> problems;
    defs.form = load_form(form_doc, problems);
    if (!problems.empty()) {
        throw DefinitionError(form_path.string(), problems);
    }
    defs.tests = load_tests(tests_doc, problems);
    if (!problems.empty()) {
        throw DefinitionError(tests_path.string(), problems);
    }
    defs.rules = load_rules(rules_doc, defs.form, defs.tests, problems);
    if (!problems.empty()) {
        throw DefinitionError(rules_path.string(), problems);
    }
    return defs;
}

std::vector<std::filesystem::path> definitions_search_path(const std::filesystem::path& exe_dir) {
    return {exe_dir / "forms", exe_dir / ".." / "share" / "myoscreen" / "forms",
            std::filesystem::path(MYOSCREEN_INSTALL_DATADIR) / "myoscreen" / "forms"};
}

std::optional<std::filesystem::path> find_definitions_dir(
    const std::optional<std::filesystem::path>& explicit_dir,
    const std::filesystem::path& exe_dir) {
    if (explicit_dir) {
        return explicit_dir;
    }
    std::error_code ec;
    for (const auto& candidate : definitions_search_path(exe_dir)) {
        if (std::filesystem::exists(candidate / "rules.json", ec)) {
            return std::filesystem::weakly_canonical(candidate, ec);
        }
    }
    return std::nullopt;
}

std::filesystem::path executable_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return std::filesystem::current_path();
    }
    return exe.parent_path();
}

}  // namespace myo
