// Issue 11, through the real windows (wxUIActionSimulator under Xvfb): Finalize cannot sign
// off a refused value, its confirmation lists what is missing and needs an explicit choice for
// unscreened red flags; the pain map's "No painful areas"; fields that appear leave the others
// alone; a follow-up starts pre-filled; status texts describe the present.

#include <doctest/doctest.h>

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/listbox.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/timer.h>
#include <wx/uiaction.h>

#include <functional>
#include <vector>

#include "core/dates.hpp"
#include "gui/body_chart_ctrl.hpp"
#include "gui/finalize_dialog.hpp"
#include "gui/item_controls.hpp"
#include "gui/live_panel.hpp"
#include "gui/patient_dialog.hpp"
#include "gui/patient_panel.hpp"
#include "gui_driver.hpp"
#include "progress_visits.hpp"

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;
using namespace guitest;

namespace {

bool drive_finalize(const std::function<void()>& open,
                    const std::function<void(FinalizeDialog*)>& act) {
    return drive_dialog<FinalizeDialog>(open, act);
}

Patient patient() {
    return {"FIN-1", "Ada Finalize", "1971-05-06", "female"};
}

// A new initial draft for patient() opened in the editor.
AssessmentEditor* start_draft(Fixture& fx) {
    fx.store->add_patient(patient());
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(patient().id);
    settle(50);
    fx.frame->new_assessment(patient(), false);
    settle(100);
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(ed->model() != nullptr);
    return ed;
}

store::Status status_of(Fixture& fx, AssessmentEditor* ed) {
    return fx.store->load(*ed->assessment_id()).info.status;
}

}  // namespace

TEST_CASE("finalize: 12 typed in Pain now and Finalize clicked at once signs nothing off") {
    Fixture fx;
    AssessmentEditor* ed = start_draft(fx);
    go_to(ed, "history");
    ItemRow* pain = ed->row("nrs_now");
    REQUIRE(pain != nullptr);
    click(pain->text());
    type("12");
    // No focus change, no autosave in between: straight to the button.
    bool dialog = drive_finalize([&] { click(ed->finalize_button()); },
                                 [&](FinalizeDialog* d) { click(d->FindWindow(wxID_CANCEL)); });
    CHECK_FALSE(dialog);
    CHECK(status_of(fx, ed) == store::Status::Draft);
    CHECK_FALSE(ed->model()->read_only());
    CHECK(pain->text()->GetValue() == "12");
    CHECK(pain->message().Contains("Expected an integer 0..10, got 12."));
    CHECK(ed->status_text().Contains("\"Pain now (NRS)\""));
    CHECK(ed->status_text().Contains("refused"));
    CHECK(ed->model()->answer("nrs_now") == nullptr);
    // The autosave that follows does not replace why Finalize stopped.
    settle(500);
    CHECK(ed->status_text().Contains("\"Pain now (NRS)\""));
    screenshot("finalize-refused-pain");

    // From another step, Finalize goes back to the field and gives it the keyboard.
    go_to(ed, "symptoms");
    CHECK(wxWindow::FindFocus() != pain->text());
    click(ed->finalize_button());
    settle(100);
    CHECK(ed->step_list()->GetSelection() == 0);
    CHECK(wxWindow::FindFocus() == pain->text());
    CHECK(status_of(fx, ed) == store::Status::Draft);

    // Corrected (the selected "12" is typed over), the field no longer blocks.
    type("7");
    CHECK(pain->text()->GetValue() == "7");
    CHECK(ed->model()->refused("nrs_now") == nullptr);
    CHECK(ed->model()->answer("nrs_now") != nullptr);
}

