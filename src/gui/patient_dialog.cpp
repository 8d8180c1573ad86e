#include "gui/patient_dialog.hpp"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <utility>

#include "core/dates.hpp"
#include "gui/model/patient_input.hpp"
#include "gui/store_reads.hpp"
#include "gui/wrapped_label.hpp"
#include "gui/wx_util.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

const char* kSexValues[] = {"", "female", "male", "other", "unknown"};

}  // namespace

PatientDialog::PatientDialog(wxWindow* parent, store::Store& store, StoreWorker* writes)
    : wxDialog(parent, wxID_ANY, _("New patient"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      writes_(std::make_unique<StoreReads>(store, writes)) {
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
    // The wait for the server, or what was not done (issue 14).
    state_ = new WrappedLabel(this);
    state_->SetMinSize(FromDIP(wxSize(280, -1)));
    top->Add(state_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, FromDIP(12)));
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
    if (waiting_) {
        return false;  // one addition at a time: OK pressed again while the server is asked
    }
    const std::vector<std::string> no_existing;
    if (!show_field_problems(this, fields(), check_patient(in, today_utc(), no_existing))) {
        return false;
    }
    // The id's duplicate check and the addition in one store call (one round of the server's
    // time); the fields stay as typed until the answer.
    Patient p = to_patient(in);
    state_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
    if (writes_->deferred()) {
        waiting_ = true;
        state_->SetLabel(wxString::Format(_("Adding %s to the clinic server..."), wxs(p.name)));
        if (auto* ok = FindWindow(wxID_OK)) {
            ok->Disable();
        }
        Layout();
    }
    struct Outcome {
        bool existed = false;
    };
    std::weak_ptr<bool> alive = alive_;
    writes_->call<Outcome>(
        [p](store::Store& s) {
            Outcome o;
            if (!p.id.empty() && s.find_patient(p.id)) {
                o.existed = true;
                return o;
            }
            s.add_patient(p);
            return o;
        },
        [this, alive, p, in](StoreReply<Outcome> r) {
            if (alive.expired()) {
                return;  // the dialog was closed (Cancel) before the answer
            }
            if (!r.ok()) {
                added(in, p,
                      r.timed_out || r.unreachable
                          ? u8(wxString::Format(_("%s was not added: %s"), wxs(p.name),
                                                wxs(write_failure(r))))
                          : r.message,
                      false);
                return;
            }
            added(in, p, std::string(), r.value->existed);
        });
    return patient_.has_value() && !waiting_;
}

void PatientDialog::added(const PatientInput& in, const Patient& p, const std::string& failed,
                          bool existed) {
    const bool was_waiting = waiting_;
    waiting_ = false;
    if (auto* ok = FindWindow(wxID_OK)) {
        ok->Enable();
    }
    state_->SetLabel(wxEmptyString);
    if (existed) {
        // The model's own words for a taken id, under the id.
        show_field_problems(this, fields(), check_patient(in, today_utc(), {p.id}));
        return;
    }
    if (!failed.empty()) {
        state_->SetForegroundColour(error_colour());
        state_->SetLabel(wxs(failed));
        Layout();
        GetSizer()->Fit(this);
        return;
    }
    patient_ = p;
    if (was_waiting && IsModal()) {
        EndModal(wxID_OK);
    }
}

PatientDialog::~PatientDialog() = default;

wxString PatientDialog::state_text() const {
    return state_->text();
}

}  // namespace myo::gui
