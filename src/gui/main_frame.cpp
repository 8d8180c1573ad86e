#include "gui/main_frame.hpp"

#include <memory>
#include <stdexcept>

#include <wx/aboutdlg.h>
#include <wx/accel.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/persist/toplevel.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>

#include "gui/assessment_editor.hpp"
#include "gui/clinic_link.hpp"
#include "gui/clinician_dialog.hpp"
#include "gui/connecting_dialog.hpp"
#include "gui/delete_patient_dialog.hpp"
#include "gui/history_dialog.hpp"
#include "gui/layout_util.hpp"
#include "gui/model/assessment_model.hpp"
#include "gui/model/session_text.hpp"
#include "gui/patient_dialog.hpp"
#include "gui/patient_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/progress_view.hpp"
#include "gui/quit_offline_dialog.hpp"
#include "gui/store_reads.hpp"
#include "gui/store_worker.hpp"
#include "gui/wx_util.hpp"
#include "store/offline_journal.hpp"
#include "store/paths.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

enum MenuId {
    kNewPatient = wxID_HIGHEST + 1,
    kNewAssessment,
    kNewFollowUp,
    kSaveDraft,
    kReferralPdf,
    kHandoutPdf,
    kFinalize,
    kAmend,
    kAcknowledge,
    kFindPatient,
    kViewPatients,
    kViewAssessment,
    kNextStep,
    kPreviousStep,
    kViewSummary,
    kShortcuts,
    kViewProgress,
    kHistory,
    kDeletePatient,
    kProgressPdf,
    kExportFhir,
};

}  // namespace

MainFrame::MainFrame(const Definitions& defs, const BodyChart* chart, store::Store& store,
                     const AppOptions& options, const StartupReads* read)
    : wxFrame(nullptr, wxID_ANY, "MyoScreen"), defs_(defs), store_(store), options_(options) {
    SetName("MyoScreen");
    // What the window starts with: read on the start's worker for a clinic server
    // (ConnectingDialog), else here (a file: local reads; a window made without them: tests).
    StartupReads own;
    if (!read) {
        try {
            own = read_startup(store_);
        } catch (const std::exception&) {
            // The store opened a moment ago; a server gone since shows at the first read.
        }
        read = &own;
    }
    if (store_.on_server()) {
        // Issue 14: who is signed in, for the title and the status bar; a readonly login's
        // window is read-only from the start (the server would refuse each change anyway), so
        // it shows what it cannot do rather than failing at the first save.
        session_ = read->session;
        if (session_ && !session_->may_write && !store_.read_only()) {
            store_.make_read_only(readonly_login_refusal(*session_));
        }
    }
    book_ = new wxSimplebook(this);
    if (store_.on_server()) {
        start_read_worker();
        start_write_worker();
    }
    patients_ = new PatientPanel(book_, defs, store, reads_.get());
    editor_ = new AssessmentEditor(book_, defs, chart, store);
    editor_->open_viewer = options.open_viewer;
    editor_->output_reads = reads_.get();
    // The editor's status line is short: the login, not the whole explanation.
    editor_->read_only_reason = session_ && !session_->may_write
                                    ? wxs(readonly_login_refusal(*session_))
                                    : read_only_reason();
    progress_ = new ProgressView(book_, defs, chart, store, reads_.get(), writes_.get());
    progress_->open_viewer = options.open_viewer;
    book_->AddPage(patients_, _("Patients"));
    book_->AddPage(editor_, _("Assessment"));
    book_->AddPage(progress_, _("Progress"));
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(book_, wxSizerFlags(1).Expand());
    SetSizer(s);
    build_menus();
    // Field 0: what just happened; field 1: who is signed in (always visible).
    CreateStatusBar(2);
    const int widths[] = {-1, FromDIP(340)};
    GetStatusBar()->SetStatusWidths(2, widths);

    if (read->settings) {
        editor_->clinician = read->settings->clinician_name;
    }
    if (session_) {
        // Against a clinic server the login is who signs (issue 14): no name to type; the
        // Preferences' clinician name, when set, still heads the letters.
        if (editor_->clinician.empty()) {
            editor_->clinician = session_->login;
        }
    } else if (options_.ask_clinician) {
        editor_->ask_clinician = [this](const wxString& why) { return sign_in(why); };
    }
    editor_->report_dir = load_report_dir();
    progress_->report_dir = editor_->report_dir;

    patients_->on_new_patient = [this] { new_patient(); };
    patients_->on_open = [this](std::int64_t id) { open_assessment(id); };
    patients_->on_new_assessment = [this](const Patient& p, bool f) { new_assessment(p, f); };
    patients_->on_progress = [this](const Patient&) { show_progress(); };
    patients_->on_history = [this](const Patient&, std::optional<std::int64_t>) { show_history(); };
    progress_->on_back = [this] { show_patients(); };
    progress_->on_loaded = [this] { update_title(); };
    progress_->on_history = [this](const std::string&) { show_history(); };
    if (store_.on_server() && !store_.read_only()) {
        // Issue 14: the editor's writes on a worker with a Store of its own (the window's
        // target, as ClinicLink opens it), and what the server does not take kept in this
        // computer's offline journal for this server and database.
        editor_->on_connection = [this](const wxString& text) { SetStatusText(text); };
        editor_->login = session_ ? session_->login : std::string();
        editor_->use_server([target = store_.target(),
                             &defs] { return std::make_unique<store::Store>(target, defs); },
                            store::OfflineJournal::path_for(store_));
    }
    editor_->on_stored = [this] {
        // The list's figures (status, urgency) follow the draft; keep the selection.
        patients_->reload();
        update_title();
    };

    // 1024x768 is the smallest screen supported: the minimum leaves room for a panel or
    // task bar there.
    SetMinSize(FromDIP(wxSize(800, 560)));
    SetSize(FromDIP(wxSize(1240, 780)));
    Centre();
    // Size and position as the clinician left them (wxConfig; --config for tests), then cut to
    // the screen it opens on: a size remembered on a larger screen would hide the buttons.
    wxPersistentRegisterAndRestore(this, "MainFrame");
    fit_to_display(this);
    show_patients();

    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        editor_->save_now();
        if (const std::size_t n = editor_->waiting_changes(); n > 0 && e.CanVeto()) {
            // Quitting while the server is away: nothing is lost, the person knows where the
            // changes are, and a window closed by mistake can stay (Keep working).
            QuitOfflineDialog ask(this, n);
            if (ask.ShowModal() != wxID_EXIT) {
                e.Veto();
                return;
            }
        }
        e.Skip();
    });
    if (store_.read_only()) {
        SetStatusText(
            session_ && !session_->may_write
                ? wxString::Format(_("Opened read-only: %s."), read_only_reason())
                : _("Opened read-only: another MyoScreen has this database open for writing. "
                    "You can look at everything and write PDFs, but not change anything."));
        disable_writing_commands();
    }
    update_title();
    update_clinician_status();
    start_clinic_link();
    // First start: nobody has said who uses MyoScreen yet. Asked once the window is up.
    if (options_.ask_clinician && !store_.read_only() && !session_ && editor_->clinician.empty()) {
        CallAfter(
            [this] { sign_in(_("Welcome to MyoScreen. Who is using it on this computer?")); });
    }
}

