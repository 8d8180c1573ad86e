#pragma once
// The patient list as a virtual wxListCtrl: it holds no rows of its own and asks for the rows it
// paints, so 100,000 patients cost what the 20 on screen cost. Rows are read from the store a
// page at a time (`fetch`) and kept in a small cache; the first page comes with the search.
// A page may arrive later (issue 14: on a clinic server it is read on the window's StoreWorker):
// its rows say "Loading..." meanwhile, and a page asked for the rows of an earlier show() is
// dropped when it comes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <wx/listctrl.h>

#include "core/definitions.hpp"
#include "store/store.hpp"

namespace myo::gui {

class PatientListCtrl : public wxListCtrl {
  public:
    using Rows = std::vector<store::PatientSummary>;
    // Called once with the rows read, or with the store's refusal (rows empty); at once (inside
    // the fetch) or later, on the GUI thread.
    using Fetched = std::function<void(Rows rows, std::string error)>;
    // Reads `limit` rows from `offset` in the list's order, answering through `done`.
    using Fetch = std::function<void(std::size_t offset, std::size_t limit, Fetched done)>;

    PatientListCtrl(wxWindow* parent, const Definitions& defs);

    // Shows `count` rows: `first` are rows 0.. (all of them when it has `count`), the others
    // come from `fetch` as they are painted. Selection and scrolling start afresh.
    void show(std::size_t count, std::vector<store::PatientSummary> first, Fetch fetch);
    // The row's patient, read if needed; nullptr past the end, while its page is on its way
    // (loading()) or when the store refused.
    const store::PatientSummary* row(long index) const;
    // Whether the row's page has been asked for and has not arrived yet.
    bool loading(long index) const;
    // Called when a page that came later has been shown (the rows from `first` to `last`).
    std::function<void(long first, long last)> on_rows_arrived;
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
    // A page's answer: kept (and its rows repainted) if it is for the rows shown now.
    void page_arrived(std::uint64_t shown, std::size_t page, Rows rows, std::string error);

    const Definitions& defs_;
    Fetch fetch_;
    std::size_t count_ = 0;
    // Page number -> its rows (kPatientPageRows each).
    mutable std::map<std::size_t, std::vector<store::PatientSummary>> pages_;
    // Pages asked for whose rows have not come yet.
    mutable std::set<std::size_t> asked_;
    // Which show() the rows belong to: a page fetched for an earlier one is dropped.
    std::uint64_t shown_ = 0;
    // Inside row()'s own fetch: an answer given at once needs no repaint (it is being painted).
    mutable bool fetching_ = false;
    mutable std::string read_error_;
    mutable wxListItemAttr emergency_;
    mutable wxListItemAttr urgent_;
};

}  // namespace myo::gui
