// What the package's documents are made from (issue 17): --version names the rules, and
// --help-json, the source of the man page and the bash completion, holds every command and
// option that --help shows.

#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "core/version.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

std::string rules_version() {
    return test::read_json(test::forms_dir() / "rules.json")["rules_version"].get<std::string>();
}

// The long name of each entry of a --help section ("Subcommands:", "Options:").
std::set<std::string> help_section(const std::string& help, const std::string& title) {
    std::set<std::string> words;
    std::istringstream in(help);
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line == title) {
            inside = true;
        } else if (inside && line.empty()) {
            inside = false;
        } else if (inside && line.starts_with("  ") && line[2] != ' ') {
            auto word = line.substr(2, line.find(' ', 2) - 2);  // "-o,--out" or "--forms"
            words.insert(word.substr(word.rfind(',') + 1));
        }
    }
    return words;
}

std::set<std::string> json_commands(const Json& app) {
    std::set<std::string> names;
    for (const auto& c : app["commands"]) {
        names.insert(c["name"].get<std::string>());
    }
    return names;
}

std::set<std::string> json_long_options(const Json& app) {
    std::set<std::string> names;
    for (const auto& o : app["options"]) {
        if (!o["positional"].get<bool>()) {
            names.insert(o["names"].back().get<std::string>());
        }
    }
    return names;
}

}  // namespace

TEST_CASE("cli: --version names the program version, the rules version and their folder") {
    auto r = test::cli_command("--version");
    REQUIRE(r.status == 0);
    auto forms = std::filesystem::weakly_canonical(test::forms_dir()).string();
    CHECK(r.out == "myoscreen-cli " + std::string(program_version()) + " (rules " +
                       rules_version() + " from " + forms + "; assessment format 1)\n");
}

TEST_CASE("cli: --version still answers when the rules do not load") {
    test::TempDir empty;
    auto r =
        test::cli_command("--forms " + test::shell_quote(empty.path().string()) + " --version");
    CHECK(r.status == 0);
    CHECK(r.out.starts_with("myoscreen-cli " + std::string(program_version()) + " (rules in " +
                            empty.path().string() + " do not load: "));
}

TEST_CASE("cli: --help-json holds every command and option that --help shows") {
    auto r = test::cli_command("--help-json");
    REQUIRE(r.status == 0);
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    const Json& app = *parsed.value;
    auto help = test::cli_command("--help").out;
    CHECK(json_commands(app) == help_section(help, "Subcommands:"));
    CHECK(json_long_options(app) == help_section(help, "Options:"));
    REQUIRE(json_commands(app).size() >= 10);
    // Each command's own options, and the commands below it (db check, server init, ...).
    for (const auto& cmd : app["commands"]) {
        const auto name = cmd["name"].get<std::string>();
        CAPTURE(name);
        auto sub_help = test::cli_command(name + " --help").out;
        CHECK(json_long_options(cmd) == help_section(sub_help, "Options:"));
        CHECK(json_commands(cmd) == help_section(sub_help, "Subcommands:"));
        for (const auto& inner : cmd["commands"]) {
            const auto inner_name = inner["name"].get<std::string>();
            CAPTURE(inner_name);
            auto inner_help = test::cli_command(name + " " + inner_name + " --help").out;
            CHECK(json_long_options(inner) == help_section(inner_help, "Options:"));
        }
    }
}
