// compare and baseline (issue 6): what changed since the baseline, from the store.

#include <ostream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/store_output.hpp"
#include "core/baseline_choice.hpp"
#include "core/comparison.hpp"
#include "store/store.hpp"

namespace myo::cli {

namespace {

// The patient's final visits and the comparison's baseline: an explicit assessment number for
// this run, else the stored mark, else the first visit.
Comparison load_comparison(Context& ctx, store::Store& store, const std::string& patient,
                           std::optional<std::int64_t> baseline_assessment) {
    auto stored = store.final_visits(patient);
    if (stored.size() < 2) {
        throw store::NotFound("patient \"" + patient + "\" has " + std::to_string(stored.size()) +
                              " final assessment(s); a comparison needs two or more");
    }
    std::optional<std::int64_t> visit = store.baseline_visit(patient);
    if (baseline_assessment) {
        visit = store.info(*baseline_assessment).visit;
    }
    std::vector<std::int64_t> ids;
    std::vector<Assessment> visits;
    for (auto& s : stored) {
        ids.push_back(s.info.visit);
        visits.push_back(std::move(s.assessment));
    }
    // The same choice as the app's Progress view (core/baseline_choice.hpp).
    BaselineChoice base = choose_baseline(ids, visit);
    if (base.problem == BaselineProblem::NotAFinalVisit) {
        throw store::NotFound("the baseline visit is not among patient \"" + patient +
                              "\"'s final visits");
    }
    if (base.problem == BaselineProblem::IsLatest) {
        throw UsageError("the baseline must be a visit before the latest one");
    }
    return compare_visits(ctx.definitions(), visits, base.index);
}

}  // namespace

Comparison patient_comparison(Context& ctx, store::Store& store, const std::string& patient,
                              std::optional<std::int64_t> baseline_assessment) {
    return load_comparison(ctx, store, patient, baseline_assessment);
}

void add_progress_commands(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmp =
        app.add_subcommand("compare",
                           "What changed since the baseline and the previous visit, and whether "
                           "it is clinically important");
    auto patient = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("json");
    auto baseline = std::make_shared<std::int64_t>(0);
    cmp->add_option("--patient", *patient, "Patient id")->required();
    cmp->add_option("--format", *format, "json (default) or text")
        ->check(CLI::IsMember({"json", "text"}));
    auto* base_opt =
        cmp->add_option("--baseline", *baseline,
                        "Assessment number to compare against this time (default: the marked "
                        "baseline, else the first visit)")
            ->check(CLI::PositiveNumber);
    cmp->callback([&ctx, &runner, patient, format, baseline, base_opt]() {
        std::optional<std::int64_t> explicit_base;
        if (base_opt->count() > 0) {
            explicit_base = *baseline;
        }
        runner = [&ctx, patient, format, explicit_base]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                Comparison c = load_comparison(ctx, *store, *patient, explicit_base);
                if (*format == "text") {
                    *ctx.out << comparison_to_text(c);
                } else {
                    *ctx.out << comparison_to_json(c).dump(2) << "\n";
                }
                return kExitOk;
            });
        };
    });

    auto* mark = app.add_subcommand("baseline", "Mark the visit that progress is measured from");
    auto mark_patient = std::make_shared<std::string>();
    auto number = std::make_shared<std::int64_t>(0);
    auto first = std::make_shared<bool>(false);
    mark->add_option("--patient", *mark_patient, "Patient id")->required();
    auto* num_opt =
        mark->add_option("--assessment", *number, "Assessment number of the baseline visit")
            ->check(CLI::PositiveNumber);
    auto* first_opt = mark->add_flag("--first", *first, "Go back to the first visit as baseline");
    num_opt->excludes(first_opt);
    // `first` is captured so the flag's storage lives as long as the parser that writes it.
    mark->callback([&ctx, &runner, mark_patient, number, first, num_opt, first_opt]() {
        (void)first;
        if (num_opt->count() == 0 && first_opt->count() == 0) {
            throw CLI::ValidationError("baseline", "name --assessment N or --first");
        }
        std::optional<std::int64_t> id;
        if (num_opt->count() > 0) {
            id = *number;
        }
        runner = [&ctx, mark_patient, id]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                store->set_baseline(*mark_patient, id);
                *ctx.out << "baseline of " << *mark_patient << ": "
                         << (id ? "the visit of assessment " + std::to_string(*id)
                                : std::string("the first visit"))
                         << "\n";
                return kExitOk;
            });
        };
    });
}

}  // namespace myo::cli
