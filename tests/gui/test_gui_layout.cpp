// Issue 11: the layout on a laptop. Every step of the assessment, the patient list, Progress and
// Preferences with the main window at 1024x768 (the smallest supported screen), 1280x800 and
// 1920x1080: no shown control is clipped by its parent (its rectangle lies in the parent's
// client area, or in a scrolled window's virtual area) or squeezed below its best size (a grade
// list cut to ".."). The keyboard focus stays in view; yes/no findings have unmistakable states;
// a final visit's fields look read-only. MYOSCREEN_SCREENSHOTS=DIR saves a screenshot of each
// window at each size (cropped to the window) to look at.

#include <doctest/doctest.h>

#include <wx/settings.h>

#include <wx/anybutton.h>
#include <wx/bookctrl.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/display.h>
#include <wx/listbox.h>
#include <wx/notebook.h>
#include <wx/scrolwin.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/tglbtn.h>
#include <wx/timer.h>
#include <wx/uiaction.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "gui/assessment_editor.hpp"
#include "gui/item_controls.hpp"
#include "gui/main_frame.hpp"
#include "gui/patient_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/progress_view.hpp"
#include "gui_driver.hpp"
#include "progress_visits.hpp"

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;
using namespace guitest;

namespace {

const wxSize kSizes[] = {{1024, 768}, {1280, 800}, {1920, 1080}};

std::string rect_text(const wxRect& r) {
    std::ostringstream o;
    o << r.x << "," << r.y << " " << r.width << "x" << r.height;
    return o.str();
}

// What a person (and a failure message) calls the control: its class, name and label.
std::string describe(wxWindow* w) {
    std::string s = u8(w->GetClassInfo()->GetClassName()) + " '" + u8(w->GetName()) + "'";
    wxString label = w->GetLabel();
    if (!label.empty() && label != w->GetName()) {
        s += " \"" + u8(label.Left(60)) + "\"";
    }
    for (wxWindow* p = w->GetParent(); p; p = p->GetParent()) {
        if (dynamic_cast<ItemRow*>(p)) {
            s += " in row '" + u8(p->GetName()) + "'";
            break;
        }
    }
    return s;
}

// The rectangle a child may occupy in its parent: the client area, or for a scrolled window
// its virtual area in the scrolled direction (the width only when it scrolls sideways).
wxRect allowed_area(wxWindow* parent) {
    wxRect area(wxPoint(0, 0), parent->GetClientSize());
    if (auto* sh = dynamic_cast<wxScrollHelperBase*>(parent)) {
        int ux = 0, uy = 0;
        sh->GetScrollPixelsPerUnit(&ux, &uy);
        wxSize virt = parent->GetVirtualSize();
        if (uy > 0) {
            area.height = std::max(area.height, virt.y);
        }
        if (ux > 0) {
            area.width = std::max(area.width, virt.x);
        }
    }
    return area;
}

wxRect rect_in_parent(wxWindow* w) {
    // From the screen: some GTK containers (a notebook's pages) report positions in another
    // window's coordinates.
    wxRect r(w->GetParent()->ScreenToClient(w->GetScreenPosition()), w->GetSize());
    if (auto* sh = dynamic_cast<wxScrollHelperBase*>(w->GetParent())) {
        r.SetPosition(sh->CalcUnscrolledPosition(r.GetPosition()));
    }
    return r;
}

// Controls whose text is cut when they are smaller than their best size.
bool must_keep_best_size(wxWindow* w) {
    if (auto* t = dynamic_cast<wxStaticText*>(w)) {
        return !t->HasFlag(wxST_ELLIPSIZE_END | wxST_ELLIPSIZE_MIDDLE | wxST_ELLIPSIZE_START);
    }
    return dynamic_cast<wxChoice*>(w) || dynamic_cast<wxAnyButton*>(w) ||
           dynamic_cast<wxCheckBox*>(w);
}

// Every shown descendant of `w` (not other top-level windows) within its parent's area and no
// smaller than its best size; each problem as one line naming the control and the rectangles.
void find_clipped(wxWindow* w, std::vector<std::string>& out) {
    for (wxWindow* c : w->GetChildren()) {
        if (!c->IsShown() || c->IsTopLevel()) {
            continue;
        }
        wxRect area = allowed_area(w);
        if (dynamic_cast<wxStatusBar*>(c) || dynamic_cast<wxBookCtrlBase*>(w)) {
            // A frame's status bar lies below its client area, a notebook's pages below its
            // tabs: both are placed in the whole window.
            area = wxRect(wxPoint(0, 0), w->GetSize());
        }
        wxRect r = rect_in_parent(c);
        // One pixel of rounding is not a clipped control.
        wxRect slack = area;
        slack.Inflate(1, 1);
        if (!slack.Contains(r)) {
            out.push_back(describe(c) + " at " + rect_text(r) + " outside its parent " +
                          describe(w) + " area " + rect_text(area));
        }
        if (must_keep_best_size(c)) {
            wxSize best = c->GetBestSize();
            if (c->GetSize().x < best.x - 2 || c->GetSize().y < best.y - 2) {
                out.push_back(describe(c) + " squeezed to " + rect_text(r) + ", needs " +
                              std::to_string(best.x) + "x" + std::to_string(best.y));
            }
        }
        find_clipped(c, out);
    }
}

void check_layout(wxWindow* top, const std::string& where) {
    settle(120);
    std::vector<std::string> problems;
    // The window itself on the screen's usable part.
    wxRect display = wxDisplay(0u).GetClientArea();
    if (!display.Contains(top->GetScreenRect())) {
        problems.push_back("the window " + rect_text(top->GetScreenRect()) +
                           " is not inside the display's client area " + rect_text(display));
    }
    find_clipped(top, problems);
    std::string all;
    for (const auto& p : problems) {
        all += "\n  " + p;
    }
    CHECK_MESSAGE(problems.empty(), where << ": " << problems.size() << " clipped" << all);
}

// A screenshot of the window only (the test display is larger than the sizes under test).
void window_shot(wxWindow* top, const std::string& name) {
    const char* dir = std::getenv("MYOSCREEN_SCREENSHOTS");
    if (!dir || !*dir) {
        return;
    }
    settle(150);
    wxRect r = top->GetScreenRect();
    std::string cmd = "import -window root -crop " + std::to_string(r.width) + "x" +
                      std::to_string(r.height) + "+" + std::to_string(r.x) + "+" +
                      std::to_string(r.y) + " " +
                      myo::test::shell_quote(std::string(dir) + "/" + name + ".png");
    CHECK(std::system(cmd.c_str()) == 0);
}

std::string size_name(const wxSize& s) {
    return std::to_string(s.x) + "x" + std::to_string(s.y);
}

void place(MainFrame* frame, const wxSize& s) {
    frame->SetSize(wxRect(wxPoint(0, 0), s));
    settle(250);
}

wxScrolledWindow* scrolled_parent(wxWindow* w) {
    for (wxWindow* p = w; p; p = p->GetParent()) {
        if (auto* sw = dynamic_cast<wxScrolledWindow*>(p)) {
            return sw;
        }
    }
    return nullptr;
}

// The child of `sw` holding `w` (an item's whole row).
wxWindow* row_of(wxScrolledWindow* sw, wxWindow* w) {
    while (w && w->GetParent() != sw) {
        w = w->GetParent();
    }
    return w;
}

// Whether the whole of `row` is in the visible part of its scrolled window.
bool fully_visible(wxScrolledWindow* sw, wxWindow* row, std::string& why) {
    wxRect vis(wxPoint(0, 0), sw->GetClientSize());
    wxRect r = row->GetRect();  // relative to the visible part
    std::ostringstream o;
    o << "row '" << u8(row->GetName()) << "' at " << rect_text(r) << ", visible part "
      << rect_text(vis);
    why = o.str();
    return vis.Contains(r);
}

ItemRow* first_row(AssessmentEditor* ed, const std::string& step) {
    for (const auto& s : definitions().form.steps) {
        if (s.id == step) {
            return ed->row(s.item_ids.front());
        }
    }
    return nullptr;
}

// The visible part of the red-flag step's page: how many screens its questions span.
double red_flag_screens(AssessmentEditor* ed) {
    go_to(ed, "red_flags");
    wxScrolledWindow* sw = scrolled_parent(first_row(ed, "red_flags"));
    REQUIRE(sw != nullptr);
    return static_cast<double>(sw->GetVirtualSize().y) / sw->GetClientSize().y;
}

std::int64_t draft_of(Fixture& fx, const Assessment& a) {
    try {
        fx.store->add_patient(a.patient);
    } catch (const std::exception&) {
        // Already there (a second visit of the same patient).
    }
    return fx.store->create_draft(a);
}

template <class Dialog>
void with_dialog(const std::function<void()>& open, const std::function<void(Dialog*)>& drive) {
    bool done = false;
    wxTimer timer;
    timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        for (wxWindow* w : wxTopLevelWindows) {
            auto* d = dynamic_cast<Dialog*>(w);
            if (d && d->IsShown() && !done) {
                done = true;
                timer.Stop();
                d->Raise();
                settle(200);
                drive(d);
                d->EndModal(wxID_CANCEL);
                return;
            }
        }
    });
    timer.Start(100);
    open();
    timer.Stop();
    CHECK(done);
}

}  // namespace

