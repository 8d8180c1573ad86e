// Issue 12: the patient list on a store of a few thousand patients, as a clinician meets it on a
// practice's whole history: a virtual list that reads only the rows it shows, its count in the
// label, the search on a worker thread (never an older search's rows), a patient far down
// selected and shown, the keyboard; and Progress of a patient with 200 visits.

#include <doctest/doctest.h>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/numformatter.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gui/patient_list.hpp"
#include "gui/patient_panel.hpp"
#include "gui/patient_search.hpp"
#include "gui/progress_chart.hpp"
#include "gui/progress_view.hpp"
#include "gui_driver.hpp"

using namespace guitest;
using namespace myo;
using myo::gui::PatientPanel;

namespace {

constexpr int kPatients = 2500;
const char* const kFamilies[] = {"Ahlberg", "Berg", "Carlsson", "Dahl",     "Ekström",
                                 "Fors",    "Gran", "Holm",     "Isaksson", "Jansson"};

Assessment one_visit(const Patient& p, const std::string& date, int nrs) {
    Assessment a;
    a.patient = p;
    a.date = date;
    a.kind = "initial";
    a.answers["nrs_now"] = nrs;
    a.answers["wpi.neck"] = true;
    a.answers["rf.fever"] = "no";
    return a;
}

// T-0000 .. T-2499, "Family Pat0000": one batch, so a few thousand take about a second.
void store_many(store::Store& s) {
    std::vector<Assessment> batch;
    for (int i = 0; i < kPatients; ++i) {
        char id[16], given[16];
        std::snprintf(id, sizeof id, "T-%04d", i);
        std::snprintf(given, sizeof given, "Pat%04d", i);
        Patient p{id, std::string(kFamilies[i % 10]) + " " + given, "1970-03-04", "female"};
        batch.push_back(one_visit(p, "2025-05-06", i % 11));
    }
    s.import_assessments(batch);
}

std::string cell(wxListCtrl* list, long row, int column) {
    return gui::u8(list->GetItemText(row, column));
}

// Waits for the search typed in the box to be shown (the worker's rows to arrive).
void wait_search(PatientPanel* panel) {
    for (int i = 0; i < 200 && panel->search_pending(); ++i) {
        settle(10);
    }
    REQUIRE_FALSE(panel->search_pending());
}

bool row_visible(wxListCtrl* list, long row) {
    return row >= list->GetTopItem() && row < list->GetTopItem() + list->GetCountPerPage();
}

}  // namespace

TEST_CASE("big list: a virtual list of thousands shows its count and the right rows anywhere") {
    Fixture fx;
    store_many(*fx.store);
    fx.frame->show_patients();
    PatientPanel* panel = fx.frame->patients();
    wxListCtrl* list = panel->patients();
    CHECK(list->HasFlag(wxLC_VIRTUAL));
    CHECK(panel->patient_count() == kPatients);
    CHECK(panel->count_text() ==
          "Patients: " + wxNumberFormatter::ToString(static_cast<long>(kPatients)) + " patients");
    // Top, middle and end: each as the store lists them, in name order.
    auto all = fx.store->list_patients();
    REQUIRE(all.size() == static_cast<std::size_t>(kPatients));
    for (long row : {0L, 1L, kPatients / 2L, kPatients - 1L}) {
        CAPTURE(row);
        list->EnsureVisible(row);
        settle(30);
        CHECK(row_visible(list, row));
        CHECK(cell(list, row, 0) == all[static_cast<std::size_t>(row)].patient.name);
        CHECK(cell(list, row, 1) == all[static_cast<std::size_t>(row)].patient.id);
        CHECK(cell(list, row, 4) == "1");  // visits
        CHECK(cell(list, row, 5) == "2025-05-06");
    }
    CHECK(cell(list, 0, 0) == "Ahlberg Pat0000");
    CHECK(cell(list, kPatients - 1, 0) == "Jansson Pat2499");
    screenshot("big-list-end");
}

