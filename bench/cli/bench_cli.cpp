// Issue 12: myoscreen-cli as a user meets it, a whole process per command (start, open the
// store, query, print, close) on the practice-sized store (100,000 patients, 1,000,000
// assessments). Every command that reads a few rows: < 50 ms. The store is copied into a
// temporary folder first (export writes audit rows, every writable opening its lock and log;
// the generated file is shared), and the copy removed at the end.
//
//   bench_cli SOURCE_DIR BIG_STORE

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/definitions.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using namespace myo;

namespace {

// A temporary folder removed with everything in it when the bench ends.
class TempFolder {
  public:
    TempFolder() {
        std::string pattern = (fs::temp_directory_path() / "bench_cli-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a temporary folder");
        }
        path_ = pattern;
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

struct Cli {
    fs::path exe;
    fs::path forms;
    fs::path db;

    std::vector<std::string> argv(const std::vector<std::string>& args, bool check = false) const {
        std::vector<std::string> all = {exe.string(), "--forms", forms.string(), "--db",
                                        db.string()};
        if (check) {
            all.emplace_back("--check");
        }
        all.insert(all.end(), args.begin(), args.end());
        return all;
    }
};

std::string joined(const std::vector<std::string>& args) {
    std::string s;
    for (const auto& a : args) {
        s += (s.empty() ? "" : " ") + a;
    }
    return s;
}

// Times a command; a failing command gives a MISSED row naming its exit status.
void time_command(const Cli& cli, const std::string& what, const std::vector<std::string>& args,
                  std::size_t runs, double target_us, const std::string& target_text,
                  bool check = false) {
    const auto argv = cli.argv(args, check);
    int status = bench::run_process(argv);
    if (status != 0) {
        std::fprintf(stderr, "bench_cli: `%s` exited with %d\n", joined(argv).c_str(), status);
        bench::row_value(what, "exit status " + std::to_string(status), target_text, false);
        return;
    }
    bench::Stats s = bench::measure([&] { (void)bench::run_process(argv); }, runs, 1);
    bench::row(what, s, target_us, target_text);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_cli SOURCE_DIR [BIG_STORE]\n");
        return 2;
    }
    if (argc < 3 || !fs::exists(argv[2])) {
        std::fprintf(stderr,
                     "bench_cli: no big store given (argument 2, made by bench_store): the "
                     "whole-process rows on 100,000 patients are skipped\n");
        return 0;
    }
    const fs::path source = argv[1];
    const fs::path big = argv[2];
    TempFolder tmp;
    Cli cli{executable_dir() / "myoscreen-cli", source / "forms", tmp.path() / "big.db"};
    std::fprintf(stderr, "bench_cli: copying %s into %s ...\n", big.c_str(), tmp.path().c_str());
    fs::copy_file(big, cli.db);
    std::error_code ec;
    fs::copy_file(big.string() + ".chain", cli.db.string() + ".chain", ec);

    // The patients and assessments the commands name, read from the copy: P-000001 has 200
    // visits (bench_store's generator), P-000002 ten.
    const Definitions defs = load_definitions(cli.forms);
    std::string search;
    std::string assessment;
    {
        store::OpenOptions ro;
        ro.read_only = true;
        store::Store s(cli.db, defs, ro);
        auto patient = s.find_patient("P-000002");
        auto visits = s.history("P-000002");
        if (!patient || visits.empty() || s.history("P-000001").size() < 200) {
            std::fprintf(stderr, "bench_cli: %s is not bench_store's generated store\n",
                         big.c_str());
            return 2;
        }
        search = patient->name;
        for (const auto& v : visits) {
            if (v.status == store::Status::Final) {
                assessment = std::to_string(v.id);
                break;
            }
        }
    }
    const fs::path pdf = tmp.path() / "report.pdf";
    constexpr double k50ms = 50000;
    const std::string target = "< 50 ms";
    constexpr std::size_t kRuns = 15;

    time_command(cli, "`list --search \"" + search + "\"` (100k patients)",
                 {"list", "--search", search}, kRuns, k50ms, target);
    time_command(cli, "`history` of a patient with 200 visits", {"history", "P-000001"}, kRuns,
                 k50ms, target);
    time_command(cli, "`history` of a patient with 10 visits", {"history", "P-000002"}, kRuns,
                 k50ms, target);
    time_command(cli, "`evaluate --assessment N` (a stored assessment)",
                 {"evaluate", "--assessment", assessment}, kRuns, k50ms, target);
    time_command(cli, "`report --assessment N -o x.pdf` (a referral note)",
                 {"report", "--assessment", assessment, "-o", pdf.string()}, kRuns, k50ms, target);
    time_command(cli, "`export --assessment N` (to standard output, audited)",
                 {"export", "--assessment", assessment}, kRuns, k50ms, target);
    time_command(cli, "`list`: the first page (50 of 100,000, with the count)", {"list"}, kRuns,
                 k50ms, target);
    time_command(cli, "`list --all`: every patient (for information)", {"list", "--all"}, 3, 1e12,
                 "no target");
    // What opening costs: the cheap checks every opening makes, and --check's quick_check,
    // which reads the whole file.
    time_command(cli, "Open and close the store (`settings`, nothing else)", {"settings"}, kRuns,
                 k50ms, target);
    time_command(cli, "Open with `--check` (quick_check reads all 1.75 GB)", {"settings"}, 3, 1e12,
                 "no target", true);
    return 0;
}
