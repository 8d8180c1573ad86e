#include "gui/quit_offline_dialog.hpp"

#include <wx/artprov.h>
#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/statbmp.h>
#include <wx/stattext.h>

namespace myo::gui {

wxString QuitOfflineDialog::text(std::size_t waiting) {
    return wxString::Format(
        wxPLURAL("%zu change waits for the server. It is kept on this computer and sent when "
                 "MyoScreen next starts and reaches the server; nothing is lost by quitting.",
                 "%zu changes wait for the server. They are kept on this computer and sent when "
                 "MyoScreen next starts and reaches the server; nothing is lost by quitting.",
                 static_cast<unsigned>(waiting)),
        waiting);
}

QuitOfflineDialog::QuitOfflineDialog(wxWindow* parent, std::size_t waiting)
    : wxDialog(parent, wxID_ANY, _("Quit while offline?")) {
    SetName(_("Quit while offline"));
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(new wxStaticBitmap(this, wxID_ANY,
                                wxArtProvider::GetBitmap(wxART_INFORMATION, wxART_MESSAGE_BOX)),
             wxSizerFlags().Top().Border(wxRIGHT, 2 * pad));
    auto* message = new wxStaticText(this, wxID_ANY, text(waiting));
    message->Wrap(FromDIP(420));
    row->Add(message, wxSizerFlags(1));
    top->Add(row, wxSizerFlags().Expand().Border(wxALL, 2 * pad));
    auto* more = new wxStaticText(
        this, wxID_ANY,
        _("Keep working to send them from this window as soon as the server answers."));
    more->Wrap(FromDIP(420) + FromDIP(48));
    top->Add(more, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, 2 * pad));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    keep_ = new wxButton(this, wxID_CANCEL, _("&Keep working"));
    quit_ = new wxButton(this, wxID_EXIT, _("&Quit anyway"));
    buttons->Add(keep_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(quit_);
    top->Add(buttons, wxSizerFlags().Right().Border(wxLEFT | wxRIGHT | wxBOTTOM, 2 * pad));
    SetSizerAndFit(top);
    quit_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(wxID_EXIT); });
    // Staying is what Enter and Escape do: quitting is asked for by name.
    SetEscapeId(wxID_CANCEL);
    keep_->SetDefault();
    keep_->SetFocus();
    CentreOnParent();
}

}  // namespace myo::gui
