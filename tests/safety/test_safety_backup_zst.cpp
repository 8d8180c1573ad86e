// Compressed backups at practice size (issue 12): zstd daily and explicit backups, verified and
// restorable; damaged, cut-short, foreign and oversized .zst files refused; the free space
// checked first; the daily retention by count and by size budget.

#include <doctest/doctest.h>
#include <zstd.h>

#include <ctime>

#include "safety_util.hpp"
#include "store/free_space.hpp"
#include "store/store.hpp"
#include "store/zstd_file.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

using test::names_in;
using test::today_local;

// What a clinician relies on in a restored file: every record, byte for byte, and the trail.
struct Contents {
    std::int64_t patients = 0;
    std::vector<std::string> documents;
    std::vector<std::string> audit;
};

Contents contents_of(const fs::path& db) {
    Contents c;
    Connection con(db, Connection::Mode::ReadOnly);
    c.patients = con.query_int("SELECT count(*) FROM patients");
    Statement docs = con.prepare("SELECT document FROM assessments ORDER BY id");
    while (docs.step()) {
        c.documents.push_back(docs.text(0));
    }
    Statement rows = con.prepare("SELECT seq, action, summary, hash FROM audit ORDER BY seq");
    while (rows.step()) {
        c.audit.push_back(std::to_string(rows.int64(0)) + " " + rows.text(1) + " " + rows.text(2) +
                          " " + rows.text(3));
    }
    return c;
}

// The plain SQLite file inside a .zst backup, for looking at it with SQLite.
fs::path unpacked(const fs::path& zst, const fs::path& dir) {
    fs::path out = dir / (zst.stem().string() + ".unpacked");
    test::spit(out, "");
    zstd::decompress_file(zst, out, UINTMAX_MAX);
    return out;
}

// A zstd stream of `size` zero bytes whose frame does not declare its size (as a streaming
// writer that never knew it would make): a "zip bomb" as far as a reader can tell.
void write_undeclared_zeros(const fs::path& path, std::size_t size) {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    std::string zeros(1 << 20, '\0');
    std::string out(ZSTD_CStreamOutSize(), '\0');
    std::string file;
    for (std::size_t done = 0; done <= size; done += zeros.size()) {
        bool last = done + zeros.size() > size;
        ZSTD_inBuffer in{zeros.data(), last ? 0 : zeros.size(), 0};
        std::size_t left = 0;
        do {
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            left = ZSTD_compressStream2(c, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
            file.append(out.data(), o.pos);
        } while (last ? left != 0 : in.pos < in.size);
    }
    ZSTD_freeCCtx(c);
    test::spit(path, file);
}

// Puts the real free-space figure back however the test case ends.
struct FakeFreeSpace {
    explicit FakeFreeSpace(std::uintmax_t bytes) {
        set_free_space_lookup([bytes](const fs::path&) { return bytes; });
    }
    ~FakeFreeSpace() { set_free_space_lookup({}); }
};

}  // namespace

