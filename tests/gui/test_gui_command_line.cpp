// `myoscreen --help` and `--version` answer without a display (issue 17): a terminal over ssh,
// the build writing the man page, an IT person checking a workstation's version.

#include <doctest/doctest.h>

#include <sstream>

#include "core/version.hpp"
#include "gui/model/command_line.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

std::string run_gui(const std::string& args) {
    // No DISPLAY: wxWidgets would refuse to start, so an answer proves it was never started.
    auto r = test::run_command(
        "env -u DISPLAY -u WAYLAND_DISPLAY " +
        test::shell_quote((test::binary_dir() / "bin" / "myoscreen").string()) + " " + args);
    REQUIRE(r.status == 0);
    return r.out;
}

}  // namespace

TEST_CASE("gui command line: --help lists every option of the table, without a display") {
    auto help = run_gui("--help");
    CHECK(help.starts_with("Usage: myoscreen [OPTIONS]\n"));
    for (const auto& o : gui::kCommandLineOptions) {
        CAPTURE(o.name);
        CHECK(help.find("--" + std::string(o.name)) != std::string::npos);
        CHECK(help.find(std::string(o.help)) != std::string::npos);
    }
    CHECK(run_gui("--db x.db -h") == help);
}

TEST_CASE("gui command line: --version names the rules the start would use") {
    auto forms = std::filesystem::weakly_canonical(test::forms_dir()).string();
    auto rules = test::read_json(test::forms_dir() / "rules.json")["rules_version"];
    CHECK(run_gui("--version") == "myoscreen " + std::string(program_version()) + " (rules " +
                                      rules.get<std::string>() + " from " + forms +
                                      "; assessment format 1)\n");
    test::TempDir empty;
    CHECK(run_gui("--forms=" + test::shell_quote(empty.path().string()) + " --version")
              .find("(rules in " + empty.path().string() + " do not load: ") != std::string::npos);
}

TEST_CASE("gui command line: the application starts when no early option is given") {
    std::ostringstream out;
    CHECK_FALSE(gui::answer_without_display({"--db", "x.db"}, out));
    CHECK(out.str().empty());
    CHECK(gui::answer_without_display({"--help-json"}, out) == 0);
    auto parsed = parse_json(out.str());
    REQUIRE(parsed.value);
    CHECK((*parsed.value)["options"].size() == gui::kCommandLineOptions.size() + 2);
}
