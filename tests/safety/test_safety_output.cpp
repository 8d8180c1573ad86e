// Issue 10, classes 1 and 6: a verb that writes a file never writes over something that is not
// a report (the database and its companions, an input, a pipe, a device, a folder), however the
// path is spelled; a killed `report` leaves nothing behind; the one-writer lock holds through a
// symbolic link and "dir/../"; a read-only folder can still be read.
//
// The hostile targets are generated here (a FIFO, a device node and links cannot live in git):
// the corpus is the table `hostile_targets` below, run against every writing verb.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "fileio/output_file.hpp"
#include "hash/sha256.hpp"
#include "safety_util.hpp"
#include "store/errors.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;

namespace {

// What a path is now: its type, identity and (regular file) content.
std::string fingerprint(const fs::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
        return "absent";
    }
    std::string text = std::to_string(st.st_mode & S_IFMT) + ":" + std::to_string(st.st_ino) + ":" +
                       std::to_string(st.st_rdev);
    // A lock file's content is the pid of its last holder, rewritten by each opening.
    if (S_ISREG(st.st_mode) && p.extension() != ".lock") {
        text += ":" + sha256_file(p);
    }
    return text;
}

// Restores the working directory at the end of a test.
struct CwdGuard {
    fs::path saved = fs::current_path();
    ~CwdGuard() { fs::current_path(saved); }
};

// A clinic folder with a database (one patient, one final assessment, a backup in backups/)
// and everything a hostile tester points -o at.
struct Clinic {
    test::TempDir tmp;
    fs::path dir = tmp.path();
    fs::path db = dir / "clinic.db";
    fs::path input;
    std::string patient;               // the input's patient id
    std::vector<std::string> targets;  // relative to dir
    std::vector<fs::path> watched;     // must not change

    Clinic() {
        input = test::write_base_file(dir);
        patient = test::read_json(input)["patient"]["id"].get<std::string>();
        auto r = test::cli(db, {"import", input.string()});
        REQUIRE(r.status == 0);
        REQUIRE(test::cli(db, {"db", "backup"}).status == 0);
        fs::create_directory(dir / "sub");
        fs::create_symlink("clinic.db", dir / "link.db");
        fs::create_symlink("nowhere", dir / "dangling");
        fs::create_symlink("/dev/null", dir / "devlink");
        REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
        // As root a device node can be made here; otherwise /dev/null stands in.
        const bool made_device =
            ::mknod((dir / "chardev").c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0;
        // The -wal and -shm come and go with each opening (protected by name then); the lock
        // file stays.
        REQUIRE(test::cli(db, {"list"}).status == 0);
        targets = {"clinic.db",
                   "./clinic.db",
                   "sub/../clinic.db",
                   "link.db",
                   "clinic.db-wal",
                   "clinic.db-shm",
                   "clinic.db.lock",
                   input.filename(),
                   "fifo",
                   "/dev/null",
                   "devlink",
                   "sub",
                   "dangling",
                   "backups",
                   "sub/",
                   "backups/new.pdf",
                   "no-such-folder/x.pdf"};
        if (made_device) {
            targets.emplace_back("chardev");
        }
        for (const auto& entry : fs::directory_iterator(dir / "backups")) {
            targets.push_back("backups/" + entry.path().filename().string());
        }
        for (const auto& entry : fs::directory_iterator(dir)) {
            watched.push_back(entry.path());
        }
        for (const auto& entry : fs::directory_iterator(dir / "backups")) {
            watched.push_back(entry.path());
        }
        watched.emplace_back("/dev/null");
    }

    std::map<fs::path, std::string> snapshot() const {
        std::map<fs::path, std::string> s;
        for (const auto& p : watched) {
            s[p] = fingerprint(p);
        }
        return s;
    }
    std::set<std::string> listing() const {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir)) {
            names.insert(entry.path().filename().string());
        }
        return names;
    }
};

}  // namespace

