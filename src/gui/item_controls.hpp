#pragma once
// One row of the assessment editor for one item of forms/assessment.json, chosen by the
// item's type alone, so a new item in the JSON appears without C++ changes. Every row has a
// label (the control's accessible name too), the unit, the help text and a message line for a
// refused value.

#include <functional>
#include <string>
#include <vector>

#include <wx/panel.h>

#include "core/form.hpp"

class wxStaticText;
class wxTextCtrl;
class wxChoice;
class wxCheckBox;
class wxToggleButton;
class wxBoxSizer;

namespace myo::gui {

class AssessmentModel;

class ItemRow : public wxPanel {
  public:
    // Compact rows sit beside the body chart: a narrower label, help as a tooltip, graded
    // items as bare numbers (the page shows the grades' legend once).
    ItemRow(wxWindow* parent, AssessmentModel& model, const ItemDef& item, bool compact = false);

    const ItemDef& item() const { return item_; }
    // Shows the model's answer; leaves a text field alone while it holds refused text, so a
    // half-typed value is never overwritten under the clinician's fingers.
    void refresh();
    void set_message(const std::string& message);
    wxString message() const;
    // Called after the model accepted or refused a change made in this row.
    std::function<void(ItemRow&)> on_changed;
    // Yes/no/unknown rows: called after Y, N or U was pressed (the page moves to the next row).
    std::function<void(ItemRow&)> on_key_answer;
    // Rows answered with keys (Y/N, and U for red flags) with one button per answer.
    bool answers_by_key() const { return !toggles_.empty(); }
    // Puts the keyboard focus on the row's main control.
    void focus();

    // For tests and the body chart: the controls, by kind (null when the type has none).
    wxTextCtrl* text() const { return text_; }
    wxChoice* choice() const { return choice_; }
    wxCheckBox* check() const { return check_; }
    const std::vector<wxCheckBox*>& multi() const { return multi_; }
    // Yes/No/Unknown buttons of a red flag, Yes/No of a yes/no finding (neither: not asked).
    const std::vector<wxToggleButton*>& toggles() const { return toggles_; }

  private:
    void build_yes_no(wxBoxSizer* line);
    std::vector<Json> key_values() const;
    void offer(const Json& value);
    void offer_text(const wxString& text);
    void commit_list();
    void rebuild_list();

    AssessmentModel& model_;
    const ItemDef& item_;
    wxStaticText* message_ = nullptr;
    wxString message_text_;   // the message as shown, before wrapping
    int message_indent_ = 0;  // pixels left of the message (under the label column)
    wxTextCtrl* text_ = nullptr;
    wxChoice* choice_ = nullptr;
    wxCheckBox* check_ = nullptr;
    std::vector<wxCheckBox*> multi_;
    std::vector<wxToggleButton*> toggles_;
    wxStaticText* not_asked_ = nullptr;  // yes/no findings: says "not asked" in words
    bool editing_ = false;               // inside this row's own text change
    bool updating_ = false;
    // List items (PSFS, trigger points): the entries being edited, complete or not.
    wxBoxSizer* list_sizer_ = nullptr;
    wxPanel* list_panel_ = nullptr;
    std::vector<Json> entries_;
    wxString last_edited_;  // the name of the entry field typed in last ("Entry 1: Score")
};

}  // namespace myo::gui
