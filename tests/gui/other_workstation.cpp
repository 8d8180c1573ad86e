#include "other_workstation.hpp"

#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include "support/test_support.hpp"

namespace guitest {

OtherWorkstation::OtherWorkstation(const std::string& database, const std::filesystem::path& input,
                                   const std::filesystem::path& config) {
    auto app = myo::test::binary_dir() / "bin" / "myoscreen";
    REQUIRE(std::filesystem::exists(app));
    // "echo $$; exec": the shell prints its pid, which becomes MyoScreen's.
    std::string cmd = "echo $$; exec " + myo::test::shell_quote(app.string()) +
                      " --no-viewer --db " + myo::test::shell_quote(database) + " --config " +
                      myo::test::shell_quote(config.string()) + " --fill " +
                      myo::test::shell_quote(input.string()) + " 2>&1";
    out_ = popen(cmd.c_str(), "r");
    REQUIRE(out_ != nullptr);
    pid_ = static_cast<pid_t>(std::atol(line().c_str()));
    REQUIRE(pid_ > 0);
}

OtherWorkstation::~OtherWorkstation() {
    kill();
}

void OtherWorkstation::kill() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        pid_ = 0;
    }
    if (out_) {
        pclose(out_);
        out_ = nullptr;
    }
}

std::string OtherWorkstation::line(int seconds) {
    if (!out_) {
        return std::string();
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    const int fd = fileno(out_);
    for (;;) {
        if (auto nl = pending_.find('\n'); nl != std::string::npos) {
            std::string l = pending_.substr(0, nl + 1);
            pending_.erase(0, nl + 1);
            return l;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            return std::string();
        }
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            return std::string();
        }
        pending_.append(buf, static_cast<std::size_t>(n));
    }
}

OtherWorkstation::Filled OtherWorkstation::read_until_filled(
    const std::function<void(int answered)>& on_answered) {
    Filled f;
    for (std::string l = line(); !l.empty(); l = line()) {
        CHECK_MESSAGE(l.rfind("refused ", 0) != 0, l);
        if (l.rfind("started ", 0) == 0) {
            f.draft = std::atoll(l.c_str() + 8);
        }
        if (l.rfind("answered ", 0) == 0) {
            ++f.answered;
            if (on_answered) {
                on_answered(f.answered);
            }
        }
        if (l == "filled\n") {
            f.filled = true;
            break;
        }
    }
    return f;
}

std::filesystem::path write_fill_input(const std::filesystem::path& path,
                                       const myo::Assessment& a) {
    std::ofstream(path) << myo::write_assessment(a);
    return path;
}

}  // namespace guitest
