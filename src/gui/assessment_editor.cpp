#include "gui/assessment_editor.hpp"

#include <algorithm>

#include <wx/button.h>
#include <wx/datetime.h>
#include <wx/evtloop.h>
#include <wx/filedlg.h>
#include <wx/intl.h>
#include <wx/listbox.h>
#include <wx/msgdlg.h>
#include <wx/scrolwin.h>
#include <wx/settings.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include "gui/body_chart_ctrl.hpp"
#include "gui/conflict_dialog.hpp"
#include "gui/fhir_output.hpp"
#include "gui/finalize_dialog.hpp"
#include "gui/item_controls.hpp"
#include "gui/layout_util.hpp"
#include "gui/live_panel.hpp"
#include "gui/model/conflict_model.hpp"
#include "gui/model/session_text.hpp"
#include "gui/pdf_output.hpp"
#include "gui/store_reads.hpp"
#include "gui/summary_page.hpp"
#include "gui/take_over_dialog.hpp"
#include "gui/wrapped_label.hpp"
#include "gui/wx_util.hpp"
#include "store/audit.hpp"
#include "store/offline_journal.hpp"
#include "store/stale_save.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

// Scrolls a row's whole rectangle (its message line too) into its scrolled page's view;
// focusing a field only brings the field itself into view.
void reveal(wxWindow* row) {
    auto* sw = dynamic_cast<wxScrolledWindow*>(row->GetParent());
    if (!sw) {
        return;
    }
    sw->FitInside();
    int ppu_x = 0;
    int ppu_y = 0;
    sw->GetScrollPixelsPerUnit(&ppu_x, &ppu_y);
    if (ppu_y <= 0) {
        return;
    }
    int view_x = 0;
    int view_y = 0;
    sw->GetViewStart(&view_x, &view_y);
    wxRect r = row->GetRect();  // in the visible part's coordinates
    const int height = sw->GetClientSize().y;
    if (r.GetBottom() >= height) {
        sw->Scroll(-1, view_y + (r.GetBottom() - height) / ppu_y + 1);
    } else if (r.GetTop() < 0) {
        sw->Scroll(-1, view_y + r.GetTop() / ppu_y - 1);
    }
}

// Fast enough that killing the application loses at most what was typed in the last
// fraction of a second, slow enough not to write on every keystroke of a word.
constexpr int kAutosaveMs = 300;

// DIP widths of the step list and the live panel, and the editor width below which both are
// narrower (a 1024-wide screen): the page between them keeps about 560 pixels.
constexpr int kStepsWide = 250;
constexpr int kStepsNarrow = 190;
constexpr int kLiveWide = 280;
constexpr int kLiveNarrow = 200;
constexpr int kNarrowBelow = 1200;

// Issue 14: a change not sent because the server does not answer (or is known to be away):
// it goes to the offline journal instead.
class ServerAway : public store::StoreError {
  public:
    using store::StoreError::StoreError;
};

bool server_away(const std::exception_ptr& error) {
    if (!error) {
        return false;
    }
    try {
        std::rethrow_exception(error);
    } catch (const ServerAway&) {
        return true;
    } catch (...) {
        return false;
    }
}

// saved_revision_ when the copy shown is known not to be saved (a refused save).
constexpr std::uint64_t kUnsaved = ~std::uint64_t{0};

std::optional<ChartMode> chart_mode(const std::string& step_id) {
    if (step_id == "pain_map") {
        return ChartMode::Areas;
    }
    if (step_id == "tender_points") {
        return ChartMode::TenderPoints;
    }
    if (step_id == "physio") {
        return ChartMode::Ppt;
    }
    return std::nullopt;
}

}  // namespace

AssessmentEditor::AssessmentEditor(wxWindow* parent, const Definitions& defs,
                                   const BodyChart* chart, store::Store& store)
    : wxPanel(parent, wxID_ANY), defs_(defs), chart_(chart), store_(store), save_timer_(this) {
    SetName(_("Assessment"));
    const int pad = FromDIP(6);
    auto* top = new wxBoxSizer(wxVERTICAL);

    header_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    header_->SetFont(header_->GetFont().Bold().Scaled(1.15f));
    top->Add(header_, wxSizerFlags().Expand().Border(wxALL, pad));

    // The visit date is editable (a visit typed in afterwards keeps its real date); the model
    // refuses a date that does not exist or is before the patient's birth.
    auto* visit_row = new wxBoxSizer(wxHORIZONTAL);
    visit_row->Add(new wxStaticText(this, wxID_ANY, _("Visit da&te (YYYY-MM-DD):")),
                   wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    date_ = new wxTextCtrl(this, wxID_ANY);
    date_->SetName(_("Visit date"));
    date_->SetMinSize(wxSize(date_->GetTextExtent("2026-12-31").x + FromDIP(24), -1));
    visit_row->Add(date_, wxSizerFlags().CenterVertical().Border(wxRIGHT, pad));
    date_msg_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    date_msg_->SetForegroundColour(error_colour());
    visit_row->Add(date_msg_, wxSizerFlags(1).CenterVertical());
    top->Add(visit_row, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));
    date_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
        if (!model_ || model_->read_only()) {
            return;
        }
        FieldMessage msg = model_->set_visit_date(u8(date_->GetValue()));
        date_msg_->SetLabel(msg ? wxString::FromUTF8("\u26A0 ") + tr(*msg) : wxString());
        if (!msg) {
            changed({});
        }
    });

    // Issue 14: who else edits this draft (a clinic server), with Take over.
    lease_banner_ = new wxPanel(this);
    lease_banner_->SetName(_("Lease banner"));
    lease_banner_->SetBackgroundColour(wxColour(0xFF, 0xF4, 0xC2));
    auto* ls = new wxBoxSizer(wxHORIZONTAL);
    lease_text_ = new wxStaticText(lease_banner_, wxID_ANY, wxEmptyString);
    lease_text_->SetForegroundColour(wxColour(0x40, 0x30, 0x00));
    lease_text_->SetFont(lease_text_->GetFont().Bold());
    ls->Add(lease_text_, wxSizerFlags(1).CenterVertical().Border(wxALL, pad));
    take_over_ = new wxButton(lease_banner_, wxID_ANY, _("Ta&ke over"));
    take_over_->SetToolTip(wxs(take_over_tooltip(lease_stale_after_)));
    ls->Add(take_over_, wxSizerFlags().CenterVertical().Border(wxALL, pad));
    lease_banner_->SetSizer(ls);
    top->Add(lease_banner_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, pad));
    lease_banner_->Hide();
    take_over_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (id_ && on_take_over) {
            take_over_->Disable();  // until the answer
            take_over_asked_ = true;
            on_take_over(*id_, false);
        }
    });

    banner_ = new wxPanel(this);
    banner_->SetBackgroundColour(urgency_colours(Urgency::Emergency).back);
    auto* bs = new wxBoxSizer(wxHORIZONTAL);
    banner_text_ = new wxStaticText(banner_, wxID_ANY, wxEmptyString);
    banner_text_->SetForegroundColour(urgency_colours(Urgency::Emergency).fore);
    banner_text_->SetFont(banner_text_->GetFont().Bold().Scaled(1.1f));
    bs->Add(banner_text_, wxSizerFlags(1).CenterVertical().Border(wxALL, pad));
    ack_button_ = new wxButton(banner_, wxID_ANY, _("&Acknowledge emergency"));
    bs->Add(ack_button_, wxSizerFlags().CenterVertical().Border(wxALL, pad));
    banner_->SetSizer(bs);
    banner_->SetName(_("Emergency banner"));
    top->Add(banner_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, pad));
    banner_->Hide();
    ack_button_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { acknowledge_emergencies(); });

    auto* middle = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(new wxStaticText(this, wxID_ANY, _("&Steps")), wxSizerFlags().Border(wxBOTTOM, 2));
    steps_ = new wxListBox(this, wxID_ANY);
    steps_->SetName(_("Steps"));
    steps_->SetMinSize(FromDIP(wxSize(kStepsWide, 200)));
    left->Add(steps_, wxSizerFlags(1).Expand());
    middle->Add(left, wxSizerFlags().Expand().Border(wxALL, pad));
    book_ = new wxSimplebook(this, wxID_ANY);
    middle->Add(book_, wxSizerFlags(1).Expand().Border(wxTOP | wxBOTTOM, pad));
    live_ = new LivePanel(this);
    middle->Add(live_, wxSizerFlags().Expand().Border(wxALL, pad));
    top->Add(middle, wxSizerFlags(1).Expand());

    auto* bar = new wxBoxSizer(wxHORIZONTAL);
    back_ = new wxButton(this, wxID_ANY, _("< &Back"));
    next_ = new wxButton(this, wxID_ANY, _("&Next >"));
    // The status line has a row of its own, the editor's full width, above the buttons, and
    // wraps there: at 1024x768 a row shared with seven buttons cut its messages short.
    status_ = new WrappedLabel(this);
    status_->SetName(_("Status"));
    finalize_ = new wxButton(this, wxID_ANY, _("&Finalize..."));
    amend_ = new wxButton(this, wxID_ANY, _("A&mend"));
    referral_ = new wxButton(this, wxID_ANY, _("&Referral PDF"));
    handout_ = new wxButton(this, wxID_ANY, _("&Handout PDF"));
    bar->Add(back_, wxSizerFlags().Border(wxRIGHT, pad));
    bar->Add(next_, wxSizerFlags().Border(wxRIGHT, pad));
    bar->AddStretchSpacer(1);
    bar->Add(finalize_, wxSizerFlags().Border(wxRIGHT, pad));
    bar->Add(amend_, wxSizerFlags().Border(wxRIGHT, pad));
    bar->Add(referral_, wxSizerFlags().Border(wxRIGHT, pad));
    bar->Add(handout_);
    top->Add(status_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    top->Add(bar, wxSizerFlags().Expand().Border(wxALL, pad));
    SetSizer(top);
    // On a small screen (1024 wide) the step list and the live panel give the page room
    // instead of squeezing its controls; the live panel re-wraps to its new width.
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        const bool narrow = e.GetSize().x < FromDIP(kNarrowBelow);
        // Narrow, but never cutting a step's name with its "(11 of 12)".
        int needed = FromDIP(kStepsNarrow);
        for (const auto& step : defs_.form.steps) {
            wxString longest = wxString::FromUTF8("\u25D0 ") + wxs(step.label) + " (99 of 99)";
            needed = std::max(needed, steps_->GetTextExtent(longest).x + FromDIP(24));
        }
        const int steps_width =
            narrow ? std::min(needed, FromDIP(kStepsWide)) : FromDIP(kStepsWide);
        const wxSize steps(steps_width, FromDIP(200));
        const wxSize live(FromDIP(narrow ? kLiveNarrow : kLiveWide), -1);
        if (steps_->GetMinSize() != steps || live_->GetMinSize() != live) {
            steps_->SetMinSize(steps);
            live_->SetMinSize(live);
            CallAfter([this] { live_->update(model_.get()); });
        }
    });

    steps_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& e) {
        if (e.GetSelection() >= 0) {
            go_to_step(static_cast<std::size_t>(e.GetSelection()));
        }
    });
    back_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (current_step() > 0) {
            go_to_step(current_step() - 1);
        }
    });
    next_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (current_step() + 1 < step_count()) {
            go_to_step(current_step() + 1);
        }
    });
    finalize_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { finalize(); });
    amend_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { amend(); });
    referral_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { write_pdf(PdfKind::Referral); });
    handout_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { write_pdf(PdfKind::Handout); });
    // The autosave: on a server it is posted and answered later (never waited for here).
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
        if (worker_) {
            post_save();
        } else {
            save_now();
        }
    });
    retry_timer_.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { retry_server(); });
    live_->update(nullptr);
    update_buttons();
}

