#pragma once
// Layout that holds on the smallest supported screen (1024x768): windows cut to the display
// they open on, and the keyboard focus kept in view inside scrolled pages.

class wxWindow;
class wxScrolledWindow;

namespace myo::gui {

// Shrinks and moves a top-level window so that all of it lies in the client area (the screen
// less panels and task bars) of the display it is on, or of the first display when it is on
// none (a position remembered from a screen that is gone).
void fit_to_display(wxWindow* top);

// Keeps the keyboard focus in view inside a scrolled window: whenever a control in it gets the
// focus (Tab, Y/N/U moving on, code), the scrolled window's child holding it (the whole row,
// with its label and help) is scrolled fully into view, or its top when it is taller.
void keep_focus_visible(wxScrolledWindow* scrolled);

// Scrolls `scrolled` so that its child `row` is fully visible (as keep_focus_visible does).
void scroll_into_view(wxScrolledWindow* scrolled, wxWindow* row);

}  // namespace myo::gui
