#pragma once
// "It changed under you" (issue 14): a save met a newer version of the draft (a colleague saved
// or took it over). The dialog says who, when and from where, lists what differs field by field
// in the form's words (yours / theirs), and lets the person keep theirs (saved as the new
// version) or take the other. Closing it decides nothing: the answers stay in the window and
// the next save asks again.

#include <vector>

#include <wx/dialog.h>

#include "gui/model/conflict_model.hpp"

class wxButton;
class wxListCtrl;
class wxStaticText;

namespace myo::gui {

class ConflictDialog : public wxDialog {
  public:
    enum Choice { kKeepMine = wxID_YES, kTakeTheirs = wxID_NO };
    // `what_happened`: the window's own paragraph (conflict_model's conflict_intro).
    ConflictDialog(wxWindow* parent, const wxString& what_happened,
                   const std::vector<FieldDifference>& differences);
    // The first paragraph as shown, less the line breaks of its wrapping (for tests).
    wxString intro_text() const;
    wxListCtrl* table() const { return table_; }
    wxButton* keep_mine_button() const { return keep_mine_; }
    wxButton* take_theirs_button() const { return take_theirs_; }

  private:
    wxStaticText* intro_ = nullptr;
    wxListCtrl* table_ = nullptr;
    wxButton* keep_mine_ = nullptr;
    wxButton* take_theirs_ = nullptr;
};

}  // namespace myo::gui