TEST_CASE(
    "finalize: the confirmation lists what is missing; unscreened flags need the named button") {
    Fixture fx;
    AssessmentEditor* ed = start_draft(fx);
    go_to(ed, "red_flags");
    key('n');  // the first question answered: 20 left
    const std::size_t left = ed->model()->evaluation().unscreened.size();
    REQUIRE(left == ed->model()->red_flag_items().size() - 1);
    const std::string second = ed->model()->red_flag_items().at(1)->label;

    // Enter is Cancel: nothing unscreened is signed off by reflex.
    wxString listed;
    wxString button;
    bool shown = drive_finalize([&] { click(ed->finalize_button()); },
                                [&](FinalizeDialog* d) {
                                    listed = d->text();
                                    button = d->finalize_button()->GetLabelText();
                                    screenshot("finalize-confirmation");
                                    key(WXK_RETURN);
                                });
    REQUIRE(shown);
    CHECK(status_of(fx, ed) == store::Status::Draft);
    CHECK(listed.Contains(wxString::Format("%zu red-flag questions not screened", left)));
    CHECK(listed.Contains(wxs(second)));
    CHECK(listed.Contains("Duration of the current pain: not recorded"));
    CHECK(listed.Contains("Pain map: not recorded"));
    CHECK(button == wxString::Format("Finalize with %zu red flags not screened", left));

    // "Screen the red flags" goes to the first unscreened question.
    shown = drive_finalize([&] { click(ed->finalize_button()); },
                           [&](FinalizeDialog* d) { click(d->screen_button()); });
    REQUIRE(shown);
    CHECK(status_of(fx, ed) == store::Status::Draft);
    CHECK(ed->current_step() == 5);  // red_flags
    ItemRow* q2 = ed->row(ed->model()->red_flag_items().at(1)->id);
    CHECK(q2->IsDescendant(wxWindow::FindFocus()));

    // The explicit choice signs off.
    shown = drive_finalize([&] { click(ed->finalize_button()); },
                           [&](FinalizeDialog* d) { click(d->finalize_button()); });
    REQUIRE(shown);
    CHECK(status_of(fx, ed) == store::Status::Final);
    CHECK(ed->status_text().Contains("Final"));
}

TEST_CASE("pain map: 'No painful areas' records WPI 0; untouched says not recorded") {
    Fixture fx;
    AssessmentEditor* ed = start_draft(fx);
    REQUIRE(ed->model()->set_answer("duration_weeks", 20) == std::nullopt);
    go_to(ed, "pain_map");
    // Visiting records nothing: no tick, and every screen says so.
    wxString step = ed->step_list()->GetString(1);
    CHECK_FALSE(step.StartsWith(wxString::FromUTF8("\u2713")));
    CHECK(step.Contains("Pain map (not recorded)"));
    CHECK(ed->pain_map_state() == "Pain map not recorded.");
    CHECK(ed->live_panel()->text().Contains("pain map not recorded"));
    CHECK_FALSE(ed->model()->evaluation().acr2016.met.has_value());  // not known
    screenshot("pain-map-not-recorded");

    // From the keyboard: the button, then Space.
    REQUIRE(ed->no_pain_button()->IsEnabled());
    ed->no_pain_button()->SetFocus();
    settle(50);
    key(WXK_SPACE);
    settle(50);
    CHECK(ed->model()->pain_map_recorded());
    CHECK(ed->model()->evaluation().acr2016.wpi == std::optional<int>(0));
    CHECK(ed->model()->evaluation().acr2016.met == std::optional<bool>(false));
    CHECK(ed->pain_map_state().Contains("No painful areas"));
    CHECK(ed->step_list()->GetString(1).StartsWith(wxString::FromUTF8("\u2713")));
    CHECK(ed->live_panel()->text().Contains("0 of 19"));
    CHECK_FALSE(ed->no_pain_button()->IsEnabled());
    CHECK(ed->clear_pain_map_button()->IsEnabled());
    screenshot("pain-map-no-painful-areas");

    // Clear (Alt+L, its mnemonic): back to not recorded.
    {
        wxUIActionSimulator sim;
        sim.Char('l', wxMOD_ALT);
        settle(100);
    }
    CHECK_FALSE(ed->model()->pain_map_recorded());
    CHECK(ed->pain_map_state() == "Pain map not recorded.");

    // Paint an area: hovering there says painful at once; clearing it keeps the map recorded.
    BodyChartCtrl* c = ed->chart_for("pain_map");
    REQUIRE(c != nullptr);
    auto at = c->position_of("wpi.neck");
    REQUIRE(at.has_value());
    const int builds = ed->live_panel()->builds();
    click_at(c, *at);
    settle(50);
    CHECK(c->tooltip_text().Contains(": painful"));
    CHECK(ed->pain_map_state().Contains("1 painful area of 19"));
    // The live panel's score changed in place (a click rebuilds no widget), and the label on
    // screen says what text() says.
    CHECK(ed->live_panel()->builds() == builds);
    {
        wxString wpi_line;
        for (const auto& line : wxSplit(ed->live_panel()->text(), '\n')) {
            if (line.StartsWith("Widespread Pain Index")) {
                wpi_line = line;
            }
        }
        CHECK(wpi_line.Contains("1 of 19"));
        bool on_screen = false;
        for (wxWindow* w : ed->live_panel()->GetChildren()) {
            if (auto* t = dynamic_cast<wxStaticText*>(w)) {
                wxString shown = t->GetLabel();
                shown.Replace("\n", " ");
                on_screen = on_screen || shown == wpi_line;
            }
        }
        CHECK(on_screen);
        screenshot("pain-map-one-area");
    }
    click_at(c, *at);
    settle(50);
    CHECK(c->tooltip_text().Contains("not painful"));
    CHECK(ed->model()->pain_map_recorded());
    CHECK(ed->pain_map_state().Contains("No painful areas"));
    // The list beside the chart agrees: unticking a box records "not painful" too.
    ItemRow* shoulder = ed->row("wpi.shoulder_girdle_l");
    REQUIRE(shoulder != nullptr);
    click(shoulder->check());
    CHECK(*ed->model()->answer("wpi.shoulder_girdle_l") == true);
    click(shoulder->check());
    CHECK(*ed->model()->answer("wpi.shoulder_girdle_l") == false);

    // A final visit's chart is looked at, not worked: no focus, no focus outline.
    REQUIRE(ed->finalize(false));
    CHECK_FALSE(c->AcceptsFocus());
}