TEST_CASE("backup .zst: compressed, verified, audited with the file's SHA-256, restored whole") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    fs::path zst = tmp.path() / "saved.db.zst";
    Contents at_backup;
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("Z-1", "Zoë Zstd"),
                              test::sample_assessment("Z-2", "Zeno Zstd", "2026-11-21")});
        auto r = s.backup(zst);
        CHECK(r.compressed);
        CHECK(r.path == zst);
        CHECK(zstd::is_zstd(zst));
        CHECK(r.bytes == fs::file_size(zst));
        CHECK(r.bytes < r.database_bytes);
        CHECK(r.sha256 == file_sha256(zst));  // of the file written, not of the SQLite copy
        CHECK(zstd::declared_size(zst) == r.database_bytes);
        auto trail = s.audit_trail();
        CHECK(trail.back().action == "backup");
        CHECK(trail.back().summary.find("sha256 " + r.sha256) != std::string::npos);
        fs::path plain = unpacked(zst, tmp.path());
        CHECK(fs::file_size(plain) == r.database_bytes);
        {
            Connection c(plain, Connection::Mode::ReadOnly);
            CHECK(c.query_text("PRAGMA integrity_check") == "ok");
        }
        at_backup = contents_of(plain);
        Contents now = contents_of(db);
        CHECK(at_backup.patients == 2);
        CHECK(at_backup.documents == now.documents);
        // The database's trail: the backup's, then the row recording the backup.
        REQUIRE(now.audit.size() == at_backup.audit.size() + 1);
        CHECK(std::equal(at_backup.audit.begin(), at_backup.audit.end(), now.audit.begin()));
        s.import_assessments({test::sample_assessment("Z-3", "Later Patient")});
    }
    auto names_before = names_in(tmp.path());
    std::string zst_bytes = test::slurp(zst);
    auto r = Store::restore(db, zst);
    CHECK(r.patients == 2);
    CHECK(r.sha256 == file_sha256(zst));
    CHECK(test::slurp(zst) == zst_bytes);  // only read
    Contents restored = contents_of(db);
    CHECK(restored.patients == at_backup.patients);
    CHECK(restored.documents == at_backup.documents);
    // The trail as it was at the backup, then the restore's own row.
    REQUIRE(restored.audit.size() == at_backup.audit.size() + 1);
    CHECK(std::equal(at_backup.audit.begin(), at_backup.audit.end(), restored.audit.begin()));
    {
        Store s(db, test::definitions());
        CHECK(s.verify_audit().ok);
        CHECK(s.audit_trail().back().summary.find("restored from " + zst.string() + " (sha256 " +
                                                  r.sha256) != std::string::npos);
    }
    // No temporary left behind: the restore added only the previous file kept aside (with its
    // chain record).
    auto names = names_in(tmp.path());
    CHECK(names.size() == names_before.size() + 2);
    CHECK(std::none_of(names.begin(), names.end(), [](const std::string& n) {
        return n.find(".myoscreen-tmp-") != std::string::npos;
    }));

    // The CLI: PATH.zst is compressed, PATH.db the plain SQLite file sqlite3 opens.
    auto cz = test::cli(db, {"db", "backup", (tmp.path() / "cli.db.zst").string()});
    CHECK(cz.status == 0);
    CHECK(cz.out.find(" bytes, zstd-compressed from ") != std::string::npos);
    CHECK(zstd::is_zstd(tmp.path() / "cli.db.zst"));
    auto cp = test::cli(db, {"db", "backup", (tmp.path() / "cli.db").string()});
    CHECK(cp.status == 0);
    CHECK(cp.out.find("zstd") == std::string::npos);
    CHECK_FALSE(zstd::is_zstd(tmp.path() / "cli.db"));
    CHECK(test::slurp(tmp.path() / "cli.db").rfind("SQLite format 3", 0) == 0);
    auto back = test::cli(db, {"db", "restore", (tmp.path() / "cli.db.zst").string()});
    CHECK(back.status == 0);
    CHECK(back.out.find("(2 patients, ") != std::string::npos);
}

TEST_CASE("daily backup .zst: today's compressed backup, an old plain one still restores") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "data" / "myoscreen.db";
    fs::path today;
    fs::path plain = tmp.path() / "myoscreen-2025-01-01.db";
    Contents expected;
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("B-1", "Backup Daily")});
        auto made = s.daily_backup();
        REQUIRE(made.has_value());
        today = s.backup_folder() / ("myoscreen-" + today_local() + ".db.zst");
        CHECK(made->path == today);
        CHECK(made->compressed);
        CHECK(made->sha256 == file_sha256(today));
        CHECK_FALSE(s.daily_backup().has_value());  // once a day
        // An older MyoScreen's plain daily backup of today counts as today's.
        fs::path other = tmp.path() / "other";
        fs::create_directories(other);
        test::spit(other / ("myoscreen-" + today_local() + ".db"), "");
        CHECK_FALSE(s.daily_backup(other).has_value());
        // A plain backup, as an older MyoScreen wrote them.
        s.backup(plain);
        s.import_assessments({test::sample_assessment("B-2", "After Backups")});
        expected = contents_of(unpacked(today, tmp.path()));
    }
    auto r1 = Store::restore(db, plain);
    CHECK(r1.patients == 1);
    auto r2 = Store::restore(db, today);
    CHECK(r2.patients == 1);
    CHECK(contents_of(db).documents == expected.documents);
}