TEST_CASE("big list: the search narrows, the label says so, and no older search is shown") {
    Fixture fx;
    store_many(*fx.store);
    fx.frame->show_patients();
    PatientPanel* panel = fx.frame->patients();
    wxListCtrl* list = panel->patients();

    SUBCASE("typed: a family narrows to its 250, in name order") {
        click(panel->search());
        type("berg");
        wait_search(panel);
        CHECK(panel->patient_count() == kPatients / 10);
        CHECK(panel->count_text() == "Patients: 250 patients match 'berg'");
        CHECK(cell(list, 0, 0) == "Berg Pat0001");
        CHECK(cell(list, 249, 0) == "Berg Pat2491");
        type(" pat24");
        wait_search(panel);
        CHECK(panel->patient_count() == 10);  // Berg Pat2401 .. Pat2491
        CHECK(panel->count_text() == "Patients: 10 patients match 'berg pat24'");
        // What is typed shows as typed in the label ("&" is no mnemonic there).
        panel->search()->SetValue("berg & pat24");
        wait_search(panel);
        CHECK(panel->count_text() == "Patients: 10 patients match 'berg & pat24'");
        screenshot("big-list-search");
    }
    SUBCASE("a broad search is read a page at a time and agrees with the store") {
        click(panel->search());
        type("pat");
        wait_search(panel);
        CHECK(panel->patient_count() == kPatients);
        CHECK(panel->count_text().Contains("patients match 'pat'"));
        auto rows = fx.store->list_patients("pat", kPatients);
        for (long row : {0L, 150L, kPatients - 1L}) {
            list->EnsureVisible(row);
            settle(20);
            CHECK(cell(list, row, 1) == rows[static_cast<std::size_t>(row)].patient.id);
        }
    }
    SUBCASE("a result that arrives after a newer keystroke is dropped") {
        // "pat" (everyone) is searched and its rows are on their way back when "pat1" is
        // typed: the list must go straight to the rows of "pat1", never show those of "pat".
        panel->search()->SetValue("pat");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // "pat"'s rows are queued
        panel->search()->SetValue("pat1");
        CHECK(panel->search_pending());
        // Until the rows of "pat1" arrive the list keeps what it showed before "pat".
        CHECK(panel->shown_search() == std::optional<std::string>(""));
        wxYield();  // delivers the queued rows of "pat" (and, 100 ms on, blanks the list)
        CHECK(panel->shown_search() != std::optional<std::string>("pat"));
        wait_search(panel);
        CHECK(panel->shown_search() == std::optional<std::string>("pat1"));
        CHECK(panel->patient_count() == 1000);  // Pat1000 .. Pat1999
        CHECK(panel->count_text() ==
              "Patients: " + wxNumberFormatter::ToString(1000L) + " patients match 'pat1'");
    }
    SUBCASE("fast typing: the list shows the box's search, or an earlier one for a moment") {
        click(panel->search());
        wxUIActionSimulator sim;
        const std::string text = "holm pat07";
        // The searches typed, oldest first: the list may lag behind the box while a search
        // runs, but never goes back to a search older than one it has shown.
        std::vector<std::string> typed{""};
        std::size_t newest_shown = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            sim.Char(text[i]);
            typed.push_back(text.substr(0, i + 1));
            for (int k = 0; k < 3; ++k) {
                wxYield();
                const auto shown = panel->shown_search();
                if (!shown) {  // a search pending for long: nothing rather than old rows
                    CHECK(panel->search_pending());
                    CHECK(list->GetItemCount() == 0);
                    continue;
                }
                auto at =
                    std::find(typed.begin() + static_cast<long>(newest_shown), typed.end(), *shown);
                REQUIRE(at != typed.end());
                newest_shown = static_cast<std::size_t>(at - typed.begin());
                const auto expected = fx.store->count_patients(*shown, gui::kSearchCountCap);
                CHECK(static_cast<std::size_t>(list->GetItemCount()) == expected);
                if (!panel->search_pending()) {
                    CHECK(*shown == gui::u8(panel->search()->GetValue()));
                }
            }
        }
        wait_search(panel);
        CHECK(gui::u8(panel->search()->GetValue()) == text);
        CHECK(panel->shown_search() == std::optional<std::string>(text));
        CHECK(panel->patient_count() == 10);  // Holm Pat0707 .. Pat0797
        CHECK(cell(list, 0, 0) == "Holm Pat0707");
    }
    SUBCASE("a slow search: the previous rows for a moment, then 'searching' and none") {
        panel->slow_down_search_for_test(std::chrono::milliseconds(600));
        panel->search()->SetValue("dahl pat1");
        CHECK(panel->search_pending());
        CHECK(panel->shown_search() == std::optional<std::string>(""));
        CHECK(panel->patient_count() == kPatients);
        settle(250);  // past the 100 ms the previous rows stay
        CHECK(panel->search_pending());
        CHECK_FALSE(panel->shown_search());
        CHECK(panel->patient_count() == 0);
        CHECK(panel->count_text() == "Patients: searching for 'dahl pat1'...");
        screenshot("big-list-searching");
        wait_search(panel);
        CHECK(panel->shown_search() == std::optional<std::string>("dahl pat1"));
        CHECK(panel->patient_count() == 100);  // Dahl Pat1003 .. Pat1993
        CHECK(cell(list, 0, 0) == "Dahl Pat1003");
    }
    SUBCASE("a click on a row of the previous search acts on the box's search") {
        panel->slow_down_search_for_test(std::chrono::milliseconds(3000));
        // A click selects the row and sends the event, as wxListCtrl does on a mouse click
        // (a real click cannot be timed into the 100 ms the previous rows stay).
        auto click_row = [&](long row) {
            list->SetItemState(row, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                               wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            wxListEvent e(wxEVT_LIST_ITEM_SELECTED, list->GetId());
            e.SetEventObject(list);
            e.SetIndex(row);
            list->GetEventHandler()->ProcessEvent(e);
        };
        // The whole list shows; "dahl pat1" is typed and a row of the whole list clicked at
        // once: that patient (Ahlberg) is not among the search's, so none is selected.
        panel->search()->SetValue("dahl pat1");
        REQUIRE(panel->search_pending());
        REQUIRE(cell(list, 0, 0) == "Ahlberg Pat0000");
        click_row(0);
        CHECK_FALSE(panel->search_pending());
        CHECK(panel->shown_search() == std::optional<std::string>("dahl pat1"));
        CHECK(cell(list, 0, 0) == "Dahl Pat1003");
        CHECK_FALSE(panel->selected_patient());
        CHECK(panel->visit_count() == 0);
        // Now "dahl" is typed and the first row ("Dahl Pat1003", one of "dahl pat1") clicked:
        // the patient is among the new search's, and stays selected with their visits.
        panel->search()->SetValue("dahl");
        REQUIRE(panel->search_pending());
        click_row(0);
        CHECK_FALSE(panel->search_pending());
        CHECK(panel->shown_search() == std::optional<std::string>("dahl"));
        CHECK(panel->patient_count() == kPatients / 10);
        REQUIRE(panel->selected_patient());
        CHECK(panel->selected_patient()->name == "Dahl Pat1003");
        CHECK(panel->visit_count() == 1);
    }
    SUBCASE("Down from the box goes to the first row of what is typed, even before it arrived") {
        click(panel->search());
        type("dahl pat1");
        key(WXK_DOWN);
        CHECK(wxWindow::FindFocus() == list);
        REQUIRE(panel->selected_patient());
        CHECK(panel->selected_patient()->name == "Dahl Pat1003");
        CHECK(panel->visit_count() == 1);
    }
}

