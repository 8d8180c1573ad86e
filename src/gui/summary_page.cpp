#include "gui/summary_page.hpp"

#include <wx/settings.h>

#include "core/markup.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

namespace {

std::string hex(const wxColour& c) {
    return u8(c.GetAsString(wxC2S_HTML_SYNTAX));
}

// "finding: " -> "finding:", "[EMERGENCY] " -> "EMERGENCY": the padding and brackets were the
// terminal's way of lining up and marking; the page uses columns and colour.
std::string trimmed(std::string s) {
    while (!s.empty() && s.back() == ' ') {
        s.pop_back();
    }
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
        s = s.substr(1, s.size() - 2);
    }
    return s;
}

std::string badge(const SummaryLine& l) {
    const UrgencyColours c = urgency_colours(l.urgency.value_or(Urgency::Routine));
    return "<td bgcolor=\"" + hex(c.back) + "\" nowrap><font color=\"" + hex(c.fore) + "\"><b>" +
           escape_markup(trimmed(l.lead)) + "</b></font></td>";
}

}  // namespace

std::string summary_html(const std::vector<SummaryLine>& lines) {
    using Role = SummaryLine::Role;
    std::string h = "<html><body>";
    enum class Open { kNone, kDetails, kList, kChecks };
    Open open = Open::kNone;
    auto close = [&]() {
        if (open == Open::kDetails || open == Open::kChecks) {
            h += "</table>";
        } else if (open == Open::kList) {
            h += "</ul>";
        }
        open = Open::kNone;
    };
    auto ensure = [&](Open want, const std::string& start) {
        if (open != want) {
            close();
            h += start;
            open = want;
        }
    };
    for (const auto& l : lines) {
        const std::string text = escape_markup(l.text);
        switch (l.role) {
            case Role::kTitle:
                close();
                h += "<p><font color=\"#555555\">" + text + "</font></p>";
                break;
            case Role::kField:
                close();
                h += "<p><b>" + escape_markup(trimmed(l.lead)) + "</b> " + text + "</p>";
                break;
            case Role::kUrgency: {
                close();
                const UrgencyColours c = urgency_colours(l.urgency.value_or(Urgency::Routine));
                h +=
                    "<table width=\"100%\" cellpadding=\"6\" cellspacing=\"0\"><tr><td bgcolor=\"" +
                    hex(c.back) + "\"><font color=\"" + hex(c.fore) + "\" size=\"+1\"><b>" +
                    escape_markup(trimmed(l.lead)) + " " + text + "</b></font></td></tr></table>";
                break;
            }
            case Role::kHeading:
                close();
                h += "<p><font size=\"+1\"><b>" + escape_markup(l.lead) + text + "</b></font></p>";
                break;
            case Role::kSubheading:
                close();
                h += "<p><i>" + text + "</i></p>";
                break;
            case Role::kFlag:
                close();
                h += "<table cellpadding=\"3\" cellspacing=\"0\"><tr>" + badge(l) + "<td><b>" +
                     text + "</b></td></tr></table>";
                break;
            case Role::kDetail:
                ensure(Open::kDetails, "<table cellpadding=\"1\" cellspacing=\"0\">");
                h += "<tr><td width=\"24\"></td><td valign=\"top\" nowrap><font "
                     "color=\"#555555\">" +
                     escape_markup(trimmed(l.lead)) + "&nbsp;</font></td><td valign=\"top\">" +
                     text + "</td></tr>";
                break;
            case Role::kItem:
                if (l.lead.empty()) {
                    close();  // a test: its name, then its reasons as details
                    h += "<p><b>" + text + "</b></p>";
                } else {
                    ensure(Open::kList, "<ul>");
                    h += "<li>" + text + "</li>";
                }
                break;
            case Role::kCheck:
                ensure(Open::kChecks, "<table cellpadding=\"1\" cellspacing=\"0\">");
                h += "<tr><td width=\"24\"></td><td valign=\"top\" nowrap><tt>" +
                     escape_markup(l.lead) + "</tt></td><td valign=\"top\">" + text + "</td></tr>";
                break;
            case Role::kText:
                close();
                h += "<p>" + text + "</p>";
                break;
            case Role::kBlank:
                close();
                break;
            case Role::kFooter:
                close();
                h += "<hr><p><i>" + text + "</i></p>";
                break;
        }
    }
    close();
    return h + "</body></html>";
}

SummaryPage::SummaryPage(wxWindow* parent)
    : wxHtmlWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                   wxHW_SCROLLBAR_AUTO | wxBORDER_THEME) {
    SetStandardFonts(GetFont().GetPointSize());
    SetBackgroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW));
}

void SummaryPage::show(const std::vector<SummaryLine>& lines) {
    // Keep the reader's place when the page is refreshed after a change.
    int x = 0;
    int y = 0;
    GetViewStart(&x, &y);
    SetPage(wxString::FromUTF8(summary_html(lines)));
    Scroll(x, y);
}

}  // namespace myo::gui
