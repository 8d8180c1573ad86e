// The real windows under Xvfb, driven as a person would with wxUIActionSimulator (issue 5):
// create a patient, fill whole vignettes through the controls (body chart clicks, Y/N/U keys
// on the red flags), compare the live panel and summary with `myoscreen-cli evaluate`,
// acknowledge an emergency, finalize; kill the application mid-editing and find the draft.
//
// Without a display these tests fail: a GUI test that passes without running is worse than
// none (scripts/test always runs them under xvfb-run). MYOSCREEN_SCREENSHOTS=DIR saves a
// screenshot of every step (`import -window root`) to look at.

#include <doctest/doctest.h>

#include <wx/app.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/fileconf.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/tglbtn.h>
#include <wx/uiaction.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "core/bodychart.hpp"
#include "core/comparison.hpp"
#include "core/describe.hpp"
#include "core/evaluation.hpp"
#include "core/json_util.hpp"
#include "core/text_summary.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/body_chart_ctrl.hpp"
#include "gui/delete_patient_dialog.hpp"
#include "gui/history_dialog.hpp"
#include "gui/item_controls.hpp"
#include "gui/live_panel.hpp"
#include "gui/main_frame.hpp"
#include "gui/model/progress_model.hpp"
#include "gui/open_store.hpp"
#include "gui/patient_dialog.hpp"
#include "gui/patient_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/progress_view.hpp"
#include "gui/summary_page.hpp"
#include "gui/wx_util.hpp"
#include "gui_driver.hpp"
#include "other_workstation.hpp"
#include "progress_visits.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"
#include "support/test_support.hpp"

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;

using namespace guitest;

TEST_CASE("a display is there (GUI tests never pass silently without one)") {
    ensure_wx();
    CHECK(wxTheApp != nullptr);
}

TEST_CASE("patients: a new patient through the dialog, then found by an accent-free search") {
    Fixture fx;
    CHECK(fx.frame->GetTitle().StartsWith("MyoScreen"));
    Patient p{"P-100", "", "1968-04-02", "female"};
    create_patient_through_dialog(fx.frame, p);
    settle(100);
    REQUIRE(fx.store->find_patient("P-100").has_value());
    CHECK(fx.store->find_patient("P-100")->name == "Patient P-100");
    fx.store->add_patient(
        {"P-101", u8(wxString::FromUTF8("Zoë Åkesson-Núñez")), "1981-04-02", "female"});
    fx.frame->patients()->reload();
    click(fx.frame->patients()->search());
    type("zoe ake");
    settle(100);
    CHECK(fx.frame->patients()->patient_count() == 1);
    screenshot("patients");
}

