#pragma once
// The guided assessment: the steps of forms/assessment.json down the side with completion
// marks, one page per step built from the form, the body chart on the pain map, tender point
// and PPT steps, the live panel always visible, an emergency banner, the summary, and the
// buttons to finalize, amend and write the PDFs. Drafts are saved to the store shortly after
// every change.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/panel.h>
#include <wx/timer.h>

#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "gui/model/assessment_model.hpp"
#include "gui/pdf_output.hpp"
#include "gui/store_worker.hpp"
#include "store/store_types.hpp"

class wxListBox;
class wxSimplebook;
class wxStaticText;
class wxButton;
class wxTextCtrl;
class wxScrolledWindow;

namespace myo::store {
class Store;
class OfflineJournal;
struct ReplayReport;
}  // namespace myo::store

namespace myo::gui {

class ItemRow;
class WrappedLabel;
class LivePanel;
class SummaryPage;
class BodyChartCtrl;

class AssessmentEditor : public wxPanel {
  public:
    AssessmentEditor(wxWindow* parent, const Definitions& defs, const BodyChart* chart,
                     store::Store& store);
    ~AssessmentEditor() override;

    // Opens a stored assessment (draft: editable; final: read-only).
    void open(std::int64_t id);
    // Stores a new draft for this assessment and opens it; `entries` are list entries the
    // draft starts with that are not answers yet (a follow-up's PSFS activities, unscored).
    void start(const Assessment& a, const std::map<std::string, std::vector<Json>>& entries = {});
    void close();
    bool has_assessment() const { return model_ != nullptr; }
    std::optional<std::int64_t> assessment_id() const { return id_; }
    AssessmentModel* model() { return model_.get(); }

    // Navigation between steps (the summary is the last).
    std::size_t step_count() const;
    std::size_t current_step() const;
    void go_to_step(std::size_t index);
    void go_to_step(const std::string& step_id);

    // Sets an answer as a control would (through the model, then autosave); for --fill.
    FieldMessage apply(const std::string& item_id, const Json& value);
    // Writes the draft now (also done automatically after every change).
    void save_now();
    // Signs off after checking core's problems and the acknowledgements; asks for confirmation
    // unless `confirm` is false. A field holding a refused value blocks it (even with
    // `confirm` false): the status line names the field and the focus goes there. The
    // confirmation lists what is missing (FinalizeDialog). Returns true if the assessment is
    // now final.
    bool finalize(bool confirm = true);
    void amend();
    // Writes a PDF into `dir` (or the preferences' report folder) and opens it unless told
    // not to. Returns the file written, or nullopt (with a message shown).
    std::optional<std::string> write_pdf(PdfKind kind, const std::string& dir = {});
    // File > Export FHIR... (issue 16): the visit as a FHIR Bundle, to `path` or, when empty,
    // where a save dialog says. Returns the file written, or nullopt (with a message shown).
    // On a clinic server the letterhead and the patient id system are read on `output_reads`
    // first (issue 14): nullopt then, and the status line says "Wrote ..." when it is done, or
    // why not.
    std::optional<std::string> export_fhir(const std::string& path = {});
    // The window's read worker on a clinic server (MainFrame's), null for a file: what the
    // outputs read before they are written.
    StoreWorker* output_reads = nullptr;
    // write_pdf in a read-only window on a clinic server (no editor worker): see output_reads.
    std::optional<std::string> write_read_only_pdf(PdfKind kind, const std::string& folder);
    void acknowledge_emergencies();

    // Called when something the patient list shows changed (saved, finalized).
    std::function<void()> on_stored;
    std::string report_dir;  // from preferences
    std::string clinician;   // from preferences: who acknowledges an emergency
    // On a server, the login (ServerSession): named in the audit row of a PDF written offline.
    std::string login;
    // Asks who is signed in when nobody is (the main window's ClinicianDialog), with why;
    // true when a name is now set. Unset: nobody is asked (tests).
    std::function<bool(const wxString& why)> ask_clinician;
    bool open_viewer = true;
    // Why the store is read-only, for the status line (MainFrame sets it: another MyoScreen is
    // the writer, or the login is a readonly one).
    wxString read_only_reason;

