#pragma once
// The database could not be opened at start (issue 14): a dialog naming the cause (the server
// does not answer, the login was refused ...) with Retry, Choose another database (the
// Preferences' Database section) and Quit, instead of "MyoScreen cannot start" and an exit.
// Retry against a server first tries the connection on a worker thread, so the dialog stays
// responsive for the connection's timeout; it ends only once the server answers.

#include <filesystem>
#include <memory>
#include <string>

#include <wx/dialog.h>

#include "gui/model/start_failure.hpp"

class wxButton;
class wxStaticText;

namespace myo::gui {

class StartFailureDialog : public wxDialog {
  public:
    // What ShowModal returns for each choice.
    enum Choice { kRetry = wxID_RETRY, kChooseDatabase = wxID_PREFERENCES, kQuit = wxID_CANCEL };

    // `conninfo` is the server's connection string (Retry tests it first), or empty for a file.
    StartFailureDialog(wxWindow* parent, const StartFailure& failure, std::string conninfo);
    ~StartFailureDialog() override;

    wxButton* retry_button() const { return retry_; }
    wxButton* choose_button() const { return choose_; }
    wxButton* quit_button() const { return quit_; }
    // Everything the dialog says, as shown (for tests).
    wxString text() const;

  private:
    void show(const StartFailure& failure);
    void retry();

    std::string conninfo_;
    wxStaticText* headline_ = nullptr;
    wxStaticText* body_ = nullptr;
    wxButton* retry_ = nullptr;
    wxButton* choose_ = nullptr;
    wxButton* quit_ = nullptr;
    // Cleared when the dialog goes: a connection test finishing later changes nothing.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace myo::gui
