#pragma once
// A TCP proxy on 127.0.0.1 in front of the private test server, for issue 14's slow-server
// test and GUI-stall bench: a slow or vanished clinic server without touching the server
// (other tests share it). One thread with poll() forwards bytes both ways; every chunk it reads
// is passed on `delay` later (a slow link: a round trip costs twice the delay), and while held
// nothing is passed on at all (a server that stopped answering: a paused process, a cable out);
// what waited goes on when the hold ends. TLS passes through untouched.

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace guitest {

class SlowProxy {
  public:
    // Forwards to `host`:`port` (a numeric IPv4 address); listens on a free port of 127.0.0.1.
    SlowProxy(const std::string& host, int port);
    ~SlowProxy();
    SlowProxy(const SlowProxy&) = delete;
    SlowProxy& operator=(const SlowProxy&) = delete;

    int port() const { return listen_port_; }
    void set_delay(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }
    void hold(bool held) { held_ = held; }

  private:
    void run();

    std::string host_;
    int target_port_;
    int listen_fd_ = -1;
    int listen_port_ = 0;
    int wake_[2] = {-1, -1};  // a byte here wakes poll() to stop
    std::atomic<long long> delay_ms_{0};
    std::atomic<bool> held_{false};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// `conninfo` (key=value pairs) with its port replaced by `port` (libpq takes the last value of
// a key given twice).
std::string through_port(const std::string& conninfo, int port);
// The value of `key` in a key=value connection string, or "".
std::string conninfo_value(const std::string& conninfo, const std::string& key);

}  // namespace guitest
