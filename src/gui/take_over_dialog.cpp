#include "gui/take_over_dialog.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace myo::gui {

TakeOverDialog::TakeOverDialog(wxWindow* parent, const wxString& question)
    : wxDialog(parent, wxID_ANY, _("Take over this draft?")) {
    SetName(_("Take over"));
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* text = new wxStaticText(this, wxID_ANY, question);
    text->Wrap(FromDIP(440));
    top->Add(text, wxSizerFlags().Expand().Border(wxALL, 2 * pad));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    take_over_ = new wxButton(this, wxID_YES, _("&Take over"));
    cancel_ = new wxButton(this, wxID_CANCEL, _("Cancel"));
    buttons->Add(take_over_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(cancel_);
    top->Add(buttons, wxSizerFlags().Right().Border(wxLEFT | wxRIGHT | wxBOTTOM, 2 * pad));
    SetSizerAndFit(top);
    take_over_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(wxID_YES); });
    // Nothing is taken unless asked for: Cancel (and Escape, Enter) leave the colleague's work be.
    cancel_->SetDefault();
    cancel_->SetFocus();
    CentreOnParent();
}

}  // namespace myo::gui
