#include "gui/open_store.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <optional>

#include "gui/model/start_failure.hpp"
#include "gui/preferences.hpp"
#include "gui/start_failure_dialog.hpp"
#include "gui/wx_util.hpp"
#include "store/paths.hpp"
#include "store/pg/conninfo.hpp"
#include "store/store.hpp"
#include "store/target.hpp"

namespace myo::gui {

SecondInstanceDialog::SecondInstanceDialog(wxWindow* parent, const wxString& why)
    : wxDialog(parent, wxID_ANY, _("MyoScreen is already open")) {
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* text = new wxStaticText(
        this, wxID_ANY,
        wxString::Format(
            _("%s\n\nOnly one MyoScreen at a time may change a database, so that two windows "
              "never overwrite each other's work. You can open it read-only here (you can look "
              "at patients, visits, progress and the history, and write PDFs, but not change "
              "anything), or quit and use the MyoScreen that is already open."),
            why));
    text->Wrap(FromDIP(520));
    top->Add(text, wxSizerFlags().Expand().Border(wxALL, pad));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    read_only_ = new wxButton(this, wxID_YES, _("Open &read-only"));
    quit_ = new wxButton(this, wxID_CANCEL, _("&Quit"));
    buttons->Add(read_only_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(quit_);
    top->Add(buttons, wxSizerFlags().Right().Border(wxALL, pad));
    SetSizerAndFit(top);
    SetEscapeId(wxID_CANCEL);
    read_only_->SetDefault();
    read_only_->SetFocus();
    read_only_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(wxID_YES); });
    CentreOnScreen();
}

std::unique_ptr<store::Store> open_app_store(const std::filesystem::path& db,
                                             const Definitions& defs, wxWindow* parent) {
    store::OpenOptions writer;
    writer.lock_timeout_ms = 0;  // ask at once rather than hang at start-up
    try {
        return std::make_unique<store::Store>(db, defs, writer);
    } catch (const store::AlreadyOpen& e) {
        SecondInstanceDialog dlg(parent, wxs(e.what()));
        if (dlg.ShowModal() != wxID_YES) {
            return nullptr;
        }
        store::OpenOptions reader;
        reader.read_only = true;
        return std::make_unique<store::Store>(db, defs, reader);
    } catch (const store::OpenRefused& e) {
        // Issue 10: a database changed outside MyoScreen is never written, but may be read.
        if (e.reason() != store::Refusal::Tampered) {
            throw;
        }
        wxMessageDialog ask(parent, wxs(e.what()), _("The database was changed outside MyoScreen"),
                            wxYES_NO | wxNO_DEFAULT | wxICON_WARNING);
        ask.SetYesNoLabels(_("Open &read-only"), _("&Quit"));
        if (ask.ShowModal() != wxID_YES) {
            return nullptr;
        }
        store::OpenOptions reader;
        reader.read_only = true;
        return std::make_unique<store::Store>(db, defs, reader);
    }
}

namespace {

// "database "riverside" on db.clinic.example:5432": what a person recognises, without the
// connection string's other keys (a string libpq cannot read is shown as given, password
// hidden; opening it explains what is wrong).
wxString server_in_words(const store::Target& target) {
    try {
        return wxs(store::pg::plan_connection(target.conninfo).target);
    } catch (const std::exception&) {
        return wxs(target.display());
    }
}

// The Preferences with only this computer's choices to make (no database is open, so the
// clinic's settings cannot be shown); the database chosen, or nullopt when cancelled.
std::optional<std::filesystem::path> choose_database(wxWindow* parent) {
    Preferences p;
    p.report_dir = load_report_dir();
    p.database = load_database_choice();
    p.local_file = store::default_database_path().string();
    p.clinic_editable = false;
    PreferencesDialog dlg(parent, p);
    if (dlg.ShowModal() != wxID_OK) {
        return std::nullopt;
    }
    p = dlg.preferences();
    save_report_dir(p.report_dir);
    save_database_choice(p.database);
    if (p.database.server) {
        return std::filesystem::path(p.database.conninfo);
    }
    return store::default_database_path();
}

}  // namespace

std::unique_ptr<store::Store> open_store_or_ask(std::filesystem::path db, const Definitions& defs,
                                                wxWindow* parent,
                                                std::optional<StartupReads>* reads) {
    for (;;) {
        const store::Target target = store::parse_target(db.string());
        std::optional<StartFailure> failure;
        try {
            // A file's folder is made private before the store opens it; a PostgreSQL target
            // (clinic mode) is no folder at all and must leave nothing on disk.
            if (db.has_parent_path() && !target.is_postgresql()) {
                store::create_private_directories(db.parent_path());
            }
            if (target.is_postgresql()) {
                // Issue 14: the connection and the first reads run on a worker; a slow or
                // silent server shows "Connecting to ..." with Quit, never a frozen start.
                ConnectingDialog connecting(parent, server_in_words(target));
                auto opened = connecting.run([db, &defs] {
                    OpenedStore o;
                    o.store = std::make_unique<store::Store>(db, defs);
                    o.reads = read_startup(*o.store);
                    return o;
                });
                if (!opened) {
                    return nullptr;  // Quit while connecting
                }
                if (reads) {
                    *reads = std::move(opened->reads);
                }
                return std::move(opened->store);
            }
            return open_app_store(db, defs, parent);
        } catch (const std::exception& e) {
            failure = describe_start_failure(e, target.is_postgresql());
        }
        // Until the person retries (a server's connection tried first, see the dialog) or
        // picks another database: Cancel in the Preferences comes back here, not to a new try.
        for (;;) {
            StartFailureDialog dlg(parent, *failure,
                                   target.is_postgresql() ? target.conninfo : std::string());
            const int choice = dlg.ShowModal();
            if (choice == StartFailureDialog::kRetry) {
                break;
            }
            if (choice != StartFailureDialog::kChooseDatabase) {
                return nullptr;
            }
            if (auto chosen = choose_database(parent)) {
                db = *chosen;
                break;
            }
        }
    }
}

}  // namespace myo::gui
