// The server killed during saves (issue 13): 4 clients (two logins) make 200 saves (new
// drafts, saves of them with the version they read, sign-offs) while the test kills the server
// (`pg_ctl stop -m immediate`) at random moments and starts it again. A client that loses the
// server starts over with a fresh Store and redoes the save it was making. Afterwards every
// acknowledged save (the call returned) is there with its exact document, nothing is
// half-written and the audit chain verifies.
//
// The test has its own server (scripts/pg-test-server start --durable: a commit returns once its
// WAL is written), so killing it disturbs no other test.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "pg_fixture.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kClients = 4;
constexpr int kSaves = 200;

std::string script() {
    return (source_dir() / "scripts" / "pg-test-server").string();
}

// The private server: started here, stopped and removed at the end, even on failure.
class CrashServer {
  public:
    explicit CrashServer(const std::string& bin) : env_("MYOSCREEN_PG_BIN=" + shell_quote(bin)) {
        CommandResult r = run_command(env_ + " " + shell_quote(script()) + " start --durable");
        REQUIRE_MESSAGE(r.status == 0, r.err);
        dir_ = r.out.substr(0, r.out.find('\n'));
        std::ifstream env(dir_ + "/env");
        std::string line;
        const std::string key = "export MYOSCREEN_TEST_PG='";
        while (std::getline(env, line)) {
            if (line.rfind(key, 0) == 0) {
                admin_ = line.substr(key.size(), line.size() - key.size() - 1);
            }
        }
        REQUIRE_FALSE(admin_.empty());
    }
    ~CrashServer() { run_command(env_ + " " + shell_quote(script()) + " stop " + dir_); }
    CrashServer(const CrashServer&) = delete;
    CrashServer& operator=(const CrashServer&) = delete;

    const std::string& admin() const { return admin_; }
    void crash() { verb("crash"); }
    void restart() { verb("restart"); }

  private:
    void verb(const char* what) {
        CommandResult r = run_command(env_ + " " + shell_quote(script()) + " " + what + " " + dir_);
        CHECK_MESSAGE(r.status == 0, what << ": " << r.err);
    }
    std::string env_;
    std::string dir_;
    std::string admin_;
};

// What one client was told: the last acknowledged document of each draft, and which it signed.
struct Acked {
    std::map<std::int64_t, std::string> document;
    std::map<std::int64_t, bool> final;
    int saves = 0;
};

struct Shared {
    std::atomic<int> acked{0};
    std::atomic<int> failures{0};
    std::atomic<int> unclear{0};  // failures that were not ConnectFailed
    // A call that failed saying "nothing ... was saved", then found done when redone.
    std::atomic<int> said_nothing_saved{0};
    std::atomic<int> found_done{0};
    std::mutex mutex;
    std::vector<std::string> seen;  // what a client was told when the server died (first few)
    Clock::time_point deadline;
};

