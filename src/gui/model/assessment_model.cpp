#include "gui/model/assessment_model.hpp"
#include "gui/model/text_util.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

#include "core/dates.hpp"
#include "core/describe.hpp"
#include "core/text_input.hpp"
#include "core/text_summary.hpp"

namespace myo::gui {

namespace {

std::string range_text(const ItemDef& item) {
    if (item.min && item.max) {
        return " from " + format_number(*item.min) + " to " + format_number(*item.max);
    }
    return {};
}

bool is_red_flag(const ItemDef& item) {
    return item.id.rfind("rf.", 0) == 0;
}

}  // namespace

bool carried_to_follow_up(const std::string& id) {
    static const char* exact[] = {"onset", "pattern", "character", "aggravators", "relievers"};
    if (id.rfind("med.", 0) == 0 || id.rfind("factor.", 0) == 0) {
        return true;
    }
    return std::find(std::begin(exact), std::end(exact), id) != std::end(exact);
}

namespace {

// Whole days from `from` to `to` (negative when `to` is earlier); nullopt for a non-date.
std::optional<long> days_between(const std::string& from, const std::string& to) {
    auto a = parse_iso_date(from);
    auto b = parse_iso_date(to);
    if (!a || !b) {
        return std::nullopt;
    }
    using namespace std::chrono;
    auto day = [](const Date& d) {
        return sys_days(year_month_day(year(d.year), month(static_cast<unsigned>(d.month)),
                                       std::chrono::day(static_cast<unsigned>(d.day))));
    };
    return static_cast<long>((day(*b) - day(*a)).count());
}

// Whole months from `from` to `to` (the day before the monthly date is still the month before).
std::optional<long> months_between(const std::string& from, const std::string& to) {
    auto a = parse_iso_date(from);
    auto b = parse_iso_date(to);
    if (!a || !b || *b < *a) {
        return std::nullopt;
    }
    long months = (b->year - a->year) * 12L + (b->month - a->month);
    return b->day < a->day ? months - 1 : months;
}

}  // namespace

Assessment follow_up_from(const Assessment& last, const std::string& date) {
    Assessment a;
    a.patient = last.patient;
    a.date = date;
    a.kind = "follow_up";
    a.clinician = last.clinician;
    for (const auto& [id, value] : last.answers.items()) {
        if (carried_to_follow_up(id)) {
            a.answers[id] = value;
        }
    }
    auto days = days_between(last.date, date);
    // The pain has lasted since the last visit too: its duration then plus the whole weeks
    // since (the clinician corrects it if the pain had stopped in between).
    auto duration = last.answers.find("duration_weeks");
    if (duration != last.answers.end() && duration->is_number() && days && *days >= 0) {
        long weeks = *days / 7;
        a.answers["duration_weeks"] =
            duration->is_number_integer()
                ? Json(duration->get<long long>() + weeks)
                : Json(duration->get<double>() + static_cast<double>(weeks));
    }
    // Today's weight at the last visit is this visit's previous weight, taken that many whole
    // months ago: the weight-loss check needs both.
    auto weight = last.answers.find("exam.weight_kg");
    if (weight != last.answers.end() && weight->is_number()) {
        a.answers["exam.weight_prev_kg"] = *weight;
        // Longer ago than the form's 60 months: left for the clinician (it no longer counts).
        if (auto months = months_between(last.date, date); months && *months <= 60) {
            a.answers["exam.weight_prev_months"] = *months;
        }
    }
    return a;
}

std::map<std::string, std::vector<Json>> follow_up_list_entries(const Assessment& last) {
    std::map<std::string, std::vector<Json>> out;
    auto psfs = last.answers.find("psfs");
    if (psfs == last.answers.end() || !psfs->is_array()) {
        return out;
    }
    for (const auto& entry : *psfs) {
        if (entry.is_object() && entry.contains("activity") && entry["activity"].is_string()) {
            // The name exactly as it was: Progress pairs activities by name.
            out["psfs"].push_back(Json{{"activity", entry["activity"]}});
        }
    }
    return out;
}

AssessmentModel::AssessmentModel(const Definitions& defs, Assessment assessment)
    : defs_(&defs), a_(std::move(assessment)) {
    if (!a_.answers.is_object()) {
        a_.answers = Json::object();
    }
    eval_ = evaluate(*defs_, a_);
}

bool AssessmentModel::visible_in(const ItemDef& item) const {
    if (!item.visible_when) {
        return true;
    }
    Facts facts;
    facts.form = &defs_->form;
    facts.answers = &a_.answers;
    facts.age = eval_.age;
    facts.duration_category = eval_.duration_category;
    facts.weight_loss_percent = eval_.weight_loss_percent;
    // An item shown only when its condition is known to be true: "unknown" hides it too,
    // because the question it refines has not been answered.
    return item.visible_when->evaluate(facts).value == Tri::True;
}

bool AssessmentModel::is_visible(const std::string& item_id) const {
    const ItemDef* item = form().find(item_id);
    return item && visible_in(*item);
}

bool AssessmentModel::is_expected(const ItemDef& item) const {
    if (item.type == ItemType::Text || item.type == ItemType::List) {
        return false;
    }
    return item.group != "wpi" && item.group != "ppt";
}

std::vector<const ItemDef*> AssessmentModel::visible_items(const std::string& step_id) const {
    std::vector<const ItemDef*> out;
    for (const auto& step : form().steps) {
        if (step.id != step_id) {
            continue;
        }
        for (const auto& id : step.item_ids) {
            const ItemDef* item = form().find(id);
            if (item && visible_in(*item)) {
                out.push_back(item);
            }
        }
    }
    return out;
}

void AssessmentModel::mark_visited(const std::string& step_id) {
    if (!visited(step_id)) {
        visited_.push_back(step_id);
    }
}

bool AssessmentModel::visited(const std::string& step_id) const {
    return std::find(visited_.begin(), visited_.end(), step_id) != visited_.end();
}

StepState AssessmentModel::step(const std::string& step_id) const {
    StepState s;
    s.id = step_id;
    if (step_id == kSummaryStep) {
        s.label = "Summary";
        s.help = "The evaluation from the rules: exactly what the reports will say.";
        s.status = visited(step_id) ? StepStatus::Complete : StepStatus::NotStarted;
        return s;
    }
    for (const auto& def : form().steps) {
        if (def.id == step_id) {
            s.label = def.label;
            s.help = def.help;
        }
    }
    int any_answer = 0;
    for (const ItemDef* item : visible_items(step_id)) {
        const Json* v = answer(item->id);
        bool has = v != nullptr;
        any_answer += has ? 1 : 0;
        if (is_expected(*item)) {
            ++s.expected;
            s.answered += has ? 1 : 0;
        }
    }
    // A step with nothing left to answer is complete once seen or once anything in it was
    // answered. A step where nothing is expected (the pain map, the PPT sites) is complete
    // only once something is recorded: visiting an untouched pain map records nothing.
    bool seen_enough = s.expected > 0 ? visited(step_id) || any_answer > 0 : any_answer > 0;
    if (s.answered == s.expected && seen_enough) {
        s.status = StepStatus::Complete;
    } else if (any_answer > 0 || visited(step_id)) {
        s.status = StepStatus::Partial;
    }
    const auto& wpi = defs_->rules.acr2016.wpi_items;
    for (const ItemDef* item : visible_items(step_id)) {
        if (std::find(wpi.begin(), wpi.end(), item->id) != wpi.end()) {
            // Beside the step's name "Pain map": "(not recorded)".
            s.note = pain_map_recorded() ? std::string() : std::string("not recorded");
            break;
        }
    }
    return s;
}

std::vector<StepState> AssessmentModel::steps() const {
    std::vector<StepState> out;
    for (const auto& def : form().steps) {
        out.push_back(step(def.id));
    }
    out.push_back(step(kSummaryStep));
    return out;
}

const Json* AssessmentModel::answer(const std::string& item_id) const {
    auto it = a_.answers.find(item_id);
    return it == a_.answers.end() ? nullptr : &*it;
}

FieldMessage AssessmentModel::set_answer(const std::string& item_id, const Json& value) {
    if (read_only_) {
        return "This assessment is finalized; use Amend to change it.";
    }
    const ItemDef* item = form().find(item_id);
    if (!item) {
        return "Unknown item \"" + item_id + "\".";
    }
    if (value.is_null()) {
        clear_answer(item_id);
        entries_.erase(item_id);
        return std::nullopt;
    }
    Json normalized = value;
    normalize_answer(*item, normalized);  // stored as a file would bring it (NFC)
    std::vector<Problem> problems;
    check_answer(*item, normalized, "", problems);
    if (!problems.empty()) {
        std::string msg;
        for (const auto& p : problems) {
            msg += (msg.empty() ? "" : "; ") + (p.path.empty() ? "" : p.path + ": ") + p.message;
        }
        // Core's message ("expected an integer 0..3, got 7"), capitalised as a sentence.
        if (!msg.empty() && msg[0] >= 'a' && msg[0] <= 'z') {
            msg[0] = static_cast<char>(msg[0] - 'a' + 'A');
        }
        return msg + ".";
    }
    // An accepted value replaces whatever refused text the field held; a list set as a
    // whole (a loaded file, --fill) replaces the entries being edited.
    refused_.erase(item_id);
    entries_.erase(item_id);
    if (const Json* old = answer(item_id); old && *old == normalized) {
        return std::nullopt;
    }
    a_.answers[item_id] = std::move(normalized);
    changed();
    return std::nullopt;
}

FieldMessage AssessmentModel::set_answer_text(const std::string& item_id, const std::string& text) {
    const ItemDef* item = form().find(item_id);
    if (!item) {
        return "Unknown item \"" + item_id + "\".";
    }
    std::string t = trim(text);
    if (t.empty()) {
        if (read_only_) {
            return "This assessment is finalized; use Amend to change it.";
        }
        clear_answer(item_id);
        return std::nullopt;
    }
    if (item->type == ItemType::Int) {
        long v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size()) {
            return note_typed(
                item_id, text,
                refuse_text(item_id, "Enter a whole number" + range_text(*item) + "."));
        }
        return note_typed(item_id, text, refuse_text(item_id, set_answer(item_id, Json(v))));
    }
    if (item->type == ItemType::Num) {
        // A decimal comma is what many clinicians type; the file always holds a point.
        std::replace(t.begin(), t.end(), ',', '.');
        double v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) {
            return note_typed(item_id, text,
                              refuse_text(item_id, "Enter a number" + range_text(*item) + "."));
        }
        // Whole numbers are stored as integers so the file reads 30, not 30.0.
        if (v == std::floor(v) && std::fabs(v) < 1e15) {
            return note_typed(
                item_id, text,
                refuse_text(item_id, set_answer(item_id, Json(static_cast<long long>(v)))));
        }
        return note_typed(item_id, text, refuse_text(item_id, set_answer(item_id, Json(v))));
    }
    return note_typed(item_id, text, refuse_text(item_id, set_answer(item_id, Json(text))));
}

