// The StoreWorker (issue 14): store calls run off the GUI thread and come back to it; a slow
// call is answered "timed out" on time and shown busy; a lost server is told apart; a newer
// request replaces an older one still waiting. Against a SQLite store (the worker is the same
// for either backend; the clinic tests use it against the real server).

#include <doctest/doctest.h>
#include <wx/event.h>
#include <wx/thread.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "gui/store_worker.hpp"
#include "gui_driver.hpp"
#include "store/pg/pg_errors.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
using namespace std::chrono_literals;

namespace {

struct WorkerFixture {
    myo::test::TempDir dir;
    wxEvtHandler sink;
    std::atomic<int> opened{0};
    std::vector<bool> busy_calls;

    WorkerFixture() { ensure_wx(); }
    StoreWorker::Opener opener() {
        return [this] {
            ++opened;
            return std::make_unique<store::Store>(dir.path() / "db.sqlite",
                                                  myo::test::definitions());
        };
    }
    StoreWorker::Handlers handlers() {
        StoreWorker::Handlers h;
        h.busy = [this](bool b) { busy_calls.push_back(b); };
        return h;
    }
    // Runs the GUI thread's events until `done` or `limit`.
    template <class Pred>
    bool wait_for(Pred done, std::chrono::milliseconds limit = 5000ms) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < end) {
            wxTheApp->ProcessPendingEvents();
            std::this_thread::sleep_for(5ms);
        }
        wxTheApp->ProcessPendingEvents();
        return done();
    }
};

}  // namespace

TEST_CASE("store worker: the call runs on the worker and its answer comes to the GUI thread") {
    WorkerFixture f;
    StoreWorker worker(f.opener(), &f.sink, f.handlers());
    std::optional<StoreReply<std::size_t>> answer;
    bool on_gui_thread = false;
    std::atomic<bool> ran_on_worker{false};
    worker.call<std::size_t>(
        [&](store::Store& s) {
            ran_on_worker = !wxThread::IsMain();
            return s.count_patients();
        },
        [&](StoreReply<std::size_t> o) {
            on_gui_thread = wxThread::IsMain();
            answer = std::move(o);
        });
    REQUIRE(f.wait_for([&] { return answer.has_value(); }));
    CHECK(ran_on_worker);
    CHECK(on_gui_thread);
    REQUIRE(answer->ok());
    CHECK(*answer->value == 0);
    CHECK(worker.pending() == 0);
    CHECK(f.opened == 1);

    // A store error comes back as the error, with its message; the store stays open.
    std::optional<StoreReply<int>> failed;
    worker.call<int>(
        [](store::Store& s) {
            s.load(999);
            return 1;
        },
        [&](StoreReply<int> o) { failed = std::move(o); });
    REQUIRE(f.wait_for([&] { return failed.has_value(); }));
    CHECK_FALSE(failed->ok());
    CHECK_FALSE(failed->unreachable);
    CHECK_FALSE(failed->timed_out);
    REQUIRE(failed->error);
    CHECK_THROWS_AS(std::rethrow_exception(failed->error), store::NotFound);
    CHECK(failed->message.find("999") != std::string::npos);
    CHECK(f.opened == 1);
}

TEST_CASE("store worker: a call slower than its timeout is answered on time, shown busy") {
    WorkerFixture f;
    StoreWorker worker(f.opener(), &f.sink, f.handlers(), 100ms);
    int answers = 0;
    std::optional<StoreReply<int>> answer;
    const auto start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration answered_after{};
    worker.call<int>(
        [](store::Store&) {
            std::this_thread::sleep_for(900ms);  // a server that does not answer
            return 7;
        },
        [&](StoreReply<int> o) {
            ++answers;
            answered_after = std::chrono::steady_clock::now() - start;
            answer = std::move(o);
        },
        300ms);
    REQUIRE(f.wait_for([&] { return answer.has_value(); }));
    CHECK(answer->timed_out);
    CHECK_FALSE(answer->ok());
    CHECK(answered_after >= 300ms);
    CHECK(answered_after < 800ms);
    // Busy was said while it ran, and idle once the stuck call returned; its late answer is
    // dropped (done ran once).
    REQUIRE(f.wait_for([&] { return f.busy_calls.size() >= 2; }));
    CHECK(f.busy_calls == std::vector<bool>{true, false});
    f.wait_for([] { return false; }, 200ms);
    CHECK(answers == 1);
    CHECK_FALSE(answer->value.has_value());
}

TEST_CASE("store worker: a newer request replaces one with the same key still waiting") {
    WorkerFixture f;
    StoreWorker worker(f.opener(), &f.sink, f.handlers());
    std::vector<std::string> ran;  // on the worker, one job at a time, read once all are answered
    std::vector<std::string> answered;
    auto job = [&](const std::string& name, std::chrono::milliseconds takes) {
        return [&ran, name, takes](store::Store&) {
            std::this_thread::sleep_for(takes);
            ran.push_back(name);
            return name;
        };
    };
    auto done = [&](StoreReply<std::string> o) {
        answered.push_back(o.superseded ? "superseded" : *o.value);
    };
    worker.call<std::string>(job("first", 200ms), done);
    worker.call<std::string>(job("search a", 0ms), done, StoreWorker::kDefaultTimeout, "search");
    worker.call<std::string>(job("search ab", 0ms), done, StoreWorker::kDefaultTimeout, "search");
    REQUIRE(f.wait_for([&] { return answered.size() == 3; }));
    CHECK(answered == std::vector<std::string>{"superseded", "first", "search ab"});
    CHECK(ran == std::vector<std::string>{"first", "search ab"});
}

TEST_CASE("store worker: a server that cannot be reached is told apart, and reopened next call") {
    WorkerFixture f;
    std::atomic<int> attempts{0};
    StoreWorker worker(
        [&]() -> std::unique_ptr<store::Store> {
            if (++attempts == 1) {
                throw store::pg::ConnectFailed(store::pg::ConnectProblem::Unreachable,
                                               "the server at db.clinic.test does not answer");
            }
            return f.opener()();
        },
        &f.sink, f.handlers());
    std::vector<StoreReply<std::size_t>> answers;
    auto count = [](store::Store& s) { return s.count_patients(); };
    worker.call<std::size_t>(count, [&](StoreReply<std::size_t> o) { answers.push_back(o); });
    REQUIRE(f.wait_for([&] { return answers.size() == 1; }));
    CHECK(answers[0].unreachable);
    CHECK(answers[0].message == "the server at db.clinic.test does not answer");
    worker.call<std::size_t>(count, [&](StoreReply<std::size_t> o) { answers.push_back(o); });
    REQUIRE(f.wait_for([&] { return answers.size() == 2; }));
    CHECK(answers[1].ok());
    CHECK(attempts == 2);
}
