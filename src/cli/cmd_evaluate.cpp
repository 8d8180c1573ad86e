#include <ostream>

#include "cli/commands.hpp"
#include "cli/store_output.hpp"
#include "core/assessment.hpp"
#include "core/evaluation.hpp"
#include "core/text_summary.hpp"

namespace myo::cli {

void add_evaluate(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "evaluate", "Evaluate an assessment (a file, or a stored one) and print the result");
    auto file = std::make_shared<std::string>();
    auto number = std::make_shared<std::int64_t>(0);
    auto format = std::make_shared<std::string>("json");
    auto* file_opt =
        cmd->add_option("FILE", *file, "Assessment file (JSON), or - for standard input");
    auto* number_opt =
        cmd->add_option("--assessment", *number, "A stored assessment's number (from 'history')")
            ->check(CLI::PositiveNumber);
    file_opt->excludes(number_opt);
    cmd->add_option("--format", *format, "json (default) or text")
        ->check(CLI::IsMember({"json", "text"}));
    cmd->callback([&ctx, &runner, file, number, format, file_opt, number_opt]() {
        if (file_opt->count() == 0 && number_opt->count() == 0) {
            throw CLI::ValidationError("evaluate", "name an assessment FILE or --assessment N");
        }
        const bool stored = number_opt->count() > 0;
        runner = [&ctx, file, number, format, stored]() {
            const Definitions& defs = ctx.definitions();
            Assessment a;
            if (stored) {
                // load() validates the stored document against today's definitions.
                const int status = guarded(ctx, [&]() {
                    a = open_store(ctx)->load(*number).assessment;
                    return kExitOk;
                });
                if (status != kExitOk) {
                    return status;
                }
            } else {
                a = read_assessment_file(*file, defs);
            }
            Evaluation e = evaluate(defs, a);
            if (*format == "text") {
                *ctx.out << evaluation_to_text(defs, a, e);
            } else {
                *ctx.out << evaluation_to_json(e, defs).dump(2) << "\n";
            }
            return kExitOk;
        };
    });
}

}  // namespace myo::cli
