// The Store on the PostgreSQL backend (issue 13, store/pg/pg_backend.hpp): the same calls as on
// a file, against a real server, as a clinician's login.

#include <doctest/doctest.h>

#include "pg_fixture.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;

namespace {

// A MyoScreen database with one clinician, t.okafor.
struct ClinicDb {
    ScratchDatabase db;
    explicit ClinicDb(const std::string& admin) : db(admin) {
        auto c = db.admin();
        pg::init_database(c, "tester");
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
    }
    std::string clinician() const { return db.conninfo("t.okafor"); }
};

Assessment sample(const std::string& id, const std::string& name) {
    Assessment a = vignette_assessment(vignette_files().front());
    a.patient.id = id;
    a.patient.name = name;
    a.date = "2026-11-20";
    return a;
}

}  // namespace

TEST_CASE("pg store: patients added, listed and found without accents or case") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    store::Store s(clinic.clinician(), definitions());
    CHECK(s.add_patient(Patient{"P-2", "Zoë Åkesson", "1981-04-05", std::nullopt}));
    CHECK(s.add_patient(Patient{"P-1", "Ana Souza", "1980-02-03", std::string("female")}));
    CHECK_FALSE(s.add_patient(Patient{"P-1", "Ana Souza", "1980-02-03", std::string("female")}));

    auto all = s.list_patients();
    REQUIRE(all.size() == 2);
    CHECK(all[0].patient.name == "Ana Souza");
    CHECK(all[1].patient.name == "Zoë Åkesson");
    CHECK(s.count_patients() == 2);
    CHECK(s.patient_position("P-2") == std::optional<std::size_t>(1));

    auto found = s.list_patients("zoe ake");
    REQUIRE(found.size() == 1);
    CHECK(found[0].patient.id == "P-2");
    CHECK(s.count_patients("ZOË") == 1);
    CHECK(s.list_patients("souza ake").empty());
    CHECK(s.list_patients("p-1").size() == 1);
}

TEST_CASE("pg store: a draft created, saved, finalised; its history; the audit trail verifies") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    store::Store s(clinic.clinician(), definitions());
    Assessment a = sample("P-7", "Ines Marau");
    std::int64_t id = s.create_draft(a);
    auto info = s.history("P-7");
    REQUIRE(info.size() == 1);
    CHECK(info[0].status == store::Status::Draft);
    CHECK(info[0].visit == id);

    a.date = "2026-11-21";
    s.save_draft(id, a);
    CHECK(s.history("P-7").at(0).date == "2026-11-21");
    s.finalize(id);
    auto after = s.history("P-7");
    REQUIRE(after.size() == 1);
    CHECK(after[0].status == store::Status::Final);
    CHECK(after[0].finalized_at.has_value());
    // A final never changes: the server's trigger refuses it too.
    CHECK_THROWS(s.save_draft(id, a));

    auto trail = s.audit_trail();
    REQUIRE(trail.size() >= 4);  // started, draft created, saved, finalised
    for (const auto& e : trail) {
        CHECK(e.clinician == (e.seq == 1 ? trail[0].clinician : std::string("t.okafor")));
    }
    auto v = s.verify_audit();
    CHECK(v.ok);
}

TEST_CASE("pg store: corrections, the list's visits, baselines, settings and discarded drafts") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    store::Store s(clinic.clinician(), definitions());
    std::int64_t first = s.create_draft(sample("P-3", "Lea Brandt"));
    s.finalize(first);
    std::int64_t fix = s.amend(first);
    CHECK(fix != first);
    s.finalize(fix);
    auto versions = s.history("P-3");
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].superseded_by == std::optional<std::int64_t>(fix));
    CHECK(versions[1].supersedes == std::optional<std::int64_t>(first));
    CHECK(versions[1].visit == first);
    // A visit and its correction count once in the list.
    auto listed = s.list_patients("brandt");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].visits == 1);
    CHECK(listed[0].last_visit == std::optional<std::string>("2026-11-20"));
    CHECK(s.load_document(fix) == s.load_document(first));

    s.set_baseline("P-3", first);
    CHECK(s.baseline_visit("P-3") == std::optional<std::int64_t>(first));
    s.set_baseline("P-3", std::nullopt);
    CHECK_FALSE(s.baseline_visit("P-3").has_value());

    store::Settings settings = s.load_settings();
    settings.clinic_name = "Praxis Nord";
    s.save_settings(settings);
    CHECK(s.load_settings().clinic_name == "Praxis Nord");

    std::int64_t draft = s.create_draft(sample("P-3", "Lea Brandt"));
    s.discard_draft(draft);
    CHECK(s.history("P-3").size() == 2);
    CHECK(s.verify_audit().ok);
}

TEST_CASE("pg store: a readonly login and a read-only opening write nothing") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    {
        auto c = clinic.db.admin();
        pg::add_user(c, "r.lind", pg::UserRole::Readonly);
    }
    store::Store(clinic.clinician(), definitions())
        .add_patient(Patient{"P-1", "Ana Souza", "1980-02-03", std::nullopt});
    store::Store reader(clinic.db.conninfo("r.lind"), definitions());
    CHECK(reader.list_patients().size() == 1);
    CHECK_THROWS_AS(reader.add_patient(Patient{"P-2", "Bo Ek", "1990-01-01", std::nullopt}),
                    pg::PermissionDenied);
    store::OpenOptions ro;
    ro.read_only = true;
    store::Store viewer(clinic.clinician(), definitions(), ro);
    CHECK(viewer.count_patients() == 1);
    CHECK_THROWS_AS(viewer.add_patient(Patient{"P-2", "Bo Ek", "1990-01-01", std::nullopt}),
                    store::ReadOnlyStore);
    CHECK(store::Store(clinic.clinician(), definitions()).count_patients() == 1);
}

