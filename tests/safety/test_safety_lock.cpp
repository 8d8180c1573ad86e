// The one-writer rule and network file systems (issue 7, "One writer"): a second process is told
// that MyoScreen is already open (with the pid) and can open read-only; a crashed holder never
// leaves a stale lock; NFS, SMB/CIFS and sshfs are refused (faked through the statfs seam).

#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include "safety_util.hpp"
#include "store/paths.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

test::Child start_holder(const fs::path& db) {
    auto child = test::spawn(
        {test::save_loop_path().string(), "hold", db.string(), test::forms_dir().string()}, true);
    REQUIRE(child.pid > 0);
    std::string ready = test::read_line(child.out);
    REQUIRE(ready == "ready " + std::to_string(child.pid));
    return child;
}

void stop_holder(const test::Child& child, bool kill_it) {
    if (kill_it) {
        ::kill(child.pid, SIGKILL);
    }
    ::close(child.in);
    test::wait_child(child.pid);
    ::close(child.out);
}

// Puts the real statfs and mount table back, whatever the test does.
struct SeamReset {
    ~SeamReset() {
        set_filesystem_type_lookup({});
        set_mount_table_reader({});
    }
};

}  // namespace

TEST_CASE("one writer: a second process is refused with the pid, and may open read-only") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "one.db";
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("L-1", "Lock Holder")});
    }
    auto holder = start_holder(db);
    std::string before = test::slurp(db);

    OpenOptions now;
    now.lock_timeout_ms = 0;
    try {
        Store second(db, test::definitions(), now);
        FAIL("a second writer was let in");
    } catch (const AlreadyOpen& e) {
        CHECK(e.pid() == holder.pid);
        CHECK(std::string(e.what()) ==
              "MyoScreen is already open on " + db.string() + " (pid " +
                  std::to_string(holder.pid) +
                  "); only one MyoScreen may change a database at a time. Close the other one, "
                  "or open this database read-only");
    }
    // A patient writer waits for the lock as long as it would for SQLite's, then gives up.
    OpenOptions patient;
    patient.busy_timeout_ms = 200;
    CHECK_THROWS_AS(Store(db, test::definitions(), patient), AlreadyOpen);

    OpenOptions ro;
    ro.read_only = true;
    {
        Store reader(db, test::definitions(), ro);
        CHECK(reader.read_only());
        CHECK(reader.list_patients().size() == 1);
        CHECK_THROWS_AS(reader.create_draft(test::sample_assessment("L-2", "Not Saved")),
                        ReadOnlyStore);
        CHECK_THROWS_AS(reader.record_event(audit_action::kPdf, {"L-1", std::nullopt}, "x"),
                        ReadOnlyStore);
        CHECK(reader.verify_audit().ok);
    }
    // The CLI, another process of its own: told, and pointed to --read-only.
    auto r = test::run_command(test::shell_quote(test::cli_path().string()) + " --forms " +
                               test::shell_quote(test::forms_dir().string()) + " --db " +
                               test::shell_quote(db.string()) + " settings --clinician X");
    CHECK(r.status == 2);
    CHECK(r.err.find("MyoScreen is already open on " + db.string() + " (pid " +
                     std::to_string(holder.pid) + ")") != std::string::npos);
    CHECK(r.err.find("--read-only") != std::string::npos);
    auto list = test::run_command(test::shell_quote(test::cli_path().string()) + " --forms " +
                                  test::shell_quote(test::forms_dir().string()) + " --db " +
                                  test::shell_quote(db.string()) + " --read-only list");
    CHECK(list.status == 0);
    CHECK(list.out.find("Lock Holder") != std::string::npos);
    CHECK(test::slurp(db) == before);

    stop_holder(holder, false);
    Store after(db, test::definitions(), now);
    CHECK(after.list_patients().size() == 1);
}

TEST_CASE("one writer: a holder killed with SIGKILL leaves no stale lock") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "killed.db";
    auto holder = start_holder(db);
    stop_holder(holder, true);
    OpenOptions now;
    now.lock_timeout_ms = 0;
    Store s(db, test::definitions(), now);
    CHECK(fs::exists(WriterLock::lock_path(db)));
    s.create_draft(test::sample_assessment("K-1", "Killed Holder"));
}

