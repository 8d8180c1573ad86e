#include "gui/start_failure_dialog.hpp"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/intl.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <thread>

#include <optional>

#include "gui/wx_util.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_upgrade.hpp"

namespace myo::gui {

StartFailureDialog::StartFailureDialog(wxWindow* parent, const StartFailure& failure,
                                       std::string conninfo)
    : wxDialog(parent, wxID_ANY, _("MyoScreen cannot open its database")),
      conninfo_(std::move(conninfo)) {
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    headline_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    headline_->SetFont(headline_->GetFont().Bold().Larger());
    top->Add(headline_, wxSizerFlags().Expand().Border(wxALL, pad));
    body_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    top->Add(body_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    retry_ = new wxButton(this, kRetry, _("&Retry"));
    choose_ = new wxButton(this, kChooseDatabase, _("&Choose another database..."));
    quit_ = new wxButton(this, wxID_CANCEL, _("&Quit"));
    buttons->Add(retry_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(choose_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(quit_);
    top->Add(buttons, wxSizerFlags().Right().Border(wxALL, pad));
    SetSizer(top);
    SetEscapeId(wxID_CANCEL);
    retry_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { retry(); });
    choose_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(kChooseDatabase); });
    show(failure);
    (failure.retry_may_help ? retry_ : choose_)->SetDefault();
    (failure.retry_may_help ? retry_ : choose_)->SetFocus();
    CentreOnScreen();
}

StartFailureDialog::~StartFailureDialog() {
    *alive_ = false;
}

void StartFailureDialog::show(const StartFailure& failure) {
    headline_->SetLabel(tr(failure.headline));
    body_->SetLabel(wxString::Format(_("%s\n\n%s\n\nNothing was written on this computer."),
                                     tr(failure.advice), wxs(failure.detail)));
    body_->Wrap(FromDIP(560));
    GetSizer()->SetSizeHints(this);
    Layout();
}

void StartFailureDialog::retry() {
    if (conninfo_.empty()) {
        EndModal(kRetry);  // a file: the caller simply opens it again
        return;
    }
    // A server that still does not answer would hold Retry for the connection's timeout:
    // the connection is tried on a worker, and the dialog ends only once it succeeds.
    retry_->Disable();
    headline_->SetLabel(_("Trying to reach the clinic server..."));
    std::thread([conninfo = conninfo_, alive = alive_, self = this] {
        // What the store's opening checks first: the connection and this build's schema.
        std::optional<StartFailure> failure;
        try {
            auto c = store::pg::Connection::open(conninfo);
            store::pg::require_current_schema(c);
        } catch (const std::exception& e) {
            failure = describe_start_failure(e, true);
        }
        wxTheApp->CallAfter([failure, alive, self] {
            if (!*alive) {
                return;
            }
            self->retry_->Enable();
            if (!failure) {
                self->EndModal(kRetry);
                return;
            }
            self->show(*failure);  // still failing: the newest cause
        });
    }).detach();
}

wxString StartFailureDialog::text() const {
    wxString s = headline_->GetLabel() + "\n" + body_->GetLabel();
    s.Replace("\n", " ");
    return s;
}

}  // namespace myo::gui
