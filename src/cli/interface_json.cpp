#include "cli/interface_json.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace myo::cli {

namespace {

// The options another one needs or excludes, by the name --help shows ("FILE", "--patient").
Json option_names(const std::set<CLI::Option*>& options) {
    std::vector<std::string> names;
    for (const CLI::Option* o : options) {
        names.push_back(o->get_name());
    }
    std::sort(names.begin(), names.end());
    return Json(names);
}

Json describe_option(const CLI::Option& opt) {
    Json names = Json::array();
    for (const auto& s : opt.get_snames()) {
        names.push_back("-" + s);
    }
    for (const auto& l : opt.get_lnames()) {
        names.push_back("--" + l);
    }
    const bool positional = names.empty();
    if (positional) {
        names.push_back(opt.get_name(true));
    }
    // A flag takes no value; an option shows its value as CLI11's help does (TEXT, INT, ...).
    std::string value;
    if (opt.get_type_size() != 0 && !positional) {
        value = opt.get_type_name();
    }
    return Json{{"names", names},
                {"value", value},
                {"description", opt.get_description()},
                {"required", opt.get_required()},
                {"positional", positional},
                {"default", opt.get_default_str()},
                {"needs", option_names(opt.get_needs())},
                {"excludes", option_names(opt.get_excludes())}};
}

}  // namespace

Json describe_interface(const CLI::App& app) {
    Json options = Json::array();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_group().empty()) {
            continue;  // hidden, as in --help
        }
        options.push_back(describe_option(*opt));
    }
    Json commands = Json::array();
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_group().empty()) {
            continue;
        }
        commands.push_back(describe_interface(*sub));
    }
    return Json{{"name", app.get_name()},
                {"description", app.get_description()},
                {"footer", app.get_footer()},
                {"options", options},
                {"commands", commands}};
}

}  // namespace myo::cli
