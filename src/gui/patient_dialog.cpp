#include "gui/patient_dialog.hpp"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <utility>

#include "core/dates.hpp"
#include "gui/model/patient_input.hpp"
#include "gui/wx_util.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

const char* kSexValues[] = {"", "female", "male", "other", "unknown"};

}  // namespace

PatientDialog::PatientDialog(wxWindow* parent, store::Store& store)
    : wxDialog(parent, wxID_ANY, _("New patient"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      store_(store) {
    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 2)));
    grid->AddGrowableCol(1, 1);
    auto field = [&](const wxString& label, wxWindow* ctrl, wxStaticText*& msg) {
        grid->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().CenterVertical());
        grid->Add(ctrl, wxSizerFlags().Expand());
        msg = add_field_message(this, grid);
    };
    name_ = new wxTextCtrl(this, wxID_ANY);
    name_->SetMinSize(FromDIP(wxSize(280, -1)));
    name_->SetName(_("Name"));
    field(_("&Name:"), name_, name_msg_);
    birth_ = new wxTextCtrl(this, wxID_ANY);
    birth_->SetHint(_("YYYY-MM-DD"));
    birth_->SetName(_("Date of birth"));
    field(_("&Date of birth:"), birth_, birth_msg_);
    sex_ = new wxChoice(this, wxID_ANY);
    sex_->Append({_("(not given)"), _("Female"), _("Male"), _("Other"), _("Unknown")});
    sex_->SetSelection(0);
    sex_->SetName(_("Sex"));
    field(_("&Sex:"), sex_, sex_msg_);
    id_ = new wxTextCtrl(this, wxID_ANY);
    id_->SetName(_("Patient id"));
    field(_("Patient &id:"), id_, id_msg_);

    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(grid, wxSizerFlags(1).Expand().Border(wxALL, FromDIP(12)));
    top->Add(CreateSeparatedButtonSizer(wxOK | wxCANCEL),
             wxSizerFlags().Expand().Border(wxALL, FromDIP(12)));
    SetSizerAndFit(top);
    name_->SetFocus();
    bind_field_messages(this, {{name_, name_msg_}, {birth_, birth_msg_}, {id_, id_msg_}},
                        [this] { return accept(); });
}

std::vector<DialogField> PatientDialog::fields() const {
    return {{"id", id_, id_msg_},
            {"name", name_, name_msg_},
            {"birth_date", birth_, birth_msg_},
            {"sex", sex_, sex_msg_}};
}

wxString PatientDialog::messages() const {
    return field_messages(fields());
}

bool PatientDialog::accept() {
    PatientInput in;
    in.id = u8(id_->GetValue());
    in.name = u8(name_->GetValue());
    in.birth_date = u8(birth_->GetValue());
    int sel = sex_->GetSelection();
    in.sex = kSexValues[sel < 0 ? 0 : sel];
    std::vector<std::string> existing;
    try {
        std::string trimmed = to_patient(in).id;
        if (!trimmed.empty() && store_.find_patient(trimmed)) {
            existing.push_back(trimmed);
        }
    } catch (const std::exception&) {
        // An unreadable store shows its own message when the patient is added below.
    }
    if (!show_field_problems(this, fields(), check_patient(in, today_utc(), existing))) {
        return false;
    }
    Patient p = to_patient(in);
    try {
        store_.add_patient(p);
    } catch (const std::exception& e) {
        id_msg_->SetLabel(wxs(e.what()));
        GetSizer()->Fit(this);
        return false;
    }
    patient_ = p;
    return true;
}

}  // namespace myo::gui
