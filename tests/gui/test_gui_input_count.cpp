// Issue 11's measurement (bench/README.md, run by bench_gui_input through scripts/bench): how
// many input events a person needs to enter vignette v1 completely with the main window at
// 1024x768, once by keyboard only and once by mouse (typing numbers counts as keys), and how
// many screens the red-flag step spans. The events are really sent (wxUIActionSimulator) and
// counted as they are sent; only a drop-down list's choice is counted (open, arrow keys or a
// click, confirm) and then set as the click would, since GTK's popups are not drivable under Xvfb.
// Skipped in the test suite (it measures, it does not judge): `test_gui --no-skip
// -tc='bench:*'` prints COUNT lines.

#include <doctest/doctest.h>

#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/scrolwin.h>
#include <wx/textctrl.h>
#include <wx/tglbtn.h>
#include <wx/uiaction.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gui/assessment_editor.hpp"
#include "gui/body_chart_ctrl.hpp"
#include "gui/item_controls.hpp"
#include "gui/main_frame.hpp"
#include "gui/patient_panel.hpp"
#include "gui_driver.hpp"

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;
using namespace guitest;

namespace {

struct Counts {
    int keys = 0;
    int clicks = 0;
    int scrolls = 0;
    int unseen = 0;  // answers given while their question was not fully on screen
};

wxScrolledWindow* scrolled_of(wxWindow* w) {
    for (wxWindow* p = w ? w->GetParent() : nullptr; p; p = p->GetParent()) {
        if (auto* sw = dynamic_cast<wxScrolledWindow*>(p)) {
            return sw;
        }
    }
    return nullptr;
}

bool contains(wxWindow* outer, wxWindow* w) {
    for (; w; w = w->GetParent()) {
        if (w == outer) {
            return true;
        }
    }
    return false;
}

// How far (pixels) `w` lies outside the visible part of its scrolled window; 0 when all shown.
int out_of_view(wxWindow* w) {
    wxScrolledWindow* sw = scrolled_of(w);
    if (!sw) {
        return 0;
    }
    wxRect vis(wxPoint(0, 0), sw->GetClientSize());
    wxRect r(sw->ScreenToClient(w->GetScreenPosition()), w->GetSize());
    if (r.y < vis.y) {
        return vis.y - r.y;
    }
    return std::max(0, r.GetBottom() - vis.GetBottom());
}

// A person scrolls a page at a time (the scroll bar's trough, or the wheel a few notches).
void mouse_scroll_to(wxWindow* w, Counts& c) {
    if (int dy = out_of_view(w); dy > 0) {
        int page = std::max(1, scrolled_of(w)->GetClientSize().y);
        c.scrolls += (dy + page - 1) / page;
        scroll_to(w);
    }
}

void mouse_click(wxWindow* w, Counts& c) {
    mouse_scroll_to(w, c);
    click(w);
    ++c.clicks;
}

void press(int keycode, Counts& c, int modifiers = wxMOD_NONE) {
    wxUIActionSimulator sim;
    sim.Char(keycode, modifiers);
    settle(30);
    ++c.keys;
}

void type_counted(const std::string& text, Counts& c) {
    type(text);
    c.keys += static_cast<int>(text.size());
}

// Where the keyboard focus is. GTK's drop-down lists take the focus without wx knowing
// (FindFocus() is null): then it is on the first list after the last known focus, in form order.
struct Focus {
    std::vector<ItemRow*> rows;  // the step's rows in form (and tab) order
    wxWindow* on_choice = nullptr;