MainFrame::~MainFrame() {
    // First: its answers go to the windows below, and the open draft's lease ends here.
    link_.reset();
    reads_.reset();  // no read answers after this (they go to the panels)
    writes_.reset();
    wait_for_backup();
}

wxString MainFrame::waiting_for_server_text() {
    return _("Waiting for the server...");
}

void MainFrame::start_read_worker() {
    // Its own read-only session (a Store belongs to one thread): reads never write.
    StoreWorker::Opener open = [target = store_.target(), defs = &defs_] {
        store::OpenOptions o;
        o.read_only = true;
        return std::make_unique<store::Store>(target, *defs, o);
    };
    StoreWorker::Handlers h;
    h.busy = [this](bool busy) { waiting_for_server(busy); };
    reads_ = std::make_unique<StoreWorker>(std::move(open), this, std::move(h));
}

void MainFrame::start_write_worker() {
    if (store_.read_only()) {
        return;  // nothing to write: every writing command is refused before it asks
    }
    // A writable session of its own, opened as the window's (the editor and ClinicLink have
    // theirs): a new patient or a deletion never waits behind a page of the list.
    StoreWorker::Opener open = [target = store_.target(), defs = &defs_] {
        return std::make_unique<store::Store>(target, *defs);
    };
    StoreWorker::Handlers h;
    h.busy = [this](bool busy) { waiting_for_server(busy); };
    writes_ = std::make_unique<StoreWorker>(std::move(open), this, std::move(h));
}

void MainFrame::waiting_for_server(bool busy) {
    wxStatusBar* bar = GetStatusBar();
    if (!bar) {
        return;
    }
    if (!busy && ((reads_ && reads_->busy()) || (writes_ && writes_->busy()))) {
        return;  // the other worker still waits for the server
    }
    const wxString waiting = waiting_for_server_text();
    const wxString now = bar->GetStatusText(0);
    if (busy && now != waiting) {
        status_before_wait_ = now;
        SetStatusText(waiting);
    } else if (!busy && now == waiting) {
        SetStatusText(status_before_wait_);
    }
}