    // --- issue 14: the lease of the open draft on a clinic server. While another workstation
    // edits it, this window shows it read-only with a banner naming who, where and since when.
    enum class Lease {
        NotNeeded,  // a file, a final, or a read-only window
        Checking,   // asked for (on_lease_wanted), no answer yet: read-only meanwhile
        Ours,       // held here: editable
        Theirs,     // another workstation edits it: read-only, banner, Take over
        Lost,       // was ours, taken over elsewhere: read-only, what was typed still shown
    };
    Lease lease() const { return lease_; }
    // ClinicLink's answers (MainFrame passes them on).
    void lease_granted(const store::DraftLease& lease);
    void lease_refused(const store::DraftLease& lease);
    void lease_lost(const std::string& by, const std::string& workstation);
    std::function<void(std::int64_t draft)> on_lease_wanted;  // a draft opened: hold it
    std::function<void()> on_lease_released;                  // it closed (or another opened)
    // "Take over" pressed; `even_if_live` once the person confirmed taking a live lease.
    std::function<void(std::int64_t draft, bool even_if_live)> on_take_over;
    // The server's lease policy (Store::lease_stale_after, from ClinicLink): the words about
    // expiry in the tooltip and the status line say it.
    void set_lease_stale_after(std::chrono::milliseconds stale_after);
    wxWindow* lease_banner() const { return lease_banner_; }
    wxString lease_banner_text() const;
    wxButton* take_over_button() const { return take_over_; }
    // "It changed under you": after a save met a newer version (ChangedElsewhere), shows the
    // ConflictDialog (what differs, field by field) and does what the person chose: keep theirs
    // (saved over it as the new version) or take the saved one. Returns whether one was shown.
    // An autosave that meets the conflict calls it right after (CallAfter).
    bool resolve_conflict();
    bool conflict_pending() const { return conflict_pending_; }

    // --- issue 14, "Server down, cable out": on a clinic server (MainFrame calls use_server)
    // the editor's store calls run on a StoreWorker of its own, so typing never waits for the
    // network: an autosave is posted and answered later (one at a time, each carrying the
    // row version the previous returned; a newer autosave replaces one still waiting), the
    // explicit ones (open, a new visit, Finalize, Amend, Save, the conflict's re-read) wait for
    // their answer in a nested event loop, so the window keeps taking keys meanwhile. A call
    // the server does not answer (unreachable, timed out) puts the editor offline: every
    // change goes to the offline journal (`journal`, store/offline_journal.hpp), the status
    // says "Offline: saving on this computer", and the server is tried every few seconds off
    // this thread; when it answers the journal is replayed (conflicts: the conflict dialog).
    // A file stays synchronous: see use_server.
    void use_server(StoreWorker::Opener open, const std::filesystem::path& journal);
    bool offline() const { return offline_; }
    // Changes in the journal waiting for the server (conflicts included).
    std::size_t waiting_changes() const;
    // Offline, what needs the server (opening another visit, Amend) is not tried: says so on
    // the status line ("Offline: <what> needs the server...") and rings; true then.
    bool refuse_offline(const wxString& what);
    // Tries the server now (the retry timer does it every kRetryMs while offline).
    void retry_server();
    // Tests: how long a call waits for the server, and how often the server is tried.
    void set_server_timing(std::chrono::milliseconds call_timeout, int retry_ms);
    // What the connection state says, for the frame's status bar ("Offline: ...", "Back
    // online: ..."); called on every change of it.
    std::function<void(const wxString&)> on_connection;
    // After a replay: a visit created offline got its number on the server.
    std::function<void(std::int64_t placeholder, std::int64_t id)> on_created;

    // For tests and screenshots.
    ItemRow* row(const std::string& item_id) const;
    BodyChartCtrl* chart_for(const std::string& step_id) const;
    LivePanel* live_panel() const { return live_; }
    SummaryPage* summary() const { return summary_; }
    wxWindow* banner() const { return banner_; }
    wxButton* acknowledge_button() const { return ack_button_; }
    wxListBox* step_list() const { return steps_; }
    wxString status_text() const;  // as set, without the line breaks of its wrapping
    wxWindow* status_line() const;
    wxTextCtrl* date_field() const { return date_; }
    wxTextCtrl* notes_field() const { return notes_; }
    wxStaticText* notes_message() const { return notes_msg_; }
    wxString date_message() const;
    wxButton* finalize_button() const { return finalize_; }
    // The pain map's "No painful areas" and "Clear pain map" actions and its state in words.
    wxButton* no_pain_button() const { return no_pain_; }
    wxButton* clear_pain_map_button() const { return clear_map_; }
    wxString pain_map_state() const;

