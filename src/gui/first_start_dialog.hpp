#pragma once
// The first start (issue 14): where the patient records are kept. "This computer only" (the
// file in the user's data folder, as before; the name is asked next) or "A clinic server":
// host, port, database, login and encryption, or a connection string, with Test connection on
// a worker thread. The choice is saved in the preferences, so the next start opens it; no
// password is asked or kept (~/.pgpass or PGPASSFILE). Against a server the login is who the
// records name: no name to type.

#include <memory>
#include <string>
#include <vector>

#include <wx/dialog.h>

#include "gui/model/database_choice.hpp"
#include "gui/model/server_fields.hpp"
#include "gui/wx_util.hpp"

class wxButton;
class wxChoice;
class wxRadioButton;
class wxStaticText;
class wxTextCtrl;

namespace myo::gui {

// True when MyoScreen starts for the first time on this account: no database was ever chosen
// in the preferences and this computer's file does not exist yet.
bool is_first_start();

class FirstStartDialog : public wxDialog {
  public:
    FirstStartDialog(wxWindow* parent, const std::string& local_file);
    ~FirstStartDialog() override;
    // Valid once the dialog returned wxID_OK.
    DatabaseChoice choice() const;
    // The refusals shown beside the fields, one a line; the last Test connection's outcome.
    wxString messages() const;
    wxString connection_status() const;

    wxRadioButton* local_button() const { return local_; }
    wxRadioButton* server_button() const { return server_; }
    wxTextCtrl* host_field() const { return host_; }
    wxTextCtrl* port_field() const { return port_; }
    wxTextCtrl* database_field() const { return database_; }
    wxTextCtrl* login_field() const { return login_; }
    wxChoice* tls_choice() const { return tls_; }
    wxTextCtrl* conninfo_field() const { return conninfo_; }
    wxButton* test_button() const { return test_; }

  private:
    ServerFields server_fields() const;
    std::vector<DialogField> fields() const;
    bool accept();
    void update_controls();
    void test_connection();
    void show_status(const wxString& text, bool ok);

    wxRadioButton* local_ = nullptr;
    wxRadioButton* server_ = nullptr;
    wxTextCtrl* host_ = nullptr;
    wxTextCtrl* port_ = nullptr;
    wxTextCtrl* database_ = nullptr;
    wxTextCtrl* login_ = nullptr;
    wxChoice* tls_ = nullptr;
    wxTextCtrl* conninfo_ = nullptr;
    wxStaticText* host_msg_ = nullptr;
    wxStaticText* port_msg_ = nullptr;
    wxStaticText* database_msg_ = nullptr;
    wxStaticText* login_msg_ = nullptr;
    wxStaticText* conninfo_msg_ = nullptr;
    wxButton* test_ = nullptr;
    wxStaticText* status_ = nullptr;
    std::vector<wxWindow*> server_controls_;
    // Shared with the worker's callback: false once the dialog is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace myo::gui
