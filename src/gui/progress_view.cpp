#include "gui/progress_view.hpp"

#include <algorithm>
#include <stdexcept>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dcclient.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/scrolwin.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/utils.h>

#include "gui/body_chart_ctrl.hpp"
#include "gui/model/assessment_model.hpp"
#include "gui/pdf_output.hpp"
#include "gui/progress_chart.hpp"
#include "gui/store_reads.hpp"
#include "gui/wx_util.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

enum Column {
    kMeasure,
    kUnit,
    kBaseline,
    kPrevious,
    kLatest,
    kChangeBaseline,
    kVerdictBaseline,
    kChangePrevious,
    kVerdictPrevious,
    kColumns,
};

// "-5 (-71.4 %)": the absolute change and its percent in one cell, as the CLI's text prints it.
wxString change_cell(const std::string& change, const std::string& percent) {
    return percent.empty() ? wxs(change) : wxs(change + " (" + percent + ")");
}

// Sets a label that changes with the data, wrapped to its parent's width (auto_wrap in wx_util
// is for fixed labels: it keeps the first label).
void set_wrapped(wxStaticText* text, const wxString& label) {
    text->SetLabel(label);
    int width = text->GetParent()->GetClientSize().x - text->FromDIP(16);
    if (width > text->FromDIP(200)) {
        text->Wrap(width);
    }
}

// `full` as it fits in `width` pixels: when a measure's name is too long, its common start
// gives way first ("Tender point gr…: Trapezius, left"), so the part that tells the rows apart
// (the site, left or right) always shows; the whole name is in the tooltip and under the table.
wxString fit_label(const wxString& full, int width, const wxDC& dc) {
    auto fits = [&](const wxString& t) { return dc.GetTextExtent(t).x <= width; };
    if (fits(full)) {
        return full;
    }
    const wxString ellipsis = wxString::FromUTF8("\u2026");
    const int colon = full.Find(": ");
    if (colon != wxNOT_FOUND) {
        wxString head = full.Left(static_cast<size_t>(colon));
        const wxString tail = full.Mid(static_cast<size_t>(colon));
        while (!head.empty()) {
            head.RemoveLast();
            if (fits(head + ellipsis + tail)) {
                return head + ellipsis + tail;
            }
        }
        if (fits(ellipsis + tail)) {
            return ellipsis + tail;
        }
    }
    wxString cut = full;
    while (!cut.empty() && !fits(cut + ellipsis)) {
        cut.RemoveLast();
    }
    return cut + ellipsis;
}

}  // namespace