void MainFrame::start_clinic_link() {
    if (!store_.on_server() || store_.read_only()) {
        return;  // a file has no leases and announces nothing; a read-only window takes none
    }
    ClinicLink::Handlers h;
    h.lease = [this](std::int64_t draft, const store::DraftLease& lease) {
        if (editor_->assessment_id() != draft) {
            return;  // another visit is open by now (its own answer follows)
        }
        if (lease.ours) {
            editor_->lease_granted(lease);
        } else {
            editor_->lease_refused(lease);
        }
    };
    h.lease_lost = [this](std::int64_t draft, const std::string& by, const std::string& where) {
        if (editor_->assessment_id() == draft) {
            editor_->lease_lost(by, where);
        }
    };
    h.changes = [this](const std::vector<store::ChangeNote>& notes) { changes_elsewhere(notes); };
    h.stale_after = [this](std::chrono::milliseconds d) { editor_->set_lease_stale_after(d); };
    h.error = [this](const std::string& text) {
        if (editor_->offline()) {
            return;  // the bar says "Offline: saving on this computer" already
        }
        SetStatusText(wxString::Format(_("The clinic server: %s"), wxs(text)));
    };
    link_ = std::make_unique<ClinicLink>(store_.target(), defs_, this, std::move(h));
    editor_->on_lease_wanted = [this](std::int64_t id) { link_->hold(id); };
    editor_->on_lease_released = [this] { link_->drop(); };
    editor_->on_take_over = [this](std::int64_t id, bool even_if_live) {
        link_->take_over(id, even_if_live);
    };
    reload_soon_.Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
        patients_->reload();
        if (showing_progress()) {
            // A visit finalised (or amended) elsewhere joins the open Progress at once; a hidden
            // Progress reads them when it is shown.
            progress_->refresh_if_changed();
        }
        update_title();
    });
}

void MainFrame::changes_elsewhere(const std::vector<store::ChangeNote>& notes) {
    bool records = false;
    for (const auto& n : notes) {
        if (n.table == "patients" || n.table == "assessments") {
            records = true;
        } else if (n.table == "draft_leases" && n.op == "delete" &&
                   editor_->lease() == AssessmentEditor::Lease::Theirs &&
                   editor_->assessment_id() == n.id) {
            // The other workstation closed the draft: it can be edited here now.
            link_->hold(n.id);
        }
    }
    if (records && !reload_soon_.IsRunning()) {
        // A patient added at the front desk, a visit finalised in room 2: the list shows it,
        // and so does an open Progress of that patient.
        reload_soon_.StartOnce(50);
    }
}

wxString MainFrame::read_only_reason() const {
    if (!store_.read_only()) {
        return wxString();
    }
    if (session_ && !session_->may_write) {
        return wxs(readonly_login_reason(*session_));
    }
    return _("another MyoScreen has the database open for writing");
}

void MainFrame::disable_writing_commands() {
    for (int id : {kNewPatient, kNewAssessment, kNewFollowUp, kSaveDraft, kDeletePatient,
                   kAcknowledge, kFinalize, kAmend}) {
        GetMenuBar()->Enable(id, false);
    }
}

bool MainFrame::refuse_read_only() {
    if (!store_.read_only()) {
        return false;
    }
    context_changed();  // says that this window is read-only
    wxBell();
    return true;
}

void MainFrame::start_daily_backup() {
    if (store_.read_only() || backup_thread_.joinable()) {
        // A read-only instance leaves the backup to the writer (the store would skip it anyway).
        return;
    }
    if (store_.on_server()) {
        // A clinic's database is backed up on the server (server backup --folder, from cron),
        // not by each workstation at each start: no backup, no error.
        backup_status_ = _("The clinic database is backed up on its server.");
        SetStatusText(backup_status_);
        return;
    }
    SetStatusText(_("Taking today's backup..."));
    // The worker has its own Store: a Store belongs to one thread (store.hpp). Stores of one
    // process share the writer lock, so this is not a second instance.
    std::filesystem::path db = store_.target();
    const Definitions* defs = &defs_;
    backup_thread_ = std::thread([this, db, defs] {
        bool failed = false;
        std::string text;
        try {
            store::Store worker(db, *defs);
            auto report = worker.daily_backup();
            text = report ? report->path.string() : std::string();
        } catch (const std::exception& e) {
            failed = true;
            text = e.what();
        }
        // CallAfter is safe from another thread: the result is shown by the GUI thread.
        CallAfter([this, failed, text] { backup_finished(failed, text); });
    });
}

