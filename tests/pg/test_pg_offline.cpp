// The offline journal and its replay (issue 14, store/offline_journal.hpp) against the real
// private server: changes recorded while the server was away arrive in order with the version
// check; a conflict stays for the person; a replay interrupted between the server's commit
// and the journal's (a crash, a kill) sends nothing twice: no duplicate visit, no double
// sign-off.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/json_util.hpp"
#include "pg_fixture.hpp"
#include "store/connection.hpp"
#include "store/offline_journal.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;
namespace fs = std::filesystem;
using store::JournalEntry;
using store::OfflineJournal;

namespace {

struct ClinicDb {
    ScratchDatabase db;
    explicit ClinicDb(const std::string& admin) : db(admin) {
        init_clinic(db, {"t.okafor", "m.silva"});
    }
    std::string as(const std::string& login) const { return db.conninfo(login); }
    std::int64_t count(const char* sql) const { return db.admin().query_int(sql); }
};

Assessment sample(const std::string& id, const std::string& name) {
    Assessment a = vignette_assessment(vignette_files().front());
    a.patient.id = id;
    a.patient.name = name;
    a.date = "2026-11-20";
    a.answers = Json::object();
    return a;
}

// A journal as an offline session leaves it: a visit created offline and saved twice then
// signed off; an existing draft saved twice.
struct OfflineSession {
    std::int64_t existing = 0;
    std::int64_t existing_version = 0;
    Assessment created;
    Assessment existing_doc;
    void prepare(store::Store& s) {
        existing_doc = sample("P-1", "Ana Souza");
        existing = s.create_draft(existing_doc);
        existing_version = s.info(existing).row_version;
    }
    void record(OfflineJournal&& j) const { record(j); }
    void record(OfflineJournal& j) const {
        Assessment c = created;
        const std::int64_t local = j.record_create(c);
        CHECK(local < 0);
        c.answers["nrs_now"] = 4;
        j.record_save(local, 0, c);
        Assessment e = existing_doc;
        e.answers["nrs_now"] = 6;
        j.record_save(existing, existing_version, e);
        c.answers["nrs_average"] = 3;
        j.record_save(local, 0, c);
        e.answers["nrs_average"] = 5;
        j.record_save(existing, existing_version, e);
        j.record_finalize(local, 0, c);
    }
};

// What the server must hold after the session's journal arrived, once.
void check_arrived(store::Store& s, const ClinicDb& clinic, const OfflineSession& session) {
    auto visits = s.history("P-2");
    REQUIRE(visits.size() == 1);  // no duplicate visit
    CHECK(visits[0].status == store::Status::Final);
    auto created = s.load(visits[0].id).assessment;
    CHECK(created.answers.at("nrs_now") == 4);
    CHECK(created.answers.at("nrs_average") == 3);
    auto existing = s.load(session.existing).assessment;
    CHECK(existing.answers.at("nrs_now") == 6);
    CHECK(existing.answers.at("nrs_average") == 5);
    CHECK(s.history("P-1").size() == 1);
    CHECK(clinic.count("SELECT count(*) FROM myoscreen.assessments") == 2);
    CHECK(s.verify_audit().ok);
}

// One replay test's set-up: the clinic, t.okafor's store, the offline session's records on the
// server, and the journal file, with a copy to put back (a replay killed after the server's
// commit, before the journal's, leaves the journal as it was).
struct Replaying {
    ClinicDb clinic;
    store::Store s;
    OfflineSession session;
    TempDir dir;
    const fs::path file = dir.path() / "j.db";
    const fs::path copy = dir.path() / "before-replay.db";
    explicit Replaying(const std::string& admin)
        : clinic(admin), s(clinic.as("t.okafor"), definitions()) {
        session.created = sample("P-2", "Ines Marau");
        session.prepare(s);
    }
    void keep_copy() { fs::copy_file(file, copy); }
    void put_copy_back() {
        fs::remove(file);
        fs::copy_file(copy, file);
    }
    store::ReplayReport replay() {
        OfflineJournal j(file);
        return store::replay(s, j, definitions());
    }
};

// A clinic with one draft of P-1 on the server, t.okafor's store, and a journal file's folder.
struct OneDraft {
    ClinicDb clinic;
    store::Store s;
    Assessment a = sample("P-1", "Ana Souza");
    std::int64_t draft = 0;
    TempDir dir;
    explicit OneDraft(const std::string& admin)
        : clinic(admin), s(clinic.as("t.okafor"), definitions()), draft(s.create_draft(a)) {}
};

// Keeps only the first `keep` entries of the journal file: the state of the server after a
// replay that committed those and was killed.
void keep_first(const fs::path& file, std::size_t keep) {
    store::Connection c(file, store::Connection::Mode::ReadWrite);
    auto s = c.prepare(
        "DELETE FROM entries WHERE seq NOT IN (SELECT seq FROM entries ORDER BY seq LIMIT ?)");
    s.bind(1, static_cast<std::int64_t>(keep));
    s.run();
}

}  // namespace

