#include "gui/item_controls.hpp"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/tglbtn.h>
#include <wx/wrapsizer.h>

#include <algorithm>
#include <cstdlib>

#include "gui/model/assessment_model.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

namespace {

constexpr int kLabelWidth = 220;    // DIP: most labels on one line, room for controls at 1024
constexpr int kCompactLabel = 150;  // DIP: beside the body chart
constexpr int kKeyedRowMax = 760;   // DIP: question and Yes/No/Unknown read as one line

bool multiline(const ItemDef& item) {
    return item.id == "med.list" || item.id.find("notes") != std::string::npos;
}

wxString not_asked_label(const ItemDef& item) {
    // TRANSLATORS: the first entry of a drop-down list: the question was not asked yet.
    return item.group == "tp" ? _("(not examined)") : _("(not asked)");
}

// An answer button of a keyed row. The row is one tab stop (the chosen answer, or Yes), not
// three: Tab goes from question to question, and Y/N/U or a click answers.
class AnswerButton : public wxToggleButton {
  public:
    using wxToggleButton::wxToggleButton;
    bool tab_stop = true;
    bool AcceptsFocusFromKeyboard() const override {
        return tab_stop && wxToggleButton::AcceptsFocusFromKeyboard();
    }
};

// Whether an answer button is drawn as the chosen one (see ItemRow::refresh).
bool chosen_look(const wxWindow* button) {
    return button->UseBgCol();
}

wxString label_with_unit(const ItemDef& item) {
    if (item.unit.empty()) {
        return wxs(item.label);
    }
    // TRANSLATORS: an item's label and its unit, e.g. "Morning stiffness (min)".
    return wxString::Format(_("%s (%s)"), wxs(item.label), wxs(item.unit));
}

}  // namespace

