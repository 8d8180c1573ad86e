#pragma once
// PostgreSQL's own programs (pg_dump, pg_restore) for server backup and restore (issue 13):
// found for the server's major version and run without a shell. The connection goes to them in
// PG* environment variables made from the live connection's parameters (never a password on
// a command line, where every user of the machine could read it in the process list); libpq in
// the child reads ~/.pgpass or PGPASSFILE itself, as for MyoScreen.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/errors.hpp"
#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

// A PostgreSQL program is missing, older than the server, or failed; nothing was placed.
class ToolFailed : public StoreError {
  public:
    using StoreError::StoreError;
};

// Where to look for a program.
struct ToolSearch {
    // Given by the user (--pg-bin DIR): only there.
    std::optional<std::filesystem::path> bin_dir;
    // Else <versioned_root>/<server major>/bin (Debian's layout), then each folder of `path`.
    std::filesystem::path versioned_root = "/usr/lib/postgresql";
    std::string path;  // $PATH's syntax; the caller passes getenv("PATH")
    // How long a run may take before it is stopped: a server that stops answering must not
    // hang the CLI (or the GUI's backup) forever. default_tool_search reads
    // MYOSCREEN_PG_TOOL_TIMEOUT (seconds) when set.
    std::chrono::seconds timeout{kDefaultToolTimeout};
    static constexpr std::chrono::seconds kDefaultToolTimeout{30 * 60};
};
ToolSearch default_tool_search(std::optional<std::filesystem::path> bin_dir = std::nullopt);

struct Tool {
    std::filesystem::path path;
    int major = 0;                     // from `<program> --version`
    std::string version;               // "15.18"
    std::chrono::seconds timeout{30};  // run_tool stops it after this (ToolFailed)
};

// The program `name` ("pg_dump") of the same major version as the server (`server_major`), or
// the first newer one. Throws ToolFailed naming where it looked when there is none, or naming
// the version found when it is older than the server (pg_dump refuses a newer server).
Tool find_tool(const std::string& name, int server_major, const ToolSearch& search);

// The server's major version (15 for 15.18).
int server_major(Connection& c);

// The PG* variables that reach the connected database as the connection does (host, port,
// dbname, user, sslmode, sslrootcert, passfile...), the password excepted.
std::vector<std::pair<std::string, std::string>> connection_environment(Connection& c);

// A key=value connection string for database `dbname` as `c`'s login reaches it (no password):
// for the scratch database a backup is verified in.
std::string conninfo_for_database(Connection& c, const std::string& dbname);

struct ToolRun {
    int status = -1;  // exit status; -1: killed by a signal
    std::string out;  // standard output (at most 4 MB kept)
    std::string err;  // standard error (at most 64 kB kept)
};
// Runs `tool` with `args` (argv, no shell), standard input /dev/null, in this process's
// environment without its PG* variables (PGPASSWORD kept) plus `env`. A run longer than
// tool.timeout is stopped (SIGTERM, then SIGKILL) and ToolFailed names the tool and the time.
ToolRun run_tool(const Tool& tool, const std::vector<std::string>& args,
                 const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace myo::store::pg
