#include "cli/cli_app.hpp"

#include <ostream>

#include "cli/commands.hpp"
#include "cli/fhir_verbs.hpp"
#include "cli/interface_json.hpp"
#include "core/assessment.hpp"
#include "core/problem.hpp"
#include "core/version.hpp"
#include "fileio/output_file.hpp"
#include "store/errors.hpp"

namespace myo::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Context ctx;
    ctx.out = &out;
    ctx.err = &err;
    CLI::App app{
        "MyoScreen: structured muscle-pain assessment. Evaluates assessments against "
        "the clinical rules in forms/.\nThe suggestions support, and do not replace, "
        "clinical judgement.",
        "myoscreen-cli"};
    // The rules version needs the definitions, found only when --version is asked for, and
    // before --forms is read: forms_argument looks for it in the arguments themselves.
    app.set_version_flag("--version",
                         [&args] { return version_line("myoscreen-cli", forms_argument(args)); });
    std::string forms;
    app.add_option("--forms", forms, "Folder with assessment.json, rules.json and tests.json");
    std::string db;
    app.add_option("--db", db, "Database file (default: $XDG_DATA_HOME/myoscreen/myoscreen.db)");
    bool read_only = false;
    app.add_flag("--read-only", read_only,
                 "Open the database read-only (while another MyoScreen has it open)");
    bool check = false;
    app.add_flag("--check", check,
                 "Read the whole database on opening (SQLite's quick_check) and refuse it if "
                 "damaged; slow on a big store ('db check' gives the full report)");
    app.require_subcommand(1);
    Runner runner;
    add_evaluate(app, ctx, runner);
    add_store_commands(app, ctx, runner);
    add_progress_commands(app, ctx, runner);
    add_report_commands(app, ctx, runner);
    add_server_commands(app, ctx, runner);
    add_fhir_command(app, ctx, runner);

    // Not an option a user types: the build reads it to write the man page and the bash
    // completion from these very definitions (packaging/gen_docs.py).
    if (args.size() == 1 && args.front() == "--help-json") {
        out << describe_interface(app).dump(2) << "\n";
        return kExitOk;
    }

    // CLI11 parses from the last element backwards.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << app.version() << "\n";
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << "myoscreen-cli: " << e.what() << "\n";
        err << "Run 'myoscreen-cli --help' for usage.\n";
        return kExitInvalid;
    }
    if (!forms.empty()) {
        ctx.forms_dir = forms;
    }
    if (!db.empty()) {
        ctx.db_path = db;
    }
    ctx.read_only = read_only;
    ctx.check = check;
    if (!runner) {
        out << app.help();
        return kExitOk;
    }
    try {
        return runner();
    } catch (const ProblemsError& e) {
        err << e.lines();
        return kExitInvalid;
    } catch (const UsageError& e) {
        err << "myoscreen-cli: " << e.what() << "\n";
        return kExitInvalid;
    } catch (const fileio::OutputRefused& e) {
        err << "myoscreen-cli: " << e.what() << "\n";
        return kExitInvalid;
    } catch (const fileio::OutputError& e) {
        err << "myoscreen-cli: " << e.what() << "\n";
        return kExitInvalid;
    } catch (const store::StoreError& e) {
        // A refusal (a damaged page met by any verb, ...) is an answer, never an internal error.
        err << "myoscreen-cli: " << e.what() << "\n";
        return kExitInvalid;
    } catch (const std::exception& e) {
        err << "myoscreen-cli: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
}

}  // namespace myo::cli
