// Two workstations, one record (issue 13): optimistic row versions, draft leases and change
// notifications, with two real logins on two connections to the private PostgreSQL server.

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "pg_fixture.hpp"
#include "store/errors.hpp"
#include "store/pg/conninfo.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_leases.hpp"
#include "store/pg/pg_listener.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_versions.hpp"
#include "store/pg/server_admin.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;
using namespace std::chrono_literals;

namespace {

// A MyoScreen database with two clinicians and a readonly login, one patient and one draft.
struct Clinic {
    ScratchDatabase db;
    std::int64_t patient = 0;
    std::int64_t draft = 0;

    explicit Clinic(const std::string& admin) : db(admin) {
        auto c = db.admin();
        pg::init_database(c, "tester");
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
        pg::add_user(c, "a.berg", pg::UserRole::Clinician);
        pg::add_user(c, "r.lind", pg::UserRole::Readonly);
        patient = c.query_int(
            "INSERT INTO myoscreen.patients (patient_key, name, birth_date, created_at) "
            "VALUES ('P-1', 'Ana Souza', '1980-02-03', '2026-12-01T08:00:00.000Z') RETURNING id");
        draft = new_draft(c);
    }

    std::int64_t new_draft(pg::Connection& c) const {
        std::int64_t visit = c.query_int(
            "SELECT coalesce(max(visit), 0) + 1 FROM "
            "myoscreen.assessments");
        return c.query_int(
            "INSERT INTO myoscreen.assessments (patient, visit, version, status, date, urgency, "
            "rules_version, created_at, updated_at, document) VALUES ($1, $2, 1, 'draft', "
            "'2026-12-01', 'routine', '1', 'x', 'x', '{\"answers\":{}}') RETURNING id",
            {patient, visit});
    }

    // `user` on the workstation `host` (application_name as MyoScreen sets it there).
    pg::Connection as(const std::string& user, const std::string& host) const {
        return pg::Connection::open(db.conninfo(user) + " application_name='MyoScreen on " + host +
                                    "'");
    }
};

pg::DraftRow draft_row(std::int64_t id, const std::string& document) {
    pg::DraftRow r;
    r.id = id;
    r.document = document;
    r.date = "2026-12-01";
    r.nrs_now = 6;
    r.urgency = "routine";
    r.rules_version = "1";
    return r;
}

std::string document_of(pg::Connection& c, std::int64_t id) {
    return c.query_text("SELECT document FROM myoscreen.assessments WHERE id = $1", {id});
}

// Sets the process's time zone for local_time_phrase (restored by the caller's next call).
void set_tz(const char* tz) {
    ::setenv("TZ", tz, 1);
    ::tzset();
}

}  // namespace

TEST_CASE("local_time_phrase: HH:MM today, with the date on another day, in local time") {
    const char* before = std::getenv("TZ");
    std::string saved = before != nullptr ? before : "";
    set_tz("UTC");
    std::int64_t at = 1796121720000;  // 2026-12-01T10:42:00Z
    CHECK(pg::local_time_phrase(at, at + 3600 * 1000) == "at 10:42");
    CHECK(pg::local_time_phrase(at, at + 24 * 3600 * 1000) == "at 10:42 on 2026-12-01");
    set_tz("Europe/Berlin");
    CHECK(pg::local_time_phrase(at, at) == "at 11:42");
    if (before != nullptr) {
        set_tz(saved.c_str());
    } else {
        ::unsetenv("TZ");
        ::tzset();
    }
    CHECK(pg::workstation_phrase("MyoScreen on ROOM-2", "MyoScreen on ROOM-1") ==
          "on another workstation (ROOM-2)");
    CHECK(pg::workstation_phrase("psql", "MyoScreen on ROOM-1") == "on another workstation (psql)");
    CHECK(pg::workstation_phrase("MyoScreen on ROOM-1", "MyoScreen on ROOM-1") ==
          "on this workstation");
}