TEST_CASE("assessment: every vignette through the real controls agrees with myoscreen-cli") {
    for (const auto& file : myo::test::vignette_files()) {
        CAPTURE(file);
        Fixture fx;
        Assessment v = myo::test::vignette_assessment(file);
        fx.store->add_patient(v.patient);
        fx.frame->patients()->reload();
        fx.frame->patients()->select_patient(v.patient.id);
        settle(50);
        Assessment start = v;
        start.answers = Json::object();
        fx.frame->new_assessment(v.patient, false);
        AssessmentEditor* ed = fx.frame->editor();
        REQUIRE(ed->model() != nullptr);
        // The new assessment is today's; the vignette's date decides the age, so use it.
        ed->model()->set_visit(v.date, v.kind, v.clinician);
        bool shots = file.filename().string().rfind("v4", 0) == 0 ||
                     file.filename().string().rfind("v5", 0) == 0;
        fill(ed, v, shots ? file.stem().string() : std::string());

        // Every answer arrived as the file has it.
        CHECK_MESSAGE(same_answers(ed->model()->assessment().answers, v.answers),
                      ed->model()->assessment().answers.dump() << "\n"
                                                               << v.answers.dump());
        // The live panel and the summary say what core and the CLI say.
        Json cli = cli_evaluate(ed->model()->assessment(), fx.dir.path());
        Json mine = evaluation_to_json(ed->model()->evaluation(), definitions());
        CHECK(cli == mine);
        Json expected = myo::test::read_json(file)["expected"];
        CHECK(has_subset(mine, expected));
        wxString live = ed->live_panel()->text();
        for (const auto& f : ed->model()->evaluation().red_flags) {
            CHECK(live.Contains(wxs(f.label)));
            CHECK(live.Contains(wxs(urgency_label(definitions(), f.urgency)).Upper()));
        }
        CHECK(live.Contains(
                  wxString::Format("%zu of", ed->model()->evaluation().unscreened.size())) ==
              !ed->model()->evaluation().unscreened.empty());
        go_to(ed, kSummaryStep);
        // The page lays out core's evaluation (issue 11): every line's words are there.
        {
            auto squash = [](const wxString& s) {
                wxString out;
                for (wxUniChar c : s) {
                    if (!wxIsspace(c)) {
                        out += c;
                    }
                }
                return out;
            };
            const wxString page = squash(ed->summary()->text());
            for (const auto& line : evaluation_lines(definitions(), ed->model()->assessment(),
                                                     ed->model()->evaluation())) {
                CAPTURE(line.text);
                CHECK(page.Contains(squash(wxs(line.text))));
            }
        }
        if (shots) {
            screenshot(file.stem().string() + "-9-summary");
        }

        // An emergency must be acknowledged before finalizing; the banner's button does it.
        if (!ed->model()->pending_emergencies().empty()) {
            CHECK(ed->banner()->IsShown());
            CHECK_FALSE(ed->model()->finalize_problems().empty());
            click(ed->acknowledge_button());
            CHECK(ed->model()->pending_emergencies().empty());
            REQUIRE(ed->model()->assessment().acknowledged.has_value());
            CHECK_FALSE(ed->banner()->IsShown());
        }
        REQUIRE(ed->finalize(false));
        auto id = *ed->assessment_id();
        CHECK(fx.store->load(id).info.status == store::Status::Final);
        CHECK(ed->model()->read_only());
        CHECK(same_answers(fx.store->load(id).assessment.answers, v.answers));
        if (shots) {
            fx.frame->show_patients();
            fx.frame->patients()->select_patient(v.patient.id);
            screenshot(file.stem().string() + "-0-patients");
        }
    }
}

TEST_CASE("keyboard: the body chart works without a mouse") {
    Fixture fx;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().front());
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    go_to(ed, "pain_map");
    BodyChartCtrl* areas = ed->chart_for("pain_map");
    REQUIRE(areas != nullptr);
    areas->SetFocus();
    settle(50);
    std::string first = areas->focused_item();
    key(WXK_RIGHT);
    std::string second = areas->focused_item();
    CHECK(second != first);
    key(WXK_SPACE);
    CHECK(*ed->model()->answer(second) == true);
    key(WXK_SPACE);
    // Taken off again: "not painful", and the map stays recorded (issue 11).
    REQUIRE(ed->model()->answer(second) != nullptr);
    CHECK(*ed->model()->answer(second) == false);

    go_to(ed, "tender_points");
    BodyChartCtrl* points = ed->chart_for("tender_points");
    REQUIRE(points != nullptr);
    points->SetFocus();
    settle(50);
    std::string site = points->focused_item();
    key('2');
    CHECK(*ed->model()->answer(site) == 2);
    // The list beside the chart shows the same grade.
    CHECK(ed->row(site)->choice()->GetSelection() == 3);
    key(WXK_DELETE);
    CHECK(ed->model()->answer(site) == nullptr);
}

