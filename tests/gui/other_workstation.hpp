#pragma once
// Another MyoScreen in its own process (the two-process GUI tests of issues 5 and 14): started
// on a database with `--fill INPUT` (app.cpp), it creates a draft and types every answer of
// INPUT through the controls, printing "started ID", "answered ITEM" and "filled" (and
// "refused ..." for an answer the editor refused), then stays open until killed.

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "core/assessment.hpp"

namespace guitest {

class OtherWorkstation {
  public:
    // `database`: a file or a connection string; `config`: its own wxConfig file; `input`:
    // the assessment to fill.
    OtherWorkstation(const std::string& database, const std::filesystem::path& input,
                     const std::filesystem::path& config);
    ~OtherWorkstation();  // kills it if it still runs
    OtherWorkstation(const OtherWorkstation&) = delete;
    OtherWorkstation& operator=(const OtherWorkstation&) = delete;

    // The next line of its output with its newline, or "" after `seconds` or at the end (never
    // a hang).
    std::string line(int seconds = 30);

    // Reads until "filled", checking that no answer was refused; `on_answered(n)` is told of
    // the n-th "answered" line (a test acts while it types). What it reported:
    struct Filled {
        bool filled = false;
        std::int64_t draft = 0;  // from "started ID"
        int answered = 0;
    };
    Filled read_until_filled(const std::function<void(int answered)>& on_answered = {});

    // Power cut: SIGKILL, and its output closed.
    void kill();

  private:
    FILE* out_ = nullptr;
    pid_t pid_ = 0;
    std::string pending_;
};

// `a` written as JSON to `path`: the input of --fill. Returns `path`.
std::filesystem::path write_fill_input(const std::filesystem::path& path, const myo::Assessment& a);

}  // namespace guitest
