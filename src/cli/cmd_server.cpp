// server init, add-user, remove-user, status (issue 13): the administrator's verbs for a
// MyoScreen database on PostgreSQL. The connection string is init's argument, and --db for the
// others (absent: libpq's PG* variables and defaults). No verb handles a password.

#include <cstdio>
#include <memory>
#include <ostream>

#include "cli/commands.hpp"
#include "store/audit.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

namespace myo::cli {

namespace {

namespace pg = store::pg;

std::string conninfo_of(const Context& ctx) {
    return ctx.db_path ? ctx.db_path->string() : std::string();
}

std::string decimal_size(std::int64_t bytes) {
    const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= 1000 && u + 1 < std::size(units)) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

// For a command line the user can paste: '...' with each ' written '\''.
std::string shell_quoted(const std::string& s) {
    std::string out = "'";
    for (char ch : s) {
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return out + "'";
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ", ") + i;
    }
    return out.empty() ? "none" : out;
}

void add_init(CLI::App& server, Context& ctx, Runner& runner) {
    auto conninfo = std::make_shared<std::string>();
    auto* cmd = server.add_subcommand(
        "init", "Create MyoScreen's schema and roles in an empty PostgreSQL database");
    cmd->add_option("CONNINFO", *conninfo,
                    "libpq connection string or URI (postgresql://host/dbname, service=NAME)")
        ->required();
    cmd->callback([&ctx, &runner, conninfo]() {
        runner = [&ctx, conninfo]() {
            pg::Connection c = pg::Connection::open(*conninfo);
            auto report = pg::init_database(c, store::os_account());
            *ctx.out << "Created MyoScreen's schema (version " << pg::kPgSchemaVersion << ") in "
                     << c.target() << ".\n"
                     << "Roles created: " << join(report.roles_created)
                     << "; already on the server (roles are server-wide), reused: "
                     << join(report.roles_reused) << ".\n"
                     << "Next, give each person a login:\n"
                     << "  myoscreen-cli --db " << shell_quoted(*conninfo)
                     << " server add-user NAME --role clinician|readonly\n";
            return kExitOk;
        };
    });
}

void print_password_advice(std::ostream& out, const std::string& name) {
    out << "MyoScreen never handles passwords. For " << name << " to log in, either:\n"
        << "  - an administrator sets a password in psql: \\password " << name
        << "  (psql asks for it twice and sends it hashed),\n"
        << "    and " << name
        << " keeps it in ~/.pgpass on each workstation (host:port:database:" << name
        << ":password, mode 0600); or\n"
        << "  - the server authenticates the workstation's account without a password: peer "
           "(local socket, same account name) or GSS/Kerberos, in pg_hba.conf.\n";
}

void add_add_user(CLI::App& server, Context& ctx, Runner& runner) {
    auto name = std::make_shared<std::string>();
    auto role = std::make_shared<std::string>();
    auto* cmd = server.add_subcommand(
        "add-user", "Give a person a login in the group clinician (read and write) or readonly");
    cmd->add_option("NAME", *name, "The PostgreSQL login name (lower case)")->required();
    cmd->add_option("--role", *role, "clinician or readonly")
        ->required()
        ->check(CLI::IsMember({"clinician", "readonly"}));
    cmd->callback([&ctx, &runner, name, role]() {
        runner = [&ctx, name, role]() {
            pg::Connection c = pg::Connection::open(conninfo_of(ctx));
            auto r = *role == "clinician" ? pg::UserRole::Clinician : pg::UserRole::Readonly;
            auto report = pg::add_user(c, *name, r);
            *ctx.out << (report.created ? "Added " : "Gave login to the existing role ") << *name
                     << " in the group " << pg::role_name(r)
                     << (r == pg::UserRole::Clinician ? " (read and write)" : " (read only)");
            if (report.previous && *report.previous != r) {
                *ctx.out << ", leaving the group " << pg::role_name(*report.previous);
            }
            *ctx.out << ", in " << c.target() << ".\n";
            print_password_advice(*ctx.out, *name);
            return kExitOk;
        };
    });
}

void add_remove_user(CLI::App& server, Context& ctx, Runner& runner) {
    auto name = std::make_shared<std::string>();
    auto* cmd = server.add_subcommand(
        "remove-user", "Revoke a person's login and group; their history stays under their name");
    cmd->add_option("NAME", *name, "The PostgreSQL login name")->required();
    cmd->callback([&ctx, &runner, name]() {
        runner = [&ctx, name]() {
            pg::Connection c = pg::Connection::open(conninfo_of(ctx));
            auto report = pg::remove_user(c, *name);
            *ctx.out << "Removed " << *name << " from " << c.target()
                     << ": the login and the group are revoked; the role stays, so the "
                     << report.audit_rows << " audit row" << (report.audit_rows == 1 ? "" : "s")
                     << " naming " << *name << " keep their name.\n"
                     << "A session " << *name
                     << " has open now ends when it closes; to end it at once, as an "
                        "administrator in psql:\n"
                     << "  SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename "
                        "= '"
                     << *name << "';\n";
            return kExitOk;
        };
    });
}

void add_status(CLI::App& server, Context& ctx, Runner& runner) {
    auto* cmd = server.add_subcommand("status", "Schema version, users, last backup and size");
    cmd->callback([&ctx, &runner]() {
        runner = [&ctx]() {
            pg::Connection c = pg::Connection::open(conninfo_of(ctx));
            auto s = pg::server_status(c);
            auto& out = *ctx.out;
            out << c.target() << " (PostgreSQL " << s.server_version << (c.tls() ? ", TLS" : "")
                << ")\n"
                << "connected as: " << c.user() << "\n"
                << "schema version: " << s.schema_version
                << " (this build: " << pg::kPgSchemaVersion << ")\n"
                << "size: " << decimal_size(s.database_bytes) << "\n"
                << "records: " << s.patients << " patients, " << s.assessments << " assessments, "
                << s.audit_rows << " audit row" << (s.audit_rows == 1 ? "" : "s") << "\n"
                << "last backup: " << s.last_backup.value_or("none recorded") << "\n"
                << "users:" << (s.users.empty() ? " none (add them with server add-user)" : "")
                << "\n";
            for (const auto& u : s.users) {
                out << "  " << u.name << "  " << u.group << (u.can_login ? "" : "  (cannot log in)")
                    << "\n";
            }
            return kExitOk;
        };
    });
}

}  // namespace

void add_server_commands(CLI::App& app, Context& ctx, Runner& runner) {
    auto* server = app.add_subcommand(
        "server", "Clinic mode on PostgreSQL: init, add-user, remove-user, status (--db CONNINFO)");
    server->require_subcommand(1);
    add_init(*server, ctx, runner);
    add_add_user(*server, ctx, runner);
    add_remove_user(*server, ctx, runner);
    add_status(*server, ctx, runner);
}

}  // namespace myo::cli