ItemRow::ItemRow(wxWindow* parent, AssessmentModel& model, const ItemDef& item, bool compact)
    : wxPanel(parent, wxID_ANY), model_(model), item_(item) {
    const int label_width = compact ? kCompactLabel : kLabelWidth;
    SetName(wxs(item.id));
    auto* col = new wxBoxSizer(wxVERTICAL);
    auto* line = new wxBoxSizer(wxHORIZONTAL);
    const int gap = FromDIP(8);

    auto add_label = [&] {
        auto* label = new wxStaticText(this, wxID_ANY, wxs(item.label));
        label->SetMinSize(wxSize(FromDIP(label_width), -1));
        label->Wrap(FromDIP(label_width));
        line->Add(label, wxSizerFlags().CenterVertical().Border(wxRIGHT, gap));
    };

    // Questions answered by key (red flags; yes/no findings) are one compact row: the question
    // with its help in small grey below it, then the answer buttons.
    bool keyed = !compact && (item.type == ItemType::YesNo ||
                              (item.type == ItemType::Bool && item.group != "wpi"));
    if (keyed) {
        auto* text = new wxBoxSizer(wxVERTICAL);
        auto* label = new wxStaticText(this, wxID_ANY, wxs(item.label));
        text->Add(label, wxSizerFlags().Expand());
        auto_wrap(label);
        if (!item.help.empty()) {
            auto* help = new wxStaticText(this, wxID_ANY, wxs(item.help));
            help->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
            help->SetFont(help->GetFont().Smaller());
            text->Add(help, wxSizerFlags().Expand());
            auto_wrap(help);
        }
        line->Add(text, wxSizerFlags(1).CenterVertical().Border(wxRIGHT, gap));
        build_yes_no(line);
        // On a wide screen the answers stay beside their question, not a screen's width away.
        SetMaxSize(wxSize(FromDIP(kKeyedRowMax), -1));
    }

    switch (item.type) {
        case ItemType::YesNo:
            break;
        case ItemType::Bool: {
            if (keyed) {
                break;
            }
            check_ = new wxCheckBox(this, wxID_ANY, wxs(item.label));
            line->Add(check_, wxSizerFlags().CenterVertical());
            check_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
                if (updating_) {
                    return;
                }
                // Only body-chart areas are check boxes (findings are Yes/No buttons).
                // Unticking says "not painful" and keeps the pain map recorded: taking the
                // last area off must not turn "no pain" into "not recorded" (rules
                // 2026.2). "Clear pain map" on the page goes back to not recorded.
                offer(check_->GetValue());
            });
            break;
        }
        case ItemType::Int:
        case ItemType::Enum:
            if (item.type == ItemType::Enum || !item.value_labels.empty()) {
                add_label();
                choice_ = new wxChoice(this, wxID_ANY);
                choice_->Append(not_asked_label(item));
                if (item.type == ItemType::Enum) {
                    for (const auto& c : item.choices) {
                        choice_->Append(wxs(c.label));
                    }
                } else {
                    for (const auto& v : item.value_labels) {
                        choice_->Append(compact ? wxString::Format("%ld", v.value) : wxs(v.label));
                    }
                }
                choice_->SetName(wxs(item.label));
                line->Add(choice_, wxSizerFlags().CenterVertical());
                choice_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
                    if (updating_) {
                        return;
                    }
                    int sel = choice_->GetSelection();
                    if (sel <= 0) {
                        offer(Json());
                    } else if (item_.type == ItemType::Enum) {
                        offer(item_.choices.at(static_cast<std::size_t>(sel - 1)).value);
                    } else {
                        offer(item_.value_labels.at(static_cast<std::size_t>(sel - 1)).value);
                    }
                });
                break;
            }
            [[fallthrough]];
        case ItemType::Num:
        case ItemType::Text: {
            add_label();
            bool multi = item.type == ItemType::Text && multiline(item);
            text_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                                   multi ? wxTE_MULTILINE : 0);
            text_->SetName(label_with_unit(item));
            if (item.type == ItemType::Text) {
                text_->SetMinSize(FromDIP(wxSize(200, multi ? 60 : -1)));
                line->Add(text_, wxSizerFlags(1).CenterVertical());
            } else {
                text_->SetMinSize(FromDIP(wxSize(90, -1)));
                line->Add(text_, wxSizerFlags().CenterVertical());
            }
            if (!item.unit.empty()) {
                line->Add(new wxStaticText(this, wxID_ANY, wxs(item.unit)),
                          wxSizerFlags().CenterVertical().Border(wxLEFT, FromDIP(4)));
            }
            text_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
                if (!updating_) {
                    offer_text(text_->GetValue());
                }
            });
            break;
        }
        case ItemType::Multi: {
            add_label();
            auto* wrap = new wxWrapSizer(wxHORIZONTAL);
            for (const auto& c : item.choices) {
                auto* box = new wxCheckBox(this, wxID_ANY, wxs(c.label));
                box->SetName(wxs(item.label + ": " + c.label));
                multi_.push_back(box);
                wrap->Add(box, wxSizerFlags().Border(wxRIGHT, gap));
                box->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
                    if (updating_) {
                        return;
                    }
                    Json values = Json::array();
                    for (std::size_t i = 0; i < multi_.size(); ++i) {
                        if (multi_[i]->GetValue()) {
                            values.push_back(item_.choices[i].value);
                        }
                    }
                    // None ticked: the question is left as not asked.
                    offer(values.empty() ? Json() : values);
                });
            }
            line->Add(wrap, wxSizerFlags(1).CenterVertical());
            break;
        }
        case ItemType::List: {
            if (compact) {
                // Beside the chart there is no room for a label column: the label goes above.
                col->Add(new wxStaticText(this, wxID_ANY, wxs(item.label)),
                         wxSizerFlags().Border(wxBOTTOM, FromDIP(2)));
            } else {
                add_label();
            }
            list_panel_ = new wxPanel(this);
            list_sizer_ = new wxBoxSizer(wxVERTICAL);
            list_panel_->SetSizer(list_sizer_);
            auto* add = new wxButton(this, wxID_ANY, _("Add an entry"));
            auto* right = new wxBoxSizer(wxVERTICAL);
            right->Add(list_panel_, wxSizerFlags().Expand());
            right->Add(add, wxSizerFlags().Left());
            line->Add(right, wxSizerFlags(1));
            entries_ = model.list_entries(item.id);
            add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
                if (item_.max_items > 0 && entries_.size() >= item_.max_items) {
                    set_message(u8(wxString::Format(_("At most %zu entries."), item_.max_items)));
                    return;
                }
                // A new entry's yes/no features start as "no": the clinician examined this
                // trigger point, so an unticked feature was looked for and absent.
                Json entry = Json::object();
                for (const auto& f : item_.fields) {
                    if (f.type == ItemType::Bool) {
                        entry[f.id] = false;
                    }
                }
                entries_.push_back(entry);
                rebuild_list();
                commit_list();  // the model holds every entry the row shows
            });
            rebuild_list();
            break;
        }
    }
    col->Add(line, wxSizerFlags().Expand());
    const int indent = compact || keyed ? 0 : FromDIP(label_width) + gap;
    if (!item.help.empty()) {
        if (!compact && !keyed) {
            auto* help = new wxStaticText(this, wxID_ANY, wxs(item.help));
            help->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
            col->Add(help, wxSizerFlags().Expand().Border(wxLEFT, indent));
            auto_wrap(help);
        }
        SetToolTip(wxs(item.help));
        for (wxWindow* child : GetChildren()) {
            child->SetToolTip(wxs(item.help));
        }
    }
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    message_->SetForegroundColour(error_colour());
    col->Add(message_, wxSizerFlags().Border(wxLEFT, indent));
    message_indent_ = indent;
    message_->Hide();
    SetSizer(col);
    refresh();
}

