// "A visit finalized in room 2 appears in room 1's visit list and Progress" (issue 14): the open
// Progress view follows the clinic server's announcements, against the private PostgreSQL
// server, with another workstation's Store (its own login) finalising a visit.

#include <doctest/doctest.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>

#include <chrono>

#include "../pg/pg_fixture.hpp"
#include "gui/patient_panel.hpp"
#include "gui/progress_view.hpp"
#include "gui_driver.hpp"
#include "progress_visits.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

TEST_CASE(
    "clinic live: a visit finalised on another workstation appears in the open Progress "
    "within 1 s; a draft saved there changes nothing here") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    myo::test::ScratchDatabase db(*admin);
    myo::test::init_clinic(db, {"t.okafor", "m.silva"});
    const auto visits = myo::test::progress_visits();
    store::Store room2(db.conninfo("m.silva"), myo::test::definitions());
    room2.add_patient(visits[0].patient);
    for (int i = 0; i < 2; ++i) {
        room2.finalize(room2.create_draft(visits[static_cast<std::size_t>(i)]));
    }

    // Room 1 shows the patient's Progress: two visits.
    Fixture fx(std::filesystem::path(db.conninfo("t.okafor")));
    REQUIRE(fx.frame->clinic_link() != nullptr);
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("PRG-1");
    settle(50);
    fx.frame->show_progress();
    settle(200);
    REQUIRE(fx.frame->showing_progress());
    ProgressView* view = fx.frame->progress();
    REQUIRE(view->model() != nullptr);
    REQUIRE(view->model()->visits().size() == 2);
    const int columns = view->table()->GetColumnCount();

    // Room 2 starts the third visit and saves it as a draft: Progress compares finals only, so
    // nothing is rebuilt here (the tab and the selection stay as the person left them).
    view->notebook()->SetSelection(1);
    const std::int64_t third = room2.create_draft(visits[2]);
    settle(1000);
    CHECK(view->model()->visits().size() == 2);
    CHECK(view->notebook()->GetSelection() == 1);

    // Room 2 finalises it: the open Progress shows three visits within a second.
    const auto t0 = std::chrono::steady_clock::now();
    room2.finalize(third);
    const auto until = t0 + std::chrono::seconds(5);
    while ((view->model() == nullptr || view->model()->visits().size() != 3) &&
           std::chrono::steady_clock::now() < until) {
        settle(10);
    }
    const auto shown_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    MESSAGE("the finalised visit was in the open Progress " << shown_after.count()
                                                            << " ms after finalize returned");
    REQUIRE(view->model() != nullptr);
    CHECK(view->model()->visits().size() == 3);
    CHECK(shown_after < std::chrono::milliseconds(1000));
    CHECK(view->model()->visits().back().assessment == third);
    CHECK(view->table()->GetColumnCount() == columns);
    fx.frame->Raise();
    settle(200);
    screenshot("clinic-live-progress");
}