TEST_CASE("hostile targets: every writing verb refuses them with exit 2 and changes nothing") {
    Clinic c;
    CwdGuard cwd;
    fs::current_path(c.dir);
    const std::string in = c.input.filename().string();
    int tried = 0;
    for (const auto& target : c.targets) {
        // Each verb that writes a file, with the target where its output goes.
        const std::vector<std::vector<std::string>> verbs = {
            {"report", in, "-o", target},
            {"report", "--assessment", "1", "-o", target},
            {"report", "--kind", "progress", "--patient", c.patient, "-o", target},
            {"db", "backup", target},
        };
        for (const auto& args : verbs) {
            // A backup may go into the backups folder, and creates a missing folder.
            if (args[0] == "db" && (target == "backups/new.pdf" || target.find("no-such") == 0)) {
                continue;
            }
            CAPTURE(target);
            CAPTURE(args[0]);
            const auto before = c.snapshot();
            const auto names = c.listing();
            const auto r = test::cli(c.db, args);
            CHECK(r.status == 2);
            CHECK(c.snapshot() == before);
            CHECK(c.listing() == names);
            ++tried;
        }
    }
    // Export and demo write into a folder: aim them at the protected ones and at files.
    for (const std::string dir :
         {"backups", "clinic.db", "link.db", "fifo", "/dev/null", "sub/../backups", "dangling"}) {
        const std::vector<std::vector<std::string>> verbs = {
            {"export", "--patient", c.patient, "--out", dir},
            {"export", "--patient", c.patient, "--csv", "--out", dir},
            {"export", "--assessment", "1", "--out", dir},
            {"demo", "--out", dir, in},
        };
        for (const auto& args : verbs) {
            CAPTURE(dir);
            CAPTURE(args[0]);
            const auto before = c.snapshot();
            const auto r = test::cli(c.db, args);
            CHECK(r.status == 2);
            CHECK(c.snapshot() == before);
            ++tried;
        }
    }
    // restore's target is the database itself: never a pipe, device or folder.
    const fs::path backup = *fs::directory_iterator(c.dir / "backups");
    for (const std::string db : {"fifo", "/dev/null", "devlink", "sub", "dangling"}) {
        CAPTURE(db);
        const auto before = c.snapshot();
        const auto r = test::cli(db, {"db", "restore", backup.string()});
        CHECK(r.status == 2);
        CHECK(c.snapshot() == before);
        ++tried;
    }
    MESSAGE("hostile target/verb pairs tried: " << tried);
}

TEST_CASE("hostile targets: the messages name the path and why") {
    Clinic c;
    CwdGuard cwd;
    fs::current_path(c.dir);
    const std::string in = c.input.filename().string();
    auto err = [&](const std::string& target) {
        return test::cli(c.db, {"report", in, "-o", target}).err;
    };
    CHECK(err("clinic.db") ==
          "myoscreen-cli: cannot write clinic.db: it is the database, which this command never "
          "writes to; nothing was written\n");
    CHECK(err("link.db") == "myoscreen-cli: cannot write link.db (" + fs::canonical(c.db).string() +
                                "): it is the database, which this command never writes to; "
                                "nothing was written\n");
    CHECK(err(in) == "myoscreen-cli: cannot write " + in +
                         ": it is an input file of this command, which this command never "
                         "writes to; nothing was written\n");
    CHECK(err("fifo") ==
          "myoscreen-cli: cannot write fifo: it is a named pipe (FIFO), not a "
          "regular file; nothing was written\n");
    CHECK(err("/dev/null") ==
          "myoscreen-cli: cannot write /dev/null: it is a device, not a "
          "regular file; nothing was written\n");
    CHECK(err("sub") ==
          "myoscreen-cli: cannot write sub: it is a folder, not a file; nothing was written\n");
    CHECK(err("clinic.db-wal").find("is the database's write-ahead log") != std::string::npos);
    CHECK(err("backups/new.pdf").find("is in the database's backups folder") != std::string::npos);
}

TEST_CASE("hostile targets: a hard link to the database is the database") {
    Clinic c;
    fs::create_hard_link(c.db, c.dir / "hard.db");
    const auto before = fingerprint(c.db);
    auto r = test::cli(c.db, {"report", c.input.string(), "-o", (c.dir / "hard.db").string()});
    CHECK(r.status == 2);
    CHECK(r.err.find("is the database") != std::string::npos);
    CHECK(fingerprint(c.db) == before);
    // A writer refuses a database with two names: the other name would have its own lock.
    r = test::cli(c.db, {"settings", "--clinic-name", "X"});
    CHECK(r.status == 2);
    CHECK(r.err.find("names (hard links)") != std::string::npos);
    CHECK(fingerprint(c.db) == before);
}

