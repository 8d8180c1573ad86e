#pragma once
// The connection policy (issue 13): what MyoScreen adds to the libpq connection string a user
// gives (any key=value string or postgresql:// URI, service=NAME from pg_service.conf, and the
// PG* environment variables, which libpq reads itself).
//
// - MyoScreen never takes a password: one in the string is refused (it would be kept in the
//   preferences and shown in the process list); libpq reads ~/.pgpass or PGPASSFILE, or the
//   server authenticates by peer or GSS.
// - Every host that is not local (a Unix socket, localhost, 127.0.0.1, ::1) needs TLS: with no
//   sslmode given (in the string, the service or PGSSLMODE) MyoScreen asks for verify-full, so
//   the server's certificate must be signed by the CA in ~/.postgresql/root.crt (or
//   sslrootcert=) and name the host. A weaker sslmode is used only when the user writes it.
// - application_name defaults to "MyoScreen on <hostname>": the server records it with every
//   change and lease (pg_versions.hpp, pg_leases.hpp), so a message can name the workstation.
//   It is informational (any client may set it), never a permission.
// - connect_timeout defaults to 10 seconds, so an unreachable host is reported, not waited on
//   for the system's two minutes.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myo::store::pg {

struct ConnectPlan {
    // Keyword/value pairs for PQconnectdbParams (expand_dbname=1): the user's string as
    // "dbname" first, then what the policy adds (later pairs override it).
    std::vector<std::pair<std::string, std::string>> params;
    // "database \"clinic\" on db.example.org:5432" (no user, no password), for messages.
    std::string target;
    bool local = false;          // every host named is local
    bool sslmode_given = false;  // the user chose an sslmode (string, service or PGSSLMODE)
};

// Throws ConnectFailed(BadConninfo) for a string libpq cannot parse or one with a password.
ConnectPlan plan_connection(const std::string& conninfo);

// A host (or hostaddr) that stays on this machine: "" (libpq's default socket), a socket folder
// ("/..." or "@abstract"), localhost, 127.0.0.1 or ::1.
bool is_local_host(const std::string& host);

// "MyoScreen on <this machine's hostname>" ("MyoScreen" when the name is unknown).
std::string default_application_name();
// The workstation in an application_name: "ROOM-2" for "MyoScreen on ROOM-2"; another
// program's name as it is.
std::string workstation_of(const std::string& application_name);

}  // namespace myo::store::pg
