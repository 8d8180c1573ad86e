#pragma once
// Each verb registers itself on the CLI11 app and, when chosen, sets the runner.

#include <functional>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace myo::cli {

using Runner = std::function<int()>;

void add_evaluate(CLI::App& app, Context& ctx, Runner& runner);

}  // namespace myo::cli
