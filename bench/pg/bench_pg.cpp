// Issue 13's figures: the PostgreSQL backend against the SQLite one, on the same generated
// practice, in the same run. Over the Unix socket, and over TCP to 127.0.0.1 (TLS, and plain
// when the server has a plain listener): search as you type (each keystroke's page of rows and
// its capped count), a patient's history, a durable save of a draft; each a median and p90 and
// a ratio to SQLite's. Then N clients each autosaving their own draft every 300 ms: p99 save,
// saves lost (the store read back afterwards), conflicts reported (must be 0).
//
//   bench_pg SOURCE_DIR [ignored]
// Environment:
//   MYOSCREEN_BENCH_PG_ADMIN   an administrator's connection string over the Unix socket
//                              (scripts/bench starts a private server with scripts/pg-test-server
//                              and sets it); the bench creates its own database, loads it, and
//                              drops it at the end
//   MYOSCREEN_BENCH_PG_TLS     the same server over TCP (optional): measured with TLS, and
//                              without it (sslmode=disable) on the same listener
//   MYOSCREEN_BENCH_PG         instead: an existing MyoScreen database to measure (e.g. the
//                              `db copy` of the practice-sized store), as a clinician's
//                              connection string; nothing is loaded or dropped; its drafts stay
//   MYOSCREEN_BENCH_PG_TCP     with MYOSCREEN_BENCH_PG: the same database over TCP (optional)
//   MYOSCREEN_BENCH_SQLITE     the SQLite file of the same practice (with MYOSCREEN_BENCH_PG;
//                              written to: drafts are saved in it); otherwise one is generated
//   MYOSCREEN_BENCH_PATIENTS, MYOSCREEN_BENCH_ASSESSMENTS   the generated size (10,000 / 50,000)
//   MYOSCREEN_BENCH_CLIENTS, MYOSCREEN_BENCH_SECONDS        the autosave run (20 clients, 10 s;
//                              the issue's run is 60 s)

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "examples.hpp"
#include "generated_practice.hpp"
#include "practice_sqlite.hpp"
#include "store/offline_journal.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
namespace fs = std::filesystem;
namespace pg = myo::store::pg;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kLongHistory = 200;
const char* const kClinician = "bench.clin";

std::string env(const char* name, const std::string& fallback = "") {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

int env_int(const char* name, int fallback) {
    std::string v = env(name);
    return v.empty() ? fallback : std::stoi(v);
}

// A PostgreSQL array literal of text values (NULL for a missing one): "{"a","b\"c",NULL}".
std::string text_array(const std::vector<std::optional<std::string>>& values) {
    std::string out = "{";
    for (const auto& v : values) {
        if (out.size() > 1) {
            out += ',';
        }
        if (!v) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char ch : *v) {
            if (ch == '"' || ch == '\\') {
                out += '\\';
            }
            out += ch;
        }
        out += '"';
    }
    return out + "}";
}

