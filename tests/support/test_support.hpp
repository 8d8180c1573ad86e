#pragma once
// Shared by every test executable: the project's definitions and test data.

#include <filesystem>
#include <string>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

namespace myo::test {

std::filesystem::path source_dir();
std::filesystem::path binary_dir();
std::filesystem::path forms_dir();  // <source>/forms
std::filesystem::path data_dir();   // <source>/tests/data
std::filesystem::path cli_path();   // the built myoscreen-cli
const Definitions& definitions();   // loaded once from forms_dir()

// The six worked vignettes: tests/data/vignettes/*.json ({"input", "expected"}), sorted by name.
std::vector<std::filesystem::path> vignette_files();
Json read_json(const std::filesystem::path& path);
// The "input" of a vignette as an Assessment (must be valid).
Assessment vignette_assessment(const std::filesystem::path& vignette);

// A fresh empty directory under the system temp dir, removed at destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// Sets TZ (a POSIX zone such as "CET-1CEST,M3.5.0,M10.5.0/3", which needs no tzdata) for
// the lifetime of the object, then restores it: local-time output is tested in a known zone.
class ScopedTimeZone {
  public:
    explicit ScopedTimeZone(const std::string& tz);
    ~ScopedTimeZone();
    ScopedTimeZone(const ScopedTimeZone&) = delete;
    ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

  private:
    bool had_ = false;
    std::string previous_;
};

// Runs a command through /bin/sh; returns exit status, captures stdout and stderr.
struct CommandResult {
    int status = -1;
    std::string out;
    std::string err;
};
CommandResult run_command(const std::string& command);
// The built myoscreen-cli with `args` (already shell-quoted where needed), through run_command.
CommandResult cli_command(const std::string& args);
// <source>/examples/NAME, shell-quoted: an argument for cli_command.
std::string quoted_example(const std::string& name);

// Whitespace runs become one space (and none at either end), so a phrase that a PDF wrapped over
// two lines is still found in pdftotext's output.
std::string squash_whitespace(const std::string& s);
std::string shell_quote(const std::string& s);

}  // namespace myo::test
