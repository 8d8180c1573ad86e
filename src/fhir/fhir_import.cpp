// A QuestionnaireResponse made against our Questionnaire, read back into an assessment. Every
// value is checked for its FHIR type here, then the assessment is checked like any other input
// (assessment_from_json); every problem names the FHIR path it comes from.
#include <map>
#include <set>

#include "fhir/fhir.hpp"
#include "fhir/fhir_codes.hpp"
#include "fhir/fhir_items.hpp"

namespace myo::fhir {

namespace {

// A refusal of the whole file (the structure is not what we can read).
struct Refused {
    std::string path;
    std::string message;
};

[[noreturn]] void refuse(const std::string& path, const std::string& message) {
    throw Refused{path, message};
}

std::string at_index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

const Json& member(const Json& obj, const std::string& path, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end()) {
        refuse(path + "." + key, "missing");
    }
    return *it;
}

const Json& object_at(const Json& obj, const std::string& path, const char* key) {
    const Json& v = member(obj, path, key);
    if (!v.is_object()) {
        refuse(path + "." + key, "expected an object, got " + describe_value(v));
    }
    return v;
}

const Json& array_at(const Json& obj, const std::string& path, const char* key) {
    const Json& v = member(obj, path, key);
    if (!v.is_array()) {
        refuse(path + "." + key, "expected an array, got " + describe_value(v));
    }
    return v;
}

std::string string_at(const Json& obj, const std::string& path, const char* key) {
    const Json& v = member(obj, path, key);
    if (!v.is_string()) {
        refuse(path + "." + key, "expected a string, got " + describe_value(v));
    }
    return v.get<std::string>();
}

std::optional<std::string> optional_string(const Json& obj, const std::string& path,
                                           const char* key) {
    if (!obj.contains(key)) {
        return std::nullopt;
    }
    return string_at(obj, path, key);
}

struct Entry {
    const Json* resource;
    std::string path;  // "Bundle.entry[i].resource"
};

class Reader {
  public:
    Reader(const Definitions& defs, const Json& bundle) : defs_(defs) {
        if (!bundle.is_object()) {
            refuse("Bundle",
                   "expected a FHIR Bundle (a JSON object), got " + describe_value(bundle));
        }
        auto type = bundle.find("resourceType");
        if (type == bundle.end() || !type->is_string() || *type != "Bundle") {
            refuse("Bundle.resourceType",
                   "expected \"Bundle\" (holding a QuestionnaireResponse), got " +
                       (type == bundle.end() ? std::string("nothing") : describe_value(*type)));
        }
        const Json& entries = array_at(bundle, "Bundle", "entry");
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const std::string path = at_index("Bundle.entry", i);
            if (!entries[i].is_object()) {
                refuse(path, "expected an object, got " + describe_value(entries[i]));
            }
            const Json& resource = object_at(entries[i], path, "resource");
            const std::string rpath = path + ".resource";
            string_at(resource, rpath, "resourceType");
            if (auto url = optional_string(entries[i], path, "fullUrl")) {
                by_url_[*url] = entries_.size();
            }
            entries_.push_back({&resource, rpath});
        }
    }

    const Entry& the_response() const {
        const Entry* found = nullptr;
        for (const auto& e : entries_) {
            if ((*e.resource)["resourceType"] == "QuestionnaireResponse") {
                if (found != nullptr) {
                    refuse(e.path,
                           "a second QuestionnaireResponse: import reads one assessment per file");
                }
                found = &e;
            }
        }
        if (found == nullptr) {
            refuse("Bundle.entry", "no QuestionnaireResponse in the Bundle");
        }
        return *found;
    }

    // The resource a reference names, which must be in the Bundle and of the given type.
    const Entry& resolve(const Json& holder, const std::string& path, const char* key,
                         const char* type) const {
        const Json& r = object_at(holder, path, key);
        const std::string target = string_at(r, path + "." + key, "reference");
        auto it = by_url_.find(target);
        if (it == by_url_.end()) {
            refuse(
                path + "." + key + ".reference",
                "\"" + target + "\" is not in the Bundle (every reference must resolve inside it)");
        }
        const Entry& e = entries_[it->second];
        if ((*e.resource)["resourceType"] != type) {
            refuse(path + "." + key + ".reference",
                   "expected a " + std::string(type) + ", got a " +
                       (*e.resource)["resourceType"].get<std::string>());
        }
        return e;
    }

    // The answers from the items, each item's FHIR path kept for the problems of the check.
    void read_items(const Json& holder, const std::string& path) {
        const Json& items = array_at(holder, path, "item");
        for (std::size_t i = 0; i < items.size(); ++i) {
            read_item(items[i], at_index(path + ".item", i));
        }
    }

