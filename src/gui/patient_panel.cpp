#include "gui/patient_panel.hpp"

#include <stdexcept>

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/numformatter.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "core/describe.hpp"
#include "gui/patient_list.hpp"
#include "gui/patient_search.hpp"
#include "gui/store_reads.hpp"
#include "gui/wx_util.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

// How long the rows of the previous search stay while the next one runs. A keystroke's
// rows arrive in a few ms: emptying the list at each key and filling it again painted it
// twice (a visible flicker, and a third of a keystroke's time on a slow machine). A search
// that takes longer than a glance (a huge store, a slow disk) shows "searching" and no rows.
constexpr int kStaleRowsMs = 100;

wxString opt(const std::optional<int>& v) {
    return v ? wxString::Format("%d", *v) : wxString("-");
}

void add_columns(wxListCtrl* list, std::initializer_list<std::pair<wxString, int>> cols) {
    int i = 0;
    for (const auto& [name, width] : cols) {
        list->InsertColumn(i++, name, wxLIST_FORMAT_LEFT, list->FromDIP(width));
    }
}

}  // namespace

PatientPanel::PatientPanel(wxWindow* parent, const Definitions& defs, store::Store& store,
                           StoreWorker* reads)
    : wxPanel(parent, wxID_ANY),
      defs_(defs),
      store_(store),
      reads_(std::make_unique<StoreReads>(store, reads)) {
    SetName(_("Patients"));
    const int pad = FromDIP(6);
    auto* top = new wxBoxSizer(wxVERTICAL);

    auto* search_row = new wxBoxSizer(wxHORIZONTAL);
    search_row->Add(new wxStaticText(this, wxID_ANY, _("&Find patient (name or id):")),
                    wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    search_ = new wxTextCtrl(this, wxID_ANY);
    search_->SetHint(_("Type to filter, e.g. zoe"));
    search_->SetName(_("Find patient"));
    search_row->Add(search_, wxSizerFlags(1).CenterVertical());
    new_patient_ = new wxButton(this, wxID_ANY, _("New &patient..."));
    search_row->Add(new_patient_, wxSizerFlags().CenterVertical().Border(wxLEFT, pad));
    top->Add(search_row, wxSizerFlags().Expand().Border(wxALL, pad));

    // The list's label carries its count (and what the search matched).
    // Its width is the row's, not its text's: a new count per keystroke then repaints the label
    // alone instead of laying out the whole page again.
    count_label_ = new wxStaticText(this, wxID_ANY, _("Patien&ts"), wxDefaultPosition,
                                    wxDefaultSize, wxST_NO_AUTORESIZE | wxST_ELLIPSIZE_END);
    top->Add(count_label_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, pad));
    patients_ = new PatientListCtrl(this, defs_);
    patients_->SetName(_("Patients"));
    add_columns(patients_, {{_("Name"), 240},
                            {_("Id"), 110},
                            {_("Born"), 100},
                            {_("Age"), 50},
                            {_("Visits"), 60},
                            {_("Last visit"), 100},
                            {_("Urgency"), 110}});
    top->Add(patients_, wxSizerFlags(3).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));

    visits_label_ = new wxStaticText(this, wxID_ANY, _("&Visits"));
    top->Add(visits_label_, wxSizerFlags().Border(wxLEFT, pad));
    visits_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                             wxLC_REPORT | wxLC_SINGLE_SEL);
    visits_->SetName(_("Visits"));
    add_columns(visits_, {{_("Date"), 100},
                          {_("Kind"), 90},
                          {_("Version"), 60},
                          {_("Status"), 110},
                          {_("NRS"), 50},
                          {_("WPI"), 50},
                          {_("FS"), 50},
                          {_("Urgency"), 110}});
    top->Add(visits_, wxSizerFlags(2).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    open_ = new wxButton(this, wxID_ANY, _("&Open visit"));
    new_assessment_ = new wxButton(this, wxID_ANY, _("New &assessment"));
    follow_up_ = new wxButton(this, wxID_ANY, _("New f&ollow-up"));
    buttons->Add(open_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(new_assessment_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(follow_up_, wxSizerFlags().Border(wxRIGHT, pad));
    progress_ = new wxButton(this, wxID_ANY, _("Pro&gress"));
    progress_->SetToolTip(_("Compare the final visits: what changed since the baseline (Ctrl+4)"));
    history_ = new wxButton(this, wxID_ANY, _("&History of changes..."));
    history_->SetToolTip(_("The audit trail of the patient, or of the selected visit"));
    buttons->Add(progress_, wxSizerFlags().Border(wxRIGHT, pad));
    buttons->Add(history_);
    top->Add(buttons, wxSizerFlags().Border(wxALL, pad));
    SetSizer(top);

    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { search_typed(); });
    // Down arrow from the search box goes to the list, as in a web search.
    search_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        const bool to_list = e.GetKeyCode() == WXK_DOWN || e.GetKeyCode() == WXK_RETURN;
        if (to_list && pending_) {
            reload();  // the rows of what is typed, now: Enter acts on the box's text
        }
        if (to_list && patients_->GetItemCount() > 0) {
            patients_->SetFocus();
            patients_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                    wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            return;
        }
        e.Skip();
    });
    patients_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) {
        if (pending_) {
            // A click on a row of the previous search: the box's rows now, keeping the clicked
            // patient selected if the search has them.
            reload();
        }
        load_visits();
    });
    patients_->Bind(wxEVT_LIST_ITEM_DESELECTED, [this](wxListEvent&) { load_visits(); });
    patients_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) {
        if (visits_->GetItemCount() > 0) {
            visits_->SetFocus();
            visits_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                  wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        } else if (auto p = selected_patient(); p && on_new_assessment) {
            on_new_assessment(*p, false);
        }
    });
    visits_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { update_buttons(); });
    visits_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) {
        if (auto v = selected_visit(); v && on_open) {
            on_open(*v);
        }
    });
    new_patient_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (on_new_patient) {
            on_new_patient();
        }
    });
    open_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (auto v = selected_visit(); v && on_open) {
            on_open(*v);
        }
    });
    new_assessment_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (auto p = selected_patient(); p && on_new_assessment) {
            on_new_assessment(*p, false);
        }
    });
    follow_up_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (auto p = selected_patient(); p && on_new_assessment) {
            on_new_assessment(*p, true);
        }
    });
    progress_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (auto p = selected_patient(); p && on_progress) {
            on_progress(*p);
        }
    });
    history_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (auto p = selected_patient(); p && on_history) {
            on_history(*p, selected_visit());
        }
    });
    stale_timer_.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { blank_stale_rows(); });
    patients_->on_rows_arrived = [this](long first, long last) {
        // The selected row's patient has come (selected while its page was on its way).
        const long sel = patients_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
        if (sel >= first && sel <= last) {
            load_visits();
        }
    };
    if (!reads_->deferred()) {
        // A SQLite file: the searches typed run on a thread of their own with a second Store
        // (a one-letter search on 100,000 patients takes several ms). On a server they go to
        // the window's read worker like every other read.
        // The worker's results come back to the GUI thread as an event of this panel.
        worker_ =
            std::make_unique<PatientSearchWorker>(store_.target(), defs_, [this](PatientPage page) {
                CallAfter([this, page = std::move(page)]() mutable {
                    show_page(std::move(page), typed_keep_, false);
                });
            });
    }
    reload();
}