    int row_index(wxWindow* w) const {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (contains(rows[i], w)) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }
    wxWindow* current() const {
        wxWindow* f = wxWindow::FindFocus();
        return f ? f : on_choice;
    }
    // After a Tab: the real focus, or the next list.
    void moved(wxWindow* before) {
        if (wxWindow::FindFocus()) {
            on_choice = nullptr;
            return;
        }
        int from = before ? row_index(before) : -1;
        on_choice = nullptr;
        for (std::size_t i = static_cast<std::size_t>(from + 1); i < rows.size(); ++i) {
            if (rows[i]->choice() && rows[i]->IsShown()) {
                on_choice = rows[i]->choice();
                return;
            }
        }
    }
};

Focus g_focus;

// Tab until the focus is in `target`; each Tab counted.
void tab_to(wxWindow* target, Counts& c) {
    for (int i = 0; i < 150; ++i) {
        if (contains(target, g_focus.current())) {
            return;
        }
        wxWindow* before = g_focus.current();
        press(WXK_TAB, c);
        g_focus.moved(before);
    }
    FAIL("Tab never reached " << u8(target->GetName()));
}

int choice_index(const ItemDef& item, const Json& value) {
    if (item.type == ItemType::Enum) {
        for (std::size_t i = 0; i < item.choices.size(); ++i) {
            if (item.choices[i].value == value) {
                return static_cast<int>(i) + 1;
            }
        }
    }
    for (std::size_t i = 0; i < item.value_labels.size(); ++i) {
        if (item.value_labels[i].value == value.get<long>()) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

void choose(wxChoice* ch, int sel) {
    ch->SetSelection(sel);
    wxCommandEvent e(wxEVT_CHOICE, ch->GetId());
    e.SetEventObject(ch);
    e.SetInt(sel);
    ch->ProcessWindowEvent(e);
    settle(20);
}

const Json* answer(AssessmentEditor* ed, const std::string& id) {
    return ed->model()->answer(id);
}

// One yes/no finding or red flag by keyboard: the old three-state box cycles with Space, the
// buttons take Y, N or U (and move to the next question by themselves).
void key_answer(AssessmentEditor* ed, ItemRow* row, const ItemDef& item, const Json& v, Counts& c) {
    if (!row->toggles().empty()) {
        if (!contains(row, g_focus.current())) {
            tab_to(row, c);
        }
        if (out_of_view(row) > 0) {
            ++c.unseen;
        }
        std::string s = v.is_boolean() ? (v == true ? "y" : "n") : v.get<std::string>();
        press(s == "yes" || s == "y" ? 'y' : s == "no" || s == "n" ? 'n' : 'u', c);
    } else {
        REQUIRE(row->check() != nullptr);
        tab_to(row->check(), c);
        if (out_of_view(row) > 0) {
            ++c.unseen;
        }
        for (int i = 0; i < 3 && !(answer(ed, item.id) && *answer(ed, item.id) == v); ++i) {
            press(WXK_SPACE, c);
        }
    }
    CHECK_MESSAGE((answer(ed, item.id) && *answer(ed, item.id) == v), item.id);
}

void mouse_answer(AssessmentEditor* ed, ItemRow* row, const ItemDef& item, const Json& v,
                  Counts& c) {
    if (!row->toggles().empty()) {
        std::size_t i = 0;
        if (v.is_boolean()) {
            i = v == true ? 0 : 1;
        } else {
            i = v == "yes" ? 0 : v == "no" ? 1 : 2;
        }
        mouse_click(row->toggles().at(i), c);
    } else {
        REQUIRE(row->check() != nullptr);
        for (int i = 0; i < 3 && !(answer(ed, item.id) && *answer(ed, item.id) == v); ++i) {
            mouse_click(row->check(), c);
        }
    }
    CHECK_MESSAGE((answer(ed, item.id) && *answer(ed, item.id) == v), item.id);
}

// The body chart: by keyboard the arrows walk the areas or sites in form order and Space (an
// area) or 0-3 (a tender point's grade) set it; by mouse a click toggles an area and cycles a
// grade (not examined, 0, 1, 2, 3).
void chart_answer(AssessmentEditor* ed, const std::string& step, const ItemDef& item, const Json& v,
                  bool keyboard, Counts& c) {
    BodyChartCtrl* chart = ed->chart_for(step);
    REQUIRE(chart != nullptr);
    if (keyboard) {
        tab_to(chart, c);
        for (int i = 0; i < 60 && chart->focused_item() != item.id; ++i) {
            press(WXK_RIGHT, c);
        }
        REQUIRE(chart->focused_item() == item.id);
        press(item.group == "tp" ? '0' + static_cast<int>(v.get<long>()) : WXK_SPACE, c);
    } else {
        auto at = chart->position_of(item.id);
        REQUIRE(at.has_value());
        long times = item.group == "tp" ? v.get<long>() + 1 : 1;
        for (long k = 0; k < times; ++k) {
            click_at(chart, *at);
            ++c.clicks;
        }
    }
    CHECK_MESSAGE((answer(ed, item.id) && *answer(ed, item.id) == v), item.id);
}

Counts enter_v1(Fixture& fx, const Assessment& v, bool keyboard) {
    fx.frame->SetSize(wxRect(0, 0, 1024, 768));
    settle(200);
    fx.frame->new_assessment(v.patient, false);
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(ed->model() != nullptr);
    ed->model()->set_visit(v.date, v.kind, v.clinician);
    ed->go_to_step(std::size_t{0});
    settle(100);
    Counts c;
    const FormDef& form = definitions().form;
    for (std::size_t s = 0; s < form.steps.size(); ++s) {
        const StepDef& step = form.steps[s];
        if (s > 0) {
            if (keyboard) {
                press(WXK_PAGEDOWN, c, wxMOD_CONTROL);
            } else {
                ed->go_to_step(s);  // a click on Next
                ++c.clicks;
            }
            settle(80);
            if (ed->current_step() != s) {
                ed->go_to_step(s);  // the accelerator did not reach the menu under Xvfb
            }
        }
        g_focus = Focus{};
        for (const auto& id : step.item_ids) {
            if (ItemRow* r = ed->row(id)) {
                g_focus.rows.push_back(r);
            }
        }
        // A step opens with the focus on its first field, which may be a drop-down list.
        if (!wxWindow::FindFocus() && !g_focus.rows.empty()) {
            g_focus.on_choice = g_focus.rows.front()->choice();
        }
        for (const auto& id : step.item_ids) {
            const ItemDef* item = form.find(id);
            auto it = v.answers.find(id);
            if (!item || it == v.answers.end()) {
                continue;
            }
            ItemRow* row = ed->row(id);
            REQUIRE_MESSAGE(row != nullptr, id);
            if (item->group == "wpi" || item->group == "tp") {
                chart_answer(ed, step.id, *item, *it, keyboard, c);
            } else if (item->type == ItemType::YesNo || item->type == ItemType::Bool) {
                keyboard ? key_answer(ed, row, *item, *it, c)
                         : mouse_answer(ed, row, *item, *it, c);
            } else if (row->text()) {
                keyboard ? tab_to(row->text(), c) : mouse_click(row->text(), c);
                if (keyboard && out_of_view(row) > 0) {
                    ++c.unseen;
                }
                type_counted(it->dump(), c);
            } else if (row->choice()) {
                int sel = choice_index(*item, *it);
                if (keyboard) {
                    tab_to(row->choice(), c);
                    if (out_of_view(row) > 0) {
                        ++c.unseen;
                    }
                    c.keys +=
                        2 + std::abs(sel - row->choice()->GetSelection());  // open, arrows, Enter
                } else {
                    mouse_scroll_to(row->choice(), c);
                    c.clicks += 2;  // open the list, click the entry
                }
                choose(row->choice(), sel);
            } else if (!row->multi().empty()) {
                for (std::size_t k = 0; k < item->choices.size(); ++k) {
                    for (const auto& want : *it) {
                        if (want != item->choices[k].value) {
                            continue;
                        }
                        if (keyboard) {
                            tab_to(row->multi()[k], c);
                            if (out_of_view(row->multi()[k]) > 0) {
                                ++c.unseen;
                            }
                            press(WXK_SPACE, c);
                        } else {
                            mouse_click(row->multi()[k], c);
                        }
                    }
                }
            } else {
                FAIL("no way to enter " << id);
            }
            CHECK_MESSAGE(answer(ed, id) != nullptr, id);
        }
    }
    CHECK(same_answers(ed->model()->assessment().answers, v.answers));
    return c;
}

}  // namespace

TEST_CASE("bench: input events to enter vignette v1 at 1024x768" * doctest::skip()) {
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().at(0));
    Fixture fx;
    fx.store->add_patient(v.patient);
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(v.patient.id);
    Counts kb = enter_v1(fx, v, true);
    Counts mouse = enter_v1(fx, v, false);

    // The red-flag step: how many screens its page spans, and the page scrolls to see it all.
    AssessmentEditor* ed = fx.frame->editor();
    ed->go_to_step("red_flags");
    settle(150);
    const StepDef* rf = nullptr;
    for (const auto& s : definitions().form.steps) {
        rf = s.id == "red_flags" ? &s : rf;
    }
    REQUIRE(rf != nullptr);
    wxScrolledWindow* sw = scrolled_of(ed->row(rf->item_ids.front()));
    REQUIRE(sw != nullptr);
    double screens = static_cast<double>(sw->GetVirtualSize().y) / sw->GetClientSize().y;
    int page_scrolls = static_cast<int>(std::ceil(screens - 1e-9)) - 1;

    std::printf("COUNT\tv1 by keyboard: keys (Tab, arrows, typing, Y/N/U, Ctrl+PgDn)\t%d\n",
                kb.keys);
    std::printf("COUNT\tv1 by keyboard: answers given while their question was off screen\t%d\n",
                kb.unseen);
    std::printf("COUNT\tv1 by mouse: clicks\t%d\n", mouse.clicks);
    std::printf("COUNT\tv1 by mouse: keys (typing the numbers)\t%d\n", mouse.keys);
    std::printf("COUNT\tv1 by mouse: page scrolls\t%d\n", mouse.scrolls);
    std::printf("COUNT\tv1 by mouse: all events\t%d\n", mouse.clicks + mouse.keys + mouse.scrolls);
    std::printf("COUNT\tred-flag step at 1024x768: screens (page height / visible height)\t%.2f\n",
                screens);
    std::printf("COUNT\tred-flag step at 1024x768: page scrolls to see every question\t%d\n",
                page_scrolls);
    std::fflush(stdout);
}