TEST_CASE("fields that appear: a refused weight stays, and the typing stays where it was") {
    Fixture fx;
    AssessmentEditor* ed = start_draft(fx);
    go_to(ed, "examination");
    ItemRow* today = ed->row("exam.weight_kg");
    ItemRow* prev = ed->row("exam.weight_prev_kg");
    ItemRow* months = ed->row("exam.weight_prev_months");
    REQUIRE((today && prev && months));
    CHECK_FALSE(months->IsShown());
    click(today->text());
    type("900");
    CHECK(today->message().Contains("got 900"));
    click(prev->text());
    type("8");
    settle(50);
    // "Previous weight taken" appeared; nothing else moved.
    CHECK(months->IsShown());
    CHECK(today->text()->GetValue() == "900");
    CHECK(today->message().Contains("got 900"));
    CHECK(wxWindow::FindFocus() == prev->text());
    type("4");
    CHECK(prev->text()->GetValue() == "84");
    CHECK(months->text()->GetValue().empty());
    CHECK(*ed->model()->answer("exam.weight_prev_kg") == 84);
    screenshot("fields-that-appear");
    // And the refused weight still blocks Finalize.
    click(ed->finalize_button());
    settle(50);
    CHECK(wxWindow::FindFocus() == today->text());
    CHECK(status_of(fx, ed) == store::Status::Draft);
}

TEST_CASE("follow-up: duration, previous weight and PSFS activities are carried; status is fresh") {
    Fixture fx;
    Assessment first;
    first.patient = patient();
    first.date = "2026-11-01";
    first.kind = "initial";
    first.answers["duration_weeks"] = 6;
    first.answers["exam.weight_kg"] = 82;
    first.answers["psfs"] = Json::array({Json{{"activity", "Climbing stairs"}, {"score", 4}}});
    fx.store->add_patient(first.patient);
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(patient().id);
    settle(50);
    fx.frame->new_assessment(patient(), false);
    AssessmentEditor* ed = fx.frame->editor();
    for (const auto& [id, value] : first.answers.items()) {
        REQUIRE(ed->apply(id, value) == std::nullopt);
    }
    REQUIRE(ed->model()->set_visit_date(first.date) == std::nullopt);
    REQUIRE(ed->finalize(false));
    CHECK(ed->status_text().Contains("Final"));

    fx.frame->show_patients();
    fx.frame->patients()->select_patient(patient().id);
    settle(50);
    fx.frame->new_assessment(patient(), true);
    settle(100);
    REQUIRE(ed->model()->assessment().kind == std::optional<std::string>("follow_up"));
    // The status is about this draft, not the visit finalized before.
    CHECK_FALSE(ed->status_text().Contains("Final"));
    CHECK(ed->status_text().Contains("pre-filled from the last visit"));
    const Json& answers = ed->model()->assessment().answers;
    CHECK(answers.at("exam.weight_prev_kg") == 82);
    CHECK(answers.contains("exam.weight_prev_months"));
    CHECK(answers.at("duration_weeks").get<double>() >= 6);
    go_to(ed, "history");
    CHECK(ed->row("duration_weeks")->text()->GetValue() ==
          wxs(ed->model()->answer_text("duration_weeks")));
    go_to(ed, "examination");
    CHECK(ed->row("exam.weight_prev_kg")->text()->GetValue() == "82");
    CHECK(ed->row("exam.weight_prev_months")->IsShown());

    go_to(ed, "physio");
    auto* activity = dynamic_cast<wxTextCtrl*>(
        ed->row("psfs")->FindWindowByName("Entry 1: Activity", ed->row("psfs")));
    auto* score = dynamic_cast<wxTextCtrl*>(
        ed->row("psfs")->FindWindowByName("Entry 1: Score", ed->row("psfs")));
    REQUIRE((activity && score));
    CHECK(activity->GetValue() == "Climbing stairs");
    CHECK(score->GetValue().empty());
    CHECK(ed->row("psfs")->message().Contains("An entry is kept once it has: Activity, Score."));
    scroll_to(score);
    screenshot("follow-up-psfs-carried");
    // A refused score blocks Finalize like any refused field, and the keyboard goes back to it.
    click(score);
    type("12");
    CHECK(ed->row("psfs")->message().Contains("got 12"));
    go_to(ed, "history");
    click(ed->finalize_button());
    settle(100);
    CHECK(status_of(fx, ed) == store::Status::Draft);
    CHECK(ed->status_text().Contains("Patient-Specific Functional Scale"));
    score = dynamic_cast<wxTextCtrl*>(
        ed->row("psfs")->FindWindowByName("Entry 1: Score", ed->row("psfs")));
    REQUIRE(score != nullptr);
    CHECK(wxWindow::FindFocus() == score);
    CHECK(score->GetValue() == "12");
    score->SelectAll();
    type("6");
    REQUIRE(ed->model()->answer("psfs") != nullptr);
    CHECK((*ed->model()->answer("psfs"))[0]["activity"] == "Climbing stairs");
    CHECK((*ed->model()->answer("psfs"))[0]["score"] == 6);
}

