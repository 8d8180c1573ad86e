#include "cli/commands.hpp"

namespace myo::cli {

// Filled in by the reports (issue 4).
void add_report_commands(CLI::App&, Context&, Runner&) {}

}  // namespace myo::cli