AssessmentEditor::~AssessmentEditor() {
    save_timer_.Stop();
    retry_timer_.Stop();
    // Sibling windows (the patient list) may already be gone while the frame is torn down.
    on_stored = nullptr;
    on_connection = nullptr;
    on_created = nullptr;
    // Whatever is pending is written before the window goes.
    try {
        if (worker_) {
            // No waiting for the network while the window goes: what is not known to be on
            // the server is kept in the journal and sent at the next start (an identical
            // document already there is recognised then, not sent twice).
            if (model_ && id_ && !final_ && (saves_in_flight_ > 0 || needs_save())) {
                journal().record_save(*id_, version_->load(), model_->assessment());
            }
        } else {
            save_now();
        }
    } catch (...) {
        // A destructor must not throw; the last autosave is at most 300 ms old.
    }
    worker_.reset();  // answers nothing more: this window is going
}

// --- issue 14: the store calls on a worker, the offline journal

void AssessmentEditor::use_server(StoreWorker::Opener open, const std::filesystem::path& journal) {
    // A SQLite file stays synchronous: it is on this computer's disk, a save takes a few
    // milliseconds and is never "unreachable", and a save that has returned being on disk is
    // what closing, the PDFs and the tests rely on. Only a server is put behind the worker.
    StoreWorker::Handlers h;
    h.busy = [this](bool busy) {
        if (busy && saves_in_flight_ > 0 && !offline_) {
            set_status(wxString::FromUTF8("Saving\u2026"));
        }
    };
    worker_ = std::make_unique<StoreWorker>(std::move(open), this, std::move(h));
    journal_path_ = journal;
    std::error_code ec;
    if (std::filesystem::exists(journal, ec) || std::filesystem::is_symlink(journal, ec)) {
        try {
            journal_ = std::make_unique<store::OfflineJournal>(journal);  // else made when needed
        } catch (const std::exception& e) {
            // A journal that is not ours (a link, a folder, another file): refused, left as it
            // is, and said; the window works online, and a save it cannot send says why.
            set_status(wxString::Format(_("The offline journal cannot be used: %s"), wxs(e.what())),
                       true);
        }
    }
    // The letterhead now, so that a PDF written while the server is away still has it.
    worker_->call<Letterhead>([](store::Store& s) { return read_letterhead(s); },
                              [this](StoreReply<Letterhead> r) {
                                  if (r.ok()) {
                                      letterhead_ = *r.value;
                                  }
                              });
    if (journal_ && journal_->pending() > 0) {
        // Changes kept on this computer at the last start: sent before anything else.
        offline_ = true;
        *hold_sends_ = true;
        const std::size_t n = journal_->pending();
        const wxString text = wxString::Format(
            wxPLURAL("Sending %zu change kept on this computer while the server was away...",
                     "Sending %zu changes kept on this computer while the server was away...",
                     static_cast<unsigned>(n)),
            n);
        set_status(text);
        if (on_connection) {
            on_connection(text);
        }
        retry_server();
        retry_timer_.Start(retry_ms_);
    }
}

store::OfflineJournal& AssessmentEditor::journal() {
    if (!journal_) {
        journal_ = std::make_unique<store::OfflineJournal>(journal_path_);
    }
    return *journal_;
}

void AssessmentEditor::set_server_timing(std::chrono::milliseconds call_timeout, int retry_ms) {
    call_timeout_ = call_timeout;
    retry_ms_ = retry_ms;
}

std::size_t AssessmentEditor::waiting_changes() const {
    if (!journal_) {
        return 0;
    }
    std::size_t events = 0;
    for (const auto& e : journal_->events()) {
        if (e.refused.empty()) {
            ++events;
        }
    }
    return journal_->entries().size() + events;
}

void AssessmentEditor::set_status(const wxString& text, bool alarm) {
    status_->SetForegroundColour(alarm ? error_colour()
                                       : wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
    status_->SetLabel(text);
}

void AssessmentEditor::wait_until(const std::function<bool()>& done) {
    if (done()) {
        return;
    }
    // A nested event loop, not wxYield: this may be reached from inside a wxYield (which
    // refuses to recurse) and must keep taking keys, clicks and the worker's answers.
    ++waiting_calls_;
    wxGUIEventLoop loop;
    wxTimer poll;
    poll.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        if (done() && loop.IsRunning()) {
            loop.Exit();
        }
    });
    poll.Start(10);
    loop.Run();
    --waiting_calls_;
}

template <class R>
R AssessmentEditor::call_store(std::function<R(store::Store&)> work) {
    if (!worker_) {
        return work(store_);
    }
    if (offline_) {
        throw ServerAway("the server does not answer: this computer is offline");
    }
    auto reply = std::make_shared<std::optional<StoreReply<R>>>();
    worker_->call<R>(
        std::move(work), [reply](StoreReply<R> r) { *reply = std::move(r); }, call_timeout_);
    wait_until([reply] { return reply->has_value(); });
    StoreReply<R> r = std::move(**reply);
    if (r.ok()) {
        return std::move(*r.value);
    }
    if (r.unreachable || r.timed_out) {
        go_offline(r.message);
        throw ServerAway(r.message);
    }
    if (r.error) {
        std::rethrow_exception(r.error);
    }
    throw store::StoreError(r.message);
}

bool AssessmentEditor::needs_save() const {
    if (!model_ || !id_ || final_ || model_->revision() == saved_revision_) {
        return false;
    }
    if (lease_ != Lease::NotNeeded && lease_ != Lease::Ours) {
        return false;  // another workstation edits this draft: what is shown here stays unsaved
    }
    return !conflict_pending_;  // the person chooses first (resolve_conflict)
}