FieldMessage AssessmentModel::note_typed(const std::string& field, const std::string& text,
                                         FieldMessage message) {
    if (read_only_) {
        return message;  // nothing typed is kept in a window that cannot change anything
    }
    if (!message) {
        refused_.erase(field);
        return message;
    }
    RefusedField r;
    r.field = field;
    r.text = text;
    r.message = *message;
    if (field == kVisitDateField) {
        r.label = "Visit date";
    } else if (field == kNotesField) {
        r.label = "Notes";
        r.step = kSummaryStep;
    } else if (const ItemDef* item = form().find(field)) {
        r.label = item->label;
        r.step = item->step;
    }
    refused_[field] = std::move(r);
    return message;
}

const RefusedField* AssessmentModel::refused(const std::string& field) const {
    auto it = refused_.find(field);
    return it == refused_.end() ? nullptr : &it->second;
}

std::vector<RefusedField> AssessmentModel::refused_fields() const {
    std::vector<RefusedField> out;
    if (const RefusedField* r = refused(kVisitDateField)) {
        out.push_back(*r);
    }
    for (const auto& item : form().items) {
        if (const RefusedField* r = refused(item.id)) {
            out.push_back(*r);
        }
    }
    if (const RefusedField* r = refused(kNotesField)) {
        out.push_back(*r);
    }
    return out;
}