TEST_CASE("read-only opening: never creates, never upgrades, never writes") {
    test::TempDir tmp;
    OpenOptions ro;
    ro.read_only = true;
    CHECK_THROWS_AS(Store(tmp.path() / "missing.db", test::definitions(), ro), OpenRefused);
    CHECK_FALSE(fs::exists(tmp.path() / "missing.db"));
    fs::path old = tmp.path() / "v3.db";
    fs::copy_file(test::data_dir() / "store" / "schema_v3.db", old);
    std::string before = test::slurp(old);
    try {
        Store s(old, test::definitions(), ro);
        FAIL("an older schema was opened read-only");
    } catch (const OpenRefused& e) {
        CHECK(e.reason() == Refusal::NeedsUpgrade);
    }
    CHECK(test::slurp(old) == before);
    CHECK_FALSE(fs::exists(old.string() + "-wal"));
}

TEST_CASE("network file systems are refused, with the reason, before any lock or write") {
    SeamReset reset;
    test::TempDir tmp;
    fs::path db = tmp.path() / "net.db";
    { Store s(db, test::definitions()); }
    fs::remove(WriterLock::lock_path(db));
    std::string before = test::slurp(db);
    struct Case {
        std::uint64_t f_type;
        const char* name;
    };
    const Case cases[] = {{0x6969, "NFS"},
                          {0xFF534D42, "CIFS"},
                          {0xFE534D42, "SMB2"},
                          {0x517B, "SMB"},
                          {0x01021997, "9P"}};
    for (const auto& c : cases) {
        CAPTURE(c.name);
        set_filesystem_type_lookup([&c](const fs::path&) { return c.f_type; });
        try {
            Store s(db, test::definitions());
            FAIL("opened a database on a network file system");
        } catch (const OpenRefused& e) {
            CHECK(e.reason() == Refusal::NetworkFilesystem);
            CHECK(std::string(e.what()) ==
                  db.string() + " is on a network filesystem (" + c.name +
                      "), where SQLite's locking and write-ahead log are unsafe; keep the "
                      "database on a local disk; " +
                      db.string() + " was left untouched");
        }
        OpenOptions ro;
        ro.read_only = true;
        CHECK_THROWS_AS(Store(db, test::definitions(), ro), OpenRefused);
        CHECK_FALSE(check_database(db).ok);
    }
    // sshfs is FUSE: the mount table tells which.
    set_filesystem_type_lookup([](const fs::path&) { return std::uint64_t{0x65735546}; });
    fs::path real_dir = fs::canonical(tmp.path());
    set_mount_table_reader([real_dir] {
        return "/dev/sda1 / ext4 rw 0 0\nuser@host:/srv " + real_dir.string() +
               " fuse.sshfs rw,nosuid 0 0\n";
    });
    CHECK(network_filesystem_of(tmp.path()) == "sshfs");
    CHECK_THROWS_AS(Store(db, test::definitions()), OpenRefused);
    // A local FUSE file system (an encrypted home folder, say) is not refused.
    set_mount_table_reader([real_dir] {
        return "/dev/sda1 / ext4 rw 0 0\ngocryptfs " + real_dir.string() +
               " fuse.gocryptfs rw 0 0\n";
    });
    CHECK(network_filesystem_of(tmp.path()).empty());
    CHECK(test::slurp(db) == before);
    CHECK_FALSE(fs::exists(WriterLock::lock_path(db)));
    CHECK_FALSE(fs::exists(db.string() + "-wal"));
}

TEST_CASE("network file systems: the mount table is read innermost-first, escapes decoded") {
    std::string mounts =
        "/dev/sda1 / ext4 rw 0 0\n"
        "host:/ /mnt/remote fuse.sshfs rw 0 0\n"
        "tmpfs /mnt/remote/local tmpfs rw 0 0\n"
        "host:/x /mnt/with\\040space fuse.rclone rw 0 0\n";
    CHECK(fuse_network_filesystem(mounts, "/mnt/remote/a/b.db") == "sshfs");
    CHECK(fuse_network_filesystem(mounts, "/mnt/remote/local/b.db").empty());
    CHECK(fuse_network_filesystem(mounts, "/mnt/with space/b.db") == "rclone");
    CHECK(fuse_network_filesystem(mounts, "/mnt/remotex/b.db").empty());
    CHECK(fuse_network_filesystem(mounts, "/home/b.db").empty());
    CHECK(network_filesystem_name(0x6969) == "NFS");
    CHECK(network_filesystem_name(0xEF53).empty());  // ext4
}
