#include "gui/finalize_dialog.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "gui/wx_util.hpp"

namespace myo::gui {

wxString finalize_missing_text(const FinalizeCheck& check) {
    // The short list first, so both show without scrolling; then each unscreened question.
    wxString text;
    if (!check.not_recorded.empty()) {
        text += _("Not recorded:");
        for (const auto& n : check.not_recorded) {
            text += "\n  - " + tr(n);
        }
    }
    if (!check.unscreened.empty()) {
        text += (text.empty() ? wxString() : wxString("\n\n")) +
                wxString::Format(
                    wxPLURAL("%zu red-flag question not screened (not asked or \"unknown\"):",
                             "%zu red-flag questions not screened (not asked or \"unknown\"):",
                             static_cast<unsigned>(check.unscreened.size())),
                    check.unscreened.size());
        for (const auto& q : check.unscreened) {
            text += "\n  - " + tr(q);
        }
    }
    return text;
}

FinalizeDialog::FinalizeDialog(wxWindow* parent, const FinalizeCheck& check)
    : wxDialog(parent, wxID_ANY, _("Finalize"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
    SetName(_("Finalize"));
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    wxString intro =
        _("Finalize this assessment? It can no longer be edited afterwards; a "
          "correction becomes a new version (Amend).");
    if (!check.complete()) {
        intro += "\n\n" + _("Before you sign off, this assessment is missing:");
    }
    auto* head = new wxStaticText(this, wxID_ANY, intro);
    top->Add(head, wxSizerFlags().Expand().Border(wxALL, pad));
    head->Wrap(FromDIP(520));
    if (!check.complete()) {
        list_ = new wxTextCtrl(this, wxID_ANY, finalize_missing_text(check), wxDefaultPosition,
                               FromDIP(wxSize(520, 240)),
                               wxTE_MULTILINE | wxTE_READONLY | wxTE_WORDWRAP);
        list_->SetName(_("What is missing"));
        top->Add(list_, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, pad));
    }
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    if (!check.unscreened.empty()) {
        screen_ = new wxButton(this, kScreenRedFlags, _("&Screen the red flags"));
        buttons->Add(screen_, wxSizerFlags().Border(wxRIGHT, pad));
    }
    buttons->AddStretchSpacer();
    wxString sign = check.unscreened.empty()
                        ? _("&Finalize")
                        : wxString::Format(wxPLURAL("&Finalize with %zu red flag not screened",
                                                    "&Finalize with %zu red flags not screened",
                                                    static_cast<unsigned>(check.unscreened.size())),
                                           check.unscreened.size());
    finalize_ = new wxButton(this, wxID_OK, sign);
    auto* cancel = new wxButton(this, wxID_CANCEL, _("Cancel"));
    buttons->Add(finalize_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(cancel);
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, pad));
    // Enter and Escape both keep the assessment a draft: signing off is always a chosen click
    // (or its Alt key), never a reflex.
    cancel->SetDefault();
    SetEscapeId(wxID_CANCEL);
    if (screen_) {
        screen_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(kScreenRedFlags); });
    }
    SetSizerAndFit(top);
    cancel->SetFocus();
    CentreOnParent();
}

wxString FinalizeDialog::text() const {
    return list_ ? list_->GetValue() : wxString();
}

}  // namespace myo::gui
