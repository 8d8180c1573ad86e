#include "gui/preferences.hpp"

#include <wx/config.h>
#include <wx/filename.h>
#include <wx/filepicker.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>
#include <wx/textctrl.h>

#include <utility>

#include "gui/model/patient_input.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

std::string load_report_dir() {
    wxString dir;
    if (wxConfigBase* c = wxConfigBase::Get();
        c && c->Read("/Reports/Folder", &dir) && !dir.empty()) {
        return u8(dir);
    }
    wxFileName f(wxStandardPaths::Get().GetDocumentsDir(), wxEmptyString);
    f.AppendDir("MyoScreen");
    return u8(f.GetPath());
}

void save_report_dir(const std::string& dir) {
    if (wxConfigBase* c = wxConfigBase::Get()) {
        c->Write("/Reports/Folder", wxs(dir));
        c->Flush();
    }
}

PreferencesDialog::PreferencesDialog(wxWindow* parent, const Preferences& prefs)
    : wxDialog(parent, wxID_ANY, _("Preferences"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 2)));
    grid->AddGrowableCol(1, 1);
    grid->AddGrowableRow(2, 1);  // the address (rows: name, its message, address, ...)
    auto label = [&](const wxString& s) {
        grid->Add(new wxStaticText(this, wxID_ANY, s), wxSizerFlags().Top().Border(wxTOP, 4));
    };
    // A refusal is shown beside its field, as in the patient dialog.
    auto message = [&] { return add_field_message(this, grid); };
    label(_("Clinic &name:"));
    clinic_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.clinic_name));
    clinic_->SetName(_("Clinic name"));
    clinic_->SetMinSize(FromDIP(wxSize(360, -1)));
    grid->Add(clinic_, wxSizerFlags().Expand());
    clinic_msg_ = message();
    label(_("Clinic &address:"));
    address_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.clinic_address), wxDefaultPosition,
                              FromDIP(wxSize(-1, 70)), wxTE_MULTILINE);
    address_->SetName(_("Clinic address"));
    grid->Add(address_, wxSizerFlags().Expand());
    address_msg_ = message();
    label(_("&Clinician name:"));
    clinician_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.clinician_name));
    clinician_->SetName(_("Clinician name"));
    grid->Add(clinician_, wxSizerFlags().Expand());
    clinician_msg_ = message();
    label(_("Default &report folder:"));
    folder_ =
        new wxDirPickerCtrl(this, wxID_ANY, wxs(prefs.report_dir), _("Folder for the PDF reports"),
                            wxDefaultPosition, wxDefaultSize, wxDIRP_USE_TEXTCTRL | wxDIRP_SMALL);
    folder_->SetName(_("Default report folder"));
    grid->Add(folder_, wxSizerFlags().Expand());

    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(new wxStaticText(this, wxID_ANY,
                              _("The clinic and clinician appear on every report's letterhead.")),
             wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(12)));
    top->Add(grid, wxSizerFlags(1).Expand().Border(wxALL, FromDIP(12)));
    top->Add(CreateSeparatedButtonSizer(wxOK | wxCANCEL),
             wxSizerFlags().Expand().Border(wxALL, FromDIP(12)));
    SetSizerAndFit(top);
    bind_field_messages(
        this, {{clinic_, clinic_msg_}, {address_, address_msg_}, {clinician_, clinician_msg_}},
        [this] { return accept(); });
}

bool PreferencesDialog::accept() {
    return show_field_problems(this, fields(),
                               check_settings(u8(clinic_->GetValue()), u8(address_->GetValue()),
                                              u8(clinician_->GetValue())));
}

std::vector<DialogField> PreferencesDialog::fields() const {
    return {{"clinic_name", clinic_, clinic_msg_},
            {"clinic_address", address_, address_msg_},
            {"clinician_name", clinician_, clinician_msg_}};
}

wxString PreferencesDialog::messages() const {
    return field_messages(fields());
}

Preferences PreferencesDialog::preferences() const {
    Preferences p;
    p.clinic_name = u8(clinic_->GetValue());
    p.clinic_address = u8(address_->GetValue());
    p.clinician_name = u8(clinician_->GetValue());
    p.report_dir = u8(folder_->GetPath());
    return p;
}

}  // namespace myo::gui