std::string AssessmentModel::field_text(const std::string& item_id) const {
    const RefusedField* r = refused(item_id);
    return r ? r->text : answer_text(item_id);
}

std::vector<Json> AssessmentModel::list_entries(const std::string& item_id) const {
    if (auto it = entries_.find(item_id); it != entries_.end()) {
        return it->second;
    }
    const Json* v = answer(item_id);
    return v && v->is_array() ? std::vector<Json>(v->begin(), v->end()) : std::vector<Json>();
}

FieldMessage AssessmentModel::set_list_entries(const std::string& item_id,
                                               std::vector<Json> entries) {
    if (read_only_) {
        return "This assessment is finalized; use Amend to change it.";
    }
    const ItemDef* item = form().find(item_id);
    if (!item || item->type != ItemType::List) {
        return "Unknown list \"" + item_id + "\".";
    }
    Json complete = Json::array();
    for (const auto& e : entries) {
        if (entry_complete(*item, e)) {
            complete.push_back(e);
        }
    }
    FieldMessage refused = set_answer(item_id, complete.empty() ? Json() : complete);
    entries_[item_id] = std::move(entries);  // after set_answer, which forgets them
    note_typed(item_id, {}, refused);
    return list_message(item_id);
}

bool AssessmentModel::entry_complete(const ItemDef& list, const Json& entry) {
    bool ok = entry.is_object();
    for (const auto& f : list.fields) {
        ok = ok && (!f.required || entry.contains(f.id));
    }
    return ok;
}

