#pragma once
// How the window's panels read (and, through a second worker that may write, change) the store
// (issue 14: "no blocking network call on the GUI thread"): one call, two runners.
//
// - On a clinic server the call goes to the window's read StoreWorker (gui/store_worker): it
//   runs on the worker's own read-only session, the answer comes back on the GUI thread, a
//   slow one shows "Waiting for the server..." (StoreWorker's busy state) and is answered
//   "timed out" after kReadTimeout.
// - On a SQLite file the same call runs at once on the GUI thread's Store and `done` is called
//   before `call` returns. The file is on the local disk: a read is an indexed query of about
//   1 ms (bench/README.md), less than the hand-over to a thread and back would cost, and a
//   SQLite Store has nothing that can hang for seconds. The caller's code path is the same
//   either way, so it is written (and tested) once: every `done` must work whether it runs
//   inside `call` or later.
//
// A caller whose answer may arrive after the user moved on (a search typed on, another patient
// selected) checks that the answer is still wanted (a generation number, the patient's id).

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "gui/store_worker.hpp"
#include "store/store.hpp"

namespace myo::gui {

class StoreReads {
  public:
    // How long a panel waits for a read before it says the server did not answer.
    static constexpr std::chrono::milliseconds kReadTimeout{10000};

    // `worker` null: the reads run inline on `local` (a SQLite file).
    StoreReads(store::Store& local, StoreWorker* worker) : local_(local), worker_(worker) {}

    // True when answers come later (a server): the caller shows a waiting state meanwhile.
    bool deferred() const { return worker_ != nullptr; }
    // The GUI thread's Store (what it is, read-only or not: no network call).
    store::Store& local() const { return local_; }

    // Runs work(store) and then done(reply) on the GUI thread (see above). `key`: a newer call
    // with the same key replaces this one while it waits to start (StoreWorker).
    template <class R>
    void call(std::function<R(store::Store&)> work, std::function<void(StoreReply<R>)> done,
              std::string key = {}, std::chrono::milliseconds timeout = kReadTimeout) const {
        if (worker_) {
            worker_->call<R>(std::move(work), std::move(done), timeout, std::move(key));
            return;
        }
        StoreReply<R> reply;
        try {
            reply.value = work(local_);
        } catch (const std::exception& e) {
            reply.error = std::current_exception();
            reply.message = e.what();
        }
        done(std::move(reply));
    }

  private:
    store::Store& local_;
    StoreWorker* worker_;
};

// What a panel says when a read did not answer: "the server did not answer within 10 s",
// "the server cannot be reached (...)", or the store's own refusal.
std::string read_failure(const std::string& message, bool unreachable, bool timed_out);

template <class R>
std::string read_failure(const StoreReply<R>& reply) {
    return read_failure(reply.message, reply.unreachable, reply.timed_out);
}

// What a panel says when a write did not answer (issue 14: never a silent loss): the reason as
// read_failure says it, and, when the server may still take it late (a timeout), that it may
// have been done after all, so the person looks before doing it again.
std::string write_failure(const std::string& message, bool unreachable, bool timed_out);

template <class R>
std::string write_failure(const StoreReply<R>& reply) {
    return write_failure(reply.message, reply.unreachable, reply.timed_out);
}

}  // namespace myo::gui