ProgressView::ProgressView(wxWindow* parent, const Definitions& defs, const BodyChart* chart,
                           store::Store& store, StoreWorker* reads, StoreWorker* writes)
    : wxPanel(parent, wxID_ANY),
      defs_(defs),
      chart_(chart),
      store_(store),
      reads_(std::make_unique<StoreReads>(store, reads)),
      writes_(std::make_unique<StoreReads>(store, writes)) {
    SetName(_("Progress"));
    const int pad = FromDIP(6);
    auto* top = new wxBoxSizer(wxVERTICAL);

    title_ = new wxStaticText(this, wxID_ANY, _("Progress"));
    title_->SetFont(title_->GetFont().Bold().Scaled(1.15f));
    top->Add(title_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    heading_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    top->Add(heading_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    note_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    note_->SetForegroundColour(wxColour(0x8A, 0x4B, 0x00));
    top->Add(note_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, pad));

    auto* base_row = new wxBoxSizer(wxHORIZONTAL);
    base_row->Add(new wxStaticText(this, wxID_ANY, _("&Compare from visit:")),
                  wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    choice_ = new wxChoice(this, wxID_ANY);
    choice_->SetName(_("Baseline visit"));
    choice_->SetMinSize(FromDIP(wxSize(220, -1)));
    base_row->Add(choice_, wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    mark_ = new wxButton(this, wxID_ANY, _("&Mark as baseline"));
    base_row->Add(mark_, wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    first_ = new wxButton(this, wxID_ANY, _("Back to the &first visit"));
    base_row->Add(first_, wxSizerFlags().CenterVertical());
    top->Add(base_row, wxSizerFlags().Border(wxALL, pad));

    book_ = new wxNotebook(this, wxID_ANY);
    book_->SetName(_("Progress pages"));
    // The table's columns would otherwise make the whole window at least as wide as all of
    // them; fit_columns() fits them to the width the window has.
    book_->SetMinSize(FromDIP(wxSize(640, 320)));

    // The table: the comparison's rows, changes in numbers and in words.
    auto* table_page = new wxPanel(book_);
    table_ = new wxListCtrl(table_page, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                            wxLC_REPORT | wxLC_SINGLE_SEL | wxLC_HRULES | wxLC_VRULES);
    table_->SetName(_("Measures"));
    struct Col {
        wxString name;
        int width;
        int align;
    };
    const Col cols[] = {{_("Measure"), 250, wxLIST_FORMAT_LEFT},
                        {_("Unit"), 60, wxLIST_FORMAT_LEFT},
                        {_("Baseline"), 75, wxLIST_FORMAT_RIGHT},
                        {_("Previous"), 75, wxLIST_FORMAT_RIGHT},
                        {_("Latest"), 75, wxLIST_FORMAT_RIGHT},
                        {_("Since baseline"), 110, wxLIST_FORMAT_RIGHT},
                        {_("Since baseline, in words"), 220, wxLIST_FORMAT_LEFT},
                        {_("Since previous"), 110, wxLIST_FORMAT_RIGHT},
                        {_("Since previous, in words"), 220, wxLIST_FORMAT_LEFT}};
    int c = 0;
    for (const auto& col : cols) {
        table_->InsertColumn(c++, col.name, col.align, FromDIP(col.width));
    }
    // Under the table, the selected measure in full: its whole label (a narrow window shortens
    // it in the table), the threshold that makes a change clinically important, and its source.
    details_ = new wxStaticText(table_page, wxID_ANY, wxEmptyString);
    auto* ts = new wxBoxSizer(wxVERTICAL);
    ts->Add(table_, wxSizerFlags(1).Expand());
    ts->Add(details_, wxSizerFlags().Expand().Border(wxALL, pad));
    table_page->SetSizer(ts);
    book_->AddPage(table_page, _("Table"));
    table_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) { show_details(e.GetIndex()); });
    // Hovering a row names its measure in full (the list's rows are drawn by a child window,
    // which gets the mouse).
    for (wxWindow* w : table_->GetChildren()) {
        w->Bind(wxEVT_MOTION, [this, w](wxMouseEvent& e) {
            e.Skip();
            int flags = 0;
            const long row = table_->HitTest(e.GetPosition(), flags);
            const wxString tip = full_label(row);
            if (w->GetToolTipText() != tip) {
                w->SetToolTip(tip);
            }
        });
    }

    chart_page_ = new wxScrolledWindow(book_, wxID_ANY);
    chart_page_->SetScrollRate(0, FromDIP(10));
    chart_page_->SetName(_("Charts"));
    book_->AddPage(chart_page_, _("Charts"));

    body_page_ = new wxPanel(book_);
    body_page_->SetName(_("Body charts"));
    body_sizer_ = new wxBoxSizer(wxHORIZONTAL);
    body_page_->SetSizer(body_sizer_);
    book_->AddPage(body_page_, _("Body charts"));
    top->Add(book_, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, pad));
    // Ctrl+Tab / Ctrl+Shift+Tab switch the tabs from anywhere in the view (GTK would move the
    // focus instead).
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_TAB && e.ControlDown() && !e.AltDown()) {
            book_->AdvanceSelection(!e.ShiftDown());
            return;
        }
        e.Skip();
    });

    auto* bar = new wxBoxSizer(wxHORIZONTAL);
    back_ = new wxButton(this, wxID_ANY, _("< Pa&tients"));
    status_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    history_ = new wxButton(this, wxID_ANY, _("&History of changes..."));
    pdf_ = new wxButton(this, wxID_ANY, _("Progress &PDF"));
    bar->Add(back_, wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    bar->Add(status_, wxSizerFlags(1).CenterVertical().Border(wxLEFT | wxRIGHT, pad));
    bar->Add(history_, wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    bar->Add(pdf_, wxSizerFlags().CenterVertical());
    top->Add(bar, wxSizerFlags().Expand().Border(wxALL, pad));
    SetSizer(top);

    mark_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        int sel = choice_->GetSelection();
        if (sel >= 0 && model_) {
            auto candidates = model_->baseline_candidates();
            mark_baseline(candidates.at(static_cast<std::size_t>(sel)));
        }
    });
    first_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { mark_baseline(std::nullopt); });
    table_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        fit_columns();
        e.Skip();
    });
    choice_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { update_buttons(); });
    pdf_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { write_pdf(); });
    history_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (on_history && !patient_id_.empty()) {
            on_history(patient_id_);
        }
    });
    back_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (on_back) {
            on_back();
        }
    });
    fill();
}