PatientPanel::~PatientPanel() {
    worker_.reset();  // joins the thread: nothing more is queued for this panel
}

wxListCtrl* PatientPanel::patients() const {
    return patients_;
}

void PatientPanel::focus_search() {
    search_->SetFocus();
    search_->SelectAll();
}

long PatientPanel::patient_count() const {
    return patients_->GetItemCount();
}
long PatientPanel::visit_count() const {
    return visits_->GetItemCount();
}

wxString PatientPanel::count_text() const {
    return count_label_->GetLabelText();
}

wxString PatientPanel::visits_text() const {
    return visits_label_->GetLabelText();
}

void PatientPanel::reload() {
    std::string keep = selected_patient() ? selected_patient()->id : std::string();
    const std::uint64_t generation = ++generation_;
    if (reads_->deferred()) {
        // The rows stay until the new ones come (a reload is the same search, read again);
        // the patient to keep is the one selected when they come.
        pending_ = true;
        typed_keep_ = keep;
    }
    request_page(generation, u8(search_->GetValue()), keep, true);
}

void PatientPanel::request_page(std::uint64_t generation, const std::string& text,
                                const std::string& keep, bool find_keep) {
    reads_->call<PatientPage>(
        [text](store::Store& s) { return run_patient_search(s, text, kPatientPageRows); },
        [this, generation, text, keep, find_keep](StoreReply<PatientPage> reply) {
            if (reply.superseded) {
                return;  // a newer search is on its way
            }
            PatientPage page;
            if (reply.ok()) {
                page = std::move(*reply.value);
            } else {
                page.search = text;
                page.error = read_failure(reply);
            }
            page.generation = generation;
            if (!page.error.empty() && !reads_->deferred() && page.generation == generation_) {
                // A file that refuses a read is rare and serious: a dialog. On a server the
                // list's label says it (the server may be back a moment later).
                show_error(this, _("The patient list could not be read."),
                           std::runtime_error(page.error));
            }
            // A reload keeps the patient selected when its rows come (a search typed since
            // then keeps the one selected when it was typed).
            show_page(std::move(page), reads_->deferred() ? typed_keep_ : keep, find_keep);
        },
        "patient-search");
}

