#pragma once
// The command line of myoscreen-cli as data, read from the same CLI11 definitions that print
// --help: `myoscreen-cli --help-json` prints it, and the build turns it into the man page and
// the bash completion (packaging/gen_docs.py), so neither can drift from the program.

#include <CLI/CLI.hpp>

#include "core/json_util.hpp"

namespace myo::cli {

// {name, description, footer, options: [{names, value, description, required, positional,
// default, needs, excludes}], commands: [...]}; hidden options (no group) are left out, as --help
// does.
Json describe_interface(const CLI::App& app);

}  // namespace myo::cli
