#include <algorithm>
#include <optional>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/store_output.hpp"
#include "core/assessment.hpp"
#include "core/evaluation.hpp"
#include "core/text_input.hpp"
#include "report/reports.hpp"

namespace myo::cli {

namespace {

// The report resources are loaded once per command; a ReportError at load (no fonts) is a
// setup problem, shown as a message, not an internal error.
report::ReportResources load_resources(Context& ctx) {
    try {
        return report::load_report_resources(ctx.definitions());
    } catch (const report::ReportError& e) {
        throw UsageError(e.what());
    }
}

std::string make_one(const report::ReportResources& res, report::ReportKind kind,
                     const Assessment& a, const Evaluation& e,
                     const report::ReportSettings& settings) {
    try {
        return report::make_report(res, kind, a, e, settings);
    } catch (const report::ReportError& err) {
        throw UsageError(err.what());
    }
}

// The PDF is made in memory first, then written by fileio: never over the database, an
// input file or anything that is not a regular file. `out` is the name the user gave (-o): an
// earlier report there is replaced, as documented.
void write_one(const report::ReportResources& res, report::ReportKind kind, const Assessment& a,
               const Evaluation& e, const report::ReportSettings& settings,
               const std::filesystem::path& out, const fileio::ProtectedSet& protect) {
    fileio::write_file(out, make_one(res, kind, a, e, settings), protect,
                       fileio::Existing::ReplacePdf);
}

// The progress report (issue 6) of a stored patient: the comparison of the final visits, with
// the letterhead from the store's settings unless --clinic / --clinician say otherwise.
// Everything is read and checked before the PDF is made, so a refusal leaves no file.
int write_progress_report(Context& ctx, const std::string& patient,
                          std::optional<std::int64_t> baseline, report::ReportSettings settings,
                          const std::filesystem::path& out) {
    const auto protect = protected_targets(ctx);
    fileio::check_target(out, protect, fileio::Existing::ReplacePdf);
    Comparison c;
    const int status = guarded(ctx, [&]() {
        auto store = open_store(ctx);
        c = patient_comparison(ctx, *store, patient, baseline);
        const auto stored = store->load_settings();
        if (settings.clinic.empty()) {
            settings.clinic = stored.clinic_name;
        }
        if (settings.clinician.empty()) {
            settings.clinician = stored.clinician_name;
        }
        // As the referral falls back to the assessment's clinician: the latest visit's.
        if (settings.clinician.empty()) {
            const auto visits = store->final_visits(patient);
            if (!visits.empty()) {
                settings.clinician = visits.back().assessment.clinician.value_or("");
            }
        }
        settings.clinic_address = stored.clinic_address;
        return kExitOk;
    });
    if (status != kExitOk) {
        return status;
    }
    const auto res = load_resources(ctx);
    std::string pdf;
    try {
        pdf = report::make_progress_report(res, c, settings);
    } catch (const report::ReportError& err) {
        throw UsageError(err.what());
    }
    fileio::write_file(out, pdf, protect, fileio::Existing::ReplacePdf);
    return kExitOk;
}

// PDF/A-1b is the default (issue 15): what hospital archives and exchange profiles accept.
void add_pdfa_option(CLI::App* cmd, std::string& value) {
    cmd->add_option("--pdfa", value,
                    "on (default): PDF/A-1b, for archives; off: plain PDF (a few KB smaller)")
        ->check(CLI::IsMember({"on", "off"}));
}

}  // namespace

void add_report_commands(CLI::App& app, Context& ctx, Runner& runner) {
    struct ReportOptions {
        std::string file;
        std::string out;
        std::string kind = "referral";
        std::string clinic;
        std::string clinician;
        std::int64_t assessment = 0;
        std::string patient;
        std::int64_t baseline = 0;
        std::string pdfa = "on";
    };
    auto opts = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand(
        "report",
        "Write a PDF report of an assessment file, a stored assessment, or (--kind "
        "progress) a stored patient's visits");
    auto* file_opt =
        cmd->add_option("FILE", opts->file, "Assessment file (JSON), or - for standard input");
    auto* stored_opt = cmd->add_option("--assessment", opts->assessment,
                                       "A stored assessment (its number, from `history`); the "
                                       "letterhead comes from the store's settings");
    file_opt->excludes(stored_opt);
    auto* patient_opt = cmd->add_option(
        "--patient", opts->patient,
        "A stored patient, for --kind progress: what changed between their final visits");
    patient_opt->excludes(file_opt)->excludes(stored_opt);
    auto* baseline_opt =
        cmd->add_option("--baseline", opts->baseline,
                        "For --kind progress: the assessment number to compare against (default: "
                        "the marked baseline, else the first visit)")
            ->check(CLI::PositiveNumber)
            ->needs(patient_opt);
    cmd->add_option("-o,--out", opts->out, "The PDF to write")->required();
    cmd->add_option("--kind", opts->kind,
                    "referral (default), handout, or progress (with --patient)")
        ->check(CLI::IsMember({"referral", "handout", "progress"}));
    cmd->add_option("--clinic", opts->clinic, "Clinic name for the letterhead");
    add_pdfa_option(cmd, opts->pdfa);
    cmd->add_option("--clinician", opts->clinician,
                    "Clinician for the letterhead (default: the store's settings, else the "
                    "assessment's clinician, for progress the latest visit's)");
    cmd->callback([&ctx, &runner, opts, patient_opt, baseline_opt]() {
        const bool progress = opts->kind == "progress";
        if (progress && patient_opt->count() == 0) {
            throw CLI::ValidationError("report", "--kind progress needs --patient ID");
        }
        if (!progress && patient_opt->count() > 0) {
            throw CLI::ValidationError("report", "--patient is for --kind progress");
        }
        std::optional<std::int64_t> baseline;
        if (baseline_opt->count() > 0) {
            baseline = opts->baseline;
        }
        runner = [&ctx, opts, progress, baseline]() {
            const Definitions& defs = ctx.definitions();
            // Typed here, so checked here like every other name (core/text_input.hpp).
            for (auto [flag, text] : {std::pair{"--clinic", &opts->clinic},
                                      std::pair{"--clinician", &opts->clinician}}) {
                *text = normalize_text(*text);
                if (auto problem = text_problem(*text, TextKind::kName)) {
                    throw UsageError(std::string(flag) + ": the text " + *problem);
                }
            }
            report::ReportSettings settings{opts->clinic, opts->clinician, "", opts->pdfa == "on"};
            if (progress) {
                const int status =
                    write_progress_report(ctx, opts->patient, baseline, settings, opts->out);
                if (status == kExitOk) {
                    *ctx.out << opts->out << "\n";
                }
                return status;
            }
            std::vector<std::filesystem::path> inputs;
            if (!opts->file.empty()) {
                inputs.emplace_back(opts->file);
            }
            // Refused before anything is read or opened: nothing to undo.
            const auto protect = protected_targets(ctx, inputs);
            fileio::check_target(opts->out, protect, fileio::Existing::ReplacePdf);
            Assessment a;
            if (opts->file.empty()) {
                if (opts->assessment <= 0) {
                    throw UsageError("name an assessment file or --assessment N");
                }
                const int status = guarded(ctx, [&]() {
                    auto store = open_store(ctx);
                    a = store->load(opts->assessment).assessment;
                    const auto stored = store->load_settings();
                    settings.clinic = opts->clinic.empty() ? stored.clinic_name : opts->clinic;
                    settings.clinician =
                        opts->clinician.empty() ? stored.clinician_name : opts->clinician;
                    settings.clinic_address = stored.clinic_address;
                    return kExitOk;
                });
                if (status != kExitOk) {
                    return status;
                }
            } else {
                // Read and validate first: bad input must leave no output file at all.
                a = read_assessment_file(opts->file, defs);
            }
            Evaluation e = evaluate(defs, a);
            const auto res = load_resources(ctx);
            write_one(res, *report::parse_report_kind(opts->kind), a, e, settings, opts->out,
                      protect);
            *ctx.out << opts->out << "\n";
            return kExitOk;
        };
    });

    struct DemoOptions {
        std::string out_dir;
        std::vector<std::string> files;
        std::string clinic = "MyoScreen demonstration clinic";
        std::string pdfa = "on";
    };
    auto demo = std::make_shared<DemoOptions>();
    auto* dcmd = app.add_subcommand(
        "demo", "Write both reports (referral and handout) for each example assessment");
    dcmd->add_option("--out", demo->out_dir, "Folder for the PDFs (created if missing)")
        ->required();
    dcmd->add_option("FILES", demo->files,
                     "Assessment files (default: the examples/ folder beside the forms)");
    dcmd->add_option("--clinic", demo->clinic, "Clinic name for the letterhead");
    add_pdfa_option(dcmd, demo->pdfa);
    dcmd->callback([&ctx, &runner, demo]() {
        runner = [&ctx, demo]() {
            const Definitions& defs = ctx.definitions();
            std::vector<std::filesystem::path> files(demo->files.begin(), demo->files.end());
            if (files.empty()) {
                const auto examples = defs.dir / ".." / "examples";
                std::error_code ec;
                for (const auto& entry : std::filesystem::directory_iterator(examples, ec)) {
                    if (entry.path().extension() == ".json") {
                        files.push_back(entry.path());
                    }
                }
                if (files.empty()) {
                    throw UsageError("no example assessments found in " + examples.string() +
                                     "; name the files to use");
                }
                std::sort(files.begin(), files.end());
            }
            const auto protect = protected_targets(ctx, files);
            std::error_code ec;
            std::filesystem::create_directories(demo->out_dir, ec);
            if (ec) {
                throw UsageError("cannot create " + demo->out_dir + ": " + ec.message());
            }
            // The names are the command's choice, not the user's: an existing file (an earlier
            // run's report, or anything else) keeps its name and the new one is numbered
            // ("v1-referral (2).pdf").
            const std::filesystem::path folder(demo->out_dir);
            const auto stem_of = [](const std::filesystem::path& file, report::ReportKind kind) {
                return file.stem().string() + "-" + report::report_kind_id(kind);
            };
            constexpr report::ReportKind kKinds[] = {report::ReportKind::Referral,
                                                     report::ReportKind::Handout};
            // Every target is checked before the first is written: a refusal changes nothing.
            for (const auto& file : files) {
                for (auto kind : kKinds) {
                    fileio::check_target(
                        fileio::first_free_name(folder, stem_of(file, kind), ".pdf"), protect,
                        fileio::Existing::Refuse);
                }
            }
            const auto res = load_resources(ctx);
            for (const auto& file : files) {
                Assessment a = read_assessment_file(file.string(), defs);
                Evaluation e = evaluate(defs, a);
                for (auto kind : kKinds) {
                    const auto out = fileio::write_new_file(
                        folder, stem_of(file, kind), ".pdf",
                        make_one(res, kind, a, e, {demo->clinic, "", "", demo->pdfa == "on"}),
                        protect);
                    *ctx.out << (folder / out.filename()).string() << "\n";
                }
            }
            return kExitOk;
        };
    });
}

}  // namespace myo::cli
