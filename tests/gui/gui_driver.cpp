// The GUI tests' driver: a wx application under Xvfb, a main window on a temporary database,
// and the person's actions (clicks, keys, typing, scrolling to a control, filling a vignette).
// Shared by every test file of test_gui.

#include "gui_driver.hpp"

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
#include "gui/wx_util.hpp"
#include "progress_visits.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"
#include "support/test_support.hpp"

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;

namespace guitest {

// Whether `actual` holds everything `expected` says (the vignettes' expected evaluations
// leave out the long texts): objects by their expected keys, arrays element by element.
bool has_subset(const Json& actual, const Json& expected) {
    if (expected.is_object()) {
        if (!actual.is_object()) {
            return false;
        }
        for (const auto& [k, v] : expected.items()) {
            if (!actual.contains(k) || !has_subset(actual[k], v)) {
                return false;
            }
        }
        return true;
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size()) {
            return false;
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            if (!has_subset(actual[i], expected[i])) {
                return false;
            }
        }
        return true;
    }
    if (expected.is_number() && actual.is_number()) {
        return std::abs(expected.get<double>() - actual.get<double>()) < 1e-9;
    }
    return actual == expected;
}

// Answers compared as sets of findings: the file's key order is not a finding.
bool same_answers(const Json& a, const Json& b) {
    return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

void ensure_wx() {
    static bool started = false;
    if (started) {
        return;
    }
    const char* display = std::getenv("DISPLAY");
    REQUIRE_MESSAGE(display != nullptr, "no DISPLAY: run the GUI tests under xvfb-run");
    REQUIRE_MESSAGE(*display != '\0', "empty DISPLAY: run the GUI tests under xvfb-run");
    static int argc = 1;
    static char name[] = "test_gui";
    static char* argv[] = {name, nullptr};
    wxApp::SetInstance(new wxApp);
    REQUIRE_MESSAGE(wxEntryStart(argc, argv), "wxWidgets could not open the display");
    REQUIRE(wxTheApp->CallOnInit());
    started = true;
}

// Lets the toolkit and the X server catch up: events, repaints, timers.
void settle(int ms) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    do {
        wxYield();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (std::chrono::steady_clock::now() < end);
    wxYield();
}

bool wait_until(const std::function<bool()>& done, int seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!done() && std::chrono::steady_clock::now() < until) {
        settle(50);
    }
    return done();
}

const BodyChart& chart() {
    static const BodyChart c =
        load_body_chart_file(definitions().dir / "bodychart.json", definitions().form);
    return c;
}

// A control below the fold is scrolled into view first, as a person would scroll to it.
void scroll_to(wxWindow* w) {
    for (wxWindow* p = w->GetParent(); p; p = p->GetParent()) {
        if (auto* sw = dynamic_cast<wxScrolledWindow*>(p)) {
            wxRect vis = sw->GetClientRect();
            wxRect r(sw->ScreenToClient(w->GetScreenPosition()), w->GetSize());
            if (!vis.Contains(r)) {
                int ux = 0, uy = 0;
                sw->GetScrollPixelsPerUnit(&ux, &uy);
                int vx = 0, vy = 0;
                sw->GetViewStart(&vx, &vy);
                int target = vy * uy + r.y - vis.height / 3;
                sw->Scroll(-1, std::max(0, uy > 0 ? target / uy : 0));
                settle(60);
            }
            return;
        }
    }
}

void click_at(wxWindow* w, const wxPoint& client) {
    wxUIActionSimulator sim;
    sim.MouseMove(w->ClientToScreen(client));
    settle(30);
    sim.MouseClick();
    settle(40);
}

void click(wxWindow* w) {
    scroll_to(w);
    click_at(w, wxPoint(w->GetClientSize().x / 2, w->GetClientSize().y / 2));
}

void type(const std::string& text) {
    wxUIActionSimulator sim;
    sim.Text(text.c_str());
    settle(40);
}

void key(int keycode) {
    wxUIActionSimulator sim;
    sim.Char(keycode);
    settle(30);
}

void screenshot(const std::string& name) {
    const char* dir = std::getenv("MYOSCREEN_SCREENSHOTS");
    if (!dir || !*dir) {
        return;
    }
    settle(150);
    std::string cmd =
        "import -window root " + myo::test::shell_quote(std::string(dir) + "/" + name + ".png");
    CHECK(std::system(cmd.c_str()) == 0);
}

