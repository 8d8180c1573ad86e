#include "cli/context.hpp"

namespace myo::cli {

const Definitions& Context::definitions() {
    if (!defs_) {
        auto dir = find_definitions_dir(forms_dir, executable_dir());
        if (!dir) {
            std::string searched;
            for (const auto& p : definitions_search_path(executable_dir())) {
                searched += "\n  " + p.string();
            }
            throw UsageError("no definitions directory found (looked in:" + searched +
                             ")\nuse --forms DIR to name the folder that holds rules.json");
        }
        defs_ = load_definitions(*dir);
    }
    return *defs_;
}

}  // namespace myo::cli
