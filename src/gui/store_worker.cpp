#include "gui/store_worker.hpp"

#include <wx/event.h>

#include <algorithm>

#include "store/pg/pg_errors.hpp"
#include "store/store.hpp"

namespace myo::gui {

StoreWorker::StoreWorker(Opener open, wxEvtHandler* sink, Handlers handlers,
                         std::chrono::milliseconds slow_after)
    : open_(std::move(open)), sink_(sink), handlers_(std::move(handlers)), slow_after_(slow_after) {
    worker_ = std::thread([this] { run(); });
    watchdog_ = std::thread([this] { watch(); });
}

StoreWorker::~StoreWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();  // never started: nobody waits for them any more (the window closes)
    }
    wake_.notify_all();
    watchdog_.join();
    worker_.join();
}

std::size_t StoreWorker::pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + (running_ && !running_->answered ? 1 : 0);
}

bool StoreWorker::busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
}

void StoreWorker::deliver(std::function<void()> fn) {
    // wxEvtHandler::CallAfter is safe from any thread; the call is dropped with the handler.
    sink_->CallAfter(std::move(fn));
}

void StoreWorker::set_busy(bool busy) {
    if (busy_ == busy) {
        return;
    }
    busy_ = busy;
    if (handlers_.busy) {
        deliver([this, busy] {
            if (handlers_.busy) {
                handlers_.busy(busy);
            }
        });
    }
}

void StoreWorker::post(Job job) {
    auto j = std::make_shared<Job>(std::move(job));
    // Counted from the asking while the job waits to start (see run() once it starts).
    j->deadline = std::chrono::steady_clock::now() + j->timeout;
    {
        std::lock_guard lock(mutex_);
        j->serial = next_serial_++;
        if (!j->key.empty()) {
            // The newer job says everything the waiting one would: the older is answered now.
            auto same = std::find_if(queue_.begin(), queue_.end(),
                                     [&](const auto& q) { return q->key == j->key; });
            if (same != queue_.end()) {
                std::shared_ptr<Job> old = *same;
                queue_.erase(same);
                deliver([old] {
                    old->answer(Failure{Failure::Superseded, nullptr,
                                        "replaced by a newer request before it started"});
                });
            }
        }
        queue_.push_back(std::move(j));
    }
    wake_.notify_all();
}

void StoreWorker::run() {
    std::unique_ptr<store::Store> db;  // this thread's own, opened on first use
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) {
                break;
            }
            job = queue_.front();
            queue_.pop_front();
            running_ = job;
            running_since_ = std::chrono::steady_clock::now();
            // A job that starts gets its whole time to run (the ones before it were slow, not
            // this one); one that never starts is answered when its time since posting is up.
            job->deadline = std::max(job->deadline, running_since_ + job->timeout);
        }
        wake_.notify_all();  // the watchdog now watches this job
        Failure failure;
        try {
            if (!db) {
                db = open_();
            }
            job->run(*db);
        } catch (const store::pg::ConnectFailed& e) {
            // The session is gone: the next job opens a new one.
            db.reset();
            failure = {Failure::Unreachable, std::current_exception(), e.what()};
        } catch (const std::exception& e) {
            failure = {Failure::Threw, std::current_exception(), e.what()};
        } catch (...) {
            failure = {Failure::Threw, std::current_exception(), "an unknown error"};
        }
        std::lock_guard lock(mutex_);
        running_.reset();
        if (!job->answered && !stop_) {
            job->answered = true;
            deliver([job, failure] { job->answer(failure); });
        }
        if (queue_.empty()) {
            set_busy(false);
        }
    }
}

void StoreWorker::watch() {
    using Clock = std::chrono::steady_clock;
    auto timed_out = [this](const std::shared_ptr<Job>& job) {
        job->answered = true;
        const auto waited = std::chrono::duration_cast<std::chrono::seconds>(job->timeout);
        deliver([job, waited] {
            job->answer(Failure{
                Failure::TimedOut, nullptr,
                "no answer from the database within " + std::to_string(waited.count()) + " s"});
        });
    };
    std::unique_lock lock(mutex_);
    while (!stop_) {
        const bool watching = running_ && !running_->answered;
        if (!watching && queue_.empty()) {
            wake_.wait(lock, [this] {
                return stop_ || (running_ && !running_->answered) || !queue_.empty();
            });
            continue;
        }
        const auto now = Clock::now();
        auto next = Clock::time_point::max();
        if (watching) {
            const auto slow_at = running_since_ + slow_after_;
            if (!busy_ && now >= slow_at) {
                set_busy(true);
            }
            if (now >= running_->deadline) {
                // Answered now; the worker drops the late answer (answered is set).
                timed_out(running_);
                continue;
            }
            next = busy_ ? running_->deadline : std::min(slow_at, running_->deadline);
        }
        // Jobs waiting behind one that does not end (a server that stopped answering keeps the
        // worker in libpq) are answered when their own time is up, and never run.
        for (auto it = queue_.begin(); it != queue_.end();) {
            if (now >= (*it)->deadline) {
                timed_out(*it);
                it = queue_.erase(it);
            } else {
                next = std::min(next, (*it)->deadline);
                ++it;
            }
        }
        if (next == Clock::time_point::max()) {
            continue;  // nothing left to watch: wait above
        }
        wake_.wait_until(lock, next);
    }
}

}  // namespace myo::gui
