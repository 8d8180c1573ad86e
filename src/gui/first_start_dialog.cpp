#include "gui/first_start_dialog.hpp"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/config.h>
#include <wx/intl.h>
#include <wx/radiobut.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <filesystem>

#include "gui/connection_test.hpp"
#include "gui/preferences.hpp"
#include "gui/wx_util.hpp"
#include "store/paths.hpp"

namespace myo::gui {

bool is_first_start() {
    wxConfigBase* c = wxConfigBase::Get();
    if (c != nullptr && c->HasEntry("/Database/Server")) {
        return false;  // chosen before (in this dialog or the Preferences)
    }
    std::error_code ec;
    return !std::filesystem::exists(store::default_database_path(), ec);
}

FirstStartDialog::FirstStartDialog(wxWindow* parent, const std::string& local_file)
    : wxDialog(parent, wxID_ANY, _("Welcome to MyoScreen")) {
    SetName(_("First start"));
    const int pad = FromDIP(10);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* intro = new wxStaticText(this, wxID_ANY,
                                   _("Where are the patient records kept? You can change this "
                                     "later in Preferences (Ctrl+,)."));
    intro->Wrap(FromDIP(520));
    top->Add(intro, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, pad));

    local_ = new wxRadioButton(this, wxID_ANY, _("&This computer only"), wxDefaultPosition,
                               wxDefaultSize, wxRB_GROUP);
    local_->SetName(_("This computer only"));
    top->Add(local_, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    // What belongs to a choice sits under it, indented past the radio button's circle.
    auto indented = [&](auto* item, bool gap_above) {
        auto* row = new wxBoxSizer(wxHORIZONTAL);
        row->AddSpacer(2 * pad);
        row->Add(item, wxSizerFlags(1).Expand());
        top->Add(row,
                 wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | (gap_above ? wxTOP : 0), pad));
    };
    auto grey = [this](const wxString& text) {
        auto* t = new wxStaticText(this, wxID_ANY, text);
        t->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
        t->Wrap(FromDIP(500));
        return t;
    };
    indented(grey(wxString::Format(_("A database file on this computer (%s); you type your "
                                     "name next, for the records and letters."),
                                   wxs(local_file))),
             false);

    server_ = new wxRadioButton(this, wxID_ANY, _("A &clinic server (PostgreSQL)"));
    server_->SetName(_("A clinic server"));
    top->Add(server_, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    indented(grey(_("Several workstations share one database. You sign in with your own login "
                    "on the server: the records you change carry it, no name to type.")),
             false);

    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 2)));
    grid->AddGrowableCol(1, 1);
    auto row = [&](const wxString& label, wxWindow* control) {
        auto* l = new wxStaticText(this, wxID_ANY, label);
        grid->Add(l, wxSizerFlags().CenterVertical());
        grid->Add(control, wxSizerFlags().Expand());
        server_controls_.push_back(l);
        server_controls_.push_back(control);
        return add_field_message(this, grid);
    };
    auto text = [&](const wxString& name, const wxString& hint, const wxString& value = {}) {
        auto* t = new wxTextCtrl(this, wxID_ANY, value);
        t->SetName(name);
        t->SetHint(hint);
        return t;
    };
    host_ = text(_("Server"), _("e.g. db.clinic.example"));
    host_->SetMinSize(FromDIP(wxSize(320, -1)));
    host_msg_ = row(_("&Server:"), host_);
    port_ = text(_("Port"), _("5432"));
    port_msg_ = row(_("&Port:"), port_);
    database_ = text(_("Database"), _("e.g. myoscreen"), "myoscreen");
    database_msg_ = row(_("&Database:"), database_);
    login_ = text(_("Login"), _("your login on the server, e.g. t.okafor"));
    login_msg_ = row(_("&Login:"), login_);
    tls_ = new wxChoice(this, wxID_ANY);
    tls_->SetName(_("Encryption"));
    for (const auto& label : server_tls_labels()) {
        tls_->Append(tr(label));
    }
    tls_->SetSelection(0);
    row(_("&Encryption:"), tls_);
    conninfo_ = text(_("Connection string"),
                     _("or a connection string: host=... dbname=... user=... or service=NAME"));
    conninfo_msg_ = row(_("&Or a connection string:"), conninfo_);
    indented(grid, true);

    auto* test_row = new wxBoxSizer(wxHORIZONTAL);
    test_ = new wxButton(this, wxID_ANY, _("Test co&nnection"));
    test_->SetName(_("Test connection"));
    test_row->Add(test_, wxSizerFlags().CenterVertical());
    status_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    status_->SetName(_("Connection test"));
    test_row->Add(status_, wxSizerFlags(1).CenterVertical().Border(wxLEFT, pad));
    indented(test_row, true);
    server_controls_.push_back(test_);
    indented(grey(_("No password is asked or kept by MyoScreen: put it in ~/.pgpass "
                    "(host:port:database:login:password, readable only by you) or name such a "
                    "file in PGPASSFILE.")),
             true);

    auto* buttons = CreateSeparatedButtonSizer(wxOK | wxCANCEL);
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, pad));
    if (auto* ok = dynamic_cast<wxButton*>(FindWindow(wxID_OK))) {
        ok->SetLabel(_("&Start MyoScreen"));
    }
    if (auto* quit = dynamic_cast<wxButton*>(FindWindow(wxID_CANCEL))) {
        quit->SetLabel(_("&Quit"));
    }
    SetSizerAndFit(top);
    local_->SetValue(true);
    local_->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) { update_controls(); });
    server_->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) {
        update_controls();
        host_->SetFocus();
    });
    test_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { test_connection(); });
    bind_field_messages(this,
                        {{host_, host_msg_},
                         {port_, port_msg_},
                         {database_, database_msg_},
                         {login_, login_msg_},
                         {conninfo_, conninfo_msg_}},
                        [this] { return accept(); });
    update_controls();
    CentreOnScreen();
    local_->SetFocus();
}

