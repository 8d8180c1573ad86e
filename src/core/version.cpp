#include "core/version.hpp"

#include <exception>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

#ifndef MYOSCREEN_VERSION
#define MYOSCREEN_VERSION "0.0.0"
#endif

namespace myo {

std::string_view program_version() {
    return MYOSCREEN_VERSION;
}

std::string version_line(std::string_view program,
                         const std::optional<std::filesystem::path>& forms_dir) {
    std::string rules;
    if (auto dir = find_definitions_dir(forms_dir, executable_dir())) {
        try {
            rules = "rules " + load_definitions(*dir).rules.version + " from " + dir->string();
        } catch (const std::exception& e) {
            std::string why = e.what();
            rules = "rules in " + dir->string() + " do not load: " + why.substr(0, why.find('\n'));
        }
    } else {
        rules = "no rules found";
    }
    return std::string(program) + " " + MYOSCREEN_VERSION + " (" + rules + "; assessment format " +
           std::to_string(kAssessmentVersion) + ")";
}

std::optional<std::filesystem::path> forms_argument(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--forms" && i + 1 < args.size()) {
            return args[i + 1];
        }
        if (args[i].starts_with("--forms=")) {
            return args[i].substr(8);
        }
    }
    return std::nullopt;
}

}  // namespace myo