std::optional<std::string> opt_text(const std::optional<int>& v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

// The generated practice into a MyoScreen database (schema made by server init), in batches of
// a thousand patients, each table one INSERT ... SELECT FROM unnest(arrays): the same rows as the
// SQLite file's, numbered the same.
void load_postgresql(pg::Connection& c, const Definitions& defs,
                     const std::vector<Assessment>& cases, int patients, int assessments) {
    struct Batch {
        std::vector<std::optional<std::string>> p_id, p_key, p_name, p_birth, p_sex, p_sort;
        std::vector<std::optional<std::string>> t_term, t_patient;
        std::vector<std::optional<std::string>> a[13];
        void clear() { *this = Batch(); }
    } b;
    std::int64_t next_assessment = 1;
    auto flush = [&] {
        if (b.p_id.empty()) {
            return;
        }
        pg::Transaction tx(c);
        c.exec(
            "INSERT INTO myoscreen.patients (id, patient_key, name, birth_date, sex, created_at, "
            "sort_name) SELECT i, k, n, b, s, '2026-01-01T00:00:00.000Z', o FROM "
            "unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) "
            "AS x(i, k, n, b, s, o)",
            {text_array(b.p_id), text_array(b.p_key), text_array(b.p_name), text_array(b.p_birth),
             text_array(b.p_sex), text_array(b.p_sort)});
        c.exec(
            "INSERT INTO myoscreen.patient_terms (term, patient) SELECT t, p FROM "
            "unnest($1::text[], $2::bigint[]) AS x(t, p) ON CONFLICT DO NOTHING",
            {text_array(b.t_term), text_array(b.t_patient)});
        std::vector<pg::Param> params;
        for (auto& column : b.a) {
            params.emplace_back(text_array(column));
        }
        c.exec(R"sql(
INSERT INTO myoscreen.assessments (id, patient, visit, version, status, document, date, kind,
  nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, created_at,
  updated_at, finalized_at)
SELECT i, p, i, 1, 'final', d, dt, k, n1, n2, w, s, f, t, u, r, '2026-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[],
  $7::int[], $8::int[], $9::int[], $10::int[], $11::int[], $12::text[], $13::text[])
  AS x(i, p, d, dt, k, n1, n2, w, s, f, t, u, r)
)sql",
               params);
        tx.commit();
        b.clear();
    };
    auto t0 = Clock::now();
    bench::generate_practice(
        defs, cases, patients, assessments, kLongHistory, [&](const bench::GeneratedPatient& g) {
            std::string row = std::to_string(g.number);
            b.p_id.emplace_back(row);
            b.p_key.emplace_back(g.patient.id);
            b.p_name.emplace_back(g.patient.name);
            b.p_birth.emplace_back(g.patient.birth_date);
            b.p_sex.emplace_back(g.patient.sex);
            b.p_sort.emplace_back(g.sort_name);
            for (const auto& t : g.terms) {
                b.t_term.emplace_back(t);
                b.t_patient.emplace_back(row);
            }
            for (const auto& v : g.visits) {
                b.a[0].emplace_back(std::to_string(next_assessment++));
                b.a[1].emplace_back(row);
                b.a[2].emplace_back(v.document);
                b.a[3].emplace_back(v.date);
                b.a[4].emplace_back(v.kind);
                b.a[5].emplace_back(opt_text(v.nrs_now));
                b.a[6].emplace_back(opt_text(v.nrs_average));
                b.a[7].emplace_back(opt_text(v.wpi));
                b.a[8].emplace_back(opt_text(v.sss));
                b.a[9].emplace_back(opt_text(v.fs));
                b.a[10].emplace_back(opt_text(v.tender_count));
                b.a[11].emplace_back(v.urgency);
                b.a[12].emplace_back(v.rules_version);
            }
            if (g.number % 1000 == 0) {
                flush();
            }
            if (g.number % 10000 == 0) {
                std::fprintf(stderr, "  loaded %d patients into PostgreSQL (%.0f s)\n", g.number,
                             std::chrono::duration<double>(Clock::now() - t0).count());
            }
        });
    flush();
    // The rows came with their numbers: the identities continue after them.
    c.exec("SELECT setval(pg_get_serial_sequence('myoscreen.patients', 'id'), $1::bigint)",
           {patients});
    c.exec("SELECT setval(pg_get_serial_sequence('myoscreen.assessments', 'id'), $1::bigint)",
           {next_assessment - 1});
    c.exec(
        "INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, 'import', "
        "'bench_pg: generated patients and assessments')",
        {store::os_account()});
    // As autovacuum would soon: statistics, and the visibility map for index-only scans.
    c.exec("VACUUM ANALYZE");
}

struct Backend {
    std::string name;    // as in the table: "SQLite", "PostgreSQL, Unix socket", ...
    std::string target;  // a file or a connection string
};

struct Figures {
    bench::Stats search, history, save;
};

