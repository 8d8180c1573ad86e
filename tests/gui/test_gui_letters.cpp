// Issue 11, letters and who signed them, with the real windows under Xvfb: a report never
// overwrites another (two visits on one day, an amendment, a file already there); the first
// start asks who is using MyoScreen and the acknowledgement and the finalized assessment name
// that person; every menu shortcut works from any focus (the Find box), and a step key never
// switches silently to another patient's record.

#include <doctest/doctest.h>

#include <wx/button.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/timer.h>
#include <wx/uiaction.h>

#include <fstream>
#include <functional>
#include <set>

#include "core/evaluation.hpp"
#include "core/json_util.hpp"
#include "core/text_summary.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/clinician_dialog.hpp"
#include "gui/main_frame.hpp"
#include "gui/model/patient_input.hpp"
#include "gui/patient_panel.hpp"
#include "gui/progress_view.hpp"
#include "gui/summary_page.hpp"
#include "gui_driver.hpp"
#include "hash/sha256.hpp"
#include "progress_visits.hpp"
#include "store/store.hpp"
#include "support/test_support.hpp"

using namespace myo;
using namespace myo::gui;
using namespace guitest;

namespace {

// Runs `act` on the modal dialog of type T as soon as one is shown (a timer inside the
// dialog's own event loop), once per dialog shown; counts them.
template <class T>
class DialogDriver {
  public:
    explicit DialogDriver(std::function<void(T*)> act) : act_(std::move(act)) {
        timer_.Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
            for (wxWindow* w : wxTopLevelWindows) {
                auto* d = dynamic_cast<T*>(w);
                if (d && d->IsShown() && seen_.insert(d).second) {
                    ++shown;
                    settle(150);
                    act_(d);
                    return;
                }
            }
        });
        timer_.Start(100);
    }
    ~DialogDriver() { timer_.Stop(); }
    int shown = 0;

  private:
    std::function<void(T*)> act_;
    wxTimer timer_;
    std::set<T*> seen_;
};

// v4 (dark urine after exertion): an emergency, so the referral carries an acknowledgement.
Assessment v4() {
    return myo::test::vignette_assessment(myo::test::vignette_files().at(3));
}

void enter_visit(AssessmentEditor* ed, const Assessment& v, const std::string& kind,
                 std::optional<std::string> clinician) {
    ed->model()->set_visit(v.date, kind, clinician);
    for (const auto& [id, value] : v.answers.items()) {
        REQUIRE(ed->apply(id, value) == std::nullopt);
    }
    ed->acknowledge_emergencies();
}

// The name the app chooses for a stored assessment's PDF (visit = the first version's id).
std::string fileio_name(const std::string& patient, const std::string& date, std::int64_t visit,
                        int version, const std::string& kind) {
    return patient + "-" + date + "-visit" + std::to_string(visit) + "-v" +
           std::to_string(version) + "-" + kind + ".pdf";
}

void press(int keycode, int modifiers) {
    wxUIActionSimulator sim;
    sim.Char(keycode, modifiers);
    settle(120);
}

}  // namespace