ProgressView::~ProgressView() = default;

bool ProgressView::show_patient(const std::string& patient_id) {
    patient_id_ = patient_id;
    reload();
    return model_ != nullptr || loading_;
}

void ProgressView::reload() {
    load(false);
}

bool ProgressView::refresh_if_changed() {
    return !patient_id_.empty() && load(true);
}

struct ProgressView::Visits {
    std::vector<ProgressVisit> visits;
    std::optional<std::int64_t> baseline;
    std::vector<std::int64_t> ids;
};

bool ProgressView::load(bool only_if_changed) {
    const std::uint64_t serial = ++load_serial_;
    if (patient_id_.empty()) {
        loading_ = false;
        return show_visits(Visits{}, wxString(), only_if_changed);
    }
    if (reads_->deferred() && !only_if_changed) {
        // What is shown now is another patient's (or none): say what comes instead. A live
        // refresh keeps the view as it is until the answer differs.
        model_.reset();
        shown_ids_.clear();
        fill();
        heading_->SetLabel(_("Reading the final visits from the clinic server..."));
        set_status(_("Reading the visits..."));
    }
    loading_ = true;
    // Set by the answer when it comes inside call() (a file); a later answer (a server) finds
    // it still alive through the shared pointer, never a finished stack frame.
    auto shown = std::make_shared<bool>(false);
    std::weak_ptr<bool> alive = alive_;
    reads_->call<Visits>(
        [id = patient_id_](store::Store& s) {
            Visits v;
            for (auto& f : s.final_visits(id)) {
                v.ids.push_back(f.info.id);
                v.visits.push_back(ProgressVisit{f.info.id, f.info.visit, std::move(f.assessment)});
            }
            v.baseline = s.baseline_visit(id);
            return v;
        },
        [this, alive, serial, only_if_changed, shown](StoreReply<Visits> r) {
            if (alive.expired() || serial != load_serial_ || r.superseded) {
                return;  // the view is gone, or another patient (or a newer read) was asked for
            }
            loading_ = false;
            if (!r.ok()) {
                *shown = show_visits(Visits{},
                                     wxString::Format(_("The visits could not be compared: %s"),
                                                      wxs(read_failure(r))),
                                     only_if_changed);
                return;
            }
            *shown = show_visits(std::move(*r.value), wxString(), only_if_changed);
        },
        "progress");
    return *shown;  // a file: the answer came inside call(); a server: later (false)
}

bool ProgressView::show_visits(Visits read, const wxString& failed, bool only_if_changed) {
    if (only_if_changed &&
        (!failed.empty() || (read.ids == shown_ids_ && read.baseline == shown_baseline_))) {
        return false;  // the same visits (or none read): what is shown stays, as it was
    }
    model_.reset();
    set_status(failed, !failed.empty());
    shown_ids_ = read.ids;
    shown_baseline_ = read.baseline;
    if (failed.empty() && ProgressModel::available(read.visits.size())) {
        try {
            model_ = std::make_unique<ProgressModel>(defs_, std::move(read.visits), read.baseline);
        } catch (const std::exception& e) {
            set_status(wxString::Format(_("The visits could not be compared: %s"), wxs(e.what())),
                       true);
        }
    }
    if (model_ && !pending_status_.empty() && failed.empty()) {
        set_status(pending_status_);
    }
    pending_status_.clear();
    fill();
    if (!failed.empty()) {
        heading_->SetLabel(_("The final visits could not be read: see the line below."));
    }
    if (on_loaded) {
        on_loaded();
    }
    return true;
}

