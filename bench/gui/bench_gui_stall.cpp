// Issue 14: the longest GUI-thread stall while the clinic server is slow (a loopback proxy
// delaying every packet 500 ms) or gone (the proxy passes nothing). The measuring drives the
// real window against the real server, so it lives with the GUI tests
// (tests/gui/test_gui_slow_server.cpp, "bench: GUI-thread stall", skipped in the suite); this
// program runs that case of test_gui (built beside it) under Xvfb and turns its STALL lines
// into table rows. It needs the private server's settings (MYOSCREEN_TEST_PG*, which
// scripts/bench exports); without them it says so and adds no row.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "bench_util.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    (void)argc;
    (void)argv;
    if (!std::getenv("MYOSCREEN_TEST_PG") || !std::getenv("MYOSCREEN_TEST_PG_TLS")) {
        std::fprintf(stderr, "bench_gui_stall: no private server (MYOSCREEN_TEST_PG*): skipped\n");
        return 0;
    }
    fs::path test_gui = fs::canonical("/proc/self/exe").parent_path() / "test_gui";
    if (!fs::exists(test_gui)) {
        std::fprintf(stderr, "bench_gui_stall: %s is not built\n", test_gui.c_str());
        return 1;
    }
    std::string cmd = "xvfb-run -a -s '-screen 0 1920x1200x24' '" + test_gui.string() +
                      "' --no-skip -tc='bench: GUI-thread stall*' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> out(popen(cmd.c_str(), "r"), pclose);
    if (!out) {
        std::perror("popen");
        return 1;
    }
    char buf[4096];
    int rows = 0;
    while (std::fgets(buf, sizeof buf, out.get())) {
        std::string line(buf);
        if (line.rfind("STALL\t", 0) != 0) {
            continue;
        }
        // STALL what median p10 p90 p99-of-gaps runs (ms)
        std::istringstream in(line.substr(6));
        std::string what;
        double median = 0;
        double p10 = 0;
        double p90 = 0;
        double p99 = 0;
        std::size_t runs = 0;
        std::getline(in, what, '\t');
        in >> median >> p10 >> p90 >> p99 >> runs;
        myo::bench::Stats longest{median * 1000, p10 * 1000, p90 * 1000, runs};
        myo::bench::row("longest GUI-thread stall, " + what + " (per run; the 10 ms ticks' p99 " +
                            myo::bench::human(p99 * 1000) + ")",
                        longest, 100e3, "< 100 ms");
        ++rows;
    }
    return rows > 0 ? 0 : 1;
}
