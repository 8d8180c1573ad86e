#include "gui/clinician_dialog.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "core/text_input.hpp"
#include "gui/model/patient_input.hpp"
#include "gui/model/text_util.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

ClinicianDialog::ClinicianDialog(wxWindow* parent, const wxString& why,
                                 const std::string& clinician, const std::string& clinic)
    : wxDialog(parent, wxID_ANY, _("Who is using MyoScreen?")) {
    const int pad = FromDIP(12);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* intro = new wxStaticText(
        this, wxID_ANY,
        why + "\n\n" +
            _("Your name is recorded with each emergency you acknowledge, each assessment you "
              "finalize or amend, and in the history of changes; it also signs the letters. "
              "Change it at any time in Preferences (Ctrl+,)."));
    intro->Wrap(FromDIP(440));
    top->Add(intro, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, pad));

    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 2)));
    grid->AddGrowableCol(1, 1);
    auto message = [&] { return add_field_message(this, grid); };
    grid->Add(new wxStaticText(this, wxID_ANY, _("Your &name:")), wxSizerFlags().CenterVertical());
    name_ = new wxTextCtrl(this, wxID_ANY, wxs(clinician));
    name_->SetName(_("Clinician name"));
    name_->SetHint(_("e.g. Dr A. Mensah"));
    name_->SetMinSize(FromDIP(wxSize(300, -1)));
    grid->Add(name_, wxSizerFlags().Expand());
    name_msg_ = message();
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Clinic (optional):")),
              wxSizerFlags().CenterVertical());
    clinic_ = new wxTextCtrl(this, wxID_ANY, wxs(clinic));
    clinic_->SetName(_("Clinic name"));
    grid->Add(clinic_, wxSizerFlags().Expand());
    clinic_msg_ = message();
    top->Add(grid, wxSizerFlags().Expand().Border(wxALL, pad));

    auto* buttons = CreateSeparatedButtonSizer(wxOK | wxCANCEL);
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, pad));
    if (auto* ok = dynamic_cast<wxButton*>(FindWindow(wxID_OK))) {
        ok->SetLabel(_("&Sign in"));
    }
    if (auto* later = dynamic_cast<wxButton*>(FindWindow(wxID_CANCEL))) {
        later->SetLabel(_("&Later"));
    }
    SetSizerAndFit(top);
    CentreOnParent();
    name_->SetFocus();
    bind_field_messages(this, {{name_, name_msg_}, {clinic_, clinic_msg_}},
                        [this] { return accept(); });
}

bool ClinicianDialog::accept() {
    return show_field_problems(this, fields(),
                               check_sign_in(u8(name_->GetValue()), u8(clinic_->GetValue())));
}

std::vector<DialogField> ClinicianDialog::fields() const {
    return {{"clinician_name", name_, name_msg_}, {"clinic_name", clinic_, clinic_msg_}};
}

wxString ClinicianDialog::messages() const {
    return field_messages(fields());
}

std::string ClinicianDialog::clinician() const {
    return normalize_text(trim(u8(name_->GetValue())));
}

std::string ClinicianDialog::clinic() const {
    return normalize_text(trim(u8(clinic_->GetValue())));
}

}  // namespace myo::gui