bool ProgressView::mark_baseline(std::optional<std::size_t> index) {
    if (!model_) {
        return false;
    }
    std::optional<std::int64_t> id;
    wxString label;
    if (index) {
        id = model_->visits().at(*index).assessment;
        label = wxs(model_->visit_label(*index));
    }
    if (writes_->deferred()) {
        set_status(_("Marking the baseline on the clinic server..."));
        mark_->Disable();
        first_->Disable();
    }
    auto done = std::make_shared<bool>(false);  // see load()
    std::weak_ptr<bool> alive = alive_;
    writes_->call<int>(
        [patient = patient_id_, id](store::Store& s) {
            s.set_baseline(patient, id);
            return 0;
        },
        [this, alive, index, label, done](StoreReply<int> r) {
            if (alive.expired()) {
                return;
            }
            if (!r.ok()) {
                update_buttons();
                if (r.timed_out || r.unreachable) {
                    // Said in the view, not a modal box: the server may take it late.
                    set_status(wxString::Format(_("The baseline was not marked: %s"),
                                                wxs(write_failure(r))),
                               true);
                    return;
                }
                set_status(wxEmptyString);
                show_error(this, _("The baseline could not be marked."),
                           std::runtime_error(r.message));
                return;
            }
            *done = true;
            const wxString text = index ? wxString::Format(_("Baseline marked: %s."), label)
                                        : wxString(_("The first visit is the baseline again."));
            reload();
            if (model_) {
                set_status(text);
            } else if (loading_) {
                // A server: the visits are read again; the status line says so when they come.
                pending_status_ = text;
            }
        },
        "baseline");
    return *done || writes_->deferred();
}

std::optional<std::string> ProgressView::write_pdf(const std::string& dir) {
    if (!model_) {
        return std::nullopt;
    }
    const std::string folder = dir.empty() ? report_dir : dir;
    if (reads_->deferred()) {
        set_status(_("Reading the letterhead from the clinic server..."));
    }
    auto written = std::make_shared<std::optional<std::string>>();  // see load()
    std::weak_ptr<bool> alive = alive_;
    // The comparison as it is now: the PDF is of what the person saw when they asked.
    auto comparison = std::make_shared<Comparison>(model_->comparison());
    reads_->call<Letterhead>(
        [](store::Store& s) { return read_letterhead(s); },
        [this, alive, folder, comparison, written](StoreReply<Letterhead> r) {
            if (alive.expired()) {
                return;
            }
            if (!r.ok()) {
                set_status(wxString::Format(_("The progress PDF was not written: %s"),
                                            wxs(read_failure(r))),
                           true);
                return;
            }
            try {
                const std::string path = write_local_progress_pdf(
                    defs_, *comparison, folder, *r.value, local_database_files(store_));
                record_output(path, comparison->patient.id);
                *written = path;
                if (open_viewer) {
                    wxLaunchDefaultApplication(wxs(path));
                }
            } catch (const std::exception& e) {
                set_status(wxEmptyString);
                show_error(this, _("The progress PDF could not be written."), e);
            }
        },
        "progress-pdf");
    return *written;
}

void ProgressView::record_output(const std::string& path, const std::string& patient_id) {
    set_status(wxString::Format(_("Wrote %s."), wxs(path)));
    std::weak_ptr<bool> alive = alive_;
    writes_->call<int>(
        [path, patient_id](store::Store& s) {
            record_pdf(s, patient_id, std::nullopt, "progress report", path);
            return 0;
        },
        [this, alive, path](StoreReply<int> r) {
            if (!alive.expired() && !r.ok()) {
                set_status(
                    wxString::Format(_("Wrote %s, but it is not in the history of changes: %s"),
                                     wxs(path), wxs(write_failure(r))),
                    true);
            }
        });
}

