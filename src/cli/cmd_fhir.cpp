// fhir FILE, export --fhir and import --fhir (issue 16; README "FHIR export and import").
#include <filesystem>
#include <optional>
#include <ostream>

#include "cli/fhir_verbs.hpp"
#include "cli/store_output.hpp"
#include "core/bounded_read.hpp"
#include "core/evaluation.hpp"
#include "fhir/fhir.hpp"
#include "fileio/output_file.hpp"
#include "report/reports.hpp"
#include "store/paths.hpp"

namespace myo::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExportNote = "export never overwrites a file";

// Makes Bundles; the report resources (fonts, texts) are loaded once, on the first referral.
class BundleWriter {
  public:
    BundleWriter(Context& ctx, std::string id_system, bool referral,
                 report::ReportSettings letterhead)
        : ctx_(ctx), referral_(referral), letterhead_(std::move(letterhead)) {
        options_.patient_id_system =
            id_system.empty() ? std::string(fhir::kDefaultPatientIdSystem) : std::move(id_system);
        options_.timestamp = fhir::now_instant();
    }

    std::string text(const Assessment& a) {
        const Definitions& defs = ctx_.definitions();
        const Evaluation e = evaluate(defs, a);
        fhir::ExportOptions options = options_;
        if (referral_) {
            try {
                if (!resources_) {
                    resources_.emplace(report::load_report_resources(defs));
                }
                options.referral_pdf = report::make_report(
                    *resources_, report::ReportKind::Referral, a, e, letterhead_);
            } catch (const report::ReportError& err) {
                throw UsageError(std::string(err.what()) +
                                 " (--no-referral exports without the referral note)");
            }
        }
        return fhir::export_bundle(defs, a, e, options).dump(1) + "\n";
    }

  private:
    Context& ctx_;
    bool referral_;
    report::ReportSettings letterhead_;
    fhir::ExportOptions options_;
    std::optional<report::ReportResources> resources_;
};

void write_new_file(const fs::path& path, const std::string& text,
                    const fileio::ProtectedSet& protect) {
    fileio::write_file(path, text, protect, fileio::Existing::Refuse, kExportNote);
}

}  // namespace

void add_fhir_command(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "fhir", "Write an assessment file as an HL7 FHIR R4 Bundle (a document: README, FHIR)");
    auto file = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto options = std::make_shared<FhirExportOptions>();
    cmd->add_option("FILE", *file, "Assessment file (JSON), or - for standard input")->required();
    cmd->add_option("-o,--out", *out,
                    "The Bundle's file (default: standard output); never overwritten");
    cmd->add_option("--id-system", options->id_system,
                    "Identifier system URI of the patient id (default " +
                        std::string(fhir::kDefaultPatientIdSystem) + ")");
    cmd->add_flag_callback(
        "--no-referral", [options] { options->referral = false; },
        "Leave the referral note PDF out");
    cmd->callback([&ctx, &runner, file, out, options]() {
        runner = [&ctx, file, out, options]() {
            const Assessment a = read_assessment_file(*file, ctx.definitions());
            return guarded(ctx, [&]() {
                BundleWriter writer(ctx, options->id_system, options->referral, {});
                const std::string text = writer.text(a);
                if (out->empty()) {
                    *ctx.out << text;
                    return kExitOk;
                }
                std::vector<fs::path> inputs;
                if (*file != "-") {
                    inputs.emplace_back(*file);
                }
                write_new_file(*out, text, protected_targets(ctx, inputs));
                return kExitOk;
            });
        };
    });
}

int export_fhir(Context& ctx, store::Store& store, const std::vector<store::AssessmentInfo>& items,
                bool single, const std::string& out, const FhirExportOptions& options) {
    const auto settings = store.load_settings();
    std::string id_system = options.id_system;
    if (id_system.empty()) {
        id_system = store.fhir_patient_id_system();
    }
    BundleWriter writer(ctx, id_system, options.referral,
                        {settings.clinic_name, settings.clinician_name, settings.clinic_address});
    const auto protect = protected_targets(ctx);
    if (single && out.empty()) {
        *ctx.out << writer.text(store.load(items.front().id).assessment);
        store.record_event(store::audit_action::kExport,
                           {items.front().patient_id, items.front().id},
                           "exported as FHIR to standard output");
        return kExitOk;
    }
    if (!single) {
        store::create_private_directories(out.empty() ? fs::path(".") : fs::path(out));
    }
    // Everything is made and every target checked before the first file is written.
    std::vector<std::pair<fs::path, std::string>> files;
    for (const auto& info : items) {
        fs::path path = single ? fs::path(out)
                               : (out.empty() ? fs::path(".") : fs::path(out)) /
                                     (fileio::safe_file_part(info.patient_id) + "_" + info.date +
                                      "_" + std::to_string(info.id) + ".fhir.json");
        fileio::check_target(path, protect, fileio::Existing::Refuse, kExportNote);
        files.emplace_back(path, writer.text(store.load(info.id).assessment));
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        write_new_file(files[i].first, files[i].second, protect);
        store.record_event(store::audit_action::kExport, {items[i].patient_id, items[i].id},
                           "exported as FHIR to " + files[i].first.string());
        *ctx.out << files[i].first.string() << "\n";
    }
    return kExitOk;
}

int import_fhir(Context& ctx, const std::vector<std::string>& files) {
    const Definitions& defs = ctx.definitions();
    std::vector<Assessment> assessments;
    std::string problems;
    for (const auto& file : files) {
        try {
            // A huge file is refused unread, a device or FIFO read no further than the limit.
            BoundedRead read = read_bounded_file(file, fhir::kMaxFhirBytes);
            if (read.problem) {
                std::string why;
                switch (*read.problem) {
                    case ReadProblem::kDirectory:
                        why = "is a directory, not a FHIR file";
                        break;
                    case ReadProblem::kTooLarge:
                        why = "is too large: a FHIR file is read up to " +
                              std::to_string(fhir::kMaxFhirBytes / (1024 * 1024)) + " MiB";
                        break;
                    case ReadProblem::kUnreadable:
                        // The same words as an assessment file that cannot be read.
                        why = "cannot be read (missing or unreadable)";
                        break;
                    case ReadProblem::kInputOutput:
                        why = "cannot be read (an input/output error)";
                        break;
                }
                throw fhir::ImportError(file, {{"", why}});
            }
            const std::string& text = *read.text;
            assessments.push_back(fhir::import_bundle(defs, text, file));
        } catch (const ProblemsError& e) {
            problems += e.lines();
        }
    }
    if (!problems.empty()) {
        *ctx.err << problems;
        return kExitInvalid;
    }
    return guarded(ctx, [&]() {
        auto store = open_store(ctx);
        for (std::size_t i = 0; i < assessments.size(); ++i) {
            const auto id = store->create_draft(assessments[i]);
            *ctx.out << files[i] << ": stored as draft assessment " << id << " (patient "
                     << assessments[i].patient.id << ", " << assessments[i].date << ")\n";
        }
        return kExitOk;
    });
}

}  // namespace myo::cli
