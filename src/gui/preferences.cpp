#include "gui/preferences.hpp"

#include "gui/connection_test.hpp"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/config.h>
#include <wx/filename.h>
#include <wx/filepicker.h>
#include <wx/intl.h>
#include <wx/radiobut.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>
#include <wx/textctrl.h>

#include <thread>
#include <utility>

#include "gui/model/patient_input.hpp"
#include "gui/wx_util.hpp"
#include "store/paths.hpp"

namespace myo::gui {

std::string load_report_dir() {
    wxString dir;
    if (wxConfigBase* c = wxConfigBase::Get();
        c && c->Read("/Reports/Folder", &dir) && !dir.empty()) {
        return u8(dir);
    }
    wxFileName f(wxStandardPaths::Get().GetDocumentsDir(), wxEmptyString);
    f.AppendDir("MyoScreen");
    return u8(f.GetPath());
}

void save_report_dir(const std::string& dir) {
    if (wxConfigBase* c = wxConfigBase::Get()) {
        c->Write("/Reports/Folder", wxs(dir));
        c->Flush();
    }
}

DatabaseChoice load_database_choice() {
    DatabaseChoice choice;
    if (wxConfigBase* c = wxConfigBase::Get()) {
        wxString conninfo;
        c->Read("/Database/Server", &choice.server, false);
        c->Read("/Database/Connection", &conninfo);
        choice.conninfo = u8(conninfo);
    }
    choice.server = choice.server && !choice.conninfo.empty();
    return choice;
}

void save_database_choice(const DatabaseChoice& choice) {
    if (wxConfigBase* c = wxConfigBase::Get()) {
        // The string is kept when this computer is chosen, for a later switch back.
        c->Write("/Database/Server", choice.server);
        c->Write("/Database/Connection", wxs(choice.conninfo));
        c->Flush();
    }
}

std::filesystem::path startup_database(const std::optional<std::filesystem::path>& db_option) {
    if (db_option) {
        return *db_option;
    }
    if (DatabaseChoice choice = load_database_choice(); choice.server) {
        return choice.conninfo;
    }
    return store::default_database_path();
}

PreferencesDialog::PreferencesDialog(wxWindow* parent, const Preferences& prefs)
    : wxDialog(parent, wxID_ANY, _("Preferences"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 2)));
    grid->AddGrowableCol(1, 1);
    grid->AddGrowableRow(2, 1);  // the address (rows: name, its message, address, ...)
    auto label = [&](const wxString& s) {
        grid->Add(new wxStaticText(this, wxID_ANY, s), wxSizerFlags().Top().Border(wxTOP, 4));
    };
    // A refusal is shown beside its field, as in the patient dialog.
    auto message = [&] { return add_field_message(this, grid); };
    label(_("Clinic &name:"));
    clinic_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.clinic_name));
    clinic_->SetName(_("Clinic name"));
    clinic_->SetMinSize(FromDIP(wxSize(360, -1)));
    grid->Add(clinic_, wxSizerFlags().Expand());
    clinic_msg_ = message();
    label(_("Clinic &address:"));
    address_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.clinic_address), wxDefaultPosition,
                              FromDIP(wxSize(-1, 70)), wxTE_MULTILINE);
    address_->SetName(_("Clinic address"));
    grid->Add(address_, wxSizerFlags().Expand());
    address_msg_ = message();
    label(_("&Clinician name:"));
    clinician_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.clinician_name));
    clinician_->SetName(_("Clinician name"));
    grid->Add(clinician_, wxSizerFlags().Expand());
    clinician_msg_ = message();
    for (wxTextCtrl* stored_in_database : {clinic_, address_, clinician_}) {
        stored_in_database->SetEditable(prefs.clinic_editable);
        stored_in_database->Enable(prefs.clinic_editable);
    }
    label(_("Default &report folder:"));
    folder_ =
        new wxDirPickerCtrl(this, wxID_ANY, wxs(prefs.report_dir), _("Folder for the PDF reports"),
                            wxDefaultPosition, wxDefaultSize, wxDIRP_USE_TEXTCTRL | wxDIRP_SMALL);
    folder_->SetName(_("Default report folder"));
    grid->Add(folder_, wxSizerFlags().Expand());
    grid->AddSpacer(FromDIP(8));
    grid->AddSpacer(FromDIP(8));

    // The database: this computer's file, or a clinic's PostgreSQL server (issue 13).
    label(_("Database:"));
    local_ = new wxRadioButton(this, wxID_ANY, _("This c&omputer:"), wxDefaultPosition,
                               wxDefaultSize, wxRB_GROUP);
    local_->SetName(_("This computer"));
    auto* local_row = new wxBoxSizer(wxHORIZONTAL);
    local_row->Add(local_, wxSizerFlags().CenterVertical());
    auto* file = new wxStaticText(this, wxID_ANY, wxs(prefs.local_file), wxDefaultPosition,
                                  wxDefaultSize, wxST_ELLIPSIZE_MIDDLE);
    file->SetToolTip(wxs(prefs.local_file));
    file->SetName(_("Database file"));
    local_row->Add(file, wxSizerFlags(1).CenterVertical().Border(wxLEFT, FromDIP(6)));
    grid->Add(local_row, wxSizerFlags().Expand());
    grid->AddSpacer(0);
    server_ = new wxRadioButton(this, wxID_ANY,
                                _("A clinic &server (PostgreSQL): connection string or "
                                  "service=NAME"));
    server_->SetName(_("A clinic server"));
    grid->Add(server_, wxSizerFlags().Border(wxTOP, FromDIP(4)));
    grid->AddSpacer(0);
    auto* server_row = new wxBoxSizer(wxHORIZONTAL);
    conninfo_ = new wxTextCtrl(this, wxID_ANY, wxs(prefs.database.conninfo));
    conninfo_->SetName(_("Clinic server"));
    conninfo_->SetMinSize(FromDIP(wxSize(380, -1)));  // a connection string is long
    conninfo_->SetHint(_("host=db.clinic.example dbname=myoscreen user=NAME"));
    server_row->Add(conninfo_, wxSizerFlags(1).CenterVertical());
    test_ = new wxButton(this, wxID_ANY, _("&Test connection"));
    test_->SetName(_("Test connection"));
    server_row->Add(test_, wxSizerFlags().CenterVertical().Border(wxLEFT, FromDIP(6)));
    grid->Add(server_row, wxSizerFlags().Expand().Border(wxTOP, FromDIP(2)));
    conninfo_msg_ = message();
    grid->AddSpacer(0);
    status_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    status_->SetName(_("Connection test"));
    grid->Add(status_, wxSizerFlags().Expand());
    grid->AddSpacer(0);
    auto* note = new wxStaticText(
        this, wxID_ANY,
        _("MyoScreen opens this database at its next start (a --db on the command line still "
          "wins). No password is kept here: libpq reads it from ~/.pgpass."));
    note->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
    note->Wrap(FromDIP(460));
    grid->Add(note, wxSizerFlags().Expand().Border(wxTOP, FromDIP(4)));
    (prefs.database.server ? server_ : local_)->SetValue(true);
    local_->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) { update_database_controls(); });
    server_->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) {
        update_database_controls();
        conninfo_->SetFocus();
    });
    test_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { test_connection(); });
    update_database_controls();

    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(new wxStaticText(this, wxID_ANY,
                              _("The clinic and clinician appear on every report's letterhead.")),
             wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(12)));
    top->Add(grid, wxSizerFlags(1).Expand().Border(wxALL, FromDIP(12)));
    top->Add(CreateSeparatedButtonSizer(wxOK | wxCANCEL),
             wxSizerFlags().Expand().Border(wxALL, FromDIP(12)));
    SetSizerAndFit(top);
    bind_field_messages(this,
                        {{clinic_, clinic_msg_},
                         {address_, address_msg_},
                         {clinician_, clinician_msg_},
                         {conninfo_, conninfo_msg_}},
                        [this] { return accept(); });
}