// Runs `op` on the client's Store until it returns; each failure (the server gone mid-call, or
// not there to connect to) starts over with a fresh Store. `op` redoes its save from what is
// stored, so a save that committed before the server died is not made twice.
template <typename Op>
void until_acknowledged(std::unique_ptr<store::Store>& s, const std::string& target, Shared& sh,
                        Op op) {
    bool last_said_nothing_saved = false;
    for (;;) {
        REQUIRE_MESSAGE(Clock::now() < sh.deadline, "the server did not come back in time");
        try {
            if (!s) {
                s = std::make_unique<store::Store>(target, definitions());
            }
            if (op(*s) && last_said_nothing_saved) {
                ++sh.said_nothing_saved;  // found done although told nothing was saved
            }
            return;
        } catch (const std::exception& e) {
            // The server gone: always ConnectFailed ("was lost", "cannot connect"), a message
            // for the user, never an internal error.
            if (dynamic_cast<const pg::ConnectFailed*>(&e) == nullptr) {
                ++sh.unclear;
            }
            last_said_nothing_saved =
                std::string(e.what()).find("nothing of the interrupted action was saved") !=
                std::string::npos;
            {
                std::lock_guard<std::mutex> lock(sh.mutex);
                if (sh.seen.size() < 6) {
                    sh.seen.push_back(std::string(typeid(e).name()) + ": " + e.what());
                }
            }
            ++sh.failures;
            s.reset();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

void client(int n, const std::string& target, Shared& sh, Acked& out) {
    std::mt19937 rng(static_cast<unsigned>(20261201 + n));
    std::unique_ptr<store::Store> s;
    for (int draft = 0; sh.acked.load() < kSaves; ++draft) {
        Assessment a = vignette_assessment(vignette_files().front());
        a.patient.id = "K" + std::to_string(n) + "-" + std::to_string(draft);
        a.patient.name = "Kill Client" + std::to_string(n) + " Draft" + std::to_string(draft);
        a.date = "2026-11-20";
        // A new draft. If the server died mid-call, the draft may exist without this client
        // knowing its id: it is found by its patient, or made again.
        std::int64_t id = 0;
        until_acknowledged(s, target, sh, [&](store::Store& st) {
            if (st.find_patient(a.patient.id)) {
                auto h = st.history(a.patient.id);
                if (!h.empty()) {
                    id = h.front().id;
                    ++sh.found_done;
                    return true;
                }
            }
            id = st.create_draft(a);
            return false;
        });
        out.document[id] = write_assessment(a);
        out.final[id] = false;
        ++out.saves;
        ++sh.acked;
        // Two saves of it, each carrying the version read just before (an editor's autosave).
        for (int k = 0; k < 2 && sh.acked.load() < kSaves; ++k) {
            std::this_thread::sleep_for(std::chrono::milliseconds(40 + rng() % 120));
            a.answers["nrs_now"] = static_cast<int>(rng() % 11);
            a.notes = "save " + std::to_string(k) + " of client " + std::to_string(n);
            until_acknowledged(s, target, sh, [&](store::Store& st) {
                st.save_draft(id, a, st.info(id).row_version);
                return false;
            });
            out.document[id] = write_assessment(a);
            ++out.saves;
            ++sh.acked;
        }
        if (sh.acked.load() >= kSaves) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(40 + rng() % 120));
        until_acknowledged(s, target, sh, [&](store::Store& st) {
            if (st.info(id).status == store::Status::Final) {
                ++sh.found_done;
                return true;
            }
            st.finalize(id);
            return false;
        });
        out.final[id] = true;
        ++out.saves;
        ++sh.acked;
    }
}

}  // namespace

TEST_CASE("server killed during 200 saves from 4 clients: every acknowledged save whole") {
    auto admin = pg_setting();
    auto bin = pg_setting("_BIN");
    if (!admin || !bin) {
        return;
    }
    auto t0 = Clock::now();
    CrashServer server(*bin);
    ScratchDatabase db(server.admin());
    {
        auto c = db.admin();
        pg::init_database(c, "tester");
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
        pg::add_user(c, "a.berg", pg::UserRole::Clinician);
    }
    Shared sh;
    sh.deadline = Clock::now() + std::chrono::seconds(50);
    std::vector<Acked> acked(kClients);
    std::vector<std::thread> clients;
    for (int n = 0; n < kClients; ++n) {
        std::string target = db.conninfo(n % 2 == 0 ? "t.okafor" : "a.berg");
        clients.emplace_back([n, target, &sh, &acked] {
            try {
                client(n, target, sh, acked[static_cast<std::size_t>(n)]);
            } catch (...) {
                // REQUIRE in a client thread: reported by doctest; the thread ends.
            }
        });
    }
    // Kill the server at random moments while the clients save: three times, each after a
    // random share of the saves, down for a random moment.
    // Another moment each run; the seed is printed to repeat one.
    unsigned seed = std::random_device{}();
    MESSAGE("kill moments seed: " << seed);
    std::mt19937 rng(seed);
    int kills = 0;
    for (int at : {20 + static_cast<int>(rng() % 30), 80 + static_cast<int>(rng() % 30),
                   140 + static_cast<int>(rng() % 30)}) {
        while (sh.acked.load() < at && Clock::now() < sh.deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1 + rng() % 20));
        }
        if (sh.acked.load() >= kSaves) {
            break;
        }
        server.crash();
        ++kills;
        std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 600));
        server.restart();
    }
    for (auto& t : clients) {
        t.join();
    }
    auto saving = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    for (const auto& said : sh.seen) {
        MESSAGE("a client was told: " << said);
    }
    MESSAGE(kills << " kills, " << sh.failures.load() << " failed calls retried ("
                  << sh.found_done.load() << " found done when redone), " << sh.acked.load()
                  << " saves acknowledged, " << saving.count() << " ms");
    CHECK(kills >= 2);
    CHECK(sh.unclear.load() == 0);
    // "nothing was saved" is said only where it is true.
    CHECK(sh.said_nothing_saved.load() == 0);
    CHECK(sh.acked.load() >= kSaves);

    // Every acknowledged save is there, exactly.
    store::Store s(db.conninfo("t.okafor"), definitions());
    int drafts = 0;
    for (const Acked& client_acked : acked) {
        for (const auto& [id, document] : client_acked.document) {
            CAPTURE(id);
            CHECK(s.load_document(id) == document);
            CHECK((s.info(id).status == store::Status::Final) == client_acked.final.at(id));
            ++drafts;
        }
    }
    CHECK(drafts > 0);
    // Nothing half-written: each assessment has the audit row of its creation, each save its
    // edit row, each final its finalize row; each patient its search words.
    auto c = db.admin();
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.assessments a WHERE NOT EXISTS (SELECT 1 "
                      "FROM myoscreen.audit u WHERE u.assessment = a.id AND u.action = "
                      "'create')") == 0);
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.assessments a WHERE a.status = 'final' "
                      "AND NOT EXISTS (SELECT 1 FROM myoscreen.audit u WHERE u.assessment = "
                      "a.id AND u.action = 'finalize')") == 0);
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.assessments a WHERE a.row_version - 2 <> "
                      "(SELECT count(*) FROM myoscreen.audit u WHERE u.assessment = a.id AND "
                      "u.action IN ('edit', 'finalize'))") == 0);
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.patients p WHERE NOT EXISTS (SELECT 1 "
                      "FROM myoscreen.patient_terms t WHERE t.patient = p.id)") == 0);
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.patients p WHERE NOT EXISTS (SELECT 1 "
                      "FROM myoscreen.audit u WHERE u.patient = p.patient_key AND u.action = "
                      "'create')") == 0);
    auto verdict = s.verify_audit();
    CHECK_MESSAGE(verdict.ok, verdict.problem);
    auto total = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    MESSAGE("server-kill test: " << total.count() << " ms in all");
    // A design target, not a promise to a user: a loaded machine or a sanitizer build may take
    // longer (the figure is printed above).
    WARN(total.count() < 60'000);
}

