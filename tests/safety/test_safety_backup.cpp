// Daily verified backups keeping the newest 14, db restore, and deleting a patient (issue 7).

#include <doctest/doctest.h>

#include <ctime>

#include "safety_util.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"
#include "store/zstd_file.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;

namespace {

using test::names_in;
using test::today_local;

}  // namespace

TEST_CASE("daily backup: one verified backup a day into backups/, the newest 14 kept") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "data" / "myoscreen.db";
    Store s(db, test::definitions());
    s.import_assessments({test::sample_assessment("B-1", "Backup Daily")});
    CHECK(s.backup_folder() == tmp.path() / "data" / "backups");

    auto first = s.daily_backup();
    REQUIRE(first.has_value());
    fs::path today = s.backup_folder() / ("myoscreen-" + today_local() + ".db.zst");
    CHECK(first->path == today);
    CHECK(first->sha256 == file_sha256(today));
    {
        fs::path plain = tmp.path() / "today.db";
        test::spit(plain, "");
        zstd::decompress_file(today, plain, UINTMAX_MAX);
        Connection c(plain, Connection::Mode::ReadOnly);
        CHECK(c.query_text("PRAGMA integrity_check") == "ok");
        CHECK(c.query_int("SELECT count(*) FROM patients") == 1);
    }
    auto trail = s.audit_trail();
    REQUIRE_FALSE(trail.empty());
    CHECK(trail.back().action == "backup");
    CHECK(trail.back().summary.find(first->sha256) != std::string::npos);
    CHECK_FALSE(s.daily_backup().has_value());  // once a day

    // Twenty older daily backups, a user's own copy and a before-delete one.
    // A daily backup's name for a day of January 2025 (myoscreen-2025-01-07.db).
    auto daily_name = [](int day) {
        return std::string("myoscreen-2025-01-") + (day < 10 ? "0" : "") + std::to_string(day) +
               ".db";
    };
    for (int day = 1; day <= 20; ++day) {
        fs::copy_file(today, s.backup_folder() / daily_name(day));
    }
    fs::copy_file(today, s.backup_folder() / "mine.db");
    fs::copy_file(today, s.backup_folder() / "myoscreen-before-delete-20250101T000000Z-1.db");
    CHECK_FALSE(s.daily_backup().has_value());
    auto names = names_in(s.backup_folder());
    std::vector<std::string> expected = {"mine.db"};
    for (int day = 8; day <= 20; ++day) {
        expected.emplace_back(daily_name(day));
    }
    expected.push_back("myoscreen-" + today_local() + ".db.zst");
    expected.emplace_back("myoscreen-before-delete-20250101T000000Z-1.db");
    std::sort(expected.begin(), expected.end());
    CHECK(names == expected);

    // The CLI: db backup without PATH is the daily backup.
    auto r = test::cli(db, {"db", "backup"});
    CHECK(r.status == 0);
    CHECK(r.out == "today's backup exists already in " + s.backup_folder().string() + "\n");
}

TEST_CASE("restore: a checked backup replaces the database; the old file is kept; audited") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    fs::path backup = tmp.path() / "saved.db";
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("R-1", "Restore One")});
        s.backup(backup);
        s.import_assessments({test::sample_assessment("R-2", "Restore Two")});
    }
    std::string backup_bytes = test::slurp(backup);
    auto r = Store::restore(db, backup);
    CHECK(r.restored_from == backup);
    CHECK(r.sha256 == file_sha256(backup));
    CHECK(r.patients == 1);
    CHECK(test::slurp(backup) == backup_bytes);  // the backup itself is only read
    REQUIRE_FALSE(r.previous_kept_as.empty());
    CHECK(r.previous_kept_as.string().rfind(db.string() + ".before-restore-", 0) == 0);
    {
        Store s(db, test::definitions());
        CHECK(s.list_patients().size() == 1);
        CHECK(s.find_patient("R-1").has_value());
        auto trail = s.audit_trail();
        REQUIRE_FALSE(trail.empty());
        CHECK(trail.back().action == "restore");
        CHECK(trail.back().summary.find(r.sha256) != std::string::npos);
        CHECK(trail.back().summary.find(r.previous_kept_as.string()) != std::string::npos);
        CHECK(s.verify_audit().ok);
    }
    {
        Store previous(r.previous_kept_as, test::definitions());
        CHECK(previous.list_patients().size() == 2);
    }
    // A first restore on a new machine: no database, not even its folder, yet.
    fs::path fresh = tmp.path() / "new-machine" / "data" / "myoscreen.db";
    auto first = Store::restore(fresh, backup);
    CHECK(first.previous_kept_as.empty());
    CHECK(Store(fresh, test::definitions()).find_patient("R-1").has_value());
    // An older schema's backup is upgraded on the way in.
    fs::path v3 = tmp.path() / "v3-backup.db";
    fs::copy_file(test::data_dir() / "store" / "schema_v3.db", v3);
    auto cli = test::cli(db, {"db", "restore", v3.string()});
    CHECK(cli.status == 0);
    CHECK(cli.out.find("restored " + db.string() + " from " + v3.string() +
                       " (6 patients, 6 "
                       "assessments") == 0);
    Store s(db, test::definitions());
    CHECK(s.connection().query_int("PRAGMA user_version") == kSchemaVersion);
    CHECK(s.list_patients().size() == 6);
    auto trail = s.audit_trail();
    REQUIRE(trail.size() == 3);
    CHECK(trail[0].action == "audit-start");
    CHECK(trail[1].action == "schema");  // the upgrade to 5 records the records' digest
    CHECK(trail[2].action == "restore");
}