TEST_CASE("row versions: a stale save is refused naming who, when and where; the newer is kept") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    auto room2 = clinic.as("t.okafor", "ROOM-2");
    auto room1 = clinic.as("a.berg", "ROOM-1");
    auto read = pg::read_stamp(room1, pg::RowKind::Assessment, clinic.draft);
    REQUIRE(read);
    CHECK(read->row_version == 1);
    CHECK(pg::read_stamp(room2, pg::RowKind::Assessment, clinic.draft)->row_version == 1);

    // ROOM-2 saves first.
    pg::RowStamp saved = pg::save_draft_if_unchanged(
        room2, draft_row(clinic.draft, "{\"answers\":{\"q1\":2}}"), read->row_version);
    CHECK(saved.row_version == 2);
    CHECK(saved.changed_by == "t.okafor");
    CHECK(saved.changed_from == "MyoScreen on ROOM-2");
    CHECK(std::abs(saved.changed_at_ms - pg::now_ms()) < 60'000);

    SUBCASE("ROOM-1's save on the version it read is refused; its copy is saved after a reload") {
        const pg::DraftRow mine = draft_row(clinic.draft, "{\"answers\":{\"q1\":3}}");
        const pg::DraftRow copy = mine;
        try {
            pg::save_draft_if_unchanged(room1, mine, read->row_version);
            FAIL("a save on an older version was accepted");
        } catch (const pg::ChangedElsewhere& e) {
            CHECK(std::string(e.what()) ==
                  "assessment draft " + std::to_string(clinic.draft) + " was changed by t.okafor " +
                      pg::local_time_phrase(saved.changed_at_ms, pg::now_ms()) +
                      " on another workstation (ROOM-2) since this copy was read; nothing was "
                      "saved and your answers are kept (reload to see the other change, then "
                      "save again)");
            CHECK(e.change().by == "t.okafor");
            CHECK(e.change().from == "MyoScreen on ROOM-2");
            CHECK(e.change().row_version == 2);
            CHECK_FALSE(e.change().finalised);
            // A StoreError: the CLI and the GUI show it as an answer, not a failure.
            CHECK(dynamic_cast<const store::StoreError*>(&e) != nullptr);
        }
        CHECK(document_of(room1, clinic.draft) == "{\"answers\":{\"q1\":2}}");  // ROOM-2's kept
        CHECK(mine.document == copy.document);  // the caller's answers, untouched
        CHECK(mine.nrs_now == copy.nrs_now);
        // Reloaded: the user has seen ROOM-2's change and saves their own answers over it.
        auto now = pg::read_stamp(room1, pg::RowKind::Assessment, clinic.draft);
        pg::RowStamp again = pg::save_draft_if_unchanged(room1, mine, now->row_version);
        CHECK(again.row_version == 3);
        CHECK(again.changed_by == "a.berg");
        CHECK(again.changed_from == "MyoScreen on ROOM-1");
        CHECK(document_of(room2, clinic.draft) == mine.document);
    }
    SUBCASE("one workstation saving the same row twice in a row: each save advances the version") {
        std::int64_t v = saved.row_version;
        for (int i = 0; i < 3; ++i) {
            v = pg::save_draft_if_unchanged(
                    room2, draft_row(clinic.draft, "{\"n\":" + std::to_string(i) + "}"), v)
                    .row_version;
        }
        CHECK(v == 5);
        CHECK(document_of(room1, clinic.draft) == "{\"n\":2}");
        CHECK(room2
                  .query_text("SELECT updated_at FROM myoscreen.assessments WHERE id = $1",
                              {clinic.draft})
                  .size() == 24);  // 2026-12-01T10:42:00.000Z, as the SQLite store writes it
    }
    SUBCASE("a draft finalised elsewhere, or discarded, is named as such") {
        room2.exec("UPDATE myoscreen.assessments SET status = 'final' WHERE id = $1",
                   {clinic.draft});
        try {
            pg::save_draft_if_unchanged(room1, draft_row(clinic.draft, "{}"), saved.row_version);
            FAIL("a save of a final assessment was accepted");
        } catch (const pg::ChangedElsewhere& e) {
            CHECK(std::string(e.what()).find(" was finalised by t.okafor ") != std::string::npos);
            CHECK(std::string(e.what()).find("(amend the final assessment to add them)") !=
                  std::string::npos);
            CHECK(e.change().finalised);
        }
        std::int64_t other = clinic.new_draft(room2);
        room2.exec("DELETE FROM myoscreen.assessments WHERE id = $1", {other});
        try {
            pg::save_draft_if_unchanged(room1, draft_row(other, "{}"), 1);
            FAIL("a save of a discarded draft was accepted");
        } catch (const pg::ChangedElsewhere& e) {
            CHECK(std::string(e.what()) ==
                  "assessment draft " + std::to_string(other) +
                      " was discarded or deleted on another workstation since this copy was "
                      "read; nothing was saved and your answers are kept (save them as a new "
                      "draft)");
            CHECK(e.change().row_version == 0);
        }
    }
    SUBCASE("a patient's details: the same check") {
        pg::PatientRow p{clinic.patient, "Ana Souza", "1980-02-03", "f", "ana souza"};
        auto v = pg::read_stamp(room1, pg::RowKind::Patient, clinic.patient)->row_version;
        CHECK(pg::save_patient_if_unchanged(room2, p, v).row_version == v + 1);
        p.name = "Ana Souza Lima";
        CHECK_THROWS_WITH_AS(
            pg::save_patient_if_unchanged(room1, p, v),
            doctest::Contains(("the patient's details (patient record " +
                               std::to_string(clinic.patient) + ") was changed by t.okafor")
                                  .c_str()),
            pg::ChangedElsewhere);
        CHECK(room1.query_text("SELECT name FROM myoscreen.patients WHERE id = $1",
                               {clinic.patient}) == "Ana Souza");
    }
    SUBCASE("the same login in a second window of the same workstation") {
        auto window2 = clinic.as("t.okafor", "ROOM-2");
        CHECK_THROWS_WITH_AS(pg::save_draft_if_unchanged(window2, draft_row(clinic.draft, "{}"), 1),
                             doctest::Contains("was changed by t.okafor at "),
                             pg::ChangedElsewhere);
        CHECK_THROWS_WITH_AS(pg::save_draft_if_unchanged(window2, draft_row(clinic.draft, "{}"), 1),
                             doctest::Contains(" on this workstation since this copy was read"),
                             pg::ChangedElsewhere);
    }
    SUBCASE("a version the row never had is the caller's mistake, not another's change") {
        CHECK_THROWS_WITH_AS(pg::save_draft_if_unchanged(room2, draft_row(clinic.draft, "{}"), 7),
                             doctest::Contains("is at version 2, not at 7 as the save assumed"),
                             myo::store::StoreError);
        CHECK(pg::read_stamp(room2, pg::RowKind::Assessment, clinic.draft)->row_version == 2);
    }
    SUBCASE("a readonly login cannot save") {
        auto ro = clinic.as("r.lind", "FRONT-DESK");
        CHECK_THROWS_AS(pg::save_draft_if_unchanged(ro, draft_row(clinic.draft, "{}"), 2),
                        pg::PermissionDenied);
    }
}