void MainFrame::wait_for_backup() {
    if (backup_thread_.joinable()) {
        backup_thread_.join();
    }
}

void MainFrame::backup_finished(bool failed, const std::string& text) {
    if (failed) {
        backup_failed_ = true;
        backup_status_ = wxString::Format(_("Today's backup FAILED: %s"), wxs(text));
        SetStatusText(backup_status_);
        wxMessageBox(wxString::Format(_("Today's backup of the patient database could not be "
                                        "taken:\n\n%s\n\nYour records are unchanged. MyoScreen "
                                        "will try again at the next start; until a backup "
                                        "succeeds, please copy the database yourself."),
                                      wxs(text)),
                     _("Backup failed"), wxOK | wxICON_ERROR, this);
        return;
    }
    backup_status_ =
        text.empty() ? wxString(_("Today's backup was already taken."))
                     : wxString::Format(_("Today's backup is taken and verified: %s"), wxs(text));
    SetStatusText(backup_status_);
}

void MainFrame::build_menus() {
    auto* file = new wxMenu;
    file->Append(kNewPatient, _("&New patient...\tCtrl+N"));
    file->Append(kNewAssessment, _("New &assessment\tCtrl+Shift+A"));
    file->Append(kNewFollowUp, _("New &follow-up\tCtrl+Shift+F"));
    file->AppendSeparator();
    file->Append(kSaveDraft, _("&Save draft\tCtrl+S"));
    file->Append(kReferralPdf, _("&Referral PDF\tCtrl+P"));
    file->Append(kHandoutPdf, _("&Handout PDF\tCtrl+Shift+P"));
    file->Append(kProgressPdf, _("Pro&gress PDF\tCtrl+Shift+G"));
    file->Append(kExportFhir, _("Export F&HIR..."));
    file->AppendSeparator();
    file->Append(kDeletePatient, _("&Delete patient..."));
    file->AppendSeparator();
    file->Append(wxID_PREFERENCES, _("Pr&eferences...\tCtrl+,"));
    file->AppendSeparator();
    file->Append(wxID_EXIT, _("&Quit\tCtrl+Q"));

    auto* edit = new wxMenu;
    edit->Append(kFindPatient, _("&Find patient\tCtrl+F"));
    edit->AppendSeparator();
    edit->Append(kAcknowledge, _("Ac&knowledge emergency\tCtrl+Shift+E"));
    edit->Append(kFinalize, _("F&inalize...\tCtrl+Shift+S"));
    edit->Append(kAmend, _("A&mend"));

    auto* view = new wxMenu;
    view->Append(kViewPatients, _("&Patients\tCtrl+1"));
    view->Append(kViewAssessment, _("&Assessment\tCtrl+2"));
    view->Append(kViewProgress, _("Pro&gress\tCtrl+4"));
    view->Append(kHistory, _("&History of changes...\tCtrl+H"));
    view->AppendSeparator();
    view->Append(kNextStep, _("&Next step\tCtrl+PgDn"));
    view->Append(kPreviousStep, _("P&revious step\tCtrl+PgUp"));
    view->Append(kViewSummary, _("&Summary\tCtrl+3"));

    auto* help = new wxMenu;
    help->Append(kShortcuts, _("&Keyboard shortcuts\tF1"));
    help->Append(wxID_ABOUT, _("&About MyoScreen"));

    auto* bar = new wxMenuBar;
    bar->Append(file, _("&File"));
    bar->Append(edit, _("&Edit"));
    bar->Append(view, _("&View"));
    bar->Append(help, _("&Help"));
    SetMenuBar(bar);
    collect_shortcuts(bar);

    auto on = [this](int id, auto fn) {
        Bind(
            wxEVT_MENU, [fn](wxCommandEvent&) { fn(); }, id);
    };
    on(kNewPatient, [this] { new_patient(); });
    on(kViewProgress, [this] { show_progress(); });
    on(kHistory, [this] { show_history(); });
    on(kDeletePatient, [this] { delete_patient(); });
    on(kProgressPdf, [this] {
        if (!showing_progress()) {
            show_progress();
        }
        progress_->write_pdf();
    });
    on(kNewAssessment, [this] {
        if (auto p = patients_->selected_patient()) {
            new_assessment(*p, false);
        } else {
            show_patients();
            SetStatusText(_("Choose a patient first."));
        }
    });
    on(kNewFollowUp, [this] {
        if (auto p = patients_->selected_patient()) {
            new_assessment(*p, true);
        } else {
            show_patients();
            SetStatusText(_("Choose a patient first."));
        }
    });
    on(kSaveDraft, [this] { editor_->save_now(); });
    on(kReferralPdf, [this] { editor_->write_pdf(PdfKind::Referral); });
    on(kHandoutPdf, [this] { editor_->write_pdf(PdfKind::Handout); });
    on(kExportFhir, [this] { editor_->export_fhir(); });
    on(wxID_PREFERENCES, [this] { preferences(); });
    on(wxID_EXIT, [this] { Close(); });
    on(kFindPatient, [this] {
        show_patients();
        patients_->focus_search();
    });
    on(kAcknowledge, [this] { editor_->acknowledge_emergencies(); });
    on(kFinalize, [this] { editor_->finalize(); });
    on(kAmend, [this] { editor_->amend(); });
    on(kViewPatients, [this] { show_patients(); });
    on(kViewAssessment, [this] { show_assessment(); });
    on(kNextStep, [this] {
        if (!open_assessment_is_selected_patient()) {
            return;
        }
        show_assessment();
        if (editor_->current_step() + 1 < editor_->step_count()) {
            editor_->go_to_step(editor_->current_step() + 1);
        }
    });
    on(kPreviousStep, [this] {
        if (!open_assessment_is_selected_patient()) {
            return;
        }
        show_assessment();
        if (editor_->current_step() > 0) {
            editor_->go_to_step(editor_->current_step() - 1);
        }
    });
    on(kViewSummary, [this] {
        if (!open_assessment_is_selected_patient()) {
            return;
        }
        show_assessment();
        editor_->go_to_step(std::string(kSummaryStep));
    });
    on(kShortcuts, [this] { shortcuts_help(); });
    on(wxID_ABOUT, [this] { about(); });
}