    Json answers = Json::object();
    std::map<std::string, std::string> item_paths;  // item id -> FHIR path
    // From the "record" group (fhir_items.hpp): the clinician's notes, and the acknowledgements
    // as the assessment format has them ({flag, by, at}; empty: none).
    std::optional<std::string> notes;
    Json acknowledged = Json::array();

  private:
    bool is_step(const std::string& id) const {
        for (const auto& s : defs_.form.steps) {
            if (s.id == id) {
                return true;
            }
        }
        return false;
    }

    void read_item(const Json& item, const std::string& path) {
        if (!item.is_object()) {
            refuse(path, "expected an object, got " + describe_value(item));
        }
        const std::string link = string_at(item, path, "linkId");
        if (link == kRecordLink) {
            read_record(item, path);
            return;
        }
        if (is_step(link)) {
            if (item.contains("answer")) {
                refuse(path + ".answer", "the group \"" + link + "\" holds items, not answers");
            }
            read_items(item, path);
            return;
        }
        const ItemDef* def = defs_.form.find(link);
        if (def == nullptr) {
            refuse(path + ".linkId", "\"" + link +
                                         "\" is not an item of the MyoScreen Questionnaire " +
                                         defs_.form.version);
        }
        if (def->type == ItemType::List) {
            Json entry = Json::object();
            if (item.contains("item")) {
                const Json& fields = array_at(item, path, "item");
                for (std::size_t i = 0; i < fields.size(); ++i) {
                    read_field(*def, fields[i], at_index(path + ".item", i), entry);
                }
            }
            answers[def->id].push_back(entry);
            item_paths.emplace(def->id, path);
            return;
        }
        if (answers.contains(def->id)) {
            refuse(path, "\"" + link + "\" is answered twice");
        }
        if (item.contains("item")) {
            refuse(path + ".item", "\"" + link + "\" is a question, not a group");
        }
        item_paths[def->id] = path;
        if (!item.contains("answer")) {
            if (def->type == ItemType::Multi) {
                answers[def->id] = Json::array();  // asked, nothing selected
            }
            return;  // otherwise not asked
        }
        const Json& list = array_at(item, path, "answer");
        if (def->type == ItemType::Multi) {
            Json values = Json::array();
            for (std::size_t i = 0; i < list.size(); ++i) {
                values.push_back(value_of(def->type, list[i], at_index(path + ".answer", i)));
            }
            answers[def->id] = values;
            return;
        }
        if (list.size() != 1) {
            refuse(path + ".answer",
                   "\"" + link + "\" takes one answer, got " + std::to_string(list.size()));
        }
        answers[def->id] = value_of(def->type, list[0], path + ".answer[0]");
    }

