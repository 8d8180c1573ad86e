#include "support/test_support.hpp"

#include <sys/wait.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <stdexcept>

namespace myo::test {

std::filesystem::path source_dir() {
    return MYOSCREEN_SOURCE_DIR;
}
std::filesystem::path binary_dir() {
    return MYOSCREEN_BINARY_DIR;
}
std::filesystem::path forms_dir() {
    return source_dir() / "forms";
}
std::filesystem::path data_dir() {
    return source_dir() / "tests" / "data";
}
std::filesystem::path cli_path() {
    return binary_dir() / "bin" / "myoscreen-cli";
}

const Definitions& definitions() {
    static const Definitions defs = load_definitions(forms_dir());
    return defs;
}

std::vector<std::filesystem::path> vignette_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir() / "vignettes")) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

Json read_json(const std::filesystem::path& path) {
    auto parsed = parse_json(read_text_file(path));
    if (!parsed.value) {
        throw std::runtime_error(path.string() + ": not JSON");
    }
    return *parsed.value;
}

Assessment vignette_assessment(const std::filesystem::path& vignette) {
    auto parsed = assessment_from_json(read_json(vignette)["input"], definitions());
    if (!parsed.assessment) {
        throw std::runtime_error(vignette.string() +
                                 ": invalid input: " + parsed.problems.front().message);
    }
    return *parsed.assessment;
}

TempDir::TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() /
                         ("myoscreen-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

ScopedTimeZone::ScopedTimeZone(const std::string& tz) {
    if (const char* now = std::getenv("TZ")) {
        had_ = true;
        previous_ = now;
    }
    ::setenv("TZ", tz.c_str(), 1);
    ::tzset();
}

ScopedTimeZone::~ScopedTimeZone() {
    if (had_) {
        ::setenv("TZ", previous_.c_str(), 1);
    } else {
        ::unsetenv("TZ");
    }
    ::tzset();
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

CommandResult run_command(const std::string& command) {
    TempDir dir;
    auto out_file = dir.path() / "out";
    auto err_file = dir.path() / "err";
    std::string full =
        command + " >" + shell_quote(out_file.string()) + " 2>" + shell_quote(err_file.string());
    int raw = std::system(full.c_str());
    CommandResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    auto slurp = [](const std::filesystem::path& p) {
        try {
            return read_text_file(p);
        } catch (...) {
            return std::string();
        }
    };
    r.out = slurp(out_file);
    r.err = slurp(err_file);
    return r;
}

std::string squash_whitespace(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            space = true;
        } else {
            if (space && !out.empty()) {
                out += ' ';
            }
            space = false;
            out += c;
        }
    }
    return out;
}

CommandResult cli_command(const std::string& args) {
    return run_command(shell_quote(cli_path().string()) + " " + args);
}

std::string quoted_example(const std::string& name) {
    return shell_quote((source_dir() / "examples" / name).string());
}

}  // namespace myo::test
