#include <cctype>
#include <optional>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/store_output.hpp"
#include "core/text_input.hpp"
#include "store/pg/pg_check.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/store_copy.hpp"

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

store::CheckReport check_report(Context& ctx, const store::CheckOptions& options) {
    if (on_server(ctx)) {
        return store::pg::check_database(ctx.db_path->string(), options);
    }
    return store::check_database(database_path(ctx), options);
}

namespace {

void add_check(CLI::App& db, Context& ctx, Runner& runner) {
    auto* cmd = db.add_subcommand("check", "Integrity and schema report of the database");
    cmd->callback([&ctx, &runner]() {
        runner = [&ctx]() {
            return guarded(ctx, [&ctx]() {
                // Read-only and never refusing: this is the verb to run on a refused file.
                auto report = check_report(ctx, check_options(ctx));
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

// "20GB", "500 MB", "1.5G", "750000000": decimal units as file managers show them (bare
// number: bytes). UsageError naming the option otherwise.
std::uintmax_t parse_size(const std::string& option, const std::string& text) {
    std::size_t end = 0;
    double value = -1;
    try {
        value = std::stod(text, &end);
    } catch (const std::exception&) {
        value = -1;
    }
    std::string unit;
    for (char c : text.substr(value < 0 ? 0 : end)) {
        if (c != ' ') {
            unit += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    if (!unit.empty() && unit.back() == 'B') {
        unit.pop_back();
    }
    const std::string units = "KMGT";
    double factor = 1;
    if (unit.size() == 1 && units.find(unit[0]) != std::string::npos) {
        for (std::size_t i = 0; i <= units.find(unit[0]); ++i) {
            factor *= 1000;
        }
    } else if (!unit.empty()) {
        value = -1;
    }
    if (!(value >= 0) || text.empty() || value * factor > 1e18) {
        throw UsageError(option + ": \"" + quote_for_message(text) +
                         "\" is not a size; give it like 20GB, 500MB or 1.5TB");
    }
    return static_cast<std::uintmax_t>(value * factor);
}

// "N bytes, zstd-compressed from M, P patients, A assessments, integrity ok"; on PostgreSQL
// how the archive was made and verified instead of the SQLite words.
std::string backup_facts(const store::BackupReport& r) {
    std::string text = std::to_string(r.bytes) + " bytes";
    if (r.compressed) {
        text += ", zstd-compressed from " + std::to_string(r.database_bytes);
    }
    text += ", " + std::to_string(r.patients) + " patients, " + std::to_string(r.assessments) +
            " assessments, ";
    return text + (r.method.empty() ? std::string("integrity ok") : r.method);
}

void add_backup(CLI::App& db, Context& ctx, Runner& runner) {
    auto* cmd = db.add_subcommand(
        "backup",
        "Write a consistent, verified copy of the database to a new file; without PATH, today's "
        "daily backup myoscreen-YYYY-MM-DD.db.zst (zstd-compressed) in the backups folder beside "
        "the database, keeping the newest 14 within a size budget. On PostgreSQL (--db "
        "CONNINFO): a verified pg_dump archive (.pgdump), by default in this user's "
        "backups/<server>-<database> folder");
    auto path = std::make_shared<std::string>();
    auto keep = std::make_shared<int>(store::kDailyBackupsKept);
    auto budget = std::make_shared<std::string>();
    cmd->add_option("PATH", *path,
                    "The new backup file (never overwritten): compressed with zstd when the name "
                    "ends in .zst (e.g. clinic.db.zst), else a plain SQLite copy sqlite3 opens");
    auto* o_keep = cmd->add_option("--keep", *keep, "Daily backups kept (default 14)")
                       ->check(CLI::Range(1, 3650));
    auto* o_budget = cmd->add_option(
        "--budget", *budget,
        "Most space the daily backups may take together, e.g. 20GB (default: 4 times the "
        "database's size); the newest is always kept");
    cmd->callback([&ctx, &runner, path, keep, budget, o_keep, o_budget]() {
        bool retention_given = o_keep->count() > 0 || o_budget->count() > 0;
        runner = [&ctx, path, keep, budget, retention_given]() {
            return guarded(ctx, [&]() {
                if (!path->empty() && retention_given) {
                    throw UsageError(
                        "--keep and --budget are for the daily backup (db backup without PATH)");
                }
                std::optional<std::uintmax_t> bytes;
                if (!budget->empty()) {
                    bytes = parse_size("--budget", *budget);
                }
                auto store = open_store(ctx);
                if (path->empty()) {
                    // Asked for: taken on PostgreSQL too (the GUI's start takes none there).
                    auto daily = store->dated_backup({}, *keep, bytes);
                    if (!daily) {
                        *ctx.out << "today's backup exists already in "
                                 << quote_for_message(store->backup_folder().string(), 200) << "\n";
                        return kExitOk;
                    }
                    *ctx.out << "daily backup written and verified: "
                             << quote_for_message(daily->path.string(), 200) << " ("
                             << backup_facts(*daily) << ", sha256 " << daily->sha256 << ")\n";
                    return kExitOk;
                }
                auto r = store->backup(*path);
                *ctx.out << "backup written and verified: "
                         << quote_for_message(r.path.string(), 200) << " (" << backup_facts(r)
                         << ")\n";
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
    auto id_system = std::make_shared<std::string>();
    auto* o_id_system = cmd->add_option(
        "--fhir-id-system", *id_system,
        "Identifier system URI of the clinic's patient ids in FHIR exports (issue 16)");
    cmd->callback([&ctx, &runner, name, address, clinician, o_name, o_address, o_clinician,
                   id_system, o_id_system]() {
        bool set_name = o_name->count() > 0;
        bool set_address = o_address->count() > 0;
        bool set_clinician = o_clinician->count() > 0;
        bool set_id_system = o_id_system->count() > 0;
        runner = [&ctx, name, address, clinician, set_name, set_address, set_clinician, id_system,
                  set_id_system]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                if (set_id_system) {
                    store->save_fhir_patient_id_system(*id_system);  // refuses a non-URI (exit 2)
                }
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
                if (const auto system = store->fhir_patient_id_system(); !system.empty()) {
                    *ctx.out << "FHIR patient id system: " << system << "\n";
                }
                return kExitOk;
            });
        };
    });
}

// db copy FROM TO (issue 13): moving a practice between the backends. FROM and TO are targets
// as --db takes them (store/target.hpp); --db itself is not used.
void add_copy(CLI::App& db, Context& ctx, Runner& runner) {
    auto* cmd = db.add_subcommand(
        "copy",
        "Copy a whole store, verified, into an empty PostgreSQL database made by server init "
        "or into a new SQLite file: patients, every assessment byte for byte, baselines, "
        "settings and the audit trail continued; the source is only read");
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    cmd->add_option("FROM", *from, "The store to copy: a SQLite file or a PostgreSQL connection")
        ->required();
    cmd->add_option("TO", *to,
                    "Where to: a new SQLite file, or an empty PostgreSQL database (connect as "
                    "the login that ran server init)")
        ->required();
    cmd->callback([&ctx, &runner, from, to]() {
        runner = [&ctx, from, to]() {
            return guarded(ctx, [&]() {
                // A large store takes minutes: say where the copy is, on stderr.
                store::CopyReport r = store::copy_store(
                    *from, *to,
                    [&ctx](std::string_view phase, std::string_view table, std::int64_t rows) {
                        *ctx.err << "db copy: " << phase << " " << table << ", " << rows
                                 << " rows\n";
                    });
                const store::CopyCounts& n = r.counts;
                *ctx.out << "copied and verified: " << r.from << " -> " << r.to << "\n"
                         << "  " << n.patients << " patients, " << n.assessments
                         << " assessments (each document byte-identical, by SHA-256), "
                         << n.baselines << " baselines, " << n.settings << " settings, "
                         << n.search_words << " search words\n"
                         << "  audit trail: " << n.audit_rows
                         << " rows continued, the chain verifies on the target with the "
                            "source's head, "
                         << store::describe(r.source_head) << "; the copy is recorded as "
                         << store::describe(r.copy_row) << "\n";
                if (!r.replaced.empty()) {
                    *ctx.out << "  replaced the target's own rows before the copy: " << r.replaced
                             << "\n";
                }
                return kExitOk;
            });
        };
    });
}

}  // namespace

void add_db_commands(CLI::App& app, Context& ctx, Runner& runner) {
    auto* db =
        app.add_subcommand("db", "Database maintenance: check, backup, verify, restore, copy");
    db->require_subcommand(1);
    add_check(*db, ctx, runner);
    add_backup(*db, ctx, runner);
    add_copy(*db, ctx, runner);
    add_safety_db_commands(*db, ctx, runner);
    add_settings(app, ctx, runner);
}

}  // namespace myo::cli
