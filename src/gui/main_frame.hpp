#pragma once
// The main window: the patients page and the assessment page in one frame, the menus with
// their keyboard shortcuts, About, Preferences, and the remembered size and position.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <wx/frame.h>
#include <wx/timer.h>

#include "core/assessment.hpp"
#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "gui/app_options.hpp"
#include "store/store_types.hpp"

class wxSimplebook;

namespace myo::store {
class Store;
}

namespace myo::gui {

class PatientPanel;
class AssessmentEditor;
class ProgressView;
class ClinicLink;
class StoreWorker;
struct Preferences;
struct StartupReads;

class MainFrame : public wxFrame {
  public:
    // `read`: what the start already read from a clinic server on its worker (open_store_or_ask);
    // without it the window reads the session and the settings itself (a file: local reads).
    MainFrame(const Definitions& defs, const BodyChart* chart, store::Store& store,
              const AppOptions& options, const StartupReads* read = nullptr);
    ~MainFrame() override;

    PatientPanel* patients() const { return patients_; }
    AssessmentEditor* editor() const { return editor_; }
    ProgressView* progress() const { return progress_; }

    void show_patients();
    void show_assessment();
    bool showing_assessment() const;
    bool showing_progress() const;
    // The Progress view of the selected patient (Ctrl+4); says why when it cannot be shown.
    void show_progress();
    // "History of changes" of the selected patient, or of the open / selected assessment.
    void show_history();
    // File > Delete patient...: the confirmation dialog for the selected patient.
    void delete_patient();
    // Issue 7: today's verified backup, taken on a worker thread so the window is usable at
    // once; the outcome goes to the status bar (and a dialog if it failed).
    void start_daily_backup();
    // Blocks until the backup thread has finished (tests; the destructor).
    void wait_for_backup();
    // What the last backup attempt said ("" while none finished).
    const wxString& backup_status() const { return backup_status_; }
    // "New patient": the dialog, then the new patient selected in the list.
    void new_patient();
    void new_assessment(const Patient& p, bool follow_up);
    // The editor on `a` (a new visit, or a follow-up from the last one), signed by the clinician.
    void start_assessment(Assessment a, const std::map<std::string, std::vector<Json>>& entries);
    void open_assessment(std::int64_t id);
    void preferences();
    // "Who is using MyoScreen?" (ClinicianDialog): the name and clinic go to the settings
    // (the letterhead and the audit trail's clinician). Returns true when a name is set.
    bool sign_in(const wxString& why);
    // The status bar's second field: "Clinician: Dr X", or that nobody is signed in.
    wxString clinician_status() const;
    void about();
    void shortcuts_help();

    // On a clinic server: who is signed in to which database (nullopt for a file).
    const std::optional<store::ServerSession>& session() const { return session_; }
    // The worker for leases and live changes (a clinic server, writable), else null.
    ClinicLink* clinic_link() const { return link_.get(); }
    // Issue 14: the worker for the window's reads on a clinic server (the patient list, its
    // pages, the visits), null for a file. Its busy state is the status bar's "Waiting for the
    // server..." (waiting_for_server_text()).
    StoreWorker* read_worker() const { return reads_.get(); }
    // The worker for the window's own writes outside the editor on a clinic server (a new
    // patient, a deletion, the clinic's settings, the baseline mark, an output's trail row):
    // a writable session of its own; null for a file or a read-only window (nothing to write,
    // or a file's write is local).
    StoreWorker* write_worker() const { return writes_.get(); }
    static wxString waiting_for_server_text();

    // Why nothing can be changed in this window, or empty when it can.
    wxString read_only_reason() const;

    // The menu command whose shortcut the key event is, if any (enabled items only).
    std::optional<int> shortcut_command(const wxKeyEvent& e) const;

  private:
    void build_menus();
    // Issue 11: every menu shortcut works from any focus. Under GTK the focused control sees a
    // key before the menu does, so the Find box took Ctrl+Shift+A ("unselect") and the patient
    // list Ctrl+F; the frame's char hook runs first and sends the menu command itself.
    void collect_shortcuts(wxMenuBar* bar);
    // Whether the open assessment belongs to the patient selected on the patients page (or
    // no patient is selected); otherwise says so in the status bar and returns false, so a
    // step key never switches silently to another patient's record.
    bool open_assessment_is_selected_patient();
    void update_title();
    // Issue 14: a read-only window (another MyoScreen writes, or a readonly login) disables
    // every menu item, and so every shortcut, that would write.
    void disable_writing_commands();
    // Issue 14 (a clinic server): the lease of the open draft and the changes made elsewhere,
    // through ClinicLink's worker thread.
    void start_clinic_link();
    void changes_elsewhere(const std::vector<store::ChangeNote>& notes);
    void update_clinician_status();
    // When the store is read-only: says so in the status bar and returns true.
    bool refuse_read_only();
    void backup_finished(bool failed, const std::string& text);
    // The status bar after the clinician moved to another page: a message about something
    // just done ("Added Zoë...") is gone; what is still true (read-only, a failed backup)
    // stays.
    void context_changed();

    const Definitions& defs_;
    store::Store& store_;
    AppOptions options_;
    wxSimplebook* book_ = nullptr;
    PatientPanel* patients_ = nullptr;
    AssessmentEditor* editor_ = nullptr;
    ProgressView* progress_ = nullptr;
    struct Shortcut {
        int modifiers;  // wxMOD_CONTROL | wxMOD_SHIFT | wxMOD_ALT
        int key;        // a wxKeyCode or an upper-case ASCII character
        int command;
    };
    std::vector<Shortcut> shortcuts_;
    std::optional<store::ServerSession> session_;
    std::unique_ptr<ClinicLink> link_;
    // Issue 14 (i14-reads): see read_worker(); the status text a wait replaced, put back after.
    std::unique_ptr<StoreWorker> reads_;
    std::unique_ptr<StoreWorker> writes_;
    wxString status_before_wait_;
    void start_read_worker();
    void start_write_worker();
    // Preferences' dialog once the clinic's settings are read (`read_failed`: why they are
    // not shown).
    void show_preferences(Preferences p, const wxString& read_failed);
    void waiting_for_server(bool busy);
    // Changes announced together are shown with one reload of the lists.
    wxTimer reload_soon_;
    std::thread backup_thread_;
    wxString backup_status_;
    bool backup_failed_ = false;
};

}  // namespace myo::gui
