// Issue 2's figures: loading the definitions (< 5 ms), evaluating one assessment in-process
// (< 50 µs median over the vignettes) and `myoscreen-cli evaluate` as a whole process (< 30 ms).

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "bench_util.hpp"
#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

using namespace myo;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_core SOURCE_DIR\n");
        return 2;
    }
    std::filesystem::path source = argv[1];
    auto forms = source / "forms";
    auto bin = executable_dir();

    bench::Stats load = bench::measure([&] { (void)load_definitions(forms); }, 200);
    bench::row("Load and validate the definitions (forms/)", load, 5000, "< 5 ms");

    Definitions defs = load_definitions(forms);
    std::vector<Assessment> cases;
    for (const auto& entry : std::filesystem::directory_iterator(source / "examples")) {
        cases.push_back(read_assessment_file(entry.path().string(), defs));
    }
    std::size_t i = 0;
    bench::Stats eval =
        bench::measure([&] { (void)evaluate(defs, cases[i++ % cases.size()]); }, 20000, 100);
    bench::row("Evaluate one assessment in-process (6 vignettes in turn)", eval, 50, "< 50 µs");

    std::string cli = (bin / "myoscreen-cli").string();
    std::string example = (source / "examples" / "v1_widespread_chronic.json").string();
    if (bench::run_process({cli, "evaluate", example}) != 0) {
        std::fprintf(stderr, "myoscreen-cli evaluate failed\n");
        return 1;
    }
    bench::Stats process = bench::measure(
        [&] {
            bench::run_process({cli, "evaluate", example});
        },
        60);
    bench::row("`myoscreen-cli evaluate` as a whole process", process, 30000, "< 30 ms");
    return 0;
}
