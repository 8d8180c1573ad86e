#pragma once
// The administrator's verbs on a MyoScreen PostgreSQL database (issue 13): users as login
// roles in the group clinician or readonly, and a status report. MyoScreen handles no
// passwords: the administrator sets them with psql's \password, or the server uses peer or GSS.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

enum class UserRole { Clinician, Readonly };
const char* role_name(UserRole r);  // "clinician", "readonly"

// A user name MyoScreen accepts (lower-case letters, digits, '.', '_', '-'; 1 to 63 bytes;
// not one of MyoScreen's or PostgreSQL's own roles); otherwise the reason, for the message.
std::optional<std::string> user_name_problem(const std::string& name);

struct AddUserReport {
    bool created = false;              // false: an existing role was given login and the group
    std::optional<UserRole> previous;  // the group it left
};
// Throws StoreError for a refused name or a database that is not MyoScreen's.
AddUserReport add_user(Connection& c, const std::string& name, UserRole role);

struct RemoveUserReport {
    std::int64_t audit_rows = 0;  // rows of the trail that name the user (kept)
};
// Revokes the login and the group membership; the role stays, so the trail keeps its name.
RemoveUserReport remove_user(Connection& c, const std::string& name);

struct UserStatus {
    std::string name;
    std::string group;  // "clinician" or "readonly"
    bool can_login = false;
};
struct ServerStatus {
    std::string server_version;
    int schema_version = 0;
    std::vector<UserStatus> users;
    std::optional<std::string> last_backup;  // "at" of the newest backup row of the trail
    std::int64_t database_bytes = 0;
    std::int64_t audit_rows = 0;
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
};
ServerStatus server_status(Connection& c);

// Throws StoreError unless the connected database has MyoScreen's schema in a version this
// build knows.
void require_myoscreen_database(Connection& c);

}  // namespace myo::store::pg
