#pragma once
// The GUI's edge between UTF-8 std::string (everywhere else) and wxString, and the urgency
// colours. Colour is never the only sign: every place that colours an urgency also names it.

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <wx/colour.h>
#include <wx/dialog.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/string.h>
#include <wx/textctrl.h>

#include "core/rules.hpp"
#include "gui/model/patient_input.hpp"

class wxWindow;
class wxStaticText;

namespace myo::gui {

// The dark red of every refusal and alarm line (readable on the light theme's background).
inline wxColour error_colour() {
    return wxColour(0xB0, 0x00, 0x20);
}

inline wxString wxs(const std::string& s) {
    return wxString::FromUTF8(s.data(), s.size());
}
inline std::string u8(const wxString& s) {
    return s.utf8_string();
}
// A message of the presentation model (gui/model: English, wx-free) on its way to the screen:
// looked up in the message catalog like a _() string. Messages that embed a value ("got 11")
// only translate once the catalog carries them; until then they show in English, unchanged.
inline wxString tr(const std::string& s) {
    return s.empty() ? wxString() : wxGetTranslation(wxs(s));
}

struct UrgencyColours {
    wxColour back;
    wxColour fore;
};
// Background and text colours with a contrast ratio of at least 4.5:1.
UrgencyColours urgency_colours(Urgency u);

// "2026-11-20T10:15:00Z"
std::string iso_now_utc();
// "2026-11-20", today in local time (the visit date a clinician expects).
std::string today_local();

// Makes a static text re-wrap to the width its sizer gives it (add it with Expand), so long
// help and messages fit any window size instead of running off the edge.
void auto_wrap(wxStaticText* text);

// Shows a caught exception as a message box whose text is the exception's sentence.
void show_error(wxWindow* parent, const wxString& what, const std::exception& e);

// A dialog whose fields each have a message line beside them: a message goes as soon as its
// field is edited (so none is left describing old text), and OK closes the dialog only when
// `accept` finds every field acceptable (it writes the messages otherwise).
void bind_field_messages(wxDialog* dialog,
                         std::initializer_list<std::pair<wxTextCtrl*, wxStaticText*>> fields,
                         std::function<bool()> accept);

// The message line under a field in a two-column form grid (an empty cell, then the line in
// the refusal colour), for show_field_problems to fill.
wxStaticText* add_field_message(wxWindow* parent, wxFlexGridSizer* grid);

// A dialog field as the model's checks name it ("name", "clinic_name"...), its control and the
// message line beside it.
struct DialogField {
    std::string id;
    wxWindow* control = nullptr;
    wxStaticText* message = nullptr;
};

// Writes each problem's message beside its field (wrapped to the field's width, so a long one
// does not widen the dialog) and clears the others; refits the dialog and puts the keyboard on
// the first refused field. A problem naming no listed field goes to the last one. Returns
// whether there was none.
bool show_field_problems(wxDialog* dialog, const std::vector<DialogField>& fields,
                         const std::vector<PatientFieldProblem>& problems);

// The messages shown beside the fields, one a line, each unwrapped (for tests).
wxString field_messages(const std::vector<DialogField>& fields);

}  // namespace myo::gui