TEST_CASE("layout: every step, the patients, Progress and Preferences fit at 1024x768 and up") {
    Fixture fx;
    Assessment v1 = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    Assessment v4;
    for (const auto& f : myo::test::vignette_files()) {
        if (f.filename().string().rfind("v4", 0) == 0) {
            v4 = myo::test::vignette_assessment(f);
        }
    }
    REQUIRE(!v4.patient.id.empty());
    Assessment empty = v1;
    empty.answers = Json::object();
    empty.date = "2026-11-21";
    // v1 filled, v4 with its emergency banner, a visit with nothing asked yet, and v1 final.
    std::int64_t filled = draft_of(fx, v1);
    std::int64_t banner = draft_of(fx, v4);
    std::int64_t blank = draft_of(fx, empty);
    Assessment final_visit = v1;
    final_visit.date = "2026-11-19";
    std::int64_t final_id = draft_of(fx, final_visit);
    fx.store->finalize(final_id);
    for (const auto& a : myo::test::progress_visits()) {
        fx.store->finalize(draft_of(fx, a));
    }
    const bool shots = std::getenv("MYOSCREEN_SCREENSHOTS") != nullptr;

    for (const wxSize& size : kSizes) {
        const std::string sz = size_name(size);
        CAPTURE(sz);
        place(fx.frame, size);
        fx.frame->show_patients();
        fx.frame->patients()->select_patient(v1.patient.id);
        check_layout(fx.frame, sz + " patients");
        window_shot(fx.frame, "layout-" + sz + "-patients");

        const std::pair<std::int64_t, std::string> visits[] = {
            {filled, "v1"}, {banner, "v4"}, {blank, "blank"}, {final_id, "final"}};
        for (const auto& [id, name] : visits) {
            // The emergency banner and the greyed final visit at the smallest size only: the
            // larger sizes have the room (and the suite its time).
            if (size.x > 1024 && (name == "v4" || name == "final")) {
                continue;
            }
            fx.frame->open_assessment(id);
            AssessmentEditor* ed = fx.frame->editor();
            for (std::size_t i = 0; i < ed->step_count(); ++i) {
                ed->go_to_step(i);
                const auto& steps = definitions().form.steps;
                std::string step = i < steps.size() ? steps[i].id : std::string(kSummaryStep);
                check_layout(fx.frame, sz + " " + name + " step " + step);
                if (shots) {
                    window_shot(fx.frame, "layout-" + sz + "-" + name + "-" +
                                              std::to_string(i + 1) + "-" + step);
                }
            }
        }

        fx.frame->show_patients();
        fx.frame->patients()->select_patient("PRG-1");
        fx.frame->show_progress();
        REQUIRE(fx.frame->showing_progress());
        for (int tab = 0; tab < 3; ++tab) {
            fx.frame->progress()->notebook()->SetSelection(static_cast<std::size_t>(tab));
            check_layout(fx.frame, sz + " progress tab " + std::to_string(tab));
            window_shot(fx.frame, "layout-" + sz + "-progress-" + std::to_string(tab));
        }
        fx.frame->progress()->notebook()->SetSelection(0);

        with_dialog<PreferencesDialog>([&] { fx.frame->preferences(); },
                                       [&](PreferencesDialog* d) {
                                           check_layout(d, sz + " preferences");
                                           window_shot(d, "layout-" + sz + "-preferences");
                                       });
    }
}