FieldMessage AssessmentModel::list_message(const std::string& item_id) const {
    const ItemDef* item = form().find(item_id);
    if (!item || item->type != ItemType::List) {
        return std::nullopt;
    }
    const RefusedField* r = refused(item_id);
    std::string text = r ? r->message : std::string();
    bool incomplete = false;
    for (const auto& e : list_entries(item_id)) {
        incomplete = incomplete || (!entry_complete(*item, e) && e.is_object() && !e.empty());
    }
    if (incomplete) {
        std::string required;
        for (const auto& f : item->fields) {
            if (f.required) {
                required += (required.empty() ? "" : ", ") + f.label;
            }
        }
        text += std::string(text.empty() ? "" : " ") + "An entry is kept once it has: " + required +
                ".";
    }
    return text.empty() ? FieldMessage() : FieldMessage(text);
}

bool AssessmentModel::pain_map_recorded() const {
    const auto& ids = defs_->rules.acr2016.wpi_items;
    return std::any_of(ids.begin(), ids.end(),
                       [&](const std::string& id) { return answer(id) != nullptr; });
}

int AssessmentModel::painful_areas() const {
    const auto& ids = defs_->rules.acr2016.wpi_items;
    return static_cast<int>(std::count_if(ids.begin(), ids.end(), [&](const std::string& id) {
        const Json* v = answer(id);
        return v && *v == true;
    }));
}

void AssessmentModel::record_no_painful_areas() {
    if (read_only_) {
        return;
    }
    for (const auto& id : defs_->rules.acr2016.wpi_items) {
        a_.answers[id] = false;
    }
    changed();
}

void AssessmentModel::clear_pain_map() {
    if (read_only_ || !pain_map_recorded()) {
        return;
    }
    for (const auto& id : defs_->rules.acr2016.wpi_items) {
        a_.answers.erase(id);
    }
    changed();
}

FieldMessage AssessmentModel::refuse_text(const std::string& item_id, FieldMessage message) {
    // The field keeps the refused text for the clinician to correct; the stored answer is
    // cleared so the screen never shows one value while the file holds another ("1" then
    // "11" must not leave 1 behind).
    if (message && !read_only_) {
        clear_answer(item_id);
    }
    return message;
}

void AssessmentModel::clear_answer(const std::string& item_id) {
    if (read_only_) {
        return;
    }
    refused_.erase(item_id);
    if (a_.answers.erase(item_id) > 0) {
        changed();
    }
}

std::string AssessmentModel::answer_text(const std::string& item_id) const {
    const Json* v = answer(item_id);
    if (!v) {
        return {};
    }
    if (v->is_string()) {
        return v->get<std::string>();
    }
    if (v->is_number_integer()) {
        return std::to_string(v->get<long long>());
    }
    if (v->is_number()) {
        return format_number(v->get<double>());
    }
    return v->dump();
}

std::vector<const ItemDef*> AssessmentModel::red_flag_items() const {
    std::vector<const ItemDef*> out;
    for (const auto& item : form().items) {
        if (item.type == ItemType::YesNo && is_red_flag(item)) {
            out.push_back(&item);
        }
    }
    return out;
}

