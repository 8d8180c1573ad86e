// Issue 4's figures: one referral note in-process (< 7 ms), 1,000 in a batch (< 7 ms each),
// the whole `myoscreen-cli report` command (< 20 ms) and the file size (< 60 KB), on the
// same two-page referral (vignette v1). The handout is measured too, for reference.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "bench_util.hpp"
#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "report/reports.hpp"
#include "report/text_layout.hpp"

using namespace myo;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_report SOURCE_DIR\n");
        return 2;
    }
    const std::filesystem::path source = argv[1];
    const Definitions defs = load_definitions(source / "forms");
    bench::Stats load = bench::measure([&] { (void)report::load_report_resources(defs); }, 100);
    bench::row("Load the report resources (body chart, texts, font metrics)", load, 5000, "-");
    const auto res = report::load_report_resources(defs);
    const auto example = source / "examples" / "v1_widespread_chronic.json";
    const Assessment a = read_assessment_file(example.string(), defs);
    const Evaluation e = evaluate(defs, a);
    const report::ReportSettings settings{"MyoScreen demonstration clinic", "", ""};

    bench::Stats one = bench::measure(
        [&] { (void)report::make_report(res, report::ReportKind::Referral, a, e, settings); }, 300,
        5);
    bench::row("One referral note in-process (v1, 2 pages, to memory)", one, 7000, "< 7 ms");

    const auto t0 = std::chrono::steady_clock::now();
    std::size_t bytes = 0;
    for (int i = 0; i < 1000; ++i) {
        bytes += report::make_report(res, report::ReportKind::Referral, a, e, settings).size();
    }
    const double batch_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    bench::Stats batch;
    batch.median = batch.p10 = batch.p90 = batch_us / 1000;
    batch.runs = 1000;
    bench::row("1,000 referral notes in a batch, per note", batch, 7000, "< 7 ms");

    bench::Stats handout = bench::measure(
        [&] { (void)report::make_report(res, report::ReportKind::Handout, a, e, settings); }, 300,
        5);
    bench::row("One patient handout in-process (v1)", handout, 7000, "< 7 ms");

    const auto tmp = std::filesystem::temp_directory_path() / "bench_report.pdf";
    bench::Stats written = bench::measure(
        [&] { report::write_report(res, report::ReportKind::Referral, a, e, settings, tmp); }, 100);
    bench::row("One referral note written to a file (temp file, fsync, rename)", written, 20000,
               "-");
    const std::string cli = (executable_dir() / "myoscreen-cli").string();
    const std::vector<std::string> cmd = {cli,          "report", example.string(), "-o",
                                          tmp.string(), "--kind", "referral"};
    if (bench::run_process(cmd) != 0) {
        std::fprintf(stderr, "myoscreen-cli report failed\n");
        return 1;
    }
    bench::Stats process = bench::measure([&] { bench::run_process(cmd); }, 60);
    bench::row("`myoscreen-cli report --kind referral` as a whole process", process, 20000,
               "< 20 ms");
    // The same command writing to tmpfs, where fsync is free: the difference is the disk.
    if (std::filesystem::is_directory("/dev/shm")) {
        std::vector<std::string> shm = cmd;
        shm[4] = "/dev/shm/bench_report.pdf";
        bench::Stats in_memory = bench::measure([&] { bench::run_process(shm); }, 60);
        bench::row("`myoscreen-cli report` writing to /dev/shm (no disk flush)", in_memory, 20000,
                   "< 20 ms");
        std::filesystem::remove("/dev/shm/bench_report.pdf");
    }
    const std::vector<std::string> eval_cmd = {cli, "evaluate", example.string()};
    bench::Stats eval_process = bench::measure([&] { bench::run_process(eval_cmd); }, 60);
    bench::row("For reference: `myoscreen-cli evaluate` on the same file", eval_process, 30000,
               "-");

    // Issue 15: what PDF/A-1b costs, against `--pdfa off` (the reports as they were) and
    // issue 4's baseline, a plain libharu program embedding the two installed DejaVu fonts
    // (one line each; plain_libharu.cpp), whose whole-process time the `report` command was
    // to stay under 0.75x of (20 ms against 27 ms), in the same minutes. All three write to
    // /dev/shm, so the disk's flush is not in them.
    if (std::filesystem::is_directory("/dev/shm")) {
        const std::string shm_pdf = "/dev/shm/bench_report_pdfa.pdf";
        const std::vector<std::string> plain_cmd = {
            (executable_dir() / "bench_plain_libharu").string(), MYOSCREEN_BENCH_DEJAVU_DIR,
            shm_pdf};
        std::vector<std::string> on = cmd;
        on[4] = shm_pdf;
        std::vector<std::string> off = on;
        off.push_back("--pdfa");
        off.push_back("off");
        if (bench::run_process(plain_cmd) != 0 || bench::run_process(off) != 0) {
            std::fprintf(stderr, "bench_plain_libharu or report --pdfa off failed\n");
            return 1;
        }
        // Interleaved, so a busy minute weighs on all three alike.
        std::vector<double> t_plain;
        std::vector<double> t_on;
        std::vector<double> t_off;
        // Wall time, and the child's CPU time (user + system, from RUSAGE_CHILDREN), which a
        // loaded machine inflates far less than the wall time.
        std::vector<double> c_plain;
        std::vector<double> c_on;
        std::vector<double> c_off;
        const auto children_cpu_us = [] {
            rusage u{};
            getrusage(RUSAGE_CHILDREN, &u);
            const auto us = [](const timeval& tv) {
                return static_cast<double>(tv.tv_sec) * 1e6 + static_cast<double>(tv.tv_usec);
            };
            return us(u.ru_utime) + us(u.ru_stime);
        };
        const auto time_one = [&](const std::vector<std::string>& c, std::vector<double>& wall,
                                  std::vector<double>& cpu) {
            const double cpu0 = children_cpu_us();
            const auto t = std::chrono::steady_clock::now();
            bench::run_process(c);
            wall.push_back(
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t)
                    .count());
            cpu.push_back(children_cpu_us() - cpu0);
        };
        for (int i = 0; i < 60; ++i) {
            time_one(plain_cmd, t_plain, c_plain);
            time_one(on, t_on, c_on);
            time_one(off, t_off, c_off);
        }
        const auto s_plain = bench::summarize(t_plain);
        const auto s_on = bench::summarize(t_on);
        const auto s_off = bench::summarize(t_off);
        bench::row(
            "Plain libharu program: the 2 installed DejaVu fonts embedded, 1 line each, to "
            "/dev/shm",
            s_plain, 20000, "-");
        bench::row("`myoscreen-cli report` to /dev/shm, PDF/A-1b (the default)", s_on, 20000,
                   "< 20 ms");
        bench::row("`myoscreen-cli report --pdfa off` to /dev/shm (plain PDF)", s_off, 20000,
                   "< 20 ms");
        const auto cs_plain = bench::summarize(c_plain);
        const auto cs_on = bench::summarize(c_on);
        const auto cs_off = bench::summarize(c_off);
        bench::row("CPU time: the plain libharu program", cs_plain, 20000, "-");
        bench::row("CPU time: `report`, PDF/A-1b", cs_on, 20000, "-");
        bench::row("CPU time: `report --pdfa off`", cs_off, 20000, "-");
        char ratio[200];
        std::snprintf(ratio, sizeof ratio,
                      "wall %.2fx the plain program (--pdfa off: %.2fx); CPU %.2fx (%.2fx)",
                      s_on.median / s_plain.median, s_off.median / s_plain.median,
                      cs_on.median / cs_plain.median, cs_off.median / cs_plain.median);
        bench::row_value("`report` PDF/A against the plain libharu program (medians)", ratio, "-",
                         true);
        std::filesystem::remove(shm_pdf);
    }
    report::ReportSettings plain_settings = settings;
    plain_settings.pdfa = false;
    // In-process, interleaved too: the PDF/A step alone (ICC profile, XMP, CIDSets, ID).
    std::size_t plain_size = 0;
    std::vector<double> in_on;
    std::vector<double> in_off;
    // CPU time of this thread, not wall time: on a loaded machine the wall time is mostly
    // waiting for a core, which hides a difference of a fraction of a millisecond.
    const auto cpu_us = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
    };
    const auto time_doc = [&](const report::ReportSettings& st) {
        const double t = cpu_us();
        const std::size_t n =
            report::make_report(res, report::ReportKind::Referral, a, e, st).size();
        return std::pair{cpu_us() - t, n};
    };
    for (int i = 0; i < 300; ++i) {
        in_on.push_back(time_doc(settings).first);
        const auto [us, n] = time_doc(plain_settings);
        in_off.push_back(us);
        plain_size = n;
    }
    const auto s_in_on = bench::summarize(in_on);
    const auto s_in_off = bench::summarize(in_off);
    bench::row("One referral note in-process, PDF/A-1b, CPU time (interleaved with the next row)",
               s_in_on, 7000, "< 7 ms");
    bench::row("One referral note in-process, --pdfa off, CPU time", s_in_off, 7000, "< 7 ms");
    char in_ratio[96];
    std::snprintf(in_ratio, sizeof in_ratio, "%.3fx (%+.2f ms)", s_in_on.median / s_in_off.median,
                  (s_in_on.median - s_in_off.median) / 1000);
    bench::row_value("In-process PDF/A against --pdfa off (CPU time, medians)", in_ratio, "-",
                     true);
    bench::row_value("Referral note size (v1), --pdfa off",
                     std::to_string((plain_size + 512) / 1024) + " KB", "< 60 KB",
                     plain_size < 60 * 1024);

    std::size_t largest = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source / "examples")) {
        const Assessment v = read_assessment_file(entry.path().string(), defs);
        const Evaluation ev = evaluate(defs, v);
        largest = std::max(
            largest,
            report::make_report(res, report::ReportKind::Referral, v, ev, settings).size());
    }
    const auto size = std::filesystem::file_size(tmp);
    bench::row_value("Referral note size (v1)", std::to_string((size + 512) / 1024) + " KB",
                     "< 60 KB", size < 60 * 1024);
    bench::row_value("Largest referral note of the six examples",
                     std::to_string((largest + 512) / 1024) + " KB", "< 60 KB",
                     largest < 60 * 1024);

    // Issue 10: a name in another script. A CJK name draws from the 4 MB Droid Sans Fallback
    // or the 4.7 MB Nanum Gothic, cut down per document to the glyphs it uses; the first
    // use in a process reads and hashes the font (inside the whole-process figure).
    const std::vector<std::pair<std::string, std::string>> named = {
        {"Latin (Zoë Åkesson-Núñez)", "Zoë Åkesson-Núñez"},
        {"Chinese (王小明)", "王小明"},
        {"Korean (김민준)", "김민준"},
        {"Arabic (محمد عبد الله)", "محمد عبد الله"}};
    const auto named_file = std::filesystem::temp_directory_path() / "bench_report_named.json";
    for (const auto& [label, name] : named) {
        Assessment n = a;
        n.patient.name = name;
        const Evaluation ne = evaluate(defs, n);
        std::size_t named_size = 0;
        bench::Stats in_process = bench::measure(
            [&] {
                named_size =
                    report::make_report(res, report::ReportKind::Referral, n, ne, settings).size();
            },
            300, 5);
        bench::row("Referral note in-process, name in " + label, in_process, 7000, "< 7 ms");
        {
            std::FILE* f = std::fopen(named_file.c_str(), "wb");
            const std::string json = write_assessment(n);
            std::fwrite(json.data(), 1, json.size(), f);
            std::fclose(f);
        }
        std::vector<std::string> named_cmd = cmd;
        named_cmd[2] = named_file.string();
        if (std::filesystem::is_directory("/dev/shm")) {
            named_cmd[4] = "/dev/shm/bench_report.pdf";
        }
        bench::Stats named_process = bench::measure([&] { bench::run_process(named_cmd); }, 60);
        bench::row("`myoscreen-cli report` (to /dev/shm), name in " + label, named_process, 20000,
                   "< 20 ms");
        bench::row_value("Referral note size, name in " + label,
                         std::to_string((named_size + 512) / 1024) + " KB", "< 60 KB",
                         named_size < 60 * 1024);
    }
    std::filesystem::remove(named_file);
    std::filesystem::remove("/dev/shm/bench_report.pdf");

    // Class 5: line breaking is linear in the length of a text (it was quadratic: a 1 MB
    // name took minutes). One unbroken word, wrapped to a 300-point column.
    for (std::size_t length : {std::size_t{100'000}, std::size_t{1'000'000}}) {
        const std::string word(length, 'a');
        report::PdfDocument doc(res.fonts);
        report::Flow flow(doc, report::PageGeometry{});
        bench::Stats wrap =
            bench::measure([&] { (void)flow.wrap(report::plain(word), 10, 300); }, 5, 1);
        bench::row("Wrap one " + std::to_string(length / 1000) + " KB word into lines", wrap,
                   length == 100'000 ? 100000 : 1000000, length == 100'000 ? "< 100 ms" : "< 1 s");
    }
    std::filesystem::remove(tmp);
    (void)bytes;
    return 0;
}
