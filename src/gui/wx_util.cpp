#include "gui/wx_util.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <wx/datetime.h>
#include <wx/intl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace myo::gui {

UrgencyColours urgency_colours(Urgency u) {
    switch (u) {
        case Urgency::Emergency:
            return {error_colour(), *wxWHITE};
        case Urgency::Urgent:
            return {wxColour(0xBF, 0x36, 0x0C), *wxWHITE};
        case Urgency::Soon:
            return {wxColour(0xFF, 0xD5, 0x4F), *wxBLACK};
        case Urgency::Routine:
            break;
    }
    return {wxColour(0x2E, 0x7D, 0x32), *wxWHITE};
}

std::string iso_now_utc() {
    return u8(wxDateTime::Now().ToUTC().Format("%Y-%m-%dT%H:%M:%SZ"));
}

std::string today_local() {
    return u8(wxDateTime::Today().FormatISODate());
}

void auto_wrap(wxStaticText* text) {
    // The unwrapped label is kept in the window's name-independent client data: re-wrapping
    // an already wrapped label would keep the old line breaks.
    auto original = std::make_shared<wxString>(text->GetLabel());
    auto last_width = std::make_shared<int>(-1);
    auto busy = std::make_shared<bool>(false);
    text->SetMinSize(wxSize(text->FromDIP(80), -1));
    text->Bind(wxEVT_SIZE, [text, original, last_width, busy](wxSizeEvent& e) {
        e.Skip();
        int w = e.GetSize().x;
        // SetLabel and Wrap resize the control themselves: those size events are ours.
        if (*busy || w <= 0 || std::abs(w - *last_width) < 4) {
            return;
        }
        *busy = true;
        *last_width = w;
        text->SetLabel(*original);
        text->Wrap(w);
        text->SetMinSize(wxSize(text->FromDIP(80), text->GetBestSize().y));
        *busy = false;
        // Taller or shorter now: lay the parent out again, after this size event.
        text->CallAfter([text] {
            if (wxWindow* p = text->GetParent()) {
                p->Layout();
                if (wxWindow* gp = p->GetParent()) {
                    gp->Layout();
                }
            }
        });
    });
}

void show_error(wxWindow* parent, const wxString& what, const std::exception& e) {
    wxMessageBox(what + "\n\n" + wxs(e.what()), _("MyoScreen"), wxOK | wxICON_ERROR, parent);
}

void bind_field_messages(wxDialog* dialog,
                         std::initializer_list<std::pair<wxTextCtrl*, wxStaticText*>> fields,
                         std::function<bool()> accept) {
    for (auto [ctrl, msg] : fields) {
        ctrl->Bind(wxEVT_TEXT, [msg = msg](wxCommandEvent& e) {
            msg->SetLabel(wxEmptyString);
            e.Skip();
        });
    }
    dialog->Bind(
        wxEVT_BUTTON,
        [dialog, accept = std::move(accept)](wxCommandEvent& e) {
            if (accept()) {
                dialog->EndModal(wxID_OK);
            } else {
                e.Skip(false);
            }
        },
        wxID_OK);
}

wxStaticText* add_field_message(wxWindow* parent, wxFlexGridSizer* grid) {
    grid->AddSpacer(0);
    auto* msg = new wxStaticText(parent, wxID_ANY, wxEmptyString);
    msg->SetForegroundColour(error_colour());
    grid->Add(msg, wxSizerFlags().Expand().Border(wxBOTTOM, parent->FromDIP(4)));
    return msg;
}

bool show_field_problems(wxDialog* dialog, const std::vector<DialogField>& fields,
                         const std::vector<PatientFieldProblem>& problems) {
    for (const auto& f : fields) {
        f.message->SetLabel(wxEmptyString);
    }
    wxWindow* first_bad = nullptr;
    for (const auto& p : problems) {
        const DialogField* field = &fields.back();
        for (const auto& f : fields) {
            if (f.id == p.field) {
                field = &f;
            }
        }
        field->message->SetLabel(tr(p.message));
        field->message->Wrap(std::max(field->control->GetSize().x, dialog->FromDIP(240)));
        if (!first_bad) {
            first_bad = field->control;
        }
    }
    dialog->Layout();
    dialog->GetSizer()->Fit(dialog);
    if (first_bad) {
        first_bad->SetFocus();
    }
    return first_bad == nullptr;
}

wxString field_messages(const std::vector<DialogField>& fields) {
    wxString out;
    for (const auto& f : fields) {
        if (!f.message->GetLabel().empty()) {
            wxString line = f.message->GetLabel();
            line.Replace("\n", " ");  // undo the wrapping: one message, one line
            out += line + "\n";
        }
    }
    return out;
}

}  // namespace myo::gui
