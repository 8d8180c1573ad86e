// Issue 3's figures, on a generated store of 100,000 patients and 1,000,000 assessments:
// search as you type (< 5 ms median), a patient's history (< 5 ms) and a durable save of an
// assessment (< 5 ms, WAL with synchronous=FULL, so the figure includes the fsync).
//
//   bench_store SOURCE_DIR [DATABASE]
// Without DATABASE the store is generated in a temporary folder and removed afterwards; with
// it, an existing file of the right size is reused (generation takes a minute or two).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "core/text_fold.hpp"
#include "store/store.hpp"

using namespace myo;
namespace fs = std::filesystem;

namespace {

constexpr int kPatients = 100000;
constexpr int kAssessments = 1000000;
constexpr int kLongHistory = 200;

const std::vector<std::string> kFirst = {
    "Zoë",    "Anna",  "Søren",  "Élodie", "Tomás",  "Margaret", "Dimitrios", "Ana Lucía",
    "Robert", "Ñuria", "Jürgen", "Åsa",    "Łukasz", "Chloé",    "José",      "Mónica",
    "Björn",  "Fatma", "Ioana",  "Ștefan", "Noémie", "Raúl",     "Inès",      "Piotr",
    "Ólafur", "Agnès", "Zoltán", "Héctor", "Siân",   "Eleni",    "Mark",      "Sarah",
    "David",  "Laura", "Peter",  "Maria",  "John",   "Emma",     "Lucas",     "Mia"};
const std::vector<std::string> kLast = {
    "Åkesson", "Núñez",      "Kierkegaard", "Çelik",        "Ribeiro",   "Ní Bhriain", "Georgiou",
    "Herrera", "Mackintosh", "Müller",      "Øster",        "Wójcik",    "Dvořák",     "García",
    "Šimić",   "Lefèvre",    "Jónsson",     "Papadopoulos", "Smith",     "Jones",      "Brown",
    "Taylor",  "Nowak",      "Kowalski",    "Novák",        "Horváth",   "Popescu",    "Ivanović",
    "Yılmaz",  "Rossi",      "Bianchi",     "Martín",       "López",     "Gómez",      "Dubois",
    "Moreau",  "Fischer",    "Weiß",        "Schäfer",      "Johansson", "Lindqvist",  "Hansen",
    "Nielsen", "Virtanen",   "O'Brien",     "Murphy",       "Walsh",     "Byrne",      "Okafor",
    "Mensah"};

std::string iso(int y, int m, int d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

std::string patient_id(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "P-%06d", n);
    return buf;
}

void generate(const fs::path& db, const Definitions& defs, const std::vector<Assessment>& cases) {
    // The schema exactly as the application makes it, and rows written on the store's own
    // connection so its triggers keep the content digest; one audit row at the end records the
    // digest, as an import would, so the store opens without a tamper refusal.
    store::Store create(db, defs);
    store::Connection& c = create.connection();
    // Only for the generator: one big transaction, no fsync. The measured connections below
    // use the store's own settings (WAL, synchronous=FULL).
    c.exec("PRAGMA synchronous = OFF");
    c.exec("PRAGMA cache_size = -200000");
    std::vector<Evaluation> evals;
    for (const auto& a : cases) {
        evals.push_back(evaluate(defs, a));
    }
    std::mt19937 rng(20261120);
    store::Transaction tx(c);
    store::Statement patient = c.prepare(
        "INSERT INTO patients (id, patient_key, name, birth_date, sex, created_at, sort_name) "
        "VALUES (?1, ?2, ?3, ?4, ?5, '2026-01-01T00:00:00.000Z', ?6)");
    store::Statement term =
        c.prepare("INSERT OR IGNORE INTO patient_terms (term, patient) VALUES (?1, ?2)");
    store::Statement assessment = c.prepare(R"sql(
INSERT INTO assessments (id, patient, visit, version, supersedes, status, document, date, kind,
  nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, created_at,
  updated_at, finalized_at)
VALUES (?1, ?2, ?1, 1, NULL, 'final', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
)sql");
    std::int64_t next_assessment = 1;
    auto t0 = std::chrono::steady_clock::now();
    for (int p = 1; p <= kPatients; ++p) {
        Patient who;
        who.id = patient_id(p);
        who.name = kFirst[rng() % kFirst.size()] + " " + kLast[rng() % kLast.size()];
        if (rng() % 4 == 0) {
            who.name += "-" + kLast[rng() % kLast.size()];
        }
        who.birth_date = iso(1940 + static_cast<int>(rng() % 60), 1 + static_cast<int>(rng() % 12),
                             1 + static_cast<int>(rng() % 28));
        who.sex = rng() % 2 == 0 ? "female" : "male";
        patient.reset();
        patient.bind(1, p).bind(2, who.id).bind(3, who.name).bind(4, who.birth_date);
        patient.bind(5, who.sex).bind(6, fold_for_search(who.name)).run();
        auto terms = search_terms(who.name);
        auto id_terms = search_terms(who.id);
        terms.insert(terms.end(), id_terms.begin(), id_terms.end());
        for (const auto& t : terms) {
            term.reset();
            term.bind(1, t).bind(2, p).run();
        }
        // Ten visits each, two months or so apart; patient P-000001 has kLongHistory visits,
        // monthly since 2010 (the 200-visit patient of issue 12's benches).
        bool long_history = p == 1;
        int visits = long_history ? kLongHistory : kAssessments / kPatients;
        for (int v = 0; v < visits; ++v) {
            std::size_t k = rng() % cases.size();
            Assessment a = cases[k];
            a.patient = who;
            a.date = long_history
                         ? iso(2010 + v / 12, 1 + v % 12, 1 + static_cast<int>(rng() % 28))
                         : iso(2025 + v / 6, 1 + (v % 6) * 2, 1 + static_cast<int>(rng() % 28));
            a.kind = v == 0 ? "initial" : "follow_up";
            const Evaluation& e = evals[k];
            auto nrs = [&a](const char* id) -> std::optional<int> {
                auto it = a.answers.find(id);
                return it != a.answers.end() && it->is_number_integer()
                           ? std::optional<int>(it->get<int>())
                           : std::nullopt;
            };
            assessment.reset();
            assessment.bind(1, next_assessment++).bind(2, p).bind(3, write_assessment(a));
            assessment.bind(4, a.date).bind(5, a.kind).bind(6, nrs("nrs_now"));
            assessment.bind(7, nrs("nrs_average")).bind(8, e.acr2016.wpi).bind(9, e.acr2016.sss);
            assessment.bind(10, e.acr2016.fs).bind(11, e.acr1990.tender_count);
            assessment.bind(12, urgency_id(e.urgency)).bind(13, e.rules_version).run();
        }
        if (p % 10000 == 0) {
            auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::fprintf(stderr, "  generated %d patients, %lld assessments (%.0f s)\n", p,
                         static_cast<long long>(next_assessment - 1), s);
        }
    }
    tx.commit();
    c.exec("ANALYZE");
    c.exec("PRAGMA synchronous = FULL");
    create.record_event(store::audit_action::kImport, {},
                        "bench_store: generated patients and assessments");
    c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_store SOURCE_DIR [DATABASE]\n");
        return 2;
    }
    fs::path source = argv[1];
    Definitions defs = load_definitions(source / "forms");
    std::vector<Assessment> cases;
    for (const auto& entry : fs::directory_iterator(source / "examples")) {
        cases.push_back(read_assessment_file(entry.path().string(), defs));
    }
    bool temporary = argc < 3;
    fs::path dir = fs::temp_directory_path() / ("myoscreen-bench-" + std::to_string(::getpid()));
    fs::path db = temporary ? dir / "bench.db" : fs::path(argv[2]);
    bool reuse = false;
    if (!temporary && fs::exists(db)) {
        store::Store existing(db, defs, store::OpenOptions{false, 5000});
        reuse = existing.connection().query_int("SELECT count(*) FROM assessments") >= kAssessments;
    }
    if (!reuse) {
        fs::remove(db);
        std::fprintf(stderr, "generating %d patients and %d assessments in %s ...\n", kPatients,
                     kAssessments, db.c_str());
        auto t0 = std::chrono::steady_clock::now();
        generate(db, defs, cases);
        auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "generated in %.1f s, %.0f MB\n", s,
                     static_cast<double>(fs::file_size(db)) / 1e6);
    }