TEST_CASE("visits: a follow-up is pre-filled, a final is read-only and Amend makes a new version") {
    Fixture fx;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().at(1));
    fx.store->add_patient(v.patient);
    fx.store->import_assessments({v});
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(v.patient.id);
    settle(50);
    REQUIRE(fx.frame->patients()->visit_count() == 1);
    fx.frame->new_assessment(v.patient, true);
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(ed->model() != nullptr);
    CHECK(ed->model()->assessment().kind == std::optional<std::string>("follow_up"));
    CHECK(ed->model()->answer("med.statin") != nullptr);
    CHECK(ed->model()->answer("nrs_worst") == nullptr);
    CHECK(ed->row("med.list")->text()->GetValue() ==
          wxs(v.answers.at("med.list").get<std::string>()));

    // Open the imported final: read-only; Amend gives an editable new version.
    fx.frame->show_patients();
    fx.frame->patients()->select_patient(v.patient.id);
    settle(50);
    auto history = fx.store->history(v.patient.id);
    std::int64_t final_id = 0;
    for (const auto& h : history) {
        if (h.status == store::Status::Final) {
            final_id = h.id;
        }
    }
    REQUIRE(final_id != 0);
    fx.frame->open_assessment(final_id);
    CHECK(ed->model()->read_only());
    CHECK(ed->model()->set_answer("nrs_now", 3).has_value());
    CHECK_FALSE(ed->row("nrs_worst")->text()->IsEditable());
    ed->amend();
    REQUIRE(ed->assessment_id().has_value());
    CHECK(*ed->assessment_id() != final_id);
    CHECK_FALSE(ed->model()->read_only());
    CHECK(fx.store->load(*ed->assessment_id()).info.version == 2);
}

TEST_CASE("assessment: an out-of-range value is refused at the field with a message") {
    Fixture fx;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().front());
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    go_to(ed, "history");
    ItemRow* row = ed->row("nrs_now");
    click(row->text());
    type("11");
    CHECK(ed->model()->answer("nrs_now") == nullptr);
    CHECK(row->message().Contains("0..10"));
    CHECK(row->text()->GetValue() == "11");  // the clinician's text stays to be corrected
    key(WXK_BACK);
    CHECK(*ed->model()->answer("nrs_now") == 1);
    CHECK(row->message().empty());
}

TEST_CASE("drafts: kill the application while editing and find the draft intact on restart") {
    ensure_wx();
    myo::test::TempDir dir;
    auto vignette = myo::test::vignette_files().front();
    Assessment v = myo::test::vignette_assessment(vignette);
    auto input = write_fill_input(dir.path() / "input.json", v);
    OtherWorkstation app((dir.path() / "db.sqlite").string(), input, dir.path() / "app.ini");
    const auto [filled, draft, answered] = app.read_until_filled();
    REQUIRE(filled);
    CHECK(answered == static_cast<int>(v.answers.size()));
    // "Killing the app loses nothing typed more than a second before."
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    app.kill();

    {
        store::Store s(dir.path() / "db.sqlite", definitions());
        auto history = s.history(v.patient.id);
        REQUIRE(history.size() == 1);
        CHECK(history[0].status == store::Status::Draft);
        CHECK(same_answers(s.load(history[0].id).assessment.answers, v.answers));
    }

    // Restart: the draft opens from the patient list with the answers in the controls.
    Fixture fx(dir.path() / "db.sqlite");
    fx.frame->patients()->select_patient(v.patient.id);
    settle(50);
    REQUIRE(fx.frame->patients()->visit_count() == 1);
    wxListCtrl* visits = fx.frame->patients()->visits();
    visits->SetItemState(0, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    settle(30);
    fx.frame->open_assessment(*fx.frame->patients()->selected_visit());
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(ed->model() != nullptr);
    CHECK(same_answers(ed->model()->assessment().answers, v.answers));
    CHECK(u8(ed->row("nrs_now")->text()->GetValue()) == v.answers.at("nrs_now").dump());
}

TEST_CASE("reports: both PDFs from a finalized assessment") {
    Fixture fx;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().at(3));
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    ed->model()->set_visit(v.date, v.kind, v.clinician);
    for (const auto& [id, value] : v.answers.items()) {
        REQUIRE(ed->apply(id, value) == std::nullopt);
    }
    ed->acknowledge_emergencies();
    REQUIRE(ed->finalize(false));
    auto out = fx.dir.path() / "reports";
    auto referral = ed->write_pdf(PdfKind::Referral, out.string());
    auto handout = ed->write_pdf(PdfKind::Handout, out.string());
    REQUIRE(referral.has_value());
    REQUIRE(handout.has_value());
    for (const auto& p : {*referral, *handout}) {
        CAPTURE(p);
        REQUIRE(std::filesystem::exists(p));
        CHECK(std::filesystem::file_size(p) > 1000);
        CHECK(myo::read_text_file(p).rfind("%PDF-", 0) == 0);
    }
    CHECK(ed->status_text().Contains("handout.pdf"));
    // Each PDF is in the audit trail once, naming the assessment (issue 7).
    int pdf_rows = 0;
    for (const auto& e : fx.store->audit_trail(v.patient.id)) {
        if (e.action == store::audit_action::kPdf) {
            ++pdf_rows;
            CHECK(e.assessment == ed->assessment_id());
        }
    }
    CHECK(pdf_rows == 2);
}