// `total` patients P-000001.. are there; `draft_patient` gets this backend's draft.
Figures measure_backend(const Backend& b, const Definitions& defs,
                        const std::vector<Assessment>& cases, int total, int draft_patient) {
    store::Store s(b.target, defs);
    std::mt19937 rng(7);
    std::vector<std::string> queries;
    for (int i = 0; i < 40; ++i) {
        std::string first = fold_for_search(bench::kFirstNames[rng() % bench::kFirstNames.size()]);
        std::string last = fold_for_search(bench::kLastNames[rng() % bench::kLastNames.size()]);
        for (std::size_t n = 1; n <= last.size(); ++n) {
            queries.push_back(last.substr(0, n));
        }
        for (std::size_t n = 1; n <= 3 && n <= first.size(); ++n) {
            queries.push_back(last + " " + first.substr(0, n));
        }
    }
    Figures f;
    std::size_t q = 0;
    // A keystroke as the GUI's search worker answers it: a page of 100 rows and the count
    // (capped at 5,000: "5,000 or more match").
    f.search = bench::measure(
        [&] {
            const std::string& query = queries[q++ % queries.size()];
            (void)s.list_patients(query, 100);
            (void)s.count_patients(query, 5000);
        },
        queries.size(), 10);
    std::size_t h = 0;
    f.history = bench::measure(
        [&] {
            (void)s.history(bench::generated_patient_id(
                2 + static_cast<int>((h++ * 7919) % static_cast<std::size_t>(total - 1))));
        },
        500, 10);
    Assessment draft = cases.front();
    draft.patient = *s.find_patient(bench::generated_patient_id(draft_patient));
    draft.date = "2026-11-20";
    std::int64_t id = s.create_draft(draft);
    int nrs = 0;
    f.save = bench::measure(
        [&] {
            draft.answers["nrs_now"] = nrs++ % 11;
            s.save_draft(id, draft);
        },
        300, 10);
    return f;
}

struct AutosaveResult {
    std::size_t saves = 0;
    double p50 = 0;
    double p99 = 0;
    double worst = 0;
    std::size_t lost = 0;
    std::size_t conflicts = 0;
    std::size_t failures = 0;
};

// The date of save k: a counter the document carries, read back afterwards.
std::string save_date(int k) {
    using namespace std::chrono;
    year_month_day d{sys_days{2020y / January / 1} + days{k}};
    return bench::iso_date(static_cast<int>(d.year()), static_cast<int>(unsigned(d.month())),
                           static_cast<int>(unsigned(d.day())));
}