void MainFrame::collect_shortcuts(wxMenuBar* bar) {
    shortcuts_.clear();
    for (std::size_t m = 0; m < bar->GetMenuCount(); ++m) {
        for (wxMenuItem* item : bar->GetMenu(m)->GetMenuItems()) {
            std::unique_ptr<wxAcceleratorEntry> accel(item->GetAccel());
            if (!accel) {
                continue;
            }
            const int flags = accel->GetFlags();
            const int modifiers = ((flags & wxACCEL_CTRL) ? wxMOD_CONTROL : 0) |
                                  ((flags & wxACCEL_SHIFT) ? wxMOD_SHIFT : 0) |
                                  ((flags & wxACCEL_ALT) ? wxMOD_ALT : 0);
            int key = accel->GetKeyCode();
            if (key >= 'a' && key <= 'z') {
                key = key - 'a' + 'A';
            }
            shortcuts_.push_back({modifiers, key, item->GetId()});
        }
    }
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (auto command = shortcut_command(e)) {
            wxCommandEvent menu(wxEVT_MENU, *command);
            menu.SetEventObject(this);
            ProcessWindowEvent(menu);
            return;  // handled: the focused control never sees it
        }
        e.Skip();
    });
}

std::optional<int> MainFrame::shortcut_command(const wxKeyEvent& e) const {
    const int modifiers = e.GetModifiers() & (wxMOD_CONTROL | wxMOD_SHIFT | wxMOD_ALT);
    if (modifiers == 0 && !(e.GetKeyCode() >= WXK_F1 && e.GetKeyCode() <= WXK_F24)) {
        return std::nullopt;  // plain typing (and Y/N/U on the red flags) stays with the control
    }
    int key = e.GetKeyCode();
    if (key >= 'a' && key <= 'z') {
        key = key - 'a' + 'A';
    }
    for (const auto& s : shortcuts_) {
        if (s.modifiers == modifiers && s.key == key) {
            const wxMenuItem* item = GetMenuBar() ? GetMenuBar()->FindItem(s.command) : nullptr;
            if (item && item->IsEnabled()) {
                return s.command;
            }
        }
    }
    return std::nullopt;
}

bool MainFrame::open_assessment_is_selected_patient() {
    if (showing_assessment() || !editor_->model()) {
        return true;
    }
    const auto selected = patients_->selected_patient();
    const Patient& open = editor_->model()->assessment().patient;
    if (!selected || selected->id == open.id) {
        return true;
    }
    SetStatusText(wxString::Format(
        _("%s is selected; the open assessment is %s's. Open one of %s's visits (Enter) or start "
          "a new assessment (Ctrl+Shift+A); Ctrl+2 returns to %s's assessment."),
        wxs(selected->name), wxs(open.name), wxs(selected->name), wxs(open.name)));
    wxBell();
    return false;
}