TEST_CASE("preferences: the letterhead goes to the store, the report folder to the settings") {
    Fixture fx;
    bool done = false;
    wxTimer timer;
    timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        for (wxWindow* w : wxTopLevelWindows) {
            auto* d = dynamic_cast<PreferencesDialog*>(w);
            if (!d || !d->IsShown() || done) {
                continue;
            }
            done = true;
            timer.Stop();
            settle(150);
            auto* clinic = dynamic_cast<wxTextCtrl*>(d->FindWindowByName("Clinic name", d));
            auto* clinician = dynamic_cast<wxTextCtrl*>(d->FindWindowByName("Clinician name", d));
            REQUIRE(clinic != nullptr);
            REQUIRE(clinician != nullptr);
            // Refused beside the field (issue 10): a character the letterhead cannot print.
            clinic->SetValue(wxString::FromUTF8("Clinic \u0E2A"));
            click(d->FindWindow(wxID_OK));
            CHECK(d->messages().Contains("U+0E2A (Thai)"));
            CHECK(d->IsShown());
            clinic->SetValue(wxEmptyString);
            click(clinic);
            type("Physio North");
            click(clinician);
            type("Dr R. Mensah");
            screenshot("dialog-preferences");
            click(d->FindWindow(wxID_OK));
        }
    });
    timer.Start(100);
    fx.frame->preferences();
    timer.Stop();
    REQUIRE(done);
    store::Settings s = fx.store->load_settings();
    CHECK(s.clinic_name == "Physio North");
    CHECK(s.clinician_name == "Dr R. Mensah");
    CHECK(fx.frame->editor()->clinician == "Dr R. Mensah");
}

TEST_CASE("window: size and position are remembered") {
    Fixture fx;
    fx.frame->SetSize(wxRect(40, 30, 1100, 700));
    settle(200);
    wxSize before = fx.frame->GetSize();
    fx.close();
    fx.fit_screen = false;  // what the frame restores by itself
    fx.open();
    CHECK_MESSAGE(fx.frame->GetSize() == before,
                  fx.frame->GetSize().x << "x" << fx.frame->GetSize().y << " vs " << before.x << "x"
                                        << before.y << " best " << fx.frame->GetBestSize().x << "x"
                                        << fx.frame->GetBestSize().y);
}

// --- Issue 6: the Progress view; issue 7: deletion, second instance, history, backup

namespace {

// The three final visits of tests/gui/progress_visits.hpp, stored as a clinician would have.
std::vector<std::int64_t> store_progress_visits(store::Store& s) {
    std::vector<std::int64_t> ids;
    for (const auto& a : myo::test::progress_visits()) {
        std::int64_t id = s.create_draft(a);
        s.finalize(id);
        ids.push_back(id);
    }
    return ids;
}

std::string cell_text(const std::optional<double>& v) {
    return v ? format_number(*v) : std::string("not measured");
}

// `myoscreen-cli compare` on the same database (read-only: this process is the writer).
Json cli_compare(const std::filesystem::path& db, const std::string& patient) {
    auto r = myo::test::run_command(myo::test::shell_quote(myo::test::cli_path().string()) +
                                    " --db " + myo::test::shell_quote(db.string()) +
                                    " --read-only compare --patient " + patient);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value.has_value());
    return *parsed.value;
}