FieldMessage AssessmentModel::set_red_flag_key(const std::string& item_id, char key) {
    switch (key) {
        case 'y':
        case 'Y':
            return set_answer(item_id, "yes");
        case 'n':
        case 'N':
            return set_answer(item_id, "no");
        case 'u':
        case 'U':
            return set_answer(item_id, "unknown");
        default:
            return "Press Y for yes, N for no or U for unknown.";
    }
}

void AssessmentModel::set_visit(const std::string& date, const std::optional<std::string>& kind,
                                const std::optional<std::string>& clinician) {
    if (read_only_) {
        return;
    }
    a_.date = date;
    a_.kind = kind;
    a_.clinician = clinician;
    if (a_.clinician) {
        a_.clinician = normalize_text(*a_.clinician);
    }
    changed();
}

FieldMessage AssessmentModel::set_visit_date(const std::string& text) {
    if (read_only_) {
        return "This assessment is finalized; use Amend to change it.";
    }
    auto date = parse_iso_date(text);
    if (auto why = why_no_such_day(text); !date && why) {
        return note_typed(kVisitDateField, text, "The date " + text + " does not exist: " + *why);
    }
    if (!date) {
        return note_typed(kVisitDateField, text,
                          "Expected a date that exists, as YYYY-MM-DD (e.g. 2026-03-14), got \"" +
                              quote_for_message(text) + "\"");
    }
    if (*date > latest_today()) {
        return note_typed(kVisitDateField, text, "The visit date " + text + " is in the future");
    }
    auto birth = parse_iso_date(a_.patient.birth_date);
    if (birth && *date < *birth) {
        return note_typed(
            kVisitDateField, text,
            "The visit cannot be before the patient's birth (" + a_.patient.birth_date + ")");
    }
    refused_.erase(kVisitDateField);
    if (a_.date != text) {
        a_.date = text;
        changed();
    }
    return std::nullopt;
}

FieldMessage AssessmentModel::set_notes(const std::string& typed) {
    if (read_only_) {
        return "This assessment is finalized; use Amend to change it.";
    }
    std::string notes = normalize_text(typed);
    // A refused text is not stored: the notes keep their last acceptable content.
    if (auto problem = typed_text_problem("The notes field", notes, TextKind::kFreeText)) {
        return note_typed(kNotesField, typed, problem);
    }
    refused_.erase(kNotesField);
    if (notes.empty()) {
        a_.notes.reset();
    } else {
        a_.notes = notes;
    }
    changed();
    return std::nullopt;
}

std::vector<std::string> AssessmentModel::pending_emergencies() const {
    std::vector<std::string> out;
    for (const auto& f : eval_.red_flags) {
        if (f.urgency == Urgency::Emergency && !acknowledged(f.id)) {
            out.push_back(f.id);
        }
    }
    return out;
}

bool AssessmentModel::acknowledged(const std::string& flag_id) const {
    if (!a_.acknowledged) {
        return false;
    }
    return std::any_of(a_.acknowledged->begin(), a_.acknowledged->end(),
                       [&](const Acknowledgement& k) { return k.flag == flag_id; });
}

void AssessmentModel::acknowledge(const std::string& flag_id, const std::string& by,
                                  const std::string& at) {
    if (read_only_ || acknowledged(flag_id)) {
        return;
    }
    if (!a_.acknowledged) {
        a_.acknowledged.emplace();
    }
    a_.acknowledged->push_back({flag_id, by, at});
    changed();
}

LiveSummary AssessmentModel::live() const {
    LiveSummary s;
    s.urgency = eval_.urgency;
    s.urgency_text = urgency_label(*defs_, eval_.urgency);
    if (const UrgencyLevel* level = defs_->rules.level(eval_.urgency)) {
        s.urgency_meaning = level->meaning;
    }
    for (const auto& f : eval_.red_flags) {
        LiveFlag lf;
        lf.id = f.id;
        lf.label = f.label;
        lf.urgency = f.urgency;
        lf.urgency_text = urgency_label(*defs_, f.urgency);
        for (const auto& b : f.because) {
            lf.findings.push_back(describe_finding(*defs_, a_, eval_, b));
        }
        lf.action = f.action;
        lf.needs_acknowledgement = f.urgency == Urgency::Emergency && !acknowledged(f.id);
        s.flags.push_back(std::move(lf));
    }
    s.unscreened = static_cast<int>(eval_.unscreened.size());
    s.screen_size = static_cast<int>(red_flag_items().size());
    s.wpi = describe_wpi(eval_.acr2016, " of 19");  // "pain map not recorded", never 0
    s.sss = eval_.acr2016.sss ? std::to_string(*eval_.acr2016.sss) + " of 12" : "not known";
    s.tender_points = eval_.acr1990.tender_count
                          ? std::to_string(*eval_.acr1990.tender_count) + " of 18"
                          : "not examined";
    return s;
}

