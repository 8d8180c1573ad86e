// The editor's status line (issue 14's layout notes): a row of its own, the editor's full
// width, above the buttons, wrapped there, so that a long message (a save's refusal, the
// read-only reason, "Wrote ..." after an export) is read whole at 1024x768 as at 1920x1080.
// And the conflict view's words: the window's own, not the CLI's "reload to see the other
// change, then save again" (the CLI keeps its sentence).

#include <doctest/doctest.h>
#include <wx/button.h>

#include "gui/conflict_dialog.hpp"
#include "gui/model/conflict_model.hpp"
#include "gui_driver.hpp"
#include "progress_visits.hpp"
#include "store/stale_save.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;

TEST_CASE("conflict words: the window's own sentence; the store's (the CLI's) unchanged") {
    const std::string account =
        "assessment draft 12 was changed by m.silva at 10:42 on another workstation (ROOM-2) "
        "since this copy was read";
    store::ChangedElsewhere refusal(
        account +
            "; nothing was saved and your answers are kept (reload to see the other change, "
            "then save again)",
        {});
    CHECK(store::what_happened(refusal) == account);
    CHECK(conflict_intro(account) ==
          "Assessment draft 12 was changed by m.silva at 10:42 on another workstation (ROOM-2) "
          "since this window read it. Nothing was saved: your answers are still here. Keep "
          "yours (saved as the new version) or take the saved one.");
    CHECK(conflict_status(account) ==
          "Not saved: assessment draft 12 was changed by m.silva at 10:42 on another "
          "workstation (ROOM-2) since this window read it. Your answers are kept; the next save "
          "asks which version to keep.");
}

TEST_CASE(
    "status row: a long message has the editor's full width above the buttons, wrapped, "
    "never under a button; the conflict view speaks the window's words") {
    Fixture fx;
    Assessment v = myo::test::progress_visits().front();
    Assessment start = v;
    start.answers = Json::object();
    start.answers["nrs_now"] = 2;
    fx.store->add_patient(start.patient);
    const std::int64_t draft = fx.store->create_draft(start);
    fx.frame->open_assessment(draft);
    AssessmentEditor* ed = fx.frame->editor();
    settle(200);

    // Another program on this computer saves the draft meanwhile: this window's save is refused.
    {
        store::Store other(fx.db, myo::test::definitions());
        Assessment theirs = start;
        theirs.answers["nrs_now"] = 7;
        other.save_draft(draft, theirs);
    }
    CHECK_FALSE(ed->apply("nrs_average", 4).has_value());
    wxString intro;
    bool shown = drive_dialog<ConflictDialog>(
        [&] {
            ed->save_now();
            ed->resolve_conflict();
        },
        [&](ConflictDialog* d) {
            intro = d->intro_text();
            screenshot("status-row-conflict-view");
            d->EndModal(wxID_CANCEL);  // decides nothing: the refusal stays on the status line
        });
    REQUIRE(shown);
    CHECK_MESSAGE(intro.Contains("since this window read it. Nothing was saved: your answers are "
                                 "still here. Keep yours (saved as the new version) or take the "
                                 "saved one."),
                  intro.utf8_string());
    CHECK_FALSE(intro.Contains("reload"));
    settle(300);

    const wxString status = ed->status_text();
    CHECK_MESSAGE(status.StartsWith("Not saved: "), status.utf8_string());
    CHECK(status.EndsWith("the next save asks which version to keep."));
    wxWindow* line = ed->status_line();
    const wxRect row = line->GetRect();
    const wxRect finalize = ed->finalize_button()->GetRect();
    MESSAGE("status row " << row.width << "x" << row.height << " of an editor "
                          << ed->GetClientSize().x << " wide");
    // Its own row: above the buttons, as wide as the editor less its margins, and as tall as
    // its wrapped lines (none cut).
    CHECK(row.GetBottom() < finalize.GetTop());
    CHECK_FALSE(row.Intersects(finalize));
    CHECK(row.width >= ed->GetClientSize().x - ed->FromDIP(32));
    CHECK(row.height >= line->GetBestSize().y);
    const int lines = static_cast<int>(static_cast<wxStaticText*>(line)->GetLabel().Freq('\n') + 1);
    CHECK(row.height >= lines * line->GetTextExtent("Ag").y);
    fx.frame->Raise();
    screenshot("status-row-refused-save");
}
