#pragma once
// The patients page: a search box (name or id, ignoring case and accents, done by the store),
// the list of patients, the selected patient's visits with their key figures, and the buttons
// to open a visit or start a new assessment or follow-up.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <wx/panel.h>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

class wxTextCtrl;
class wxListCtrl;
class wxButton;
class wxStaticText;

namespace myo::store {
class Store;
struct AssessmentInfo;
struct PatientSummary;
}  // namespace myo::store

namespace myo::gui {

class PatientPanel : public wxPanel {
  public:
    PatientPanel(wxWindow* parent, const Definitions& defs, store::Store& store);

    void reload();
    void focus_search();
    void select_patient(const std::string& patient_id);
    std::optional<Patient> selected_patient() const;
    std::optional<std::int64_t> selected_visit() const;
    // The newest stored assessment of the selected patient (for a follow-up).
    std::optional<std::int64_t> latest_visit() const;
    long patient_count() const;
    long visit_count() const;

    std::function<void(std::int64_t)> on_open;
    std::function<void()> on_new_patient;
    std::function<void(const Patient&, bool follow_up)> on_new_assessment;
    std::function<void(const Patient&)> on_progress;
    // The audit trail of the patient, or of the selected visit's assessment.
    std::function<void(const Patient&, std::optional<std::int64_t> assessment)> on_history;

    wxTextCtrl* search() const { return search_; }
    wxListCtrl* patients() const { return patients_; }
    wxListCtrl* visits() const { return visits_; }
    wxButton* progress_button() const { return progress_; }
    wxButton* history_button() const { return history_; }

  private:
    void load_visits();
    void update_buttons();

    const Definitions& defs_;
    store::Store& store_;
    wxTextCtrl* search_ = nullptr;
    wxListCtrl* patients_ = nullptr;
    wxListCtrl* visits_ = nullptr;
    wxStaticText* visits_label_ = nullptr;
    wxButton* open_ = nullptr;
    wxButton* new_assessment_ = nullptr;
    wxButton* follow_up_ = nullptr;
    wxButton* progress_ = nullptr;
    wxButton* history_ = nullptr;
    std::vector<Patient> shown_patients_;
    std::vector<std::int64_t> shown_visits_;
};

}  // namespace myo::gui