    auto t_open = std::chrono::steady_clock::now();
    store::Store s(db, defs);  // as the application opens it: the cheap checks, no quick_check
    double open_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t_open)
            .count();
    bench::row_value("Open the 1M-assessment store (cheap checks; quick_check only with --check)",
                     bench::human(open_us), "no target", true);

    // Search as you type: every prefix of a first name and of a surname, one query per
    // keystroke, 20 results as a list would show.
    std::mt19937 rng(7);
    std::vector<std::string> queries;
    for (int i = 0; i < 60; ++i) {
        std::string first = fold_for_search(kFirst[rng() % kFirst.size()]);
        std::string last = fold_for_search(kLast[rng() % kLast.size()]);
        for (std::size_t n = 1; n <= last.size(); ++n) {
            queries.push_back(last.substr(0, n));
        }
        for (std::size_t n = 1; n <= 3 && n <= first.size(); ++n) {
            queries.push_back(last + " " + first.substr(0, n));
        }
    }
    std::size_t q = 0;
    bench::Stats search = bench::measure(
        [&] { (void)s.list_patients(queries[q++ % queries.size()], 20); }, queries.size(), 20);
    bench::row("Search as you type, 100k patients (one query per keystroke, 20 shown)", search,
               5000, "< 5 ms");
    {
        // Which keystrokes are slowest, for whoever tunes the search next.
        std::vector<std::pair<double, std::string>> slow;
        for (const auto& query : queries) {
            auto t0 = std::chrono::steady_clock::now();
            (void)s.list_patients(query, 20);
            slow.emplace_back(
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                    .count(),
                query);
        }
        std::sort(slow.rbegin(), slow.rend());
        for (std::size_t i = 0; i < 8 && i < slow.size(); ++i) {
            std::fprintf(stderr, "  slow search: \"%s\" %s\n", slow[i].second.c_str(),
                         bench::human(slow[i].first).c_str());
        }
    }

    std::size_t h = 0;
    bench::Stats history = bench::measure(
        [&] { (void)s.history(patient_id(1 + static_cast<int>((h++ * 7919) % kPatients))); }, 2000,
        20);
    bench::row("A patient's history (10 visits) among 1M assessments", history, 5000, "< 5 ms");

    Assessment draft = cases.front();
    draft.patient = *s.find_patient(patient_id(4242));
    draft.date = "2026-11-20";
    std::int64_t id = s.create_draft(draft);
    int nrs = 0;
    bench::Stats save = bench::measure(
        [&] {
            draft.answers["nrs_now"] = nrs++ % 11;
            s.save_draft(id, draft);
        },
        500, 10);
    bench::row("Save a draft durably (WAL, synchronous=FULL, fsync included)", save, 5000,
               "< 5 ms");
    s.connection().exec("PRAGMA synchronous = NORMAL");
    bench::Stats unsynced = bench::measure(
        [&] {
            draft.answers["nrs_now"] = nrs++ % 11;
            s.save_draft(id, draft);
        },
        500, 10);
    s.connection().exec("PRAGMA synchronous = FULL");
    bench::row_value("Save a draft without the fsync (synchronous=NORMAL; for comparison only)",
                     bench::human(unsynced.median), "no target", true);
    bench::Stats create = bench::measure([&] { (void)s.create_draft(draft); }, 300, 10);
    bench::row("Store a new assessment durably", create, 5000, "< 5 ms");

    if (temporary) {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    return 0;
}