TEST_CASE("pg store: two workstations see one record; each audit row names its own login") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    {
        auto c = clinic.db.admin();
        pg::add_user(c, "a.berg", pg::UserRole::Clinician);
    }
    store::Store room1(clinic.clinician(), definitions());
    store::Store room2(clinic.db.conninfo("a.berg"), definitions());
    std::int64_t draft = room1.create_draft(sample("P-9", "Karin Holm"));
    // The doctor's draft is there for the physiotherapist at once.
    REQUIRE(room2.history("P-9").size() == 1);
    CHECK(room2.list_patients("holm").size() == 1);
    room2.finalize(draft);
    CHECK(room1.history("P-9").at(0).status == store::Status::Final);
    // A final never changes, whichever workstation tries.
    CHECK_THROWS_AS(room1.save_draft(draft, sample("P-9", "Karin Holm")), store::StoreError);

    std::vector<std::string> logins;
    for (const auto& e : room1.audit_trail(std::string("P-9"))) {
        logins.push_back(e.clinician);
    }
    CHECK(logins == std::vector<std::string>{"t.okafor", "a.berg"});
    CHECK(room2.verify_audit().ok);
}

TEST_CASE(
    "pg store: an explicit take-over of a live lease: audited naming the holder, who is told; "
    "a readonly login is refused") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    {
        auto c = clinic.db.admin();
        pg::add_user(c, "a.berg", pg::UserRole::Clinician);
        pg::add_user(c, "r.lind", pg::UserRole::Readonly);
    }
    store::Store room1(clinic.clinician(), definitions());
    store::Store room2(clinic.db.conninfo("a.berg"), definitions());
    store::Store desk(clinic.db.conninfo("r.lind"), definitions());
    std::int64_t draft = room1.create_draft(sample("P-9", "Karin Holm"));
    REQUIRE(room1.take_draft_lease(draft).ours);
    REQUIRE(room1.renew_draft_lease(draft));  // live: it beats

    // The ordinary take is refused while the holder's lease is live.
    store::DraftLease refused = room2.take_draft_lease(draft);
    CHECK_FALSE(refused.ours);
    CHECK(refused.holder == "t.okafor");

    // A readonly login may not take it over, nor may a read-only Store; nothing changes.
    CHECK_THROWS_AS(desk.take_over_draft_lease(draft), pg::PermissionDenied);
    CHECK_THROWS_AS(pg::Connection::open(clinic.db.conninfo("r.lind"))
                        .exec("SELECT * FROM myoscreen.end_lease_for_take_over($1, 'x')", {draft}),
                    pg::PermissionDenied);
    store::OpenOptions ro;
    ro.read_only = true;
    store::Store viewer(clinic.db.conninfo("a.berg"), definitions(), ro);
    CHECK_THROWS_AS(viewer.take_over_draft_lease(draft), store::ReadOnlyStore);
    CHECK(room1.renew_draft_lease(draft));

    // room1 listens as its ClinicLink does; room2 takes the draft over, explicitly.
    room1.wait_for_changes(std::chrono::milliseconds(1));  // LISTENs from now on
    const auto audit_before = room1.audit_trail(std::string("P-9")).size();
    store::DraftLease taken = room2.take_over_draft_lease(draft);
    CHECK(taken.ours);
    CHECK(taken.took_over);
    CHECK(taken.holder == "a.berg");
    const std::string host = room1.server_session()->workstation;
    CHECK(taken.taken_from == "t.okafor on " + host);

    // One audit row, by a.berg, naming t.okafor and the workstation.
    auto trail = room1.audit_trail(std::string("P-9"));
    REQUIRE(trail.size() == audit_before + 1);
    CHECK(trail.back().action == "take-over");
    CHECK(trail.back().clinician == "a.berg");
    CHECK(trail.back().assessment == draft);
    CHECK(trail.back().summary == "took the draft over from t.okafor on " + host +
                                      " while they were editing it (confirmed: their lease "
                                      "was live)");
    CHECK(room1.verify_audit().ok);

    // The first workstation hears it at once: its lease went, a.berg's came.
    bool told = false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!told && std::chrono::steady_clock::now() < until) {
        for (const auto& n : room1.wait_for_changes(std::chrono::milliseconds(100))) {
            told = told || (n.table == "draft_leases" && n.op == "insert" && n.id == draft &&
                            n.by == "a.berg");
        }
    }
    CHECK(told);
    // Its heartbeat finds the lease gone; an ordinary take is refused (a.berg's is live now).
    CHECK_FALSE(room1.renew_draft_lease(draft));
    CHECK_FALSE(room1.take_draft_lease(draft).ours);

    // Taking over one's own lease changes nothing and audits nothing.
    store::DraftLease again = room2.take_over_draft_lease(draft);
    CHECK(again.ours);
    CHECK_FALSE(again.took_over);
    CHECK(room1.audit_trail(std::string("P-9")).size() == audit_before + 1);

    // A final has no lease to take.
    room2.finalize(draft);
    CHECK_THROWS_AS(room1.take_over_draft_lease(draft), store::NotEditable);
}

TEST_CASE("sqlite store: an explicit take-over is always ours (one MyoScreen writes a file)") {
    TempDir dir;
    store::Store s(dir.path() / "m.db", definitions());
    std::int64_t draft = s.create_draft(sample("P-9", "Karin Holm"));
    store::DraftLease l = s.take_over_draft_lease(draft);
    CHECK(l.ours);
    CHECK_FALSE(l.took_over);
}
