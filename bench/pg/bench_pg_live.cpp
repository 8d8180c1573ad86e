// Issue 14's figure "time from a change on one workstation to its appearance on another": two
// Stores on one PostgreSQL database, as two workstations with their own logins. Room 2 adds a
// patient, saves a draft and finalises it, round after round; room 1 waits in wait_for_changes
// (as the desktop application's ClinicLink does) and, for each announcement, reads what changed
// (the patient list page, the assessment) as its window would to show it. Each change is timed
// from the moment room 2's call began (a save, as the person's click starts it) to room 1
// holding the note, and to room 1 having read the change; median, p90 and p99. The server sends
// the note at commit, before room 2's call has returned: how often that happened is counted.
// (The window adds its own 50 ms gathering of notes and its list's repaint: tests/gui's
// clinic cases measure that whole path.)
//
//   bench_pg_live SOURCE_DIR [ignored]
// Environment: MYOSCREEN_BENCH_PG_ADMIN (scripts/bench starts a private server and sets it),
// MYOSCREEN_BENCH_LIVE_ROUNDS (100: 300 changes).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "examples.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
namespace pg = myo::store::pg;
using Clock = std::chrono::steady_clock;

namespace {

struct Seen {
    std::string table;
    Clock::time_point noted;  // the note was in room 1's hands
    Clock::time_point read;   // room 1 had read the change
};

double us(Clock::duration d) {
    return std::max(0.0, std::chrono::duration<double, std::micro>(d).count());
}

// p99 as a row of its own (bench_util's rows give median and p10-p90).
void row_p99(const std::string& what, std::vector<double> samples, double target_us,
             const std::string& target) {
    std::sort(samples.begin(), samples.end());
    const double p99 =
        samples.empty()
            ? 0
            : samples[static_cast<std::size_t>(0.99 * static_cast<double>(samples.size() - 1))];
    bench::row_value(what, bench::human(p99), target, p99 <= target_us);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_pg_live SOURCE_DIR\n");
        return 2;
    }
    const char* admin_env = std::getenv("MYOSCREEN_BENCH_PG_ADMIN");
    if (admin_env == nullptr || *admin_env == '\0') {
        std::fprintf(stderr,
                     "bench_pg_live: no PostgreSQL server (MYOSCREEN_BENCH_PG_ADMIN); "
                     "scripts/bench starts one. Skipped.\n");
        return 0;
    }
    const std::string admin = admin_env;
    const char* rounds_env = std::getenv("MYOSCREEN_BENCH_LIVE_ROUNDS");
    const int rounds = rounds_env != nullptr ? std::atoi(rounds_env) : 100;
    Definitions defs = load_definitions(std::filesystem::path(argv[1]) / "forms");
    std::vector<Assessment> cases = bench::load_examples(argv[1], defs);

    const std::string dbname = "myoscreen_live_" + std::to_string(::getpid());
    {
        auto c = pg::Connection::open(admin);
        c.exec("CREATE DATABASE " + c.quote_identifier(dbname) +
               " ENCODING 'UTF8' TEMPLATE template0");
        auto db = pg::Connection::open(admin + " dbname=" + dbname);
        pg::init_database(db, store::os_account());
        pg::add_user(db, "room1.clin", pg::UserRole::Clinician);
        pg::add_user(db, "room2.clin", pg::UserRole::Clinician);
    }
    const std::string room1_info = admin + " dbname=" + dbname + " user=room1.clin";
    const std::string room2_info = admin + " dbname=" + dbname + " user=room2.clin";

    std::mutex m;
    std::condition_variable cv;
    std::vector<Seen> seen;
    std::atomic<bool> stop{false};
    std::atomic<bool> listening{false};
    std::thread room1([&] {
        store::Store s(room1_info, defs);
        s.wait_for_changes(std::chrono::milliseconds(1));  // LISTENs from here on
        listening = true;
        while (!stop) {
            for (const auto& n : s.wait_for_changes(std::chrono::milliseconds(200))) {
                const auto noted = Clock::now();
                if (n.table == "patients") {
                    s.list_patients({}, 100);  // the list's first page, as the window reloads it
                } else if (n.table == "assessments") {
                    s.load(n.id);
                } else {
                    continue;  // a lease taken or ended: not a change of a record
                }
                std::lock_guard lock(m);
                seen.push_back({n.table, noted, Clock::now()});
                cv.notify_all();
            }
        }
    });
    while (!listening) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }

    store::Store room2(room2_info, defs);
    std::vector<double> noted, read, write;
    int before_return = 0;  // notes in room 1's hands before room 2's call returned
    // One change by room 2, then the wait for room 1 to see a change of `table`.
    auto change = [&](const std::string& table, const auto& op, bool timed) {
        std::size_t before = 0;
        {
            std::lock_guard lock(m);
            before = seen.size();
        }
        const auto t0 = Clock::now();
        op();
        const auto done = Clock::now();
        std::unique_lock lock(m);
        bool ok = cv.wait_for(lock, std::chrono::seconds(5), [&] {
            for (std::size_t i = before; i < seen.size(); ++i) {
                if (seen[i].table == table && seen[i].noted >= t0) {
                    return true;
                }
            }
            return false;
        });
        if (!ok) {
            std::fprintf(stderr, "bench_pg_live: room 1 never saw a change of %s\n", table.c_str());
            return;
        }
        for (std::size_t i = before; i < seen.size(); ++i) {
            if (seen[i].table == table && seen[i].noted >= t0) {
                if (timed) {
                    write.push_back(us(done - t0));
                    noted.push_back(us(seen[i].noted - t0));
                    read.push_back(us(seen[i].read - t0));
                    before_return += seen[i].noted < done ? 1 : 0;
                }
                break;
            }
        }
        lock.unlock();
        // A change may announce more than one row (a draft and its patient's listing): the
        // rest arrive before the next change starts, so none is taken for the next one's.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    };
    for (int r = 0; r < rounds; ++r) {
        Assessment a = cases[static_cast<std::size_t>(r) % cases.size()];
        a.patient.id = "LIVE-" + std::to_string(r);
        a.patient.name = "Live Patient " + std::to_string(r);
        change(
            "patients", [&] { room2.add_patient(a.patient); }, true);
        std::int64_t draft = 0;
        change(
            "assessments", [&] { draft = room2.create_draft(a); }, false);
        Assessment edited = a;
        edited.notes = "round " + std::to_string(r);
        change(
            "assessments", [&] { room2.save_draft(draft, edited); }, true);
        change(
            "assessments", [&] { room2.finalize(draft); }, true);
    }
    stop = true;
    room1.join();

    const std::string what = " (" + std::to_string(noted.size()) +
                             " changes: patients added, drafts saved, visits finalised)";
    bench::row(
        "change to the other workstation: the note in its hands, from the start of the "
        "change" +
            what,
        bench::summarize(noted), 100000, "< 100 ms");
    row_p99("the same, p99", noted, 1000000, "< 1 s");
    bench::row("change to the other workstation: noted and the change read there" + what,
               bench::summarize(read), 100000, "< 100 ms");
    row_p99("the same, p99", read, 1000000, "< 1 s");
    bench::row("the change itself on the writing workstation (its call, committed)",
               bench::summarize(write), 100000, "< 100 ms");
    bench::row_value("notes in the other workstation's hands before the writer's call returned",
                     std::to_string(before_return) + " of " + std::to_string(noted.size()), "-",
                     true);

    auto c = pg::Connection::open(admin);
    c.exec("DROP DATABASE IF EXISTS " + c.quote_identifier(dbname) + " WITH (FORCE)");
    return 0;
}
