#pragma once
// The Progress view (issue 6), a page of the main window: for a patient with two or more final
// visits, every measure at baseline, previous and latest visit with its change and whether it
// is clinically important (in words), line charts across all visits, the baseline and latest
// body charts side by side with the areas that are new, resolved or unchanged, the choice of
// baseline and the Progress PDF. All of it is core's Comparison (gui/model/progress_model).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/panel.h>

#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "gui/model/progress_model.hpp"

class wxButton;
class wxChoice;
class wxListCtrl;
class wxNotebook;
class wxScrolledWindow;
class wxStaticText;
class wxBoxSizer;

namespace myo::store {
class Store;
}

namespace myo::gui {

class AssessmentModel;
class BodyChartCtrl;
class ProgressChart;
class StoreReads;
class StoreWorker;

class ProgressView : public wxPanel {
  public:
    // `reads` / `writes` (issue 14): the window's workers on a clinic server, null for a file
    // (gui/store_reads): the visits, the baseline mark and the PDF's letterhead and trail row
    // never wait on the GUI thread.
    ProgressView(wxWindow* parent, const Definitions& defs, const BodyChart* chart,
                 store::Store& store, StoreWorker* reads = nullptr, StoreWorker* writes = nullptr);
    ~ProgressView() override;

    // Loads the patient's final visits. With fewer than two the view says so and returns false.
    // On a clinic server the visits come later: it says "Reading the visits..." meanwhile
    // (loading()) and returns true.
    bool show_patient(const std::string& patient_id);
    void reload();
    // A change announced by the clinic server (issue 14: a visit finalised in room 2): reads the
    // patient's final visits and baseline again and rebuilds the view only when they differ
    // from what it shows (a draft saved elsewhere changes nothing here, and the person's tab
    // and selection stay). Returns whether it was rebuilt.
    bool refresh_if_changed();
    // A read of the visits (show_patient, reload, refresh_if_changed) has not been answered yet.
    bool loading() const { return loading_; }
    // Marks visit `index` (of model()->visits()) as the baseline; nullopt goes back to the first
    // visit. Stored through the store (audited there) and shown at once.
    bool mark_baseline(std::optional<std::size_t> index);
    // Writes the progress report into `dir` (default: the report folder) and opens it unless
    // told not to. Returns the file, or nullopt with the error shown. On a clinic server the
    // letterhead is read first: nullopt, and the status line says "Wrote ..." when it is done
    // (or why not).
    std::optional<std::string> write_pdf(const std::string& dir = {});

    const ProgressModel* model() const { return model_.get(); }
    const std::string& patient_id() const { return patient_id_; }

    std::function<void()> on_back;
    // After the visits read by show_patient / reload / refresh_if_changed are shown (at once
    // on a file, when the server answers on a clinic server).
    std::function<void()> on_loaded;
    std::function<void(const std::string& patient_id)> on_history;
    std::string report_dir;
    bool open_viewer = true;

    // For tests and screenshots.
    wxListCtrl* table() const { return table_; }
    wxChoice* baseline_choice() const { return choice_; }
    wxButton* mark_button() const { return mark_; }
    wxButton* first_button() const { return first_; }
    wxButton* pdf_button() const { return pdf_; }
    wxNotebook* notebook() const { return book_; }
    const std::vector<ProgressChart*>& charts() const { return charts_; }
    // A table cell's text (row as in model()->rows(), column as in the header).
    wxString cell(long row, int column) const;
    // The table row of a measure id, or -1.
    long row_of(const std::string& measure_id) const;
    wxString status_text() const;
    wxString areas_text() const;
    // The selected measure in full, with its threshold and source.
    wxString details_text() const;
    // A row's measure in full with its unit (the row's tooltip), "" for no row.
    wxString full_label(long row) const;

  private:
    void fill();
    void fill_table();
    void fit_columns();
    void show_details(long row);
    void fill_charts();
    void fill_body_charts();
    void update_buttons();
    void set_status(const wxString& text, bool error = false);

    const Definitions& defs_;
    const BodyChart* chart_;
    store::Store& store_;
    std::string patient_id_;
    std::unique_ptr<ProgressModel> model_;
    // What the view was built from: the final versions' ids and the baseline mark.
    std::vector<std::int64_t> shown_ids_;
    std::optional<std::int64_t> shown_baseline_;
    // reload() and refresh_if_changed(): `only_if_changed` keeps the view when nothing differs.
    bool load(bool only_if_changed);
    // What load() read, on the GUI thread.
    struct Visits;
    bool show_visits(Visits read, const wxString& failed, bool only_if_changed);
    // "Wrote <path>." and the PDF's row in the trail (on the write worker).
    void record_output(const std::string& path, const std::string& patient_id);

    std::unique_ptr<StoreReads> reads_;
    std::unique_ptr<StoreReads> writes_;
    std::uint64_t load_serial_ = 0;
    bool loading_ = false;
    // "Baseline marked: ..." waiting for the visits read again after the mark.
    wxString pending_status_;
    // Answers after the view is gone are dropped (HistoryDialog's way).
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

    wxStaticText* title_ = nullptr;
    wxStaticText* heading_ = nullptr;
    wxStaticText* note_ = nullptr;
    wxChoice* choice_ = nullptr;
    wxButton* mark_ = nullptr;
    wxButton* first_ = nullptr;
    wxNotebook* book_ = nullptr;
    wxListCtrl* table_ = nullptr;
    wxStaticText* details_ = nullptr;
    wxScrolledWindow* chart_page_ = nullptr;
    std::vector<ProgressChart*> charts_;
    wxPanel* body_page_ = nullptr;
    wxStaticText* baseline_label_ = nullptr;
    wxStaticText* latest_label_ = nullptr;
    wxBoxSizer* body_sizer_ = nullptr;
    BodyChartCtrl* baseline_chart_ = nullptr;
    BodyChartCtrl* latest_chart_ = nullptr;
    std::unique_ptr<AssessmentModel> baseline_model_;
    std::unique_ptr<AssessmentModel> latest_model_;
    wxListCtrl* areas_ = nullptr;
    wxButton* pdf_ = nullptr;
    wxButton* history_ = nullptr;
    wxButton* back_ = nullptr;
    wxStaticText* status_ = nullptr;
};

}  // namespace myo::gui
