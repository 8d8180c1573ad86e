#pragma once
// The always-visible panel beside the assessment: overall urgency in words and colour, each
// positive red flag with its urgency, what triggered it and what to do, the count of red-flag
// questions not yet screened, and the main scores. Everything comes from the model (core).

#include <vector>

#include <wx/colour.h>
#include <wx/scrolwin.h>

#include "core/assessment.hpp"

class wxStaticText;
class wxBoxSizer;

namespace myo::gui {

class AssessmentModel;

class LivePanel : public wxScrolledWindow {
  public:
    explicit LivePanel(wxWindow* parent);
    // Shows the model's live summary. Most changes (a body-chart click, a score) alter only
    // some words: those labels change in place, and nothing is rebuilt or laid out for an
    // answer that changes no word (a click must answer within a frame on a slow laptop).
    void update(const AssessmentModel* model);
    // The panel's words, top to bottom (what a screen reader or a test reads).
    wxString text() const;
    // How many times the panel's widgets were built (tests: a changed score rebuilds nothing).
    int builds() const { return builds_; }

    // One line of the panel: a coloured band (an urgency) or a text.
    struct Line {
        bool band = false;
        Urgency urgency = Urgency::Routine;  // a band's colours
        wxString text;
        bool bold = false;
        wxColour fore;      // wxNullColour: the theme's
        bool last = false;  // the bottom line, with a margin below
        // Same widget shape (all but the words): the label can change in place.
        bool same_shape(const Line& o) const {
            return band == o.band && urgency == o.urgency && bold == o.bold && fore == o.fore &&
                   last == o.last;
        }
    };

  private:
    void build(const std::vector<Line>& lines, int wrap);

    wxBoxSizer* sizer_ = nullptr;
    std::vector<Line> shown_;
    std::vector<wxStaticText*> labels_;  // one per shown line
    int wrap_ = -1;                      // the width the labels were wrapped to
    wxString text_;
    int builds_ = 0;
};

}  // namespace myo::gui