void MainFrame::update_title() {
    wxString title = "MyoScreen";
    if (showing_assessment() && editor_->model()) {
        const Patient& p = editor_->model()->assessment().patient;
        title += wxString::FromUTF8(" \u2014 ") + wxs(p.name);
    }
    if (showing_progress() && progress_->model()) {
        title += wxString::FromUTF8(" \u2014 ") +
                 wxString::Format(_("progress of %s"),
                                  wxs(progress_->model()->comparison().patient.name));
    }
    if (session_) {
        title += wxString::FromUTF8(" \u2014 ") + wxs(signed_in_as(*session_));
    }
    if (store_.read_only()) {
        title += " " + _("(read-only)");
    }
    SetTitle(title);
}

bool MainFrame::showing_assessment() const {
    return book_->GetSelection() == 1;
}

bool MainFrame::showing_progress() const {
    return book_->GetSelection() == 2;
}

void MainFrame::show_progress() {
    auto p = patients_->selected_patient();
    if (!p && editor_->model() && showing_assessment()) {
        p = editor_->model()->assessment().patient;
    }
    if (!p) {
        show_patients();
        SetStatusText(_("Choose a patient first."));
        return;
    }
    editor_->save_now();
    context_changed();
    // On a clinic server the visits come later: the page says "Reading..." meanwhile, and
    // says so itself if the patient has fewer than two final visits.
    if (!progress_->show_patient(p->id)) {
        SetStatusText(wxString::Format(
            _("%s has fewer than two final assessments: progress compares signed-off visits."),
            wxs(p->name)));
        if (progress_->status_text().empty()) {
            return;  // nothing to show; stay where the clinician is
        }
    }
    book_->ChangeSelection(2);
    update_title();
    progress_->table()->SetFocus();
}

void MainFrame::show_history() {
    std::optional<Patient> p;
    std::optional<std::int64_t> assessment;
    if (showing_assessment() && editor_->model()) {
        p = editor_->model()->assessment().patient;
        assessment = editor_->assessment_id();
    } else if (showing_progress() && progress_->model()) {
        p = progress_->model()->comparison().patient;
    } else {
        p = patients_->selected_patient();
        assessment = patients_->selected_visit();
    }
    if (!p) {
        show_patients();
        SetStatusText(_("Choose a patient first."));
        return;
    }
    editor_->save_now();
    HistoryDialog dlg(this, store_, p->id, p->name, assessment, reads_.get());
    dlg.ShowModal();
}

void MainFrame::delete_patient() {
    if (refuse_read_only()) {
        return;
    }
    show_patients();
    auto p = patients_->selected_patient();
    if (!p) {
        SetStatusText(_("Choose the patient to delete first."));
        return;
    }
    // An open draft of this patient is written now; after the deletion it is gone with them.
    bool editing_this = editor_->model() && editor_->model()->assessment().patient.id == p->id;
    editor_->save_now();
    DeletePatientDialog dlg(this, store_, *p, reads_.get(), writes_.get());
    if (dlg.ShowModal() != wxID_OK || !dlg.report()) {
        return;
    }
    if (editing_this) {
        editor_->close();
    }
    if (progress_->patient_id() == p->id) {
        progress_->show_patient(std::string());
    }
    patients_->reload();
    SetStatusText(wxString::Format(_("Deleted %s. The backup taken before is %s."), wxs(p->name),
                                   wxs(dlg.report()->backup.path.string())));
}

void MainFrame::context_changed() {
    if (store_.read_only()) {
        SetStatusText(wxString::Format(
            _("This window is read-only (%s): nothing can be changed here."), read_only_reason()));
    } else {
        SetStatusText(backup_failed_ ? backup_status_ : wxString());
    }
}

void MainFrame::show_patients() {
    editor_->save_now();
    book_->ChangeSelection(0);
    context_changed();
    patients_->reload();
    update_title();
    patients_->focus_search();
}

void MainFrame::show_assessment() {
    if (!editor_->has_assessment()) {
        SetStatusText(_("No assessment is open: choose a visit or start a new assessment."));
        return;
    }
    book_->ChangeSelection(1);
    context_changed();
    update_title();
}

void MainFrame::new_patient() {
    if (refuse_read_only()) {
        return;
    }
    show_patients();
    PatientDialog dlg(this, store_, writes_.get());
    if (dlg.ShowModal() == wxID_OK && dlg.patient()) {
        patients_->search()->ChangeValue(wxEmptyString);
        patients_->reload();
        patients_->select_patient(dlg.patient()->id);
        SetStatusText(wxString::Format(_("Added %s."), wxs(dlg.patient()->name)));
    }
}