std::string json_cell(const Json& v) {
    return v.is_null() ? std::string("not measured") : format_number(v.get<double>());
}

// Every row of the view against core's comparison and the CLI's JSON of the same data.
void check_table_matches(ProgressView* view, const Comparison& core, const Json& cli) {
    REQUIRE(view->table()->GetItemCount() == static_cast<int>(core.rows.size()));
    REQUIRE(cli["measures"].size() == core.rows.size());
    for (std::size_t i = 0; i < core.rows.size(); ++i) {
        const MeasureRow& r = core.rows[i];
        const Json& c = cli["measures"][i];
        long row = static_cast<long>(i);
        CAPTURE(r.id);
        CHECK(c["id"] == r.id);
        CHECK(u8(view->cell(row, 0)) == r.label);
        CHECK(u8(view->cell(row, 2)) == cell_text(r.baseline));
        CHECK(u8(view->cell(row, 2)) == json_cell(c["baseline"]));
        CHECK(u8(view->cell(row, 3)) == json_cell(c["previous"]));
        CHECK(u8(view->cell(row, 4)) == json_cell(c["latest"]));
        std::string percent = change_percent_text(r.from_baseline);
        CHECK(u8(view->cell(row, 5)) ==
              change_value_text(r.from_baseline) + (percent.empty() ? "" : " (" + percent + ")"));
        std::string words =
            c["change_from_baseline"]["direction"].get<std::string>() +
            (c["change_from_baseline"]["important"].get<bool>() ? ", clinically important" : "");
        CHECK(u8(view->cell(row, 6)) == words);
        CHECK(u8(view->cell(row, 8)) == verdict_text(r.from_previous));
    }
}

}  // namespace

TEST_CASE("progress: three final visits, the table is core's and the CLI's, baseline and PDF") {
    Fixture fx;
    auto ids = store_progress_visits(*fx.store);
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("PRG-1");
    settle(50);
    click(fx.frame->patients()->progress_button());
    settle(200);
    REQUIRE(fx.frame->showing_progress());
    ProgressView* view = fx.frame->progress();
    REQUIRE(view->model() != nullptr);

    std::vector<Assessment> docs;
    for (auto& s : fx.store->final_visits("PRG-1")) {
        docs.push_back(s.assessment);
    }
    check_table_matches(view, compare_visits(definitions(), docs), cli_compare(fx.db, "PRG-1"));
    long now = view->row_of("nrs_now");
    REQUIRE(now >= 0);
    CHECK(view->cell(now, 6) == "better, clinically important");
    CHECK(view->cell(now, 5) == "-5 (-71.4 %)");
    CHECK(view->charts().size() >= 2);
    // Selecting a row shows it in full, with the threshold and its source.
    wxRect cell_rect;
    REQUIRE(view->table()->GetItemRect(now, cell_rect));
    click_at(view->table(),
             wxPoint(cell_rect.x + view->table()->FromDIP(40), cell_rect.y + cell_rect.height / 2));
    CHECK(view->details_text().Contains("Pain now (NRS)"));
    CHECK(view->details_text().Contains("Source: IMMPACT"));
    CHECK(view->areas_text().Contains("new"));
    CHECK(view->areas_text().Contains("resolved"));
    screenshot("progress-1-table");
    view->notebook()->SetSelection(1);
    screenshot("progress-2-charts");
    view->notebook()->SetSelection(2);
    screenshot("progress-3-body-charts");
    view->notebook()->SetSelection(0);

    // Visit 2 as the baseline, through the controls: the choice, then Mark as baseline.
    view->baseline_choice()->SetFocus();
    view->baseline_choice()->SetSelection(1);
    wxCommandEvent choose(wxEVT_CHOICE, view->baseline_choice()->GetId());
    choose.SetInt(1);
    view->baseline_choice()->GetEventHandler()->ProcessEvent(choose);
    REQUIRE(view->mark_button()->IsEnabled());
    click(view->mark_button());
    settle(100);
    CHECK(fx.store->baseline_visit("PRG-1") == std::optional<std::int64_t>(ids[1]));
    now = view->row_of("nrs_now");
    CHECK(view->cell(now, 2) == "5");
    CHECK(view->cell(now, 5) == "-3 (-60 %)");
    CHECK(view->status_text().Contains("2026-02-10"));
    check_table_matches(view, compare_visits(definitions(), docs, 1), cli_compare(fx.db, "PRG-1"));
    screenshot("progress-4-marked-baseline");

    // Back to the first visit.
    REQUIRE(view->first_button()->IsEnabled());
    click(view->first_button());
    settle(100);
    CHECK_FALSE(fx.store->baseline_visit("PRG-1").has_value());
    CHECK(view->cell(view->row_of("nrs_now"), 5).StartsWith("-5 "));

    // The Progress PDF, through its button, into the report folder.
    view->report_dir = (fx.dir.path() / "reports").string();
    click(view->pdf_button());
    settle(100);
    auto pdf = fx.dir.path() / "reports" / "PRG-1-2026-04-10-progress.pdf";
    REQUIRE(std::filesystem::exists(pdf));
    auto q = myo::test::run_command("qpdf --check " + myo::test::shell_quote(pdf.string()));
    CHECK_MESSAGE(q.status == 0, q.out << q.err);
    CHECK(view->status_text().Contains("progress.pdf"));
    // The PDF is in the audit trail, once.
    int pdf_rows = 0;
    for (const auto& e : fx.store->audit_trail("PRG-1")) {
        pdf_rows += e.action == store::audit_action::kPdf ? 1 : 0;
    }
    CHECK(pdf_rows == 1);
}

