#pragma once
// Opening a clinic server at start-up (issue 14): the connection, the login's session and the
// clinic's settings are read on a worker thread, never on the GUI thread; a server that answers
// at once shows nothing, a slow or silent one shows "Connecting to ..." with the seconds waited
// and a Quit button, until it answers or libpq's connect_timeout gives the start-failure dialog.

#include <wx/dialog.h>
#include <wx/timer.h>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "store/store_types.hpp"

class wxButton;
class wxStaticText;

namespace myo::store {
class Store;
}

namespace myo::gui {

// What the start reads from the server before the window exists (MainFrame uses them instead
// of asking again on the GUI thread).
struct StartupReads {
    std::optional<store::ServerSession> session;
    std::optional<store::Settings> settings;  // nullopt: not readable (the letterhead waits)
};

// The session and the settings a window starts with; a settings read that fails leaves them
// nullopt (the letterhead waits), a session read that fails throws.
StartupReads read_startup(store::Store& store);

struct OpenedStore {
    std::unique_ptr<store::Store> store;
    StartupReads reads;
};

class ConnectingDialog : public wxDialog {
  public:
    // Shows nothing by itself: run() starts `open` on a worker and shows the dialog only when
    // the answer takes longer than `quiet` (no flash for a server on the next desk).
    ConnectingDialog(wxWindow* parent, const wxString& where);
    ~ConnectingDialog() override;

    // The opened store, or nullopt when the person chose Quit. Rethrows what `open` threw (the
    // caller explains it with the start-failure dialog).
    std::optional<OpenedStore> run(
        std::function<OpenedStore()> open,
        std::chrono::milliseconds quiet = std::chrono::milliseconds(300));

    wxButton* quit_button() const { return quit_; }
    wxString text() const;

  private:
    // Shared with the worker, which may finish after the dialog is gone (Quit): under the mutex
    // it learns whether anybody still listens before it touches wxWidgets.
    struct Shared {
        std::mutex mutex;
        bool listening = true;
        bool done = false;
        std::optional<OpenedStore> result;
        std::exception_ptr error;
    };
    void tick();

    std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
    wxString where_;
    wxStaticText* label_ = nullptr;
    wxButton* quit_ = nullptr;
    wxTimer timer_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace myo::gui