// Fills the New patient dialog through the keyboard and presses OK.
void create_patient_through_dialog(MainFrame* frame, const Patient& p) {
    bool done = false;
    // The dialog is modal: it is driven from a timer inside its own event loop.
    wxTimer timer;
    timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        PatientDialog* dlg = nullptr;
        for (wxWindow* w : wxTopLevelWindows) {
            if (auto* d = dynamic_cast<PatientDialog*>(w); d && d->IsShown()) {
                dlg = d;
            }
        }
        if (!dlg || done) {
            return;
        }
        done = true;
        timer.Stop();
        settle(200);
        // First OK with empty fields: every field names its problem.
        click(dlg->FindWindow(wxID_OK));
        CHECK(dlg->messages().Contains("name"));
        CHECK(dlg->IsShown());
        // A name the reports cannot print is refused beside the field, before it is stored.
        dlg->name_field()->SetValue(wxString::FromUTF8("\u0926\u0947\u0935"));
        click(dlg->FindWindow(wxID_OK));
        CHECK(dlg->messages().Contains("U+0926 (Devanagari)"));
        CHECK(dlg->IsShown());
        dlg->name_field()->SetValue(wxEmptyString);
        click(dlg->name_field());
        type("Patient " + p.id);
        click(dlg->birth_field());
        type(p.birth_date);
        click(dlg->id_field());
        type(p.id);
        // The sex choice by keyboard is not reliable across GTK themes: set it as a click would.
        static const char* sexes[] = {"", "female", "male", "other", "unknown"};
        for (int i = 0; i < 5; ++i) {
            if (p.sex && *p.sex == sexes[i]) {
                dlg->sex_field()->SetSelection(i);
            }
        }
        screenshot("dialog-new-patient");
        click(dlg->FindWindow(wxID_OK));
    });
    timer.Start(100);
    frame->new_patient();
    timer.Stop();
    REQUIRE(done);
}

// Sets an answer through the row's real controls, as a person would.
void enter_answer(AssessmentEditor* ed, const ItemDef& item, const Json& value) {
    ItemRow* row = ed->row(item.id);
    REQUIRE_MESSAGE(row != nullptr, item.id);
    switch (item.type) {
        case ItemType::Int:
        case ItemType::Num:
            if (row->text()) {
                click(row->text());
                type(value.dump());
                return;
            }
            [[fallthrough]];
        case ItemType::Enum: {
            // A GTK combo box's popup is not drivable under Xvfb: select as a click would.
            wxChoice* c = row->choice();
            REQUIRE(c != nullptr);
            int sel = 0;
            if (item.type == ItemType::Enum) {
                for (std::size_t i = 0; i < item.choices.size(); ++i) {
                    if (item.choices[i].value == value) {
                        sel = static_cast<int>(i) + 1;
                    }
                }
            } else {
                for (std::size_t i = 0; i < item.value_labels.size(); ++i) {
                    if (item.value_labels[i].value == value.get<long>()) {
                        sel = static_cast<int>(i) + 1;
                    }
                }
            }
            c->SetSelection(sel);
            wxCommandEvent e(wxEVT_CHOICE, c->GetId());
            e.SetEventObject(c);
            e.SetInt(sel);
            c->ProcessWindowEvent(e);
            settle(20);
            return;
        }
        case ItemType::Bool: {
            if (!row->toggles().empty()) {
                // Yes / No buttons: one click records what was clicked.
                click(row->toggles().at(value == true ? 0 : 1));
                CHECK(*ed->model()->answer(item.id) == value);
                return;
            }
            wxCheckBox* box = row->check();
            REQUIRE(box != nullptr);
            wxCheckBoxState want = value == true ? wxCHK_CHECKED : wxCHK_UNCHECKED;
            for (int i = 0; i < 3 && box->Get3StateValue() != want; ++i) {
                click(box);
            }
            CHECK(box->Get3StateValue() == want);
            return;
        }
        case ItemType::Multi:
            for (std::size_t i = 0; i < item.choices.size(); ++i) {
                for (const auto& v : value) {
                    if (v == item.choices[i].value) {
                        click(row->multi()[i]);
                    }
                }
            }
            return;
        case ItemType::Text:
            // Non-ASCII text cannot be typed through XTest reliably: set it as typing would.
            row->text()->SetValue(wxs(value.get<std::string>()));
            settle(20);
            return;
        case ItemType::List: {
            for (std::size_t n = 0; n < value.size(); ++n) {
                wxWindow* add = nullptr;
                for (wxWindow* w : row->GetChildren()) {
                    if (auto* b = dynamic_cast<wxButton*>(w)) {
                        add = b;
                    }
                }
                REQUIRE(add != nullptr);
                click(add);
            }
            // The entries' fields, by their accessible names.
            for (std::size_t n = 0; n < value.size(); ++n) {
                for (const auto& f : item.fields) {
                    if (!value[n].contains(f.id)) {
                        continue;
                    }
                    wxString name = wxString::Format("Entry %zu: %s", n + 1, wxs(f.label));
                    wxWindow* w = row->FindWindowByName(name, row);
                    REQUIRE_MESSAGE(w != nullptr, u8(name));
                    const Json& v = value[n][f.id];
                    if (auto* t = dynamic_cast<wxTextCtrl*>(w)) {
                        t->SetValue(v.is_string() ? wxs(v.get<std::string>()) : wxs(v.dump()));
                    } else if (auto* c = dynamic_cast<wxCheckBox*>(w)) {
                        if (c->GetValue() != (v == true)) {
                            click(c);
                        }
                    } else if (auto* ch = dynamic_cast<wxChoice*>(w)) {
                        for (std::size_t k = 0; k < f.choices.size(); ++k) {
                            if (f.choices[k].value == v) {
                                ch->SetSelection(static_cast<int>(k) + 1);
                                wxCommandEvent e(wxEVT_CHOICE, ch->GetId());
                                e.SetEventObject(ch);
                                ch->ProcessWindowEvent(e);
                            }
                        }
                    }
                    settle(10);
                }
            }
            return;
        }
        case ItemType::YesNo:
            FAIL("yes/no items are answered with keys");
    }
}