TEST_CASE("progress: fewer than two final visits says so and stays on the patients") {
    Fixture fx;
    Assessment a = myo::test::progress_visits().front();
    fx.store->finalize(fx.store->create_draft(a));
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("PRG-1");
    settle(50);
    fx.frame->show_progress();
    CHECK_FALSE(fx.frame->showing_progress());
    CHECK(fx.frame->GetStatusBar()->GetStatusText().Contains("fewer than two"));
}

TEST_CASE("history: the audit view lists the patient's rows") {
    Fixture fx;
    store_progress_visits(*fx.store);
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("PRG-1");
    settle(50);
    auto trail = fx.store->audit_trail("PRG-1");
    REQUIRE(trail.size() >= 6);  // 3 drafts started, 3 finalized
    wxString text;
    bool shown = drive_dialog<HistoryDialog>(
        [&] { click(fx.frame->patients()->history_button()); },
        [&](HistoryDialog* d) {
            text = d->text();
            CHECK(d->list()->GetItemCount() == static_cast<int>(trail.size()));
            screenshot("history-of-changes");
            click(d->FindWindow(wxID_CLOSE));
        });
    REQUIRE(shown);
    CHECK(text.Contains("assessment started (draft)"));
    CHECK(text.Contains("assessment finalized"));
    CHECK(text.Contains("account "));
}

TEST_CASE("delete patient: a wrong name is refused, the right name deletes after a backup") {
    Fixture fx;
    store_progress_visits(*fx.store);
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("PRG-1");
    settle(50);
    bool shown =
        drive_dialog<DeletePatientDialog>([&] { fx.frame->delete_patient(); },
                                          [&](DeletePatientDialog* d) {
                                              click(d->name_field());
                                              type("Ada Progres");
                                              click(d->delete_button());
                                              CHECK(d->IsShown());
                                              CHECK(d->message().Contains("does not match"));
                                              CHECK(fx.store->find_patient("PRG-1"));
                                              screenshot("dialog-delete-patient");
                                              click(d->name_field());
                                              type("s");
                                              click(d->delete_button());
                                          });
    REQUIRE(shown);
    CHECK_FALSE(fx.store->find_patient("PRG-1").has_value());
    CHECK(fx.frame->patients()->patient_count() == 0);
    CHECK(fx.frame->GetStatusBar()->GetStatusText().Contains("backup"));
    bool backup = false;
    for (const auto& f : std::filesystem::directory_iterator(fx.store->backup_folder())) {
        backup = backup || f.path().filename().string().find("before-delete") != std::string::npos;
    }
    CHECK(backup);
    bool audited = false;
    for (const auto& e : fx.store->audit_trail()) {
        audited = audited || e.action == store::audit_action::kDelete;
    }
    CHECK(audited);
}