void ProgressView::set_status(const wxString& text, bool error) {
    status_->SetForegroundColour(error ? error_colour()
                                       : wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
    status_->SetLabel(text);
}

wxString ProgressView::status_text() const {
    return status_->GetLabel();
}

void ProgressView::fill() {
    Freeze();
    if (!model_) {
        title_->SetLabel(_("Progress"));
        heading_->SetLabel(
            patient_id_.empty()
                ? _("Choose a patient with two or more final assessments to see their progress.")
                : _("Progress needs two or more final (signed-off) assessments of this patient."));
        note_->SetLabel(wxEmptyString);
        choice_->Clear();
    } else {
        const Comparison& c = model_->comparison();
        title_->SetLabel(
            wxString::Format(_("Progress of %s (%s)"), wxs(c.patient.name), wxs(c.patient.id)));
        heading_->SetLabel(tr(model_->heading()));
        set_wrapped(note_, tr(model_->note()));
        // All at once: GTK's combo box takes a few ms per Append, which 200 visits make slow.
        wxArrayString labels;
        for (std::size_t i : model_->baseline_candidates()) {
            labels.Add(wxs(model_->visit_label(i)));
        }
        choice_->Set(labels);
        choice_->SetSelection(static_cast<int>(
            std::min(model_->baseline_index(), model_->baseline_candidates().size() - 1)));
    }
    fill_table();
    fill_charts();
    fill_body_charts();
    update_buttons();
    Layout();
    Thaw();
}

void ProgressView::fill_table() {
    table_->DeleteAllItems();
    if (!model_) {
        return;
    }
    long i = 0;
    for (const auto& r : model_->rows()) {
        long item = table_->InsertItem(i++, wxs(r.label));
        table_->SetItem(item, kUnit, wxs(r.unit));
        table_->SetItem(item, kBaseline, wxs(r.baseline));
        table_->SetItem(item, kPrevious, wxs(r.previous));
        table_->SetItem(item, kLatest, wxs(r.latest));
        table_->SetItem(item, kChangeBaseline, change_cell(r.change_baseline, r.percent_baseline));
        table_->SetItem(item, kVerdictBaseline, tr(r.verdict_baseline));
        table_->SetItem(item, kChangePrevious, change_cell(r.change_previous, r.percent_previous));
        table_->SetItem(item, kVerdictPrevious, tr(r.verdict_previous));
        // Bold marks a clinically important change since baseline; the words say it too.
        if (r.important_baseline) {
            table_->SetItemFont(item, table_->GetFont().Bold());
        }
    }
    fit_columns();
    show_details(-1);
}

void ProgressView::show_details(long row) {
    if (!model_ || row < 0 || static_cast<std::size_t>(row) >= model_->comparison().rows.size()) {
        set_wrapped(details_,
                    _("Select a measure to see it in full, with its threshold and source."));
        return;
    }
    const MeasureRow& r = model_->comparison().rows[static_cast<std::size_t>(row)];
    ProgressRow p = model_->rows()[static_cast<std::size_t>(row)];
    wxString text = wxString::Format(
        _("%s (%s): baseline %s, previous %s, latest %s. Since "
          "baseline %s, %s; since previous %s, %s."),
        wxs(r.label), wxs(r.unit), wxs(p.baseline), wxs(p.previous), wxs(p.latest),
        change_cell(p.change_baseline, p.percent_baseline), tr(p.verdict_baseline),
        change_cell(p.change_previous, p.percent_previous), tr(p.verdict_previous));
    text += "\n" +
            (r.threshold.empty()
                 ? wxString(_("No threshold of clinical importance is claimed for this measure."))
                 : wxString::Format(_("Clinically important: %s."), wxs(r.threshold)));
    if (!r.source.empty()) {
        text += " " + wxString::Format(_("Source: %s"), wxs(r.source));
    }
    set_wrapped(details_, text);
    details_->GetParent()->Layout();
}

wxString ProgressView::details_text() const {
    return details_->GetLabel();
}

void ProgressView::fit_columns() {
    // Every column as wide as its widest cell (bold, as important rows are drawn) or header, so
    // no number or verdict is cut off; the measure's label gives way first when the window is
    // narrow, and the full label stays in the row for screen readers.
    if (table_->GetItemCount() == 0) {
        return;
    }
    wxClientDC dc(table_);
    dc.SetFont(table_->GetFont().Bold());
    const int pad = FromDIP(12);
    std::vector<int> widths(kColumns, 0);
    int total = 0;
    for (int c = 0; c < kColumns; ++c) {
        wxListItem head;
        head.SetMask(wxLIST_MASK_TEXT);
        table_->GetColumn(c, head);
        widths[static_cast<std::size_t>(c)] = dc.GetTextExtent(head.GetText()).x + pad;
        for (long i = 0; i < table_->GetItemCount(); ++i) {
            widths[static_cast<std::size_t>(c)] =
                std::max(widths[static_cast<std::size_t>(c)],
                         dc.GetTextExtent(table_->GetItemText(i, c)).x + pad);
        }
        total += widths[static_cast<std::size_t>(c)];
    }
    int avail = table_->GetClientSize().x - FromDIP(4);
    // The measure's name is what a row is read by: it keeps its full width (up to 320 px) and
    // the columns to its right scroll instead; only a longer name gives way (fit_label).
    if (total > avail && avail > 0) {
        widths[kMeasure] =
            std::max(std::min(widths[kMeasure], FromDIP(320)), widths[kMeasure] - (total - avail));
    }
    for (int c = 0; c < kColumns; ++c) {
        table_->SetColumnWidth(c, widths[static_cast<std::size_t>(c)]);
    }
    // The names in the width they got: the distinguishing end kept (fit_label).
    if (model_) {
        const auto rows = model_->rows();
        for (long i = 0; i < table_->GetItemCount() && static_cast<std::size_t>(i) < rows.size();
             ++i) {
            const wxString shown =
                fit_label(wxs(rows[static_cast<std::size_t>(i)].label), widths[kMeasure] - pad, dc);
            if (table_->GetItemText(i, kMeasure) != shown) {
                table_->SetItem(i, kMeasure, shown);
            }
        }
    }
}

wxString ProgressView::full_label(long row) const {
    if (!model_ || row < 0 || static_cast<std::size_t>(row) >= model_->comparison().rows.size()) {
        return wxEmptyString;
    }
    const MeasureRow& r = model_->comparison().rows[static_cast<std::size_t>(row)];
    return r.unit.empty() ? wxs(r.label) : wxs(r.label + " (" + r.unit + ")");
}

wxString ProgressView::cell(long row, int column) const {
    return table_->GetItemText(row, column);
}

long ProgressView::row_of(const std::string& measure_id) const {
    if (!model_) {
        return -1;
    }
    auto rows = model_->rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].id == measure_id) {
            return static_cast<long>(i);
        }
    }
    return -1;
}

