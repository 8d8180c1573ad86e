#pragma once
// "New patient": name, date of birth, sex and id, each checked (gui/model/patient_input) with
// the message shown under the field; the patient is added to the store on OK. On a clinic
// server (issue 14) the check for the id and the addition run on the window's write worker:
// the dialog says "Adding ... to the clinic server..." meanwhile, closes when the server has
// it, and says what was not done when the server does not answer in time.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/dialog.h>

#include "core/assessment.hpp"
#include "gui/model/patient_input.hpp"
#include "gui/wx_util.hpp"

class wxTextCtrl;
class wxChoice;
class wxStaticText;
class wxButton;

namespace myo::store {
class Store;
}

namespace myo::gui {

class StoreReads;
class StoreWorker;
class WrappedLabel;

class PatientDialog : public wxDialog {
  public:
    // `writes`: the window's write worker (a clinic server), null for a file.
    PatientDialog(wxWindow* parent, store::Store& store, StoreWorker* writes = nullptr);
    ~PatientDialog() override;

    // Checks the fields and stores the patient; false (with messages shown) if anything is
    // wrong, or while the server has not answered (waiting() is true; a shown modal dialog
    // then ends with wxID_OK when it answers, and patient() is set).
    bool accept();
    bool waiting() const { return waiting_; }
    // The line under the buttons: the wait, or what was not done.
    wxString state_text() const;
    const std::optional<Patient>& patient() const { return patient_; }

    wxTextCtrl* id_field() const { return id_; }
    wxTextCtrl* name_field() const { return name_; }
    wxTextCtrl* birth_field() const { return birth_; }
    wxChoice* sex_field() const { return sex_; }
    wxString messages() const;

  private:
    // The fields as the model's checks name them, with their message lines.
    std::vector<DialogField> fields() const;

    // The answer to accept()'s store call.
    void added(const PatientInput& in, const Patient& p, const std::string& failed, bool existed);

    std::unique_ptr<StoreReads> writes_;
    bool waiting_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    WrappedLabel* state_ = nullptr;
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
