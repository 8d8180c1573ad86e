#pragma once
// Each verb registers itself on the CLI11 app and, when chosen, sets the runner.
// One file per group of verbs: cmd_evaluate.cpp, cmd_store.cpp (store verbs),
// cmd_report.cpp (PDF reports).

#include <functional>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace myo::cli {

using Runner = std::function<int()>;

void add_evaluate(CLI::App& app, Context& ctx, Runner& runner);
// import, export, list, history, db check, db backup (issue 3)
void add_store_commands(CLI::App& app, Context& ctx, Runner& runner);
// compare, baseline (issue 6)
void add_progress_commands(CLI::App& app, Context& ctx, Runner& runner);
// report (issue 4)
void add_report_commands(CLI::App& app, Context& ctx, Runner& runner);
// server init, add-user, remove-user, status (issue 13, PostgreSQL)
void add_server_commands(CLI::App& app, Context& ctx, Runner& runner);

}  // namespace myo::cli