TEST_CASE("offline journal: a private file, write-ahead log, synchronous FULL, kept in order") {
    TempDir dir;
    const fs::path file = dir.path() / "offline" / "server-db.db";
    OfflineJournal j(file);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(file.parent_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    {
        store::Connection c(file, store::Connection::Mode::ReadOnly);
        CHECK(c.query_text("PRAGMA journal_mode") == "wal");
    }
    Assessment a = sample("P-1", "Ana Souza");
    const std::int64_t local = j.record_create(a);
    j.record_save(local, 0, a);
    j.record_save(12, 7, a);
    auto all = j.entries();
    REQUIRE(all.size() == 3);
    CHECK(all[0].kind == JournalEntry::Kind::Create);
    CHECK(all[0].draft == local);
    CHECK(all[1].draft == local);
    CHECK(all[2].base_version == 7);
    CHECK(j.pending() == 3);
    CHECK(j.latest_document(12) == write_assessment(a));
    // A second opening (another thread, the next start) sees the same entries.
    OfflineJournal again(file);
    CHECK(again.entries().size() == 3);
}

TEST_CASE("offline journal: a link, a folder, a device or another file is refused, untouched") {
    TempDir dir;
    auto refused = [](const fs::path& p) {
        try {
            OfflineJournal j(p);
        } catch (const store::StoreError& e) {
            return std::string(e.what());
        }
        return std::string("opened");
    };
    // A link to the store (or anything else): never followed, the target untouched.
    const fs::path target = dir.path() / "myoscreen.db";
    std::ofstream(target) << "the store";
    fs::create_symlink(target, dir.path() / "link.db");
    CHECK(refused(dir.path() / "link.db").find("is not a file of its own") != std::string::npos);
    CHECK(read_text_file(target) == "the store");
    fs::create_directories(dir.path() / "folder.db");
    CHECK(refused(dir.path() / "folder.db").find("is not a file of its own") != std::string::npos);
    CHECK(refused("/dev/zero").find("/dev/zero is not a file of its own") != std::string::npos);
    // Not SQLite at all, and another program's SQLite file: named, nothing written.
    std::ofstream(dir.path() / "junk.db") << std::string(8192, 'x');
    const std::string junk = refused(dir.path() / "junk.db");
    CHECK_MESSAGE(junk.find("cannot be read") != std::string::npos, junk);
    CHECK(read_text_file(dir.path() / "junk.db") == std::string(8192, 'x'));
    {
        store::Connection other(dir.path() / "other.db", store::Connection::Mode::ReadWriteCreate);
        other.exec("CREATE TABLE accounts (id INTEGER)");
    }
    CHECK(refused(dir.path() / "other.db").find("holds another program's tables") !=
          std::string::npos);
    store::Connection other(dir.path() / "other.db", store::Connection::Mode::ReadOnly);
    CHECK(other.query_int("SELECT count(*) FROM sqlite_master") == 1);
}

TEST_CASE("offline replay: every change arrives in order, once; the journal empties") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Replaying r(*admin);
    auto& [clinic, s, session, dir, file, copy] = r;
    OfflineJournal j(file);
    session.record(j);
    auto report = store::replay(s, j, definitions());
    CHECK(report.sent == 6);
    CHECK(report.already == 0);
    CHECK(report.conflicts == 0);
    CHECK_FALSE(report.unreachable);
    REQUIRE(report.created.size() == 1);
    CHECK(report.finalised.size() == 1);
    CHECK(report.versions.at(session.existing) == s.info(session.existing).row_version);
    CHECK(j.entries().empty());
    check_arrived(s, clinic, session);
    // Replayed again (nothing left): nothing happens.
    auto twice = store::replay(s, j, definitions());
    CHECK(twice.sent + twice.already + twice.conflicts == 0);
    check_arrived(s, clinic, session);
}