TEST_CASE("backup: today's verified backup at start-up, in the background") {
    Fixture fx;
    fx.frame->start_daily_backup();
    fx.frame->wait_for_backup();
    settle(100);
    CHECK(fx.frame->backup_status().Contains("verified"));
    CHECK(fx.frame->GetStatusBar()->GetStatusText() == fx.frame->backup_status());
    int files = 0;
    for (const auto& f : std::filesystem::directory_iterator(fx.store->backup_folder())) {
        files += f.path().extension() == ".zst" ? 1 : 0;
    }
    CHECK(files == 1);
    // The second start of the day takes none.
    fx.frame->start_daily_backup();
    fx.frame->wait_for_backup();
    settle(100);
    CHECK(fx.frame->backup_status().Contains("already"));
}

TEST_CASE("second instance: told the database is open, offered read-only or quit") {
    ensure_wx();
    myo::test::TempDir dir;
    auto db = dir.path() / "db.sqlite";
    std::int64_t emergency_draft = 0;
    {
        store::Store s(db, definitions());
        store_progress_visits(s);
        // A draft whose emergency nobody has acknowledged yet (vignette 4: dark urine).
        Assessment v4 = myo::test::vignette_assessment(myo::test::vignette_files().at(3));
        s.add_patient(v4.patient);
        emergency_draft = s.create_draft(v4);
    }
    auto app = myo::test::binary_dir() / "bin" / "myoscreen";
    std::string cmd = "echo $$; exec " + myo::test::shell_quote(app.string()) +
                      " --no-viewer --db " + myo::test::shell_quote(db.string()) + " --config " +
                      myo::test::shell_quote((dir.path() / "app.ini").string()) +
                      " >/dev/null 2>&1";
    FILE* out = popen(cmd.c_str(), "r");
    REQUIRE(out != nullptr);
    char line[64];
    REQUIRE(std::fgets(line, sizeof line, out) != nullptr);
    pid_t pid = static_cast<pid_t>(std::atol(line));
    REQUIRE(pid > 0);  // never kill(0): that would be this test's own process group
    // The first instance holds the writer lock once its lock file names it.
    auto lock = store::WriterLock::lock_path(db);
    bool held = false;
    for (int i = 0; i < 200 && !held; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        held = std::filesystem::exists(lock) &&
               std::atol(myo::read_text_file(lock).c_str()) == static_cast<long>(pid);
    }
    REQUIRE(held);
    // Let the first instance finish showing its window, which would otherwise land on top of
    // the dialog below while it is being clicked.
    settle(1500);

    wxString told;
    std::unique_ptr<store::Store> ro;
    bool shown =
        drive_dialog<SecondInstanceDialog>([&] { ro = open_app_store(db, definitions()); },
                                           [&](SecondInstanceDialog* d) {
                                               for (wxWindow* c : d->GetChildren()) {
                                                   if (auto* t = dynamic_cast<wxStaticText*>(c)) {
                                                       told += t->GetLabel();
                                                   }
                                               }
                                               screenshot("dialog-second-instance");
                                               click(d->read_only_button());
                                           });
    CHECK(shown);
    CHECK(told.Contains("already open"));
    REQUIRE(ro != nullptr);
    CHECK(ro->read_only());
    CHECK(ro->list_patients().size() == 2);
    {
        // The read-only window shows everything, changes nothing, and says so.
        AppOptions options;
        options.open_viewer = false;
        auto* frame = new MainFrame(definitions(), &chart(), *ro, options);
        frame->Show();
        settle(200);
        CHECK(frame->GetTitle().Contains("read-only"));
        CHECK(frame->GetStatusBar()->GetStatusText().Contains("read-only"));
        frame->patients()->select_patient("PRG-1");
        frame->show_progress();
        CHECK(frame->showing_progress());
        CHECK_FALSE(frame->progress()->mark_button()->IsEnabled());
        // The emergency is shown, but cannot be acknowledged from a window that cannot save.
        frame->open_assessment(emergency_draft);
        AssessmentEditor* ed = frame->editor();
        REQUIRE(ed->model() != nullptr);
        REQUIRE_FALSE(ed->model()->pending_emergencies().empty());
        CHECK(ed->banner()->IsShown());
        CHECK_FALSE(ed->acknowledge_button()->IsEnabled());
        ed->acknowledge_emergencies();  // what the menu's Ctrl+Shift+E would do
        CHECK_FALSE(ed->model()->pending_emergencies().empty());
        CHECK_FALSE(ed->model()->assessment().acknowledged.has_value());
        screenshot("read-only-emergency");
        frame->Destroy();
        settle(100);
        wxTheApp->ProcessIdle();
    }
    ro.reset();

    // Quit instead: nothing is opened.
    std::unique_ptr<store::Store> none;
    bool asked = drive_dialog<SecondInstanceDialog>(
        [&] { none = open_app_store(db, definitions()); },
        [&](SecondInstanceDialog* d) { click(d->quit_button()); });
    CHECK(asked);
    CHECK(none == nullptr);
    ::kill(pid, SIGTERM);
    pclose(out);
}

