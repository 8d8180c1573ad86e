#include <ostream>

#include "cli/commands.hpp"
#include "core/assessment.hpp"
#include "core/evaluation.hpp"
#include "core/text_summary.hpp"

namespace myo::cli {

void add_evaluate(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand("evaluate", "Evaluate an assessment file and print the result");
    auto file = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("json");
    cmd->add_option("FILE", *file, "Assessment file (JSON), or - for standard input")->required();
    cmd->add_option("--format", *format, "json (default) or text")
        ->check(CLI::IsMember({"json", "text"}));
    cmd->callback([&ctx, &runner, file, format]() {
        runner = [&ctx, file, format]() {
            const Definitions& defs = ctx.definitions();
            Assessment a = read_assessment_file(*file, defs);
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
