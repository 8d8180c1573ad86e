// Issue 2's figures: loading the definitions (< 5 ms), evaluating one assessment in-process
// (< 50 µs median over the vignettes) and `myoscreen-cli evaluate` as a whole process (< 30 ms).
// Issue 10: reading hostile files of the largest size accepted (1 MiB) is linear: an object of
// ~80,000 keys (10 s before the fix) and an array of ~500,000 values, each read in full.

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
#include "core/problem.hpp"
#include "examples.hpp"

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
    std::vector<Assessment> cases = bench::load_examples(source, defs);
    std::size_t i = 0;
    bench::Stats eval =
        bench::measure([&] { (void)evaluate(defs, cases[i++ % cases.size()]); }, 20000, 100);
    bench::row("Evaluate one assessment in-process (6 vignettes in turn)", eval, 50, "< 50 µs");

    // A 1 MiB assessment whose answers hold ~80,000 unknown keys, and one whose answer is an
    // array of ~500,000 wrong values: parsed, checked, problems collected (capped) and printed.
    auto filled = [](const std::string& head, const std::string& unit, const std::string& tail) {
        std::string text = head;
        while (text.size() + unit.size() + tail.size() < kMaxAssessmentBytes) {
            text += unit;
        }
        text += tail;
        return text;
    };
    std::string head =
        R"({"format":"myoscreen.assessment","version":1,"patient":{"id":"B","name":"B","birth_date":"1970-01-01"},"date":"2026-01-01","answers":{)";
    std::size_t key = 0;
    std::string keys = head + "\"k0\":0";
    while (keys.size() < kMaxAssessmentBytes - 40) {
        keys += ",\"k" + std::to_string(++key) + "\":0";
    }
    keys += "}}";
    std::string array = filled(head + "\"character\":[0", ",0", "]}}");
    auto read_and_print = [&](const std::string& text) {
        auto parsed = parse_assessment(text, defs);
        return AssessmentError("bench.json", parsed.problems).lines().size();
    };
    bench::Stats keys_time = bench::measure([&] { (void)read_and_print(keys); }, 15, 1);
    bench::row("Read a 1 MiB file whose answers hold " + std::to_string(key + 1) +
                   " keys (parse, check, print)",
               keys_time, 500000, "< 0.5 s");
    bench::Stats json_only = bench::measure([&] { (void)parse_json(keys); }, 15, 1);
    bench::row("Parse the same file as JSON only", json_only, 500000, "< 0.5 s");
    // Linearity: four times the keys (past the file limit, so JSON only) costs about four times.
    std::string keys4 = "{\"k0\":0";
    for (std::size_t k = 1; k < 4 * (key + 1); ++k) {
        keys4 += ",\"k" + std::to_string(k) + "\":0";
    }
    keys4 += "}";
    bench::Stats json4 = bench::measure([&] { (void)parse_json(keys4); }, 5, 1);
    bench::row("Parse 4x the keys (" + std::to_string(4 * (key + 1)) +
                   ", JSON only): linear means about 4x the line above",
               json4, 4 * 500000, "< 2 s");
    bench::Stats array_time = bench::measure([&] { (void)read_and_print(array); }, 15, 1);
    bench::row("Read a 1 MiB file with an array of " + std::to_string(array.size() / 2) +
                   " wrong values (parse, check, print)",
               array_time, 500000, "< 0.5 s");

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
