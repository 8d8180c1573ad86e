#include "store/pg/pg_tools.hpp"

#include <fcntl.h>
#include <libpq-fe.h>  // PQconninfo: the live connection's parameters with their PG* names
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/text_input.hpp"

extern char** environ;

namespace myo::store::pg {

namespace fs = std::filesystem;

namespace {

struct Fd {
    int fd = -1;
    ~Fd() { close_now(); }
    void close_now() {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
};

// "15.18" from "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
std::optional<std::pair<int, std::string>> parse_version(const std::string& out) {
    auto at = out.find(") ");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::string v;
    for (std::size_t i = at + 2;
         i < out.size() && (std::isdigit(static_cast<unsigned char>(out[i])) != 0 || out[i] == '.');
         ++i) {
        v += out[i];
    }
    if (v.empty() || std::isdigit(static_cast<unsigned char>(v[0])) == 0) {
        return std::nullopt;
    }
    return std::make_pair(std::atoi(v.c_str()), v);
}

bool executable(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// SIGTERM, a moment to end, then SIGKILL; reaped either way.
void stop_child(pid_t pid) {
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 20; ++i) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            return;
        }
        ::usleep(100 * 1000);
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

std::string duration_text(std::chrono::seconds s) {
    const auto n = s.count();
    if (n >= 60 && n % 60 == 0) {
        return std::to_string(n / 60) + (n == 60 ? " minute" : " minutes");
    }
    return std::to_string(n) + (n == 1 ? " second" : " seconds");
}

}  // namespace

ToolSearch default_tool_search(std::optional<fs::path> bin_dir) {
    ToolSearch s;
    s.bin_dir = std::move(bin_dir);
    const char* path = std::getenv("PATH");
    s.path = path != nullptr ? path : "";
    if (const char* t = std::getenv("MYOSCREEN_PG_TOOL_TIMEOUT"); t != nullptr && *t != '\0') {
        const long seconds = std::atol(t);
        if (seconds > 0) {
            s.timeout = std::chrono::seconds(seconds);
        }
    }
    return s;
}

int server_major(Connection& c) {
    return static_cast<int>(
        c.query_int("SELECT pg_catalog.current_setting('server_version_num')::int / 10000"));
}

Tool find_tool(const std::string& name, int server_major, const ToolSearch& search) {
    std::vector<fs::path> candidates;
    std::string looked;
    if (search.bin_dir) {
        candidates.push_back(*search.bin_dir / name);
        looked = quote_for_message(search.bin_dir->string(), 200) + " (--pg-bin)";
    } else {
        fs::path versioned = search.versioned_root / std::to_string(server_major) / "bin";
        candidates.push_back(versioned / name);
        looked = quote_for_message(versioned.string(), 200) + " and the PATH";
        std::string_view rest = search.path;
        while (!rest.empty()) {
            auto colon = rest.find(':');
            std::string_view dir = rest.substr(0, colon);
            if (!dir.empty()) {
                candidates.push_back(fs::path(std::string(dir)) / name);
            }
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        }
    }
    std::optional<std::string> older;
    for (const auto& p : candidates) {
        if (!executable(p)) {
            continue;
        }
        Tool t;
        t.path = p;
        ToolRun r = run_tool(t, {"--version"}, {});
        auto v = r.status == 0 ? parse_version(r.out) : std::nullopt;
        if (!v) {
            continue;
        }
        t.major = v->first;
        t.version = v->second;
        if (t.major >= server_major) {
            t.timeout = search.timeout;
            return t;
        }
        if (!older) {
            older = quote_for_message(p.string(), 200) + " is version " + t.version;
        }
    }
    std::string need = name + " of PostgreSQL " + std::to_string(server_major) +
                       " or newer (the server's major version; Debian: apt-get install "
                       "postgresql-client-" +
                       std::to_string(server_major) + ")";
    if (older) {
        throw ToolFailed(*older + ", older than the server (" + std::to_string(server_major) +
                         "); MyoScreen needs " + need + "; nothing was written");
    }
    throw ToolFailed(name + " was not found in " + looked + "; MyoScreen needs " + need +
                     ", or --pg-bin DIR naming its folder; nothing was written");
}

std::vector<std::pair<std::string, std::string>> connection_environment(Connection& c) {
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(PQconninfo(c.handle()),
                                                                      &PQconninfoFree);
    std::vector<std::pair<std::string, std::string>> env;
    for (auto* o = opts.get(); o != nullptr && o->keyword != nullptr; ++o) {
        if (o->envvar == nullptr || o->val == nullptr || *o->val == '\0' ||
            std::strcmp(o->keyword, "password") == 0) {
            continue;
        }
        env.emplace_back(o->envvar, o->val);
    }
    return env;
}

std::string conninfo_for_database(Connection& c, const std::string& dbname) {
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(PQconninfo(c.handle()),
                                                                      &PQconninfoFree);
    // libpq's syntax: a value in '...' with \ and ' escaped by a backslash.
    auto quoted = [](const std::string& v) {
        std::string out = "'";
        for (char ch : v) {
            if (ch == '\\' || ch == '\'') {
                out += '\\';
            }
            out += ch;
        }
        return out + "'";
    };
    std::string out = "dbname=" + quoted(dbname);
    for (auto* o = opts.get(); o != nullptr && o->keyword != nullptr; ++o) {
        if (o->val == nullptr || *o->val == '\0' || std::strcmp(o->keyword, "password") == 0 ||
            std::strcmp(o->keyword, "dbname") == 0) {
            continue;
        }
        out += std::string(" ") + o->keyword + "=" + quoted(o->val);
    }
    return out;
}

ToolRun run_tool(const Tool& tool, const std::vector<std::string>& args,
                 const std::vector<std::pair<std::string, std::string>>& env) {
    std::vector<std::string> argv_s{tool.path.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    // The child's environment: ours without PG* (the connection's own values follow), keeping
    // PGPASSWORD, which libpq may have used for our connection.
    std::vector<std::string> env_s;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string_view kv(*e);
        if (kv.rfind("PG", 0) != 0 || kv.rfind("PGPASSWORD=", 0) == 0) {
            env_s.emplace_back(kv);
        }
    }
    for (const auto& [k, v] : env) {
        env_s.push_back(k + "=" + v);
    }
    std::vector<char*> envp;
    for (auto& e : env_s) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        throw ToolFailed(std::string("cannot run ") + quote_for_message(tool.path.string(), 200) +
                         ": " + std::strerror(errno));
    }
    Fd out_r{out_pipe[0]}, out_w{out_pipe[1]};
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw ToolFailed(std::string("cannot run ") + quote_for_message(tool.path.string(), 200) +
                         ": " + std::strerror(errno));
    }
    Fd err_r{err_pipe[0]}, err_w{err_pipe[1]};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_w.fd, 1);
    posix_spawn_file_actions_adddup2(&fa, err_w.fd, 2);
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        throw ToolFailed("cannot run " + quote_for_message(tool.path.string(), 200) + ": " +
                         std::strerror(rc));
    }
    out_w.close_now();
    err_w.close_now();
    ToolRun run;
    pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
    std::string* sinks[2] = {&run.out, &run.err};
    const std::size_t caps[2] = {4u << 20, 64u << 10};
    int open_fds = 2;
    char buf[65536];
    const auto deadline = std::chrono::steady_clock::now() + tool.timeout;
    while (open_fds > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            stop_child(pid);
            throw ToolFailed(quote_for_message(tool.path.filename().string()) +
                             " did not finish within " + duration_text(tool.timeout) +
                             " and was stopped (is the server answering? a longer limit: "
                             "MYOSCREEN_PG_TOOL_TIMEOUT=SECONDS); nothing was written");
        }
        const int wait_ms = static_cast<int>(std::min<long long>(left.count(), 1000));
        const int ready = ::poll(fds, 2, wait_ms);
        if (ready == 0) {
            continue;
        }
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                std::size_t room = caps[i] - std::min(caps[i], sinks[i]->size());
                sinks[i]->append(buf, std::min(room, static_cast<std::size_t>(n)));
            } else if (n == 0 || errno != EINTR) {
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

}  // namespace myo::store::pg
