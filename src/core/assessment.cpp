#include "core/assessment.hpp"

#include <algorithm>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "core/dates.hpp"

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
    for (const auto& item : form.items) {
        std::size_t d = edit_distance(id, item.id);
        if (d < best_d) {
            best_d = d;
            best = item.id;
        }
    }
    return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
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
            return;
        case ItemType::Multi:
        case ItemType::List:
            return;  // handled by check_answer
    }
}

}  // namespace

void check_answer(const ItemDef& item, const Json& v, const std::string& path,
                  std::vector<Problem>& out) {
    if (item.type == ItemType::Multi) {
        if (!v.is_array()) {
            out.push_back({path, "expected an array of distinct values from " +
                                     quoted_list(item.choices) + ", got " + describe_value(v)});
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < v.size(); ++i) {
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
        for (std::size_t i = 0; i < v.size(); ++i) {
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
                    out.push_back({join_path(p, key), "unknown field \"" + key + "\""});
                    continue;
                }
                check_typed(f->type, f->min, f->max, f->choices, value, join_path(p, key), out);
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
}

namespace {

class AssessmentReader {
  public:
    AssessmentReader(const Definitions& defs, std::vector<Problem>& problems)
        : defs_(defs), out_(problems) {}

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
            if (!kTop.count(key)) {
                out_.push_back({join_path("", key), "unknown key \"" + key + "\""});
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
            if (!visit) {
                out_.push_back({"/date", "expected a real date as YYYY-MM-DD, got \"" + *d + "\""});
            }
        }
        check_birth(a, visit);
        if (auto k = string_field(doc, "", "kind", false)) {
            if (*k != "initial" && *k != "follow_up") {
                out_.push_back(
                    {"/kind", "expected \"initial\" or \"follow_up\", got \"" + *k + "\""});
            }
            a.kind = *k;
        }
        a.clinician = string_field(doc, "", "clinician", false);
        a.notes = string_field(doc, "", "notes", false);
        read_acknowledged(doc, a);
        if (!doc.contains("answers")) {
            out_.push_back({"/answers", "required"});
        } else if (!doc["answers"].is_object()) {
            out_.push_back({"/answers", "expected an object of item id -> value, got " +
                                            describe_value(doc["answers"])});
        } else {
            a.answers = doc["answers"];
            check_answers(a.answers);
        }
        return a;
    }

    void check_answers(const Json& answers) {
        for (const auto& [id, value] : answers.items()) {
            std::string p = join_path("/answers", id);
            const ItemDef* item = defs_.form.find(id);
            if (!item) {
                out_.push_back({p, "unknown item \"" + id + "\"" + suggestion(id, defs_.form)});
                continue;
            }
            check_answer(*item, value, p, out_);
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
            if (!kKeys.count(key)) {
                out_.push_back({join_path("/patient", key), "unknown key \"" + key + "\""});
            }
        }
        if (auto id = string_field(*p, "/patient", "id", true)) {
            a.patient.id = *id;
            std::size_t n = utf8_length(*id);
            if (n < 1 || n > 64) {
                out_.push_back(
                    {"/patient/id", "expected 1 to 64 characters, got " + std::to_string(n)});
            }
        }
        if (auto name = string_field(*p, "/patient", "name", true)) {
            a.patient.name = *name;
            if (name->find_first_not_of(" \t\r\n") == std::string::npos) {
                out_.push_back({"/patient/name", "must not be empty"});
            }
        }
        if (auto b = string_field(*p, "/patient", "birth_date", true)) {
            a.patient.birth_date = *b;
            if (!parse_iso_date(*b)) {
                out_.push_back({"/patient/birth_date",
                                "expected a real date as YYYY-MM-DD, got \"" + *b + "\""});
            }
        }
        if (auto s = string_field(*p, "/patient", "sex", false)) {
            static const std::set<std::string> kSex = {"female", "male", "other", "unknown"};
            if (!kSex.count(*s)) {
                out_.push_back({"/patient/sex",
                                "expected \"female\", \"male\", \"other\" or \"unknown\", got \"" +
                                    *s + "\""});
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
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = join_path("/acknowledged", i);
            const Json& e = (*arr)[i];
            if (!e.is_object()) {
                out_.push_back({p, "expected an object, got " + describe_value(e)});
                continue;
            }
            for (const auto& [key, _] : e.items()) {
                if (key != "flag" && key != "by" && key != "at") {
                    out_.push_back({join_path(p, key), "unknown key \"" + key + "\""});
                }
            }
            Acknowledgement ack;
            ack.flag = string_field(e, p, "flag", true).value_or("");
            ack.by = string_field(e, p, "by", true).value_or("");
            ack.at = string_field(e, p, "at", true).value_or("");
            if (e.contains("flag") && e["flag"].is_string() && !defs_.rules.flag(ack.flag)) {
                out_.push_back({join_path(p, "flag"), "unknown red flag \"" + ack.flag + "\""});
            }
            if (e.contains("at") && e["at"].is_string() && !is_iso_datetime(ack.at)) {
                out_.push_back(
                    {join_path(p, "at"),
                     "expected an ISO date-time (YYYY-MM-DDTHH:MM:SSZ), got \"" + ack.at + "\""});
            }
            a.acknowledged->push_back(std::move(ack));
        }
    }

    const Definitions& defs_;
    std::vector<Problem>& out_;
};

}  // namespace

AssessmentParse assessment_from_json(const Json& doc, const Definitions& defs) {
    AssessmentParse result;
    AssessmentReader reader(defs, result.problems);
    Assessment a = reader.read(doc);
    if (result.problems.empty()) {
        result.assessment = std::move(a);
    }
    return result;
}

AssessmentParse parse_assessment(std::string_view text, const Definitions& defs) {
    ParsedJson parsed = parse_json(text);
    if (!parsed.value) {
        return AssessmentParse{std::nullopt, parsed.problems};
    }
    return assessment_from_json(*parsed.value, defs);
}

Assessment read_assessment_file(const std::string& path, const Definitions& defs) {
    std::string text;
    std::string name = path == "-" ? "<stdin>" : path;
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        try {
            text = read_text_file(path);
        } catch (const std::exception& e) {
            throw AssessmentError(name,
                                  {{"", "cannot be read (missing, unreadable or a directory)"}});
        }
    }
    AssessmentParse parsed = parse_assessment(text, defs);
    if (!parsed.assessment) {
        throw AssessmentError(name, parsed.problems);
    }
    return std::move(*parsed.assessment);
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
