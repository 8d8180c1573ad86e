#include "gui/wrapped_label.hpp"

#include <algorithm>
#include <cstdlib>

namespace myo::gui {

WrappedLabel::WrappedLabel(wxWindow* parent)
    // The sizer gives the width (the row's): the label must not shrink itself to its text.
    : wxStaticText(parent, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                   wxST_NO_AUTORESIZE) {
    SetMinSize(wxSize(FromDIP(80), -1));
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        if (!busy_ && e.GetSize().x > 0 && std::abs(e.GetSize().x - wrapped_at_) >= 4) {
            rewrap();
        }
    });
}

void WrappedLabel::SetLabel(const wxString& label) {
    if (busy_) {
        wxStaticText::SetLabel(label);
        return;
    }
    text_ = label;
    wrapped_at_ = -1;
    rewrap();
}

void WrappedLabel::rewrap() {
    const int width = GetSize().x;
    const int height_before = GetMinSize().y;
    busy_ = true;
    wxStaticText::SetLabel(text_);
    if (width > FromDIP(40)) {
        Wrap(width);
        wrapped_at_ = width;
    }
    InvalidateBestSize();
    // As tall as its lines (at least one, so the row does not jump when the text is empty).
    const int line = GetTextExtent("Ag").y;
    SetMinSize(wxSize(FromDIP(80), std::max(line, GetBestSize().y)));
    busy_ = false;
    if (GetMinSize().y != height_before) {
        // Taller or shorter now: the parent lays its rows out again, after this event.
        CallAfter([this] {
            if (wxWindow* p = GetParent()) {
                p->Layout();
            }
        });
    }
}

}  // namespace myo::gui
