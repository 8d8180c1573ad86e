#pragma once
// File > Delete patient (issue 7): names the patient and what goes with them, says that a
// verified backup is taken first, and asks the clinician to type the patient's name. The store
// checks the name (delete_patient's confirmation) and takes the backup; a wrong name deletes
// nothing and the dialog says so.

#include <optional>

#include <wx/dialog.h>

#include "core/assessment.hpp"
#include "store/store.hpp"

class wxTextCtrl;
class wxStaticText;
class wxButton;

namespace myo::gui {

class DeletePatientDialog : public wxDialog {
  public:
    DeletePatientDialog(wxWindow* parent, store::Store& store, const Patient& patient);

    // Deletes through the store if the typed name matches; false (message shown) otherwise.
    bool accept();
    const std::optional<store::DeletionReport>& report() const { return report_; }

    wxTextCtrl* name_field() const { return name_; }
    wxButton* delete_button() const { return delete_; }
    wxString message() const;

  private:
    store::Store& store_;
    Patient patient_;
    wxTextCtrl* name_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxButton* delete_ = nullptr;
    std::optional<store::DeletionReport> report_;
};

}  // namespace myo::gui