TEST_CASE("a Store whose server restarted goes on at its next call, nothing typed lost") {
    auto admin = pg_setting();
    auto bin = pg_setting("_BIN");
    if (!admin || !bin) {
        return;
    }
    CrashServer server(*bin);
    ScratchDatabase db(server.admin());
    {
        auto c = db.admin();
        pg::init_database(c, "tester");
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
    }
    // One Store for the whole test, as the desktop application keeps one.
    store::Store s(db.conninfo("t.okafor"), definitions());
    Assessment a = vignette_assessment(vignette_files().front());
    a.patient.id = "R1";
    a.patient.name = "Rhea Restart";
    const std::int64_t id = s.create_draft(a);
    auto version = s.info(id).row_version;

    server.crash();
    a.notes = "typed while the server was away";
    // The call that meets the lost session says so; the caller keeps its copy.
    CHECK_THROWS_AS(s.save_draft(id, a, version), pg::ConnectFailed);
    // While the server is still away, each call says it cannot connect.
    CHECK_THROWS_WITH_AS(s.save_draft(id, a, version), doctest::Contains("cannot connect"),
                         pg::ConnectFailed);
    server.restart();
    // The same Store goes on: the save of the kept copy, with the version it read, lands.
    version = s.save_draft(id, a, version);
    CHECK(s.load(id).assessment.notes == a.notes);
    CHECK(s.info(id).row_version == version);
    s.finalize(id);
    auto verdict = s.verify_audit();
    CHECK_MESSAGE(verdict.ok, verdict.problem);
}