TEST_CASE("layout: the red-flag step spans at most two screens at 1024x768") {
    Fixture fx;
    place(fx.frame, {1024, 768});
    Assessment v1 = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    fx.frame->open_assessment(draft_of(fx, v1));
    double screens = red_flag_screens(fx.frame->editor());
    MESSAGE("red-flag step at 1024x768: " << screens << " screens");
    CHECK(screens <= 2.0);
}

TEST_CASE("layout: the first window fits the display, even with a size remembered elsewhere") {
    wxRect display = wxDisplay(0u).GetClientArea();
    Fixture fx;
    fx.close();
    fx.fit_screen = false;
    fx.open();
    CHECK_MESSAGE(display.Contains(fx.frame->GetScreenRect()), rect_text(fx.frame->GetScreenRect())
                                                                   << " on " << rect_text(display));
    // A size and position remembered on a larger screen (or a second one since unplugged).
    fx.frame->SetSize(wxRect(display.GetRight() - 200, display.GetBottom() - 100,
                             display.width + 700, display.height + 400));
    settle(100);
    fx.close();
    fx.open();
    CHECK_MESSAGE(display.Contains(fx.frame->GetScreenRect()), rect_text(fx.frame->GetScreenRect())
                                                                   << " on " << rect_text(display));
}