PreferencesDialog::~PreferencesDialog() {
    *alive_ = false;  // a connection test still running finds no dialog to report to
}

void PreferencesDialog::update_database_controls() {
    conninfo_->Enable(server_->GetValue());
    test_->Enable(server_->GetValue());
}

void PreferencesDialog::show_status(const wxString& text, bool ok) {
    status_->SetLabel(text);
    status_->SetForegroundColour(ok ? wxColour(0x1B, 0x5E, 0x20) : error_colour());
    status_->Wrap(std::max(conninfo_->GetSize().x + test_->GetSize().x, FromDIP(300)));
    Layout();
    GetSizer()->Fit(this);
}

void PreferencesDialog::test_connection() {
    DatabaseChoice choice{true, u8(conninfo_->GetValue())};
    if (!show_field_problems(this, {{"database", conninfo_, conninfo_msg_}},
                             check_database_choice(choice))) {
        show_status(wxEmptyString, false);
        return;  // refused as written: nothing was sent anywhere
    }
    test_->Disable();
    show_status(_("Testing the connection..."), true);
    // The connection may take up to its timeout (10 s): on a worker, never on the GUI thread.
    test_connection_in_background(choice.conninfo, alive_, [this](const ConnectionTest& result) {
        test_->Enable(server_->GetValue());
        show_status(tr(result.text), result.ok);
    });
}

wxString PreferencesDialog::connection_status() const {
    wxString text = status_->GetLabel();  // as shown, less the line breaks of its wrapping
    text.Replace("\n", " ");
    return text;
}

bool PreferencesDialog::accept() {
    auto problems = check_settings(u8(clinic_->GetValue()), u8(address_->GetValue()),
                                   u8(clinician_->GetValue()));
    auto database = check_database_choice({server_->GetValue(), u8(conninfo_->GetValue())});
    problems.insert(problems.end(), database.begin(), database.end());
    return show_field_problems(this, fields(), problems);
}

std::vector<DialogField> PreferencesDialog::fields() const {
    return {{"clinic_name", clinic_, clinic_msg_},
            {"clinic_address", address_, address_msg_},
            {"clinician_name", clinician_, clinician_msg_},
            {"database", conninfo_, conninfo_msg_}};
}

wxString PreferencesDialog::messages() const {
    return field_messages(fields());
}

Preferences PreferencesDialog::preferences() const {
    Preferences p;
    p.clinic_name = u8(clinic_->GetValue());
    p.clinic_address = u8(address_->GetValue());
    p.clinician_name = u8(clinician_->GetValue());
    p.report_dir = u8(folder_->GetPath());
    p.database.server = server_->GetValue();
    p.database.conninfo = u8(conninfo_->GetValue());
    // Kept for a later switch back only when it could be used: a string with a password
    // (typed, then "This computer" chosen) never reaches the configuration file.
    if (!p.database.server && !check_database_choice({true, p.database.conninfo}).empty()) {
        p.database.conninfo.clear();
    }
    return p;
}

}  // namespace myo::gui
