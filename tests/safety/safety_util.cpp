#include "safety_util.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "store_test_util.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace myo::test {

std::filesystem::path save_loop_path() {
    return binary_dir() / "bin" / "safety_save_loop";
}

std::filesystem::path write_base_file(const std::filesystem::path& dir) {
    return write_vignette_file(vignette_files().front(), dir);
}

Assessment numbered_assessment(const Assessment& base, long n, bool edited) {
    Assessment a = base;
    a.patient.id = "K-" + std::to_string(n);
    a.patient.name = "Kill Test " + std::to_string(n);
    if (edited) {
        a.answers["nrs_now"] = static_cast<int>(n % 11);
        a.notes = "edited " + std::to_string(n);
    }
    return a;
}

Child spawn(const std::vector<std::string>& argv, bool with_stdin) {
    int out[2];
    int in[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0 || (with_stdin && ::pipe2(in, O_CLOEXEC) != 0)) {
        return {};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (with_stdin) {
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    }
    std::vector<std::string> args = argv;
    std::vector<char*> raw;
    for (auto& s : args) {
        raw.push_back(s.data());
    }
    raw.push_back(nullptr);
    Child c;
    if (posix_spawn(&c.pid, raw[0], &actions, nullptr, raw.data(), environ) != 0) {
        c.pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    c.out = out[0];
    if (with_stdin) {
        ::close(in[0]);
        c.in = in[1];
    }
    return c;
}

std::string read_all(int fd) {
    std::string text;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            text.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    return text;
}

std::string read_line(int fd) {
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n') {
        line += c;
    }
    return line;
}

int wait_child(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

std::string today_local() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::vector<std::string> names_in(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace myo::test
