#include "gui/delete_patient_dialog.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include "gui/store_reads.hpp"
#include "gui/wrapped_label.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

DeletePatientDialog::DeletePatientDialog(wxWindow* parent, store::Store& store,
                                         const Patient& patient, StoreWorker* reads,
                                         StoreWorker* writes)
    : wxDialog(parent, wxID_ANY, _("Delete patient")),
      reads_(std::make_unique<StoreReads>(store, reads)),
      writes_(std::make_unique<StoreReads>(store, writes)),
      // Where this computer keeps the backups of this database (a path, no network call).
      backup_folder_(store.backup_folder().string()),
      patient_(patient) {
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    what_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    auto* what = what_;
    show_warning(_("(counting...)"));
    what->SetMinSize(FromDIP(wxSize(520, -1)));
    top->Add(what, wxSizerFlags().Expand().Border(wxALL, pad));
    top->Add(new wxStaticText(this, wxID_ANY,
                              wxString::Format(_("&Type the patient's name to confirm (%s):"),
                                               wxs(patient_.name))),
             wxSizerFlags().Border(wxLEFT | wxRIGHT, pad));
    name_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                           wxTE_PROCESS_ENTER);
    name_->SetName(_("Patient's name, to confirm"));
    top->Add(name_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    message_ = new WrappedLabel(this);
    message_->SetMinSize(FromDIP(wxSize(520, -1)));
    message_->SetForegroundColour(error_colour());
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
    // The count is only for the warning; the deletion itself reports any problem.
    std::weak_ptr<bool> alive = alive_;
    reads_->call<std::size_t>(
        [id = patient_.id](store::Store& s) { return s.history(id).size(); },
        [this, alive](StoreReply<std::size_t> r) {
            if (!alive.expired()) {
                show_warning(r.ok() ? wxString::Format("%zu", *r.value) : wxString(_("(unknown)")));
            }
        });
}

DeletePatientDialog::~DeletePatientDialog() = default;

void DeletePatientDialog::show_warning(const wxString& visits) {
    what_->SetLabel(wxString::Format(
        _("Delete %s (id %s, born %s) with all %s stored assessment versions, drafts and "
          "final ones? This cannot be undone in MyoScreen.\n\nA verified backup of the whole "
          "database is taken first, into %s, so the records can still be restored from it. "
          "The deletion is recorded in the audit trail."),
        wxs(patient_.name), wxs(patient_.id), wxs(patient_.birth_date), visits,
        wxs(backup_folder_)));
    what_->Wrap(FromDIP(520));
    if (GetSizer()) {
        GetSizer()->Fit(this);
    }
}

wxString DeletePatientDialog::warning_text() const {
    return what_->GetLabel();
}

bool DeletePatientDialog::accept() {
    if (waiting_) {
        return false;  // one deletion at a time
    }
    std::string typed = u8(name_->GetValue());
    message_->SetLabel(wxEmptyString);
    std::unique_ptr<wxBusyCursor> busy;
    if (writes_->deferred()) {
        waiting_ = true;
        delete_->Disable();
        message_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
        message_->SetLabel(
            wxString::Format(_("Deleting %s on the clinic server (a verified backup first)..."),
                             wxs(patient_.name)));
        Layout();
        Fit();
    } else {
        busy = std::make_unique<wxBusyCursor>();  // a file: the backup is taken here and now
    }
    std::weak_ptr<bool> alive = alive_;
    writes_->call<store::DeletionReport>(
        // The store compares the name (exactly) before it does anything, then backs up.
        [id = patient_.id, typed](store::Store& s) { return s.delete_patient(id, typed); },
        [this, alive](StoreReply<store::DeletionReport> r) {
            if (!alive.expired()) {
                deleted(std::move(r));
            }
        },
        std::string(), kDeleteTimeout);
    return report_.has_value() && !waiting_;
}

void DeletePatientDialog::deleted(StoreReply<store::DeletionReport> r) {
    const bool was_waiting = waiting_;
    waiting_ = false;
    delete_->Enable();
    message_->SetForegroundColour(error_colour());
    if (r.ok()) {
        report_ = std::move(*r.value);
        message_->SetLabel(wxEmptyString);
        if (was_waiting && IsModal()) {
            EndModal(wxID_OK);
        }
        return;
    }
    bool mismatch = false;
    if (r.error) {
        try {
            std::rethrow_exception(r.error);
        } catch (const store::NotEditable&) {
            mismatch = true;
        } catch (...) {
        }
    }
    if (mismatch) {
        message_->SetLabel(wxString::Format(
            _("The name typed does not match. Type %s exactly to delete this patient; nothing "
              "was deleted."),
            wxs(patient_.name)));
    } else if (r.timed_out || r.unreachable) {
        message_->SetLabel(wxString::Format(_("%s was not deleted: %s"), wxs(patient_.name),
                                            wxs(write_failure(r))));
    } else {
        message_->SetLabel(wxString::Format(_("The patient was not deleted: %s"), wxs(r.message)));
    }
    Layout();
    Fit();
}

wxString DeletePatientDialog::message() const {
    return message_->text();
}

}  // namespace myo::gui
