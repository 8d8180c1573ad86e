// The Questionnaire generated from forms/assessment.json and the answers in its shape.
#include "fhir/fhir.hpp"
#include "fhir/fhir_codes.hpp"
#include "fhir/fhir_items.hpp"

namespace myo::fhir {

namespace {

constexpr const char* kMinValue = "http://hl7.org/fhir/StructureDefinition/minValue";
constexpr const char* kMaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue";
constexpr const char* kUnit = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";

Json choice_coding(const std::string& value, const std::vector<Choice>& choices) {
    Json c = {{"system", kChoicesUrl}, {"code", value}};
    for (const auto& choice : choices) {
        if (choice.value == value) {
            c["display"] = choice.label;
        }
    }
    return c;
}

Json number(ItemType type, double v) {
    if (type == ItemType::Int) {
        return Json(static_cast<long long>(v));
    }
    return Json(v);
}

// Range and unit extensions, so a receiver's form can check and label a number as ours does.
void add_number_extensions(Json& item, ItemType type, const std::optional<double>& min,
                           const std::optional<double>& max, const std::string& unit) {
    if (type != ItemType::Int && type != ItemType::Num) {
        return;
    }
    const char* key = type == ItemType::Int ? "valueInteger" : "valueDecimal";
    Json ext = Json::array();
    if (min) {
        ext.push_back({{"url", kMinValue}, {key, number(type, *min)}});
    }
    if (max) {
        ext.push_back({{"url", kMaxValue}, {key, number(type, *max)}});
    }
    if (!unit.empty()) {
        Json coding = {{"display", unit}};
        if (auto ucum = ucum_for(unit)) {
            coding = {{"system", kUcum}, {"code", *ucum}, {"display", unit}};
        }
        ext.push_back({{"url", kUnit}, {"valueCoding", coding}});
    }
    if (!ext.empty()) {
        item["extension"] = ext;
    }
}

void add_options(Json& item, ItemType type, const std::vector<Choice>& choices) {
    Json options = Json::array();
    if (type == ItemType::YesNo) {
        for (const char* code : {"Y", "N", "UNK"}) {
            options.push_back(
                {{"valueCoding",
                  {{"system", kYesNoUnknown}, {"code", code}, {"display", yn_display(code)}}}});
        }
    } else {
        for (const auto& c : choices) {
            options.push_back({{"valueCoding", choice_coding(c.value, choices)}});
        }
    }
    item["answerOption"] = options;
}

Json question(const ItemDef& def) {
    Json item = {{"linkId", def.id}, {"text", def.label}, {"type", questionnaire_type(def.type)}};
    add_number_extensions(item, def.type, def.min, def.max, def.unit);
    if (def.type == ItemType::YesNo || def.type == ItemType::Enum || def.type == ItemType::Multi) {
        add_options(item, def.type, def.choices);
    }
    if (def.type == ItemType::Multi) {
        item["repeats"] = true;
    }
    if (def.type == ItemType::List) {
        item["repeats"] = true;
        Json fields = Json::array();
        for (const auto& f : def.fields) {
            Json field = {{"linkId", def.id + "." + f.id},
                          {"text", f.label},
                          {"type", questionnaire_type(f.type)}};
            if (f.required) {
                field["required"] = true;
            }
            add_number_extensions(field, f.type, f.min, f.max, f.unit);
            if (f.type == ItemType::Enum) {
                add_options(field, f.type, f.choices);
            }
            fields.push_back(field);
        }
        item["item"] = fields;
    }
    return item;
}

}  // namespace

const char* questionnaire_type(ItemType type) {
    switch (type) {
        case ItemType::YesNo:
        case ItemType::Enum:
        case ItemType::Multi:
            return "choice";
        case ItemType::Bool:
            return "boolean";
        case ItemType::Int:
            return "integer";
        case ItemType::Num:
            return "decimal";
        case ItemType::Text:
            return "text";
        case ItemType::List:
            return "group";
    }
    return "string";
}

Json answer_value(ItemType type, const Json& value, const std::vector<Choice>& choices) {
    switch (type) {
        case ItemType::YesNo: {
            const std::string code = yn_code(value.get<std::string>()).value_or("UNK");
            return {{"valueCoding",
                     {{"system", kYesNoUnknown}, {"code", code}, {"display", yn_display(code)}}}};
        }
        case ItemType::Bool:
            return {{"valueBoolean", value.get<bool>()}};
        case ItemType::Int:
            return {{"valueInteger", value}};
        case ItemType::Num:
            return {{"valueDecimal", value}};
        case ItemType::Enum:
        case ItemType::Multi:
            return {{"valueCoding", choice_coding(value.get<std::string>(), choices)}};
        case ItemType::Text:
        case ItemType::List:
            break;
    }
    return {{"valueString", value.get<std::string>()}};
}

Json response_items(const Definitions& defs, const Json& answers) {
    Json steps = Json::array();
    for (const auto& step : defs.form.steps) {
        Json items = Json::array();
        for (const auto& id : step.item_ids) {
            const ItemDef* def = defs.form.find(id);
            auto it = answers.find(id);
            if (def == nullptr || it == answers.end()) {
                continue;  // not asked: absent, never "no"
            }
            if (def->type == ItemType::List) {
                // A repeating group: one item per entry, its fields as sub-items.
                for (const auto& entry : *it) {
                    Json fields = Json::array();
                    for (const auto& f : def->fields) {
                        auto fv = entry.find(f.id);
                        if (fv == entry.end()) {
                            continue;
                        }
                        fields.push_back(
                            {{"linkId", def->id + "." + f.id},
                             {"answer", Json::array({answer_value(f.type, *fv, f.choices)})}});
                    }
                    items.push_back({{"linkId", def->id}, {"text", def->label}, {"item", fields}});
                }
                continue;
            }
            Json answer = Json::array();
            if (def->type == ItemType::Multi) {
                for (const auto& v : *it) {
                    answer.push_back(answer_value(def->type, v, def->choices));
                }
                if (answer.empty()) {
                    // An empty selection was asked and answered "none": FHIR has no empty
                    // answer, so the item stays with no answer (R4 allows an item without one).
                    items.push_back({{"linkId", def->id}, {"text", def->label}});
                    continue;
                }
            } else {
                answer.push_back(answer_value(def->type, *it, def->choices));
            }
            items.push_back({{"linkId", def->id}, {"text", def->label}, {"answer", answer}});
        }
        if (!items.empty()) {
            steps.push_back({{"linkId", step.id}, {"text", step.label}, {"item", items}});
        }
    }
    return steps;
}

Json record_question() {
    auto text_item = [](const std::string& link, const char* text, const char* type) {
        return Json{{"linkId", link}, {"text", text}, {"type", type}};
    };
    const std::string ack = std::string(kRecordLink) + ".acknowledged";
    Json acknowledged = text_item(ack, "Emergency red flag acknowledged", "group");
    acknowledged["repeats"] = true;
    acknowledged["item"] = Json::array({text_item(ack + ".flag", "Red flag", "string"),
                                        text_item(ack + ".by", "Acknowledged by", "string"),
                                        text_item(ack + ".at", "Acknowledged at", "dateTime")});
    for (auto& field : acknowledged["item"]) {
        field["required"] = true;
    }
    return {
        {"linkId", kRecordLink},
        {"text", "About this record"},
        {"type", "group"},
        {"item",
         Json::array({text_item(std::string(kRecordLink) + ".notes", "Clinician's notes", "text"),
                      acknowledged})}};
}

Json record_response(const Assessment& a) {
    Json items = Json::array();
    if (a.notes) {
        items.push_back({{"linkId", std::string(kRecordLink) + ".notes"},
                         {"answer", Json::array({{{"valueString", *a.notes}}})}});
    }
    const std::string ack = std::string(kRecordLink) + ".acknowledged";
    for (const auto& k : a.acknowledged.value_or(std::vector<Acknowledgement>{})) {
        items.push_back(
            {{"linkId", ack},
             {"item", Json::array({{{"linkId", ack + ".flag"},
                                    {"answer", Json::array({{{"valueString", k.flag}}})}},
                                   {{"linkId", ack + ".by"},
                                    {"answer", Json::array({{{"valueString", k.by}}})}},
                                   {{"linkId", ack + ".at"},
                                    {"answer", Json::array({{{"valueDateTime", k.at}}})}}})}});
    }
    if (items.empty()) {
        return nullptr;
    }
    return {{"linkId", kRecordLink}, {"text", "About this record"}, {"item", items}};
}

Json questionnaire(const Definitions& defs) {
    Json steps = Json::array();
    for (const auto& step : defs.form.steps) {
        Json items = Json::array();
        for (const auto& id : step.item_ids) {
            if (const ItemDef* def = defs.form.find(id)) {
                items.push_back(question(*def));
            }
        }
        steps.push_back(
            {{"linkId", step.id}, {"text", step.label}, {"type", "group"}, {"item", items}});
    }
    steps.push_back(record_question());
    return {{"resourceType", "Questionnaire"},
            {"url", kQuestionnaireUrl},
            {"version", defs.form.version},
            {"name", "MyoScreenAssessment"},
            {"title", "MyoScreen muscle pain assessment"},
            {"status", "active"},
            {"subjectType", Json::array({"Patient"})},
            {"item", steps}};
}

}  // namespace myo::fhir