TEST_CASE(
    "offline replay killed between the server's commit and the journal's, after each entry: "
    "the next replay sends nothing twice") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    for (std::size_t killed_after = 1; killed_after <= 6; ++killed_after) {
        CAPTURE(killed_after);
        Replaying r(*admin);
        r.session.record(OfflineJournal(r.file));
        r.keep_copy();
        // The server commits the first entries; the process dies before the journal knows.
        keep_first(r.file, killed_after);
        auto first = r.replay();
        CHECK(first.sent == static_cast<int>(killed_after));
        r.put_copy_back();
        auto next = r.replay();
        CHECK(next.already == static_cast<int>(killed_after));
        CHECK(next.sent == 6 - static_cast<int>(killed_after));
        CHECK(next.conflicts == 0);
        CHECK(OfflineJournal(r.file).entries().empty());
        check_arrived(r.s, r.clinic, r.session);
    }
}

TEST_CASE("offline replay: a draft changed elsewhere meanwhile stays as a conflict, unsent") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    OneDraft one(*admin);
    auto& [clinic, s, a, draft, dir] = one;
    const std::int64_t read_at = s.info(draft).row_version;
    const std::int64_t other_draft = s.create_draft(sample("P-3", "Lea Brandt"));
    OfflineJournal j(dir.path() / "j.db");
    Assessment mine = a;
    mine.answers["nrs_now"] = 2;
    j.record_save(draft, read_at, mine);
    mine.answers["nrs_average"] = 2;
    j.record_save(draft, read_at, mine);
    j.record_finalize(draft, read_at, mine);
    Assessment third = sample("P-3", "Lea Brandt");
    third.answers["nrs_now"] = 9;
    j.record_save(other_draft, s.info(other_draft).row_version, third);

    // A colleague saves the draft while this workstation is offline.
    {
        store::Store colleague(clinic.as("m.silva"), definitions());
        Assessment theirs = a;
        theirs.answers["nrs_now"] = 7;
        colleague.save_draft(draft, theirs, read_at);
    }
    auto report = store::replay(s, j, definitions());
    CHECK(report.sent == 1);  // the other draft's save
    CHECK(report.conflicts == 3);
    CHECK(s.load(draft).assessment.answers.at("nrs_now") == 7);  // theirs, not overwritten
    CHECK(s.info(draft).status == store::Status::Draft);         // not signed off unseen
    CHECK(s.load(other_draft).assessment.answers.at("nrs_now") == 9);
    CHECK(j.pending() == 0);
    CHECK(j.conflicts() == 1);
    auto waiting = j.conflict_of(draft);
    REQUIRE(waiting.has_value());
    CHECK_MESSAGE(waiting->conflict.find("m.silva") != std::string::npos, waiting->conflict);
    CHECK(j.latest_document(draft) == write_assessment(mine));
    // Replayed again: still waiting for the person, still unsent.
    auto again = store::replay(s, j, definitions());
    CHECK(again.sent == 0);
    CHECK(again.conflicts == 3);
    CHECK(s.load(draft).assessment.answers.at("nrs_now") == 7);
    // The person chose: the draft's entries go.
    j.drop_draft(draft);
    CHECK(j.entries().empty());
}

TEST_CASE("offline replay: a session the server ended meanwhile is replaced; everything sent") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    OneDraft one(*admin);
    auto& [clinic, s, a, draft, dir] = one;
    OfflineJournal j(dir.path() / "j.db");
    a.answers["nrs_now"] = 3;
    j.record_save(draft, s.info(draft).row_version, a);
    // The server ends this session (restarted while this computer was offline): the store
    // sees it before its next transaction and opens a new session, so the replay does not
    // fail once although the server is back.
    clinic.db.admin().exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 't.okafor'");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // it has ended
    auto later = store::replay(s, j, definitions());
    CHECK_FALSE(later.unreachable);
    CHECK(later.sent == 1);
    CHECK(j.entries().empty());
    CHECK(s.load(draft).assessment.answers.at("nrs_now") == 3);
}

