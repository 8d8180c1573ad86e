#pragma once
// The Summary step: core's evaluation (evaluation_lines, the words of `myoscreen-cli evaluate
// --format text` and of the reports) laid out as a page to read: the urgency in its colour,
// the red flags first with their findings, rule, action and source, then the scores, the
// pattern's criteria, the suggested tests each with its reasons, referrals, notes and advice.
// Every word is core's; only the layout is the page's.

#include <string>
#include <vector>

#include <wx/html/htmlwin.h>

#include "core/text_summary.hpp"

namespace myo::gui {

// The page's HTML: every text escaped, so nothing typed can become markup.
std::string summary_html(const std::vector<SummaryLine>& lines);

class SummaryPage : public wxHtmlWindow {
  public:
    explicit SummaryPage(wxWindow* parent);
    void show(const std::vector<SummaryLine>& lines);
    // The page's words as plain text (for tests and screen readers).
    wxString text() const { return const_cast<SummaryPage*>(this)->ToText(); }
};

}  // namespace myo::gui
