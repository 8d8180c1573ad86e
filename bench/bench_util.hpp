#pragma once
// Shared by every benchmark: time a function many times and print one table row that
// scripts/bench collects into bench/README.md. Rows start with "ROW\t" so other output
// (progress, notes) never gets into the table.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

extern char** environ;

namespace myo::bench {

struct Stats {
    double median = 0;
    double p10 = 0;
    double p90 = 0;
    std::size_t runs = 0;
};

inline Stats summarize(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    Stats s;
    s.runs = samples.size();
    if (samples.empty()) {
        return s;
    }
    auto at = [&](double q) {
        return samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))];
    };
    s.median = at(0.5);
    s.p10 = at(0.1);
    s.p90 = at(0.9);
    return s;
}

// Runs f() `runs` times (after `warmup` untimed runs); each sample is microseconds per call.
template <typename F>
Stats measure(F&& f, std::size_t runs, std::size_t warmup = 3) {
    for (std::size_t i = 0; i < warmup; ++i) {
        f();
    }
    std::vector<double> samples;
    samples.reserve(runs);
    for (std::size_t i = 0; i < runs; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        f();
        auto t1 = std::chrono::steady_clock::now();
        samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    return summarize(std::move(samples));
}

inline std::string human(double us) {
    char buf[64];
    if (us < 1000) {
        std::snprintf(buf, sizeof buf, "%.1f µs", us);
    } else if (us < 1e6) {
        std::snprintf(buf, sizeof buf, "%.2f ms", us / 1000);
    } else {
        std::snprintf(buf, sizeof buf, "%.2f s", us / 1e6);
    }
    return buf;
}

// One row: what, median, p10-p90 spread, runs, target, verdict.
inline void row(const std::string& what, const Stats& s, double target_us,
                const std::string& target_text) {
    const char* verdict = s.median <= target_us ? "met" : "MISSED";
    std::printf("ROW\t%s\t%s\t%s – %s\t%zu\t%s\t%s\n", what.c_str(), human(s.median).c_str(),
                human(s.p10).c_str(), human(s.p90).c_str(), s.runs, target_text.c_str(), verdict);
    std::fflush(stdout);
}

// A row for a figure that is not a time (a size, a count).
inline void row_value(const std::string& what, const std::string& value,
                      const std::string& target_text, bool met) {
    std::printf("ROW\t%s\t%s\t-\t-\t%s\t%s\n", what.c_str(), value.c_str(), target_text.c_str(),
                met ? "met" : "MISSED");
    std::fflush(stdout);
}

// Runs a program (argv[0] is its path) with standard output to /dev/null; returns its exit
// status, or -1 if it could not start or did not exit normally. For whole-process timings.
inline int run_process(const std::vector<std::string>& argv_strings) {
    std::vector<char*> argv;
    for (const auto& s : argv_strings) {
        argv.push_back(const_cast<char*>(s.c_str()));
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        return -1;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace myo::bench
