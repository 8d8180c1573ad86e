#pragma once
// The assessment editor's state without any window (after lmi's mvc_model): which steps exist
// and how complete they are, which items are visible, the current answers, the message for a
// refused value, the red-flag screen and the live summary. The wx editor only mirrors this, so
// everything a clinician relies on here is unit-tested without a display. Every score, flag
// and sentence comes from core (evaluate, describe_*), never from this class.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "core/text_summary.hpp"

namespace myo::gui {

enum class StepStatus { NotStarted, Partial, Complete };

struct StepState {
    std::string id;  // a form step id, or kSummaryStep
    std::string label;
    std::string help;
    std::string note;  // what the mark cannot say, e.g. "not recorded" on an untouched pain map
    StepStatus status = StepStatus::NotStarted;
    int answered = 0;  // visible items with an answer
    int expected = 0;  // visible items that complete the step (see is_expected)
};

inline constexpr const char* kSummaryStep = "summary";

// One positive red flag as the live panel shows it: urgency in words (never colour alone),
// the findings that triggered it and what to do.
struct LiveFlag {
    std::string id;
    std::string label;
    Urgency urgency = Urgency::Routine;
    std::string urgency_text;           // "Emergency", from rules.json
    std::vector<std::string> findings;  // describe_finding of each `because`
    std::string action;
    bool needs_acknowledgement = false;  // an emergency not yet acknowledged
};

struct LiveSummary {
    Urgency urgency = Urgency::Routine;
    std::string urgency_text;
    std::string urgency_meaning;
    std::vector<LiveFlag> flags;  // positive flags, in rules order
    int unscreened = 0;           // red-flag questions absent or "unknown"
    int screen_size = 0;          // red-flag questions in the form
    std::string wpi;              // "9 of 19" or "pain map not recorded"
    std::string sss;              // "7 of 12" or "not known"
    std::string tender_points;    // "11 of 18" or "not examined"
};

// The result of offering a value to a field: empty when accepted, else the message to show
// beside the field (the value is not stored).
using FieldMessage = std::optional<std::string>;

// Field names for the typed fields that are not form items.
inline constexpr const char* kVisitDateField = "visit.date";
inline constexpr const char* kNotesField = "notes";

// A field holding typed text that was refused: the text stays in the field for the clinician
// to correct, with its message; nothing of it is stored, and it blocks Finalize. The model
// keeps it (not the window), so a click on Finalize straight after typing sees it, and a field
// rebuilt or shown again shows the same text and message.
struct RefusedField {
    std::string field;  // an item id, kVisitDateField or kNotesField
    std::string label;  // what the screen calls the field
    std::string step;   // the step it is on ("" for the visit date, kSummaryStep for notes)
    std::string text;   // as typed ("" for a list, whose entries the editor keeps)
    std::string message;
};

// What Finalize tells the clinician before signing off (finalize_check). `refused` and
// `problems` block it; the rest is listed in the confirmation, and unscreened red flags need
// an explicit choice.
struct FinalizeCheck {
    std::vector<RefusedField> refused;      // typed values that were refused
    std::vector<std::string> problems;      // core's problems, emergencies not acknowledged
    std::vector<std::string> unscreened;    // red-flag questions not screened (question text)
    std::vector<std::string> not_recorded;  // "Duration of the current pain: not recorded"...
    bool blocked() const { return !refused.empty() || !problems.empty(); }
    bool complete() const { return unscreened.empty() && not_recorded.empty(); }
};

class AssessmentModel {
  public:
    AssessmentModel(const Definitions& defs, Assessment assessment);

    const Definitions& definitions() const { return *defs_; }
    const FormDef& form() const { return defs_->form; }
    const Assessment& assessment() const { return a_; }

    // Steps of forms/assessment.json in order, then the summary.
    std::vector<StepState> steps() const;
    StepState step(const std::string& step_id) const;
    // The visible items of a step, in form order (visible_when evaluated on current answers).
    std::vector<const ItemDef*> visible_items(const std::string& step_id) const;
    bool is_visible(const std::string& item_id) const;
    // Whether an unanswered item leaves its step incomplete: text, lists and groups where an
    // absent value has a meaning (WPI area: not painful; PPT: not measured) do not.
    bool is_expected(const ItemDef& item) const;
    void mark_visited(const std::string& step_id);
    bool visited(const std::string& step_id) const;

    // Answers. Values are checked with core's check_answer; a refused value is not stored.
    const Json* answer(const std::string& item_id) const;
    FieldMessage set_answer(const std::string& item_id, const Json& value);
    // Text typed into an int or num field ("" clears it); other types take the text as is.
    // Refused text clears the stored answer (the field shows the text and the message).
    FieldMessage set_answer_text(const std::string& item_id, const std::string& text);
    void clear_answer(const std::string& item_id);
    // The current answer as text ("" when absent).
    std::string answer_text(const std::string& item_id) const;
    // What an int/num/text field shows: the refused text while there is one, else the answer.
    std::string field_text(const std::string& item_id) const;

