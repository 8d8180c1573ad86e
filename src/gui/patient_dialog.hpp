#pragma once
// "New patient": name, date of birth, sex and id, each checked (gui/model/patient_input) with
// the message shown under the field; the patient is added to the store on OK.

#include <optional>
#include <vector>

#include <wx/dialog.h>

#include "core/assessment.hpp"
#include "gui/wx_util.hpp"

class wxTextCtrl;
class wxChoice;
class wxStaticText;

namespace myo::store {
class Store;
}

namespace myo::gui {

class PatientDialog : public wxDialog {
  public:
    PatientDialog(wxWindow* parent, store::Store& store);

    // Checks the fields and stores the patient; false (with messages shown) if anything is wrong.
    bool accept();
    const std::optional<Patient>& patient() const { return patient_; }

    wxTextCtrl* id_field() const { return id_; }
    wxTextCtrl* name_field() const { return name_; }
    wxTextCtrl* birth_field() const { return birth_; }
    wxChoice* sex_field() const { return sex_; }
    wxString messages() const;

  private:
    // The fields as the model's checks name them, with their message lines.
    std::vector<DialogField> fields() const;

    store::Store& store_;
    wxTextCtrl* id_ = nullptr;
    wxTextCtrl* name_ = nullptr;
    wxTextCtrl* birth_ = nullptr;
    wxChoice* sex_ = nullptr;
    wxStaticText* id_msg_ = nullptr;
    wxStaticText* name_msg_ = nullptr;
    wxStaticText* birth_msg_ = nullptr;
    wxStaticText* sex_msg_ = nullptr;
    std::optional<Patient> patient_;
};

}  // namespace myo::gui