void PatientPanel::search_typed() {
    const std::uint64_t generation = ++generation_;
    const std::string text = u8(search_->GetValue());
    auto selected = selected_patient();
    typed_keep_ = selected ? selected->id : std::string();
    if (!reads_->deferred() && (!worker_ || !worker_->usable())) {
        reload();  // no second Store for this file: search here, as before
        return;
    }
    // The list keeps the previous search's rows until these arrive (or kStaleRowsMs pass).
    pending_ = true;
    if (!stale_timer_.IsRunning()) {
        stale_timer_.StartOnce(kStaleRowsMs);
    }
    if (reads_->deferred()) {
        request_page(generation, text, typed_keep_, false);  // keyed: replaces one waiting
    } else {
        worker_->search(generation, text);
    }
}

void PatientPanel::blank_stale_rows() {
    if (!pending_) {
        return;
    }
    count_label_->SetLabel(wxString::Format(_("Patien&ts: searching for '%s'..."),
                                            wxControl::EscapeMnemonics(search_->GetValue())));
    stale_blanked_ = true;
    shown_complete_ = true;
    patients_->show(0, {}, {});
    if (visits_of_patient_) {
        load_visits();  // the visits of no one
    }
}

void PatientPanel::slow_down_search_for_test(std::chrono::milliseconds delay) {
    if (worker_) {
        worker_->slow_down_for_test(delay);
    }
}

