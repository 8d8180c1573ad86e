#pragma once
// "History of changes" (issue 7): the audit trail of one patient, or of one of their
// assessments, read from the store: when (UTC), who (clinician and OS account), what happened,
// to which record, and the store's summary.

#include <cstdint>
#include <optional>
#include <string>

#include <wx/dialog.h>

class wxListCtrl;
class wxCheckBox;
class wxStaticText;

namespace myo::store {
class Store;
}

namespace myo::gui {

class HistoryDialog : public wxDialog {
  public:
    // With `assessment`, the list starts filtered to it (a check box shows the whole patient).
    HistoryDialog(wxWindow* parent, store::Store& store, const std::string& patient_id,
                  const std::string& patient_name,
                  std::optional<std::int64_t> assessment = std::nullopt);

    wxListCtrl* list() const { return list_; }
    wxCheckBox* only_assessment() const { return only_; }
    // Every row's cells, tab-separated, one line per row (what a test or screen reader reads).
    wxString text() const;
    void fill();

  private:
    store::Store& store_;
    std::string patient_id_;
    std::optional<std::int64_t> assessment_;
    wxListCtrl* list_ = nullptr;
    wxCheckBox* only_ = nullptr;
    wxStaticText* count_ = nullptr;
};

}  // namespace myo::gui