TEST_CASE("restore .zst: damaged, cut short, foreign, not zstd or too big: refused, unchanged") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    fs::path good = tmp.path() / "good.db.zst";
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("Q-1", "Quiet One")});
        s.backup(good);
    }
    const std::string bytes = test::slurp(good);
    REQUIRE(bytes.size() > 200);
    fs::path cut = tmp.path() / "cut.db.zst";
    test::spit(cut, bytes.substr(0, bytes.size() / 2));
    fs::path flipped = tmp.path() / "flipped.db.zst";
    {
        std::string b = bytes;
        b[b.size() - 12] = static_cast<char>(b[b.size() - 12] ^ 0x5A);  // near the end: the data
        test::spit(flipped, b);
    }
    fs::path last_bytes = tmp.path() / "checksum.db.zst";
    {
        std::string b = bytes;
        b.back() = static_cast<char>(b.back() ^ 0x01);  // the frame's checksum itself
        test::spit(last_bytes, b);
    }
    fs::path trailing = tmp.path() / "trailing.db.zst";
    test::spit(trailing, bytes + "some notes appended");
    fs::path text = tmp.path() / "notes.db.zst";
    test::spit(text, "not compressed at all, just some notes of a clinician");
    fs::path foreign = tmp.path() / "foreign.txt.zst";  // whole zstd, but of a text file
    {
        fs::path t = tmp.path() / "foreign.txt";
        test::spit(t, std::string(100000, 'x'));
        test::spit(foreign, "");
        zstd::compress_file(t, foreign, 3, 0);
    }
    fs::path bomb = tmp.path() / "bomb.db.zst";  // 64 MB of zeros, size not declared
    write_undeclared_zeros(bomb, 64u << 20);
    REQUIRE_FALSE(zstd::declared_size(bomb).has_value());

    const std::string before = test::slurp(db);
    const auto names_before = names_in(tmp.path());
    struct Case {
        fs::path file;
        std::string says;
    };
    const Case cases[] = {
        {cut, cut.string() + " is cut short (the compressed data ends in the middle); it cannot "
                             "be restored; the current database was not changed"},
        {flipped, flipped.string() + " is damaged: "},
        {last_bytes, last_bytes.string() + " is damaged: Restored data doesn't match checksum"},
        {trailing, trailing.string() + " is damaged: "},
        {text, text.string() + " cannot be restored: "},
        {foreign, foreign.string() + " cannot be restored: "},
    };
    for (const auto& c : cases) {
        CAPTURE(c.file);
        try {
            Store::restore(db, c.file);
            FAIL("restored");
        } catch (const RestoreFailed& e) {
            CHECK(std::string(e.what()).rfind(c.says, 0) == 0);
            CHECK(std::string(e.what()).find("the current database was not changed") !=
                  std::string::npos);
        }
        CHECK(test::slurp(db) == before);
        CHECK(names_in(tmp.path()) == names_before);  // no temporary, nothing set aside
    }
    {
        // Undeclared size: never more output than the free space allows.
        FakeFreeSpace room(8u << 20);
        try {
            Store::restore(db, bomb);
            FAIL("restored");
        } catch (const RestoreFailed& e) {
            CHECK(std::string(e.what()) ==
                  bomb.string() +
                      " would decompress to more than 8388608 bytes, more than there is room "
                      "for; it cannot be restored; the current database was not changed");
        }
        CHECK(test::slurp(db) == before);
        CHECK(names_in(tmp.path()) == names_before);
    }
    auto r = test::cli(db, {"db", "restore", cut.string()});
    CHECK(r.status == 2);
    CHECK(r.err.find(cut.string() + " is cut short") != std::string::npos);
}