TEST_CASE("big list: a patient far down is selected and shown; the keyboard moves through") {
    Fixture fx;
    store_many(*fx.store);
    fx.frame->show_patients();
    PatientPanel* panel = fx.frame->patients();
    wxListCtrl* list = panel->patients();
    auto all = fx.store->list_patients();

    panel->select_patient("T-2498");  // "Isaksson Pat2498": near the end, never painted
    settle(50);
    REQUIRE(panel->selected_patient());
    CHECK(panel->selected_patient()->id == "T-2498");
    long row = list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    CHECK(all[static_cast<std::size_t>(row)].patient.id == "T-2498");
    CHECK(row_visible(list, row));
    CHECK(panel->visit_count() == 1);
    CHECK(panel->progress_button()->IsEnabled());

    // The selection survives a reload (after a save), even far down.
    panel->reload();
    REQUIRE(panel->selected_patient());
    CHECK(panel->selected_patient()->id == "T-2498");

    list->SetFocus();
    settle(30);
    key(WXK_DOWN);
    REQUIRE(panel->selected_patient());
    CHECK(panel->selected_patient()->id == all[static_cast<std::size_t>(row) + 1].patient.id);
    key(WXK_END);
    REQUIRE(panel->selected_patient());
    CHECK(panel->selected_patient()->id == all.back().patient.id);
    CHECK(row_visible(list, kPatients - 1));
    key(WXK_HOME);
    REQUIRE(panel->selected_patient());
    CHECK(panel->selected_patient()->id == all.front().patient.id);
    CHECK(row_visible(list, 0));
    // Enter opens the patient: the focus goes to their visits.
    key(WXK_RETURN);
    CHECK(wxWindow::FindFocus() == panel->visits());

    // A patient the search does not match is not selected; one it matches is.
    panel->search()->SetValue("gran");
    panel->select_patient("T-0001");  // Berg
    CHECK_FALSE(panel->selected_patient());
    panel->select_patient("T-0006");  // Gran Pat0006
    REQUIRE(panel->selected_patient());
    CHECK(panel->selected_patient()->id == "T-0006");
}

