#include "gui/model/command_line.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "core/json_util.hpp"
#include "core/version.hpp"

namespace myo::gui {

namespace {

bool has(const std::vector<std::string>& args, std::string_view a) {
    return std::find(args.begin(), args.end(), a) != args.end();
}

// The built-in options first, as wxWidgets lists them, then the table's.
std::vector<CommandLineOption> all_options() {
    std::vector<CommandLineOption> all = {{"help", "", "show this help message"},
                                          {"version", "", "print the version and exit"}};
    all.insert(all.end(), kCommandLineOptions.begin(), kCommandLineOptions.end());
    return all;
}

void print_help(std::ostream& out) {
    out << "Usage: myoscreen [OPTIONS]\n\n" << kAppDescription << "\n\nOptions:\n";
    for (const auto& o : all_options()) {
        std::string left = (o.name == "help" ? "-h, --" : "    --") + std::string(o.name);
        if (!o.value.empty()) {
            left += " " + std::string(o.value);
        }
        out << "  " << left << std::string(left.size() < 24 ? 24 - left.size() : 1, ' ') << o.help
            << "\n";
    }
}

Json interface_json() {
    Json options = Json::array();
    for (const auto& o : all_options()) {
        Json names = Json::array();
        if (o.name == "help") {
            names.push_back("-h");
        }
        names.push_back("--" + std::string(o.name));
        options.push_back(Json{{"names", names},
                               {"value", o.value},
                               {"description", o.help},
                               {"required", false},
                               {"positional", false},
                               {"default", ""}});
    }
    return Json{{"name", "myoscreen"},
                {"description", kAppDescription},
                {"footer", ""},
                {"options", options},
                {"commands", Json::array()}};
}

}  // namespace

std::optional<int> answer_without_display(const std::vector<std::string>& args, std::ostream& out) {
    if (args.size() == 1 && args.front() == "--help-json") {
        out << interface_json().dump(2) << "\n";
        return 0;
    }
    if (has(args, "--help") || has(args, "-h")) {
        print_help(out);
        return 0;
    }
    if (has(args, "--version")) {
        out << version_line("myoscreen", forms_argument(args)) << "\n";
        return 0;
    }
    return std::nullopt;
}

}  // namespace myo::gui