TEST_CASE("letters: two visits on one day and an amendment never overwrite a report") {
    Fixture fx;
    const Assessment v = v4();
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(v.patient.id);
    AssessmentEditor* ed = fx.frame->editor();
    const auto out = fx.dir.path() / "reports";

    // The initial visit's emergency letter.
    fx.frame->new_assessment(v.patient, false);
    enter_visit(ed, v, "initial", v.clinician);
    REQUIRE(ed->finalize(false));
    const auto initial_id = *ed->assessment_id();
    const auto letter = ed->write_pdf(PdfKind::Referral, out.string());
    REQUIRE(letter);
    const std::string letter_hash = sha256_file(*letter);
    CHECK(std::filesystem::path(*letter).filename().string() ==
          fileio_name(v.patient.id, v.date, initial_id, 1, "referral"));

    // A follow-up on the same day: its letter has a name of its own.
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(v.patient.id);
    fx.frame->new_assessment(v.patient, true);
    enter_visit(ed, v, "follow_up", v.clinician);
    REQUIRE(ed->finalize(false));
    const auto follow_up_id = *ed->assessment_id();
    REQUIRE(follow_up_id != initial_id);
    const auto second = ed->write_pdf(PdfKind::Referral, out.string());
    REQUIRE(second);
    CHECK(*second != *letter);
    CHECK(std::filesystem::path(*second).filename().string() ==
          fileio_name(v.patient.id, v.date, follow_up_id, 1, "referral"));
    CHECK(sha256_file(*letter) == letter_hash);  // the emergency letter is still there, intact

    // The follow-up amended: version 2 of the same visit, its own letter.
    ed->amend();
    REQUIRE(ed->assessment_id() != follow_up_id);
    REQUIRE(ed->finalize(false));
    const auto amended = ed->write_pdf(PdfKind::Referral, out.string());
    REQUIRE(amended);
    CHECK(std::filesystem::path(*amended).filename().string() ==
          fileio_name(v.patient.id, v.date, follow_up_id, 2, "referral"));

    // The same letter again through the button, and a file of the clinic's at the handout's
    // name: nothing is replaced, the new files are numbered.
    ed->report_dir = out.string();
    auto* button = dynamic_cast<wxButton*>(wxWindow::FindWindowByLabel(_("&Referral PDF"), ed));
    REQUIRE(button != nullptr);
    click(button);
    settle(300);
    const auto again = out / fileio_name(v.patient.id, v.date, follow_up_id, 2, "referral (2)");
    CHECK(std::filesystem::exists(again));
    CHECK(ed->status_text().Contains("referral (2).pdf"));
    const auto handout_name = fileio_name(v.patient.id, v.date, follow_up_id, 2, "handout");
    {
        std::ofstream notes(out / handout_name);
        notes << "the clinic's own notes";
    }
    const auto handout = ed->write_pdf(PdfKind::Handout, out.string());
    REQUIRE(handout);
    CHECK(std::filesystem::path(*handout).filename().string() ==
          fileio_name(v.patient.id, v.date, follow_up_id, 2, "handout (2)"));
    CHECK(myo::read_text_file(out / handout_name) == "the clinic's own notes");
    CHECK(ed->status_text().Contains("handout (2).pdf"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(out)) {
        ++files;
    }
    CHECK(files == 6);  // 4 referrals, the notes and one handout: every one kept
    CHECK(sha256_file(*letter) == letter_hash);
}

TEST_CASE("clinician: the first start asks who is using MyoScreen; the records name them") {
    Fixture fx;
    fx.close();
    fx.ask_clinician = true;
    {
        DialogDriver<ClinicianDialog> driver([](ClinicianDialog* d) {
            // Sign in with no name: the message is at the field, the dialog stays.
            click(d->FindWindow(wxID_OK));
            CHECK(d->messages().Contains("Enter your name"));
            CHECK(d->IsShown());
            // A name the reports cannot print is refused there too (core's text policy).
            d->name_field()->SetValue(wxString::FromUTF8("Dr \u0915"));
            click(d->FindWindow(wxID_OK));
            CHECK(d->messages().Contains("U+0915 (Devanagari)"));
            d->name_field()->SetValue(wxEmptyString);
            click(d->name_field());
            type("Dr Ada Mensah");
            click(d->clinic_field());
            type("Riverside Physiotherapy");
            screenshot("sign-in");
            click(d->FindWindow(wxID_OK));
        });
        fx.open();
        settle(300);
        CHECK(driver.shown == 1);
    }
    CHECK(fx.store->load_settings().clinician_name == "Dr Ada Mensah");
    CHECK(fx.store->load_settings().clinic_name == "Riverside Physiotherapy");
    CHECK(fx.frame->clinician_status() == "Clinician: Dr Ada Mensah");
    CHECK(fx.frame->editor()->clinician == "Dr Ada Mensah");

    // The acknowledgement and the finalized assessment name the signed-in clinician, not
    // "the clinician"; the audit trail names them too.
    const Assessment v = v4();
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    enter_visit(ed, v, "initial", std::nullopt);
    REQUIRE(ed->model()->assessment().acknowledged);
    CHECK(ed->model()->assessment().acknowledged->front().by == "Dr Ada Mensah");
    REQUIRE(ed->finalize(false));
    const auto stored = fx.store->load(*ed->assessment_id());
    CHECK(stored.assessment.clinician == std::optional<std::string>("Dr Ada Mensah"));
    CHECK(stored.assessment.acknowledged->front().by == "Dr Ada Mensah");
    bool finalized_by = false;
    for (const auto& e : fx.store->audit_trail(v.patient.id)) {
        if (e.action == store::audit_action::kFinalize) {
            finalized_by = e.clinician == "Dr Ada Mensah";
        }
    }
    CHECK(finalized_by);

    // A second start with a name set asks nothing.
    fx.close();
    DialogDriver<ClinicianDialog> none([](ClinicianDialog* d) { d->EndModal(wxID_CANCEL); });
    fx.open();
    settle(300);
    CHECK(none.shown == 0);
    CHECK(fx.frame->clinician_status() == "Clinician: Dr Ada Mensah");
}

TEST_CASE("clinician: 'Later' leaves 'no clinician' visible and asks again at an acknowledgement") {
    Fixture fx;
    fx.close();
    fx.ask_clinician = true;
    {
        DialogDriver<ClinicianDialog> later(
            [](ClinicianDialog* d) { click(d->FindWindow(wxID_CANCEL)); });
        fx.open();
        settle(300);
        CHECK(later.shown == 1);
    }
    CHECK(fx.store->load_settings().clinician_name.empty());
    CHECK(fx.frame->clinician_status().Contains("No clinician signed in"));
    screenshot("no-clinician");

    const Assessment v = v4();
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    {
        // Asked again, politely, when the acknowledgement needs a name.
        DialogDriver<ClinicianDialog> asked([](ClinicianDialog* d) {
            click(d->name_field());
            type("Dr Lee");
            click(d->FindWindow(wxID_OK));
        });
        enter_visit(ed, v, "initial", std::nullopt);
        CHECK(asked.shown == 1);
    }
    CHECK(ed->model()->assessment().acknowledged->front().by == "Dr Lee");
    CHECK(fx.frame->clinician_status() == "Clinician: Dr Lee");
}

TEST_CASE("clinician: the sign-in form's messages (text policy, name needed)") {
    CHECK(check_sign_in("", "").at(0).message ==
          "Enter your name as it should appear on letters and in the history of changes, or "
          "choose Later.");
    CHECK(check_sign_in("Dr A", "").empty());
    CHECK(check_sign_in("Dr A", "Clinic\x1b").at(0).field == "clinic_name");
    CHECK(check_sign_in("Dr A\tB", "").at(0).message.find("tab") != std::string::npos);
}

TEST_CASE("shortcuts: every menu shortcut works from the Find box; no silent switch of patient") {
    Fixture fx;
    MainFrame* frame = fx.frame;
    // Patient A has an open assessment; then patient B is added through the dialog.
    const Patient a{"P-A", "Alice Aalto", "1970-01-01", "female"};
    fx.store->add_patient(a);
    frame->patients()->reload();
    frame->new_assessment(a, false);
    REQUIRE(frame->showing_assessment());
    frame->show_patients();
    create_patient_through_dialog(frame, {"P-B", "", "1980-02-02", "male"});
    settle(200);
    REQUIRE(frame->patients()->selected_patient());
    CHECK(frame->patients()->selected_patient()->id == "P-B");  // the new patient is selected
    frame->patients()->focus_search();
    settle(100);
    REQUIRE(wxWindow::FindFocus() == frame->patients()->search());
    screenshot("shortcuts-find-box");

    // Ctrl+PgDn with B selected does not open A's assessment: it says why and stays.
    press(WXK_PAGEDOWN, wxMOD_CONTROL);
    CHECK_FALSE(frame->showing_assessment());
    CHECK(frame->GetStatusBar()->GetStatusText(0).Contains("Alice Aalto"));

    // Ctrl+Shift+A from the Find box starts B's assessment (GTK's entry used to eat it).
    frame->patients()->focus_search();
    press('A', wxMOD_CONTROL | wxMOD_SHIFT);
    REQUIRE(frame->showing_assessment());
    REQUIRE(frame->editor()->model());
    CHECK(frame->editor()->model()->assessment().patient.id == "P-B");
    CHECK(frame->GetTitle().Contains("Patient P-B"));
    // Ctrl+PgDn now moves B's assessment on a step.
    const auto step = frame->editor()->current_step();
    press(WXK_PAGEDOWN, wxMOD_CONTROL);
    CHECK(frame->editor()->current_step() == step + 1);
    CHECK(frame->editor()->model()->assessment().patient.id == "P-B");

    // Ctrl+1 from a text field of the assessment, then Ctrl+F from the patient list.
    frame->editor()->date_field()->SetFocus();
    press('1', wxMOD_CONTROL);
    CHECK_FALSE(frame->showing_assessment());
    frame->patients()->patients()->SetFocus();
    settle(50);
    press('F', wxMOD_CONTROL);
    CHECK(wxWindow::FindFocus() == frame->patients()->search());
    // Ctrl+3 with the open assessment's patient selected shows its summary.
    frame->patients()->select_patient("P-B");
    frame->patients()->focus_search();
    press('3', wxMOD_CONTROL);
    CHECK(frame->showing_assessment());
    CHECK(frame->editor()->current_step() + 1 == frame->editor()->step_count());

    // Every shortcut of the menus is recognised from the Find box (the mapping itself).
    frame->show_patients();
    wxKeyEvent e(wxEVT_CHAR_HOOK);
    e.m_keyCode = 'N';
    e.m_controlDown = true;
    CHECK(frame->shortcut_command(e).has_value());
    e.m_keyCode = 'Y';  // not a shortcut: the control keeps it
    CHECK_FALSE(frame->shortcut_command(e).has_value());
    e.m_controlDown = false;
    e.m_keyCode = 'N';  // plain N answers a red flag, never "New patient"
    CHECK_FALSE(frame->shortcut_command(e).has_value());
}

TEST_CASE("progress at 1024x768: Ctrl+Tab switches tabs; names tell left from right; sources") {
    Fixture fx;
    for (const auto& a : myo::test::progress_visits()) {
        fx.store->finalize(fx.store->create_draft(a));
    }
    fx.frame->SetSize(wxSize(1024, 768));
    fx.frame->Move(0, 0);
    settle(200);
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("PRG-1");
    fx.frame->show_progress();
    settle(300);
    REQUIRE(fx.frame->showing_progress());
    ProgressView* view = fx.frame->progress();
    REQUIRE(view->model());

    // Every row's name as shown is distinct, and a cut name keeps its distinguishing end.
    std::set<wxString> shown;
    for (long i = 0; i < view->table()->GetItemCount(); ++i) {
        const wxString cell = view->cell(i, 0);
        const wxString full = wxs(view->model()->rows()[static_cast<std::size_t>(i)].label);
        CAPTURE(u8(full));
        CHECK(shown.insert(cell).second);
        CHECK(view->full_label(i).StartsWith(full));
        if (cell != full) {
            CHECK(full.EndsWith(cell.AfterFirst(wxUniChar(0x2026))));
        }
    }
    const long left = view->row_of("tp.trapezius_l");
    const long right = view->row_of("tp.trapezius_r");
    REQUIRE(left >= 0);
    REQUIRE(right >= 0);
    CHECK(view->cell(left, 0).EndsWith("Trapezius, left"));
    CHECK(view->cell(right, 0).EndsWith("Trapezius, right"));
    CHECK(view->full_label(left) == "Tender point grade: Trapezius, left (grade 0-3)");

    // The row's detail cites the published source, not an internal document.
    view->table()->SetItemState(left, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    settle(100);
    CHECK(view->details_text().Contains("Tender point grade: Trapezius, left"));
    CHECK(view->details_text().Contains("Source: Wolfe 1990"));
    CHECK_FALSE(view->details_text().Contains("clinical.md"));
    for (const auto& r : view->model()->comparison().rows) {
        CAPTURE(r.id);
        CHECK(r.source.find("clinical.md") == std::string::npos);
    }
    screenshot("progress-1024-table");

    // The progress report twice: the second is numbered, the first kept.
    const auto out = fx.dir.path() / "reports";
    const auto first = view->write_pdf(out.string());
    const auto second = view->write_pdf(out.string());
    REQUIRE(first);
    REQUIRE(second);
    CHECK(std::filesystem::path(*first).filename() == "PRG-1-2026-04-10-progress.pdf");
    CHECK(std::filesystem::path(*second).filename() == "PRG-1-2026-04-10-progress (2).pdf");

    // Ctrl+Tab from the table goes to the next tab, Ctrl+Shift+Tab back.
    view->table()->SetFocus();
    settle(50);
    REQUIRE(view->notebook()->GetSelection() == 0);
    press(WXK_TAB, wxMOD_CONTROL);
    CHECK(view->notebook()->GetSelection() == 1);
    press(WXK_TAB, wxMOD_CONTROL);
    CHECK(view->notebook()->GetSelection() == 2);
    press(WXK_TAB, wxMOD_CONTROL | wxMOD_SHIFT);
    CHECK(view->notebook()->GetSelection() == 1);
}

TEST_CASE("summary: core's evaluation as a page; red flags first, every word escaped") {
    const Definitions& defs = myo::test::definitions();
    Assessment a = v4();
    a.patient.name = "Tom <b>&amp;</b> Ribeiro";
    a.notes = "x";
    const Evaluation e = evaluate(defs, a);
    const auto lines = evaluation_lines(defs, a, e);
    const std::string html = summary_html(lines);
    // Typed text never becomes markup.
    CHECK(html.find("Tom &lt;b&gt;&amp;amp;&lt;/b&gt; Ribeiro") != std::string::npos);
    CHECK(html.find("<b>&amp;") == std::string::npos);
    // The urgency and the red flags come before the scores and the tests.
    const auto flags = html.find("Red flags:");
    REQUIRE(flags != std::string::npos);
    CHECK(html.find("Urgency:") < flags);
    CHECK(flags < html.find(defs.rules.acr2016.name));
    CHECK(flags < html.find("Suggested tests:"));
    CHECK(html.find(e.red_flags.front().label) < html.find("Suggested tests:"));
    // Each test with its reasons.
    for (const auto& t : e.tests) {
        CHECK(html.find(t.id + " - " + t.name) != std::string::npos);
    }
    CHECK(html.find("because:") != std::string::npos);

    // In the editor, at 1024x768: the page holds every line's words.
    Fixture fx;
    fx.frame->SetSize(wxSize(1024, 768));
    fx.frame->Move(0, 0);
    Assessment v = v4();
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    enter_visit(ed, v, "initial", v.clinician);
    go_to(ed, std::string(kSummaryStep));
    settle(300);
    const wxString page = ed->summary()->text();
    for (const auto& line : ed->model()->summary_lines()) {
        CAPTURE(line.text);
        wxString words = wxs(line.text);
        words.Replace("  ", " ");
        CHECK(page.Contains(words));
    }
    screenshot("summary-1024-v4");
    ed->summary()->Scroll(0, ed->summary()->GetScrollRange(wxVERTICAL) / 2);
    screenshot("summary-1024-v4-middle");
    ed->summary()->Scroll(0, ed->summary()->GetScrollRange(wxVERTICAL));
    screenshot("summary-1024-v4-end");
}
