#pragma once
// Shared by the store verbs: opening the store named by --db, plain-text tables and the
// store's refusals turned into the CLI's exit statuses.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "fileio/output_file.hpp"
#include "store/store.hpp"

namespace myo::cli {

// --db as given (a file or a PostgreSQL connection string), or the default database file.
std::filesystem::path database_path(const Context& ctx);
// --db names a PostgreSQL database (clinic mode).
bool on_server(const Context& ctx);
// What a verb that writes a file must never write over: the database's family (--db or the
// default, open or not), the forms folder's files and the command's own input files.
fileio::ProtectedSet protected_targets(Context& ctx,
                                       const std::vector<std::filesystem::path>& inputs = {});
std::unique_ptr<store::Store> open_store(Context& ctx);

// Columns padded to the widest cell (counted in characters, not bytes); numbers right-aligned.
struct Table {
    std::vector<std::string> header;
    std::vector<bool> right;  // per column
    std::vector<std::vector<std::string>> rows;
    std::string render() const;
};

// Runs a verb; a StoreError (refusal, conflict, missing patient...) prints its message and
// gives exit status 2, like any other invalid request.
// db check, db backup, settings (cmd_db.cpp).
void add_db_commands(CLI::App& app, Context& ctx, Runner& runner);
// db verify, db restore (cmd_safety.cpp): `db` is the db subcommand.
void add_safety_db_commands(CLI::App& db, Context& ctx, Runner& runner);
// db check and db verify: with the definitions when they are found (to parse every document).
store::CheckOptions check_options(Context& ctx);
// db check and db verify's report of the --db database: a file's (store::check_database) or a
// PostgreSQL database's (store/pg/pg_check.hpp), read-only either way.
store::CheckReport check_report(Context& ctx, const store::CheckOptions& options);
// audit, delete (cmd_safety.cpp).
void add_safety_commands(CLI::App& app, Context& ctx, Runner& runner);

int guarded(Context& ctx, const std::function<int()>& verb);

}  // namespace myo::cli
