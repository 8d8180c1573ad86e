#include "core/assessment.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "core/bounded_read.hpp"
#include "core/dates.hpp"
#include "core/text_input.hpp"

namespace myo {

namespace {

std::string range_text(const std::optional<double>& min, const std::optional<double>& max) {
    if (min && max) {
        return " " + format_number(*min) + ".." + format_number(*max);
    }
    return "";
}

std::string quoted_list(const std::vector<Choice>& choices) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) {
            out += i + 1 == choices.size() ? " or " : ", ";
        }
        out += "\"" + choices[i].value + "\"";
    }
    return out;
}

std::size_t utf8_length(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggestion(const std::string& id, const FormDef& form) {
    std::string best;
    std::size_t best_d = 3;
    // Edit distance is quadratic in length; a distance under 3 needs lengths within 2, so a
    // long hostile key costs nothing here.
    for (const auto& item : form.items) {
        std::size_t longer = std::max(id.size(), item.id.size());
        if (longer - std::min(id.size(), item.id.size()) >= best_d) {
            continue;
        }
        std::size_t d = edit_distance(id, item.id);
        if (d < best_d) {
            best_d = d;
            best = item.id;
        }
    }
    return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

void check_text(const std::string& text, TextKind kind, const std::string& path,
                std::vector<Problem>& out) {
    // The reader has normalised what it read; an editor checks what will be stored, which
    // is the normalised form of what was typed (normalize_assessment).
    if (auto problem = text_problem(normalize_text(text), kind)) {
        out.push_back({path, *problem});
    }
}

// Checks one typed value (an item's or a list field's).
void check_typed(ItemType type, const std::optional<double>& min, const std::optional<double>& max,
                 const std::vector<Choice>& choices, const Json& v, const std::string& path,
                 std::vector<Problem>& out) {
    auto got = [&v]() { return ", got " + describe_value(v); };
    auto in_range = [&](double x) { return (!min || x >= *min) && (!max || x <= *max); };
    switch (type) {
        case ItemType::YesNo:
            if (!v.is_string() || (v != "yes" && v != "no" && v != "unknown")) {
                out.push_back({path, "expected \"yes\", \"no\" or \"unknown\"" + got()});
            }
            return;
        case ItemType::Bool:
            if (!v.is_boolean()) {
                out.push_back({path, "expected true or false" + got()});
            }
            return;
        case ItemType::Int:
            if (!v.is_number_integer() || !in_range(v.get<double>())) {
                out.push_back({path, "expected an integer" + range_text(min, max) + got()});
            }
            return;
        case ItemType::Num:
            if (!v.is_number() || !in_range(v.get<double>())) {
                out.push_back({path, "expected a number" + range_text(min, max) + got()});
            }
            return;
        case ItemType::Enum: {
            bool ok =
                v.is_string() && std::any_of(choices.begin(), choices.end(), [&](const Choice& c) {
                    return c.value == v.get_ref<const std::string&>();
                });
            if (!ok) {
                out.push_back({path, "expected one of " + quoted_list(choices) + got()});
            }
            return;
        }
        case ItemType::Text:
            if (!v.is_string()) {
                out.push_back({path, "expected a string" + got()});
            }
            return;  // the text itself is checked by check_answer (one line or several)
        case ItemType::Multi:
        case ItemType::List:
            return;  // handled by check_answer
    }
}

}  // namespace

void check_answer(const ItemDef& item, const Json& v, const std::string& path,
                  std::vector<Problem>& out, Origin origin) {
    const bool policy = origin == Origin::kInput;
    if (item.type == ItemType::Multi) {
        if (!v.is_array()) {
            out.push_back({path, "expected an array of distinct values from " +
                                     quoted_list(item.choices) + ", got " + describe_value(v)});
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < v.size() && out.size() < kMaxProblems; ++i) {
            std::string p = join_path(path, i);
            const Json& e = v[i];
            std::size_t before = out.size();
            check_typed(ItemType::Enum, std::nullopt, std::nullopt, item.choices, e, p, out);
            if (out.size() == before && !seen.insert(e.get<std::string>()).second) {
                out.push_back({p, describe_value(e) + " appears more than once"});
            }
        }
        return;
    }
    if (item.type == ItemType::List) {
        if (!v.is_array()) {
            out.push_back({path, "expected an array of entries, got " + describe_value(v)});
            return;
        }
        if (item.max_items > 0 && v.size() > item.max_items) {
            out.push_back({path, "at most " + std::to_string(item.max_items) + " entries, got " +
                                     std::to_string(v.size())});
        }
        for (std::size_t i = 0; i < v.size() && out.size() < kMaxProblems; ++i) {
            std::string p = join_path(path, i);
            const Json& e = v[i];
            if (!e.is_object()) {
                out.push_back({p, "expected an object, got " + describe_value(e)});
                continue;
            }
            for (const auto& [key, value] : e.items()) {
                auto f = std::find_if(item.fields.begin(), item.fields.end(),
                                      [&key = key](const FieldDef& fd) { return fd.id == key; });
                if (f == item.fields.end()) {
                    out.push_back({join_path(p, quote_for_message(key)),
                                   "unknown field \"" + quote_for_message(key) + "\""});
                    if (out.size() >= kMaxProblems) {
                        return;
                    }
                    continue;
                }
                check_typed(f->type, f->min, f->max, f->choices, value, join_path(p, key), out);
                if (policy && f->type == ItemType::Text && value.is_string()) {
                    check_text(value.get_ref<const std::string&>(), TextKind::kLine,
                               join_path(p, key), out);
                }
                if (f->type == ItemType::Text && f->required && value.is_string() &&
                    value.get_ref<const std::string&>().find_first_not_of(" \t\r\n") ==
                        std::string::npos) {
                    out.push_back({join_path(p, key), "must not be empty"});
                }
            }
            for (const auto& f : item.fields) {
                if (f.required && !e.contains(f.id)) {
                    out.push_back({join_path(p, f.id), "required"});
                }
            }
        }
        return;
    }
    check_typed(item.type, item.min, item.max, item.choices, v, path, out);
    if (policy && item.type == ItemType::Text && v.is_string()) {
        check_text(v.get_ref<const std::string&>(), TextKind::kFreeText, path, out);
    }
}

namespace {

void normalize_answers(Json& answers, const FormDef& form) {
    if (!answers.is_object()) {
        return;
    }
    for (auto& [id, value] : answers.items()) {
        if (const ItemDef* item = form.find(id)) {
            normalize_answer(*item, value);
        }
    }
}

}  // namespace

void normalize_answer(const ItemDef& item_def, Json& value) {
    const ItemDef* item = &item_def;
    {
        if (item->type == ItemType::Text && value.is_string()) {
            value = normalize_text(value.get_ref<const std::string&>());
        } else if (item->type == ItemType::List && value.is_array()) {
            for (auto& entry : value) {
                if (!entry.is_object()) {
                    continue;
                }
                for (const auto& f : item->fields) {
                    auto it = entry.find(f.id);
                    if (f.type == ItemType::Text && it != entry.end() && it->is_string()) {
                        *it = normalize_text(it->get_ref<const std::string&>());
                    }
                }
            }
        }
    }
}

namespace {

class AssessmentReader {
  public:
    AssessmentReader(const Definitions& defs, std::vector<Problem>& problems, Origin origin)
        : defs_(defs), out_(problems), policy_(origin == Origin::kInput) {}

    Assessment read(const Json& doc) {
        Assessment a;
        if (!doc.is_object()) {
            out_.push_back(
                {"", "expected a JSON object (an assessment), got " + describe_value(doc)});
            return a;
        }
        static const std::set<std::string> kTop = {"format",  "version", "patient",
                                                   "date",    "kind",    "clinician",
                                                   "answers", "notes",   "acknowledged"};
        for (const auto& [key, _] : doc.items()) {
            if (!kTop.count(key) && out_.size() < kMaxProblems) {
                out_.push_back({join_path("", quote_for_message(key)),
                                "unknown key \"" + quote_for_message(key) + "\""});
            }
        }
        if (auto f = field(doc, "", "format", true)) {
            if (*f != kAssessmentFormat) {
                out_.push_back(
                    {"/format", "expected \"myoscreen.assessment\", got " + describe_value(*f)});
            }
        }
        if (!doc.contains("version")) {
            out_.push_back({"/version", "required"});
        } else if (doc["version"] != kAssessmentVersion) {
            out_.push_back({"/version", "expected 1 (this build reads version 1), got " +
                                            describe_value(doc["version"])});
        }
        read_patient(doc, a);
        std::optional<Date> visit;
        if (auto d = string_field(doc, "", "date", true)) {
            a.date = *d;
            visit = parse_iso_date(*d);
            if (auto why = why_no_such_day(*d); !visit && why) {
                out_.push_back({"/date", "the date " + *d + " does not exist: " + *why});
            } else if (!visit) {
                out_.push_back({"/date", "expected a real date as YYYY-MM-DD, got \"" +
                                             quote_for_message(*d) + "\""});
            } else if (policy_ && *visit > latest_today()) {
                out_.push_back({"/date", "the visit date " + *d +
                                             " is in the future (a visit is recorded on or "
                                             "after the day it happens)"});
            }
        }
        check_birth(a, visit);
        if (auto k = string_field(doc, "", "kind", false)) {
            if (*k != "initial" && *k != "follow_up") {
                out_.push_back({"/kind", "expected \"initial\" or \"follow_up\", got \"" +
                                             quote_for_message(*k) + "\""});
            }
            a.kind = *k;
        }
        a.clinician = text_field(doc, "", "clinician", false, TextKind::kName);
        a.notes = text_field(doc, "", "notes", false, TextKind::kFreeText);
        read_acknowledged(doc, a);
        if (!doc.contains("answers")) {
            out_.push_back({"/answers", "required"});
        } else if (!doc["answers"].is_object()) {
            out_.push_back({"/answers", "expected an object of item id -> value, got " +
                                            describe_value(doc["answers"])});
        } else {
            a.answers = doc["answers"];
            normalize_answers(a.answers, defs_.form);
            check_answers(a.answers);
        }
        return a;
    }

    void check_answers(const Json& answers) {
        for (const auto& [id, value] : answers.items()) {
            if (out_.size() >= kMaxProblems) {
                return;
            }
            const ItemDef* item = defs_.form.find(id);
            if (!item) {
                out_.push_back({join_path("/answers", quote_for_message(id)),
                                "unknown item \"" + quote_for_message(id) + "\"" +
                                    suggestion(id, defs_.form)});
                continue;
            }
            std::string p = join_path("/answers", id);
            check_answer(*item, value, p, out_, policy_ ? Origin::kInput : Origin::kStored);
        }
    }

    void check_birth(const Assessment& a, const std::optional<Date>& visit) {
        auto birth = parse_iso_date(a.patient.birth_date);
        if (!birth || !visit) {
            return;
        }
        if (*birth > *visit) {
            out_.push_back({"/patient/birth_date", "the birth date " + a.patient.birth_date +
                                                       " is after the assessment date " + a.date});
        } else if (whole_years(*birth, *visit) > 130) {
            out_.push_back({"/patient/birth_date", "the patient would be " +
                                                       std::to_string(whole_years(*birth, *visit)) +
                                                       " years old (at most 130)"});
        }
    }

  private:
    const Json* field(const Json& obj, const std::string& path, const char* key, bool required) {
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) {
                out_.push_back({join_path(path, key), "required"});
            }
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::string> string_field(const Json& obj, const std::string& path,
                                            const char* key, bool required) {
        const Json* v = field(obj, path, key, required);
        if (!v) {
            return std::nullopt;
        }
        if (!v->is_string()) {
            out_.push_back({join_path(path, key), "expected a string, got " + describe_value(*v)});
            return std::nullopt;
        }
        return v->get<std::string>();
    }

    // A text a person typed: normalised (NFC, no invisible format characters) and checked
    // against its kind's limits and the printable characters.
    std::optional<std::string> text_field(const Json& obj, const std::string& path, const char* key,
                                          bool required, TextKind kind) {
        auto value = string_field(obj, path, key, required);
        if (value && policy_) {
            *value = normalize_text(*value);
            if (auto problem = text_problem(*value, kind)) {
                out_.push_back({join_path(path, key), *problem});
            }
        }
        return value;
    }

    void read_patient(const Json& doc, Assessment& a) {
        const Json* p = field(doc, "", "patient", true);
        if (!p) {
            return;
        }
        if (!p->is_object()) {
            out_.push_back({"/patient", "expected an object, got " + describe_value(*p)});
            return;
        }
        static const std::set<std::string> kKeys = {"id", "name", "birth_date", "sex"};
        for (const auto& [key, _] : p->items()) {
            if (!kKeys.count(key) && out_.size() < kMaxProblems) {
                out_.push_back({join_path("/patient", quote_for_message(key)),
                                "unknown key \"" + quote_for_message(key) + "\""});
            }
        }
        if (auto id = string_field(*p, "/patient", "id", true)) {
            a.patient.id = policy_ ? normalize_text(*id) : *id;
            std::size_t n = utf8_length(a.patient.id);
            if (n < 1 || n > max_chars(TextKind::kId)) {
                out_.push_back({"/patient/id", "expected 1 to " +
                                                   std::to_string(max_chars(TextKind::kId)) +
                                                   " characters, got " + std::to_string(n)});
            } else if (auto problem =
                           policy_ ? text_problem(a.patient.id, TextKind::kId) : std::nullopt) {
                out_.push_back({"/patient/id", *problem});
            }
        }
        if (auto name = text_field(*p, "/patient", "name", true, TextKind::kName)) {
            a.patient.name = *name;
            if (name->find_first_not_of(" \t\r\n") == std::string::npos) {
                out_.push_back({"/patient/name", "must not be empty"});
            }
        }
        if (auto b = string_field(*p, "/patient", "birth_date", true)) {
            a.patient.birth_date = *b;
            if (auto why = why_no_such_day(*b); why && !parse_iso_date(*b)) {
                out_.push_back(
                    {"/patient/birth_date", "the birth date " + *b + " does not exist: " + *why});
            } else if (!parse_iso_date(*b)) {
                out_.push_back(
                    {"/patient/birth_date",
                     "expected a real date as YYYY-MM-DD, got \"" + quote_for_message(*b) + "\""});
            }
        }
        if (auto s = string_field(*p, "/patient", "sex", false)) {
            static const std::set<std::string> kSex = {"female", "male", "other", "unknown"};
            if (!kSex.count(*s)) {
                out_.push_back({"/patient/sex",
                                "expected \"female\", \"male\", \"other\" or \"unknown\", got \"" +
                                    quote_for_message(*s) + "\""});
            }
            a.patient.sex = *s;
        }
    }

    void read_acknowledged(const Json& doc, Assessment& a) {
        const Json* arr = field(doc, "", "acknowledged", false);
        if (!arr) {
            return;
        }
        if (!arr->is_array()) {
            out_.push_back({"/acknowledged", "expected an array, got " + describe_value(*arr)});
            return;
        }
        a.acknowledged.emplace();
        for (std::size_t i = 0; i < arr->size() && out_.size() < kMaxProblems; ++i) {
            std::string p = join_path("/acknowledged", i);
            const Json& e = (*arr)[i];
            if (!e.is_object()) {
                out_.push_back({p, "expected an object, got " + describe_value(e)});
                continue;
            }
            for (const auto& [key, _] : e.items()) {
                if (key != "flag" && key != "by" && key != "at" && out_.size() < kMaxProblems) {
                    out_.push_back({join_path(p, quote_for_message(key)),
                                    "unknown key \"" + quote_for_message(key) + "\""});
                }
            }
            Acknowledgement ack;
            ack.flag = string_field(e, p, "flag", true).value_or("");
            ack.by = text_field(e, p, "by", true, TextKind::kName).value_or("");
            ack.at = string_field(e, p, "at", true).value_or("");
            if (e.contains("flag") && e["flag"].is_string() && !defs_.rules.flag(ack.flag)) {
                out_.push_back({join_path(p, "flag"),
                                "unknown red flag \"" + quote_for_message(ack.flag) + "\""});
            }
            if (e.contains("at") && e["at"].is_string() && !is_iso_datetime(ack.at)) {
                out_.push_back({join_path(p, "at"),
                                "expected an ISO date-time (YYYY-MM-DDTHH:MM:SSZ), got \"" +
                                    quote_for_message(ack.at) + "\""});
            }
            a.acknowledged->push_back(std::move(ack));
        }
    }

    const Definitions& defs_;
    std::vector<Problem>& out_;
    const bool policy_;  // Origin::kInput: the input policy applies (see assessment.hpp)
};

}  // namespace

AssessmentParse assessment_from_json(const Json& doc, const Definitions& defs, Origin origin) {
    AssessmentParse result;
    AssessmentReader reader(defs, result.problems, origin);
    Assessment a = reader.read(doc);
    if (result.problems.empty()) {
        result.assessment = std::move(a);
    }
    return result;
}

namespace {
std::string too_large() {
    return "is larger than " + std::to_string(kMaxAssessmentBytes / 1024) +
           " KiB, the most an assessment file may hold; it is not an assessment";
}
}  // namespace

AssessmentParse parse_assessment(std::string_view text, const Definitions& defs, Origin origin) {
    if (origin == Origin::kInput && text.size() > kMaxAssessmentBytes) {
        return AssessmentParse{std::nullopt, {{"", too_large()}}};
    }
    ParsedJson parsed = parse_json(text);
    if (!parsed.value) {
        return AssessmentParse{std::nullopt, parsed.problems};
    }
    return assessment_from_json(*parsed.value, defs, origin);
}

Assessment read_assessment_file(const std::string& path, const Definitions& defs) {
    std::string name = path == "-" ? "<stdin>" : path;
    BoundedRead read = read_bounded_file(path, kMaxAssessmentBytes);
    if (read.problem) {
        switch (*read.problem) {
            case ReadProblem::kDirectory:
                throw AssessmentError(name, {{"", "is a directory, not an assessment file"}});
            case ReadProblem::kTooLarge:
                throw AssessmentError(name, {{"", too_large()}});
            case ReadProblem::kUnreadable:
                throw AssessmentError(name, {{"", "cannot be read (missing or unreadable)"}});
            case ReadProblem::kInputOutput:
                throw AssessmentError(name, {{"", "cannot be read (an input/output error)"}});
        }
    }
    const std::optional<std::string>& text = read.text;
    AssessmentParse parsed = parse_assessment(*text, defs);
    if (!parsed.assessment) {
        throw AssessmentError(name, parsed.problems);
    }
    return std::move(*parsed.assessment);
}

void normalize_assessment(Assessment& a, const Definitions& defs) {
    a.patient.id = normalize_text(a.patient.id);
    a.patient.name = normalize_text(a.patient.name);
    for (auto* text : {&a.clinician, &a.notes}) {
        if (*text) {
            **text = normalize_text(**text);
        }
    }
    if (a.acknowledged) {
        for (auto& ack : *a.acknowledged) {
            ack.by = normalize_text(ack.by);
        }
    }
    normalize_answers(a.answers, defs.form);
}

std::vector<Problem> validate_assessment(const Assessment& a, const Definitions& defs) {
    AssessmentParse parsed = assessment_from_json(assessment_to_json(a), defs);
    return parsed.problems;
}

Json assessment_to_json(const Assessment& a) {
    Json doc = Json::object();
    doc["format"] = kAssessmentFormat;
    doc["version"] = kAssessmentVersion;
    Json patient = Json::object();
    patient["id"] = a.patient.id;
    patient["name"] = a.patient.name;
    patient["birth_date"] = a.patient.birth_date;
    if (a.patient.sex) {
        patient["sex"] = *a.patient.sex;
    }
    doc["patient"] = std::move(patient);
    doc["date"] = a.date;
    if (a.kind) {
        doc["kind"] = *a.kind;
    }
    if (a.clinician) {
        doc["clinician"] = *a.clinician;
    }
    doc["answers"] = a.answers;
    if (a.notes) {
        doc["notes"] = *a.notes;
    }
    if (a.acknowledged) {
        Json acks = Json::array();
        for (const auto& ack : *a.acknowledged) {
            acks.push_back(Json{{"flag", ack.flag}, {"by", ack.by}, {"at", ack.at}});
        }
        doc["acknowledged"] = std::move(acks);
    }
    return doc;
}

std::string write_assessment(const Assessment& a) {
    return assessment_to_json(a).dump(1) + "\n";
}

}  // namespace myo
