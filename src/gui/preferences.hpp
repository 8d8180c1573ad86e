#pragma once
// Preferences: the letterhead of the reports (clinic name and address, clinician name, kept in
// the store so the CLI prints the same) and the default report folder (kept in the user's
// configuration file, like the window's size and position).

#include <string>
#include <vector>

#include <wx/dialog.h>
#include "gui/wx_util.hpp"

class wxTextCtrl;
class wxStaticText;
class wxDirPickerCtrl;

namespace myo::gui {

struct Preferences {
    std::string clinic_name;
    std::string clinic_address;
    std::string clinician_name;
    std::string report_dir;
};

// The report folder from the configuration, else ~/Documents/MyoScreen (or ~/MyoScreen).
std::string load_report_dir();
void save_report_dir(const std::string& dir);

class PreferencesDialog : public wxDialog {
  public:
    PreferencesDialog(wxWindow* parent, const Preferences& prefs);
    Preferences preferences() const;
    // The refusals shown beside the fields, one a line (for tests).
    wxString messages() const;

  private:
    // The fields as the model's checks name them, with their message lines.
    std::vector<DialogField> fields() const;

    // Checks the letterhead (check_settings) and shows each refusal beside its field.
    bool accept();

    wxTextCtrl* clinic_ = nullptr;
    wxStaticText* clinic_msg_ = nullptr;
    wxStaticText* address_msg_ = nullptr;
    wxStaticText* clinician_msg_ = nullptr;
    wxTextCtrl* address_ = nullptr;
    wxTextCtrl* clinician_ = nullptr;
    wxDirPickerCtrl* folder_ = nullptr;
};

}  // namespace myo::gui