TEST_CASE("big list: Progress of a patient with 200 visits opens fast and reads well") {
    Fixture fx;
    // 200 monthly final visits over 16 years; pain now goes 9, 8, ... around, ending at 2.
    Assessment base = read_assessment_file(
        (myo::test::source_dir() / "examples" / "v5_desk_trapezius.json").string(),
        myo::test::definitions());
    base.patient = Patient{"LONG-1", "Lena Longterm", "1965-02-03", "female"};
    std::vector<Assessment> visits;
    for (int i = 0; i < 200; ++i) {
        Assessment a = base;
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02d-15", 2010 + i / 12, 1 + i % 12);
        a.date = date;
        a.kind = i == 0 ? "initial" : "follow_up";
        a.answers["nrs_now"] = i == 199 ? 2 : 9 - i % 8;
        // Average pain asked once only, between two visits that did not ask it.
        a.answers.erase("nrs_average");
        if (i == 100) {
            a.answers["nrs_average"] = 5;
        }
        visits.push_back(a);
    }
    fx.store->import_assessments(visits);
    fx.frame->show_patients();
    fx.frame->patients()->select_patient("LONG-1");
    settle(50);
    CHECK(fx.frame->patients()->visit_count() == 200);
    CHECK(gui::u8(fx.frame->patients()->visits()->GetItemText(0, 0)) == "2026-08-15");

    const auto t0 = std::chrono::steady_clock::now();
    click(fx.frame->patients()->progress_button());
    REQUIRE(fx.frame->showing_progress());
    gui::ProgressView* view = fx.frame->progress();
    REQUIRE(view->model() != nullptr);
    CHECK(view->model()->visits().size() == 200);
    (void)t0;

    // The table compares three visits whatever their number: baseline, previous, latest.
    long nrs = view->row_of("nrs_now");
    REQUIRE(nrs >= 0);
    CHECK(gui::u8(view->cell(nrs, 2)) == "9");  // baseline, 2010-01-15
    CHECK(gui::u8(view->cell(nrs, 4)) == "2");  // latest, 2026-08-15
    CHECK(view->baseline_choice()->GetCount() == 199);

    view->notebook()->SetSelection(1);
    settle(200);
    screenshot("big-progress-charts");
    REQUIRE_FALSE(view->charts().empty());
    for (gui::ProgressChart* chart : view->charts()) {
        CAPTURE(gui::u8(chart->GetName()));
        chart->Refresh();
        chart->Update();
        const auto& labels = chart->date_labels();
        // A handful of dates, never two that touch, the first and the latest among them.
        REQUIRE(labels.size() >= 2);
        CHECK(labels.size() <= 12);
        for (std::size_t k = 1; k < labels.size(); ++k) {
            CHECK(labels[k - 1].second.GetRight() < labels[k].second.GetLeft());
        }
        CHECK(labels.front().first == 0);
        CHECK(labels.back().first == 199);
        // 200 visits on a few hundred pixels: markers only at the baseline and the latest, and
        // on a value with no measured neighbour (no line would show it).
        std::size_t expected = 0;
        bool lone_average = false;
        for (const auto& series : chart->group().series) {
            const auto& v = series.values;
            for (std::size_t i = 0; i < v.size(); ++i) {
                const bool alone = (i == 0 || !v[i - 1]) && (i + 1 >= v.size() || !v[i + 1]);
                if (v[i] && (i == 0 || i + 1 == v.size() || alone)) {
                    ++expected;
                    lone_average = lone_average || (series.id == "nrs_average" && i == 100);
                }
            }
        }
        CHECK(chart->markers_drawn() == expected);
        CHECK(expected <= 2 * chart->group().series.size() + 1);
        for (const auto& series : chart->group().series) {
            if (series.id == "nrs_average") {
                CHECK(lone_average);  // its one value has a marker of its own
            }
        }
        // The tooltip names the ends, not 200 values.
        CHECK(chart->GetToolTipText().Contains("200 visits"));
        CHECK(chart->GetToolTipText().Length() < 600);
    }
    view->notebook()->SetSelection(0);
    settle(100);
    screenshot("big-progress-table");
}
