#include "cli/commands.hpp"

namespace myo::cli {

// Filled in by the store (issue 3).
void add_store_commands(CLI::App&, Context&, Runner&) {}

}  // namespace myo::cli