TEST_CASE("report still replaces an existing regular PDF; export and backup never replace") {
    Clinic c;
    const fs::path pdf = c.dir / "out.pdf";
    test::spit(pdf, "%PDF-old");
    auto r = test::cli(c.db, {"report", c.input.string(), "-o", pdf.string()});
    REQUIRE(r.status == 0);
    CHECK(test::slurp(pdf).rfind("%PDF", 0) == 0);
    struct stat st {};
    REQUIRE(::stat(pdf.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // Through a symbolic link, the real file is replaced and the link stays.
    fs::create_symlink("out.pdf", c.dir / "latest.pdf");
    r = test::cli(c.db, {"report", c.input.string(), "-o", (c.dir / "latest.pdf").string()});
    REQUIRE(r.status == 0);
    CHECK(fs::is_symlink(c.dir / "latest.pdf"));
    // Nothing of ours is left in the folder.
    for (const auto& entry : fs::directory_iterator(c.dir)) {
        CHECK_FALSE(fileio::is_temporary_name(entry.path().filename().string()));
    }
    // Any other file is not a report: refused, untouched.
    test::spit(c.dir / "notes.txt", "mine");
    r = test::cli(c.db, {"report", c.input.string(), "-o", (c.dir / "notes.txt").string()});
    CHECK(r.status == 2);
    CHECK(r.err.find("exists and is not a PDF") != std::string::npos);
    CHECK(test::slurp(c.dir / "notes.txt") == "mine");
    test::spit(c.dir / "taken.db", "mine");
    r = test::cli(c.db, {"db", "backup", (c.dir / "taken.db").string()});
    CHECK(r.status == 2);
    CHECK(test::slurp(c.dir / "taken.db") == "mine");
}

TEST_CASE("a killed report leaves the complete PDF or nothing, never a temporary") {
    Clinic c;
    const fs::path out = c.dir / "killed.pdf";
    std::mt19937 random(12345);
    const std::string cli = test::cli_path().string();
    // One uninterrupted run tells how long a report takes here; kills land across it.
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(test::cli(c.db, {"report", c.input.string(), "-o", out.string()}).status == 0);
    const auto span = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                              .count() *
                          2 +
                      60000;  // a process also starts up and loads the fonts
    int killed = 0;
    int finished = 0;
    for (int round = 0; round < 30; ++round) {
        // Half the rounds write a new name, half replace an existing report.
        const bool replace = round % 2 == 1;
        if (!replace) {
            fs::remove(out);
        }
        const auto names_before = c.listing();
        auto child = test::spawn({cli, "--forms", test::forms_dir().string(), "--db", c.db.string(),
                                  "report", c.input.string(), "-o", out.string()});
        REQUIRE(child.pid > 0);
        std::this_thread::sleep_for(
            std::chrono::microseconds(random() % static_cast<unsigned>(span)));
        ::kill(child.pid, SIGKILL);
        const int status = test::wait_child(child.pid);
        ::close(child.out);
        (WIFSIGNALED(status) ? killed : finished) += 1;
        for (const auto& name : c.listing()) {
            CAPTURE(name);
            CHECK((names_before.count(name) == 1 || name == out.filename().string()));
            CHECK_FALSE(fileio::is_temporary_name(name));
        }
        if (fs::exists(out)) {
            const std::string pdf = test::slurp(out);
            CHECK(pdf.rfind("%PDF", 0) == 0);
            CHECK(pdf.find("%%EOF") != std::string::npos);
        }
    }
    MESSAGE("reports killed mid-way: " << killed << ", finished before the kill: " << finished);
}

TEST_CASE("stale temporaries of a killed writer are removed by the next write, live ones kept") {
    test::TempDir tmp;
    // A pid that no longer runs: a child that has exited and been reaped.
    const pid_t dead = ::fork();
    if (dead == 0) {
        ::_exit(0);
    }
    ::waitpid(dead, nullptr, 0);
    const fs::path stale = tmp.path() / (".myoscreen-tmp-" + std::to_string(dead) + "-abc");
    const fs::path stale_journal = stale.string() + "-journal";
    const fs::path live = tmp.path() / (".myoscreen-tmp-1-abc");  // init runs
    const fs::path other = tmp.path() / ".myoscreen-tmp-x";       // not our pattern
    for (const auto& p : {stale, stale_journal, live, other}) {
        test::spit(p, "x");
    }
    fileio::write_file(tmp.path() / "new.pdf", "%PDF", {}, fileio::Existing::ReplacePdf);
    CHECK_FALSE(fs::exists(stale));
    CHECK_FALSE(fs::exists(stale_journal));
    CHECK(fs::exists(live));
    CHECK(fs::exists(other));
    CHECK(test::slurp(tmp.path() / "new.pdf") == "%PDF");
}

TEST_CASE("export names: any id gives one safe, distinct file name that never starts with - or .") {
    const std::vector<std::string> ids = {"a/b",
                                          "a%2Fb",
                                          "..",
                                          ".",
                                          "-rf",
                                          ".hidden",
                                          "a b",
                                          "a\x1b[31m",
                                          "a\nb",
                                          "Zoë",
                                          "a_b",
                                          "a-b",
                                          "A.B",
                                          "",
                                          "con",
                                          std::string(300, 'x'),
                                          std::string(300, 'x') + "y",
                                          std::string(100, '/')};
    std::set<std::string> names;
    for (const auto& id : ids) {
        CAPTURE(id);
        const std::string name = fileio::safe_file_part(id);
        CHECK_FALSE(name.empty());
        CHECK(name.size() <= 120);
        CHECK(name[0] != '-');
        CHECK(name[0] != '.');
        CHECK(name.find('/') == std::string::npos);
        for (char ch : name) {
            const auto u = static_cast<unsigned char>(ch);
            CHECK(u > 0x20);
            CHECK(u < 0x7F);
        }
        CHECK(fileio::safe_file_part(id) == name);  // deterministic
        names.insert(name);
    }
    CHECK(names.size() == ids.size());  // unique
    CHECK(fileio::safe_file_part("a/b") == "a%2Fb");
    CHECK(fileio::safe_file_part("-rf") == "%2Drf");
    CHECK(fileio::safe_file_part("..") == "%2E.");
    CHECK(fileio::safe_file_part("P-001") == "P-001");
}

TEST_CASE("one writer through a symbolic link or dir/../: the second writer is refused") {
    test::TempDir tmp;
    const fs::path db = tmp.path() / "real.db";
    fs::create_directory(tmp.path() / "sub");
    fs::create_symlink("real.db", tmp.path() / "alias.db");
    {
        store::Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("L-1", "Lock Holder")});
    }
    auto holder = test::spawn(
        {test::save_loop_path().string(), "hold", db.string(), test::forms_dir().string()}, true);
    REQUIRE(holder.pid > 0);
    REQUIRE(test::read_line(holder.out) == "ready " + std::to_string(holder.pid));
    store::OpenOptions now;
    now.lock_timeout_ms = 0;
    for (const fs::path& other : {tmp.path() / "alias.db", tmp.path() / "sub" / ".." / "real.db"}) {
        CAPTURE(other);
        CHECK_THROWS_AS(store::Store(other, test::definitions(), now), store::AlreadyOpen);
        CHECK(store::WriterLock::lock_path(other) == store::WriterLock::lock_path(db));
        // The CLI says so too (exit 2), and the file is untouched.
        const auto before = fingerprint(db);
        auto r = test::cli(other, {"settings", "--clinic-name", "Intruder"});
        CHECK(r.status == 2);
        CHECK(r.err.find("already open") != std::string::npos);
        CHECK(fingerprint(db) == before);
    }
    ::kill(holder.pid, SIGKILL);
    ::close(holder.in);
    test::wait_child(holder.pid);
    ::close(holder.out);
}

