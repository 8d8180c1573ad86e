#include "gui/conflict_dialog.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "gui/wx_util.hpp"

namespace myo::gui {

ConflictDialog::ConflictDialog(wxWindow* parent, const wxString& what_happened,
                               const std::vector<FieldDifference>& differences)
    : wxDialog(parent, wxID_ANY, _("This draft was changed elsewhere"), wxDefaultPosition,
               wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
    SetName(_("Conflict"));
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* intro = intro_ = new wxStaticText(
        this, wxID_ANY,
        wxString::Format(_("%s\n\nWhat differs between your copy and the saved one:"),
                         what_happened));
    intro->Wrap(FromDIP(640));
    top->Add(intro, wxSizerFlags().Expand().Border(wxALL, pad));
    table_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(680, 240)),
                            wxLC_REPORT | wxLC_SINGLE_SEL);
    table_->SetName(_("Differences"));
    table_->AppendColumn(_("Field"), wxLIST_FORMAT_LEFT, FromDIP(260));
    table_->AppendColumn(_("Yours (this window)"), wxLIST_FORMAT_LEFT, FromDIP(200));
    table_->AppendColumn(_("Saved elsewhere"), wxLIST_FORMAT_LEFT, FromDIP(200));
    long row = 0;
    for (const auto& d : differences) {
        table_->InsertItem(row, wxs(d.label));
        table_->SetItem(row, 1, wxs(d.mine));
        table_->SetItem(row, 2, wxs(d.theirs));
        ++row;
    }
    if (differences.empty()) {
        table_->InsertItem(0, _("(no answer differs: only the version changed)"));
    }
    top->Add(table_, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, pad));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    keep_mine_ = new wxButton(this, kKeepMine, _("&Keep mine (save as the new version)"));
    take_theirs_ = new wxButton(this, kTakeTheirs, _("&Take the saved one"));
    buttons->Add(keep_mine_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(take_theirs_);
    top->Add(buttons, wxSizerFlags().Right().Border(wxALL, pad));
    SetSizerAndFit(top);
    keep_mine_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(kKeepMine); });
    take_theirs_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(kTakeTheirs); });
    keep_mine_->SetFocus();
    CentreOnParent();
}

wxString ConflictDialog::intro_text() const {
    wxString text = intro_->GetLabel();
    text.Replace("\n", " ");
    return text;
}

}  // namespace myo::gui