TEST_CASE("row versions: two saves racing on one version: one wins, the other names it") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    auto room2 = clinic.as("t.okafor", "ROOM-2");
    auto room1 = clinic.as("a.berg", "ROOM-1");
    // ROOM-2's save holds the row until its transaction commits; ROOM-1's save on the same
    // version waits for it, then finds the version gone (not the one it read, and not a
    // deadlock or a serialisation error).
    pg::Transaction tx(room2);
    pg::save_draft_if_unchanged(room2, draft_row(clinic.draft, "{\"by\":\"room2\"}"), 1);
    std::string refused;
    std::thread other([&] {
        try {
            pg::save_draft_if_unchanged(room1, draft_row(clinic.draft, "{\"by\":\"room1\"}"), 1);
        } catch (const pg::ChangedElsewhere& e) {
            refused = e.what();
        }
    });
    std::this_thread::sleep_for(200ms);
    tx.commit();
    other.join();
    CHECK(refused.find("was changed by t.okafor at ") != std::string::npos);
    CHECK(refused.find("on another workstation (ROOM-2)") != std::string::npos);
    CHECK(document_of(room1, clinic.draft) == "{\"by\":\"room2\"}");
    CHECK(pg::read_stamp(room1, pg::RowKind::Assessment, clinic.draft)->row_version == 2);
}

TEST_CASE("row versions: MyoScreen names its workstation to the server") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    CHECK(pg::default_application_name().rfind("MyoScreen on ", 0) == 0);
    auto c = pg::Connection::open(clinic.db.conninfo("t.okafor"));
    CHECK(c.application_name() == pg::default_application_name().substr(0, 63));
    CHECK(c.query_text("SELECT current_setting('application_name')") ==
          pg::default_application_name().substr(0, 63));  // the server keeps 63 bytes
    auto s = pg::save_draft_if_unchanged(c, draft_row(clinic.draft, "{}"), 1);
    CHECK(s.changed_from == pg::default_application_name().substr(0, 63));
}