void AssessmentEditor::post_save() {
    save_timer_.Stop();
    if (!needs_save()) {
        return;
    }
    const std::int64_t id = *id_;
    const Assessment doc = model_->assessment();
    const std::uint64_t revision = model_->revision();
    saved_revision_ = revision;  // on its way: the next autosave waits for a newer change
    if (offline_) {
        journal_save(id, version_->load(), doc, revision);
        return;
    }
    ++saves_in_flight_;
    auto version = version_;
    auto hold = hold_sends_;
    // Keyed: a newer autosave replaces one still waiting behind a slow call.
    worker_->call<std::int64_t>(
        [id, doc, version, hold](store::Store& s) -> std::int64_t {
            if (*hold) {
                throw ServerAway("held back: the server was away");
            }
            const std::int64_t v = s.save_draft(id, doc, version->load());
            version->store(v);
            return v;
        },
        [this, id, revision, doc, version](StoreReply<std::int64_t> r) {
            save_answered(id, revision, doc, version, std::move(r));
        },
        call_timeout_, "save");
}

void AssessmentEditor::wait_for_saves() {
    wait_until([this] { return saves_in_flight_ == 0; });
}

void AssessmentEditor::save_answered(std::int64_t id, std::uint64_t revision, const Assessment& doc,
                                     std::shared_ptr<std::atomic<std::int64_t>> version,
                                     StoreReply<std::int64_t> r) {
    --saves_in_flight_;
    if (r.superseded) {
        return;  // a newer copy is on its way
    }
    const bool shown = id_ && *id_ == id;
    if (r.ok()) {
        if (shown) {
            row_version_ = *r.value;
            if (!refusal_shown_ || model_->refused_fields().empty()) {
                refusal_shown_ = false;
                set_status(
                    wxString::Format(_("Draft saved at %s."), wxDateTime::Now().FormatISOTime()));
            }
        }
        if (on_stored) {
            on_stored();
        }
        return;
    }
    if (r.unreachable || r.timed_out || server_away(r.error)) {
        // Kept on this computer; sent when the server answers again.
        go_offline(r.message);
        journal_save(id, version->load(), doc, revision);
        return;
    }
    if (shown) {
        saved_revision_ = kUnsaved;  // the copy shown is not saved
    }
    try {
        std::rethrow_exception(r.error);
    } catch (const store::ChangedElsewhere& e) {
        if (!shown) {
            return;
        }
        set_status(wxString::Format(_("The draft could not be saved: %s"), wxs(e.what())), true);
        if (e.change().row_version > 0 && !e.change().finalised) {
            conflict_pending_ = true;
            conflict_message_ = wxs(e.what());
            CallAfter([this] { resolve_conflict(); });
        }
    } catch (const std::exception& e) {
        set_status(wxString::Format(_("The draft could not be saved: %s"), wxs(e.what())), true);
    }
}

void AssessmentEditor::journal_save(std::int64_t id, std::int64_t base, const Assessment& doc,
                                    std::uint64_t revision) {
    if (journaled_draft_ == id && revision <= journaled_revision_) {
        return;  // a newer copy of this draft is in the journal already
    }
    try {
        journal().record_save(id, base, doc);
        journaled_draft_ = id;
        journaled_revision_ = revision;
        const std::size_t n = waiting_changes();
        set_status(
            wxString::Format(wxPLURAL("Offline: saving on this computer (%zu change waiting).",
                                      "Offline: saving on this computer (%zu changes waiting).",
                                      static_cast<unsigned>(n)),
                             n));
    } catch (const std::exception& e) {
        if (id_ && *id_ == id) {
            saved_revision_ = kUnsaved;
        }
        set_status(wxString::Format(_("Not saved: the server is away and this computer's "
                                      "offline journal refused it: %s"),
                                    wxs(e.what())),
                   true);
    }
}

void AssessmentEditor::go_offline(const std::string& why) {
    if (offline_) {
        return;
    }
    offline_ = true;
    *hold_sends_ = true;
    replayed_ = 0;
    const wxString text =
        _("Offline: saving on this computer. The server is tried again every "
          "few seconds.");
    set_status(text);
    status_->SetToolTip(wxs(why));  // the technical reason, for whoever looks after the server
    if (on_connection) {
        on_connection(text);
    }
    retry_timer_.Start(retry_ms_);
}

bool AssessmentEditor::refuse_offline(const wxString& what) {
    if (!worker_ || !offline_) {
        return false;
    }
    // Visits are read from the server (this computer keeps only what it could not send): the
    // visit open here stays, with everything typed in it.
    set_status(wxString::Format(_("Offline: %s needs the server, which does not answer. The "
                                  "visit open here stays, and what is typed in it is kept on "
                                  "this computer; try again once the status bar says \"Back "
                                  "online\"."),
                                what),
               true);
    wxBell();
    return true;
}

void AssessmentEditor::retry_server() {
    if (!worker_ || replaying_) {
        return;
    }
    replaying_ = true;
    auto path = journal_path_;
    const Definitions* defs = &defs_;
    auto version = version_;
    const std::int64_t open_id = id_.value_or(0);
    // The replay runs on the worker (its own Store, its own opening of the journal); the open
    // draft's version follows each entry sent, before the journal forgets it, so a change
    // journaled meanwhile carries the right base.
    worker_->call<store::ReplayReport>(
        [path, defs, version, open_id](store::Store& s) {
            store::OfflineJournal journal(path);
            return store::replay(
                s, journal, *defs,
                [version, open_id](std::int64_t before, std::int64_t after, std::int64_t v) {
                    if (open_id != 0 && (before == open_id || after == open_id)) {
                        version->store(v);
                    }
                });
        },
        [this](StoreReply<store::ReplayReport> r) { replay_answered(std::move(r)); },
        std::chrono::milliseconds(120000));
}

void AssessmentEditor::replay_answered(StoreReply<store::ReplayReport> r) {
    replaying_ = false;
    if (!r.ok()) {
        if (!(r.unreachable || r.timed_out)) {
            set_status(wxString::Format(_("Offline: the changes kept on this computer could "
                                          "not be sent yet: %s"),
                                        wxs(r.message)),
                       true);
        }
        return;  // still away: the timer tries again
    }
    const store::ReplayReport& report = *r.value;
    replayed_ += report.sent + report.already + report.events;
    if (id_) {
        if (auto c = report.created.find(*id_); c != report.created.end()) {
            // The visit created offline has its number on the server now.
            const std::int64_t placeholder = *id_;
            id_ = c->second;
            visit_ = c->second;
            visit_version_ = 1;
            journaled_draft_.reset();
            if (on_created) {
                on_created(placeholder, c->second);
            }
            if (!final_ && lease_ == Lease::NotNeeded && store_.on_server() && on_lease_wanted) {
                on_lease_wanted(c->second);  // edited here: held here, as any open draft
            }
        }
        if (auto v = report.versions.find(*id_); v != report.versions.end()) {
            row_version_ = v->second;
        }
    }
    if (report.unreachable) {
        return;  // away again: the rest waits in the journal
    }
    if (journal().pending() > 0) {
        retry_server();  // changes journaled while this replay ran
        return;
    }
    offline_ = false;
    *hold_sends_ = false;
    retry_timer_.Stop();
    status_->UnsetToolTip();
    wxString text =
        wxString::Format(wxPLURAL("Back online: %d change sent.", "Back online: %d changes sent.",
                                  static_cast<unsigned>(replayed_)),
                         replayed_);
    const std::size_t conflicts = journal().conflicts();
    if (conflicts > 0) {
        text += " " + wxString::Format(
                          wxPLURAL("%zu draft was changed elsewhere meanwhile: open it to "
                                   "choose which version to keep.",
                                   "%zu drafts were changed elsewhere meanwhile: open each to "
                                   "choose which version to keep.",
                                   static_cast<unsigned>(conflicts)),
                          conflicts);
    }
    set_status(text);
    if (on_connection) {
        on_connection(text);
    }
    if (on_stored) {
        on_stored();
    }
    offer_journal_conflict();
}

void AssessmentEditor::offer_journal_conflict() {
    if (!journal_ || !id_ || !model_ || conflict_pending_) {
        return;
    }
    auto waiting = journal_->conflict_of(*id_);
    if (!waiting) {
        return;
    }
    conflict_pending_ = true;
    conflict_message_ = wxs(waiting->conflict);
    saved_revision_ = kUnsaved;
    CallAfter([this] { resolve_conflict(); });
}

void AssessmentEditor::open(std::int64_t id) {
    save_now();
    // Opening (again) reads the stored version: that is the answer to a conflict pending now
    // ("reload to see the other change"), so no view of it follows.
    conflict_pending_ = false;
    const store::StoredAssessment s =
        call_store<store::StoredAssessment>([id](store::Store& st) { return st.load(id); });
    show_loaded(id, s);
}