    // Fields holding refused text (see RefusedField): the visit date, then form order, then
    // the notes. A field whose item is hidden holds none (its answer is dropped too).
    const RefusedField* refused(const std::string& field) const;
    std::vector<RefusedField> refused_fields() const;

    // List items (PSFS, trigger points) as the editor holds them: every entry, complete or
    // not. Complete entries are the answer; an entry still missing a required field (a PSFS
    // activity carried to a follow-up, waiting for today's score) is kept here, not stored,
    // and listed by finalize_check. Returns the message for the list ("" when all is well).
    std::vector<Json> list_entries(const std::string& item_id) const;
    FieldMessage set_list_entries(const std::string& item_id, std::vector<Json> entries);
    // What the list says now (a refused value, entries not kept yet), as set_list_entries did.
    FieldMessage list_message(const std::string& item_id) const;

    // The pain map (rules 2026.2): recorded once any wpi.* area is present. "No painful
    // areas" records all of them as not painful; "Clear" goes back to not recorded.
    bool pain_map_recorded() const;
    int painful_areas() const;
    void record_no_painful_areas();
    void clear_pain_map();

    // Red-flag screen: the rf items in form order; key 'y', 'n' or 'u' (either case).
    std::vector<const ItemDef*> red_flag_items() const;
    FieldMessage set_red_flag_key(const std::string& item_id, char key);

    void set_visit(const std::string& date, const std::optional<std::string>& kind,
                   const std::optional<std::string>& clinician);
    // The visit date as typed: a real YYYY-MM-DD date, not before the patient's birth and not
    // after today (latest_today(): the date anywhere on Earth). A refused
    // date is not stored (the message says why).
    FieldMessage set_visit_date(const std::string& text);
    // The assessment's free-text notes ("" removes them), normalised. Refused (and not
    // stored) past 20,000 characters or with a character the reports cannot print.
    FieldMessage set_notes(const std::string& notes);

    // Emergency flags: positive, urgency emergency, not yet acknowledged.
    std::vector<std::string> pending_emergencies() const;
    void acknowledge(const std::string& flag_id, const std::string& by, const std::string& at);
    bool acknowledged(const std::string& flag_id) const;

    const Evaluation& evaluation() const { return eval_; }
    LiveSummary live() const;
    // The summary step's text: core's evaluation_to_text, the same wording as the CLI.
    std::string summary_text() const;
    // The same evaluation as lines with their roles (the summary page lays them out).
    std::vector<SummaryLine> summary_lines() const;
    // Problems left before the assessment can be finalized (validate_assessment plus the
    // emergencies not acknowledged), as sentences.
    std::vector<std::string> finalize_problems() const;
    // Everything Finalize says: what blocks it and what is missing (see FinalizeCheck).
    FinalizeCheck finalize_check() const;

    // A finalized assessment is read-only: every setter refuses with a message.
    void set_read_only(bool read_only) { read_only_ = read_only; }
    bool read_only() const { return read_only_; }
    // Increases on every accepted change (the editor autosaves when it moves).
    std::uint64_t revision() const { return revision_; }

  private:
    void changed();
    FieldMessage refuse_text(const std::string& item_id, FieldMessage message);
    // Records (message) or forgets (nullopt) refused text in a field; returns the message.
    FieldMessage note_typed(const std::string& field, const std::string& text,
                            FieldMessage message);
    void drop_hidden_answers();
    bool visible_in(const ItemDef& item) const;
    // An entry with every required field of its list (only those are kept in the answer).
    static bool entry_complete(const ItemDef& list, const Json& entry);

    const Definitions* defs_;
    Assessment a_;
    Evaluation eval_;
    std::vector<std::string> visited_;
    std::map<std::string, RefusedField> refused_;
    std::map<std::string, std::vector<Json>> entries_;  // list items as edited
    bool read_only_ = false;
    std::uint64_t revision_ = 0;
};

// A follow-up visit pre-filled from the last one where the answer is unlikely to change
// between visits (medication, contributing factors, how the pain began and feels); findings
// that are measured again (pain ratings, pain map, tender points, red flags) start empty.
// Derived from the last visit: the duration (then, plus the whole weeks since), the previous
// weight (the last visit's weight today, and how many whole months ago it was taken).
Assessment follow_up_from(const Assessment& last, const std::string& date);
bool carried_to_follow_up(const std::string& item_id);
// List entries a follow-up starts with, by item id: the PSFS activities named exactly as at
// the last visit (Progress compares them by name), without scores. Give them to the model
// with set_list_entries.
std::map<std::string, std::vector<Json>> follow_up_list_entries(const Assessment& last);

}  // namespace myo::gui
