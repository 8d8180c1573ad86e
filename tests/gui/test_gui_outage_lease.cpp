// The lease of the open draft across a lost connection (issue 14): while this workstation's
// sessions were gone (a server restart, a cable out), the notice that another took the draft
// never reached it. When it is back, the window names who has the draft now (never "another
// workstation" when the server knows who); a lease nobody took meanwhile simply stays ours.

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "../pg/pg_fixture.hpp"
#include "gui_driver.hpp"
#include "progress_visits.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

namespace {

// t.okafor's and m.silva's clinic, leases renewed every half second (stale_after 2 s, renewed
// every quarter of it), with a draft of t.okafor's.
struct OutageClinic {
    myo::test::ScratchDatabase db;
    std::int64_t draft = 0;
    explicit OutageClinic(const std::string& admin) : db(admin) {
        myo::test::init_clinic(db, {"t.okafor", "m.silva"});
        db.admin().exec("UPDATE myoscreen.lease_policy SET stale_after = interval '2 seconds'");
        Assessment v = myo::test::progress_visits().front();
        v.answers = Json::object();
        store::Store s(db.conninfo("t.okafor"), myo::test::definitions());
        s.add_patient(v.patient);
        draft = s.create_draft(v);
    }
    // The outage: the server drops every session of t.okafor's workstation.
    void drop_workstation_sessions() const {
        db.admin().exec(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 't.okafor'");
    }
};

}  // namespace

TEST_CASE("clinic lease after an outage: the window names who took the draft meanwhile") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    OutageClinic clinic(*admin);
    const auto& db = clinic.db;
    const std::int64_t draft = clinic.draft;

    Fixture a(std::filesystem::path(db.conninfo("t.okafor")));
    REQUIRE(a.frame->clinic_link() != nullptr);
    a.frame->open_assessment(draft);
    AssessmentEditor* ed = a.frame->editor();
    REQUIRE(wait_until([&] { return ed->lease() == AssessmentEditor::Lease::Ours; }));

    // The server drops every session of t.okafor's workstation; before its link is back (it
    // waits 2 s before reconnecting), m.silva takes the draft explicitly: the notice of it
    // goes to no session of t.okafor's.
    clinic.drop_workstation_sessions();
    store::Store other(db.conninfo("m.silva"), myo::test::definitions());
    const store::DraftLease taken = other.take_over_draft_lease(draft);
    REQUIRE(taken.ours);
    CHECK(taken.took_over);

    // Back: the next heartbeat finds the lease gone and asks who has it. m.silva's workstation
    // keeps beating meanwhile (a lease left stale would be taken back: the other case).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (ed->lease() != AssessmentEditor::Lease::Lost &&
           std::chrono::steady_clock::now() < until) {
        REQUIRE(other.renew_draft_lease(draft));
        settle(200);
    }
    REQUIRE(ed->lease() == AssessmentEditor::Lease::Lost);
    const std::string banner = ed->lease_banner_text().utf8_string();
    CHECK_MESSAGE(banner.rfind("Taken over by m.silva", 0) == 0, banner);
    CHECK(ed->model()->read_only());

    // What was typed here stays shown; opening the visit again, once m.silva has closed it,
    // edits it here again.
    other.release_draft_lease(draft);
    a.frame->open_assessment(draft);
    ed = a.frame->editor();
    REQUIRE(wait_until([&] { return ed->lease() == AssessmentEditor::Lease::Ours; }, 20));
    CHECK_FALSE(ed->model()->read_only());
}

TEST_CASE("clinic lease after an outage: a lease nobody took meanwhile stays ours, no banner") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    OutageClinic clinic(*admin);
    const auto& db = clinic.db;
    const std::int64_t draft = clinic.draft;
    Fixture a(std::filesystem::path(db.conninfo("t.okafor")));
    a.frame->open_assessment(draft);
    AssessmentEditor* ed = a.frame->editor();
    REQUIRE(wait_until([&] { return ed->lease() == AssessmentEditor::Lease::Ours; }));

    // While the sessions are gone, m.silva takes the draft and lets it go again: the lease row
    // is gone, so the heartbeat's renewal fails; nobody holds it, so it is taken again.
    clinic.drop_workstation_sessions();
    {
        store::Store other(db.conninfo("m.silva"), myo::test::definitions());
        REQUIRE(other.take_over_draft_lease(draft).ours);
        other.release_draft_lease(draft);
    }
    // Several heartbeats after the link is back (2 s pause, then one every 0.5 s).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool ever_lost = false;
    while (std::chrono::steady_clock::now() < until) {
        settle(50);
        ever_lost = ever_lost || ed->lease() != AssessmentEditor::Lease::Ours;
    }
    CHECK_FALSE(ever_lost);
    CHECK_FALSE(ed->model()->read_only());
    CHECK_FALSE(ed->lease_banner()->IsShown());
    auto c = db.admin();
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.draft_leases WHERE holder = 't.okafor'") ==
          1);
}