// The answers a keyed row offers, in button order: yes/no/unknown for a red flag, yes/no for a
// finding (a yes/no item left alone is "not asked").
std::vector<Json> ItemRow::key_values() const {
    if (item_.type == ItemType::YesNo) {
        return {Json("yes"), Json("no"), Json("unknown")};
    }
    return {Json(true), Json(false)};
}

void ItemRow::build_yes_no(wxBoxSizer* line) {
    const bool flag = item_.type == ItemType::YesNo;
    std::vector<wxString> labels = {_("Yes"), _("No")};
    if (flag) {
        labels.push_back(_("Unknown"));
    }
    const wxString tip = flag ? _("Press Y for yes, N for no or U for unknown.")
                              : _("Press Y for yes or N for no. Pressing the chosen answer "
                                  "again takes it back (not asked).");
    for (const auto& l : labels) {
        auto* t =
            new AnswerButton(this, wxID_ANY, l, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        // The same width for each answer, so the columns line up from row to row.
        t->SetMinSize(wxSize(std::max(t->GetBestSize().x, FromDIP(52)), -1));
        // Screen readers announce the question with each choice.
        t->SetName(wxs(item_.label) + ": " + l);
        t->SetToolTip(tip);
        toggles_.push_back(t);
        line->Add(t, wxSizerFlags().CenterVertical().Border(wxRIGHT, FromDIP(4)));
        t->Bind(wxEVT_TOGGLEBUTTON, [this, t](wxCommandEvent&) {
            if (updating_) {
                return;
            }
            const auto values = key_values();
            for (std::size_t i = 0; i < toggles_.size(); ++i) {
                if (toggles_[i] == t) {
                    // Pressing the chosen answer again takes it back (not asked).
                    offer(t->GetValue() ? values[i] : Json());
                }
            }
        });
    }
    if (!flag) {
        // Unanswered is said in words: two raised buttons alone do not tell "not asked".
        not_asked_ = new wxStaticText(this, wxID_ANY, not_asked_label(item_));
        not_asked_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
        const int w = not_asked_->GetBestSize().x;
        not_asked_->SetMinSize(wxSize(w, -1));
        line->Add(
            not_asked_,
            wxSizerFlags().CenterVertical().Border(wxLEFT, FromDIP(4)).ReserveSpaceEvenIfHidden());
    }
    Bind(wxEVT_CHAR_HOOK, [this, flag](wxKeyEvent& e) {
        int k = e.GetKeyCode();
        bool ours =
            k == 'Y' || k == 'N' || k == 'y' || k == 'n' || (flag && (k == 'U' || k == 'u'));
        if (e.HasAnyModifiers() || !ours || model_.read_only()) {
            e.Skip();
            return;
        }
        FieldMessage msg;
        if (flag) {
            msg = model_.set_red_flag_key(item_.id, static_cast<char>(k));
        } else {
            msg = model_.set_answer(item_.id, Json(k == 'Y' || k == 'y'));
        }
        set_message(msg.value_or(""));
        refresh();
        if (on_changed) {
            on_changed(*this);
        }
        if (!msg && on_key_answer) {
            on_key_answer(*this);
        }
    });
}

void ItemRow::focus() {
    if (!toggles_.empty()) {
        // The chosen answer has the focus (Space takes it back); unanswered, the first.
        const Json* v = model_.answer(item_.id);
        const auto values = key_values();
        std::size_t i = 0;
        for (std::size_t k = 0; v && k < values.size(); ++k) {
            i = *v == values[k] ? k : i;
        }
        toggles_[i]->SetFocus();
    } else if (text_) {
        text_->SetFocus();
    } else if (choice_) {
        choice_->SetFocus();
    } else if (check_) {
        check_->SetFocus();
    } else if (!multi_.empty()) {
        multi_.front()->SetFocus();
    } else if (list_panel_ && !list_panel_->GetChildren().empty()) {
        // A list: the entry field typed in last (where a refused score is), else the first.
        wxWindow* target = last_edited_.empty()
                               ? nullptr
                               : list_panel_->FindWindowByName(last_edited_, list_panel_);
        (target ? target : list_panel_->GetChildren().front())->SetFocus();
    } else {
        SetFocus();
    }
}

void ItemRow::offer(const Json& value) {
    auto msg = model_.set_answer(item_.id, value);
    set_message(msg.value_or(""));
    if (msg) {
        refresh();  // show the stored answer again, not the refused one
    }
    if (on_changed) {
        on_changed(*this);
    }
}

void ItemRow::offer_text(const wxString& text) {
    auto msg = model_.set_answer_text(item_.id, u8(text));
    set_message(msg.value_or(""));
    editing_ = true;
    if (on_changed) {
        on_changed(*this);
    }
    editing_ = false;
}

void ItemRow::set_message(const std::string& message) {
    wxString shown = message.empty() ? wxString() : wxString::FromUTF8("\u26A0 ") + tr(message);
    if (message_text_ == shown) {
        return;
    }
    message_text_ = shown;
    message_->SetLabel(shown);
    // Wrapped to the room the row has (a narrow column beside the chart, or at 1024 wide), so
    // the whole message shows rather than its first words.
    int width = GetClientSize().x;
    if (GetParent()) {  // a row wider than its page is cut at the page's edge
        width = std::min(width, GetParent()->GetClientSize().x - GetPosition().x);
    }
    // (A hidden message has no position yet: its indent is what places it.)
    int room = width - message_indent_ - FromDIP(4);
    message_->Wrap(room > FromDIP(120) ? std::min(room, FromDIP(420)) : FromDIP(300));
    message_->Show(!message.empty());
    // The row grows or shrinks: the page must lay out again.
    if (GetParent()) {
        GetParent()->Layout();
    }
}

wxString ItemRow::message() const {
    return message_text_;  // without the line breaks of its wrapping
}

void ItemRow::refresh() {
    updating_ = true;
    const Json* v = model_.answer(item_.id);
    bool editable = !model_.read_only();
    // While the clinician types here the text is theirs ("3." on the way to "3.5"); any
    // other change (a loaded draft, a cleared answer, another field appearing) shows what the
    // model holds: the answer, or the refused text with its message, which stay until the
    // clinician corrects them (issue 11: a field appearing elsewhere wiped "900" but left its
    // message).
    if (text_ && !editing_) {
        wxString want = wxs(model_.field_text(item_.id));
        if (text_->GetValue() != want) {
            text_->ChangeValue(want);
        }
        const RefusedField* refused = model_.refused(item_.id);
        set_message(refused ? refused->message : std::string());
    }
    if (text_) {
        text_->SetEditable(editable);
        text_->Enable(editable);
    }
    if (choice_) {
        int sel = 0;
        if (v && item_.type == ItemType::Enum && v->is_string()) {
            for (std::size_t i = 0; i < item_.choices.size(); ++i) {
                if (item_.choices[i].value == v->get<std::string>()) {
                    sel = static_cast<int>(i) + 1;
                }
            }
        } else if (v && v->is_number_integer()) {
            for (std::size_t i = 0; i < item_.value_labels.size(); ++i) {
                if (item_.value_labels[i].value == v->get<long>()) {
                    sel = static_cast<int>(i) + 1;
                }
            }
        }
        choice_->SetSelection(sel);
        choice_->Enable(editable);
    }
    if (check_) {
        check_->SetValue(v && *v == true);
        check_->Enable(editable);
    }
    for (std::size_t i = 0; i < multi_.size(); ++i) {
        bool on = false;
        if (v && v->is_array()) {
            for (const auto& e : *v) {
                on = on || e == item_.choices[i].value;
            }
        }
        multi_[i]->SetValue(on);
        multi_[i]->Enable(editable);
    }
    if (!toggles_.empty()) {
        const auto values = key_values();
        bool chosen = false;
        for (std::size_t i = 0; i < toggles_.size(); ++i) {
            const bool on = v && *v == values[i];
            toggles_[i]->SetValue(on);
            // A pressed GTK toggle is only a shade darker than the others: the chosen answer
            // is drawn in the selection colours too, so it reads at a glance (issue 11). Colour,
            // not a longer label: the buttons keep their width and the questions theirs.
            if (on != chosen_look(toggles_[i])) {
                toggles_[i]->SetBackgroundColour(
                    on ? wxSystemSettings::GetColour(wxSYS_COLOUR_HIGHLIGHT) : wxNullColour);
                toggles_[i]->SetForegroundColour(
                    on ? wxSystemSettings::GetColour(wxSYS_COLOUR_HIGHLIGHTTEXT) : wxNullColour);
                toggles_[i]->Refresh();
            }
            toggles_[i]->Enable(editable);
            chosen = chosen || on;
        }
        for (std::size_t i = 0; i < toggles_.size(); ++i) {
            if (auto* b = dynamic_cast<AnswerButton*>(toggles_[i])) {
                b->tab_stop = chosen ? toggles_[i]->GetValue() : i == 0;
            }
        }
    }
    if (not_asked_ && not_asked_->IsShown() == (v != nullptr)) {
        // Hidden, not removed: the row keeps its width, so the buttons do not jump.
        not_asked_->Show(v == nullptr);
    }
    if (list_panel_) {
        // Entries given to the model from outside (a follow-up's carried activities) are shown;
        // while the clinician edits, the model holds exactly this row's entries.
        if (auto entries = model_.list_entries(item_.id); entries != entries_) {
            entries_ = std::move(entries);
            rebuild_list();
            set_message(model_.list_message(item_.id).value_or(""));
        }
        list_panel_->Enable(editable);
    }
    updating_ = false;
}

void ItemRow::rebuild_list() {
    list_panel_->DestroyChildren();
    list_sizer_->Clear();
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        // Wrapping, so an entry with many fields (a trigger point) never runs off the page.
        auto* row = new wxWrapSizer(wxHORIZONTAL);
        for (const auto& f : item_.fields) {
            const Json* cur = entries_[i].contains(f.id) ? &entries_[i][f.id] : nullptr;
            wxString name = wxString::Format(_("Entry %zu: %s"), i + 1, wxs(f.label));
            if (f.type == ItemType::Bool) {
                auto* c = new wxCheckBox(list_panel_, wxID_ANY, wxs(f.label));
                c->SetValue(cur && *cur == true);
                c->SetName(name);
                row->Add(c, wxSizerFlags().CenterVertical().Border(wxRIGHT, FromDIP(6)));
                c->Bind(wxEVT_CHECKBOX, [this, i, id = f.id, c](wxCommandEvent&) {
                    entries_[i][id] = c->GetValue();
                    commit_list();
                });
                continue;
            }
            row->Add(new wxStaticText(list_panel_, wxID_ANY, wxs(f.label)),
                     wxSizerFlags().CenterVertical().Border(wxRIGHT, FromDIP(4)));
            if (f.type == ItemType::Enum) {
                auto* c = new wxChoice(list_panel_, wxID_ANY);
                c->Append(_("(choose)"));
                int sel = 0;
                for (std::size_t k = 0; k < f.choices.size(); ++k) {
                    c->Append(wxs(f.choices[k].label));
                    if (cur && *cur == f.choices[k].value) {
                        sel = static_cast<int>(k) + 1;
                    }
                }
                c->SetSelection(sel);
                c->SetName(name);
                row->Add(c, wxSizerFlags().CenterVertical().Border(wxRIGHT, FromDIP(6)));
                c->Bind(wxEVT_CHOICE, [this, i, &f, c](wxCommandEvent&) {
                    int s = c->GetSelection();
                    if (s <= 0) {
                        entries_[i].erase(f.id);
                    } else {
                        entries_[i][f.id] = f.choices[static_cast<std::size_t>(s - 1)].value;
                    }
                    commit_list();
                });
                continue;
            }
            wxString init;
            if (cur) {
                init = cur->is_string() ? wxs(cur->get<std::string>()) : wxs(cur->dump());
            }
            auto* t = new wxTextCtrl(list_panel_, wxID_ANY, init);
            t->SetMinSize(FromDIP(wxSize(f.type == ItemType::Text ? 180 : 60, -1)));
            t->SetName(name);
            row->Add(t, wxSizerFlags().CenterVertical().Border(wxRIGHT, FromDIP(6)));
            t->Bind(wxEVT_TEXT, [this, i, &f, t](wxCommandEvent&) {
                last_edited_ = t->GetName();
                std::string s = u8(t->GetValue());
                if (s.empty()) {
                    entries_[i].erase(f.id);
                } else if (f.type == ItemType::Text) {
                    entries_[i][f.id] = s;
                } else {
                    char* end = nullptr;
                    double d = std::strtod(s.c_str(), &end);
                    if (end && *end == '\0') {
                        // 2.5 for an integer field stays 2.5 so that core refuses it.
                        if (f.type == ItemType::Int &&
                            d == static_cast<double>(static_cast<long>(d))) {
                            entries_[i][f.id] = static_cast<long>(d);
                        } else {
                            entries_[i][f.id] = d;
                        }
                    } else {
                        // Kept as text so core names the problem ("expected a number").
                        entries_[i][f.id] = s;
                    }
                }
                commit_list();
            });
        }
        auto* remove = new wxButton(list_panel_, wxID_ANY, _("Remove"), wxDefaultPosition,
                                    wxDefaultSize, wxBU_EXACTFIT);
        remove->SetName(wxString::Format(_("Remove entry %zu"), i + 1));
        row->Add(remove, wxSizerFlags().CenterVertical());
        remove->Bind(wxEVT_BUTTON, [this, i](wxCommandEvent&) {
            entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
            // Destroying the button inside its own handler is unsafe: rebuild afterwards.
            CallAfter([this] {
                rebuild_list();
                commit_list();
            });
        });
        list_sizer_->Add(row, wxSizerFlags().Expand().Border(wxBOTTOM, FromDIP(4)));
    }
    list_panel_->Layout();
    Layout();
    if (GetParent()) {
        GetParent()->Layout();
        GetParent()->FitInside();
    }
}

void ItemRow::commit_list() {
    // The model keeps every entry (complete ones are the answer; a refused value blocks
    // Finalize like any refused field), so Finalize sees what this row shows.
    auto msg = model_.set_list_entries(item_.id, entries_);
    set_message(msg.value_or(""));
    if (on_changed) {
        on_changed(*this);
    }
}

}  // namespace myo::gui
