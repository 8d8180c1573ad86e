#pragma once
// A status line that takes the whole width of its row and wraps there, however often its text
// changes (wx_util's auto_wrap serves a label set once). The editor's status line needs it: at
// 1024x768 one row shared with the buttons cut long messages ("Read-only here: another
// workstation edits this draft (see", a save's refusal, "Wrote ..." after an export).

#include <wx/stattext.h>

namespace myo::gui {

class WrappedLabel : public wxStaticText {
  public:
    explicit WrappedLabel(wxWindow* parent);
    // Shows `label`, wrapped at the control's width (and again whenever that changes).
    void SetLabel(const wxString& label) override;
    // The text as set, without the line breaks of the wrapping.
    const wxString& text() const { return text_; }

  private:
    void rewrap();
    wxString text_;
    int wrapped_at_ = -1;
    bool busy_ = false;  // Wrap() sets the label itself: those calls are ours
};

}  // namespace myo::gui