// `clients` threads, each with its own Store and its own draft (of its own patient), saving it
// every 300 ms for `seconds`; the latency of each acknowledged save, then each draft read back:
// lost when it does not hold the last save acknowledged.
AutosaveResult autosave(const std::string& target, const Definitions& defs,
                        const std::vector<Assessment>& cases, int clients, int seconds,
                        int first_patient) {
    std::mutex m;
    std::vector<double> latencies;
    std::vector<std::int64_t> ids(static_cast<std::size_t>(clients));
    std::vector<int> acknowledged(static_cast<std::size_t>(clients), -1);
    std::atomic<std::size_t> conflicts{0};
    std::atomic<std::size_t> failures{0};
    std::atomic<int> ready{0};
    auto start = Clock::now() + std::chrono::milliseconds(500 + 50 * clients);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            std::vector<double> mine;
            try {
                store::Store s(target, defs);
                Assessment a = cases[static_cast<std::size_t>(c) % cases.size()];
                a.patient = *s.find_patient(bench::generated_patient_id(first_patient + c));
                a.date = save_date(0);
                std::int64_t id = s.create_draft(a);
                ids[static_cast<std::size_t>(c)] = id;
                ++ready;
                // Each client starts at its own phase of the 300 ms, as workstations would.
                auto next = start + std::chrono::milliseconds(300 * c / clients);
                auto end = start + std::chrono::seconds(seconds);
                for (int k = 1; next < end; ++k, next += std::chrono::milliseconds(300)) {
                    std::this_thread::sleep_until(next);
                    a.date = save_date(k);
                    auto t0 = Clock::now();
                    try {
                        s.save_draft(id, a);
                        mine.push_back(
                            std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
                        acknowledged[static_cast<std::size_t>(c)] = k;
                    } catch (const pg::ChangedElsewhere& e) {
                        ++conflicts;
                        std::fprintf(stderr, "  client %d: conflict reported: %s\n", c, e.what());
                    } catch (const std::exception& e) {
                        ++failures;
                        std::fprintf(stderr, "  client %d: save failed: %s\n", c, e.what());
                    }
                }
            } catch (const std::exception& e) {
                ++failures;
                std::fprintf(stderr, "  client %d: %s\n", c, e.what());
            }
            std::lock_guard<std::mutex> lock(m);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    AutosaveResult r;
    r.conflicts = conflicts;
    r.failures = failures;
    store::Store check(target, defs);
    for (int c = 0; c < clients; ++c) {
        int k = acknowledged[static_cast<std::size_t>(c)];
        if (k < 0) {
            continue;
        }
        std::string doc = check.load_document(ids[static_cast<std::size_t>(c)]);
        if (doc.find("\"" + save_date(k) + "\"") == std::string::npos) {
            ++r.lost;
        }
    }
    std::sort(latencies.begin(), latencies.end());
    r.saves = latencies.size();
    if (!latencies.empty()) {
        auto at = [&](double q) {
            return latencies[static_cast<std::size_t>(q *
                                                      static_cast<double>(latencies.size() - 1))];
        };
        r.p50 = at(0.5);
        r.p99 = at(0.99);
        r.worst = latencies.back();
    }
    return r;
}

// Issue 14: a workstation back online replays its offline journal. 500 changes (saves of 50
// drafts, 10 each, as autosaves while typing offline), replayed with the version check; a fresh
// journal and fresh drafts per run.
bench::Stats replay_journal(const std::string& target, const Definitions& defs,
                            const std::vector<Assessment>& cases, const fs::path& dir, int runs) {
    std::vector<double> us;
    store::Store s(target, defs);
    for (int run = 0; run < runs; ++run) {
        const fs::path file = dir / ("offline-journal-" + std::to_string(run) + ".db");
        store::OfflineJournal journal(file);
        for (int d = 0; d < 50; ++d) {
            Assessment a = cases[static_cast<std::size_t>(d) % cases.size()];
            a.patient.id = "OFFLINE-" + std::to_string(run) + "-" + std::to_string(d);
            const std::int64_t id = s.create_draft(a);
            const std::int64_t version = s.info(id).row_version;
            for (int k = 0; k < 10; ++k) {
                a.notes = "typed offline, change " + std::to_string(k + 1);
                journal.record_save(id, version, a);
            }
        }
        const auto t0 = std::chrono::steady_clock::now();
        const store::ReplayReport r = store::replay(s, journal, defs);
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                .count());
        if (r.sent != 500) {
            std::fprintf(stderr, "  replay %d: %d of 500 sent, %d conflicts\n", run, r.sent,
                         r.conflicts);
        }
    }
    return bench::summarize(us);
}

std::string ratio(double pg_us, double sqlite_us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fx", sqlite_us > 0 ? pg_us / sqlite_us : 0.0);
    return buf;
}

