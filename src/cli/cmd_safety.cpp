// The data-safety verbs (issue 7): audit, delete, db verify, db restore.

#include <ostream>

#include "cli/commands.hpp"
#include "cli/store_output.hpp"
#include "core/text_input.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/target.hpp"

namespace myo::cli {

namespace {

void add_audit(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "audit", "Show the audit trail: who changed, exported or deleted what, and when (UTC)");
    auto patient = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    auto* by_patient = cmd->add_option("--patient", *patient, "Only the rows about this patient");
    cmd->add_option("--format", *format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->callback([&ctx, &runner, patient, format, by_patient]() {
        bool one = by_patient->count() > 0;
        runner = [&ctx, patient, format, one]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                auto rows =
                    store->audit_trail(one ? std::optional<std::string>(*patient) : std::nullopt);
                if (*format == "json") {
                    Json list = Json::array();
                    for (const auto& r : rows) {
                        list.push_back(
                            {{"seq", r.seq},
                             {"at", r.at},
                             {"clinician", r.clinician},
                             {"os_user", r.os_user},
                             {"action", r.action},
                             {"patient", r.patient_id ? Json(*r.patient_id) : Json(nullptr)},
                             {"assessment", r.assessment ? Json(*r.assessment) : Json(nullptr)},
                             {"summary", r.summary},
                             {"hash", r.hash}});
                    }
                    *ctx.out << list.dump(2) << "\n";
                    return kExitOk;
                }
                if (rows.empty()) {
                    *ctx.out << (one ? "No audit rows about patient \"" + *patient + "\".\n"
                                     : std::string("The audit trail is empty.\n"));
                    return kExitOk;
                }
                Table t{{"N", "WHEN (UTC)", "CLINICIAN", "ACCOUNT", "ACTION", "PATIENT",
                         "ASSESSMENT", "SUMMARY"},
                        {true, false, false, false, false, false, true, false},
                        {}};
                for (const auto& r : rows) {
                    t.rows.push_back(
                        {std::to_string(r.seq), r.at, r.clinician.empty() ? "-" : r.clinician,
                         r.os_user, r.action, r.patient_id.value_or("-"),
                         r.assessment ? std::to_string(*r.assessment) : "-", r.summary});
                }
                *ctx.out << t.render();
                return kExitOk;
            });
        };
    });
}

void add_delete(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "delete",
        "Delete a patient with all assessments, after a verified backup (recorded in the audit "
        "trail)");
    auto patient = std::make_shared<std::string>();
    auto confirm = std::make_shared<std::string>();
    cmd->add_option("--patient", *patient, "Patient id")->required();
    cmd->add_option("--confirm", *confirm,
                    "The patient's name, exactly as stored (see 'history ID')")
        ->required();
    cmd->callback([&ctx, &runner, patient, confirm]() {
        runner = [&ctx, patient, confirm]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                auto r = store->delete_patient(*patient, *confirm);
                *ctx.out << "patient " << r.patient_id << " deleted with " << r.assessments
                         << " assessments; backup taken before: " << r.backup.path.string() << "\n";
                return kExitOk;
            });
        };
    });
}

}  // namespace

void add_safety_commands(CLI::App& app, Context& ctx, Runner& runner) {
    add_audit(app, ctx, runner);
    add_delete(app, ctx, runner);
}

void add_safety_db_commands(CLI::App& db, Context& ctx, Runner& runner) {
    auto* verify = db.add_subcommand(
        "verify",
        "Check for changes made outside MyoScreen: the audit trail's hash chain, its head against "
        "the chain record beside the file, the records against the trail, the schema (exit 2, "
        "naming what was found)");
    verify->callback([&ctx, &runner]() {
        runner = [&ctx]() {
            return guarded(ctx, [&ctx]() {
                // Read-only: a file refused for writing because it was changed is verified too.
                store::CheckOptions options;  // the documents are db check's work
                auto report = check_report(ctx, options);
                if (!report.ok) {
                    if (report.chain && !report.chain->ok) {
                        *ctx.err << "audit trail BROKEN at row "
                                 << report.chain->first_broken.value_or(0) << ": "
                                 << report.chain->problem << "\n";
                    }
                    for (const auto& problem : report.problems) {
                        if (report.chain && !report.chain->ok &&
                            problem == "audit trail: " + report.chain->problem) {
                            continue;
                        }
                        *ctx.err << "problem: " << problem << "\n";
                    }
                    if (on_server(ctx) && !report.chain) {
                        // Not (or not yet) a MyoScreen database: nothing was changed in it.
                        return kExitInvalid;
                    }
                    *ctx.err << "NOT intact: the database was changed outside MyoScreen or is "
                                "damaged; restore a backup (db restore) after keeping a copy\n";
                    return kExitInvalid;
                }
                if (!report.chain) {
                    *ctx.out << "no audit trail yet (schema before 4)\n";
                    return kExitOk;
                }
                const auto& v = *report.chain;
                *ctx.out << "audit trail intact: " << v.rows << " rows, head "
                         << (v.head.empty() ? "-" : v.head) << "\n";
                if (on_server(ctx)) {
                    // The server chains each row in the transaction of the change; no file
                    // beside it to compare with.
                    *ctx.out << "the server's head row agrees, no objects of another "
                                "application\n";
                    return kExitOk;
                }
                *ctx.out << "records match the trail, schema as MyoScreen created it, chain "
                            "record agrees\n";
                return kExitOk;
            });
        };
    });

    auto* restore = db.add_subcommand(
        "restore",
        "Replace the database with a checked backup; the current file is kept beside it. On "
        "PostgreSQL (--db CONNINFO): restore a server backup (.pgdump) into that database, which "
        "must be empty");
    auto path = std::make_shared<std::string>();
    restore->add_option("PATH", *path, "The backup to restore")->required();
    restore->callback([&ctx, &runner, path]() {
        runner = [&ctx, path]() {
            return guarded(ctx, [&ctx, path]() {
                auto r = store::Store::restore(database_path(ctx), *path);
                *ctx.out << "restored "
                         << (r.restored.empty() ? database_path(ctx).string() : r.restored)
                         << " from " << quote_for_message(r.restored_from.string(), 200) << " ("
                         << r.patients << " patients, " << r.assessments << " assessments, sha256 "
                         << r.sha256 << ")\n";
                if (r.head) {
                    *ctx.out << "audit chain verified, head row " << r.head->seq << "\n";
                }
                if (on_server(ctx) && r.schema_version < store::pg::kPgSchemaVersion) {
                    *ctx.out << "the backup has schema version " << r.schema_version
                             << "; upgrade it before clinicians connect: server upgrade\n";
                }
                if (!r.previous_kept_as.empty()) {
                    *ctx.out << "the previous database is kept as " << r.previous_kept_as.string()
                             << "\n";
                }
                return kExitOk;
            });
        };
    });
}

}  // namespace myo::cli
