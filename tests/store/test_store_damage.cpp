// Issue 12: opening checks only what is cheap (header, size, application id, schema, the
// write-ahead log's header, the tamper checks of depth Quick); the whole-file quick_check runs
// with --check (OpenOptions::quick_check), db check, backup and restore. A damaged page is met
// when it is first read: every store operation then refuses with Damaged (the file, SQLite's
// words, the advice), a write is rolled back, and the CLI exits 2 with that message.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "store/connection.hpp"
#include "store/document_check.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;
using myo::test::TempDir;

namespace {

// A closed store (its log folded into the file) of 40 patients with one final visit each.
fs::path make_store(const fs::path& dir) {
    fs::path p = dir / "practice.db";
    Store s(p, test::definitions());
    for (int i = 0; i < 40; ++i) {
        s.import_assessments(
            {test::sample_assessment("D" + std::to_string(i), "Damaged Dan " + std::to_string(i))});
    }
    return p;
}

// The first page of a table or index (its root), from the schema.
std::int64_t root_page(const fs::path& p, const std::string& name) {
    std::int64_t page = 0;
    {
        Connection c(p, Connection::Mode::ReadOnly);
        Statement s = c.prepare("SELECT rootpage FROM sqlite_schema WHERE name = ?1");
        s.bind(1, name);
        REQUIRE(s.step());
        page = s.int64(0);
    }
    // A read-only connection leaves an empty -wal and -shm behind: the file alone is the store.
    REQUIRE(fs::file_size(p.string() + "-wal") == 0);
    fs::remove(p.string() + "-wal");
    fs::remove(p.string() + "-shm");
    return page;
}

// Scribbles over a whole page (1-based), as a disk fault would.
void scribble_page(const fs::path& p, std::int64_t page) {
    REQUIRE_FALSE(fs::exists(p.string() + "-wal"));
    std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>((page - 1) * 4096));
    std::string junk(4096, '\x5A');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

void check_damaged_message(const std::string& m, const fs::path& p) {
    CHECK(m.find(fs::absolute(p).string() + " is damaged: SQLite reports \"") == 0);
    CHECK(m.find("so this action was not done and nothing was changed") != std::string::npos);
    CHECK(m.find("Restore it from a backup (db restore)") != std::string::npos);
    CHECK(m.find("db check' lists every damaged part") != std::string::npos);
}

template <class F>
std::string damaged_message_of(F&& f) {
    try {
        f();
    } catch (const Damaged& e) {
        return e.what();
    }
    FAIL("no Damaged refusal");
    return {};
}

}  // namespace

// Every case here is about the SQLite file itself (its header, pages, WAL, lock, migrations
// of the file): the PostgreSQL run of the suite leaves them out (tests/store/CMakeLists.txt).
TEST_SUITE_BEGIN("sqlite file");

TEST_CASE("damage: a damaged index page is met by the patient list and the search, not opening") {
    TempDir tmp;
    fs::path p = make_store(tmp.path());
    scribble_page(p, root_page(p, "patients_by_sort_name"));
    const std::string before = test::slurp(p);
    {
        Store s(p, test::definitions());  // the cheap checks do not read the index
        check_damaged_message(damaged_message_of([&] { s.list_patients(); }), p);
        // The store stays usable for what is not damaged.
        CHECK(s.history("D3").size() == 1);
    }
    CHECK(test::slurp(p) == before);

    fs::path q = make_store(tmp.path() / "b");
    scribble_page(q, root_page(q, "patient_terms"));
    {
        Store s(q, test::definitions());
        check_damaged_message(damaged_message_of([&] { s.list_patients("damaged"); }), q);
        check_damaged_message(damaged_message_of([&] { s.count_patients("dan"); }), q);
    }
    // The CLI: exit 2, the message, no internal error.
    auto r = test::cli(q, {"list", "--search", "dan"});
    CHECK(r.status == 2);
    CHECK(r.err.find("myoscreen-cli: " + fs::absolute(q).string() + " is damaged: SQLite") == 0);
    CHECK(r.err.find("internal error") == std::string::npos);
}

