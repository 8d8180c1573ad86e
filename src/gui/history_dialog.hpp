#pragma once
// "History of changes" (issue 7): the audit trail of one patient, or of one of their
// assessments, read from the store: when (UTC), who (clinician and OS account), what happened,
// to which record, and the store's summary.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/dialog.h>

class wxListCtrl;
class wxCheckBox;
class wxStaticText;

namespace myo::store {
class Store;
}

namespace myo::gui {

class StoreReads;
class StoreWorker;
struct HistoryLine;

class HistoryDialog : public wxDialog {
  public:
    // With `assessment`, the list starts filtered to it (a check box shows the whole patient).
    // `reads`: the window's read worker on a clinic server (issue 14: the trail is read off the
    // GUI thread, "Reading the history..." until it comes), null for a file (read at once).
    HistoryDialog(wxWindow* parent, store::Store& store, const std::string& patient_id,
                  const std::string& patient_name,
                  std::optional<std::int64_t> assessment = std::nullopt,
                  StoreWorker* reads = nullptr);
    ~HistoryDialog() override;

    wxListCtrl* list() const { return list_; }
    wxCheckBox* only_assessment() const { return only_; }
    // Every row's cells, tab-separated, one line per row (what a test or screen reader reads).
    wxString text() const;
    // The line under the list: "3 changes", "Reading the history...", or why it could not be.
    wxString count_text() const;
    void fill();

  private:
    void show(const std::vector<HistoryLine>& lines);

    std::unique_ptr<StoreReads> reads_;
    // Answers check it: one that comes after the dialog closed is dropped.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    std::uint64_t fill_serial_ = 0;  // an answer for an earlier fill() is dropped
    std::string patient_id_;
    std::optional<std::int64_t> assessment_;
    wxListCtrl* list_ = nullptr;
    wxCheckBox* only_ = nullptr;
    wxStaticText* count_ = nullptr;
};

}  // namespace myo::gui
