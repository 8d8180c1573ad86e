#pragma once
// Preferences: the letterhead of the reports (clinic name and address, clinician name, kept in
// the store so the CLI prints the same), the default report folder and the database opened at
// start (this computer's file or a clinic server; both kept in the user's configuration file,
// like the window's size and position).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/dialog.h>
#include "gui/model/database_choice.hpp"
#include "gui/wx_util.hpp"

class wxButton;
class wxTextCtrl;
class wxStaticText;
class wxDirPickerCtrl;
class wxRadioButton;

namespace myo::gui {

struct Preferences {
    std::string clinic_name;
    std::string clinic_address;
    std::string clinician_name;
    std::string report_dir;
    DatabaseChoice database;
    std::string local_file;  // this computer's database, shown beside its choice
    // False in a read-only window: the clinic's name, address and clinician live in the
    // database and are shown but cannot be changed (issue 14).
    bool clinic_editable = true;
};

// The report folder from the configuration, else ~/Documents/MyoScreen (or ~/MyoScreen).
std::string load_report_dir();
void save_report_dir(const std::string& dir);

// The database chosen in the Preferences (this computer's file unless a server was saved).
DatabaseChoice load_database_choice();
void save_database_choice(const DatabaseChoice& choice);
// What the application opens at start: --db when given, else the saved clinic server, else
// this computer's file (store::default_database_path).
std::filesystem::path startup_database(const std::optional<std::filesystem::path>& db_option);

class PreferencesDialog : public wxDialog {
  public:
    PreferencesDialog(wxWindow* parent, const Preferences& prefs);
    Preferences preferences() const;
    ~PreferencesDialog() override;
    // The refusals shown beside the fields, one a line (for tests).
    wxString messages() const;
    // The outcome of the last "Test connection" ("" before; "Testing..." while it runs).
    wxString connection_status() const;

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
    wxRadioButton* local_ = nullptr;
    wxRadioButton* server_ = nullptr;
    wxTextCtrl* conninfo_ = nullptr;
    wxStaticText* conninfo_msg_ = nullptr;
    wxButton* test_ = nullptr;
    wxStaticText* status_ = nullptr;

    // Enables the server's field and button when the server is chosen.
    void update_database_controls();
    // Checks the string (a password is refused beside the field, nothing sent), then connects
    // on a worker thread; the outcome comes back to the GUI thread in status_.
    void test_connection();
    void show_status(const wxString& text, bool ok);
    // Shared with the worker's callback: false once the dialog is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace myo::gui
