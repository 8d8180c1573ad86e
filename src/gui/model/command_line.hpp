#pragma once
// The command line of `myoscreen` as one table: wxWidgets' parser is built from it (app.cpp),
// and --help, --version and --help-json are answered from it before wxWidgets starts, so they
// work without a display (a terminal over ssh, the build writing the man page). No wx here.

#include <array>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myo::gui {

struct CommandLineOption {
    std::string_view name;   // long name, without "--"
    std::string_view value;  // what the value is ("DIR", "FILE"); empty for a switch
    std::string_view help;
};

inline constexpr std::string_view kAppDescription =
    "MyoScreen: the desktop application for a structured muscle-pain assessment. It guides the "
    "history and examination, screens for red flags, computes the ACR fibromyalgia scores and "
    "prints referral notes and handouts. The suggestions support, and do not replace, clinical "
    "judgement.";

inline constexpr std::array kCommandLineOptions = {
    CommandLineOption{"forms", "DIR", "folder with the assessment definitions"},
    CommandLineOption{"db", "FILE", "patient database file"},
    CommandLineOption{"config", "FILE", "settings file (window size, report folder)"},
    CommandLineOption{"fill", "FILE",
                      "start a draft for this assessment file's patient and enter its answers "
                      "one by one (for tests)"},
    CommandLineOption{"no-viewer", "", "write PDFs without opening them"},
    CommandLineOption{"exit-when-ready", "",
                      "quit as soon as the patient list is shown (for benchmarks)"},
};

// Answers --help (-h), --version and --help-json on `out` and returns the exit status; nullopt
// when none of them is asked for (the application starts).
std::optional<int> answer_without_display(const std::vector<std::string>& args, std::ostream& out);

}  // namespace myo::gui