TEST_CASE("keyboard: Y on each red flag keeps the focused question fully in view at 1024x768") {
    Fixture fx;
    place(fx.frame, {1024, 768});
    Assessment a = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    a.answers = Json::object();
    fx.frame->open_assessment(draft_of(fx, a));
    AssessmentEditor* ed = fx.frame->editor();
    go_to(ed, "red_flags");
    ItemRow* first = first_row(ed, "red_flags");
    REQUIRE(first != nullptr);
    first->focus();
    settle(60);
    wxScrolledWindow* sw = scrolled_parent(first);
    REQUIRE(sw != nullptr);
    std::size_t flags = 0;
    for (const auto* item : ed->model()->visible_items("red_flags")) {
        flags += item->type == ItemType::YesNo;
    }
    wxUIActionSimulator sim;
    for (std::size_t i = 0; i < flags; ++i) {
        sim.Char('y');
        settle(120);
        wxWindow* focus = wxWindow::FindFocus();
        REQUIRE(focus != nullptr);
        wxWindow* row = row_of(sw, focus);
        REQUIRE_MESSAGE(row != nullptr, "the focus left the red-flag page: " << describe(focus));
        std::string why;
        CHECK_MESSAGE(fully_visible(sw, row, why), "after Y number " << i + 1 << ": " << why);
        if (i == flags / 2) {
            window_shot(fx.frame, "layout-1024x768-red-flags-keyboard");
        }
    }
    // Every question answered Yes, none skipped unseen.
    for (const auto* item : ed->model()->visible_items("red_flags")) {
        if (item->type == ItemType::YesNo) {
            CHECK_MESSAGE(ed->model()->answer(item->id) != nullptr, item->id);
        }
    }
}

TEST_CASE("keyboard: Tab into a field below the fold scrolls its row into view") {
    Fixture fx;
    place(fx.frame, {1024, 768});
    Assessment a = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    fx.frame->open_assessment(draft_of(fx, a));
    AssessmentEditor* ed = fx.frame->editor();
    for (const char* step : {"history", "symptoms", "factors_medication"}) {
        CAPTURE(step);
        go_to(ed, step);
        ItemRow* first = first_row(ed, step);
        REQUIRE(first != nullptr);
        first->focus();
        settle(60);
        wxScrolledWindow* sw = scrolled_parent(first);
        REQUIRE(sw != nullptr);
        wxUIActionSimulator sim;
        int checked = 0;
        for (int i = 0; i < 60; ++i) {
            sim.Char(WXK_TAB);
            settle(60);
            wxWindow* focus = wxWindow::FindFocus();
            if (!focus) {
                continue;  // on a GTK drop-down list, which wx does not report as focused
            }
            wxWindow* row = row_of(sw, focus);
            if (!row) {
                break;  // past the page's last field
            }
            std::string why;
            CHECK_MESSAGE(fully_visible(sw, row, why), "Tab " << i + 1 << ": " << why);
            ++checked;
        }
        // The walk went through the page, not one field.
        CHECK(checked >= 5);
    }
}

