#include "gui/history_dialog.hpp"

#include <algorithm>

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "gui/model/history_model.hpp"
#include "gui/store_reads.hpp"
#include "gui/wx_util.hpp"
#include "store/store.hpp"

namespace myo::gui {

HistoryDialog::HistoryDialog(wxWindow* parent, store::Store& store, const std::string& patient_id,
                             const std::string& patient_name,
                             std::optional<std::int64_t> assessment, StoreWorker* reads)
    : wxDialog(
          parent, wxID_ANY,
          wxString::Format(_("History of changes: %s (%s)"), wxs(patient_name), wxs(patient_id)),
          wxDefaultPosition, wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      reads_(std::make_unique<StoreReads>(store, reads)),
      patient_id_(patient_id),
      assessment_(assessment) {
    const int pad = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* intro = new wxStaticText(
        this, wxID_ANY,
        _("Every change to this patient's records, oldest first, as the audit trail recorded it. "
          "The trail cannot be edited; times are this computer's local time, with their offset "
          "from UTC."));
    top->Add(intro, wxSizerFlags().Expand().Border(wxALL, pad));
    auto_wrap(intro);
    if (assessment_) {
        only_ = new wxCheckBox(
            this, wxID_ANY,
            wxString::Format(_("&Only assessment %lld"), static_cast<long long>(*assessment_)));
        only_->SetValue(true);
        top->Add(only_, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));
        only_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { fill(); });
    }
    top->Add(new wxStaticText(this, wxID_ANY, _("&Changes")),
             wxSizerFlags().Border(wxLEFT | wxRIGHT, pad));
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(1000, 420)),
                           wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->SetName(_("History of changes"));
    list_->InsertColumn(0, _("When (local time)"), wxLIST_FORMAT_LEFT, FromDIP(275));
    list_->InsertColumn(1, _("Who"), wxLIST_FORMAT_LEFT, FromDIP(190));
    list_->InsertColumn(2, _("What"), wxLIST_FORMAT_LEFT, FromDIP(200));
    list_->InsertColumn(3, _("Record"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->InsertColumn(4, _("Details"), wxLIST_FORMAT_LEFT, FromDIP(300));
    top->Add(list_, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, pad));
    count_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    top->Add(count_, wxSizerFlags().Expand().Border(wxALL, pad));
    auto* buttons = new wxStdDialogButtonSizer;
    buttons->AddButton(new wxButton(this, wxID_CLOSE, _("&Close")));
    buttons->Realize();
    SetEscapeId(wxID_CLOSE);
    SetAffirmativeId(wxID_CLOSE);
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, pad));
    SetSizerAndFit(top);
    fill();
    list_->SetFocus();
}

HistoryDialog::~HistoryDialog() = default;

void HistoryDialog::fill() {
    list_->DeleteAllItems();
    std::optional<std::int64_t> only;
    if (only_ && only_->GetValue()) {
        only = assessment_;
    }
    if (reads_->deferred()) {
        count_->SetLabel(_("Reading the history..."));
    }
    const std::uint64_t serial = ++fill_serial_;
    std::weak_ptr<bool> alive = alive_;
    reads_->call<std::vector<store::AuditEntry>>(
        [id = patient_id_](store::Store& s) { return s.audit_trail(id); },
        [this, alive, serial, only](StoreReply<std::vector<store::AuditEntry>> reply) {
            if (alive.expired() || serial != fill_serial_ || reply.superseded) {
                return;  // the dialog closed, or a newer fill() asked again
            }
            if (!reply.ok()) {
                count_->SetLabel(wxString::Format(_("The history could not be read: %s"),
                                                  wxs(read_failure(reply))));
                return;
            }
            show(history_lines(*reply.value, only));
        },
        "history");
}

void HistoryDialog::show(const std::vector<HistoryLine>& lines) {
    long i = 0;
    for (const auto& l : lines) {
        long item = list_->InsertItem(i++, wxs(l.at));
        list_->SetItem(item, 1, wxs(l.who));
        list_->SetItem(item, 2, tr(l.action));
        list_->SetItem(item, 3, wxs(l.record));
        list_->SetItem(item, 4, wxs(l.summary));
    }
    // The details are the longest cells: as wide as the longest one, scrolling if need be.
    if (i > 0) {
        list_->SetColumnWidth(4, wxLIST_AUTOSIZE);
        list_->SetColumnWidth(4, std::max(list_->GetColumnWidth(4), FromDIP(330)));
    }
    count_->SetLabel(
        wxString::Format(wxPLURAL("%ld change", "%ld changes", static_cast<unsigned>(i)), i));
}

wxString HistoryDialog::count_text() const {
    return count_->GetLabelText();
}

wxString HistoryDialog::text() const {
    wxString out;
    for (long i = 0; i < list_->GetItemCount(); ++i) {
        for (int c = 0; c < 5; ++c) {
            out += list_->GetItemText(i, c) + (c < 4 ? "\t" : "\n");
        }
    }
    return out;
}

}  // namespace myo::gui
