#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/assessment.hpp"

namespace myo::test {

std::string slurp(const std::filesystem::path& path);
void spit(const std::filesystem::path& path, const std::string& text);
// The vignette's input as an assessment file (canonical text) in `dir`; returns its path.
std::filesystem::path write_vignette_file(const std::filesystem::path& vignette,
                                          const std::filesystem::path& dir);
// A valid assessment for a made-up patient.
Assessment sample_assessment(const std::string& id, const std::string& name,
                             const std::string& date = "2026-11-20");

struct CliResult {
    int status = -1;
    std::string out;
    std::string err;
};
// myoscreen-cli in-process with --forms and --db set.
CliResult cli(const std::filesystem::path& db, std::vector<std::string> args);

}  // namespace myo::test