void go_to(AssessmentEditor* ed, const std::string& step) {
    // Through the step list, as a click would.
    wxListBox* list = ed->step_list();
    for (std::size_t i = 0; i < ed->step_count(); ++i) {
        const auto& steps = definitions().form.steps;
        bool match = i < steps.size() ? steps[i].id == step : step == kSummaryStep;
        if (match) {
            list->SetFocus();
            list->SetSelection(static_cast<int>(i));
            wxCommandEvent e(wxEVT_LISTBOX, list->GetId());
            e.SetEventObject(list);
            e.SetInt(static_cast<int>(i));
            list->ProcessWindowEvent(e);
            settle(80);
            REQUIRE(ed->current_step() == i);
            return;
        }
    }
    FAIL("no step " << step);
}

// Fills a vignette's answers through the controls, step by step.
void fill(AssessmentEditor* ed, const Assessment& v, const std::string& shots) {
    const FormDef& form = definitions().form;
    int n = 0;
    for (const auto& step : form.steps) {
        go_to(ed, step.id);
        if (step.id == "red_flags") {
            // Every question by key: Y, N or U, and the focus moves on by itself; a question
            // the vignette leaves unasked is skipped with the mouse-free Tab-like focus move.
            std::vector<const ItemDef*> flags;
            for (const auto& id : step.item_ids) {
                if (const ItemDef* item = form.find(id); item && item->type == ItemType::YesNo) {
                    flags.push_back(item);
                }
            }
            REQUIRE_FALSE(flags.empty());
            ed->row(flags.front()->id)->focus();
            settle(50);
            for (std::size_t i = 0; i < flags.size(); ++i) {
                auto it = v.answers.find(flags[i]->id);
                if (it == v.answers.end()) {
                    if (i + 1 < flags.size()) {
                        ed->row(flags[i + 1]->id)->focus();
                        settle(20);
                    }
                    continue;
                }
                std::string s = it->get<std::string>();
                key(s == "yes" ? 'y' : s == "no" ? 'n' : 'u');
                CHECK_MESSAGE(*ed->model()->answer(flags[i]->id) == *it, flags[i]->id);
            }
        }
        for (const auto& id : step.item_ids) {
            const ItemDef* item = form.find(id);
            auto it = v.answers.find(id);
            if (!item || it == v.answers.end() || item->type == ItemType::YesNo) {
                continue;
            }
            if (item->group == "wpi") {
                BodyChartCtrl* c = ed->chart_for(step.id);
                REQUIRE(c != nullptr);
                auto at = c->position_of(id);
                REQUIRE(at.has_value());
                CHECK(c->item_at(*at) == id);
                click_at(c, *at);
                CHECK_MESSAGE(ed->model()->answer(id) != nullptr, id);
                continue;
            }
            if (item->group == "tp") {
                BodyChartCtrl* c = ed->chart_for(step.id);
                REQUIRE(c != nullptr);
                auto at = c->position_of(id);
                REQUIRE(at.has_value());
                // not examined -> 0 -> 1 -> 2 -> 3: grade g takes g + 1 clicks.
                for (long k = 0; k <= it->get<long>(); ++k) {
                    click_at(c, *at);
                }
                CHECK_MESSAGE(ed->model()->answer(id) != nullptr, id);
                continue;
            }
            enter_answer(ed, *item, *it);
        }
        if (!shots.empty()) {
            screenshot(shots + "-" + std::to_string(++n) + "-" + step.id);
        }
    }
}

Json cli_evaluate(const Assessment& a, const std::filesystem::path& dir) {
    auto file = dir / "gui-answers.json";
    std::ofstream(file) << write_assessment(a);
    REQUIRE_MESSAGE(std::filesystem::exists(myo::test::cli_path()), "build myoscreen-cli first");
    auto r = myo::test::run_command(myo::test::shell_quote(myo::test::cli_path().string()) +
                                    " evaluate " + myo::test::shell_quote(file.string()));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value.has_value());
    return *parsed.value;
}

}  // namespace guitest
