#include "gui/live_panel.hpp"

#include <wx/intl.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "gui/model/assessment_model.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

LivePanel::LivePanel(wxWindow* parent)
    : wxScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                       wxVSCROLL | wxBORDER_THEME) {
    SetName(_("Live summary"));
    sizer_ = new wxBoxSizer(wxVERTICAL);
    SetSizer(sizer_);
    SetScrollRate(0, FromDIP(10));
    SetMinSize(FromDIP(wxSize(280, -1)));
}

wxString LivePanel::text() const {
    return text_;
}

namespace {

// The panel's lines for a model: what it says, before any widget exists.
std::vector<LivePanel::Line> live_lines(const AssessmentModel* model) {
    using Line = LivePanel::Line;
    std::vector<Line> lines;
    auto text = [&](const wxString& s, bool bold = false, const wxColour& fore = wxNullColour) {
        Line l;
        l.text = s;
        l.bold = bold;
        l.fore = fore;
        lines.push_back(l);
    };
    auto band = [&](Urgency u, const wxString& s) {
        Line l;
        l.band = true;
        l.urgency = u;
        l.text = s;
        l.bold = true;
        lines.push_back(l);
    };
    if (!model) {
        text(_("No assessment is open."));
        return lines;
    }
    LiveSummary live = model->live();

    // The overall urgency: a coloured band that also says it in words.
    band(live.urgency, wxString::Format(_("Urgency: %s"), wxs(live.urgency_text).Upper()));
    if (!live.urgency_meaning.empty()) {
        text(wxs(live.urgency_meaning));
    }
    text(live.flags.empty()
             ? _("Red flags: none positive.")
             : wxString::Format(_("Red flags: %d positive."), static_cast<int>(live.flags.size())),
         true);
    for (const auto& f : live.flags) {
        band(f.urgency, wxString::Format(_("%s: %s"), wxs(f.urgency_text).Upper(), wxs(f.label)));
        for (const auto& finding : f.findings) {
            text(wxString::Format(_("Because: %s"), wxs(finding)));
        }
        if (!f.action.empty()) {
            text(wxString::Format(_("Action: %s"), wxs(f.action)));
        }
        if (f.needs_acknowledgement) {
            text(_("This emergency has not been acknowledged yet."), true, error_colour());
        } else if (f.urgency == Urgency::Emergency) {
            text(_("Acknowledged."));
        }
    }
    text(live.unscreened == 0
             ? _("Every red-flag question has been answered.")
             : wxString::Format(_("Not yet screened: %d of %d red-flag questions (not asked or "
                                  "answered Unknown)."),
                                live.unscreened, live.screen_size),
         live.unscreened > 0);
    text(_("Scores"), true);
    text(wxString::Format(_("Widespread Pain Index: %s"), wxs(live.wpi)));
    text(wxString::Format(_("Symptom Severity: %s"), wxs(live.sss)));
    text(wxString::Format(_("Tender points (grade 2 or more): %s"), wxs(live.tender_points)));
    lines.back().last = true;
    return lines;
}

bool same_shape(const std::vector<LivePanel::Line>& a, const std::vector<LivePanel::Line>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].same_shape(b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

void LivePanel::update(const AssessmentModel* model) {
    std::vector<Line> lines = live_lines(model);
    const int pad = FromDIP(8);
    const int wrap = GetClientSize().GetWidth() > FromDIP(120)
                         ? GetClientSize().GetWidth() - 3 * pad
                         : FromDIP(280);
    text_.clear();
    for (const auto& l : lines) {
        text_ += l.text + "\n";
    }
    if (wrap != wrap_ || !same_shape(lines, shown_)) {
        build(lines, wrap);
        return;
    }
    // The same lines but for some words: those labels change, and the panel is laid out
    // again only if one did (a wrapped label may take another line).
    bool changed = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].text != shown_[i].text) {
            labels_[i]->SetLabel(lines[i].text);
            labels_[i]->Wrap(lines[i].band ? wrap - pad : wrap);
            changed = true;
        }
    }
    shown_ = std::move(lines);
    if (changed) {
        FitInside();
        Layout();
    }
}

void LivePanel::build(const std::vector<Line>& lines, int wrap) {
    ++builds_;
    Freeze();
    DestroyChildren();
    sizer_->Clear();
    labels_.clear();
    const int pad = FromDIP(8);
    for (const auto& l : lines) {
        if (l.band) {
            auto* p = new wxPanel(this);
            auto colours = urgency_colours(l.urgency);
            p->SetBackgroundColour(colours.back);
            auto* ps = new wxBoxSizer(wxVERTICAL);
            auto* t = new wxStaticText(p, wxID_ANY, l.text);
            t->SetForegroundColour(colours.fore);
            t->SetFont(t->GetFont().Bold());
            t->Wrap(wrap - pad);
            ps->Add(t, wxSizerFlags().Border(wxALL, pad / 2));
            p->SetSizer(ps);
            sizer_->Add(p, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad / 2));
            labels_.push_back(t);
            continue;
        }
        auto* t = new wxStaticText(this, wxID_ANY, l.text);
        if (l.bold) {
            t->SetFont(t->GetFont().Bold());
        }
        if (l.fore.IsOk()) {
            t->SetForegroundColour(l.fore);
        }
        t->Wrap(wrap);
        const int flags = wxLEFT | wxRIGHT | wxTOP | (l.last ? wxBOTTOM : 0);
        sizer_->Add(t, wxSizerFlags().Expand().Border(flags, pad / 2));
        labels_.push_back(t);
    }
    shown_ = lines;
    wrap_ = wrap;
    FitInside();
    Layout();
    Thaw();
}

}  // namespace myo::gui