TEST_CASE("status texts: a final visit's emergency banner does not call the window read-only") {
    Fixture fx;
    Assessment v4 = myo::test::vignette_assessment(myo::test::vignette_files().at(3));
    fx.store->add_patient(v4.patient);
    std::int64_t id = fx.store->create_draft(v4);
    fx.store->finalize(id);
    fx.frame->open_assessment(id);
    AssessmentEditor* ed = fx.frame->editor();
    settle(100);
    REQUIRE(ed->banner()->IsShown());
    wxString banner;
    for (wxWindow* w : ed->banner()->GetChildren()) {
        if (auto* t = dynamic_cast<wxStaticText*>(w)) {
            banner += t->GetLabel();
        }
    }
    CHECK_FALSE(banner.Contains("read-only"));
    CHECK(banner.Contains("Amend"));

    // "Added ..." in the status bar is about a moment; moving on clears it.
    fx.frame->SetStatusText("Added Zoe.");
    fx.frame->show_patients();
    CHECK_FALSE(fx.frame->GetStatusBar()->GetStatusText().Contains("Added"));
}

TEST_CASE("status texts: a birth date written as asked but not a real day says so") {
    Fixture fx;
    wxString told;
    bool shown = drive_dialog<PatientDialog>([&] { fx.frame->new_patient(); },
                                             [&](PatientDialog* d) {
                                                 click(d->name_field());
                                                 type("Ada Date");
                                                 click(d->birth_field());
                                                 type("1975-02-30");
                                                 click(d->FindWindow(wxID_OK));
                                                 told = d->messages();
                                                 screenshot("new-patient-no-such-day");
                                                 click(d->FindWindow(wxID_CANCEL));
                                             });
    REQUIRE(shown);
    CHECK(told.Contains("The date 1975-02-30 does not exist: February 1975 has 28 days."));
    CHECK_FALSE(told.Contains("YYYY-MM-DD"));
}

TEST_CASE("body chart: Progress's read-only charts take no focus (no focus outline)") {
    Fixture fx;
    for (const auto& a : myo::test::progress_visits()) {
        fx.store->finalize(fx.store->create_draft(a));
    }
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient("PRG-1");
    settle(50);
    fx.frame->show_progress();
    REQUIRE(fx.frame->showing_progress());
    std::vector<BodyChartCtrl*> charts;
    std::function<void(wxWindow*)> find = [&](wxWindow* w) {
        if (auto* c = dynamic_cast<BodyChartCtrl*>(w)) {
            charts.push_back(c);
        }
        for (wxWindow* child : w->GetChildren()) {
            find(child);
        }
    };
    find(fx.frame);
    REQUIRE(charts.size() >= 2);
    for (BodyChartCtrl* c : charts) {
        if (!c->IsDescendant(fx.frame->editor())) {
            CHECK_FALSE(c->AcceptsFocus());
        }
    }
}
