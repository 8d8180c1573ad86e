// Backups at practice size (issue 12): the daily backup's time, size and peak memory, before
// (a verified plain SQLite copy, as until issue 12) and after (the same copy, verified, then
// zstd-compressed and read back), the restore from each, and zstd's levels on the big store.
//   bench_backup SOURCE_DIR BIG_STORE
// Works on its own copy of BIG_STORE in a temporary folder (never beside it). Each measured
// operation runs in a child process: its time is taken inside the child around the operation
// (not the opening), its peak memory is the child's ru_maxrss (wait4). ROW lines: bench_util.hpp.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/definitions.hpp"
#include "store/store.hpp"
#include "store/zstd_file.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

struct Sample {
    double us = 0;       // the operation, inside the child
    double max_rss = 0;  // bytes
    bool ok = false;
};

// Runs `op` in a child process; the child reports the operation's time through a pipe.
// `setup` (opening the store) is not timed.
Sample in_child(const std::function<void()>& setup, const std::function<void()>& op) {
    int fds[2];
    if (::pipe(fds) != 0) {
        return {};
    }
    std::fflush(stdout);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        int rc = 0;
        double us = 0;
        try {
            setup();
            auto t0 = std::chrono::steady_clock::now();
            op();
            us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                     .count();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_backup: %s\n", e.what());
            rc = 1;
        }
        ssize_t n = ::write(fds[1], &us, sizeof us);
        ::_exit(n == sizeof us ? rc : 1);
    }
    ::close(fds[1]);
    Sample s;
    double us = 0;
    ssize_t n = ::read(fds[0], &us, sizeof us);
    ::close(fds[0]);
    int status = 0;
    struct rusage ru {};
    ::wait4(pid, &status, 0, &ru);
    s.us = us;
    s.max_rss = static_cast<double>(ru.ru_maxrss) * 1024;
    s.ok = n == sizeof us && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return s;
}

