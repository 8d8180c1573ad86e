#pragma once
// Opening the patient database at start-up (issue 7, one writer): when another MyoScreen has it
// open for writing, the clinician is told so and chooses to open it read-only or to quit.

#include <filesystem>
#include <memory>
#include <optional>

#include <wx/dialog.h>

#include "core/definitions.hpp"
#include "gui/connecting_dialog.hpp"

class wxButton;

namespace myo::store {
class Store;
}

namespace myo::gui {

// "MyoScreen is already open on this database..." with Open read-only / Quit.
class SecondInstanceDialog : public wxDialog {
  public:
    SecondInstanceDialog(wxWindow* parent, const wxString& why);
    wxButton* read_only_button() const { return read_only_; }
    wxButton* quit_button() const { return quit_; }

  private:
    wxButton* read_only_ = nullptr;
    wxButton* quit_ = nullptr;
};

// Opens `db` for writing without waiting for another instance; on AlreadyOpen asks (above) and
// opens read-only, or returns nullptr when the clinician chose to quit. Other refusals throw.
std::unique_ptr<store::Store> open_app_store(const std::filesystem::path& db,
                                             const Definitions& defs, wxWindow* parent = nullptr);

// The application's start (issue 14): opens `db` as open_app_store does, creating a file's
// private folder first; when that fails (the server is down, the login refused ...) shows
// StartFailureDialog and retries, opens the database chosen in the Preferences instead, or
// returns nullptr when the person quits. Never throws for a database that cannot be opened.
// A clinic server is opened on a worker behind ConnectingDialog; `reads`, when given, receives
// what that worker read for the window (MainFrame), and stays empty for a file.
std::unique_ptr<store::Store> open_store_or_ask(std::filesystem::path db, const Definitions& defs,
                                                wxWindow* parent = nullptr,
                                                std::optional<StartupReads>* reads = nullptr);

}  // namespace myo::gui
