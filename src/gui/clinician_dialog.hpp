#pragma once
// "Who is using MyoScreen?": the clinician's name (and clinic) asked on the first start, and
// again when an emergency is acknowledged or an assessment finalized while nobody is signed
// in, because those records name a person. "Later" leaves it unset (the status bar then says
// so); Preferences changes it at any time.

#include <string>
#include <vector>

#include <wx/dialog.h>
#include "gui/wx_util.hpp"

class wxTextCtrl;
class wxStaticText;

namespace myo::gui {

class ClinicianDialog : public wxDialog {
  public:
    // `why` is the first line ("Welcome to MyoScreen." or why the name is needed now).
    ClinicianDialog(wxWindow* parent, const wxString& why, const std::string& clinician,
                    const std::string& clinic);
    // Trimmed and normalised, as the store keeps them (valid once the dialog returns wxID_OK).
    std::string clinician() const;
    std::string clinic() const;

    wxTextCtrl* name_field() const { return name_; }
    wxTextCtrl* clinic_field() const { return clinic_; }
    // The refusals shown beside the fields, one a line (for tests).
    wxString messages() const;

  private:
    // The fields as the model's checks name them, with their message lines.
    std::vector<DialogField> fields() const;

    bool accept();

    wxTextCtrl* name_ = nullptr;
    wxStaticText* name_msg_ = nullptr;
    wxTextCtrl* clinic_ = nullptr;
    wxStaticText* clinic_msg_ = nullptr;
};

}  // namespace myo::gui