namespace {

// Runs `body` in a child that cannot write `dir`: as root, a child switched to nobody (root
// ignores permissions); otherwise the folder is made 0555 for the child's time. Returns the
// child's exit status (body's return value).
int in_read_only_folder(const fs::path& dir, const std::function<int()>& body) {
    const bool root = ::geteuid() == 0;
    fs::permissions(dir.parent_path(), fs::perms(0755));
    if (root) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            REQUIRE(::chown(entry.path().c_str(), 65534, 65534) == 0);
        }
    }
    fs::permissions(dir, fs::perms(0555));
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (root && (::setgid(65534) != 0 || ::setuid(65534) != 0)) {
            ::_exit(90);
        }
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    fs::permissions(dir, fs::perms(0700));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

}  // namespace

TEST_CASE("read-only folder: --read-only and db check work, and say what they could not check") {
    test::TempDir tmp;
    const fs::path dir = tmp.path() / "ro";
    fs::create_directory(dir);
    const fs::path db = dir / "clinic.db";
    {
        store::Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("R-1", "Read Only")});
    }
    fs::remove(dir / "clinic.db.lock");
    const auto before = fingerprint(db);
    // Definitions are loaded before the switch (the forms may not be readable by nobody).
    test::definitions();
    const int listed = in_read_only_folder(dir, [&] {
        auto r = test::cli(db, {"--read-only", "list"});
        if (r.status != 0 || r.out.find("R-1") == std::string::npos) {
            std::fprintf(stderr, "list: %d %s\n", r.status, r.err.c_str());
            return 1;
        }
        if (r.err.find("note: the database's folder is read-only") == std::string::npos) {
            return 2;
        }
        auto check = test::cli(db, {"db", "check"});
        if (check.status != 0 || check.out.find("not checked: the database's folder is "
                                                "read-only") == std::string::npos) {
            std::fprintf(stderr, "check: %d %s %s\n", check.status, check.out.c_str(),
                         check.err.c_str());
            return 3;
        }
        return 0;
    });
    CHECK(listed == 0);
    CHECK(fingerprint(db) == before);
    CHECK_FALSE(fs::exists(db.string() + "-wal"));
    CHECK_FALSE(fs::exists(db.string() + "-shm"));
}

