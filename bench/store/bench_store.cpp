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
#include "examples.hpp"
#include "practice_sqlite.hpp"
#include "store/store.hpp"

using namespace myo;
namespace fs = std::filesystem;

namespace {

constexpr int kPatients = 100000;
constexpr int kAssessments = 1000000;
constexpr int kLongHistory = 200;

const std::vector<std::string>& kFirst = bench::kFirstNames;
const std::vector<std::string>& kLast = bench::kLastNames;

std::string patient_id(int n) {
    return bench::generated_patient_id(n);
}

void generate(const fs::path& db, const Definitions& defs, const std::vector<Assessment>& cases) {
    bench::write_practice_sqlite(db, defs, cases, kPatients, kAssessments, kLongHistory);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_store SOURCE_DIR [DATABASE]\n");
        return 2;
    }
    fs::path source = argv[1];
    Definitions defs = load_definitions(source / "forms");
    std::vector<Assessment> cases = bench::load_examples(source, defs);
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
