#include "store/pg/server_admin.hpp"

#include "store/errors.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"

namespace myo::store::pg {

const char* role_name(UserRole r) {
    return r == UserRole::Clinician ? "clinician" : "readonly";
}

std::optional<std::string> user_name_problem(const std::string& name) {
    if (name.empty() || name.size() > 63) {
        return "a user name has 1 to 63 characters";
    }
    for (char ch : name) {
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
                  ch == '-';
        if (!ok) {
            return "a user name has only lower-case letters a-z, digits, '.', '_' and '-'";
        }
    }
    if (!(name[0] >= 'a' && name[0] <= 'z') && name[0] != '_') {
        return "a user name starts with a letter";
    }
    if (name == "myoscreen_owner" || name == "clinician" || name == "readonly" ||
        name == "public" || name.rfind("pg_", 0) == 0) {
        return "\"" + name + "\" is a group or a role of MyoScreen or PostgreSQL, not a user";
    }
    return std::nullopt;
}

void require_myoscreen_database(Connection& c) {
    auto version = schema_version(c);
    if (!version) {
        throw StoreError(c.target() +
                         " is not a MyoScreen database (no MyoScreen schema); create one with "
                         "'myoscreen-cli server init' in an empty database");
    }
    if (*version > kPgSchemaVersion) {
        throw StoreError(c.target() + " has MyoScreen schema version " + std::to_string(*version) +
                         ", newer than this MyoScreen (" + std::to_string(kPgSchemaVersion) +
                         "); use a newer MyoScreen");
    }
}

namespace {

void check_name(const std::string& name) {
    if (auto problem = user_name_problem(name)) {
        throw StoreError("the user name \"" + name + "\" is refused: " + *problem);
    }
}

// The group of MyoScreen a role belongs to, if any.
std::optional<UserRole> group_of(Connection& c, const std::string& name) {
    Result r = c.exec(
        "SELECT g.rolname FROM pg_catalog.pg_auth_members m "
        "JOIN pg_catalog.pg_roles g ON g.oid = m.roleid "
        "JOIN pg_catalog.pg_roles u ON u.oid = m.member "
        "WHERE u.rolname = $1 AND g.rolname IN ('clinician', 'readonly') ORDER BY 1",
        {name});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return r.text(0, 0) == "clinician" ? UserRole::Clinician : UserRole::Readonly;
}

}  // namespace

AddUserReport add_user(Connection& c, const std::string& name, UserRole role) {
    check_name(name);
    require_myoscreen_database(c);
    AddUserReport report;
    Transaction tx(c);
    // Role names cannot be parameters: the name was checked above and is quoted by libpq.
    std::string quoted = c.quote_identifier(name);
    Result existing = c.exec("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1", {name});
    if (existing.rows() == 0) {
        c.exec("CREATE ROLE " + quoted + " LOGIN");
        report.created = true;
    } else {
        if (existing.boolean(0, 0)) {
            throw StoreError("\"" + name +
                             "\" is a PostgreSQL superuser; MyoScreen does not make a superuser "
                             "a clinic user (a superuser passes every rule of the database)");
        }
        report.previous = group_of(c, name);
        c.exec("ALTER ROLE " + quoted + " LOGIN");
        c.exec("REVOKE clinician, readonly FROM " + quoted);
    }
    c.exec(std::string("GRANT ") + role_name(role) + " TO " + quoted);
    tx.commit();
    return report;
}

RemoveUserReport remove_user(Connection& c, const std::string& name) {
    check_name(name);
    require_myoscreen_database(c);
    Transaction tx(c);
    if (!group_of(c, name)) {
        throw StoreError("\"" + name + "\" is not a MyoScreen user of " + c.target() +
                         " (not in the group clinician or readonly); nothing was changed");
    }
    std::string quoted = c.quote_identifier(name);
    c.exec("ALTER ROLE " + quoted + " NOLOGIN");
    c.exec("REVOKE clinician, readonly FROM " + quoted);
    RemoveUserReport report;
    report.audit_rows =
        c.query_int("SELECT count(*) FROM myoscreen.audit WHERE clinician = $1", {name});
    tx.commit();
    return report;
}

ServerStatus server_status(Connection& c) {
    require_myoscreen_database(c);
    ServerStatus s;
    Transaction snapshot(c);
    c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    s.server_version = c.server_version();
    s.schema_version = schema_version(c).value_or(0);
    Result users = c.exec(
        "SELECT u.rolname, g.rolname, u.rolcanlogin FROM pg_catalog.pg_auth_members m "
        "JOIN pg_catalog.pg_roles g ON g.oid = m.roleid "
        "JOIN pg_catalog.pg_roles u ON u.oid = m.member "
        "WHERE g.rolname IN ('clinician', 'readonly') ORDER BY 1, 2");
    for (int i = 0; i < users.rows(); ++i) {
        s.users.push_back({users.text(i, 0), users.text(i, 1), users.boolean(i, 2)});
    }
    Result backup =
        c.exec("SELECT at FROM myoscreen.audit WHERE action = $1 ORDER BY seq DESC LIMIT 1",
               {audit_action::kBackup});
    if (backup.rows() != 0) {
        s.last_backup = backup.text(0, 0);
    }
    s.database_bytes =
        c.query_int("SELECT pg_catalog.pg_database_size(pg_catalog.current_database())");
    s.audit_rows = c.query_int("SELECT count(*) FROM myoscreen.audit");
    s.patients = c.query_int("SELECT count(*) FROM myoscreen.patients");
    s.assessments = c.query_int("SELECT count(*) FROM myoscreen.assessments");
    snapshot.commit();
    return s;
}

}  // namespace myo::store::pg
