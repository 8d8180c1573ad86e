#pragma once
// Store calls off the GUI thread (issue 14: "no blocking network call on the GUI thread; every
// store call from the GUI has a timeout and a visible state").
//
// A StoreWorker is one worker thread with a Store of its own (a Store belongs to one thread),
// opened on first use by the window's Opener (which opens the window's target with the window's
// options, read-only when the window is). The window posts jobs; each runs on the worker, in
// the order posted, and its answer (a value or the exception it threw) comes back to the GUI
// thread through `sink`'s CallAfter, so a slow or absent server never freezes typing.
//
// - Timeout: a job whose answer has not come within its timeout of its start is answered
//   "timed out" at that moment (StoreReply::timed_out); its late answer is dropped. The
//   running job cannot be interrupted (libpq waits on its socket), so the jobs behind it wait:
//   the window shows the visible state below meanwhile, and a job still waiting to start when
//   its timeout has passed since it was posted is answered "timed out" too and never runs (a
//   server that stopped answering leaves no request unanswered).
// - Visible state: Handlers::busy(true) once a job has run longer than `slow_after` (the
//   window says "Waiting for the server…"), busy(false) when the worker is idle again.
// - Lost connection: a job that fails with pg::ConnectFailed (the server went away, the cable
//   is out) is answered with StoreReply::unreachable set, and the worker's Store is closed; the
//   next job opens a new one.
// - Superseded jobs: a job posted with a key replaces a job with the same key still waiting
//   to start (a search typed on, an autosave of a newer copy); the replaced one is answered
//   StoreReply::superseded, never run.
//
// The StoreWorker must be destroyed before `sink`: its destructor waits for the job that runs
// (at most the Store's own timeouts), answers nothing more, and ends the thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

class wxEvtHandler;

namespace myo::store {
class Store;
}

namespace myo::gui {

// What a job gave back: a value, or why not.
template <class R>
struct StoreReply {
    std::optional<R> value;    // set when the job returned
    std::exception_ptr error;  // set when it threw (rethrow to read it)
    std::string message;       // the error's what(), or why there is no answer
    bool unreachable = false;  // the server could not be reached (ConnectFailed)
    bool timed_out = false;    // no answer within the job's timeout; the late one is dropped
    bool superseded = false;   // replaced by a newer job with the same key, never run

    bool ok() const { return value.has_value(); }
};

class StoreWorker {
  public:
    using Opener = std::function<std::unique_ptr<store::Store>()>;
    struct Handlers {
        // On the GUI thread: a job has been running longer than slow_after (true), or the
        // worker is idle again after one did (false).
        std::function<void(bool)> busy;
    };
    // How long a job runs before Handlers::busy(true).
    static constexpr std::chrono::milliseconds kSlowAfter{400};
    // The default time a window waits for an answer.
    static constexpr std::chrono::milliseconds kDefaultTimeout{10000};

    StoreWorker(Opener open, wxEvtHandler* sink, Handlers handlers = {},
                std::chrono::milliseconds slow_after = kSlowAfter);
    ~StoreWorker();
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Runs work(store) on the worker; done(reply) on the GUI thread, exactly once (none after
    // the StoreWorker is destroyed: the window that asked is closing).
    template <class R>
    void call(std::function<R(store::Store&)> work, std::function<void(StoreReply<R>)> done,
              std::chrono::milliseconds timeout = kDefaultTimeout, std::string key = {}) {
        auto result = std::make_shared<StoreReply<R>>();
        Job job;
        job.key = std::move(key);
        job.timeout = timeout;
        job.run = [work = std::move(work), result](store::Store& s) { result->value = work(s); };
        job.answer = [done = std::move(done), result](const Failure& f) {
            if (f.kind != Failure::None) {
                result->value.reset();
                result->error = f.error;
                result->message = f.message;
                result->unreachable = f.kind == Failure::Unreachable;
                result->timed_out = f.kind == Failure::TimedOut;
                result->superseded = f.kind == Failure::Superseded;
            }
            done(std::move(*result));
        };
        post(std::move(job));
    }

    // Jobs posted and not answered yet (the one running included).
    std::size_t pending() const;
    // True while a job has run longer than slow_after (what Handlers::busy last said).
    bool busy() const;

  private:
    struct Failure {
        enum Kind { None, Threw, Unreachable, TimedOut, Superseded } kind = None;
        std::exception_ptr error;
        std::string message;
    };
    struct Job {
        std::uint64_t serial = 0;
        std::string key;
        std::chrono::milliseconds timeout{};
        std::chrono::steady_clock::time_point deadline{};
        std::function<void(store::Store&)> run;
        std::function<void(const Failure&)> answer;  // on the GUI thread
        bool answered = false;                       // by the watchdog (timed out)
    };
    void post(Job job);
    void run();
    void watch();
    // Hands `fn` to the GUI thread.
    void deliver(std::function<void()> fn);
    void set_busy(bool busy);  // with mutex_ held

    Opener open_;
    wxEvtHandler* sink_;
    Handlers handlers_;
    std::chrono::milliseconds slow_after_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::shared_ptr<Job> running_;
    std::chrono::steady_clock::time_point running_since_{};
    std::uint64_t next_serial_ = 1;
    bool busy_ = false;
    bool stop_ = false;
    std::thread worker_;
    std::thread watchdog_;
};

}  // namespace myo::gui