TEST_CASE("leases: seen by the other workstation, refused while fresh, taken over once stale") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    auto room2 = clinic.as("t.okafor", "ROOM-2");
    auto room1 = clinic.as("a.berg", "ROOM-1");

    // The schema's default is the named constant.
    CHECK(pg::lease_stale_after(room1) == pg::kLeaseStaleAfter);
    CHECK(pg::read_leases(room1).empty());

    pg::LeaseAttempt mine = pg::acquire_lease(room2, clinic.draft);
    REQUIRE(mine.acquired);
    CHECK(mine.lease.holder == "t.okafor");
    CHECK(mine.lease.workstation == "MyoScreen on ROOM-2");

    auto seen = pg::read_leases(room1);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].assessment == clinic.draft);
    CHECK(seen[0].patient == clinic.patient);
    CHECK(seen[0].holder == "t.okafor");
    CHECK(seen[0].workstation == "MyoScreen on ROOM-2");
    CHECK(seen[0].since_ms == mine.lease.since_ms);
    CHECK_FALSE(seen[0].stale);
    CHECK_FALSE(seen[0].mine);
    CHECK(pg::read_leases(room2)[0].mine);

    // Refused while fresh, naming the holder.
    pg::LeaseAttempt theirs = pg::acquire_lease(room1, clinic.draft);
    CHECK_FALSE(theirs.acquired);
    CHECK(theirs.lease.holder == "t.okafor");
    CHECK(theirs.holder_phrase == "t.okafor on another workstation (ROOM-2) since " +
                                      pg::local_time(mine.lease.since_ms, pg::now_ms()));
    // Nor can the other login refresh, end or rewrite it (row-level security).
    CHECK_FALSE(pg::heartbeat_lease(room1, clinic.draft));
    CHECK_FALSE(pg::release_lease(room1, clinic.draft));
    CHECK(room1.exec("DELETE FROM myoscreen.draft_leases RETURNING 1").rows() == 0);
    CHECK(room1.exec("UPDATE myoscreen.draft_leases SET heartbeat = now() RETURNING 1").rows() ==
          0);
    CHECK_THROWS_AS(room1.exec("UPDATE myoscreen.draft_leases SET holder = 'a.berg'"),
                    pg::PermissionDenied);
    // Ours again: refreshed, `since` kept.
    std::this_thread::sleep_for(20ms);
    pg::LeaseAttempt again = pg::acquire_lease(room2, clinic.draft);
    CHECK(again.acquired);
    CHECK(again.lease.since_ms == mine.lease.since_ms);
    CHECK(again.lease.heartbeat_ms > mine.lease.heartbeat_ms);
    CHECK(pg::heartbeat_lease(room2, clinic.draft));

    SUBCASE("once stale, taken over; the old holder learns it at its next heartbeat") {
        // A short policy for the test (the administrator's setting), not minutes of sleep.
        clinic.db.admin().exec("UPDATE myoscreen.lease_policy SET stale_after = '300 ms'");
        CHECK_FALSE(pg::acquire_lease(room1, clinic.draft).acquired);
        std::this_thread::sleep_for(400ms);
        CHECK(pg::read_leases(room1)[0].stale);
        pg::LeaseAttempt taken = pg::acquire_lease(room1, clinic.draft);
        CHECK(taken.acquired);
        CHECK(taken.lease.holder == "a.berg");
        CHECK(taken.lease.workstation == "MyoScreen on ROOM-1");
        CHECK(taken.lease.since_ms > mine.lease.since_ms);
        CHECK_FALSE(pg::heartbeat_lease(room2, clinic.draft));
        CHECK_FALSE(pg::acquire_lease(room2, clinic.draft).acquired);  // fresh again
    }
    SUBCASE("released: the other takes it at once, and hears of both") {
        pg::ChangeListener listener(room1);
        CHECK(pg::release_lease(room2, clinic.draft));
        auto ended = listener.wait(1000ms);
        REQUIRE(ended.size() == 1);
        CHECK(ended[0].table == "draft_leases");
        CHECK(ended[0].op == "delete");
        CHECK(ended[0].id == clinic.draft);
        CHECK(ended[0].patient == clinic.patient);
        CHECK(ended[0].by == "t.okafor");
        CHECK(ended[0].workstation == "MyoScreen on ROOM-2");
        CHECK(pg::heartbeat_lease(room2, clinic.draft) == false);
        CHECK(listener.wait(200ms).empty());  // nor a heartbeat: they are not announced
        CHECK_FALSE(pg::release_lease(room2, clinic.draft));
        CHECK(pg::read_leases(room1).empty());
        CHECK(pg::acquire_lease(room1, clinic.draft).acquired);
        auto taken = listener.wait(1000ms);
        REQUIRE(taken.size() == 1);
        CHECK(taken[0].op == "insert");
        CHECK(taken[0].by == "a.berg");
        CHECK(pg::heartbeat_lease(room1, clinic.draft));
        CHECK(listener.wait(200ms).empty());
    }
    SUBCASE("the same login on another workstation does not share it") {
        auto laptop = clinic.as("t.okafor", "LAPTOP");
        CHECK_FALSE(pg::acquire_lease(laptop, clinic.draft).acquired);
    }
    SUBCASE("finalising the draft ends its lease, whoever finalises") {
        room1.exec("UPDATE myoscreen.assessments SET status = 'final' WHERE id = $1",
                   {clinic.draft});
        CHECK(pg::read_leases(room2).empty());
        CHECK_FALSE(pg::heartbeat_lease(room2, clinic.draft));
        CHECK_THROWS_WITH_AS(pg::acquire_lease(room2, clinic.draft),
                             ("assessment " + std::to_string(clinic.draft) +
                              " is not a draft (finalised, discarded or never saved); it cannot "
                              "be leased")
                                 .c_str(),
                             store::NotEditable);
    }
    SUBCASE("discarding the draft ends its lease") {
        room2.exec("DELETE FROM myoscreen.assessments WHERE id = $1", {clinic.draft});
        CHECK(pg::read_leases(room1).empty());
    }
    SUBCASE("a rolled-back finalisation keeps the lease") {
        {
            pg::Transaction tx(room1);
            room1.exec("UPDATE myoscreen.assessments SET status = 'final' WHERE id = $1",
                       {clinic.draft});
        }
        CHECK(pg::read_leases(room1).size() == 1);
    }
}