void MainFrame::new_assessment(const Patient& p, bool follow_up) {
    if (refuse_read_only()) {
        return;
    }
    std::optional<std::int64_t> last = patients_->latest_visit();
    if (!follow_up || !last) {
        Assessment a;
        a.patient = p;
        a.date = today_local();
        a.kind = "initial";
        start_assessment(std::move(a), {});
        return;
    }
    // A follow-up starts from the last visit, read on the read worker (issue 14).
    StoreReads reads(store_, reads_.get());
    if (reads.deferred()) {
        SetStatusText(wxString::Format(_("Reading %s's last visit..."), wxs(p.name)));
    }
    reads.call<Assessment>(
        [id = *last](store::Store& s) { return s.load(id).assessment; },
        [this](StoreReply<Assessment> r) {
            if (!r.ok()) {
                SetStatusText(
                    wxString::Format(_("The follow-up was not started: %s"), wxs(read_failure(r))));
                return;
            }
            Assessment a = follow_up_from(*r.value, today_local());
            start_assessment(std::move(a), follow_up_list_entries(*r.value));
        },
        "follow-up");
}

void MainFrame::start_assessment(Assessment a,
                                 const std::map<std::string, std::vector<Json>>& entries) {
    try {
        if (!editor_->clinician.empty()) {
            a.clinician = editor_->clinician;
        }
        editor_->start(a, entries);
        show_assessment();
    } catch (const std::exception& e) {
        show_error(this, _("The assessment could not be started."), e);
    }
}

void MainFrame::open_assessment(std::int64_t id) {
    // Offline (issue 14) another visit cannot be read: said in the status bar, no error box;
    // the window stays where it is.
    auto refused_offline = [this, id] {
        if (editor_->assessment_id() != id && editor_->refuse_offline(_("opening another visit"))) {
            SetStatusText(editor_->status_text());
            return true;
        }
        return false;
    };
    if (refused_offline()) {
        return;
    }
    if (editor_->offline() && editor_->assessment_id() == id) {
        show_assessment();  // the copy open here is the newest there is
        return;
    }
    try {
        editor_->open(id);
        show_assessment();
    } catch (const std::exception& e) {
        if (refused_offline()) {
            return;  // found away just now
        }
        show_error(this, _("The assessment could not be opened."), e);
    }
}

void MainFrame::preferences() {
    Preferences p;
    p.report_dir = load_report_dir();
    p.database = load_database_choice();
    p.local_file = store::default_database_path().string();
    p.clinic_editable = !store_.read_only();
    // The clinic's settings live in the database: read on the read worker on a server (the
    // dialog opens when they come), at once from a file.
    StoreReads reads(store_, reads_.get());
    if (reads.deferred()) {
        SetStatusText(_("Reading the clinic's settings..."));
    }
    reads.call<store::Settings>([](store::Store& s) { return s.load_settings(); },
                                [this, p](StoreReply<store::Settings> r) mutable {
                                    wxString failed;
                                    if (r.ok()) {
                                        p.clinic_name = r.value->clinic_name;
                                        p.clinic_address = r.value->clinic_address;
                                        p.clinician_name = r.value->clinician_name;
                                    } else {
                                        // Not read, so not shown for editing either: saving empty
                                        // fields would wipe the clinic's letterhead.
                                        failed = wxs(read_failure(r));
                                        p.clinic_editable = false;
                                    }
                                    show_preferences(std::move(p), failed);
                                },
                                "preferences");
}

void MainFrame::show_preferences(Preferences p, const wxString& read_failed) {
    if (!read_failed.empty()) {
        SetStatusText(
            wxString::Format(_("The clinic's settings could not be read: %s"), read_failed));
    } else if (GetStatusBar() &&
               GetStatusBar()->GetStatusText(0) == _("Reading the clinic's settings...")) {
        SetStatusText(wxEmptyString);
    }
    const bool clinic_editable = p.clinic_editable;
    PreferencesDialog dlg(this, p);
    if (dlg.ShowModal() != wxID_OK) {
        return;
    }
    p = dlg.preferences();
    save_report_dir(p.report_dir);
    save_database_choice(p.database);  // used at the next start
    editor_->report_dir = p.report_dir;
    progress_->report_dir = p.report_dir;
    // A read-only window (or settings that could not be read) keeps this computer's choices
    // (report folder, database) but does not store the clinic's settings, which live in the
    // database.
    if (!clinic_editable) {
        return;
    }
    StoreReads writes(store_, writes_.get());
    if (writes.deferred()) {
        SetStatusText(_("Saving the clinic's settings..."));
    }
    store::Settings settings{p.clinic_name, p.clinic_address, p.clinician_name};
    writes.call<int>(
        [settings](store::Store& s) {
            s.save_settings(settings);
            return 0;
        },
        [this, settings](StoreReply<int> r) {
            if (!r.ok()) {
                if (r.timed_out || r.unreachable) {
                    SetStatusText(wxString::Format(_("The clinic's settings were not saved: %s"),
                                                   wxs(write_failure(r))));
                } else {
                    show_error(this, _("The settings could not be saved."),
                               std::runtime_error(r.message));
                }
                return;
            }
            if (writes_) {
                SetStatusText(_("The clinic's settings are saved."));
            }
            editor_->clinician = settings.clinician_name;
            update_clinician_status();
        },
        "settings");
}