void PatientPanel::show_page(PatientPage page, const std::string& keep, bool find_keep) {
    if (page.generation != generation_) {
        return;  // an older search than the box's text
    }
    if (page.worker_unusable) {
        reload();  // the worker could not open the file: read it here
        return;
    }
    pending_ = false;
    stale_timer_.Stop();
    stale_blanked_ = false;
    shown_search_ = page.search;
    shown_complete_ = page.complete;
    const bool searched = !no_search(page.search);
    // What was typed, shown as typed: an "&" in it is no mnemonic.
    const wxString typed = wxControl::EscapeMnemonics(wxs(page.search));
    const wxString n = wxNumberFormatter::ToString(static_cast<long>(page.count));
    wxString label;
    if (!page.error.empty()) {
        label = wxString::Format(_("Patien&ts: the list could not be read (%s)"),
                                 wxControl::EscapeMnemonics(wxs(page.error)));
    } else if (!searched) {
        label = page.count == 1 ? wxString(_("Patien&ts: 1 patient"))
                                : wxString::Format(_("Patien&ts: %s patients"), n);
    } else if (page.capped) {
        label = wxString::Format(_("Patien&ts: %s or more match '%s' (the first %s are listed; "
                                   "type more of the name)"),
                                 n, typed, n);
    } else {
        label = page.count == 1
                    ? wxString::Format(_("Patien&ts: 1 patient matches '%s'"), typed)
                    : wxString::Format(_("Patien&ts: %s patients match '%s'"), n, typed);
    }
    count_label_->SetLabel(label);
    // Later pages are read as they are painted, in the same order: a page is one indexed
    // query (about 1 ms at 100,000 patients); on a server it comes later ("Loading..." rows).
    std::string search = page.search;
    patients_->show(
        page.count, std::move(page.rows),
        [this, search](std::size_t offset, std::size_t limit, PatientListCtrl::Fetched done) {
            reads_->call<PatientListCtrl::Rows>(
                [search, offset, limit](store::Store& s) {
                    return s.list_patients(search, limit, offset);
                },
                [done](StoreReply<PatientListCtrl::Rows> reply) {
                    if (reply.ok()) {
                        done(std::move(*reply.value), {});
                    } else {
                        done({}, read_failure(reply));
                    }
                });
        });
    if (!keep.empty() && find_keep) {
        find_row(keep, [this](std::optional<long> row) {
            if (row) {
                patients_->select_row(*row);
            }
            load_visits();
        });
        return;
    }
    if (!keep.empty()) {
        patients_->select_row(patients_->loaded_row_of(keep));
    }
    if (!keep.empty() || visits_of_patient_) {
        load_visits();
    } else {
        update_buttons();
    }
}

void PatientPanel::find_row(const std::string& patient_id,
                            std::function<void(std::optional<long>)> found) {
    if (long row = patients_->loaded_row_of(patient_id); row >= 0) {
        found(row);
        return;
    }
    if (shown_complete_) {
        found(std::nullopt);
        return;
    }
    const std::uint64_t generation = generation_;
    const std::string search = shown_search_;
    const long count = patients_->GetItemCount();
    reads_->call<std::optional<long>>(
        [patient_id, search, count](store::Store& s) -> std::optional<long> {
            if (no_search(search)) {
                // The whole list in name order: the store knows where the patient stands.
                auto position = s.patient_position(patient_id);
                if (position && static_cast<long>(*position) < count) {
                    return static_cast<long>(*position);
                }
                return std::nullopt;
            }
            // A broad search (at most kSearchCountCap rows): its ids in the list's order.
            auto rows = s.list_patients(search, static_cast<std::size_t>(count));
            for (std::size_t i = 0; i < rows.size(); ++i) {
                if (rows[i].patient.id == patient_id) {
                    return static_cast<long>(i);
                }
            }
            return std::nullopt;
        },
        [this, generation, found = std::move(found)](StoreReply<std::optional<long>> reply) {
            if (generation != generation_ || reply.superseded) {
                return;  // the list has moved on
            }
            if (!reply.ok()) {
                if (reads_->deferred()) {
                    count_label_->SetLabel(
                        wxString::Format(_("Patien&ts: the list could not be read (%s)"),
                                         wxControl::EscapeMnemonics(wxs(read_failure(reply)))));
                } else {
                    show_error(this, _("The patient list could not be read."),
                               std::runtime_error(reply.message));
                }
            }
            found(reply.ok() ? *reply.value : std::nullopt);
        },
        "patient-find");
}

void PatientPanel::select_patient(const std::string& patient_id) {
    if (pending_ && reads_->deferred()) {
        typed_keep_ = patient_id;  // selected (wherever it stands) when the rows come
        return;
    }
    if (pending_) {
        reload();  // the rows of the box's text first, or the selection would be lost
    }
    find_row(patient_id, [this](std::optional<long> row) {
        if (row) {
            patients_->select_row(*row);
        }
        load_visits();
    });
}

std::optional<Patient> PatientPanel::selected_patient() const {
    const store::PatientSummary* s =
        patients_->row(patients_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED));
    if (!s) {
        return std::nullopt;
    }
    return s->patient;
}

