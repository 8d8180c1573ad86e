#pragma once
// The always-visible panel beside the assessment: overall urgency in words and colour, each
// positive red flag with its urgency, what triggered it and what to do, the count of red-flag
// questions not yet screened, and the main scores. Everything comes from the model (core).

#include <wx/scrolwin.h>

class wxStaticText;
class wxBoxSizer;

namespace myo::gui {

class AssessmentModel;

class LivePanel : public wxScrolledWindow {
  public:
    explicit LivePanel(wxWindow* parent);
    void update(const AssessmentModel* model);
    // The panel's words, top to bottom (what a screen reader or a test reads).
    wxString text() const;

  private:
    wxBoxSizer* sizer_ = nullptr;
    wxString text_;
};

}  // namespace myo::gui