TEST_CASE("free space: a backup or restore that does not fit is refused first, nothing written") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "data" / "myoscreen.db";
    fs::path good = tmp.path() / "good.db.zst";
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("F-1", "Free Space")});
        s.backup(good);
    }
    const std::uintmax_t pages = fs::file_size(unpacked(good, tmp.path()));
    {
        Store s(db, test::definitions());
        const auto trail_before = s.audit_trail().size();
        FakeFreeSpace full(1000);
        fs::path target = tmp.path() / "out" / "x.db.zst";
        try {
            s.backup(target);
            FAIL("backed up");
        } catch (const BackupFailed& e) {
            CHECK(std::string(e.what()) ==
                  "not enough free space in " + (tmp.path() / "out").string() +
                      " for the backup x.db.zst: it needs " + human_bytes(pages + pages / 2) +
                      ", 1.0 kB are free; nothing was written (free some space there)");
        }
        CHECK(names_in(tmp.path() / "out").empty());
        try {
            s.daily_backup();
            FAIL("backed up");
        } catch (const BackupFailed& e) {
            CHECK(std::string(e.what()).rfind("not enough free space in " +
                                                  s.backup_folder().string() +
                                                  " for the backup myoscreen-",
                                              0) == 0);
        }
        CHECK(names_in(s.backup_folder()).empty());
        CHECK(s.audit_trail().size() == trail_before);
        // The CLI: exit 2 with the message.
        auto r = test::cli(db, {"db", "backup", (tmp.path() / "cli.db").string()});
        CHECK(r.status == 2);
        CHECK(r.err.find("not enough free space in " + tmp.path().string() +
                         " for the backup cli.db: it needs " + human_bytes(pages) +
                         ", 1.0 kB are free") != std::string::npos);
        CHECK_FALSE(fs::exists(tmp.path() / "cli.db"));
    }
    {
        // Just enough for the plain copy, not for the compressed file beside it.
        Store s(db, test::definitions());
        FakeFreeSpace some(pages + 10);
        CHECK_THROWS_AS(s.backup(tmp.path() / "y.db.zst"), BackupFailed);
        CHECK_FALSE(fs::exists(tmp.path() / "y.db.zst"));
        CHECK_NOTHROW(s.backup(tmp.path() / "y.db"));
    }
    const std::string before = test::slurp(db);
    {
        FakeFreeSpace full(1000);
        try {
            Store::restore(db, good);
            FAIL("restored");
        } catch (const RestoreFailed& e) {
            CHECK(std::string(e.what()) ==
                  "not enough free space in " + db.parent_path().string() +
                      " for restoring good.db.zst: it needs " + human_bytes(pages) +
                      ", 1.0 kB are free; nothing was written (free some space there); the "
                      "current database was not changed");
        }
    }
    CHECK(test::slurp(db) == before);
    CHECK(Store::restore(db, good).patients == 1);
}

