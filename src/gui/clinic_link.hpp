#pragma once
// The window's link to the clinic server for what happens elsewhere (issue 14), on a worker
// thread with a Store of its own (a Store belongs to one thread), so no network call of this
// kind ever runs on the GUI thread:
// - the lease of the open draft: taken when the editor opens it, renewed every heartbeat while
//   it stays open, ended when it closes; a takeover after expiry on request;
// - changes announced by the server (LISTEN): handed over as they come.
// Every answer reaches the GUI thread through `sink`'s CallAfter (dropped with `sink`).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/definitions.hpp"
#include "store/store_types.hpp"

class wxEvtHandler;

namespace myo::gui {

class ClinicLink {
  public:
    // Called on the GUI thread.
    struct Handlers {
        // The answer to hold() or take_over(): ours, or who holds it. `error` when it failed.
        std::function<void(std::int64_t draft, const store::DraftLease&)> lease;
        // The held lease is no longer ours (taken over elsewhere, or ended): by whom if known.
        std::function<void(std::int64_t draft, const std::string& by,
                           const std::string& workstation)>
            lease_lost;
        std::function<void(const std::vector<store::ChangeNote>&)> changes;
        // The server's lease policy (Store::lease_stale_after), once connected: for the words
        // that say when a lease expires.
        std::function<void(std::chrono::milliseconds)> stale_after;
        // A call failed (the server went away...): the message, for the status bar.
        std::function<void(const std::string& message)> error;
    };

    ClinicLink(std::filesystem::path target, const Definitions& defs, wxEvtHandler* sink,
               Handlers handlers);
    // Ends the held lease and stops the worker (waits for it: at most one wait of its loop).
    ~ClinicLink();
    ClinicLink(const ClinicLink&) = delete;
    ClinicLink& operator=(const ClinicLink&) = delete;

    // Takes the lease of `draft` and keeps it (ending the one held before, if another).
    void hold(std::int64_t draft);
    // Ends the lease held, if any.
    void drop();
    // Takes `draft`'s lease if the holder's has expired (the answer comes to Handlers::lease);
    // with `even_if_live` (the person confirmed) also while the holder's is live, ending it
    // (Store::take_over_draft_lease: audited, and the holder is told at once).
    void take_over(std::int64_t draft, bool even_if_live = false);
    // Tests: a workstation that stops answering (hung, cable out) without closing its window.
    void suspend_heartbeats_for_test(bool suspended) { heartbeats_suspended_ = suspended; }

  private:
    struct Job {
        enum Kind { Hold, Drop, TakeOver, TakeOverLive } kind;
        std::int64_t draft = 0;
    };
    void run();
    void post(Job job);
    void deliver(std::function<void()> fn);

    std::filesystem::path target_;
    const Definitions& defs_;
    wxEvtHandler* sink_;
    Handlers handlers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool stop_ = false;
    std::atomic<bool> heartbeats_suspended_{false};
    std::thread worker_;
};

}  // namespace myo::gui
