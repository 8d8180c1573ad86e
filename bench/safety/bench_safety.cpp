// Data-safety benchmark (issue 7): what durability, the audit trail and backups cost.
//   bench_safety SOURCE_DIR [ASSESSMENTS]   (default 20,000 assessments)
// Prints ROW lines (bench_util.hpp) and notes. Figures in bench/safety/RESULTS.md.

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "store/chain_record.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

Assessment base_assessment(const fs::path& source, const Definitions& defs) {
    return read_assessment_file(source / "examples" / "v1_widespread_chronic.json", defs);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_safety SOURCE_DIR [BIG_STORE [ASSESSMENTS]]\n");
        return 2;
    }
    fs::path source = argv[1];
    // scripts/bench passes every bench the practice-sized store second (unused here: this bench
    // measures the trail's cost on a store it builds); the size of that store comes third.
    long total = argc > 3 ? std::atol(argv[3]) : 20000;
    Definitions defs = load_definitions(source / "forms");
    Assessment base = base_assessment(source, defs);
    fs::path dir =
        fs::temp_directory_path() / ("myoscreen-bench-safety-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path db = dir / "myoscreen.db";
    {
        // Issue 10: the first opening of a process builds the expected schema in memory once.
        auto t_first = std::chrono::steady_clock::now();
        { Store first(dir / "first.db", defs); }
        std::printf("NOTE\tfirst opening in a process (new file, expected schema built): %.1f ms\n",
                    seconds_since(t_first) * 1e3);
        auto reopen = bench::measure([&] { Store again(dir / "first.db", defs); }, 50);
        bench::row("Open and close a store (writer; checks on opening)", reopen, 50000, "-");
    }
    {
        Store s(db, defs);
        // --- durable saves, each with its audit row, FULL against NORMAL
        Assessment a = base;
        a.patient.id = "S-1";
        auto id = s.create_draft(a);
        int n = 0;
        auto full = bench::measure(
            [&] {
                a.answers["nrs_now"] = ++n % 11;
                s.save_draft(id, a);
            },
            500);
        bench::row("Save a draft with its audit row, synchronous=FULL", full, 5000, "< 5 ms");
        std::printf("NOTE\tFULL: %.0f saves/s at the median\n", 1e6 / full.median);
        s.connection().exec("PRAGMA synchronous = NORMAL");
        auto normal = bench::measure(
            [&] {
                a.answers["nrs_now"] = ++n % 11;
                s.save_draft(id, a);
            },
            500);
        bench::row("Save a draft with its audit row, synchronous=NORMAL (comparison only)", normal,
                   5000, "-");
        s.connection().exec("PRAGMA synchronous = FULL");

        // --- issue 10: the chain record's share of a save (written twice per save)
        ChainHead head{1, std::string(64, 'a')};
        auto record = bench::measure(
            [&] {
                write_chain_record(dir / "bench.db", {head, head});
            },
            500);
        bench::row("One durable chain-record write (slot overwrite, fdatasync)", record, 5000, "-");

        // --- a larger store for the audit chain and backups
        auto t0 = std::chrono::steady_clock::now();
        const long batch = 500;
        for (long done = 0; done < total; done += batch) {
            std::vector<Assessment> items;
            for (long i = done; i < done + batch && i < total; ++i) {
                Assessment b = base;
                b.patient.id = "B-" + std::to_string(i / 10);
                b.patient.name = "Bench Patient " + std::to_string(i / 10);
                b.date = "2026-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
                items.push_back(std::move(b));
            }
            s.import_assessments(items);
        }
        std::printf("NOTE\tgenerated %ld assessments in %.1f s\n", total, seconds_since(t0));
        std::int64_t rows = s.connection().query_int("SELECT count(*) FROM audit");
        auto verify = bench::measure([&] { (void)s.verify_audit(); }, 5, 1);
        bench::row("db verify: the whole audit chain (" + std::to_string(rows) + " rows)", verify,
                   2e6, "< 2 s");
        std::printf("NOTE\taudit verify: %.0f rows/s\n",
                    static_cast<double>(rows) / (verify.median / 1e6));

        CheckOptions with_documents;
        with_documents.definitions = &defs;
        auto check = bench::measure([&] { (void)check_database(db, with_documents); }, 3, 0);
        bench::row("db check: integrity_check, chain, digest recount, every document parsed (" +
                       std::to_string(total) + " assessments)",
                   check, 60e6, "-");
        auto verify_all = bench::measure([&] { (void)check_database(db, CheckOptions{}); }, 3, 0);
        bench::row("db verify (read-only: chain, chain record, digest recount, schema)", verify_all,
                   60e6, "-");

        int k = 0;
        double mb = 0;
        auto backup = bench::measure(
            [&] {
                auto r = s.backup(dir / ("b" + std::to_string(k++) + ".db"));
                mb = static_cast<double>(r.bytes) / 1e6;
            },
            5, 1);
        char what[160];
        std::snprintf(what, sizeof what,
                      "Verified backup (backup API, fsync, integrity_check, SHA-256) of %.1f MB",
                      mb);
        bench::row(what, backup, 10e6, "< 10 s");
        std::printf("NOTE\tbackup: %.1f ms per MB\n", backup.median / 1000 / mb);
    }
    auto restore = bench::measure([&] { Store::restore(db, dir / "b0.db"); }, 3, 0);
    bench::row("db restore of that backup (checks, copy, audit, rename)", restore, 10e6, "< 10 s");
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