void ProgressView::fill_charts() {
    chart_page_->DestroyChildren();
    charts_.clear();
    auto* grid = new wxFlexGridSizer(2, FromDIP(8), FromDIP(8));
    grid->AddGrowableCol(0, 1);
    grid->AddGrowableCol(1, 1);
    if (model_) {
        std::vector<std::string> dates;
        for (const auto& v : model_->comparison().visits) {
            dates.push_back(v.date);
        }
        auto positions = model_->date_positions();
        for (const auto& g : model_->charts()) {
            auto* ch =
                new ProgressChart(chart_page_, g, dates, positions, model_->baseline_index());
            charts_.push_back(ch);
            grid->Add(ch, wxSizerFlags(1).Expand());
        }
        // The charts share the page's height (a large screen gets larger charts).
        for (std::size_t r = 0; r < (charts_.size() + 1) / 2; ++r) {
            grid->AddGrowableRow(r, 1);
        }
    }
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->Add(new wxStaticText(chart_page_, wxID_ANY,
                                _("Every final visit on a dated axis; * marks the baseline. A "
                                  "gap in a line is a visit that did not measure it.")),
               wxSizerFlags().Border(wxALL, FromDIP(6)));
    outer->Add(grid, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6)));
    chart_page_->SetSizer(outer);
    chart_page_->FitInside();
}

