#include "gui/connecting_dialog.hpp"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <thread>

#include "store/store.hpp"

namespace myo::gui {

StartupReads read_startup(store::Store& store) {
    StartupReads r;
    r.session = store.server_session();
    try {
        r.settings = store.load_settings();
    } catch (const std::exception&) {
        // Optional: the letterhead stays empty until Preferences sets it or it can be read.
    }
    return r;
}

ConnectingDialog::ConnectingDialog(wxWindow* parent, const wxString& where)
    : wxDialog(parent, wxID_ANY, _("MyoScreen: connecting")), where_(where) {
    SetName("Connecting");
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    label_ = new wxStaticText(this, wxID_ANY, wxString());
    top->Add(label_, wxSizerFlags().Expand().Border(wxALL, 2 * pad));
    quit_ = new wxButton(this, wxID_CANCEL, _("&Quit"));
    top->Add(quit_, wxSizerFlags().Right().Border(wxLEFT | wxRIGHT | wxBOTTOM, 2 * pad));
    SetEscapeId(wxID_CANCEL);
    started_ = std::chrono::steady_clock::now();
    tick();
    label_->Wrap(FromDIP(460));
    SetSizerAndFit(top);
    SetMinSize(wxSize(FromDIP(480), -1));
    Fit();
    CentreOnScreen();
}

ConnectingDialog::~ConnectingDialog() {
    std::lock_guard lock(shared_->mutex);
    shared_->listening = false;  // a worker finishing later drops its answer, touches nothing
}

void ConnectingDialog::tick() {
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now() - started_)
                            .count();
    label_->SetLabel(wxString::Format(
        _("Connecting to %s.\n\nWaiting for the clinic server for %lld s. MyoScreen opens as "
          "soon as it answers; if it does not, you are told why and can try again."),
        where_, static_cast<long long>(waited)));
    label_->Wrap(FromDIP(460));
}

wxString ConnectingDialog::text() const {
    wxString s = label_->GetLabel();
    s.Replace("\n", " ");
    return s;
}

std::optional<OpenedStore> ConnectingDialog::run(std::function<OpenedStore()> open,
                                                 std::chrono::milliseconds quiet) {
    std::thread([open = std::move(open), shared = shared_] {
        std::optional<OpenedStore> result;
        std::exception_ptr error;
        try {
            result = open();
        } catch (...) {
            error = std::current_exception();
        }
        std::lock_guard lock(shared->mutex);
        if (!shared->listening) {
            return;  // the person quit: the store closes here, on its own thread
        }
        shared->result = std::move(result);
        shared->error = error;
        shared->done = true;
        // Under the lock: the dialog (and so the application) is still there. Wakes the modal
        // loop, which checks on each idle event.
        wxWakeUpIdle();
    }).detach();

    auto finished = [this] {
        std::lock_guard lock(shared_->mutex);
        return shared_->done;
    };
    // A server that answers within `quiet` shows no dialog at all.
    const auto quiet_until = std::chrono::steady_clock::now() + quiet;
    while (!finished() && std::chrono::steady_clock::now() < quiet_until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!finished()) {
        // The modal loop ends when the worker is done (checked each idle and each tick) or
        // when the person quits.
        auto check = [this, finished] {
            if (finished() && IsModal()) {
                EndModal(wxID_OK);
            }
        };
        Bind(wxEVT_IDLE, [check](wxIdleEvent& e) {
            check();
            e.Skip();
        });
        timer_.Bind(wxEVT_TIMER, [this, check](wxTimerEvent&) {
            tick();  // the seconds waited
            check();
        });
        timer_.Start(250);
        const int answer = ShowModal();
        timer_.Stop();
        if (answer != wxID_OK) {
            return std::nullopt;  // Quit (an answer arriving meanwhile is dropped)
        }
    }
    std::lock_guard lock(shared_->mutex);
    shared_->listening = false;
    if (shared_->error) {
        std::rethrow_exception(shared_->error);
    }
    return std::move(shared_->result);
}

}  // namespace myo::gui
