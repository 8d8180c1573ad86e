// server init, add-user, remove-user, status, upgrade, backup, restore (issue 13): the
// administrator's verbs for a MyoScreen database on PostgreSQL. The connection string is init's
// argument, and --db for the others (absent: libpq's PG* variables and defaults). No verb
// handles a password.

#include <cstdio>
#include <memory>
#include <ostream>

#include "cli/commands.hpp"
#include "core/text_input.hpp"
#include "store/audit.hpp"
#include "store/free_space.hpp"
#include "store/pg/pg_backup.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_upgrade.hpp"
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
                << " (this build: " << pg::kPgSchemaVersion << ")\n";
            if (s.schema_version < pg::kPgSchemaVersion) {
                out << "upgrade due: clinicians are refused until an administrator runs\n"
                    << "  myoscreen-cli "
                    << (conninfo_of(ctx).empty() ? ""
                                                 : "--db " + shell_quoted(conninfo_of(ctx)) + " ")
                    << "server upgrade\n";
            }
            out << "size: " << decimal_size(s.database_bytes) << "\n"
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

void add_upgrade(CLI::App& server, Context& ctx, Runner& runner) {
    auto* cmd = server.add_subcommand(
        "upgrade", "Bring an older MyoScreen schema to this build's version (as myoscreen_owner)");
    cmd->callback([&ctx, &runner]() {
        runner = [&ctx]() {
            pg::Connection c = pg::Connection::open(conninfo_of(ctx));
            auto report = pg::upgrade_database(c, store::os_account());
            if (report.from == report.to) {
                *ctx.out << c.target() << " is at schema version " << report.to
                         << ", this build's; nothing to upgrade.\n";
                return kExitOk;
            }
            *ctx.out << "Upgraded " << c.target() << " from schema version " << report.from
                     << " to " << report.to << " (each step in one transaction, recorded in the "
                     << "audit trail: " << join(report.audit_summaries) << ").\n";
            return kExitOk;
        };
    });
}

// --pg-bin: the folder of pg_dump and pg_restore, when not /usr/lib/postgresql/<major>/bin
// or the PATH.
pg::ToolSearch tool_search(const std::string& bin) {
    return pg::default_tool_search(bin.empty() ? std::nullopt
                                               : std::optional<std::filesystem::path>(bin));
}

void print_backup(std::ostream& out, const pg::PgBackupReport& r) {
    out << "Backup written to " << quote_for_message(r.path.string(), 200) << " ("
        << store::human_bytes(r.bytes) << ", " << r.figures.patients << " patients, "
        << r.figures.assessments << " assessments, " << r.figures.audit_rows << " audit row"
        << (r.figures.audit_rows == 1 ? "" : "s") << "; " << r.pg_dump << ", custom format, one "
        << "snapshot) in " << std::to_string(static_cast<int>(r.seconds * 1000)) << " ms.\n"
        << "sha256 " << r.sha256 << "\n"
        << "verified: " << pg::verification_text(r.verification) << ".\n";
}

void add_backup(CLI::App& server, Context& ctx, Runner& runner) {
    auto path = std::make_shared<std::string>();
    auto folder = std::make_shared<std::string>();
    auto bin = std::make_shared<std::string>();
    auto* cmd = server.add_subcommand(
        "backup",
        "A verified pg_dump (custom format, one snapshot) to PATH, or today's dated "
        "backup in --folder DIR keeping the newest 14");
    auto* path_opt = cmd->add_option("PATH", *path, "A new file (never overwritten)");
    cmd->add_option("--folder", *folder,
                    "Write myoscreen-YYYY-MM-DD.pgdump here unless today's exists; keep 14")
        ->excludes(path_opt);
    cmd->add_option("--pg-bin", *bin, "The folder of pg_dump and pg_restore");
    cmd->callback([&ctx, &runner, path, folder, bin]() {
        runner = [&ctx, path, folder, bin]() {
            if (path->empty() == folder->empty()) {
                *ctx.err << "server backup: give a PATH or --folder DIR\n";
                return kExitInvalid;
            }
            pg::Connection c = pg::Connection::open(conninfo_of(ctx));
            if (!path->empty()) {
                print_backup(*ctx.out, pg::backup_database(c, *path, tool_search(*bin)));
                return kExitOk;
            }
            auto r = pg::backup_to_folder(c, *folder, tool_search(*bin));
            if (r.backup) {
                print_backup(*ctx.out, *r.backup);
            } else {
                *ctx.out << "Today's backup " << quote_for_message(r.today.string(), 200)
                         << " exists; none taken.\n";
            }
            for (const auto& p : r.removed) {
                *ctx.out << "Removed the older backup " << quote_for_message(p.string(), 200)
                         << " (keeping " << pg::kPgDailyBackupsKept << ").\n";
            }
            return kExitOk;
        };
    });
}

void add_restore(CLI::App& server, Context& ctx, Runner& runner) {
    auto file = std::make_shared<std::string>();
    auto into = std::make_shared<std::string>();
    auto bin = std::make_shared<std::string>();
    auto* cmd = server.add_subcommand(
        "restore", "Restore a server backup into an EMPTY PostgreSQL database, then verify it");
    cmd->add_option("FILE", *file, "A backup written by server backup (.pgdump)")->required();
    cmd->add_option("--into", *into, "The empty database's connection string")->required();
    cmd->add_option("--pg-bin", *bin, "The folder of pg_restore");
    cmd->callback([&ctx, &runner, file, into, bin]() {
        runner = [&ctx, file, into, bin]() {
            auto r = pg::restore_database(*into, *file, tool_search(*bin), store::os_account());
            *ctx.out << "Restored " << quote_for_message(*file, 200) << " (sha256 " << r.sha256
                     << ") with " << r.pg_restore << " in " << static_cast<int>(r.seconds * 1000)
                     << " ms: " << r.figures.patients << " patients, " << r.figures.assessments
                     << " assessments, " << r.figures.audit_rows << " audit row"
                     << (r.figures.audit_rows == 1 ? "" : "s")
                     << "; audit chain verified, head row " << r.figures.head_seq << ".\n";
            if (r.schema_version < pg::kPgSchemaVersion) {
                *ctx.out << "The backup has schema version " << r.schema_version
                         << "; upgrade it before clinicians connect:\n  myoscreen-cli --db "
                         << shell_quoted(*into) << " server upgrade\n";
            }
            return kExitOk;
        };
    });
}

}  // namespace

void add_server_commands(CLI::App& app, Context& ctx, Runner& runner) {
    auto* server = app.add_subcommand(
        "server",
        "Clinic mode on PostgreSQL: init, add-user, remove-user, status, upgrade, backup, restore "
        "(--db CONNINFO)");
    server->require_subcommand(1);
    add_init(*server, ctx, runner);
    add_add_user(*server, ctx, runner);
    add_remove_user(*server, ctx, runner);
    add_status(*server, ctx, runner);
    add_upgrade(*server, ctx, runner);
    add_backup(*server, ctx, runner);
    add_restore(*server, ctx, runner);
}

}  // namespace myo::cli