std::string mb(double bytes) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
    return buf;
}

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Series {
    std::vector<double> us;
    std::vector<double> rss;
    std::uintmax_t bytes = 0;
    bool ok = true;
    void add(const Sample& s) {
        us.push_back(s.us);
        rss.push_back(s.max_rss);
        ok = ok && s.ok;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_backup SOURCE_DIR BIG_STORE\n");
        return 2;
    }
    if (argc < 3 || !fs::is_regular_file(argv[2])) {
        std::printf(
            "NOTE\tno big store given (second argument): the backup rows need it; "
            "skipped\n");
        return 0;
    }
    const fs::path source = argv[1];
    const fs::path big = argv[2];
    const Definitions defs = load_definitions(source / "forms");
    const std::size_t runs =
        std::getenv("MYOSCREEN_BENCH_BACKUP_RUNS")
            ? std::strtoul(std::getenv("MYOSCREEN_BENCH_BACKUP_RUNS"), nullptr, 10)
            : 3;
    std::string w = (fs::temp_directory_path() / "myoscreen-bench-backup-XXXXXX").string();
    if (::mkdtemp(w.data()) == nullptr) {
        std::fprintf(stderr, "bench_backup: cannot make a temporary folder\n");
        return 1;
    }
    const fs::path work = w;
    const fs::path db = work / "big.db";
    std::printf("NOTE\tcopying %s to %s\n", big.c_str(), db.c_str());
    fs::copy_file(big, db);
    fs::path chain = big.string() + ".chain";
    if (fs::exists(chain)) {
        fs::copy_file(chain, db.string() + ".chain");
    }
    const double db_bytes = static_cast<double>(fs::file_size(db));

    // --- the daily backup, before (plain verified copy) and after (.db.zst)
    Series before;
    Series after;
    fs::path plain;
    fs::path packed;
    for (std::size_t k = 0; k < runs; ++k) {
        fs::path p = work / ("plain-" + std::to_string(k) + ".db");
        std::optional<Store> s;
        before.add(in_child([&] { s.emplace(db, defs); }, [&] { s->backup(p); }));
        before.bytes = fs::file_size(p);
        fs::path folder = work / ("daily-" + std::to_string(k));
        after.add(in_child([&] { s.emplace(db, defs); }, [&] { s->daily_backup(folder); }));
        for (const auto& e : fs::directory_iterator(folder)) {
            after.bytes = fs::file_size(e.path());
            if (k + 1 == runs) {
                packed = e.path();
            }
        }
        if (k + 1 == runs) {
            plain = p;
        } else {
            fs::remove(p);
            fs::remove_all(folder);
        }
    }
    const double ratio = static_cast<double>(before.bytes) / static_cast<double>(after.bytes);
    char what[256];
    std::snprintf(what, sizeof what,
                  "Daily backup BEFORE: verified plain SQLite copy of the %s store",
                  mb(db_bytes).c_str());
    bench::row(what, bench::summarize(before.us), 60e6, "< 60 s");
    bench::row_value("Daily backup BEFORE: size of one (14 kept: " +
                         mb(14.0 * static_cast<double>(before.bytes)) + ")",
                     mb(static_cast<double>(before.bytes)), "-", before.ok);
    bench::row_value("Daily backup BEFORE: peak memory (max RSS)", mb(median_of(before.rss)),
                     "< 256 MB", median_of(before.rss) < 256e6 && before.ok);
    std::snprintf(what, sizeof what,
                  "Daily backup AFTER: the same verified copy, zstd level %d (%d worker "
                  "threads), read back and compared",
                  kBackupZstdLevel, kBackupZstdWorkers);
    bench::row(what, bench::summarize(after.us), 60e6, "< 60 s");
    char size[96];
    std::snprintf(size, sizeof size, "%s (ratio %.1f)",
                  mb(static_cast<double>(after.bytes)).c_str(), ratio);
    bench::row_value("Daily backup AFTER: size of one .db.zst (14 kept: " +
                         mb(14.0 * static_cast<double>(after.bytes)) + ")",
                     size, "< 1/4 of the database", after.ok && ratio >= 4);
    bench::row_value("Daily backup AFTER: peak memory (max RSS)", mb(median_of(after.rss)),
                     "< 256 MB", median_of(after.rss) < 256e6 && after.ok);

    // --- restore from each
    Series restore_plain;
    Series restore_packed;
    for (std::size_t k = 0; k < runs; ++k) {
        fs::path target = work / ("restored-" + std::to_string(k) + ".db");
        restore_plain.add(in_child([] {}, [&] { Store::restore(target, plain); }));
        fs::path target2 = work / ("restored-zst-" + std::to_string(k) + ".db");
        restore_packed.add(in_child([] {}, [&] { Store::restore(target2, packed); }));
        for (const auto& t : {target, target2}) {
            fs::remove(t);
            fs::remove(t.string() + ".chain");
            fs::remove(t.string() + ".lock");
        }
    }
    bench::row("db restore BEFORE: from the plain backup (checks, copy, audit, rename)",
               bench::summarize(restore_plain.us), 60e6, "< 60 s");
    bench::row("db restore AFTER: from the .db.zst (decompress, checks, audit, rename)",
               bench::summarize(restore_packed.us), 60e6, "< 60 s");
    bench::row_value("db restore AFTER: peak memory (max RSS)", mb(median_of(restore_packed.rss)),
                     "< 256 MB", median_of(restore_packed.rss) < 256e6 && restore_packed.ok);

    // --- zstd alone on the verified copy: the choice of level and threads
    struct Setting {
        int level;
        int workers;
    };
    const Setting settings[] = {{1, 0}, {3, 0}, {6, 0}, {9, 0}, {1, 1}, {3, 1}, {3, 2}};
    for (const auto& st : settings) {
        fs::path out = work / "level.zst";
        Series s;
        for (std::size_t k = 0; k < runs; ++k) {
            std::FILE* f = std::fopen(out.c_str(), "w");
            if (f != nullptr) {
                std::fclose(f);
            }
            s.add(in_child([] {}, [&] { zstd::compress_file(plain, out, st.level, st.workers); }));
        }
        s.bytes = fs::file_size(out);
        std::snprintf(what, sizeof what,
                      "zstd level %d, %d worker thread%s: compress the verified copy (%s, ratio "
                      "%.1f, peak %s)",
                      st.level, st.workers, st.workers == 1 ? "" : "s",
                      mb(static_cast<double>(s.bytes)).c_str(),
                      static_cast<double>(before.bytes) / static_cast<double>(s.bytes),
                      mb(median_of(s.rss)).c_str());
        bench::row(what, bench::summarize(s.us), 60e6, "-");
        fs::remove(out);
    }
    {
        Series s;
        for (std::size_t k = 0; k < runs; ++k) {
            s.add(in_child([] {}, [&] { zstd::decompress_file(packed, {}, UINTMAX_MAX); }));
        }
        bench::row("zstd: decompress and hash the .db.zst (the read-back check)",
                   bench::summarize(s.us), 60e6, "-");
    }
    std::error_code ec;
    fs::remove_all(work, ec);
    return 0;
}
