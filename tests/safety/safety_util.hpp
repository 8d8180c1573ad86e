#pragma once
// Shared by the safety tests: the helper child process (save_loop.cpp) and what it saves.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/assessment.hpp"

namespace myo::test {

std::filesystem::path save_loop_path();

// The assessment file every save of save_loop starts from, written into `dir`.
std::filesystem::path write_base_file(const std::filesystem::path& dir);
// What save_loop stores as save `n` (edited: after save_draft, and for imports).
Assessment numbered_assessment(const Assessment& base, long n, bool edited);

// A child with its stdout (and, when asked, stdin) on pipes; stderr goes to /dev/null.
struct Child {
    pid_t pid = -1;
    int out = -1;  // read end of the child's stdout
    int in = -1;   // write end of the child's stdin, or -1
};
Child spawn(const std::vector<std::string>& argv, bool with_stdin = false);
// Reads until EOF (the child has exited or was killed).
std::string read_all(int fd);
// Reads one line (blocking).
std::string read_line(int fd);
int wait_child(pid_t pid);  // the raw wait status

// Today's local date (YYYY-MM-DD), as the daily backup names its file.
std::string today_local();
// The names of the entries of `dir`, sorted.
std::vector<std::string> names_in(const std::filesystem::path& dir);

}  // namespace myo::test