void AssessmentEditor::show_loaded(std::int64_t id, const store::StoredAssessment& s) {
    const bool same_draft = id_ == id;
    if (id_ && !same_draft && lease_ != Lease::NotNeeded && on_lease_released) {
        on_lease_released();  // the draft open so far is no longer edited here
    }
    id_ = id;
    row_version_ = s.info.row_version;
    // A new cell: a save of another draft still on its way keeps its own.
    version_ = std::make_shared<std::atomic<std::int64_t>>(s.info.row_version);
    journaled_draft_.reset();
    visit_.reset();
    if (id > 0) {
        visit_ = s.info.visit;
        visit_version_ = s.info.version;
    }
    final_ = s.info.status == store::Status::Final;
    model_ = std::make_unique<AssessmentModel>(defs_, s.assessment);
    // Changed here while offline and refused at the replay (changed elsewhere meanwhile): the
    // copy shown is this computer's, and the person chooses (offer_journal_conflict below).
    std::optional<store::JournalEntry> conflict =
        journal_ && !final_ ? journal_->conflict_of(id) : std::nullopt;
    if (conflict) {
        if (auto mine = journal_->latest_document(id)) {
            AssessmentParse p = parse_assessment(*mine, defs_, Origin::kStored);
            if (p.assessment) {
                model_ = std::make_unique<AssessmentModel>(defs_, *p.assessment);
            }
        }
    }
    // On a clinic server a draft is edited by one workstation at a time: read-only until the
    // lease is ours (ClinicLink answers in milliseconds, without blocking this thread). A
    // visit created offline (id < 0) exists nowhere else yet.
    const bool wants_lease = !final_ && !store_.read_only() && store_.on_server() && id > 0;
    if (!(same_draft && lease_ == Lease::Ours)) {
        lease_ = wants_lease ? Lease::Checking : Lease::NotNeeded;
        lease_banner_->Hide();
    }
    if (!same_draft) {
        take_over_asked_ = false;  // an answer for the draft open before asks nothing here
    }
    // A second instance opened read-only shows every assessment as it is, changing nothing.
    model_->set_read_only(final_ || store_.read_only() || lease_ == Lease::Checking);
    saved_revision_ = model_->revision();
    date_->ChangeValue(wxs(s.assessment.date));
    date_msg_->SetLabel(wxEmptyString);
    date_->SetEditable(!model_->read_only());
    build_pages();
    go_to_step(std::size_t{0});
    refresh_all();
    show_state();
    Layout();
    if (lease_ == Lease::Checking && on_lease_wanted) {
        on_lease_wanted(id);
    }
    if (conflict) {
        offer_journal_conflict();
    }
}

void AssessmentEditor::apply_editability() {
    if (!model_) {
        return;
    }
    const bool read_only =
        final_ || store_.read_only() || (lease_ != Lease::NotNeeded && lease_ != Lease::Ours);
    if (model_->read_only() != read_only) {
        // The pages are rebuilt from the model, which keeps every answer (saved or not).
        const std::size_t step = current_step();
        model_->set_read_only(read_only);
        date_->SetEditable(!read_only);
        build_pages();
        go_to_step(step);
        refresh_all();
    }
    update_buttons();
    show_state();
}

void AssessmentEditor::show_lease_banner(const wxString& text, bool offer_take_over) {
    lease_text_->SetLabel(text);
    lease_text_->Wrap(std::max(FromDIP(400), GetClientSize().x - FromDIP(200)));
    take_over_->Show(offer_take_over);
    take_over_->Enable(offer_take_over);
    lease_banner_->Show(!text.empty());
    Layout();
}

wxString AssessmentEditor::lease_banner_text() const {
    if (!lease_banner_->IsShown()) {
        return wxString();
    }
    wxString t = lease_text_->GetLabel();
    t.Replace("\n", " ");
    return t;
}

void AssessmentEditor::lease_granted(const store::DraftLease& lease) {
    take_over_asked_ = false;
    if (!model_ || lease_ == Lease::NotNeeded || lease_ == Lease::Ours) {
        return;
    }
    if (lease_ == Lease::Theirs || lease_ == Lease::Lost) {
        // What this window shows may be older than what the other workstation saved: the
        // draft is read again before it can be edited here.
        lease_ = Lease::Ours;
        open(*id_);
    }
    lease_ = Lease::Ours;
    show_lease_banner(wxString(), false);
    apply_editability();
    if (lease.took_over) {
        status_->SetLabel(wxString::Format(
            _("Taken over from %s: you edit this draft now (recorded in the history of "
              "changes)."),
            wxs(lease.taken_from)));
    }
}

void AssessmentEditor::lease_refused(const store::DraftLease& lease) {
    if (!model_ || lease_ == Lease::NotNeeded) {
        return;
    }
    const bool asked_to_take_over = take_over_asked_ && lease_ == Lease::Theirs;
    take_over_asked_ = false;
    lease_ = Lease::Theirs;
    show_lease_banner(wxs(being_edited_by(lease, store::now_ms())), true);
    apply_editability();
    if (!asked_to_take_over) {
        return;
    }
    // The holder's lease is live: taken only once the person confirms, knowing whose work it is.
    TakeOverDialog ask(this, wxs(take_over_question(lease)));
    if (ask.ShowModal() == wxID_YES && id_ && lease_ == Lease::Theirs && on_take_over) {
        take_over_->Disable();  // until the answer
        on_take_over(*id_, true);
        return;
    }
    status_->SetLabel(wxs(not_taken_over(lease, store::now_ms(), lease_stale_after_)) + ".");
}

void AssessmentEditor::set_lease_stale_after(std::chrono::milliseconds stale_after) {
    lease_stale_after_ = stale_after;
    take_over_->SetToolTip(wxs(take_over_tooltip(stale_after)));
}

void AssessmentEditor::lease_lost(const std::string& by, const std::string& workstation) {
    if (!model_ || lease_ != Lease::Ours) {
        return;
    }
    save_timer_.Stop();  // the other workstation edits it now: nothing more is saved here
    lease_ = Lease::Lost;
    show_lease_banner(wxs(taken_over_by(by, workstation)) + ".", false);
    apply_editability();
}

void AssessmentEditor::start(const Assessment& a,
                             const std::map<std::string, std::vector<Json>>& entries) {
    try {
        const std::int64_t id =
            call_store<std::int64_t>([a](store::Store& s) { return s.create_draft(a); });
        open(id);
    } catch (const ServerAway&) {
        // The server is away: the visit is created on this computer under a placeholder
        // number and on the server when it is back.
        save_now();
        store::StoredAssessment local;
        local.assessment = a;
        local.info.id = journal().record_create(a);
        local.info.status = store::Status::Draft;
        show_loaded(local.info.id, local);
        set_status(
            _("Offline: this new visit is kept on this computer and sent to the server "
              "when it is back."));
    }
    for (const auto& [item_id, list] : entries) {
        model_->set_list_entries(item_id, list);
    }
    if (!entries.empty()) {
        refresh_all();
    }
    if (a.kind && *a.kind == "follow_up") {
        // Said once, when it is true: what the draft starts with that the clinician did not type.
        status_->SetLabel(_("Follow-up pre-filled from the last visit: check it."));
    }
    if (on_stored && !offline_) {  // offline, the lists cannot show it yet
        on_stored();
    }
}

void AssessmentEditor::show_state() {
    refusal_shown_ = false;
    status_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
    if (!model_) {
        status_->SetLabel(wxEmptyString);
    } else if (lease_ == Lease::Checking) {
        status_->SetLabel(_("Checking whether another workstation is editing this draft..."));
    } else if (lease_ == Lease::Theirs || lease_ == Lease::Lost) {
        status_->SetLabel(_("Read-only here: another workstation edits this draft (see above)."));
    } else if (store_.read_only()) {
        status_->SetLabel(read_only_reason.empty()
                              ? _("Read-only window: another MyoScreen is changing this database.")
                              : wxString::Format(_("Read-only window: %s."), read_only_reason));
    } else if (final_) {
        status_->SetLabel(_("Final (signed off): Amend makes a corrected version."));
    } else {
        status_->SetLabel(_("Draft: saved automatically after every change."));
    }
}

void AssessmentEditor::close() {
    save_now();
    if (id_ && lease_ != Lease::NotNeeded && on_lease_released) {
        on_lease_released();
    }
    lease_ = Lease::NotNeeded;
    lease_banner_->Hide();
    model_.reset();
    id_.reset();
    book_->DeleteAllPages();
    rows_.clear();
    charts_.clear();
    step_ids_.clear();
    summary_ = nullptr;
    notes_ = nullptr;
    pain_state_ = nullptr;
    no_pain_ = nullptr;
    clear_map_ = nullptr;
    steps_->Clear();
    date_->ChangeValue(wxEmptyString);
    date_msg_->SetLabel(wxEmptyString);
    refresh_all();
    show_state();
}