// "median (p90 x), ratio to SQLite" in the what column; the usual median and spread after it.
void row(const std::string& what, const bench::Stats& s, const bench::Stats& sqlite,
         bool is_sqlite) {
    std::string text = what + ": p90 " + bench::human(s.p90);
    if (!is_sqlite) {
        text += "; " + ratio(s.median, sqlite.median) + " SQLite's median, " +
                ratio(s.p90, sqlite.p90) + " its p90";
    }
    bench::row(text, s, 5000, "< 5 ms");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_pg SOURCE_DIR\n");
        return 2;
    }
    fs::path source = argv[1];
    Definitions defs = load_definitions(source / "forms");
    std::vector<Assessment> cases = bench::load_examples(source, defs);
    int patients = env_int("MYOSCREEN_BENCH_PATIENTS", 10000);
    int assessments = env_int("MYOSCREEN_BENCH_ASSESSMENTS", 50000);
    int clients = env_int("MYOSCREEN_BENCH_CLIENTS", 20);
    int seconds = env_int("MYOSCREEN_BENCH_SECONDS", 10);
    std::string existing = env("MYOSCREEN_BENCH_PG");
    std::string admin = env("MYOSCREEN_BENCH_PG_ADMIN");
    if (existing.empty() && admin.empty()) {
        std::fprintf(stderr,
                     "bench_pg: no PostgreSQL server (MYOSCREEN_BENCH_PG_ADMIN or "
                     "MYOSCREEN_BENCH_PG); scripts/bench starts one. Skipped.\n");
        return 0;
    }
    fs::path dir = fs::temp_directory_path() / ("myoscreen-bench-pg-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::vector<Backend> backends;
    std::string sqlite = env("MYOSCREEN_BENCH_SQLITE");
    std::string dbname = "myoscreen_bench_" + std::to_string(::getpid());
    if (!existing.empty()) {
        if (sqlite.empty()) {
            std::fprintf(stderr,
                         "bench_pg: MYOSCREEN_BENCH_PG needs MYOSCREEN_BENCH_SQLITE, the SQLite "
                         "file of the same practice (a copy: drafts are saved in it)\n");
            return 2;
        }
        backends.push_back({"PostgreSQL", existing});
        if (std::string tcp = env("MYOSCREEN_BENCH_PG_TCP"); !tcp.empty()) {
            backends.push_back({"PostgreSQL, TCP", tcp});
        }
        store::Store s(existing, defs);
        patients = static_cast<int>(s.count_patients());
    } else {
        auto c = pg::Connection::open(admin);
        // A durable save is the figure: scripts/bench starts its server with fsync on
        // (MYOSCREEN_PG_DURABLE=1); the tests' server runs without, and the rows say so.
        c.exec("CREATE DATABASE " + c.quote_identifier(dbname) +
               " ENCODING 'UTF8' TEMPLATE template0");
        auto db = pg::Connection::open(admin + " dbname=" + dbname);
        pg::init_database(db, store::os_account());
        pg::add_user(db, kClinician, pg::UserRole::Clinician);
        // Over TCP the server asks for a password (scram-sha-256): one made here, in a passfile
        // of the bench's own folder (MyoScreen never takes a password in the string).
        std::string password =
            std::to_string(std::random_device{}()) + "x" + std::to_string(std::random_device{}());
        db.exec("SELECT set_config('password_encryption', 'scram-sha-256', false)");
        // A statement with no parameters; format() quotes the name and the literal.
        db.exec(db.query_text("SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)",
                              {kClinician, password}));
        {
            std::ofstream pass(dir / "pgpass");
            pass << "*:*:*:" << kClinician << ":" << password << "\n";
        }
        fs::permissions(dir / "pgpass", fs::perms::owner_read | fs::perms::owner_write);
        ::setenv("PGPASSFILE", (dir / "pgpass").c_str(), 1);
        std::fprintf(stderr, "loading %d patients and %d assessments into PostgreSQL ...\n",
                     patients, assessments);
        auto t0 = Clock::now();
        load_postgresql(db, defs, cases, patients, assessments);
        std::fprintf(
            stderr, "loaded in %.1f s, %.0f MB\n",
            std::chrono::duration<double>(Clock::now() - t0).count(),
            static_cast<double>(db.query_int("SELECT pg_database_size(current_database())")) / 1e6);
        std::string as = " dbname=" + dbname + " user=" + kClinician;
        backends.push_back({"PostgreSQL, Unix socket", admin + as});
        if (std::string tls = env("MYOSCREEN_BENCH_PG_TLS"); !tls.empty()) {
            backends.push_back({"PostgreSQL, TCP 127.0.0.1 with TLS", tls + as});
        }
        if (std::string tls = env("MYOSCREEN_BENCH_PG_TLS"); !tls.empty()) {
            // The same listener without encryption (the server accepts both on TCP): what
            // TLS itself costs.
            backends.push_back(
                {"PostgreSQL, TCP 127.0.0.1 without TLS", tls + as + " sslmode=disable"});
        }
    }
    if (sqlite.empty()) {
        sqlite = (dir / "practice.db").string();
        std::fprintf(stderr, "generating the same practice in %s ...\n", sqlite.c_str());
        auto t0 = Clock::now();
        bench::write_practice_sqlite(sqlite, defs, cases, patients, assessments, kLongHistory);
        std::fprintf(stderr, "generated in %.1f s, %.0f MB\n",
                     std::chrono::duration<double>(Clock::now() - t0).count(),
                     static_cast<double>(fs::file_size(sqlite)) / 1e6);
    }
    backends.insert(backends.begin(), Backend{"SQLite", sqlite});

    std::string durability;
    {
        // What the server does at a commit (the SQLite store: WAL, synchronous=FULL).
        auto c = pg::Connection::open(backends[1].target);
        durability = "fsync " + c.query_text("SHOW fsync") + ", synchronous_commit " +
                     c.query_text("SHOW synchronous_commit");
    }
    char size[96];
    std::snprintf(size, sizeof size, "%d patients", patients);
    Figures base;
    for (std::size_t i = 0; i < backends.size(); ++i) {
        const Backend& b = backends[i];
        std::fprintf(stderr, "measuring %s ...\n", b.name.c_str());
        Figures f = measure_backend(b, defs, cases, patients, 42 + static_cast<int>(i));
        if (i == 0) {
            base = f;
        }
        row(b.name + ": search as you type, " + size + " (100 rows and the count per keystroke)",
            f.search, base.search, i == 0);
        row(b.name + ": a patient's history", f.history, base.history, i == 0);
        row(b.name + ": save a draft durably (committed; " +
                (i == 0 ? std::string("WAL, synchronous=FULL") : durability) + ")",
            f.save, base.save, i == 0);
    }
    // The autosave run on SQLite and on each PostgreSQL connection; its own patients.
    for (std::size_t i = 0; i < backends.size(); ++i) {
        const Backend& b = backends[i];
        std::fprintf(stderr, "autosave: %d clients every 300 ms for %d s on %s ...\n", clients,
                     seconds, b.name.c_str());
        AutosaveResult r =
            autosave(b.target, defs, cases, clients, seconds, 100 + static_cast<int>(i) * clients);
        char what[256];
        std::snprintf(what, sizeof what,
                      "%s: %d clients autosaving every 300 ms for %d s: p99 save (median %s, "
                      "worst %s, %zu saves)",
                      b.name.c_str(), clients, seconds, bench::human(r.p50).c_str(),
                      bench::human(r.worst).c_str(), r.saves);
        bench::row_value(what, bench::human(r.p99), "< 50 ms", r.p99 < 50000);
        bench::row_value(b.name + ": saves lost (drafts read back afterwards)",
                         std::to_string(r.lost), "0", r.lost == 0);
        bench::row_value(b.name + ": conflicts reported (each client edits its own draft)",
                         std::to_string(r.conflicts), "0", r.conflicts == 0);
        if (r.failures > 0) {
            bench::row_value(b.name + ": saves failed (see the bench's messages)",
                             std::to_string(r.failures), "0", false);
        }
    }

    // The replay of an offline journal, on the first PostgreSQL connection.
    for (const Backend& b : backends) {
        if (b.name.rfind("PostgreSQL", 0) != 0) {
            continue;
        }
        std::fprintf(stderr, "replaying a journal of 500 offline changes on %s ...\n",
                     b.name.c_str());
        bench::Stats r = replay_journal(b.target, defs, cases, dir, 5);
        bench::row(
            b.name + ": replay a journal of 500 offline changes (50 drafts, version-checked)", r,
            10e6, "< 10 s");
        break;
    }

    if (existing.empty()) {
        auto c = pg::Connection::open(admin);
        c.exec("DROP DATABASE IF EXISTS " + c.quote_identifier(dbname) + " WITH (FORCE)");
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