std::string AssessmentModel::summary_text() const {
    return evaluation_to_text(*defs_, a_, eval_);
}

std::vector<SummaryLine> AssessmentModel::summary_lines() const {
    return evaluation_lines(*defs_, a_, eval_);
}

std::vector<std::string> AssessmentModel::finalize_problems() const {
    std::vector<std::string> out;
    for (const auto& p : validate_assessment(a_, *defs_)) {
        out.push_back(p.path + ": " + p.message);
    }
    for (const auto& id : pending_emergencies()) {
        const FlagResult* f = eval_.flag(id);
        out.push_back("The emergency red flag \"" + (f ? f->label : id) +
                      "\" has not been acknowledged.");
    }
    return out;
}

FinalizeCheck AssessmentModel::finalize_check() const {
    FinalizeCheck c;
    c.refused = refused_fields();
    c.problems = finalize_problems();
    c.unscreened = unscreened_questions(*defs_, eval_);
    if (!eval_.duration_weeks) {
        const ItemDef* d = form().find("duration_weeks");
        c.not_recorded.push_back((d ? d->label : std::string("Duration")) + ": not recorded");
    }
    if (!pain_map_recorded()) {
        c.not_recorded.push_back(
            "Pain map: not recorded (WPI, FS and the ACR results stay unknown; use \"No "
            "painful areas\" if there are none)");
    }
    // Every other step with questions left, and list entries that are not kept: the red
    // flags are listed one by one above, the pain map just now.
    for (const auto& st : steps()) {
        if (st.id == "red_flags" || st.id == kSummaryStep || !st.note.empty()) {
            continue;
        }
        if (st.expected > 0 && st.answered < st.expected) {
            c.not_recorded.push_back(st.label + ": " + std::to_string(st.answered) + " of " +
                                     std::to_string(st.expected) + " questions answered");
        }
    }
    for (const auto& item : form().items) {
        if (item.type != ItemType::List || !visible_in(item)) {
            continue;
        }
        std::vector<std::string> names;
        for (const auto& e : list_entries(item.id)) {
            std::string name;
            for (const auto& f : item.fields) {
                if (name.empty() && f.type == ItemType::Text && e.is_object() && e.contains(f.id) &&
                    e[f.id].is_string()) {
                    name = e[f.id].get<std::string>();
                }
            }
            if (!entry_complete(item, e) && e.is_object() && !e.empty()) {
                names.push_back(name.empty() ? "an entry" : "\"" + name + "\"");
            }
        }
        if (!names.empty()) {
            std::string joined;
            for (const auto& n : names) {
                joined += (joined.empty() ? "" : ", ") + n;
            }
            c.not_recorded.push_back(item.label + ": " + joined +
                                     " not complete (not kept in the record)");
        }
    }
    return c;
}

void AssessmentModel::drop_hidden_answers() {
    // An item hidden by its visible_when was not asked; keeping its old answer would put a
    // finding in the file that the clinician can no longer see. Repeat: hiding one item can
    // hide another that depends on it.
    for (int pass = 0; pass < 8; ++pass) {
        bool dropped = false;
        for (const auto& item : form().items) {
            if (item.visible_when && !visible_in(item)) {
                // Refused text in a field that is no longer shown cannot be corrected.
                refused_.erase(item.id);
                entries_.erase(item.id);
                if (answer(item.id)) {
                    a_.answers.erase(item.id);
                    dropped = true;
                }
            }
        }
        if (!dropped) {
            break;
        }
    }
}

void AssessmentModel::changed() {
    drop_hidden_answers();
    eval_ = evaluate(*defs_, a_);
    ++revision_;
}

}  // namespace myo::gui