    void read_record(const Json& item, const std::string& path) {
        if (record_seen_) {
            refuse(path, "the group \"record\" appears twice");
        }
        record_seen_ = true;
        if (item.contains("answer")) {
            refuse(path + ".answer", "the group \"record\" holds items, not answers");
        }
        const std::string notes_link = std::string(kRecordLink) + ".notes";
        const std::string ack_link = std::string(kRecordLink) + ".acknowledged";
        const Json& items = array_at(item, path, "item");
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string p = at_index(path + ".item", i);
            if (!items[i].is_object()) {
                refuse(p, "expected an object, got " + describe_value(items[i]));
            }
            const std::string link = string_at(items[i], p, "linkId");
            if (link == notes_link) {
                if (notes) {
                    refuse(p, "\"" + link + "\" is answered twice");
                }
                notes = single_text(items[i], p, link, "valueString");
            } else if (link == ack_link) {
                Json entry = Json::object();
                const Json& fields = array_at(items[i], p, "item");
                for (std::size_t j = 0; j < fields.size(); ++j) {
                    const std::string fp = at_index(p + ".item", j);
                    if (!fields[j].is_object()) {
                        refuse(fp, "expected an object, got " + describe_value(fields[j]));
                    }
                    const std::string field = string_at(fields[j], fp, "linkId");
                    const std::string key = field.rfind(ack_link + ".", 0) == 0
                                                ? field.substr(ack_link.size() + 1)
                                                : std::string();
                    if (key != "flag" && key != "by" && key != "at") {
                        refuse(fp + ".linkId",
                               "\"" + field + "\" is not a field of \"" + ack_link + "\"");
                    }
                    if (entry.contains(key)) {
                        refuse(fp, "\"" + field + "\" is answered twice in one entry");
                    }
                    entry[key] = single_text(fields[j], fp, field,
                                             key == "at" ? "valueDateTime" : "valueString");
                }
                acknowledged.push_back(entry);
            } else {
                refuse(p + ".linkId",
                       "\"" + link + "\" is not an item of the group \"" + kRecordLink + "\"");
            }
        }
    }

    // The one answer of a text item of the record group, of FHIR type `key`.
    static std::string single_text(const Json& item, const std::string& path,
                                   const std::string& link, const char* key) {
        const Json& list = array_at(item, path, "answer");
        if (list.size() != 1) {
            refuse(path + ".answer",
                   "\"" + link + "\" takes one answer, got " + std::to_string(list.size()));
        }
        const Json& answer = list[0];
        const auto value = answer.is_object() ? answer.find(key) : answer.end();
        if (!answer.is_object() || answer.size() != 1 || value == answer.end() ||
            !value->is_string()) {
            refuse(path + ".answer[0]", std::string("expected ") + key + " with a string, got " +
                                            describe_value(answer));
        }
        return value->get<std::string>();
    }

    void read_field(const ItemDef& def, const Json& item, const std::string& path, Json& entry) {
        if (!item.is_object()) {
            refuse(path, "expected an object, got " + describe_value(item));
        }
        const std::string link = string_at(item, path, "linkId");
        const FieldDef* field = nullptr;
        for (const auto& f : def.fields) {
            if (def.id + "." + f.id == link) {
                field = &f;
            }
        }
        if (field == nullptr) {
            refuse(path + ".linkId", "\"" + link + "\" is not a field of \"" + def.id + "\"");
        }
        if (entry.contains(field->id)) {
            refuse(path, "\"" + link + "\" is answered twice in one entry");
        }
        const Json& list = array_at(item, path, "answer");
        if (list.size() != 1) {
            refuse(path + ".answer",
                   "\"" + link + "\" takes one answer, got " + std::to_string(list.size()));
        }
        entry[field->id] = value_of(field->type, list[0], path + ".answer[0]");
    }

    // The answer[x] of one answer, checked for the FHIR type the Questionnaire gives the item.
    static Json value_of(ItemType type, const Json& answer, const std::string& path) {
        if (!answer.is_object() || answer.size() != 1) {
            refuse(path, "expected an answer with one value[x], got " + describe_value(answer));
        }
        // The only member, through an iterator that lives as long as the names: items()'s
        // proxy would leave `key` referring to a temporary that is gone (ASan:
        // stack-use-after-scope).
        const auto member = answer.begin();
        const std::string key = member.key();
        const Json& value = member.value();
        auto wrong = [&](const std::string& expected) {
            refuse(path + "." + key,
                   "expected " + expected + ", got " + key + " " + describe_value(value));
        };
        switch (type) {
            case ItemType::YesNo: {
                if (key != "valueCoding" || !value.is_object()) {
                    wrong("a valueCoding (Y, N or UNK)");
                }
                const std::string system = string_at(value, path + ".valueCoding", "system");
                const std::string code = string_at(value, path + ".valueCoding", "code");
                auto yn = yn_answer(code);
                if (system != kYesNoUnknown || !yn) {
                    refuse(path + ".valueCoding", "expected Y, N or UNK of " +
                                                      std::string(kYesNoUnknown) + ", got \"" +
                                                      code + "\" of \"" + system + "\"");
                }
                return *yn;
            }
            case ItemType::Bool:
                if (key != "valueBoolean" || !value.is_boolean()) {
                    wrong("a valueBoolean");
                }
                return value;
            case ItemType::Int:
                if (key != "valueInteger" || !value.is_number_integer()) {
                    wrong("a valueInteger");
                }
                return value;
            case ItemType::Num:
                if ((key != "valueDecimal" && key != "valueInteger") || !value.is_number()) {
                    wrong("a valueDecimal");
                }
                return value;
            case ItemType::Enum:
            case ItemType::Multi: {
                if (key != "valueCoding" || !value.is_object()) {
                    wrong("a valueCoding");
                }
                const std::string system = string_at(value, path + ".valueCoding", "system");
                if (system != kChoicesUrl) {
                    refuse(path + ".valueCoding.system",
                           "expected " + std::string(kChoicesUrl) + ", got \"" + system + "\"");
                }
                return string_at(value, path + ".valueCoding", "code");
            }
            case ItemType::Text:
            case ItemType::List:
                break;
        }
        if (key != "valueString" || !value.is_string()) {
            wrong("a valueString");
        }
        return value;
    }

    const Definitions& defs_;
    bool record_seen_ = false;
    std::vector<Entry> entries_;
    std::map<std::string, std::size_t> by_url_;
};

std::string patient_name(const Json& patient, const std::string& path) {
    const Json& names = array_at(patient, path, "name");
    if (names.empty() || !names[0].is_object()) {
        refuse(path + ".name", "expected a name");
    }
    const std::string p = path + ".name[0]";
    if (auto text = optional_string(names[0], p, "text")) {
        return *text;
    }
    std::string out;
    if (names[0].contains("given")) {
        for (const auto& g : array_at(names[0], p, "given")) {
            if (!g.is_string()) {
                refuse(p + ".given", "expected strings, got " + describe_value(g));
            }
            out += g.get<std::string>() + " ";
        }
    }
    return out + optional_string(names[0], p, "family").value_or("");
}

