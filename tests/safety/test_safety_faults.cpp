// Item 2 of issue 7: writes that fail give a clear error, lose nothing already saved and leave
// the file intact. Three ways: a fault-injecting SQLite VFS (every write, truncate or sync can
// fail with an I/O error or "disk full"), RLIMIT_FSIZE in a child process (the kernel refuses to
// grow a file), and, where the test may mount, a real 256 KB tmpfs that fills up and is then
// remounted read-only.

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "fault_vfs.hpp"
#include "safety_util.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

void check_saved(const fs::path& db, const std::map<std::int64_t, std::string>& saved) {
    OpenOptions ro;
    ro.read_only = true;
    Store check(db, test::definitions(), ro);
    CHECK(check.connection().query_text("PRAGMA integrity_check") == "ok");
    for (const auto& [id, doc] : saved) {
        CAPTURE(id);
        CHECK(check.load_document(id) == doc);
    }
    auto chain = check.verify_audit();
    CHECK_MESSAGE(chain.ok, chain.problem);
    CHECK(check.connection().query_int(
              "SELECT count(*) FROM assessments a WHERE NOT EXISTS (SELECT 1 FROM audit WHERE "
              "assessment = a.id AND action IN ('create', 'import', 'amend'))") == 0);
}

bool clear_message(const std::string& m) {
    return m.find("not saved") != std::string::npos ||
           m.find("not confirmed as saved") != std::string::npos;
}

}  // namespace

TEST_CASE(
    "I/O faults: injected write, sync and disk-full errors are reported; nothing saved is "
    "lost") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "faults.db";
    test::FaultVfs vfs;
    std::map<std::int64_t, std::string> saved;
    int reported = 0;
    int succeeded = 0;
    {
        Store s(db, test::definitions());
        for (int i = 0; i < 3; ++i) {
            Assessment a = test::sample_assessment("F-" + std::to_string(i), "Fault Seed");
            saved[s.import_assessments({a})[0].id] = write_assessment(a);
        }
        const int errors[] = {SQLITE_IOERR_WRITE, SQLITE_FULL};
        int n = 0;
        for (int error : errors) {
            // From the first write of a save to past its commit (a save is about 20 calls).
            for (int after = 0; after < 72; after += 3, ++n) {
                CAPTURE(error);
                CAPTURE(after);
                Assessment a = test::sample_assessment("G-" + std::to_string(n), "Fault Test");
                vfs.arm(after, error, after % 2 == 0);
                try {
                    std::int64_t id = 0;
                    switch (n % 3) {
                        case 0:
                            id = s.import_assessments({a})[0].id;
                            break;
                        case 1:
                            id = s.create_draft(a);
                            break;
                        default:
                            id = s.create_draft(a);
                            a.answers["nrs_now"] = 3;
                            s.save_draft(id, a);
                            s.finalize(id);
                            break;
                    }
                    saved[id] = write_assessment(a);
                    ++succeeded;
                } catch (const StorageFailed& e) {
                    ++reported;
                    CHECK_MESSAGE(clear_message(e.what()), e.what());
                    CHECK((error == SQLITE_FULL) ==
                          (std::string(e.what()).find("full") != std::string::npos));
                }
                vfs.disarm();
                check_saved(db, saved);
            }
        }
        // The same store keeps working once the disk does.
        Assessment after = test::sample_assessment("H-1", "After Faults");
        saved[s.import_assessments({after})[0].id] = write_assessment(after);
    }
    check_saved(db, saved);
    CHECK(reported > 20);
    MESSAGE("fault VFS: ", reported + succeeded, " saves with a fault armed, ", reported,
            " failed with a clear message, ", succeeded,
            " completed (the fault came after the commit); ", vfs.failures(),
            " write/sync calls failed; ", saved.size(),
            " saved assessments intact, integrity ok after each");
}

TEST_CASE("I/O faults: RLIMIT_FSIZE refuses to grow the file; clear error, nothing lost") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "fsize.db";
    fs::path base_file = test::write_base_file(tmp.path());
    Assessment base = read_assessment_file(base_file, test::definitions());
    auto child = test::spawn({test::save_loop_path().string(), "fill", db.string(),
                              test::forms_dir().string(), base_file.string(), "1048576"});
    REQUIRE(child.pid > 0);
    std::string out = test::read_all(child.out);
    ::close(child.out);
    int status = test::wait_child(child.pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
    std::map<std::int64_t, std::string> saved;
    std::string error;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        if (line == "R") {
            continue;
        }
        if (line.rfind("error ", 0) == 0) {
            error = line.substr(6);
            continue;
        }
        char kind = 0;
        long n = 0;
        std::int64_t id = 0;
        std::istringstream fields(line);
        fields >> kind >> n >> id;
        Assessment a = test::numbered_assessment(base, n, true);
        a.notes = std::string(3000, static_cast<char>('a' + n % 26));
        saved[id] = write_assessment(a);
    }
    CAPTURE(out);
    CHECK(clear_message(error));
    CHECK(saved.size() >= 3);
    check_saved(db, saved);
    MESSAGE("RLIMIT_FSIZE 1 MB: ", saved.size(), " saves acknowledged, then \"", error, "\"");
}

TEST_CASE("I/O faults: a full, then read-only, tmpfs (skipped where mounting is not allowed)") {
    test::TempDir tmp;
    fs::path mnt = tmp.path() / "small";
    fs::create_directory(mnt);
    auto mounted = test::run_command("mount -t tmpfs -o size=1m,mode=0700 tmpfs " +
                                     test::shell_quote(mnt.string()) + " 2>&1");
    if (mounted.status != 0) {
        MESSAGE("tmpfs test skipped: cannot mount (", mounted.out, ")");
        return;
    }
    struct Unmount {
        fs::path at;
        ~Unmount() { test::run_command("umount " + test::shell_quote(at.string())); }
    } unmount{mnt};
    fs::path db = mnt / "full.db";
    std::map<std::int64_t, std::string> saved;
    std::string error;
    {
        Store s(db, test::definitions());
        for (int i = 0; i < 2000 && error.empty(); ++i) {
            Assessment a = test::sample_assessment("T-" + std::to_string(i), "Tmpfs Full");
            a.notes = std::string(4000, 'n');
            try {
                saved[s.import_assessments({a})[0].id] = write_assessment(a);
            } catch (const StorageFailed& e) {
                error = e.what();
            }
        }
    }
    CAPTURE(error);
    CHECK(error.find("full") != std::string::npos);
    CHECK(saved.size() >= 3);
    check_saved(db, saved);
    // Read-only file system: a writer is refused with the reason; a reader still gets it all.
    REQUIRE(test::run_command("mount -o remount,ro " + test::shell_quote(mnt.string())).status ==
            0);
    try {
        Store s(db, test::definitions());
        FAIL("opened a database on a read-only file system for writing");
    } catch (const StoreError& e) {
        std::string m = e.what();
        CAPTURE(m);
        CHECK(m.find("Read-only file system") != std::string::npos);
    }
    check_saved(db, saved);
    MESSAGE("tmpfs 1 MB: ", saved.size(), " saves before \"", error,
            "\"; read-only remount refused for writing, every save readable");
}
