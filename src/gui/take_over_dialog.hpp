#pragma once
// The question before taking over a draft that another workstation is editing now (issue 14):
// who holds it, what happens to their window, and two buttons. Its own dialog (not a native
// message box) so that the GUI tests can find and drive it.

#include <wx/dialog.h>

class wxButton;

namespace myo::gui {

class TakeOverDialog : public wxDialog {
  public:
    TakeOverDialog(wxWindow* parent, const wxString& question);
    wxButton* take_over_button() const { return take_over_; }
    wxButton* cancel_button() const { return cancel_; }

  private:
    wxButton* take_over_ = nullptr;
    wxButton* cancel_ = nullptr;
};

}  // namespace myo::gui