std::size_t AssessmentEditor::step_count() const {
    return step_ids_.size();
}

std::size_t AssessmentEditor::current_step() const {
    int sel = book_->GetSelection();
    return sel < 0 ? 0 : static_cast<std::size_t>(sel);
}

void AssessmentEditor::go_to_step(const std::string& step_id) {
    for (std::size_t i = 0; i < step_ids_.size(); ++i) {
        if (step_ids_[i] == step_id) {
            go_to_step(i);
        }
    }
}

void AssessmentEditor::go_to_step(std::size_t index) {
    if (!model_ || index >= step_ids_.size()) {
        return;
    }
    model_->mark_visited(step_ids_[index]);
    book_->ChangeSelection(index);
    steps_->SetSelection(static_cast<int>(index));
    refresh_all();
    // The first field of the step gets the keyboard, so a clinician can type straight away.
    const std::string& sid = step_ids_[index];
    if (sid == kSummaryStep) {
        if (summary_) {
            summary_->SetFocus();
        }
    } else {
        for (const ItemDef* item : model_->visible_items(sid)) {
            if (ItemRow* r = row(item->id)) {
                r->focus();
                break;
            }
        }
    }
    update_buttons();
}

ItemRow* AssessmentEditor::row(const std::string& item_id) const {
    auto it = rows_.find(item_id);
    return it == rows_.end() ? nullptr : it->second;
}

BodyChartCtrl* AssessmentEditor::chart_for(const std::string& step_id) const {
    auto it = charts_.find(step_id);
    return it == charts_.end() ? nullptr : it->second;
}

wxString AssessmentEditor::date_message() const {
    return date_msg_->GetLabel();
}

wxWindow* AssessmentEditor::status_line() const {
    return status_;
}

wxString AssessmentEditor::status_text() const {
    return status_->text();
}

void AssessmentEditor::build_pages() {
    Freeze();
    book_->DeleteAllPages();
    rows_.clear();
    charts_.clear();
    step_ids_.clear();
    summary_ = nullptr;
    notes_ = nullptr;
    pain_state_ = nullptr;
    no_pain_ = nullptr;
    clear_map_ = nullptr;
    for (const auto& step : defs_.form.steps) {
        book_->AddPage(build_step_page(step), wxs(step.label));
        step_ids_.push_back(step.id);
    }
    auto* page = new wxPanel(book_);
    auto* ps = new wxBoxSizer(wxVERTICAL);
    ps->Add(new wxStaticText(page, wxID_ANY, _("N&otes (free text kept with this assessment):")),
            wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(6)));
    notes_ = new wxTextCtrl(page, wxID_ANY, wxEmptyString, wxDefaultPosition,
                            wxSize(-1, FromDIP(80)), wxTE_MULTILINE | wxTE_WORDWRAP);
    notes_->SetName(_("Notes"));
    if (model_) {
        notes_->ChangeValue(wxs(model_->assessment().notes.value_or("")));
        notes_->SetEditable(!model_->read_only());
    }
    notes_msg_ = new wxStaticText(page, wxID_ANY, wxEmptyString);
    notes_msg_->SetForegroundColour(error_colour());
    notes_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
        if (model_ && !model_->read_only()) {
            FieldMessage msg = model_->set_notes(u8(notes_->GetValue()));
            notes_msg_->SetLabel(msg ? wxString::FromUTF8("\u26A0 ") + tr(*msg) : wxString());
            notes_msg_->GetParent()->Layout();
            if (!msg) {
                schedule_save();
            }
        }
    });
    ps->Add(notes_, wxSizerFlags().Expand().Border(wxALL, FromDIP(6)));
    ps->Add(notes_msg_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, FromDIP(6)));
    ps->Add(new wxStaticText(page, wxID_ANY,
                             _("The evaluation from the rules: exactly what the reports say.")),
            wxSizerFlags().Border(wxALL, FromDIP(6)));
    summary_ = new SummaryPage(page);
    summary_->SetName(_("Summary"));
    ps->Add(summary_, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6)));
    page->SetSizer(ps);
    book_->AddPage(page, _("Summary"));
    step_ids_.push_back(kSummaryStep);
    refresh_steps();
    Thaw();
}

wxWindow* AssessmentEditor::build_step_page(const StepDef& step) {
    auto mode = chart_ ? chart_mode(step.id) : std::nullopt;
    auto* page = new wxPanel(book_);
    page->SetName(wxs(step.label));
    auto* ps = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(page, wxID_ANY, wxs(step.label));
    title->SetFont(title->GetFont().Bold().Scaled(1.1f));
    auto* title_row = new wxBoxSizer(wxHORIZONTAL);
    title_row->Add(title, wxSizerFlags().CenterVertical());
    if (step.id == "red_flags") {
        // Beside the title, not on a line of its own: the questions get that line at 1024x768.
        auto* keys = new wxStaticText(
            page, wxID_ANY, _("Keys: Y = yes, N = no, U = unknown; the next question follows."));
        keys->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
        title_row->Add(keys, wxSizerFlags(1).CenterVertical().Border(wxLEFT, FromDIP(12)));
        auto_wrap(keys);
    }
    ps->Add(title_row, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(6)));
    if (!step.help.empty()) {
        auto* help = new wxStaticText(page, wxID_ANY, wxs(step.help));
        ps->Add(help, wxSizerFlags().Expand().Border(wxALL, FromDIP(6)));
        auto_wrap(help);
    }
    if (mode) {
        // Graded items beside the chart show bare numbers: say once what the grades mean.
        for (const auto& id : step.item_ids) {
            const ItemDef* item = defs_.form.find(id);
            if (item && !item->value_labels.empty()) {
                wxString legend = _("Grades:");
                for (const auto& v : item->value_labels) {
                    legend += "  " + wxs(v.label) + ";";
                }
                legend.RemoveLast();
                auto* text = new wxStaticText(page, wxID_ANY, legend);
                ps->Add(text,
                        wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6)));
                auto_wrap(text);
                break;
            }
        }
    }
    if (step.id == "pain_map" && chart_) {
        // Rules 2026.2: an untouched map is "not recorded", not "no pain". Saying "no painful
        // areas" is a deliberate act; so is going back to "not recorded".
        // The state on its own line (it is as long as the buttons), the actions below it.
        pain_state_ = new wxStaticText(page, wxID_ANY, wxEmptyString);
        pain_state_->SetFont(pain_state_->GetFont().Bold());
        ps->Add(pain_state_,
                wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6)));
        auto* line = new wxBoxSizer(wxHORIZONTAL);
        no_pain_ = new wxButton(page, wxID_ANY, _("N&o painful areas"));
        no_pain_->SetToolTip(
            _("Records all 19 areas as not painful (WPI 0). To start again "
              "after marking areas, clear the pain map first."));
        clear_map_ = new wxButton(page, wxID_ANY, _("C&lear pain map"));
        clear_map_->SetToolTip(
            _("Removes every answer on the pain map: back to \"pain map not recorded\"."));
        line->Add(no_pain_, wxSizerFlags().CenterVertical().Border(wxRIGHT, FromDIP(6)));
        line->Add(clear_map_, wxSizerFlags().CenterVertical());
        ps->Add(line, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6)));
        no_pain_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            if (!model_) {
                return;
            }
            model_->record_no_painful_areas();
            changed({});
            // The button is now disabled: the keyboard stays on the page, on its opposite.
            clear_map_->SetFocus();
        });
        clear_map_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            if (!model_) {
                return;
            }
            model_->clear_pain_map();
            changed({});
            no_pain_->SetFocus();
        });
    }
    auto* body = new wxBoxSizer(wxHORIZONTAL);
    BodyChartCtrl* chart = nullptr;
    if (mode) {
        chart = new BodyChartCtrl(page, *chart_, *model_, *mode);
        // It scales: on a 1024-wide screen it gives way to the rows beside it.
        chart->SetMinSize(FromDIP(wxSize(200, 300)));
        // The chart gets most of the width: it is what the clinician looks at and clicks.
        body->Add(chart, wxSizerFlags(3).Expand().Border(wxRIGHT, FromDIP(6)));
        charts_[step.id] = chart;
    }
    auto* scroll = new wxScrolledWindow(page, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                        wxVSCROLL | wxTAB_TRAVERSAL);
    scroll->SetScrollRate(0, FromDIP(12));
    keep_focus_visible(scroll);
    auto* rs = new wxBoxSizer(wxVERTICAL);
    std::vector<ItemRow*> yes_no_rows;
    for (const auto& id : step.item_ids) {
        const ItemDef* item = defs_.form.find(id);
        if (!item) {
            continue;
        }
        auto* r = new ItemRow(scroll, *model_, *item, mode.has_value());
        rows_[id] = r;
        // Keyed rows (21 red flags) closer together: the step fits two screens at 1024x768.
        rs->Add(r, wxSizerFlags().Expand().Border(wxALL, FromDIP(r->answers_by_key() ? 1 : 3)));
        r->on_changed = [this](ItemRow& changed_row) { changed(changed_row.item().id); };
        if (r->answers_by_key()) {
            yes_no_rows.push_back(r);
        }
    }
    // Y, N or U answers and moves on, so the whole screen can be done from the keyboard.
    for (std::size_t i = 0; i < yes_no_rows.size(); ++i) {
        ItemRow* next = i + 1 < yes_no_rows.size() ? yes_no_rows[i + 1] : nullptr;
        // Focusing a row scrolls it into view (keep_focus_visible).
        yes_no_rows[i]->on_key_answer = [next](ItemRow&) {
            if (next) {
                next->focus();
            }
        };
    }
    scroll->SetSizer(rs);
    if (chart) {
        // Beside the chart the rows keep their width (a grade list cut to ".." says nothing);
        // the chart, which scales, gives way.
        const int bar = wxSystemSettings::GetMetric(wxSYS_VSCROLL_X, scroll);
        scroll->SetMinSize(wxSize(rs->CalcMin().x + std::max(bar, FromDIP(16)), -1));
    }
    body->Add(scroll, wxSizerFlags(2).Expand());
    ps->Add(body, wxSizerFlags(1).Expand());
    page->SetSizer(ps);
    if (chart) {
        chart->on_changed = [this](const std::string& id) { changed(id); };
        chart->on_site_chosen = [this](const std::string& id) {
            if (ItemRow* r = row(id)) {
                r->focus();
            }
        };
    }
    return page;
}