TEST_CASE("leases: four workstations asking at once: exactly one gets it") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    for (int round = 0; round < 2; ++round) {
        if (round == 1) {  // the lease from round 0 goes stale: again exactly one takes it over
            clinic.db.admin().exec("UPDATE myoscreen.lease_policy SET stale_after = '200 ms'");
            std::this_thread::sleep_for(300ms);
        }
        std::vector<pg::Connection> rooms;
        for (int i = 0; i < 4; ++i) {
            rooms.push_back(clinic.as(i % 2 == 0 ? "t.okafor" : "a.berg",
                                      "R" + std::to_string(round) + std::to_string(i)));
        }
        std::atomic<int> acquired{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (auto& room : rooms) {
            threads.emplace_back(
                [&] { (pg::acquire_lease(room, clinic.draft).acquired ? acquired : refused)++; });
        }
        for (auto& t : threads) {
            t.join();
        }
        CHECK(acquired == 1);
        CHECK(refused == 3);
        CHECK(pg::read_leases(rooms[0]).size() == 1);
    }
}

TEST_CASE("leases: a readonly login reads them and cannot take one") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    auto room2 = clinic.as("t.okafor", "ROOM-2");
    auto desk = clinic.as("r.lind", "FRONT-DESK");
    REQUIRE(pg::acquire_lease(room2, clinic.draft).acquired);
    CHECK(pg::read_leases(desk).size() == 1);
    CHECK_THROWS_WITH_AS(pg::acquire_lease(desk, clinic.draft),
                         doctest::Contains("permission denied: the PostgreSQL login \"r.lind\" may "
                                           "not do this"),
                         pg::PermissionDenied);
    CHECK_THROWS_AS(
        desk.exec("INSERT INTO myoscreen.draft_leases (assessment) VALUES ($1)", {clinic.draft}),
        pg::PermissionDenied);
    CHECK_THROWS_AS(desk.exec("DELETE FROM myoscreen.draft_leases"), pg::PermissionDenied);
    CHECK_THROWS_AS(desk.exec("UPDATE myoscreen.lease_policy SET stale_after = '1 s'"),
                    pg::PermissionDenied);
    CHECK_THROWS_AS(room2.exec("UPDATE myoscreen.lease_policy SET stale_after = '1 s'"),
                    pg::PermissionDenied);
    CHECK(pg::read_leases(room2).size() == 1);
}