TEST_CASE("read-only folder: a -wal with unfolded changes is named, not silently skipped") {
    test::TempDir tmp;
    const fs::path dir = tmp.path() / "ro";
    fs::create_directory(dir);
    const fs::path db = dir / "clinic.db";
    {
        store::Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("W-1", "Wal Pending")});
        // Copy the pair while the log still holds the import.
        fs::copy_file(db, tmp.path() / "copy.db");
        fs::copy_file(db.string() + "-wal", tmp.path() / "copy.db-wal");
    }
    fs::remove_all(dir);
    fs::create_directory(dir);
    fs::copy_file(tmp.path() / "copy.db", db);
    fs::copy_file(tmp.path() / "copy.db-wal", db.string() + "-wal");
    REQUIRE(fs::file_size(db.string() + "-wal") > 0);
    test::definitions();
    const int status = in_read_only_folder(dir, [&] {
        auto r = test::cli(db, {"--read-only", "list"});
        if (r.status != 2) {
            return 1;
        }
        return r.err.find("write-ahead log") != std::string::npos ? 0 : 2;
    });
    CHECK(status == 0);
}

TEST_CASE("without O_TMPFILE: named temporaries, the same rules, nothing left behind") {
    fileio::set_unnamed_temporaries(false);
    struct Reset {
        ~Reset() { fileio::set_unnamed_temporaries(true); }
    } reset;
    test::TempDir tmp;
    const fs::path pdf = tmp.path() / "r.pdf";
    fileio::write_file(pdf, "%PDF-1", {}, fileio::Existing::ReplacePdf);
    CHECK(test::slurp(pdf) == "%PDF-1");
    fileio::write_file(pdf, "%PDF-2", {}, fileio::Existing::ReplacePdf);
    CHECK(test::slurp(pdf) == "%PDF-2");
    CHECK_THROWS_AS(fileio::write_file(pdf, "x", {}, fileio::Existing::Refuse),
                    fileio::OutputRefused);
    test::spit(tmp.path() / "notes.txt", "mine");
    CHECK_THROWS_AS(
        fileio::write_file(tmp.path() / "notes.txt", "%PDF-3", {}, fileio::Existing::ReplacePdf),
        fileio::OutputRefused);
    CHECK(test::slurp(tmp.path() / "notes.txt") == "mine");
    std::size_t entries = 0;
    for (const auto& entry : fs::directory_iterator(tmp.path())) {
        CHECK_FALSE(fileio::is_temporary_name(entry.path().filename().string()));
        ++entries;
    }
    CHECK(entries == 2);
    struct stat st {};
    REQUIRE(::stat(pdf.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("export: ids that are not file names still export, each under its own safe name") {
    test::TempDir tmp;
    const fs::path db = tmp.path() / "c.db";
    const std::vector<std::pair<std::string, std::string>> ids = {
        {"a/b", "a%2Fb"}, {"a%2Fb", "a%252Fb"},     {"-rf", "%2Drf"},
        {"..", "%2E."},   {".hidden", "%2Ehidden"}, {"a b", "a%20b"}};
    {
        store::Store s(db, test::definitions());
        int n = 0;
        for (const auto& [id, name] : ids) {
            s.import_assessments(
                {test::sample_assessment(id, "Export Name " + std::to_string(++n))});
        }
    }
    const fs::path out = tmp.path() / "out";
    for (const auto& [id, name] : ids) {
        CAPTURE(id);
        auto r = test::cli(db, {"export", "--patient", id, "--out", out.string()});
        CHECK(r.status == 0);
        r = test::cli(db, {"export", "--patient", id, "--csv", "--out", out.string()});
        CHECK(r.status == 0);
        CHECK(fs::is_regular_file(out / (name + "_measures.csv")));
        bool found = false;
        for (const auto& entry : fs::directory_iterator(out)) {
            const std::string file = entry.path().filename().string();
            CHECK(file[0] != '-');
            CHECK(file[0] != '.');
            found = found || file.rfind(name + "_2026-11-20_", 0) == 0;
        }
        CHECK(found);
    }
    // Nothing was written outside the folder (no "a/" subfolder, no ".." escape).
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(tmp.path())) {
        files += entry.is_regular_file() && entry.path().parent_path() == out ? 1U : 0U;
    }
    CHECK(files == 2 * ids.size());
}