// The problems of the assessment check, moved to the FHIR path of what they came from.
Problem to_fhir_path(const Problem& p, const Reader& r, const std::string& response_path,
                     const std::string& patient_path) {
    const std::string answers = "/answers/";
    if (p.path.rfind(answers, 0) == 0) {
        const std::string rest = p.path.substr(answers.size());
        const std::string id = rest.substr(0, rest.find('/'));
        auto it = r.item_paths.find(id);
        const std::string where = it != r.item_paths.end() ? it->second : response_path;
        return {where, "\"" + id + "\": " + p.message};
    }
    if (p.path.rfind("/patient", 0) == 0) {
        return {patient_path, p.path.substr(1) + ": " + p.message};
    }
    if (p.path == "/date") {
        return {response_path + ".authored", p.message};
    }
    return {response_path, (p.path.empty() ? "" : p.path.substr(1) + ": ") + p.message};
}

}  // namespace

Assessment import_bundle(const Definitions& defs, std::string_view text, const std::string& file) {
    if (text.size() > kMaxFhirBytes) {
        throw ImportError(file, {{"", "the file is " + std::to_string(text.size()) +
                                          " bytes; a FHIR file is read up to " +
                                          std::to_string(kMaxFhirBytes / (1024 * 1024)) + " MiB"}});
    }
    ParsedJson parsed = parse_json(text);
    if (!parsed.value) {
        throw ImportError(file, parsed.problems);
    }
    try {
        Reader reader(defs, *parsed.value);
        const Entry& response = reader.the_response();
        const Json& qr = *response.resource;
        const std::string& path = response.path;
        const std::string canonical = string_at(qr, path, "questionnaire");
        if (canonical.substr(0, canonical.find('|')) != kQuestionnaireUrl) {
            refuse(path + ".questionnaire", "expected the MyoScreen Questionnaire " +
                                                std::string(kQuestionnaireUrl) + ", got \"" +
                                                canonical + "\"");
        }
        const Entry& patient = reader.resolve(qr, path, "subject", "Patient");
        const Json& p = *patient.resource;
        const Json& identifiers = array_at(p, patient.path, "identifier");
        if (identifiers.empty() || !identifiers[0].is_object()) {
            refuse(patient.path + ".identifier", "expected the patient's id as an identifier");
        }
        Json doc = {{"format", kAssessmentFormat},
                    {"version", kAssessmentVersion},
                    {"patient",
                     {{"id", string_at(identifiers[0], patient.path + ".identifier[0]", "value")},
                      {"name", patient_name(p, patient.path)},
                      {"birth_date", string_at(p, patient.path, "birthDate")}}}};
        if (auto gender = optional_string(p, patient.path, "gender")) {
            doc["patient"]["sex"] = *gender;
        }
        const std::string authored = string_at(qr, path, "authored");
        doc["date"] = authored.substr(0, 10);
        if (qr.contains("encounter")) {
            const Entry& enc = reader.resolve(qr, path, "encounter", "Encounter");
            if (enc.resource->contains("type")) {
                for (const auto& t : array_at(*enc.resource, enc.path, "type")) {
                    for (const auto& c : t.value("coding", Json::array())) {
                        const std::string code = c.is_object() ? c.value("code", "") : "";
                        if (code.rfind("visit.", 0) == 0) {
                            doc["kind"] = code.substr(6);
                        }
                    }
                }
            }
        }
        if (qr.contains("author")) {
            const Entry& who = reader.resolve(qr, path, "author", "Practitioner");
            if (who.resource->contains("name")) {
                doc["clinician"] = patient_name(*who.resource, who.path);
            }
        }
        reader.read_items(qr, path);
        doc["answers"] = reader.answers;
        if (reader.notes) {
            doc["notes"] = *reader.notes;
        }
        if (!reader.acknowledged.empty()) {
            doc["acknowledged"] = reader.acknowledged;
        }
        AssessmentParse result = assessment_from_json(doc, defs, Origin::kInput);
        if (!result.assessment) {
            std::vector<Problem> problems;
            for (const auto& pr : result.problems) {
                problems.push_back(to_fhir_path(pr, reader, path, patient.path));
            }
            throw ImportError(file, problems);
        }
        return *result.assessment;
    } catch (const Refused& r) {
        throw ImportError(file, {{r.path, r.message}});
    } catch (const Json::exception& e) {
        // A value of a type the reader did not expect where it reads without a check.
        throw ImportError(file, {{"Bundle", std::string("unexpected structure: ") + e.what()}});
    }
}

}  // namespace myo::fhir
