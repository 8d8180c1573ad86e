#include <ostream>

#include "cli/commands.hpp"
#include "cli/store_output.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"

namespace myo::cli {

store::CheckOptions check_options(Context& ctx) {
    store::CheckOptions options;
    try {
        options.definitions = &ctx.definitions();
    } catch (const std::exception&) {
        // Without the definitions the documents cannot be validated; the rest is still checked
        // and the report says so.
        options.definitions = nullptr;
    }
    return options;
}

namespace {

void add_check(CLI::App& db, Context& ctx, Runner& runner) {
    auto* cmd = db.add_subcommand("check", "Integrity and schema report of the database");
    cmd->callback([&ctx, &runner]() {
        runner = [&ctx]() {
            return guarded(ctx, [&ctx]() {
                // Read-only and never refusing: this is the verb to run on a refused file.
                auto report = store::check_database(database_path(ctx), check_options(ctx));
                std::string text;
                for (const auto& [label, value] : report.facts) {
                    text += label + ": " + value + "\n";
                }
                if (report.facts.size() > 3 && check_options(ctx).definitions == nullptr) {
                    text += "stored documents: not checked (no definitions found)\n";
                }
                if (report.ok) {
                    *ctx.out << text << "ok\n";
                    return kExitOk;
                }
                for (const auto& problem : report.problems) {
                    text += "problem: " + problem + "\n";
                }
                *ctx.err << text;
                return kExitInvalid;
            });
        };
    });
}

void add_backup(CLI::App& db, Context& ctx, Runner& runner) {
    auto* cmd = db.add_subcommand(
        "backup",
        "Write a consistent, verified copy of the database to a new file; without PATH, today's "
        "daily backup in the backups folder beside the database (keeping the newest 14)");
    auto path = std::make_shared<std::string>();
    cmd->add_option("PATH", *path, "The new backup file (never overwritten)");
    cmd->callback([&ctx, &runner, path]() {
        runner = [&ctx, path]() {
            return guarded(ctx, [&ctx, path]() {
                auto store = open_store(ctx);
                if (path->empty()) {
                    auto daily = store->daily_backup();
                    if (!daily) {
                        *ctx.out << "today's backup exists already in "
                                 << store->backup_folder().string() << "\n";
                        return kExitOk;
                    }
                    *ctx.out << "daily backup written and verified: " << daily->path.string()
                             << " (" << daily->bytes << " bytes, " << daily->patients
                             << " patients, " << daily->assessments
                             << " assessments, integrity ok, sha256 " << daily->sha256 << ")\n";
                    return kExitOk;
                }
                auto r = store->backup(*path);
                *ctx.out << "backup written and verified: " << r.path.string() << " (" << r.bytes
                         << " bytes, " << r.patients << " patients, " << r.assessments
                         << " assessments, integrity ok)\n";
                return kExitOk;
            });
        };
    });
}

void add_settings(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "settings", "Show or change the letterhead: clinic name and address, clinician name");
    auto name = std::make_shared<std::string>();
    auto address = std::make_shared<std::string>();
    auto clinician = std::make_shared<std::string>();
    auto* o_name = cmd->add_option("--clinic-name", *name, "Clinic name");
    auto* o_address = cmd->add_option("--clinic-address", *address, "Clinic address");
    auto* o_clinician = cmd->add_option("--clinician", *clinician, "Clinician name");
    cmd->callback([&ctx, &runner, name, address, clinician, o_name, o_address, o_clinician]() {
        bool set_name = o_name->count() > 0;
        bool set_address = o_address->count() > 0;
        bool set_clinician = o_clinician->count() > 0;
        runner = [&ctx, name, address, clinician, set_name, set_address, set_clinician]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                store::Settings s = store->load_settings();
                if (set_name || set_address || set_clinician) {
                    if (set_name) {
                        s.clinic_name = *name;
                    }
                    if (set_address) {
                        s.clinic_address = *address;
                    }
                    if (set_clinician) {
                        s.clinician_name = *clinician;
                    }
                    store->save_settings(s);     // refuses (exit 2) what cannot be printed
                    s = store->load_settings();  // as stored: normalised
                }
                *ctx.out << "clinic name: " << s.clinic_name << "\n"
                         << "clinic address: " << s.clinic_address << "\n"
                         << "clinician: " << s.clinician_name << "\n";
                return kExitOk;
            });
        };
    });
}

}  // namespace

void add_db_commands(CLI::App& app, Context& ctx, Runner& runner) {
    auto* db = app.add_subcommand("db", "Database maintenance: check, backup, verify, restore");
    db->require_subcommand(1);
    add_check(*db, ctx, runner);
    add_backup(*db, ctx, runner);
    add_safety_db_commands(*db, ctx, runner);
    add_settings(app, ctx, runner);
}

}  // namespace myo::cli
