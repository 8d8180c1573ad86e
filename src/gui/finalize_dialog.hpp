#pragma once
// The Finalize confirmation: before signing off, what the assessment is missing (red-flag
// questions not screened, by their text; a duration or pain map not recorded; steps with
// questions left; list entries not kept), from the model's finalize_check. Unscreened red
// flags need an explicit choice: the sign-off button then says "Finalize with N red flags not
// screened", and Cancel is the default, so Enter never signs off what was not screened.

#include <wx/dialog.h>

#include "gui/model/assessment_model.hpp"

class wxButton;
class wxTextCtrl;

namespace myo::gui {

class FinalizeDialog : public wxDialog {
  public:
    // Returned by ShowModal when the clinician chose to screen the red flags first.
    static constexpr int kScreenRedFlags = wxID_HIGHEST + 311;

    FinalizeDialog(wxWindow* parent, const FinalizeCheck& check);

    // For tests and screen readers: the text listed and the buttons.
    wxString text() const;
    wxButton* finalize_button() const { return finalize_; }
    wxButton* screen_button() const { return screen_; }

  private:
    wxTextCtrl* list_ = nullptr;
    wxButton* finalize_ = nullptr;
    wxButton* screen_ = nullptr;
};

// The list the dialog shows, one line per missing thing (also what a test compares).
wxString finalize_missing_text(const FinalizeCheck& check);

}  // namespace myo::gui