TEST_CASE("daily retention: the newest 14 within the size budget; the newest always kept") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    Store s(db, test::definitions());
    s.import_assessments({test::sample_assessment("K-1", "Keep Count")});
    fs::path dir = tmp.path() / "backups";
    auto day = [](int d, const char* ext) {
        char name[40];
        std::snprintf(name, sizeof name, "myoscreen-2025-01-%02d%s", d, ext);
        return std::string(name);
    };
    auto fill = [&]() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        // Days 1-10 plain (an older MyoScreen's, 1000 bytes), 11-20 compressed (100 bytes),
        // a user's own copy and a before-delete backup (large: never counted nor deleted).
        for (int d = 1; d <= 10; ++d) {
            test::spit(dir / day(d, ".db"), std::string(1000, 'p'));
        }
        for (int d = 11; d <= 20; ++d) {
            test::spit(dir / day(d, ".db.zst"), std::string(100, 'z'));
        }
        test::spit(dir / "mine.db", std::string(100000, 'm'));
        test::spit(dir / "myoscreen-before-delete-20250101T000000Z.db.zst",
                   std::string(100000, 'd'));
    };
    const std::string today = "myoscreen-" + today_local() + ".db.zst";
    auto kept = [&]() {
        std::vector<std::string> out;
        for (const auto& n : names_in(dir)) {
            if (n != "mine.db" && n.find("before-delete") == std::string::npos) {
                out.push_back(n);
            }
        }
        return out;
    };
    auto expect = [&](int from_day) {
        std::vector<std::string> out;
        for (int d = from_day; d <= 20; ++d) {
            out.push_back(day(d, d <= 10 ? ".db" : ".db.zst"));
        }
        out.push_back(today);
        return out;
    };

    // By count: 14 kept (today's and 13 before it), plenty of budget.
    fill();
    REQUIRE(s.daily_backup(dir, 14, 1000000000).has_value());
    CHECK(kept() == expect(8));
    CHECK(fs::exists(dir / "mine.db"));
    CHECK(fs::exists(dir / "myoscreen-before-delete-20250101T000000Z.db.zst"));

    // By budget: today's, ten compressed days and two plain ones fit in today's + 3000 bytes;
    // what is kept is the newest days without a gap.
    const auto todays = fs::file_size(dir / today);
    for (std::uintmax_t extra : {std::uintmax_t{3000}, std::uintmax_t{3500}}) {
        fill();
        test::spit(dir / today, std::string(todays, 't'));
        CHECK_FALSE(s.daily_backup(dir, 14, todays + extra).has_value());  // today's is there
        CHECK(kept() == expect(9));
    }

    // A budget smaller than the newest backup: the newest stays, every other daily goes.
    fill();
    test::spit(dir / today, std::string(todays, 't'));
    CHECK_FALSE(s.daily_backup(dir, 14, 1).has_value());
    CHECK(kept() == std::vector<std::string>{today});
    CHECK(fs::exists(dir / "mine.db"));

    // The default budget: four times the database's size.
    fill();
    const auto db_size = static_cast<std::uintmax_t>(s.connection().query_int("PRAGMA page_count") *
                                                     s.connection().query_int("PRAGMA page_size"));
    test::spit(dir / today, std::string(kDailyBudgetFactor * db_size - 2500, 't'));
    CHECK_FALSE(s.daily_backup(dir).has_value());
    CHECK(kept() == expect(10));

    // The CLI: --keep and --budget for the daily backup; a size it cannot read is refused.
    fs::remove_all(s.backup_folder());
    auto r = test::cli(db, {"db", "backup", "--keep", "3", "--budget", "20 GB"});
    CHECK(r.status == 0);
    CHECK(r.out.find("daily backup written and verified: " +
                     (s.backup_folder() / today).string()) == 0);
    auto bad = test::cli(db, {"db", "backup", "--budget", "lots"});
    CHECK(bad.status == 2);
    CHECK(bad.err.find("--budget: \"lots\" is not a size; give it like 20GB, 500MB or 1.5TB") !=
          std::string::npos);
    auto escape = test::cli(db, {"db", "backup", "--budget", "9\x1b[2J"});
    CHECK(escape.status == 2);
    CHECK(escape.err.find("--budget: \"9\\u001B[2J\" is not a size") != std::string::npos);
    CHECK(escape.err.find('\x1b') == std::string::npos);
    auto with_path = test::cli(db, {"db", "backup", (tmp.path() / "p.db").string(), "--keep", "3"});
    CHECK(with_path.status == 2);
    CHECK(with_path.err.find("--keep and --budget are for the daily backup") != std::string::npos);
}