TEST_CASE("assessment: the visit date is checked at the field; notes are kept with the draft") {
    Fixture fx;
    Assessment a = myo::test::progress_visits().front();
    fx.store->add_patient(a.patient);
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(a.patient.id);
    fx.frame->new_assessment(a.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(ed->model() != nullptr);
    click(ed->date_field());
    ed->date_field()->SelectAll();
    type("1990-01-01");
    CHECK(ed->date_message().Contains("birth"));
    CHECK(ed->model()->assessment().date == today_local());
    ed->date_field()->SelectAll();
    type("2026-02-30");
    CHECK(ed->date_message().Contains("does not exist: February 2026 has 28 days"));
    ed->date_field()->SelectAll();
    type("2999-01-01");
    CHECK(ed->date_message().Contains("in the future"));
    ed->date_field()->SelectAll();
    type("2026-03-02");
    CHECK(ed->date_message().empty());
    CHECK(ed->model()->assessment().date == "2026-03-02");

    ed->go_to_step(std::string(kSummaryStep));
    settle(50);
    REQUIRE(ed->notes_field() != nullptr);
    click(ed->notes_field());
    type("Night shifts");
    CHECK(ed->model()->assessment().notes == std::optional<std::string>("Night shifts"));
    screenshot("assessment-notes-and-date");
    ed->save_now();
    auto stored = fx.store->load(*ed->assessment_id());
    CHECK(stored.assessment.date == "2026-03-02");
    CHECK(stored.assessment.notes == std::optional<std::string>("Night shifts"));
}

TEST_CASE("a PostgreSQL --db this build cannot open leaves nothing on disk") {
    // The app used to make the "folder" of postgresql://db.clinic/myo (postgresql:/db.clinic)
    // before the store refused the target. The refusal is a dialog: the process is stopped
    // after a few seconds, and the working folder must hold nothing but the settings file.
    myo::test::TempDir dir;
    auto app = myo::test::binary_dir() / "bin" / "myoscreen";
    REQUIRE(std::filesystem::exists(app));
    std::string cmd = "cd " + myo::test::shell_quote(dir.path().string()) + " && timeout 5 " +
                      myo::test::shell_quote(app.string()) +
                      " --no-viewer --exit-when-ready --db postgresql://db.clinic/myo --config " +
                      myo::test::shell_quote((dir.path() / "app.ini").string()) +
                      " >/dev/null 2>&1";
    CHECK(std::system(cmd.c_str()) != 0);  // refused (or stopped at the refusal's dialog)
    CHECK_FALSE(std::filesystem::exists(dir.path() / "postgresql:"));
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        CHECK_MESSAGE(entry.path().filename() == "app.ini", entry.path().string());
    }
}