TEST_CASE("restore: refuses foreign, newer, damaged and missing backups; nothing changes") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    fs::path good = tmp.path() / "good.db";
    {
        Store s(db, test::definitions());
        s.import_assessments({test::sample_assessment("Q-1", "Quiet One")});
        s.backup(good);
    }
    std::string before = test::slurp(db);
    fs::path foreign = tmp.path() / "foreign.db";
    {
        Connection c(foreign, Connection::Mode::ReadWriteCreate);
        c.exec("CREATE TABLE t (x); PRAGMA application_id = 42");
    }
    fs::path newer = tmp.path() / "newer.db";
    fs::copy_file(good, newer);
    {
        Connection c(newer, Connection::Mode::ReadWrite);
        c.exec("PRAGMA user_version = 99");
    }
    fs::path damaged = tmp.path() / "damaged.db";
    {
        std::string bytes = test::slurp(good);
        for (std::size_t i = 4096; i < 4096 + 8; ++i) {  // page 2's b-tree header
            bytes[i] = '\x5A';
        }
        test::spit(damaged, bytes);
    }
    fs::path text = tmp.path() / "notes.txt";
    test::spit(text, "not a database at all, just some notes of a clinician");
    for (const auto& p : {foreign, newer, damaged, text, tmp.path() / "missing.db", db}) {
        CAPTURE(p);
        CHECK_THROWS_AS(Store::restore(db, p), RestoreFailed);
        CHECK(test::slurp(db) == before);
    }
    // Not while this process, or another, has the database open.
    {
        Store open(db, test::definitions());
        CHECK_THROWS_AS(Store::restore(db, good), StoreError);
    }
    CHECK(test::slurp(db) == before);
    auto names = names_in(tmp.path());
    CHECK(std::none_of(names.begin(), names.end(), [](const std::string& n) {
        return n.find("before-restore") != std::string::npos ||
               n.find(".restoring-") != std::string::npos;
    }));
}

TEST_CASE("delete: needs the patient's name, takes a backup first, removes finals, audited") {
    test::TempDir tmp;
    fs::path db = tmp.path() / "myoscreen.db";
    Store s(db, test::definitions());
    auto gone = s.import_assessments({test::sample_assessment("D-1", "Dörte Delete")})[0].id;
    auto fix = s.amend(gone);
    s.finalize(fix);
    s.create_draft(test::sample_assessment("D-1", "Dörte Delete", "2026-11-21"));
    s.set_baseline("D-1", gone);
    s.import_assessments({test::sample_assessment("D-2", "Keep Me")});
    // Outside a deletion, a final stays undeletable.
    CHECK_THROWS(s.connection().exec("DELETE FROM assessments WHERE id = 1"));

    CHECK_THROWS_AS(s.delete_patient("D-1", "Dorte Delete"), NotEditable);
    CHECK_THROWS_AS(s.delete_patient("D-9", "Nobody"), NotFound);
    CHECK(s.history("D-1").size() == 3);
    CHECK_FALSE(fs::exists(s.backup_folder()));  // refused before any backup

    auto r = s.delete_patient("D-1", "Dörte Delete");
    CHECK(r.assessments == 3);
    CHECK(fs::exists(r.backup.path));
    CHECK(r.backup.path.parent_path() == s.backup_folder());
    CHECK(r.backup.path.filename().string().rfind("myoscreen-before-delete-", 0) == 0);
    CHECK(r.backup.path.extension() == ".zst");
    {
        fs::path plain = tmp.path() / "before-delete.db";
        test::spit(plain, "");
        zstd::decompress_file(r.backup.path, plain, UINTMAX_MAX);
        Connection c(plain, Connection::Mode::ReadOnly);
        CHECK(c.query_int("SELECT count(*) FROM assessments") == 4);
    }
    CHECK_FALSE(s.find_patient("D-1").has_value());
    CHECK(s.list_patients("dorte").empty());
    CHECK(s.list_patients().size() == 1);
    CHECK(s.connection().query_int("SELECT count(*) FROM assessments") == 1);
    CHECK(s.connection().query_int("SELECT count(*) FROM deletion_in_progress") == 0);
    CHECK(s.connection().query_int("SELECT count(*) FROM pragma_foreign_key_check") == 0);
    auto trail = s.audit_trail(std::string("D-1"));
    REQUIRE_FALSE(trail.empty());
    CHECK(trail.back().action == "delete");
    CHECK(trail.back().summary.find("3 assessments (2 final, 1 draft)") != std::string::npos);
    CHECK(trail.back().summary.find("Dörte") == std::string::npos);  // ids only in the trail
    auto all = s.audit_trail();
    CHECK(all[all.size() - 2].action == "backup");
    CHECK(s.verify_audit().ok);

    // The CLI verb.
    auto wrong = test::cli(db, {"delete", "--patient", "D-2", "--confirm", "keep me"});
    CHECK(wrong.status == 2);
    CHECK(wrong.err.find("is not the name of patient \"D-2\"") != std::string::npos);
    auto ok = test::cli(db, {"delete", "--patient", "D-2", "--confirm", "Keep Me"});
    CHECK(ok.status == 0);
    CHECK(ok.out.find("patient D-2 deleted with 1 assessments; backup taken before: ") == 0);
    CHECK(s.list_patients().empty());
}