FieldMessage AssessmentEditor::apply(const std::string& item_id, const Json& value) {
    if (!model_) {
        return std::string("No assessment is open.");
    }
    auto msg = model_->set_answer(item_id, value);
    changed(item_id);
    return msg;
}

void AssessmentEditor::changed(const std::string& source_item) {
    (void)source_item;
    refresh_all();
    schedule_save();
}

void AssessmentEditor::refresh_all() {
    if (model_ && !step_ids_.empty()) {
        const std::string& sid = step_ids_[current_step()];
        bool relayout = false;
        for (const auto& step : defs_.form.steps) {
            if (step.id != sid) {
                continue;
            }
            for (const auto& id : step.item_ids) {
                if (ItemRow* r = row(id)) {
                    bool visible = model_->is_visible(id);
                    if (r->IsShown() != visible) {
                        r->Show(visible);
                        relayout = true;
                    }
                    r->refresh();
                }
            }
        }
        if (relayout) {
            book_->GetCurrentPage()->Layout();
        }
        if (BodyChartCtrl* c = chart_for(sid)) {
            c->Refresh();
        }
        if (sid == kSummaryStep && summary_) {
            summary_->show(model_->summary_lines());
        }
        for (auto& page_scroll : book_->GetCurrentPage()->GetChildren()) {
            if (auto* sw = dynamic_cast<wxScrolledWindow*>(page_scroll)) {
                sw->FitInside();
            }
        }
    }
    // A final (or read-only) visit's fields look it: greyed, not merely refusing keys.
    const bool editable = model_ && !model_->read_only();
    date_->Enable(editable);
    if (notes_ && notes_->IsEditable() != editable) {
        // Multi-line: GTK 3.24's text view can crash when made insensitive while it holds a
        // cursor (gtk_text_layout_cursors_changed), so it stops taking edits and is greyed.
        notes_->SetEditable(editable);
        notes_->SetBackgroundColour(editable ? wxNullColour
                                             : wxSystemSettings::GetColour(wxSYS_COLOUR_BTNFACE));
        notes_->Refresh();
    }
    refresh_pain_map();
    live_->update(model_.get());
    refresh_steps();
    refresh_banner();
    refresh_header();
    update_buttons();
}

void AssessmentEditor::refresh_pain_map() {
    if (!pain_state_ || !model_) {
        return;
    }
    bool recorded = model_->pain_map_recorded();
    int painful = model_->painful_areas();
    wxString text =
        !recorded ? _("Pain map not recorded.")
        : painful == 0
            ? _("No painful areas (recorded: WPI 0).")
            : wxString::Format(wxPLURAL("%d painful area of 19.", "%d painful areas of 19.",
                                        static_cast<unsigned>(painful)),
                               painful);
    if (pain_state_->GetLabel() != text) {
        pain_state_->SetLabel(text);
        pain_state_->GetParent()->Layout();
    }
    bool editable = !model_->read_only();
    no_pain_->Enable(editable && !recorded);
    clear_map_->Enable(editable && recorded);
}

wxString AssessmentEditor::pain_map_state() const {
    return pain_state_ ? pain_state_->GetLabel() : wxString();
}

void AssessmentEditor::refresh_steps() {
    if (!model_) {
        return;
    }
    auto states = model_->steps();
    bool rebuild = steps_->GetCount() != states.size();
    for (std::size_t i = 0; i < states.size(); ++i) {
        const StepState& s = states[i];
        wxString mark = s.status == StepStatus::Complete  ? wxString::FromUTF8("\u2713 ")
                        : s.status == StepStatus::Partial ? wxString::FromUTF8("\u25D0 ")
                                                          : wxString::FromUTF8("\u25CB ");
        wxString label = mark + (s.id == kSummaryStep ? _("Summary") : wxs(s.label));
        if (s.expected > 0 && s.status != StepStatus::Complete) {
            // TRANSLATORS: a step's answered and expected items, e.g. "(5 of 11)".
            label += wxString::Format(_(" (%d of %d)"), s.answered, s.expected);
        }
        if (!s.note.empty()) {
            label += " (" + tr(s.note) + ")";
        }
        if (rebuild) {
            steps_->Append(label);
        } else if (steps_->GetString(static_cast<unsigned>(i)) != label) {
            steps_->SetString(static_cast<unsigned>(i), label);
        }
    }
    if (!step_ids_.empty()) {
        steps_->SetSelection(static_cast<int>(current_step()));
    }
}

void AssessmentEditor::refresh_banner() {
    bool show = false;
    if (model_) {
        auto pending = model_->pending_emergencies();
        if (!pending.empty()) {
            wxString text;
            for (const auto& id : pending) {
                const FlagResult* f = model_->evaluation().flag(id);
                if (!f) {
                    continue;
                }
                text += (text.empty() ? wxString() : wxString("\n")) +
                        wxString::Format(_("EMERGENCY: %s. %s"), wxs(f->label), wxs(f->action));
            }
            // A window that cannot write (another MyoScreen holds the database) still shows
            // the emergency, but must not pretend it can record the acknowledgement. A final
            // assessment in a writable window is not "a read-only window": Amend is the way.
            if (store_.read_only()) {
                text += "\n" + _("This window is read-only: acknowledge it where the "
                                 "assessment can be edited.");
            } else if (model_->read_only()) {
                text += "\n" + _("This assessment is final: Amend it to record the "
                                 "acknowledgement.");
            }
            if (banner_text_->GetLabel() != text) {
                banner_text_->SetLabel(text);
                banner_text_->Wrap(std::max(FromDIP(400), GetClientSize().x - FromDIP(260)));
            }
            show = true;
        }
    }
    ack_button_->Enable(show && !model_->read_only());
    if (banner_->IsShown() != show) {
        banner_->Show(show);
        Layout();
    }
}

void AssessmentEditor::refresh_header() {
    if (!model_) {
        header_->SetLabel(
            _("No assessment is open. Choose a patient and a visit, or start a new assessment."));
        return;
    }
    const Assessment& a = model_->assessment();
    wxString kind = a.kind && *a.kind == "follow_up" ? _("follow-up") : _("initial");
    wxString status = final_ ? _("final (read-only)") : _("draft");
    wxString age = model_->evaluation().age
                       ? wxString::Format(_(", %d years"), *model_->evaluation().age)
                       : wxString();
    header_->SetLabel(wxString::Format(_("%s (%s), born %s%s. Visit %s, %s, %s."),
                                       wxs(a.patient.name), wxs(a.patient.id),
                                       wxs(a.patient.birth_date), age, wxs(a.date), kind, status));
}

void AssessmentEditor::update_buttons() {
    bool open = model_ != nullptr;
    std::size_t cur = current_step();
    back_->Enable(open && cur > 0);
    next_->Enable(open && cur + 1 < step_count());
    // A read-only window (another MyoScreen is the writer) can look and print, not sign off.
    bool writable = !store_.read_only() && (lease_ == Lease::NotNeeded || lease_ == Lease::Ours);
    finalize_->Enable(open && !final_ && writable);
    amend_->Enable(open && final_ && writable);
    referral_->Enable(open);
    handout_->Enable(open);
}

