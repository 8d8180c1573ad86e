#pragma once
// The main window: the patients page and the assessment page in one frame, the menus with
// their keyboard shortcuts, About, Preferences, and the remembered size and position.

#include <cstdint>
#include <optional>
#include <string>
#include <thread>

#include <wx/frame.h>

#include "core/assessment.hpp"
#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "gui/app_options.hpp"

class wxSimplebook;

namespace myo::store {
class Store;
}

namespace myo::gui {

class PatientPanel;
class AssessmentEditor;
class ProgressView;

class MainFrame : public wxFrame {
  public:
    MainFrame(const Definitions& defs, const BodyChart* chart, store::Store& store,
              const AppOptions& options);
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
    void open_assessment(std::int64_t id);
    void preferences();
    void about();
    void shortcuts_help();

  private:
    void build_menus();
    void update_title();
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
    std::thread backup_thread_;
    wxString backup_status_;
    bool backup_failed_ = false;
};

}  // namespace myo::gui