TEST_CASE("damage: a damaged assessment page is met by history, export and the report") {
    TempDir tmp;
    fs::path p = make_store(tmp.path());
    scribble_page(p, root_page(p, "assessments"));
    {
        Store s(p, test::definitions());
        check_damaged_message(damaged_message_of([&] { s.history("D1"); }), p);
        check_damaged_message(damaged_message_of([&] { s.load(1); }), p);
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"history", "D1"},
             {"export", "--assessment", "1"},
             {"evaluate", "--assessment", "1"},
             {"report", "--assessment", "1", "-o", (tmp.path() / "x.pdf").string()}}) {
        CAPTURE(args.front());
        auto r = test::cli(p, args);
        CHECK(r.status == 2);
        CHECK(r.err.find(" is damaged: SQLite reports \"") != std::string::npos);
        CHECK(r.out.find("\"answers\"") == std::string::npos);  // nothing exported
    }
    CHECK_FALSE(fs::exists(tmp.path() / "x.pdf"));
}

TEST_CASE("damage: a write that meets a damaged page is rolled back; the file is unchanged") {
    TempDir tmp;
    fs::path p = make_store(tmp.path());
    scribble_page(p, root_page(p, "assessments"));
    const std::string before = test::slurp(p);
    {
        Store s(p, test::definitions());
        const auto trail = s.audit_trail().size();
        check_damaged_message(
            damaged_message_of([&] { s.create_draft(test::sample_assessment("NEW", "New Nora")); }),
            p);
        // Nothing of the write stayed: no patient, no audit row; the store still answers.
        CHECK_FALSE(s.find_patient("NEW"));
        CHECK(s.audit_trail().size() == trail);
        s.save_settings({"Clinic", "Street", "Dr Who"});  // an undamaged part is still written
    }
    // The settings change is in the file now; the failed draft is not.
    {
        Store s(p, test::definitions());
        CHECK(s.load_settings().clinician_name == "Dr Who");
        CHECK_FALSE(s.find_patient("NEW"));
    }
    fs::path q = make_store(tmp.path() / "b");
    scribble_page(q, root_page(q, "assessments"));
    const std::string q_before = test::slurp(q);
    auto r = test::cli(q, {"import", (tmp.path() / "none.json").string()});
    CHECK(r.status == 2);  // the file is missing: refused before opening
    {
        Store s(q, test::definitions());
        CHECK_THROWS_AS(s.import_assessments({test::sample_assessment("NEW", "New Nora")}),
                        Damaged);
    }
    CHECK(test::slurp(q) == q_before);
    CHECK_FALSE(fs::exists(q.string() + "-wal"));
}

TEST_CASE(
    "damage: --check (quick_check on opening) and db check refuse what opening does not read") {
    TempDir tmp;
    fs::path p = make_store(tmp.path());
    scribble_page(p, root_page(p, "patients_by_sort_name"));
    const std::string before = test::slurp(p);
    OpenOptions check;
    check.quick_check = true;
    try {
        Store s(p, test::definitions(), check);
        FAIL("--check opened a damaged file");
    } catch (const OpenRefused& e) {
        CHECK(e.reason() == Refusal::FailedCheck);
        CHECK(std::string(e.what()).find(p.string() +
                                         " is damaged: SQLite's quick_check reports") == 0);
    }
    CHECK(test::slurp(p) == before);
    auto r = test::cli(p, {"--check", "list"});
    CHECK(r.status == 2);
    CHECK(r.err.find("is damaged: SQLite's quick_check reports") != std::string::npos);
    CHECK(r.err.find("was left untouched") != std::string::npos);
    // Without --check the command runs, and meets the damage where it reads it.
    r = test::cli(p, {"list"});
    CHECK(r.status == 2);
    CHECK(r.err.find("is damaged: SQLite reports") != std::string::npos);
    // History does not read the damaged index: it answers.
    r = test::cli(p, {"history", "D1"});
    CHECK(r.status == 0);
    CHECK_FALSE(check_database(p).ok);
    CHECK(test::cli(p, {"db", "check"}).status != 0);
}