void AssessmentEditor::schedule_save() {
    if (!save_timer_.IsRunning()) {
        save_timer_.StartOnce(kAutosaveMs);
    }
}

void AssessmentEditor::save_now() {
    save_timer_.Stop();
    if (worker_) {
        post_save();
        wait_for_saves();
        return;
    }
    if (!needs_save()) {
        return;  // nothing new, another workstation edits it, or the person chooses first
    }
    try {
        // No worker: a file (a local write), or a read-only window (needs_save() is false).
        row_version_ = store_.save_draft(*id_, model_->assessment(), row_version_);
        saved_revision_ = model_->revision();
        // Why Finalize stopped stays in view until the refused value is dealt with.
        if (!refusal_shown_ || model_->refused_fields().empty()) {
            refusal_shown_ = false;
            status_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
            status_->SetLabel(
                wxString::Format(_("Draft saved at %s."), wxDateTime::Now().FormatISOTime()));
        }
        if (on_stored) {
            on_stored();
        }
    } catch (const store::ChangedElsewhere& e) {
        status_->SetForegroundColour(error_colour());
        // Saved elsewhere since this copy was read (not finalised, not discarded): what
        // differs is shown and the person chooses, once this event is over. The window says
        // so in its own words (the CLI's advice to reload does not apply here).
        if (e.change().row_version > 0 && !e.change().finalised) {
            status_->SetLabel(wxs(conflict_status(store::what_happened(e))));
            conflict_pending_ = true;
            conflict_message_ = wxs(store::what_happened(e));
            CallAfter([this] { resolve_conflict(); });
        } else {
            status_->SetLabel(
                wxString::Format(_("The draft could not be saved: %s"), wxs(e.what())));
        }
    } catch (const std::exception& e) {
        status_->SetForegroundColour(error_colour());
        status_->SetLabel(wxString::Format(_("The draft could not be saved: %s"), wxs(e.what())));
    }
}

bool AssessmentEditor::resolve_conflict() {
    // Once: the dialog's own event loop runs the call queued by the refused save.
    if (!conflict_pending_ || resolving_conflict_ || !model_ || !id_) {
        return false;
    }
    store::StoredAssessment theirs;
    try {
        const std::int64_t id = *id_;
        theirs = call_store<store::StoredAssessment>([id](store::Store& s) { return s.load(id); });
    } catch (const std::exception& e) {
        conflict_pending_ = false;
        show_error(this, _("The saved version could not be read."), e);
        return false;
    }
    ConflictDialog dlg(this, wxs(conflict_intro(u8(conflict_message_))),
                       differences(defs_, model_->assessment(), theirs.assessment));
    resolving_conflict_ = true;
    const int choice = dlg.ShowModal();
    resolving_conflict_ = false;
    conflict_pending_ = false;
    if (choice == ConflictDialog::kKeepMine) {
        // Saved over the version just read: the other change stays in the history of changes.
        row_version_ = theirs.info.row_version;
        version_->store(theirs.info.row_version);
        if (journal_) {
            journal_->drop_draft(*id_);  // what the journal held is this window's copy
        }
        save_now();
    } else if (choice == ConflictDialog::kTakeTheirs) {
        if (journal_) {
            journal_->drop_draft(*id_);  // set aside, as chosen
        }
        const std::size_t step = current_step();
        saved_revision_ = model_->revision();  // this window's copy is set aside as chosen
        open(*id_);
        go_to_step(step);
        status_->SetLabel(_("The saved version is shown: your copy was set aside, as chosen."));
    } else {
        // Decided nothing: the refusal stays in view, the answers here; the next save asks.
        status_->SetForegroundColour(error_colour());
        status_->SetLabel(wxs(conflict_status(u8(conflict_message_))));
    }
    return true;
}

bool AssessmentEditor::refuse_read_only() {
    const bool edited_elsewhere = lease_ != Lease::NotNeeded && lease_ != Lease::Ours;
    if (!store_.read_only() && !edited_elsewhere) {
        return false;
    }
    // Every command that writes refuses here, whichever way it was reached (a button, a
    // shortcut, a menu): the status line says why, nothing is asked or written.
    show_state();
    wxBell();
    return true;
}

void AssessmentEditor::acknowledge_emergencies() {
    if (!model_ || refuse_read_only()) {
        return;
    }
    if (model_->pending_emergencies().empty()) {
        return;
    }
    // The acknowledgement names the person who pressed the button: the signed-in clinician,
    // asked for now if nobody is; else the assessment's clinician; else it says no name was set.
    if (clinician.empty() && ask_clinician) {
        ask_clinician(_("An emergency acknowledgement records who acknowledged it."));
    }
    std::string by = clinician;
    if (by.empty() && model_->assessment().clinician && !model_->assessment().clinician->empty()) {
        by = *model_->assessment().clinician;
    }
    if (by.empty()) {
        by = u8(_("the clinician (no name set)"));
    }
    for (const auto& id : model_->pending_emergencies()) {
        model_->acknowledge(id, by, iso_now_utc());
    }
    changed({});
}

bool AssessmentEditor::finalize(bool confirm) {
    if (!model_ || final_ || !id_ || refuse_read_only()) {
        return false;
    }
    // The model knows every field holding refused text as it was typed (each keystroke goes
    // to it), so a click on Finalize straight after typing "12" in a 0-10 field stops here.
    FinalizeCheck check = model_->finalize_check();
    if (!check.refused.empty()) {
        show_refused(check.refused);
        return false;
    }
    if (!check.problems.empty()) {
        wxString text = _("This assessment cannot be finalized yet:");
        for (const auto& p : check.problems) {
            text += "\n- " + tr(p);
        }
        wxMessageBox(text, _("Finalize"), wxOK | wxICON_WARNING, this);
        return false;
    }
    if (confirm) {
        FinalizeDialog dlg(this, check);
        int answer = dlg.ShowModal();
        if (answer == FinalizeDialog::kScreenRedFlags) {
            go_to_step(std::string("red_flags"));
            const auto& unscreened = model_->evaluation().unscreened;
            if (ItemRow* r = unscreened.empty() ? nullptr : row(unscreened.front())) {
                r->focus();
            }
            return false;
        }
        if (answer != wxID_OK) {
            return false;
        }
    }
    // The finalized assessment names its clinician: the signed-in one when it names nobody.
    if (clinician.empty() && ask_clinician) {
        ask_clinician(_("A finalized assessment records who signed it off."));
    }
    const Assessment& signed_off = model_->assessment();
    if (!clinician.empty() && (!signed_off.clinician || signed_off.clinician->empty())) {
        model_->set_visit(signed_off.date, signed_off.kind, clinician);
    }
    bool signed_offline = false;
    try {
        save_now();
        if (!worker_) {
            store_.finalize(*id_);  // a file: local (a read-only window cannot finalize)
        } else {
            if (conflict_pending_ || model_->revision() != saved_revision_) {
                return false;  // the save was refused: the status line says why
            }
            const std::int64_t id = *id_;
            signed_offline = offline_;
            if (!signed_offline) {
                try {
                    call_store<int>([id](store::Store& s) {
                        s.finalize(id);
                        return 0;
                    });
                } catch (const ServerAway&) {
                    signed_offline = true;
                }
            }
            if (signed_offline) {
                // Signed off from the local copy; the sign-off is sent after the saves before it.
                journal().record_finalize(id, version_->load(), model_->assessment());
            }
        }
    } catch (const std::exception& e) {
        show_error(this, _("The assessment could not be finalized."), e);
        return false;
    }
    final_ = true;
    model_->set_read_only(true);
    date_->SetEditable(false);
    if (notes_) {
        notes_->SetEditable(false);
    }
    refresh_all();
    show_state();
    if (signed_offline) {
        set_status(
            _("Finalized on this computer: the sign-off is sent to the server when it "
              "is back."));
    }
    if (on_stored && !offline_) {  // offline, the lists cannot show it yet
        on_stored();
    }
    return true;
}

