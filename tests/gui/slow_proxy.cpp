#include "slow_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace guitest {

namespace {

using Clock = std::chrono::steady_clock;

struct Chunk {
    Clock::time_point due;
    std::string bytes;
};

// One direction of one connection: bytes read from `from`, waiting to be written to `to`.
struct Direction {
    int from = -1;
    int to = -1;
    std::deque<Chunk> waiting;
    bool ended = false;  // `from` said end of stream (or failed)
};

struct Link {
    Direction up;    // client -> server
    Direction down;  // server -> client
    bool closed = false;
    ~Link() {
        ::close(up.from);
        ::close(up.to);
    }
};

// Writes everything (blocking: the chunks are small, and the peers read).
bool write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

SlowProxy::SlowProxy(const std::string& host, int port) : host_(host), target_port_(port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // a free one
    if (listen_fd_ < 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0 || ::pipe(wake_) != 0) {
        throw std::runtime_error("the slow proxy could not listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    listen_port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
}

SlowProxy::~SlowProxy() {
    stop_ = true;
    const char b = 0;
    (void)!::write(wake_[1], &b, 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void SlowProxy::run() {
    std::vector<std::unique_ptr<Link>> links;
    while (!stop_) {
        const auto now = Clock::now();
        const bool held = held_;
        // Pass on what is due.
        for (auto& l : links) {
            for (Direction* d : {&l->up, &l->down}) {
                while (!held && !d->waiting.empty() && d->waiting.front().due <= now) {
                    if (!write_all(d->to, d->waiting.front().bytes)) {
                        l->closed = true;
                        break;
                    }
                    d->waiting.pop_front();
                }
                if (d->ended && d->waiting.empty()) {
                    l->closed = true;  // one side is gone and all it said was passed on
                }
            }
        }
        std::erase_if(links, [](const auto& l) { return l->closed; });

        // Wait for bytes, a new connection, or the next chunk due.
        int timeout = 50;
        for (auto& l : links) {
            for (Direction* d : {&l->up, &l->down}) {
                if (!held && !d->waiting.empty()) {
                    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  d->waiting.front().due - now)
                                  .count();
                    timeout = std::max(0, std::min(timeout, static_cast<int>(ms) + 1));
                }
            }
        }
        std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
        std::vector<Direction*> dirs;
        for (auto& l : links) {
            for (Direction* d : {&l->up, &l->down}) {
                if (!d->ended) {
                    fds.push_back({d->from, POLLIN, 0});
                    dirs.push_back(d);
                }
            }
        }
        if (::poll(fds.data(), fds.size(), timeout) < 0) {
            continue;
        }
        if (fds[1].revents & POLLIN) {
            int client = ::accept(listen_fd_, nullptr, nullptr);
            int server = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_port = htons(static_cast<std::uint16_t>(target_port_));
            ::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
            if (client >= 0 && server >= 0 &&
                ::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
                auto l = std::make_unique<Link>();
                l->up.from = client;
                l->up.to = server;
                l->down.from = server;
                l->down.to = client;
                links.push_back(std::move(l));
            } else {
                ::close(client);
                ::close(server);
            }
        }
        const auto due = Clock::now() + std::chrono::milliseconds(delay_ms_.load());
        for (std::size_t i = 0; i < dirs.size(); ++i) {
            if (!(fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            char buf[65536];
            ssize_t n = ::recv(dirs[i]->from, buf, sizeof buf, 0);
            if (n <= 0) {
                dirs[i]->ended = true;
            } else {
                dirs[i]->waiting.push_back({due, std::string(buf, static_cast<std::size_t>(n))});
            }
        }
    }
}

std::string conninfo_value(const std::string& conninfo, const std::string& key) {
    std::istringstream in(conninfo);
    std::string word;
    std::string value;
    while (in >> word) {
        if (word.rfind(key + "=", 0) == 0) {
            value = word.substr(key.size() + 1);
        }
    }
    return value;
}

std::string through_port(const std::string& conninfo, int port) {
    return conninfo + " port=" + std::to_string(port);
}

}  // namespace guitest