TEST_CASE("damage: a write-ahead log whose header is not sound is refused on opening") {
    TempDir tmp;
    fs::path p = make_store(tmp.path());
    // A log with committed changes: a second connection keeps the log from being folded in.
    fs::path saved = tmp.path() / "with-log";
    fs::create_directories(saved);
    {
        Store s(p, test::definitions());
        Connection hold(p, Connection::Mode::ReadOnly);
        hold.exec("BEGIN");
        hold.query_int("SELECT count(*) FROM patients");
        s.save_settings({"Clinic", "Street", "Dr Log"});
        REQUIRE(fs::file_size(p.string() + "-wal") > 32);
        fs::copy_file(p, saved / "practice.db");
        fs::copy_file(p.string() + "-wal", saved / "practice.db-wal");
        fs::copy_file(p.string() + ".chain", saved / "practice.db.chain");
    }
    const fs::path db = saved / "practice.db";
    const fs::path wal = saved / "practice.db-wal";
    const std::string good_log = test::slurp(wal);
    auto refused_with = [&](const std::string& log, const std::string& words) {
        CAPTURE(words);
        test::spit(wal, log);
        const std::string file = test::slurp(db);
        for (bool read_only : {false, true}) {
            OpenOptions o;
            o.read_only = read_only;
            try {
                Store s(db, test::definitions(), o);
                FAIL("opened a store whose log is not sound");
            } catch (const OpenRefused& e) {
                CHECK(e.reason() == Refusal::FailedCheck);
                CHECK(std::string(e.what()).find(db.string() + " is damaged: its write-ahead log " +
                                                 wal.string() + words) == 0);
                CHECK(std::string(e.what()).find("was left untouched") != std::string::npos);
            }
            CHECK(test::slurp(db) == file);
            CHECK(test::slurp(wal) == log);
        }
        CheckReport r = check_database(db);
        CHECK_FALSE(r.ok);
        CHECK(test::slurp(wal) == log);
    };
    std::string bad = good_log;
    bad[0] = 'X';  // not a log at all
    refused_with(bad, " is not a SQLite write-ahead log (its header is wrong)");
    refused_with(std::string(good_log.size(), '\0'), " is not a SQLite write-ahead log");
    bad = good_log;
    bad[17] = static_cast<char>(bad[17] ^ 0x01);  // a salt's bit: the header's checksum fails
    refused_with(bad, " is damaged (its header's checksum does not match)");
    bad = good_log;
    bad[10] = static_cast<char>(bad[10] ^ 0x30);  // another page size (8192 or 16384...)
    refused_with(bad, " does not belong to the database (its page size is ");
    // The sound log opens, and its committed change is there.
    test::spit(wal, good_log);
    Store s(db, test::definitions());
    CHECK(s.load_settings().clinician_name == "Dr Log");
}

TEST_SUITE_END();

TEST_CASE("damage: db check counts every unreadable document, not its messages") {
    // 25 stored documents that no longer parse: 20 are named, then "and 5 more"; the fact says
    // 25 (it said 21, the number of messages). One reader serves both backends' db check.
    UnreadableDocuments documents(test::definitions());
    documents.check(1, std::string("P-1"), R"({"format": "myoscreen-assessment"})");
    for (std::int64_t id = 2; id <= 25; ++id) {
        documents.check(id, std::nullopt, "not json");
    }
    DocumentCheck found = documents.result();
    CHECK(found.unreadable == 25);
    REQUIRE(found.messages.size() == 21);
    CHECK(found.messages.front().rfind("assessment 1 (patient P-1): its stored document does "
                                       "not parse as an assessment (",
                                       0) == 0);
    CHECK(found.messages[1].rfind("assessment 2 (patient ?)", 0) == 0);
    CHECK(found.messages.back() == "and 5 more stored documents do not parse");
    CheckReport r;
    add_record_facts(r, found, 3, 20, 5);
    CHECK_FALSE(r.ok);
    CHECK(r.problems.size() == 21);
    REQUIRE(r.facts.size() == 3);
    CHECK(r.facts[0] == std::pair<std::string, std::string>{"stored documents", "25 do not parse"});
    CHECK(r.facts[2] == std::pair<std::string, std::string>{"assessments", "20 final, 5 draft"});

    // A readable one adds nothing.
    UnreadableDocuments clean(test::definitions());
    CheckReport fine;
    add_record_facts(fine, clean.result(), 0, 0, 0);
    CHECK(fine.facts[0].second == "all parse");
}