void AssessmentEditor::show_refused(const std::vector<RefusedField>& refused) {
    wxString names;
    for (const auto& r : refused) {
        names += (names.empty() ? wxString() : wxString(", ")) + "\"" + tr(r.label) + "\"";
    }
    refusal_shown_ = true;
    status_->SetForegroundColour(error_colour());
    status_->SetLabel(wxString::Format(
        wxPLURAL("Not finalized: refused value in %s.", "Not finalized: refused values in %s.",
                 static_cast<unsigned>(refused.size())),
        names));
    // The first one gets the keyboard, on its page, with its message beside it.
    const RefusedField& first = refused.front();
    if (first.field == kVisitDateField) {
        date_->SetFocus();
        date_->SelectAll();
        return;
    }
    go_to_step(first.step);
    if (first.field == kNotesField) {
        if (notes_) {
            notes_->SetFocus();
        }
        return;
    }
    if (ItemRow* r = row(first.field)) {
        r->focus();
        if (r->text()) {
            r->text()->SelectAll();
        }
        // After the toolkit has scrolled the focused field into view.
        CallAfter([this, id = first.field] {
            if (ItemRow* shown = row(id)) {
                reveal(shown);
            }
        });
    }
}

void AssessmentEditor::amend() {
    if (!model_ || !final_ || !id_ || refuse_read_only() ||
        refuse_offline(_("amending a final assessment"))) {
        return;
    }
    try {
        const std::int64_t original = *id_;
        std::int64_t id =
            call_store<std::int64_t>([original](store::Store& s) { return s.amend(original); });
        std::string step = step_ids_.empty() ? std::string() : step_ids_[current_step()];
        open(id);
        go_to_step(step);
        status_->SetLabel(
            _("A new version to correct the final assessment; the original is kept."));
        if (on_stored) {
            on_stored();
        }
    } catch (const ServerAway&) {
        refuse_offline(_("amending a final assessment"));  // found away just now
    } catch (const std::exception& e) {
        show_error(this, _("The assessment could not be amended."), e);
    }
}

std::optional<std::string> AssessmentEditor::write_pdf(PdfKind kind, const std::string& dir) {
    if (!model_) {
        return std::nullopt;
    }
    save_now();
    try {
        std::string folder = dir.empty() ? report_dir : dir;
        std::string path;
        bool offline_pdf = false;
        if (!worker_ && output_reads) {
            // A read-only window on a clinic server (issue 14): the letterhead and the visit's
            // number on the read worker, the PDF written when they come (nothing to record).
            return write_read_only_pdf(kind, folder);
        }
        if (!worker_) {
            path = gui::write_pdf(defs_, model_->assessment(), model_->evaluation(), kind, folder,
                                  store_, id_);  // a file: local
        } else {
            // From the editor's copy, with the letterhead and the visit's number as last read:
            // no network call here, and it works while the server is away.
            if (!letterhead_ && !offline_) {
                try {
                    letterhead_ =
                        call_store<Letterhead>([](store::Store& s) { return read_letterhead(s); });
                } catch (const ServerAway&) {
                }
            }
            if (!letterhead_) {
                throw store::StoreError(
                    "the letterhead (Preferences) could not be read: the server is away");
            }
            path = write_local_pdf(defs_, model_->assessment(), model_->evaluation(), kind, folder,
                                   *letterhead_, visit_, visit_version_, {journal_path_.string()});
            offline_pdf = offline_;
            // Into the trail (issue 7): a visit created offline is named by its placeholder,
            // which the replay turns into the server's number.
            const store::AuditRef ref{model_->assessment().patient.id, id_};
            const std::string summary =
                std::string(kind == PdfKind::Referral ? "referral" : "handout") +
                " PDF written to " + path;
            if (offline_ && !store_.read_only()) {
                // Kept with the changes and sent with them, saying when and by whom.
                journal().record_event(store::audit_action::kPdf, ref, summary, login);
            } else if (!store_.read_only()) {
                // On the worker. A server gone meanwhile: the row is kept with the changes
                // (timed out, it may yet arrive: two rows then, rather than none).
                worker_->call<int>(
                    [ref, summary](store::Store& s) {
                        s.record_event(store::audit_action::kPdf, ref, summary);
                        return 0;
                    },
                    [this, ref, summary](StoreReply<int> r) {
                        if (r.unreachable || r.timed_out || server_away(r.error)) {
                            go_offline(r.message);
                            try {
                                journal().record_event(store::audit_action::kPdf, ref, summary,
                                                       login);
                            } catch (const std::exception&) {
                                // The journal's own refusal shows at the next change kept.
                            }
                        }
                    });
            }
        }
        status_->SetLabel(offline_pdf
                              ? wxString::Format(_("Wrote %s (offline: it goes into the server's "
                                                   "history of changes when the server is back)."),
                                                 wxs(path))
                              : wxString::Format(_("Wrote %s."), wxs(path)));
        if (open_viewer) {
            wxLaunchDefaultApplication(wxs(path));
        }
        return path;
    } catch (const std::exception& e) {
        show_error(this, _("The PDF could not be written."), e);
        return std::nullopt;
    }
}

std::optional<std::string> AssessmentEditor::write_read_only_pdf(PdfKind kind,
                                                                 const std::string& folder) {
    struct Inputs {
        Letterhead letterhead;
        std::optional<VisitVersion> visit;
    };
    status_->SetLabel(_("Reading the letterhead from the clinic server..."));
    auto a = std::make_shared<Assessment>(model_->assessment());
    auto ev = std::make_shared<Evaluation>(model_->evaluation());
    StoreReads(store_, output_reads)
        .call<Inputs>(
            [id = id_](store::Store& s) {
                Inputs in{read_letterhead(s), std::nullopt};
                if (id && *id > 0) {
                    const store::AssessmentInfo info = s.info(*id);
                    in.visit = VisitVersion{info.visit, info.version};
                }
                return in;
            },
            [this, kind, folder, a, ev](StoreReply<Inputs> r) {
                if (!r.ok()) {
                    status_->SetLabel(
                        wxString::Format(_("The PDF was not written: %s"), wxs(read_failure(r))));
                    return;
                }
                try {
                    const std::string path = write_local_pdf(
                        defs_, *a, *ev, kind, folder, r.value->letterhead,
                        r.value->visit ? std::optional<std::int64_t>(r.value->visit->visit)
                                       : std::nullopt,
                        r.value->visit ? r.value->visit->version : 1, local_database_files(store_));
                    status_->SetLabel(wxString::Format(_("Wrote %s."), wxs(path)));
                    if (open_viewer) {
                        wxLaunchDefaultApplication(wxs(path));
                    }
                } catch (const std::exception& e) {
                    show_error(this, _("The PDF could not be written."), e);
                }
            },
            "pdf");
    return std::nullopt;
}

std::optional<std::string> AssessmentEditor::export_fhir(const std::string& path) {
    if (!model_) {
        return std::nullopt;
    }
    save_now();
    std::string target = path;
    if (target.empty()) {
        wxFileDialog dlg(this, _("Export FHIR"), wxs(report_dir),
                         wxs(fhir_file_name(model_->assessment())), _("FHIR JSON (*.json)|*.json"),
                         wxFD_SAVE);
        if (dlg.ShowModal() != wxID_OK) {
            return std::nullopt;
        }
        target = dlg.GetPath().utf8_string();
    }
    // What the export reads (the letterhead, the patient id system) on the window's read
    // worker on a server (issue 14); the Bundle is then made and written here, from the
    // editor's copy, and the trail row goes to the editor's worker.
    StoreReads reads(store_, output_reads);
    if (reads.deferred()) {
        status_->SetLabel(_("Reading the letterhead from the clinic server..."));
    }
    // Set when the answer comes inside call() (a file); shared, so a later one writes no
    // finished stack frame.
    auto written = std::make_shared<std::optional<std::string>>();
    auto a = std::make_shared<Assessment>(model_->assessment());
    auto ev = std::make_shared<Evaluation>(model_->evaluation());
    reads.call<FhirInputs>(
        [](store::Store& s) { return read_fhir_inputs(s); },
        [this, target, a, ev, id = id_, written](StoreReply<FhirInputs> r) {
            if (!r.ok()) {
                status_->SetLabel(wxString::Format(_("The FHIR export was not written: %s"),
                                                   wxs(read_failure(r))));
                return;
            }
            try {
                std::vector<std::string> protect = local_database_files(store_);
                if (!journal_path_.empty()) {
                    protect.push_back(journal_path_.string());
                }
                write_local_fhir(defs_, *a, *ev, target, *r.value, protect);
                const std::optional<std::int64_t> visit = id && *id > 0 ? id : std::nullopt;
                if (!worker_) {
                    record_fhir(store_, a->patient.id, visit, target);  // a file: local
                } else if (!offline_ && !store_.read_only()) {
                    worker_->call<int>(
                        [patient = a->patient.id, visit, target](store::Store& s) {
                            record_fhir(s, patient, visit, target);
                            return 0;
                        },
                        [](StoreReply<int>) {});
                }
                status_->SetLabel(wxString::Format(_("Wrote %s."), wxs(target)));
                *written = target;
            } catch (const std::exception& e) {
                show_error(this, _("The FHIR export could not be written."), e);
            }
        },
        "fhir");
    return *written;
}

}  // namespace myo::gui
