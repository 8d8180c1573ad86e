#include "gui/delete_patient_dialog.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include "gui/wx_util.hpp"

namespace myo::gui {

DeletePatientDialog::DeletePatientDialog(wxWindow* parent, store::Store& store,
                                         const Patient& patient)
    : wxDialog(parent, wxID_ANY, _("Delete patient")), store_(store), patient_(patient) {
    const int pad = FromDIP(8);
    std::size_t visits = 0;
    try {
        visits = store_.history(patient_.id).size();
    } catch (const std::exception&) {
        // The count is only for the warning; the deletion itself reports any problem.
    }
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* what = new wxStaticText(
        this, wxID_ANY,
        wxString::Format(
            _("Delete %s (id %s, born %s) with all %zu stored assessment versions, drafts and "
              "final ones? This cannot be undone in MyoScreen.\n\nA verified backup of the whole "
              "database is taken first, into %s, so the records can still be restored from it. "
              "The deletion is recorded in the audit trail."),
            wxs(patient_.name), wxs(patient_.id), wxs(patient_.birth_date), visits,
            wxs(store_.backup_folder().string())));
    what->SetMinSize(FromDIP(wxSize(520, -1)));
    top->Add(what, wxSizerFlags().Expand().Border(wxALL, pad));
    what->Wrap(FromDIP(520));
    top->Add(new wxStaticText(this, wxID_ANY,
                              wxString::Format(_("&Type the patient's name to confirm (%s):"),
                                               wxs(patient_.name))),
             wxSizerFlags().Border(wxLEFT | wxRIGHT, pad));
    name_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                           wxTE_PROCESS_ENTER);
    name_->SetName(_("Patient's name, to confirm"));
    top->Add(name_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    message_->SetForegroundColour(wxColour(0xB0, 0x00, 0x20));
    top->Add(message_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    auto* buttons = new wxStdDialogButtonSizer;
    delete_ = new wxButton(this, wxID_OK, _("&Delete patient"));
    buttons->AddButton(delete_);
    buttons->AddButton(new wxButton(this, wxID_CANCEL, _("Cancel")));
    buttons->Realize();
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, pad));
    SetSizerAndFit(top);
    // Cancel is the default: Enter alone never deletes a patient.
    SetEscapeId(wxID_CANCEL);
    FindWindow(wxID_CANCEL)->SetFocus();
    name_->SetFocus();

    delete_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (accept()) {
            EndModal(wxID_OK);
        }
    });
}

bool DeletePatientDialog::accept() {
    std::string typed = u8(name_->GetValue());
    try {
        wxBusyCursor busy;
        // The store compares the name (exactly) before it does anything, then backs up.
        report_ = store_.delete_patient(patient_.id, typed);
        return true;
    } catch (const store::NotEditable&) {
        message_->SetLabel(wxString::Format(
            _("The name typed does not match. Type %s exactly to delete this patient; nothing "
              "was deleted."),
            wxs(patient_.name)));
        Layout();
        Fit();
        return false;
    } catch (const std::exception& e) {
        message_->SetLabel(wxString::Format(_("The patient was not deleted: %s"), wxs(e.what())));
        Layout();
        Fit();
        return false;
    }
}

wxString DeletePatientDialog::message() const {
    return message_->GetLabel();
}

}  // namespace myo::gui