TEST_CASE("yes/no findings: not asked is said in words and one click records what was clicked") {
    Fixture fx;
    Assessment a = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    a.answers = Json::object();
    fx.frame->open_assessment(draft_of(fx, a));
    AssessmentEditor* ed = fx.frame->editor();
    go_to(ed, "symptoms");
    ItemRow* row = ed->row("sss.headaches");
    REQUIRE(row != nullptr);
    REQUIRE(row->toggles().size() == 2);
    CHECK(row->check() == nullptr);
    auto caption_shown = [&] {
        for (wxWindow* c : row->GetChildren()) {
            if (auto* t = dynamic_cast<wxStaticText*>(c); t && t->GetLabel() == "(not asked)") {
                return t->IsShown();
            }
        }
        return false;
    };
    // Not asked: neither button pressed, and the row says so.
    CHECK_FALSE(row->toggles()[0]->GetValue());
    CHECK_FALSE(row->toggles()[1]->GetValue());
    CHECK(caption_shown());
    // One click on Yes records yes.
    click(row->toggles()[0]);
    REQUIRE(ed->model()->answer("sss.headaches") != nullptr);
    CHECK(*ed->model()->answer("sss.headaches") == true);
    CHECK(row->toggles()[0]->GetValue());
    CHECK_FALSE(caption_shown());
    // One click on No records no.
    click(row->toggles()[1]);
    CHECK(*ed->model()->answer("sss.headaches") == false);
    CHECK_FALSE(row->toggles()[0]->GetValue());
    CHECK(row->toggles()[1]->GetValue());
    // The chosen answer is drawn in the selection colours, the other in the normal ones: more
    // than GTK's shade of grey for a pressed toggle.
    const wxColour highlight = wxSystemSettings::GetColour(wxSYS_COLOUR_HIGHLIGHT);
    CHECK(row->toggles()[1]->GetBackgroundColour() == highlight);
    CHECK(row->toggles()[0]->GetBackgroundColour() != highlight);
    // The chosen answer clicked again takes it back: not asked.
    click(row->toggles()[1]);
    CHECK(ed->model()->answer("sss.headaches") == nullptr);
    CHECK(caption_shown());
    CHECK(row->toggles()[1]->GetBackgroundColour() != highlight);
    // The keyboard: Y and N answer and move on to the next question.
    row->focus();
    settle(50);
    key('y');
    CHECK(*ed->model()->answer("sss.headaches") == true);
    key('n');
    CHECK(*ed->model()->answer("sss.lower_abdominal") == false);
    screenshot("yes-no-findings");
}

TEST_CASE("final visits: every field looks read-only (disabled), not editable") {
    Fixture fx;
    Assessment a = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    std::int64_t id = draft_of(fx, a);
    fx.store->finalize(id);
    fx.frame->open_assessment(id);
    AssessmentEditor* ed = fx.frame->editor();
    CHECK_FALSE(ed->date_field()->IsEnabled());
    for (const auto& step : definitions().form.steps) {
        go_to(ed, step.id);
        for (const auto& item_id : step.item_ids) {
            ItemRow* row = ed->row(item_id);
            REQUIRE(row != nullptr);
            std::vector<wxWindow*> controls;
            if (row->text()) {
                controls.push_back(row->text());
            }
            if (row->choice()) {
                controls.push_back(row->choice());
            }
            if (row->check()) {
                controls.push_back(row->check());
            }
            for (auto* t : row->toggles()) {
                controls.push_back(t);
            }
            for (auto* m : row->multi()) {
                controls.push_back(m);
            }
            for (wxWindow* c : controls) {
                CHECK_MESSAGE(!c->IsEnabled(), describe(c));
            }
        }
    }
    go_to(ed, kSummaryStep);
    // The notes are greyed and take no edits (not made insensitive: see refresh_all).
    CHECK_FALSE(ed->notes_field()->IsEditable());
    const wxString shown = ed->notes_field()->GetValue();
    const auto stored = ed->model()->assessment().notes;
    ed->notes_field()->SetFocus();
    type("x");
    CHECK(ed->notes_field()->GetValue() == shown);
    CHECK(ed->model()->assessment().notes == stored);
}
