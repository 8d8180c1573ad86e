#include "gui/layout_util.hpp"

#include <algorithm>

#include <wx/display.h>
#include <wx/scrolwin.h>
#include <wx/window.h>

namespace myo::gui {

void fit_to_display(wxWindow* top) {
    int index = wxDisplay::GetFromWindow(top);
    if (index == wxNOT_FOUND) {
        index = 0;
    }
    const wxRect area = wxDisplay(static_cast<unsigned>(index)).GetClientArea();
    wxRect r = top->GetRect();
    r.width = std::min(r.width, area.width);
    r.height = std::min(r.height, area.height);
    // The smallest screen decides: a minimum larger than the screen would push the buttons off.
    wxSize min = top->GetMinSize();
    if (min.x > area.width || min.y > area.height) {
        top->SetMinSize(wxSize(std::min(min.x, area.width), std::min(min.y, area.height)));
    }
    r.x = std::clamp(r.x, area.x, area.GetRight() + 1 - r.width);
    r.y = std::clamp(r.y, area.y, area.GetBottom() + 1 - r.height);
    top->SetSize(r);
}

void scroll_into_view(wxScrolledWindow* scrolled, wxWindow* row) {
    int ux = 0, uy = 0;
    scrolled->GetScrollPixelsPerUnit(&ux, &uy);
    if (uy <= 0) {
        return;
    }
    const int view = scrolled->GetClientSize().y;
    // Where the row is in the visible part (from the screen: GTK containers do not all report
    // positions in their parent's coordinates), then in the whole virtual area.
    const wxPoint visible = scrolled->ScreenToClient(row->GetScreenPosition());
    const int top = scrolled->CalcUnscrolledPosition(visible).y;
    const int bottom = top + row->GetSize().y;
    int vx = 0, vy = 0;
    scrolled->GetViewStart(&vx, &vy);
    const int first = vy * uy;
    int want = first;
    if (top < first || bottom - top > view) {
        want = top;
    } else if (bottom > first + view) {
        want = bottom - view;
    }
    if (want != first) {
        // Round so that the row's edge is inside the view, not a fraction of a unit outside.
        int unit = top < first || bottom - top > view ? want / uy : (want + uy - 1) / uy;
        scrolled->Scroll(-1, std::max(0, unit));
    }
}

void keep_focus_visible(wxScrolledWindow* scrolled) {
    scrolled->Bind(wxEVT_CHILD_FOCUS, [scrolled](wxChildFocusEvent& e) {
        // wxScrollHelper brings only the focused control itself into view, and only partly:
        // the row's question and help must show too.
        e.Skip();
        wxWindow* w = e.GetWindow();
        while (w && w->GetParent() != scrolled) {
            w = w->GetParent();
        }
        if (!w) {
            return;
        }
        // After the default handling and any relayout the focus change causes.
        scrolled->CallAfter([scrolled, w] {
            if (w->IsShown() && w->GetParent() == scrolled) {
                scroll_into_view(scrolled, w);
            }
        });
    });
}

}  // namespace myo::gui
