#pragma once
// The main window: the patients page and the assessment page in one frame, the menus with
// their keyboard shortcuts, About, Preferences, and the remembered size and position.

#include <cstdint>
#include <string>

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

class MainFrame : public wxFrame {
  public:
    MainFrame(const Definitions& defs, const BodyChart* chart, store::Store& store,
              const AppOptions& options);

    PatientPanel* patients() const { return patients_; }
    AssessmentEditor* editor() const { return editor_; }

    void show_patients();
    void show_assessment();
    bool showing_assessment() const;
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

    const Definitions& defs_;
    store::Store& store_;
    AppOptions options_;
    wxSimplebook* book_ = nullptr;
    PatientPanel* patients_ = nullptr;
    AssessmentEditor* editor_ = nullptr;
};

}  // namespace myo::gui
