#include "core/describe.hpp"

namespace myo {

std::string describe_answer(const ItemDef& item, const Json& v) {
    switch (item.type) {
        case ItemType::YesNo:
            return v.is_string()
                       ? v.get<std::string>() == "unknown" ? "not known" : v.get<std::string>()
                       : describe_value(v);
        case ItemType::Bool:
            return v == true ? "yes" : "no";
        case ItemType::Int:
        case ItemType::Num: {
            if (!v.is_number()) {
                return describe_value(v);
            }
            if (item.type == ItemType::Int && !item.value_labels.empty()) {
                return item.value_label(v.get<long>());
            }
            std::string text = format_number(v.get<double>());
            if (item.unit.empty()) {
                return text;
            }
            return text + (item.unit.front() == '/' ? "" : " ") + item.unit;
        }
        case ItemType::Enum: {
            const Choice* c = v.is_string() ? item.choice(v.get<std::string>()) : nullptr;
            return c ? c->label : describe_value(v);
        }
        case ItemType::Multi: {
            std::string out;
            for (const auto& e : v) {
                const Choice* c = e.is_string() ? item.choice(e.get<std::string>()) : nullptr;
                std::string label = c ? c->label : describe_value(e);
                if (!out.empty()) {
                    // lower-case after the first so it reads as a list: "Deep, aching"
                    out += ", ";
                    if (!label.empty() && label[0] >= 'A' && label[0] <= 'Z') {
                        label[0] = static_cast<char>(label[0] - 'A' + 'a');
                    }
                }
                out += label;
            }
            return out.empty() ? "none" : out;
        }
        case ItemType::Text:
            return v.is_string() ? v.get<std::string>() : describe_value(v);
        case ItemType::List:
            return std::to_string(v.size()) + (v.size() == 1 ? " entry" : " entries");
    }
    return describe_value(v);
}

std::string describe_finding(const Definitions& defs, const Assessment& a, const Evaluation& e,
                             const std::string& id) {
    if (id == "weight_loss_percent") {
        std::string text =
            "Weight loss: " +
            (e.weight_loss_percent ? format_number(*e.weight_loss_percent) + " %" : "not known");
        auto num = [&](const char* key) -> std::string {
            auto it = a.answers.find(key);
            return it != a.answers.end() && it->is_number() ? format_number(it->get<double>())
                                                            : "?";
        };
        return text + " (" + num("exam.weight_kg") + " kg now, " + num("exam.weight_prev_kg") +
               " kg " + num("exam.weight_prev_months") + " months ago)";
    }
    if (const ItemDef* item = defs.form.find(id)) {
        auto it = a.answers.find(id);
        if (it == a.answers.end()) {
            return item->label + ": not asked";
        }
        return item->label + ": " + describe_answer(*item, *it);
    }
    if (const RedFlagRule* f = defs.rules.flag(id)) {
        return f->label;
    }
    if (const WorkupRule* w = defs.rules.workup_rule(id)) {
        return w->label;
    }
    return id;
}

std::vector<std::string> unscreened_questions(const Definitions& defs, const Evaluation& e) {
    std::vector<std::string> out;
    for (const auto& id : e.unscreened) {
        const ItemDef* item = defs.form.find(id);
        out.push_back(item ? item->label : id);
    }
    return out;
}

std::string describe_reason(const Definitions& defs, const std::string& rule_id) {
    if (const RedFlagRule* f = defs.rules.flag(rule_id)) {
        return "red flag: " + f->label + " (" + f->source + ")";
    }
    if (const WorkupRule* w = defs.rules.workup_rule(rule_id)) {
        return w->label + " (" + w->source + ")";
    }
    return rule_id;
}

std::string describe_wpi(const Acr2016Result& acr, const std::string& suffix) {
    return acr.wpi ? std::to_string(*acr.wpi) + suffix : kPainMapNotRecorded;
}

std::string describe_fs(const Acr2016Result& acr, const std::string& suffix) {
    if (!acr.pain_map_recorded()) {
        return kPainMapNotRecorded;
    }
    return acr.fs ? std::to_string(*acr.fs) + suffix : "not known";
}

std::string describe_map_bool(const std::optional<bool>& value) {
    if (!value) {
        return kPainMapNotRecorded;
    }
    return *value ? "yes" : "no";
}

std::string yes_no_unknown(const std::optional<bool>& value) {
    if (!value) {
        return "not known (missing answers)";
    }
    return *value ? "yes" : "no";
}

std::string urgency_label(const Definitions& defs, Urgency u) {
    const UrgencyLevel* level = defs.rules.level(u);
    return level ? level->label : urgency_id(u);
}

}  // namespace myo
