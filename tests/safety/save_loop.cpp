// Helper process for the safety tests (not a test itself). Modes:
//   loop DB FORMS BASE START  creates, saves and finalizes assessments (and imports every fourth)
//                             for ever, printing "C|S|F|I n id" after each commit returns: a line
//                             on the pipe is an acknowledged save. The test kills it with SIGKILL.
//   hold DB FORMS             opens the store for writing, prints "ready", waits for EOF on stdin:
//                             the other instance of the one-writer test.
//   fill DB FORMS BASE BYTES  like loop (imports only) under RLIMIT_FSIZE = BYTES, until the file
//                             system refuses; prints "error <message>" and exits 3.
// Both print "R" once the store is open.
// BASE is an assessment file; save n is BASE for patient "K-n" (see expected_assessment).

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "store/store.hpp"

namespace {

void say(const std::string& line) {
    std::string text = line + "\n";
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(1, p, left);
        if (n <= 0) {
            std::_Exit(4);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

myo::Assessment numbered(const myo::Assessment& base, long n, bool edited) {
    myo::Assessment a = base;
    a.patient.id = "K-" + std::to_string(n);
    a.patient.name = "Kill Test " + std::to_string(n);
    if (edited) {
        a.answers["nrs_now"] = static_cast<int>(n % 11);
        a.notes = "edited " + std::to_string(n);
    }
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: save_loop loop|hold|fill DB FORMS [BASE START|BYTES]\n");
        return 2;
    }
    std::string mode = argv[1];
    try {
        myo::Definitions defs = myo::load_definitions(argv[3]);
        if (mode == "hold") {
            myo::store::OpenOptions options;
            options.lock_timeout_ms = 0;
            myo::store::Store store(argv[2], defs, options);
            say("ready " + std::to_string(::getpid()));
            char c = 0;
            while (::read(0, &c, 1) > 0) {
            }
            return 0;
        }
        if (argc < 6) {
            return 2;
        }
        myo::Assessment base = myo::read_assessment_file(argv[4], defs);
        if (mode == "fill") {
            rlimit limit{};
            limit.rlim_cur = static_cast<rlim_t>(std::atoll(argv[5]));
            limit.rlim_max = RLIM_INFINITY;
            ::setrlimit(RLIMIT_FSIZE, &limit);
            // Without this the kernel kills the process; with it write() fails with EFBIG.
            std::signal(SIGXFSZ, SIG_IGN);
        }
        myo::store::Store store(argv[2], defs);
        say("R");  // open: not an acknowledgement, a landmark for the test's timing
        long n = mode == "fill" ? 0 : std::atol(argv[5]);
        for (;; ++n) {
            if (mode == "fill") {
                myo::Assessment a = numbered(base, n, true);
                a.notes = std::string(3000, static_cast<char>('a' + n % 26));
                try {
                    auto id = store.import_assessments({a})[0].id;
                    say("I " + std::to_string(n) + " " + std::to_string(id));
                } catch (const myo::store::StoreError& e) {
                    say(std::string("error ") + e.what());
                    return 3;
                }
                continue;
            }
            if (n % 4 == 3) {
                auto id = store.import_assessments({numbered(base, n, true)})[0].id;
                say("I " + std::to_string(n) + " " + std::to_string(id));
                continue;
            }
            auto id = store.create_draft(numbered(base, n, false));
            say("C " + std::to_string(n) + " " + std::to_string(id));
            store.save_draft(id, numbered(base, n, true));
            say("S " + std::to_string(n) + " " + std::to_string(id));
            store.finalize(id);
            say("F " + std::to_string(n) + " " + std::to_string(id));
        }
    } catch (const std::exception& e) {
        say(std::string("error ") + e.what());
        return 3;
    }
}