TEST_CASE("notifications: the other connection hears a committed change within a second") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    auto room2 = clinic.as("t.okafor", "ROOM-2");
    auto room1 = clinic.as("a.berg", "ROOM-1");
    pg::ChangeListener listener(room1);
    CHECK(listener.wait(0ms).empty());

    pg::RowStamp s;
    {
        pg::Transaction tx(room2);
        s = pg::save_draft_if_unchanged(room2, draft_row(clinic.draft, "{}"), 1);
        // Not before the commit.
        CHECK(listener.wait(200ms).empty());
        tx.commit();
    }
    auto t0 = std::chrono::steady_clock::now();
    auto got = listener.wait(1000ms);
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    REQUIRE(got.size() == 1);
    CHECK(got[0].table == "assessments");
    CHECK(got[0].op == "update");
    CHECK(got[0].id == clinic.draft);
    CHECK(got[0].patient == clinic.patient);
    CHECK(got[0].row_version == s.row_version);
    CHECK(got[0].by == "t.okafor");
    CHECK(got[0].workstation == "MyoScreen on ROOM-2");

    SUBCASE("none for a rolled-back change") {
        {
            pg::Transaction tx(room2);
            pg::save_draft_if_unchanged(room2, draft_row(clinic.draft, "{}"), s.row_version);
        }
        CHECK(listener.wait(500ms).empty());
    }
    SUBCASE("patients, new rows and deletions too, in commit order") {
        pg::PatientRow p{clinic.patient, "Ana Souza", "1980-02-03", std::nullopt, "ana souza"};
        pg::save_patient_if_unchanged(room2, p, 1);
        std::int64_t other = clinic.new_draft(room2);
        room2.exec("DELETE FROM myoscreen.assessments WHERE id = $1", {other});
        std::vector<pg::Change> all;
        for (int i = 0; i < 10 && all.size() < 3; ++i) {
            auto more = listener.wait(1000ms);
            all.insert(all.end(), more.begin(), more.end());
        }
        REQUIRE(all.size() == 3);
        CHECK(all[0].table == "patients");
        CHECK(all[0].id == clinic.patient);
        CHECK(all[0].patient == clinic.patient);
        CHECK(all[0].row_version == 2);
        CHECK(all[1].op == "insert");
        CHECK(all[1].id == other);
        CHECK(all[2].op == "delete");
        CHECK(all[2].id == other);
    }
    SUBCASE("figures: notification latency and the cost of a version-checked save") {
        // From the start of a save (autocommit) to its notification in the other's hands; the
        // server sends it at the commit, so it is often queued before the save returns.
        std::vector<double> ms;
        std::int64_t v = s.row_version;
        for (int i = 0; i < 50; ++i) {
            auto start = std::chrono::steady_clock::now();
            v = pg::save_draft_if_unchanged(room2, draft_row(clinic.draft, "{}"), v).row_version;
            auto n = listener.wait(1000ms);
            REQUIRE(n.size() == 1);
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
        }
        std::sort(ms.begin(), ms.end());
        CHECK(ms[49] < 1000.0);
        // The save against the same UPDATE without the version check (the test server runs
        // with fsync off: this is the statement's cost, not the disk's).
        auto time_of = [&](auto&& save) {
            auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < 200; ++i) {
                save();
            }
            return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                             start)
                       .count() /
                   200;
        };
        pg::DraftRow row = draft_row(clinic.draft, std::string(4000, 'x'));
        double checked =
            time_of([&] { v = pg::save_draft_if_unchanged(room2, row, v).row_version; });
        double plain = time_of([&] {
            room2.exec(
                "UPDATE myoscreen.assessments SET document = $2, date = $3, kind = $4, "
                "nrs_now = $5, nrs_average = $6, wpi = $7, sss = $8, fs = $9, tender_count = $10, "
                "urgency = $11, rules_version = $12, updated_at = to_char(clock_timestamp() AT "
                "TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') WHERE id = $1",
                {clinic.draft, row.document, row.date, row.kind, std::int64_t{6}, std::nullopt,
                 std::nullopt, std::nullopt, std::nullopt, std::nullopt, row.urgency,
                 row.rules_version});
        });
        MESSAGE("save to notification received: median "
                << ms[25] << " ms, max " << ms[49] << " ms (50 saves); version-checked save "
                << checked << " ms, unchecked UPDATE " << plain << " ms (200 each)");
    }
}
