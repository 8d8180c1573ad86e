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

void LivePanel::update(const AssessmentModel* model) {
    Freeze();
    DestroyChildren();
    sizer_->Clear();
    text_.clear();
    const int pad = FromDIP(8);
    const int wrap = GetClientSize().GetWidth() > FromDIP(120)
                         ? GetClientSize().GetWidth() - 3 * pad
                         : FromDIP(280);
    auto add_text = [&](wxWindow* parent, wxSizer* sizer, const wxString& s, bool bold = false,
                        const wxColour& fore = wxNullColour, int flags = wxLEFT | wxRIGHT | wxTOP) {
        auto* t = new wxStaticText(parent, wxID_ANY, s);
        if (bold) {
            t->SetFont(t->GetFont().Bold());
        }
        if (fore.IsOk()) {
            t->SetForegroundColour(fore);
        }
        t->Wrap(wrap);
        sizer->Add(t, wxSizerFlags().Expand().Border(flags, pad / 2));
        text_ += s + "\n";
        return t;
    };
    if (!model) {
        add_text(this, sizer_, _("No assessment is open."));
        Thaw();
        return;
    }
    LiveSummary live = model->live();

    // The overall urgency: a coloured band that also says it in words.
    auto band = [&](Urgency u, const wxString& s) {
        auto* p = new wxPanel(this);
        auto colours = urgency_colours(u);
        p->SetBackgroundColour(colours.back);
        auto* ps = new wxBoxSizer(wxVERTICAL);
        auto* t = new wxStaticText(p, wxID_ANY, s);
        t->SetForegroundColour(colours.fore);
        t->SetFont(t->GetFont().Bold());
        t->Wrap(wrap - pad);
        ps->Add(t, wxSizerFlags().Border(wxALL, pad / 2));
        p->SetSizer(ps);
        sizer_->Add(p, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad / 2));
        text_ += s + "\n";
    };
    band(live.urgency, wxString::Format(_("Urgency: %s"), wxs(live.urgency_text).Upper()));
    if (!live.urgency_meaning.empty()) {
        add_text(this, sizer_, wxs(live.urgency_meaning));
    }

    add_text(this, sizer_,
             live.flags.empty() ? _("Red flags: none positive.")
                                : wxString::Format(_("Red flags: %d positive."),
                                                   static_cast<int>(live.flags.size())),
             true);
    for (const auto& f : live.flags) {
        band(f.urgency, wxString::Format(_("%s: %s"), wxs(f.urgency_text).Upper(), wxs(f.label)));
        for (const auto& finding : f.findings) {
            add_text(this, sizer_, wxString::Format(_("Because: %s"), wxs(finding)));
        }
        if (!f.action.empty()) {
            add_text(this, sizer_, wxString::Format(_("Action: %s"), wxs(f.action)));
        }
        if (f.needs_acknowledgement) {
            add_text(this, sizer_, _("This emergency has not been acknowledged yet."), true,
                     wxColour(0xB0, 0x00, 0x20));
        } else if (f.urgency == Urgency::Emergency) {
            add_text(this, sizer_, _("Acknowledged."));
        }
    }
    wxString unscreened =
        live.unscreened == 0
            ? _("Every red-flag question has been answered.")
            : wxString::Format(_("Not yet screened: %d of %d red-flag questions (not asked or "
                                 "answered Unknown)."),
                               live.unscreened, live.screen_size);
    add_text(this, sizer_, unscreened, live.unscreened > 0);

    add_text(this, sizer_, _("Scores"), true);
    add_text(this, sizer_, wxString::Format(_("Widespread Pain Index: %s"), wxs(live.wpi)));
    add_text(this, sizer_, wxString::Format(_("Symptom Severity: %s"), wxs(live.sss)));
    add_text(this, sizer_,
             wxString::Format(_("Tender points (grade 2 or more): %s"), wxs(live.tender_points)),
             false, wxNullColour, wxLEFT | wxRIGHT | wxTOP | wxBOTTOM);
    FitInside();
    Layout();
    Thaw();
}

}  // namespace myo::gui