TEST_CASE(
    "offline replay: a PDF written offline reaches the server's trail once, saying when and by "
    "which login; a replay killed after the server's commit does not send it twice") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Replaying r(*admin);
    {
        OfflineJournal j(r.file);
        r.session.record(j);
        // One of the visit created offline (its placeholder), one of the draft on the server.
        const std::int64_t local = j.entries().front().draft;
        j.record_event(store::audit_action::kPdf, {"P-2", local},
                       "referral PDF written to /reports/P-2-referral.pdf", "t.okafor");
        j.record_event(store::audit_action::kPdf, {"P-1", r.session.existing},
                       "handout PDF written to /reports/P-1-handout.pdf", "t.okafor");
        CHECK(j.pending() == 8);  // what the quit warning counts: 6 changes and 2 PDFs
        REQUIRE(j.events().size() == 2);
        CHECK_MESSAGE(
            j.events()[0].summary.find(" (offline on this computer at 20") != std::string::npos,
            j.events()[0].summary);
    }
    r.keep_copy();
    auto pdf_rows = [&](const std::string& patient) {
        std::vector<store::AuditEntry> rows;
        for (const auto& e : r.s.audit_trail(patient)) {
            if (e.action == store::audit_action::kPdf) {
                rows.push_back(e);
            }
        }
        return rows;
    };
    auto report = r.replay();
    CHECK(report.sent == 6);
    CHECK(report.events == 2);
    CHECK(OfflineJournal(r.file).pending() == 0);
    CHECK(OfflineJournal(r.file).events().empty());
    const std::int64_t created = r.s.history("P-2").at(0).id;
    auto check_rows = [&] {
        auto p2 = pdf_rows("P-2");
        REQUIRE(p2.size() == 1);
        CHECK(p2[0].assessment == created);  // the server's number, not the placeholder
        CHECK(p2[0].clinician == "t.okafor");
        CHECK(p2[0].summary.rfind("referral PDF written to /reports/P-2-referral.pdf (offline on "
                                  "this computer at 20",
                                  0) == 0);
        CHECK_MESSAGE(p2[0].summary.find("Z as t.okafor)") != std::string::npos, p2[0].summary);
        auto p1 = pdf_rows("P-1");
        REQUIRE(p1.size() == 1);
        CHECK(p1[0].assessment == r.session.existing);
        CHECK(r.s.verify_audit().ok);
    };
    check_rows();
    // Killed after the server's commit, before the journal's: the journal as it was.
    r.put_copy_back();
    auto again = r.replay();
    CHECK(again.already == 6);
    CHECK(again.events == 2);
    CHECK(OfflineJournal(r.file).pending() == 0);
    check_rows();  // once each
    check_arrived(r.s, r.clinic, r.session);
}

TEST_CASE("offline journal: a journal of the first version gains the events, entries kept") {
    TempDir dir;
    const fs::path file = dir.path() / "j.db";
    {
        // As the first version left it: its two tables, user_version 1, one entry.
        store::Connection c(file, store::Connection::Mode::ReadWriteCreate);
        c.exec(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL "
            "CHECK (kind IN ('create', 'save', 'finalize')), draft INTEGER NOT NULL, "
            "base_version INTEGER NOT NULL, document TEXT NOT NULL, at TEXT NOT NULL, "
            "conflict TEXT NOT NULL DEFAULT '')");
        c.exec(
            "CREATE TABLE created (placeholder INTEGER PRIMARY KEY, server_id INTEGER NOT NULL)");
        c.exec(
            "INSERT INTO entries (kind, draft, base_version, document, at) VALUES ('save', 12, "
            "3, '{}', '2026-12-01T10:00:00Z')");
        c.exec("PRAGMA user_version = 1");
    }
    OfflineJournal j(file);
    CHECK(j.entries().size() == 1);
    j.record_event(store::audit_action::kPdf, {"P-1", 12}, "handout PDF written to /x.pdf", "");
    CHECK(j.pending() == 2);
    store::Connection c(file, store::Connection::Mode::ReadOnly);
    CHECK(c.query_int("PRAGMA user_version") == 2);
}

TEST_CASE(
    "offline replay: a PDF of a visit whose creation waits as a conflict waits with it, uncounted; "
    "once the visit is set aside it is sent naming the patient") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Replaying r(*admin);
    std::int64_t local = 0;
    {
        OfflineJournal j(r.file);
        local = j.record_create(r.session.created);
        j.record_event(store::audit_action::kPdf, {"P-2", local},
                       "referral PDF written to /reports/P-2-referral.pdf", "t.okafor");
        j.mark_conflict(j.entries().front().seq, "refused by the server");
        CHECK(j.pending() == 0);  // nothing a replay could send: not asked for again and again
    }
    auto report = r.replay();
    CHECK(report.events == 0);
    CHECK(report.conflicts == 1);
    CHECK(OfflineJournal(r.file).events().size() == 1);
    OfflineJournal(r.file).drop_draft(local);  // the person set the visit aside
    CHECK(OfflineJournal(r.file).pending() == 1);
    auto sent = r.replay();
    CHECK(sent.events == 1);
    CHECK(OfflineJournal(r.file).pending() == 0);
    auto trail = r.s.audit_trail("P-2");
    REQUIRE_FALSE(trail.empty());
    CHECK(trail.back().action == "pdf");
    CHECK_FALSE(trail.back().assessment.has_value());  // no visit of the server to name
}
