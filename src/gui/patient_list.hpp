#pragma once
// The patient list as a virtual wxListCtrl: it holds no rows of its own and asks for the rows it
// paints, so 100,000 patients cost what the 20 on screen cost. Rows are read from the store a
// page at a time (`fetch`) and kept in a small cache; the first page comes with the search.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <wx/listctrl.h>

#include "core/definitions.hpp"
#include "store/store.hpp"

namespace myo::gui {

class PatientListCtrl : public wxListCtrl {
  public:
    // Reads `limit` rows from `offset` in the list's order.
    using Fetch =
        std::function<std::vector<store::PatientSummary>(std::size_t offset, std::size_t limit)>;

    PatientListCtrl(wxWindow* parent, const Definitions& defs);

    // Shows `count` rows: `first` are rows 0.. (all of them when it has `count`), the others
    // come from `fetch` as they are painted. Selection and scrolling start afresh.
    void show(std::size_t count, std::vector<store::PatientSummary> first, Fetch fetch);
    // The row's patient, read if needed; nullptr past the end or when the store refused.
    const store::PatientSummary* row(long index) const;
    // The row of a patient among the rows read so far, or -1.
    long loaded_row_of(const std::string& patient_id) const;
    // Moves the selection and focus to `index` and scrolls it into view.
    void select_row(long index);
    // The store's refusal while reading a page, or empty.
    const std::string& read_error() const { return read_error_; }

  protected:
    wxString OnGetItemText(long item, long column) const override;
    wxListItemAttr* OnGetItemAttr(long item) const override;

  private:
    const Definitions& defs_;
    Fetch fetch_;
    std::size_t count_ = 0;
    // Page number -> its rows (kPatientPageRows each).
    mutable std::map<std::size_t, std::vector<store::PatientSummary>> pages_;
    mutable std::string read_error_;
    mutable wxListItemAttr emergency_;
    mutable wxListItemAttr urgent_;
};

}  // namespace myo::gui