  private:
    // When the store is read-only: says why on the status line, rings, returns true.
    bool refuse_read_only();
    // The fields and buttons follow what may be changed now (final, read-only store, lease),
    // keeping the model's answers: nothing typed is lost when a window turns read-only.
    void apply_editability();
    void show_lease_banner(const wxString& text, bool offer_take_over);
    void build_pages();
    wxWindow* build_step_page(const StepDef& step);
    void changed(const std::string& source_item);
    void refresh_all();
    void refresh_steps();
    void refresh_banner();
    void refresh_header();
    void schedule_save();
    void update_buttons();
    void refresh_pain_map();
    // Goes to a field holding refused text and says why Finalize stopped.
    void show_refused(const std::vector<RefusedField>& refused);
    // The status line: what is true of the open assessment now (draft, final, read-only).
    void show_state();
    // Shows a stored (or journaled) assessment: the part of open() after the read.
    void show_loaded(std::int64_t id, const store::StoredAssessment& s);
    // Runs `work` on the store: directly for a file, else on the worker, waiting for the
    // answer in a nested event loop (rethrows its exception; a server that does not answer
    // puts the editor offline and throws ServerAway).
    template <class R>
    R call_store(std::function<R(store::Store&)> work);
    // Posts an autosave of the open draft (server), or journals it (offline).
    void post_save();
    void save_answered(std::int64_t id, std::uint64_t revision, const Assessment& doc,
                       std::shared_ptr<std::atomic<std::int64_t>> version,
                       StoreReply<std::int64_t> reply);
    // Waits (nested event loop) until no autosave is on its way.
    void wait_for_saves();
    // Handles events in a nested event loop until `done` (checked every 10 ms).
    void wait_until(const std::function<bool()>& done);
    // The open draft has changes to save, and may be saved from here.
    bool needs_save() const;
    void journal_save(std::int64_t id, std::int64_t base, const Assessment& doc,
                      std::uint64_t revision);
    void go_offline(const std::string& why);
    void replay_answered(StoreReply<store::ReplayReport> reply);
    // The journal holds a conflict for the open draft: the person chooses (resolve_conflict).
    void offer_journal_conflict();
    void set_status(const wxString& text, bool alarm = false);
    // The offline journal, its file made at the first change it keeps.
    store::OfflineJournal& journal();

    std::unique_ptr<StoreWorker> worker_;
    std::unique_ptr<store::OfflineJournal> journal_;
    std::filesystem::path journal_path_;
    // The open draft's row version as the worker last had it back: the next queued save reads
    // it on the worker thread, so saves posted before the previous one answered carry the
    // version it returned.
    std::shared_ptr<std::atomic<std::int64_t>> version_ =
        std::make_shared<std::atomic<std::int64_t>>(0);
    // Set while offline: saves still queued on the worker are not sent (journaled instead),
    // so an older copy never reaches the server after a newer one was journaled.
    std::shared_ptr<std::atomic<bool>> hold_sends_ = std::make_shared<std::atomic<bool>>(false);
    int saves_in_flight_ = 0;
    bool offline_ = false;
    bool replaying_ = false;
    int waiting_calls_ = 0;
    std::optional<std::int64_t> journaled_draft_;
    std::uint64_t journaled_revision_ = 0;
    std::chrono::milliseconds call_timeout_{8000};
    int retry_ms_ = 3000;
    wxTimer retry_timer_;
    // What the PDFs need when the server is away: the letterhead and the visit's number as
    // last read.
    std::optional<Letterhead> letterhead_;
    std::optional<std::int64_t> visit_;
    int visit_version_ = 1;

    const Definitions& defs_;
    const BodyChart* chart_;
    Lease lease_ = Lease::NotNeeded;
    bool conflict_pending_ = false;
    bool resolving_conflict_ = false;  // its dialog is on screen
    wxString conflict_message_;        // store::what_happened of the refused save
    wxPanel* lease_banner_ = nullptr;
    wxStaticText* lease_text_ = nullptr;
    wxButton* take_over_ = nullptr;
    bool take_over_asked_ = false;  // Take over pressed, ClinicLink's answer not in yet
    std::chrono::milliseconds lease_stale_after_{0};  // 0: not known yet
    store::Store& store_;
    std::unique_ptr<AssessmentModel> model_;
    std::optional<std::int64_t> id_;
    // The draft's row version this copy is based on: a save carries it, so that a save over
    // another window's or workstation's newer one is refused (issue 13).
    std::int64_t row_version_ = 0;
    bool final_ = false;

    wxStaticText* header_ = nullptr;
    wxTextCtrl* date_ = nullptr;
    wxStaticText* date_msg_ = nullptr;
    wxTextCtrl* notes_ = nullptr;        // on the summary page
    wxStaticText* notes_msg_ = nullptr;  // a refused note, beside the field
    wxPanel* banner_ = nullptr;
    wxStaticText* banner_text_ = nullptr;
    wxButton* ack_button_ = nullptr;
    wxListBox* steps_ = nullptr;
    wxSimplebook* book_ = nullptr;
    LivePanel* live_ = nullptr;
    SummaryPage* summary_ = nullptr;
    WrappedLabel* status_ = nullptr;
    wxButton* back_ = nullptr;
    wxButton* next_ = nullptr;
    wxButton* finalize_ = nullptr;
    wxButton* amend_ = nullptr;
    wxButton* referral_ = nullptr;
    wxButton* handout_ = nullptr;
    wxStaticText* pain_state_ = nullptr;  // on the pain map page
    wxButton* no_pain_ = nullptr;
    wxButton* clear_map_ = nullptr;
    std::map<std::string, ItemRow*> rows_;
    std::map<std::string, BodyChartCtrl*> charts_;
    std::vector<std::string> step_ids_;
    bool refusal_shown_ = false;  // the status line says why Finalize stopped
    wxTimer save_timer_;
    std::uint64_t saved_revision_ = 0;
    int replayed_ = 0;  // changes the replays sent since the server went away
};

}  // namespace myo::gui
