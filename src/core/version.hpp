#pragma once
// The one `--version` line of both programs (myoscreen and myoscreen-cli): the program's
// version, the version of the clinical rules it would use and where they are, and the
// assessment format it writes. A clinic checking five workstations compares this line.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myo {

// The version MyoScreen was built as (CMake's PROJECT_VERSION).
std::string_view program_version();

// "myoscreen-cli 0.1.0 (rules 2026.2 from /usr/share/myoscreen/forms; assessment format 1)".
// The rules are looked up as the program would at start-up (forms_dir if given, else beside
// the executable, then the installed data); when none are found or they do not load, the
// line says so instead of failing, since --version must always answer.
std::string version_line(std::string_view program,
                         const std::optional<std::filesystem::path>& forms_dir);

// The folder named by --forms DIR or --forms=DIR among a program's arguments. --version
// answers before the rest of the command line is read, in whichever order the two come.
std::optional<std::filesystem::path> forms_argument(const std::vector<std::string>& args);

}  // namespace myo