FirstStartDialog::~FirstStartDialog() {
    *alive_ = false;
}

void FirstStartDialog::update_controls() {
    for (wxWindow* w : server_controls_) {
        w->Enable(server_->GetValue());
    }
}

ServerFields FirstStartDialog::server_fields() const {
    ServerFields f;
    f.host = u8(host_->GetValue());
    f.port = u8(port_->GetValue());
    f.database = u8(database_->GetValue());
    f.login = u8(login_->GetValue());
    f.tls = static_cast<ServerTls>(std::max(0, tls_->GetSelection()));
    f.conninfo = u8(conninfo_->GetValue());
    return f;
}

std::vector<DialogField> FirstStartDialog::fields() const {
    return {{"server_host", host_, host_msg_},
            {"server_port", port_, port_msg_},
            {"server_database", database_, database_msg_},
            {"server_login", login_, login_msg_},
            {"database", conninfo_, conninfo_msg_}};
}

bool FirstStartDialog::accept() {
    if (!server_->GetValue()) {
        return true;
    }
    return show_field_problems(this, fields(), check_server_fields(server_fields()));
}

DatabaseChoice FirstStartDialog::choice() const {
    if (!server_->GetValue()) {
        return {};
    }
    return {true, conninfo_of(server_fields())};
}

void FirstStartDialog::test_connection() {
    if (!show_field_problems(this, fields(), check_server_fields(server_fields()))) {
        show_status(wxEmptyString, false);
        return;  // refused as written: nothing was sent anywhere
    }
    test_->Disable();
    show_status(_("Testing the connection..."), true);
    test_connection_in_background(conninfo_of(server_fields()), alive_,
                                  [this](const ConnectionTest& result) {
                                      test_->Enable(server_->GetValue());
                                      show_status(tr(result.text), result.ok);
                                  });
}

void FirstStartDialog::show_status(const wxString& text, bool ok) {
    status_->SetForegroundColour(ok ? wxColour(0x1B, 0x5E, 0x20) : error_colour());
    status_->SetLabel(text);
    status_->Wrap(std::max(host_->GetSize().x, FromDIP(300)));
    Layout();
    GetSizer()->Fit(this);
}

wxString FirstStartDialog::connection_status() const {
    wxString text = status_->GetLabel();
    text.Replace("\n", " ");
    return text;
}

wxString FirstStartDialog::messages() const {
    return field_messages(fields());
}

}  // namespace myo::gui