std::optional<std::int64_t> PatientPanel::selected_visit() const {
    long i = visits_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0 || static_cast<std::size_t>(i) >= shown_visits_.size()) {
        return std::nullopt;
    }
    return shown_visits_[static_cast<std::size_t>(i)];
}

std::optional<std::int64_t> PatientPanel::latest_visit() const {
    if (shown_visits_.empty()) {
        return std::nullopt;
    }
    return shown_visits_.front();
}

void PatientPanel::load_visits() {
    auto p = selected_patient();
    visits_of_patient_ = p.has_value();
    const std::uint64_t serial = ++visits_serial_;  // an answer on its way is for another
    if (!p) {
        show_visits({}, {}, {});
        const long sel = patients_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
        if (patients_->loading(sel)) {
            // The selected row's patient is on its way (on_rows_arrived reads the visits then).
            visits_label_->SetLabel(_("&Visits: loading..."));
        }
        return;
    }
    const wxString name = wxs(p->name);
    if (reads_->deferred()) {
        // The rows of the patient selected before are not this one's: gone at once.
        visits_->DeleteAllItems();
        shown_visits_.clear();
        visits_label_->SetLabel(wxString::Format(_("&Visits of %s: loading..."), name));
        update_buttons();
    }
    reads_->call<std::vector<store::AssessmentInfo>>(
        [id = p->id](store::Store& s) { return s.history(id); },
        [this, serial, name](StoreReply<std::vector<store::AssessmentInfo>> reply) {
            if (serial != visits_serial_ || reply.superseded) {
                return;  // another patient is selected by now
            }
            show_visits(name, reply.ok() ? *reply.value : std::vector<store::AssessmentInfo>{},
                        reply.ok() ? std::string() : read_failure(reply));
        },
        "visits");
}

void PatientPanel::show_visits(const wxString& name,
                               const std::vector<store::AssessmentInfo>& history,
                               const std::string& error) {
    visits_->Freeze();
    visits_->DeleteAllItems();
    shown_visits_.clear();
    if (!visits_of_patient_) {
        visits_label_->SetLabel(_("&Visits (choose a patient)"));
    } else if (!error.empty() && reads_->deferred()) {
        visits_label_->SetLabel(wxString::Format(_("&Visits of %s: could not be read (%s)"), name,
                                                 wxControl::EscapeMnemonics(wxs(error))));
    } else {
        visits_label_->SetLabel(wxString::Format(_("&Visits of %s"), name));
        if (!error.empty()) {
            show_error(this, _("The visits could not be read."), std::runtime_error(error));
        }
    }
    // Newest first: the visit a clinician most often opens is the last one.
    long row = 0;
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        const auto& v = *it;
        long i = visits_->InsertItem(row++, wxs(v.date));
        visits_->SetItem(i, 1, v.kind && *v.kind == "follow_up" ? _("follow-up") : _("initial"));
        visits_->SetItem(i, 2, wxString::Format("%d", v.version));
        wxString status = v.status == store::Status::Final ? _("final") : _("draft");
        if (v.superseded_by) {
            status = _("final, amended");
        }
        visits_->SetItem(i, 3, status);
        visits_->SetItem(i, 4, opt(v.nrs_now));
        visits_->SetItem(i, 5, opt(v.wpi));
        visits_->SetItem(i, 6, opt(v.fs));
        visits_->SetItem(i, 7, wxs(urgency_label(defs_, v.urgency)));
        shown_visits_.push_back(v.id);
    }
    visits_->Thaw();
    update_buttons();
    Layout();
}

void PatientPanel::update_buttons() {
    bool patient = selected_patient().has_value();
    // A read-only window (another MyoScreen is the writer, or a readonly login) offers no
    // button that would write.
    bool writable = !store_.read_only();
    new_patient_->Enable(writable);
    open_->Enable(selected_visit().has_value());
    new_assessment_->Enable(writable && patient);
    follow_up_->Enable(writable && patient && !shown_visits_.empty());
    progress_->Enable(patient);
    history_->Enable(patient);
}

}  // namespace myo::gui
