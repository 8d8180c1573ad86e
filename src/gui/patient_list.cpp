#include "gui/patient_list.hpp"

#include <wx/intl.h>

#include <algorithm>

#include "core/describe.hpp"
#include "gui/patient_search.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

namespace {

// Pages kept besides the first: scrolling back and forth stays in memory, and a long fling
// through 100,000 rows does not keep them all.
constexpr std::size_t kCachedPages = 40;

}  // namespace

PatientListCtrl::PatientListCtrl(wxWindow* parent, const Definitions& defs)
    : wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                 wxLC_REPORT | wxLC_SINGLE_SEL | wxLC_VIRTUAL),
      defs_(defs) {
    // The row's text names the urgency; the colour (4.5:1 on white) only draws the eye.
    emergency_.SetTextColour(urgency_colours(Urgency::Emergency).back);
    urgent_.SetTextColour(urgency_colours(Urgency::Urgent).back);
}

void PatientListCtrl::show(std::size_t count, std::vector<store::PatientSummary> first,
                           Fetch fetch) {
    // Selection and focus belong to the old rows: clear them before the count changes.
    for (long sel = GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); sel >= 0;
         sel = GetNextItem(sel, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED)) {
        SetItemState(sel, 0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    }
    fetch_ = std::move(fetch);
    count_ = count;
    ++shown_;  // pages still on their way belong to the old rows
    asked_.clear();
    pages_.clear();
    read_error_.clear();
    for (std::size_t i = 0; i < first.size(); i += kPatientPageRows) {
        auto& page = pages_[i / kPatientPageRows];
        for (std::size_t k = i; k < first.size() && k < i + kPatientPageRows; ++k) {
            page.push_back(std::move(first[k]));
        }
    }
    SetItemCount(static_cast<long>(count));
    if (count > 0) {
        EnsureVisible(0);
    }
    Refresh();
}

const store::PatientSummary* PatientListCtrl::row(long index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= count_) {
        return nullptr;
    }
    const auto i = static_cast<std::size_t>(index);
    const std::size_t page = i / kPatientPageRows;
    auto it = pages_.find(page);
    if (it == pages_.end()) {
        if (!fetch_ || asked_.count(page) > 0) {
            return nullptr;  // on its way: the row says "Loading..."
        }
        if (pages_.size() > kCachedPages) {
            // Keep the first page (the search's, and what Home shows); drop the rest.
            auto first = pages_.extract(0);
            pages_.clear();
            if (!first.empty()) {
                pages_.insert(std::move(first));
            }
        }
        asked_.insert(page);
        // The pages are a cache of what the list shows: filling it is no change to the list,
        // hence row() const; the answer comes back to this same control.
        auto* self = const_cast<PatientListCtrl*>(this);
        const std::uint64_t shown = shown_;
        fetching_ = true;
        fetch_(page * kPatientPageRows, kPatientPageRows,
               [self, shown, page](Rows rows, std::string error) {
                   self->page_arrived(shown, page, std::move(rows), std::move(error));
               });
        fetching_ = false;
        it = pages_.find(page);
        if (it == pages_.end()) {
            return nullptr;
        }
    }
    const std::size_t k = i % kPatientPageRows;
    return k < it->second.size() ? &it->second[k] : nullptr;
}

bool PatientListCtrl::loading(long index) const {
    return index >= 0 && asked_.count(static_cast<std::size_t>(index) / kPatientPageRows) > 0;
}

void PatientListCtrl::page_arrived(std::uint64_t shown, std::size_t page, Rows rows,
                                   std::string error) {
    if (shown != shown_) {
        return;  // for rows shown before: the list has moved on
    }
    asked_.erase(page);
    if (!error.empty()) {
        read_error_ = error;
    }
    pages_[page] = std::move(rows);
    if (fetching_) {
        return;  // answered inside row(): the row being painted shows it already
    }
    const auto first = static_cast<long>(page * kPatientPageRows);
    const long last =
        std::min(static_cast<long>(count_), first + static_cast<long>(kPatientPageRows)) - 1;
    if (first <= last) {
        RefreshItems(first, last);
        if (on_rows_arrived) {
            on_rows_arrived(first, last);
        }
    }
}

long PatientListCtrl::loaded_row_of(const std::string& patient_id) const {
    for (const auto& [page, rows] : pages_) {
        for (std::size_t k = 0; k < rows.size(); ++k) {
            if (rows[k].patient.id == patient_id) {
                return static_cast<long>(page * kPatientPageRows + k);
            }
        }
    }
    return -1;
}

void PatientListCtrl::select_row(long index) {
    if (index < 0 || index >= GetItemCount()) {
        return;
    }
    SetItemState(index, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                 wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    EnsureVisible(index);
}

wxString PatientListCtrl::OnGetItemText(long item, long column) const {
    const store::PatientSummary* s = row(item);
    if (!s && loading(item)) {
        // Issue 14: the page is on its way from the server.
        return column == 0 ? wxString(_("Loading...")) : wxString();
    }
    if (!s) {
        // The store refused this page (the error is in the status line): say so in the row.
        return column == 0 ? wxString(_("(could not be read)")) : wxString();
    }
    switch (column) {
        case 0:
            return wxs(s->patient.name);
        case 1:
            return wxs(s->patient.id);
        case 2:
            return wxs(s->patient.birth_date);
        case 3:
            return s->age ? wxString::Format("%d", *s->age) : wxString("-");
        case 4:
            return wxString::Format("%d", s->visits);
        case 5:
            return s->last_visit ? wxs(*s->last_visit) : wxString("-");
        case 6:
            return s->last_urgency ? wxs(urgency_label(defs_, *s->last_urgency)) : wxString("-");
        default:
            return wxString();
    }
}

wxListItemAttr* PatientListCtrl::OnGetItemAttr(long item) const {
    const store::PatientSummary* s = row(item);
    if (s && s->last_urgency == Urgency::Emergency) {
        return &emergency_;
    }
    if (s && s->last_urgency == Urgency::Urgent) {
        return &urgent_;
    }
    return nullptr;
}

}  // namespace myo::gui
