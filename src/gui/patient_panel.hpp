#pragma once
// The patients page: a search box (name or id, ignoring case and accents, done by the store),
// the list of patients with their count, the selected patient's visits with their key figures,
// and the buttons to open a visit or start a new assessment or follow-up.
//
// The list is virtual (gui/patient_list): only the rows on screen are read. What is typed in
// the box is searched on a worker thread (gui/patient_search), so a keystroke never waits for
// the store; until the newest search's rows arrive the list is empty and says it is searching:
// it never shows the rows of an older search than the box's text.
//
// Issue 14: on a clinic server every read (the search, a reload, the pages painted as the list
// scrolls, the selected patient's visits, where a patient stands in the list) goes through the
// window's read StoreWorker (gui/store_reads): the window stays usable while the server is
// slow or gone, rows on their way say "Loading...", the labels say what is awaited, and an
// answer for a list or a patient the user has left is dropped. On a SQLite file the same calls
// run at once (store_reads.hpp says why).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/panel.h>
#include <wx/timer.h>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

class wxTextCtrl;
class wxListCtrl;
class wxButton;
class wxStaticText;
class wxListEvent;

namespace myo::store {
class Store;
struct AssessmentInfo;
struct PatientSummary;
}  // namespace myo::store

namespace myo::gui {

class PatientListCtrl;
class StoreReads;
class PatientSearchWorker;
class StoreWorker;
struct PatientPage;

class PatientPanel : public wxPanel {
  public:
    // `reads`: the window's read worker on a clinic server, null for a SQLite file.
    PatientPanel(wxWindow* parent, const Definitions& defs, store::Store& store,
                 StoreWorker* reads = nullptr);
    ~PatientPanel() override;

    // Reads the list for the box's text now (after a change to the store), keeping the
    // selected patient selected. A search on its way is dropped.
    void reload();
    void focus_search();
    void select_patient(const std::string& patient_id);
    std::optional<Patient> selected_patient() const;
    std::optional<std::int64_t> selected_visit() const;
    // The newest stored assessment of the selected patient (for a follow-up).
    std::optional<std::int64_t> latest_visit() const;
    // Rows in the list (a search's count stops at kSearchCountCap).
    long patient_count() const;
    long visit_count() const;
    // "100,000 patients", "12 patients match 'ana'", "Searching for 'ana'...".
    wxString count_text() const;
    // "Visits of Zoë", "Visits of Zoë: loading...", "Visits (choose a patient)".
    wxString visits_text() const;
    // A search typed in the box whose rows have not arrived yet.
    bool search_pending() const { return pending_; }
    // The search whose rows the list shows: the box's text, or while a search is pending
    // the one before it (for kStaleRowsMs at most, then none: nullopt).
    std::optional<std::string> shown_search() const {
        return stale_blanked_ ? std::nullopt : std::optional<std::string>(shown_search_);
    }
    // Tests only: the worker's searches take this long.
    void slow_down_search_for_test(std::chrono::milliseconds delay);

    std::function<void(std::int64_t)> on_open;
    std::function<void()> on_new_patient;
    std::function<void(const Patient&, bool follow_up)> on_new_assessment;
    std::function<void(const Patient&)> on_progress;
    // The audit trail of the patient, or of the selected visit's assessment.
    std::function<void(const Patient&, std::optional<std::int64_t> assessment)> on_history;

    wxTextCtrl* search() const { return search_; }
    wxListCtrl* patients() const;
    PatientListCtrl* patient_list() const { return patients_; }
    wxListCtrl* visits() const { return visits_; }
    wxButton* progress_button() const { return progress_; }
    wxButton* new_patient_button() const { return new_patient_; }
    wxButton* new_assessment_button() const { return new_assessment_; }
    wxButton* follow_up_button() const { return follow_up_; }
    wxButton* history_button() const { return history_; }

  private:
    void search_typed();
    // A search pending for kStaleRowsMs: the rows of the previous one go, "searching" shows.
    void blank_stale_rows();
    // Reads the list for `text` as search `generation` (through reads_); its rows then go to
    // show_page with `keep`.
    void request_page(std::uint64_t generation, const std::string& text, const std::string& keep,
                      bool find_keep);
    // Shows a search's rows unless a newer search was asked since; `keep` is selected if shown
    // among the rows read, or, with `find_keep`, wherever it stands in the list.
    void show_page(PatientPage page, const std::string& keep, bool find_keep);
    // The row of a patient in the list shown now (nullopt: not in it); `found` is not called
    // when the list moved on before the answer came.
    void find_row(const std::string& patient_id, std::function<void(std::optional<long>)> found);
    void load_visits();
    void show_visits(const wxString& name, const std::vector<store::AssessmentInfo>& history,
                     const std::string& error);
    void update_buttons();

    const Definitions& defs_;
    store::Store& store_;
    wxTextCtrl* search_ = nullptr;
    wxStaticText* count_label_ = nullptr;
    PatientListCtrl* patients_ = nullptr;
    wxListCtrl* visits_ = nullptr;
    wxStaticText* visits_label_ = nullptr;
    wxButton* new_patient_ = nullptr;
    wxButton* open_ = nullptr;
    wxButton* new_assessment_ = nullptr;
    wxButton* follow_up_ = nullptr;
    wxButton* progress_ = nullptr;
    wxButton* history_ = nullptr;
    std::vector<std::int64_t> shown_visits_;
    // Every search (typed or reloaded) gets the next number; a result of another is dropped.
    std::uint64_t generation_ = 0;
    bool pending_ = false;
    wxTimer stale_timer_;
    bool visits_of_patient_ = false;  // the visit list shows someone's (or "choose a patient")
    std::string typed_keep_;          // the patient selected when the search was typed
    std::string shown_search_;        // the search whose rows the list shows
    bool shown_complete_ = false;
    bool stale_blanked_ = false;  // a pending search emptied the list (blank_stale_rows)
    // Declared last: destroyed first, so no search result arrives for a half-destroyed panel.
    std::unique_ptr<PatientSearchWorker> worker_;  // a SQLite file's searches
    // Every request for the visits gets the next number; an answer for another is dropped.
    std::uint64_t visits_serial_ = 0;
    std::unique_ptr<StoreReads> reads_;
};

}  // namespace myo::gui