void ProgressView::fill_body_charts() {
    // The controls hold references to their models: destroy them first.
    body_page_->DestroyChildren();
    baseline_chart_ = latest_chart_ = nullptr;
    baseline_model_.reset();
    latest_model_.reset();
    areas_ = nullptr;
    body_sizer_->Clear();
    const int pad = FromDIP(6);
    if (!model_) {
        return;
    }
    const Comparison& c = model_->comparison();
    auto column = [&](const wxString& label, std::unique_ptr<AssessmentModel>& m, std::size_t index,
                      BodyChartCtrl*& ctrl) {
        auto* col = new wxBoxSizer(wxVERTICAL);
        auto* text = new wxStaticText(body_page_, wxID_ANY, wxEmptyString);
        // Bold before the label, so the control is sized for the bold text.
        text->SetFont(text->GetFont().Bold());
        text->SetLabel(label);
        col->Add(text, wxSizerFlags().Expand().Border(wxALL, pad));
        if (chart_) {
            m = std::make_unique<AssessmentModel>(defs_, model_->visits().at(index).document);
            // Read-only: the charts show the visits; clicks change nothing.
            m->set_read_only(true);
            ctrl = new BodyChartCtrl(body_page_, *chart_, *m, ChartMode::Areas);
            ctrl->SetName(label);
            col->Add(ctrl, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));
        }
        body_sizer_->Add(col, wxSizerFlags(1).Expand());
    };
    column(wxString::Format(_("Baseline: %s"), wxs(model_->visit_label(c.baseline.index))),
           baseline_model_, c.baseline.index, baseline_chart_);
    column(wxString::Format(_("Latest: %s"), wxs(model_->visit_label(c.latest.index))),
           latest_model_, c.latest.index, latest_chart_);

    auto* list_col = new wxBoxSizer(wxVERTICAL);
    list_col->Add(new wxStaticText(body_page_, wxID_ANY, _("Painful areas, baseline to latest")),
                  wxSizerFlags().Border(wxALL, pad));
    areas_ = new wxListCtrl(body_page_, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                            wxLC_REPORT | wxLC_SINGLE_SEL);
    areas_->SetName(_("Painful areas, baseline to latest"));
    areas_->InsertColumn(0, _("Area"), wxLIST_FORMAT_LEFT, FromDIP(170));
    areas_->InsertColumn(1, _("Change"), wxLIST_FORMAT_LEFT, FromDIP(90));
    long i = 0;
    for (const auto& a : model_->areas()) {
        long item = areas_->InsertItem(i++, wxs(a.label));
        areas_->SetItem(item, 1, tr(a.status));
    }
    if (i == 0) {
        areas_->InsertItem(0, _("No painful area at either visit"));
    }
    areas_->SetMinSize(FromDIP(wxSize(280, 200)));
    list_col->Add(areas_, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));
    body_sizer_->Add(list_col, wxSizerFlags().Expand());
    body_page_->Layout();
}

wxString ProgressView::areas_text() const {
    wxString out;
    if (!areas_) {
        return out;
    }
    for (long i = 0; i < areas_->GetItemCount(); ++i) {
        out += areas_->GetItemText(i, 0) + ": " + areas_->GetItemText(i, 1) + "\n";
    }
    return out;
}

void ProgressView::update_buttons() {
    bool ok = model_ != nullptr;
    bool writable = !store_.read_only();
    choice_->Enable(ok);
    mark_->Enable(ok && writable && choice_->GetSelection() >= 0 &&
                  (!model_->baseline_marked() ||
                   static_cast<std::size_t>(choice_->GetSelection()) != model_->baseline_index()));
    first_->Enable(ok && writable && model_->baseline_marked());
    pdf_->Enable(ok);
    history_->Enable(!patient_id_.empty());
}

}  // namespace myo::gui
