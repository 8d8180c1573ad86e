// The explicit take-over of a draft another workstation is editing now (issue 14), with two
// MyoScreen processes and two logins on the private PostgreSQL server: the second asks first,
// then takes it; the first turns read-only at once, keeping every answer it had typed; the
// take-over is in the audit trail naming both.

#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>
#include <wx/button.h>
#include <wx/stattext.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "../pg/pg_fixture.hpp"
#include "gui/take_over_dialog.hpp"
#include "gui_driver.hpp"
#include "other_workstation.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

TEST_CASE(
    "clinic take-over, two processes: a live lease is taken after confirming; the other "
    "MyoScreen turns read-only at once with its typed answers kept; audited") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    myo::test::ScratchDatabase db(*admin);
    myo::test::init_clinic(db, {"t.okafor", "m.silva"});
    myo::test::TempDir dir;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().front());
    auto input = write_fill_input(dir.path() / "input.json", v);

    // m.silva's MyoScreen starts a draft and types every answer; it stays open and beats.
    OtherWorkstation silva(db.conninfo("m.silva"), input, dir.path() / "b.ini");
    const auto [filled, draft, answered] = silva.read_until_filled();
    REQUIRE(filled);
    REQUIRE(draft > 0);

    // t.okafor's window opens it: read-only, the banner names m.silva; the tooltip says when a
    // lease expires, in the server's words (2 minutes by default).
    Fixture a(std::filesystem::path(db.conninfo("t.okafor")));
    a.frame->open_assessment(draft);
    AssessmentEditor* ea = a.frame->editor();
    REQUIRE(wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Theirs; }));
    CHECK(ea->lease_banner_text().utf8_string().rfind("Being edited by m.silva on ", 0) == 0);
    CHECK(ea->take_over_button()->GetToolTipText().Contains("silent for 2 minutes"));
    a.frame->Raise();
    settle(300);
    screenshot("clinic-take-over-banner");

    // Take over: m.silva's lease is live, so it asks, naming whose work it is; confirmed.
    wxString question;
    auto t0 = std::chrono::steady_clock::now();
    const bool asked = drive_dialog<TakeOverDialog>(
        [&] {
            click(ea->take_over_button());
            wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Ours; });
        },
        [&](TakeOverDialog* d) {
            for (wxWindow* w : d->GetChildren()) {
                if (auto* t = dynamic_cast<wxStaticText*>(w)) {
                    question = t->GetLabel();
                }
            }
            screenshot("clinic-take-over-question");
            t0 = std::chrono::steady_clock::now();
            click(d->take_over_button());
        });
    REQUIRE(asked);
    question.Replace("\n", " ");
    CHECK_MESSAGE(question.StartsWith("m.silva on "), question.utf8_string());
    CHECK(
        question.EndsWith(" is editing this draft now; their window will turn read-only, "
                          "keeping what they typed. Take over?"));
    REQUIRE(ea->lease() == AssessmentEditor::Lease::Ours);
    CHECK_FALSE(ea->model()->read_only());
    CHECK(ea->status_text().Contains("Taken over from m.silva"));
    CHECK(same_answers(ea->model()->assessment().answers, v.answers));

    // m.silva's MyoScreen is told at once and turns read-only, every typed answer still shown.
    std::string report = silva.line();
    const auto told_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    MESSAGE("the other MyoScreen reported read-only " << told_after.count()
                                                      << " ms after Take over was confirmed");
    REQUIRE_MESSAGE(report.rfind("read-only yes ", 0) == 0, report);
    CHECK(told_after < std::chrono::milliseconds(5000));
    Json shown = Json::parse(report.substr(std::string("read-only yes ").size()));
    CHECK(same_answers(shown, v.answers));
    settle(300);
    screenshot("clinic-take-over-done");

    // The audit trail: one take-over, by t.okafor, naming m.silva and the live lease.
    auto c = db.admin();
    auto r = c.exec(
        "SELECT clinician, summary FROM myoscreen.audit WHERE action = 'take-over' ORDER BY seq");
    REQUIRE(r.rows() == 1);
    CHECK(r.text(0, 0) == "t.okafor");
    CHECK(r.text(0, 1).rfind("took the draft over from m.silva on ", 0) == 0);
    CHECK(r.text(0, 1).find("their lease was live") != std::string::npos);
    // t.okafor edits it now: the lease is t.okafor's.
    CHECK(c.query_text("SELECT holder FROM myoscreen.draft_leases WHERE assessment = $1",
                       {draft}) == "t.okafor");
    CHECK_FALSE(ea->apply("nrs_now", 1).has_value());
    ea->save_now();
}