bool MainFrame::sign_in(const wxString& why) {
    if (store_.read_only() || store_.on_server()) {
        // On a server the login signs (no name to ask); so the reads and writes below are a
        // file's, local.
        return !editor_->clinician.empty();
    }
    store::Settings s;
    try {
        s = store_.load_settings();
    } catch (const std::exception& e) {
        show_error(this, _("The settings could not be read."), e);
        return false;
    }
    ClinicianDialog dlg(this, why, s.clinician_name, s.clinic_name);
    if (dlg.ShowModal() == wxID_OK) {
        s.clinician_name = dlg.clinician();
        s.clinic_name = dlg.clinic();
        try {
            store_.save_settings(s);
            editor_->clinician = s.clinician_name;
        } catch (const std::exception& e) {
            show_error(this, _("The settings could not be saved."), e);
        }
    }
    update_clinician_status();
    return !editor_->clinician.empty();
}

void MainFrame::update_clinician_status() {
    if (session_) {
        // On a server the login is who the audit trail names; the clinician's name (the
        // letterhead) follows it when set.
        wxString who = wxs(signed_in_as(*session_));
        if (store_.read_only()) {
            who += " " + _("(read-only)");
        }
        if (!editor_->clinician.empty() && editor_->clinician != session_->login) {
            who += wxString::FromUTF8(" \u00b7 ") + wxs(editor_->clinician);
        }
        SetStatusText(who, 1);
        return;
    }
    SetStatusText(editor_->clinician.empty()
                      ? _("No clinician signed in (Ctrl+, to sign in)")
                      : wxString::Format(_("Clinician: %s"), wxs(editor_->clinician)),
                  1);
}

wxString MainFrame::clinician_status() const {
    return GetStatusBar() ? GetStatusBar()->GetStatusText(1) : wxString();
}

void MainFrame::about() {
    wxAboutDialogInfo info;
    info.SetName("MyoScreen");
    info.SetVersion(MYOSCREEN_VERSION);
    info.SetDescription(wxString::Format(
        _("A guided assessment of persistent muscle pain: body chart, red-flag screen, scores "
          "and reports.\nRules %s, form %s. Decision support only: the clinician decides."),
        wxs(defs_.rules.version), wxs(defs_.form.version)));
    wxAboutBox(info, this);
}

void MainFrame::shortcuts_help() {
    wxMessageBox(_("Keyboard shortcuts\n\n"
                   "Ctrl+N  New patient\n"
                   "Ctrl+F  Find a patient\n"
                   "Ctrl+Shift+A  New assessment for the selected patient\n"
                   "Ctrl+Shift+F  New follow-up (pre-filled from the last visit)\n"
                   "Ctrl+S  Save the draft now (it is also saved after every change)\n"
                   "Ctrl+P  Referral PDF;  Ctrl+Shift+P  Handout PDF\n"
                   "Ctrl+1 / Ctrl+2 / Ctrl+3  Patients / Assessment / Summary\n"
                   "Ctrl+4  Progress of the selected patient;  Ctrl+Shift+G  Progress PDF\n"
                   "Ctrl+H  History of changes (audit trail)\n"
                   "Ctrl+PgDn / Ctrl+PgUp  Next / previous step\n"
                   "Ctrl+Shift+E  Acknowledge an emergency red flag\n"
                   "Ctrl+Shift+S  Finalize\n\n"
                   "Red flags: Y = yes, N = no, U = unknown (the next question follows).\n"
                   "Body chart: arrow keys move between areas or points, Space toggles an area or "
                   "cycles a tender point's grade, 0-3 set a grade, Delete clears it."),
                 _("MyoScreen help"), wxOK | wxICON_INFORMATION, this);
}

}  // namespace myo::gui
