#pragma once
// Closing the window while changes wait for the server (issue 14, "Quitting while offline"):
// how many, that they are kept on this computer and sent at the next start, and a choice:
// Keep working (the default: a window closed by mistake while the server is down stays as it
// was) or Quit anyway. Its own dialog (not a native message box) so that the GUI tests can
// find and drive it; Escape and Enter keep working, Alt+Q quits.

#include <cstddef>

#include <wx/dialog.h>

class wxButton;

namespace myo::gui {

class QuitOfflineDialog : public wxDialog {
  public:
    QuitOfflineDialog(wxWindow* parent, std::size_t waiting);
    // The sentence shown: "N changes wait for the server...".
    static wxString text(std::size_t waiting);
    wxButton* quit_button() const { return quit_; }
    wxButton* keep_working_button() const { return keep_; }

  private:
    wxButton* quit_ = nullptr;
    wxButton* keep_ = nullptr;
};

}  // namespace myo::gui
