#include "core/form.hpp"

#include <set>

#include "core/reader.hpp"

namespace myo {

std::optional<ItemType> parse_item_type(const std::string& name) {
    static const std::map<std::string, ItemType> kTypes = {
        {"yn", ItemType::YesNo},  {"bool", ItemType::Bool}, {"int", ItemType::Int},
        {"num", ItemType::Num},   {"enum", ItemType::Enum}, {"multi", ItemType::Multi},
        {"text", ItemType::Text}, {"list", ItemType::List}};
    auto it = kTypes.find(name);
    if (it == kTypes.end()) {
        return std::nullopt;
    }
    return it->second;
}

const char* item_type_name(ItemType type) {
    switch (type) {
        case ItemType::YesNo:
            return "yn";
        case ItemType::Bool:
            return "bool";
        case ItemType::Int:
            return "int";
        case ItemType::Num:
            return "num";
        case ItemType::Enum:
            return "enum";
        case ItemType::Multi:
            return "multi";
        case ItemType::Text:
            return "text";
        case ItemType::List:
            return "list";
    }
    return "?";
}

const Choice* ItemDef::choice(const std::string& value) const {
    for (const auto& c : choices) {
        if (c.value == value) {
            return &c;
        }
    }
    return nullptr;
}

std::string ItemDef::value_label(long value) const {
    for (const auto& v : value_labels) {
        if (v.value == value) {
            return v.label;
        }
    }
    return std::to_string(value);
}

const ItemDef* FormDef::find(const std::string& id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &items[it->second];
}

std::vector<std::string> FormDef::expand(const std::string& pattern) const {
    if (pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, ".*") == 0) {
        auto cached = prefix_cache_.find(pattern);
        if (cached != prefix_cache_.end()) {
            return cached->second;
        }
        std::vector<std::string> out;
        std::string prefix = pattern.substr(0, pattern.size() - 1);
        for (const auto& item : items) {
            if (item.id.rfind(prefix, 0) == 0) {
                out.push_back(item.id);
            }
        }
        return out;
    }
    if (find(pattern)) {
        return {pattern};
    }
    return {};
}

void FormDef::build_index() {
    index_.clear();
    prefix_cache_.clear();
    for (std::size_t i = 0; i < items.size(); ++i) {
        index_.emplace(items[i].id, i);
    }
    // Wildcards are looked up on every evaluation; expand the ones in use once.
    std::set<std::string> prefixes;
    for (const auto& item : items) {
        auto dot = item.id.find('.');
        if (dot != std::string::npos) {
            prefixes.insert(item.id.substr(0, dot) + ".*");
        }
    }
    for (const auto& p : prefixes) {
        prefix_cache_[p] = expand(p);
    }
}

namespace {

void read_range(Reader& r, const Json& obj, const std::string& path, ItemType type,
                std::optional<double>& min, std::optional<double>& max) {
    if (type != ItemType::Int && type != ItemType::Num) {
        return;
    }
    min = r.number(obj, path, "min");
    max = r.number(obj, path, "max");
    if (min && max && *min > *max) {
        r.problem(join_path(path, "min"), "min is greater than max");
    }
    if (type == ItemType::Int) {
        for (auto* bound : {&min, &max}) {
            if (*bound && static_cast<double>(static_cast<long>(**bound)) != **bound) {
                r.problem(path, "an int item needs whole-number bounds");
            }
        }
    }
}

std::vector<Choice> read_choices(Reader& r, const Json& obj, const std::string& path) {
    std::vector<Choice> out;
    const Json* arr = r.array(obj, path, "choices");
    if (!arr) {
        return out;
    }
    std::set<std::string> seen;
    std::string base = join_path(path, "choices");
    for (std::size_t i = 0; i < arr->size(); ++i) {
        std::string p = join_path(base, i);
        if (!r.is_object((*arr)[i], p)) {
            continue;
        }
        auto value = r.string((*arr)[i], p, "value");
        auto label = r.string((*arr)[i], p, "label");
        if (value && !seen.insert(*value).second) {
            r.problem(join_path(p, "value"), "duplicate choice \"" + *value + "\"");
        }
        if (value && label) {
            out.push_back({*value, *label});
        }
    }
    if (out.empty() && arr->empty()) {
        r.problem(base, "needs at least one choice");
    }
    return out;
}

FieldDef read_field(Reader& r, const Json& obj, const std::string& path) {
    FieldDef f;
    f.id = r.string(obj, path, "id").value_or("");
    auto type = r.string(obj, path, "type");
    if (type) {
        auto t = parse_item_type(*type);
        if (!t || *t == ItemType::List || *t == ItemType::Multi) {
            r.problem(join_path(path, "type"),
                      "unknown or unsupported field type \"" + *type + "\"");
        } else {
            f.type = *t;
        }
    }
    f.required = r.boolean(obj, path, "required", false).value_or(false);
    f.label = r.string(obj, path, "label").value_or(f.id);
    f.unit = r.string(obj, path, "unit", false).value_or("");
    read_range(r, obj, path, f.type, f.min, f.max);
    if (f.type == ItemType::Enum) {
        f.choices = read_choices(r, obj, path);
    }
    return f;
}

}  // namespace

FormDef load_form(const Json& doc, std::vector<Problem>& problems) {
    Reader r(problems);
    FormDef form;
    if (!r.is_object(doc, "")) {
        return form;
    }
    static const std::set<std::string> kTop = {"form_version", "steps", "items"};
    for (const auto& [key, _] : doc.items()) {
        if (!kTop.count(key)) {
            r.problem(join_path("", key), "unknown key \"" + key + "\"");
        }
    }
    form.version = r.string(doc, "", "form_version").value_or("");
    std::map<std::string, std::size_t> step_index;
    if (const Json* steps = r.array(doc, "", "steps")) {
        for (std::size_t i = 0; i < steps->size(); ++i) {
            std::string p = join_path("/steps", i);
            if (!r.is_object((*steps)[i], p)) {
                continue;
            }
            StepDef s;
            s.id = r.string((*steps)[i], p, "id").value_or("");
            s.label = r.string((*steps)[i], p, "label").value_or("");
            s.help = r.string((*steps)[i], p, "help", false).value_or("");
            if (!s.id.empty() && !step_index.emplace(s.id, form.steps.size()).second) {
                r.problem(join_path(p, "id"), "duplicate step id \"" + s.id + "\"");
                continue;
            }
            form.steps.push_back(std::move(s));
        }
    }
    std::set<std::string> ids;
    std::map<std::string, std::string> visible_paths;  // item id -> path of its condition
    if (const Json* items = r.array(doc, "", "items")) {
        for (std::size_t i = 0; i < items->size(); ++i) {
            std::string p = join_path("/items", i);
            const Json& obj = (*items)[i];
            if (!r.is_object(obj, p)) {
                continue;
            }
            static const std::set<std::string> kKeys = {
                "id",  "type", "step",    "label",        "help",   "unit",      "group",
                "min", "max",  "choices", "value_labels", "fields", "max_items", "visible_when"};
            for (const auto& [key, _] : obj.items()) {
                if (!kKeys.count(key)) {
                    r.problem(join_path(p, key), "unknown key \"" + key + "\"");
                }
            }
            ItemDef item;
            item.id = r.string(obj, p, "id").value_or("");
            if (!item.id.empty() && !ids.insert(item.id).second) {
                r.problem(join_path(p, "id"), "duplicate item id \"" + item.id + "\"");
                continue;
            }
            if (auto type = r.string(obj, p, "type")) {
                if (auto t = parse_item_type(*type)) {
                    item.type = *t;
                } else {
                    r.problem(join_path(p, "type"),
                              "unknown type \"" + *type +
                                  "\" (yn, bool, int, num, enum, multi, text or list)");
                }
            }
            item.step = r.string(obj, p, "step").value_or("");
            item.label = r.string(obj, p, "label").value_or("");
            item.help = r.string(obj, p, "help").value_or("");
            item.unit = r.string(obj, p, "unit", false).value_or("");
            item.group = r.string(obj, p, "group", false).value_or("");
            read_range(r, obj, p, item.type, item.min, item.max);
            if (item.type == ItemType::Enum || item.type == ItemType::Multi) {
                item.choices = read_choices(r, obj, p);
            }
            if (const Json* labels = r.array(obj, p, "value_labels", false)) {
                std::string base = join_path(p, "value_labels");
                for (std::size_t k = 0; k < labels->size(); ++k) {
                    std::string lp = join_path(base, k);
                    if (!r.is_object((*labels)[k], lp)) {
                        continue;
                    }
                    auto value = r.number((*labels)[k], lp, "value");
                    auto label = r.string((*labels)[k], lp, "label");
                    if (value && label) {
                        if ((item.min && *value < *item.min) || (item.max && *value > *item.max)) {
                            r.problem(join_path(lp, "value"), "outside the item's range");
                        }
                        item.value_labels.push_back({static_cast<long>(*value), *label});
                    }
                }
            }
            if (item.type == ItemType::List) {
                item.max_items =
                    static_cast<std::size_t>(r.number(obj, p, "max_items").value_or(0));
                if (const Json* fields = r.array(obj, p, "fields")) {
                    std::set<std::string> field_ids;
                    for (std::size_t k = 0; k < fields->size(); ++k) {
                        std::string fp = join_path(join_path(p, "fields"), k);
                        if (!r.is_object((*fields)[k], fp)) {
                            continue;
                        }
                        FieldDef f = read_field(r, (*fields)[k], fp);
                        if (!field_ids.insert(f.id).second) {
                            r.problem(join_path(fp, "id"), "duplicate field id \"" + f.id + "\"");
                        }
                        item.fields.push_back(std::move(f));
                    }
                }
            }
            if (!item.step.empty() && !step_index.count(item.step)) {
                r.problem(join_path(p, "step"), "unknown step \"" + item.step + "\"");
            } else if (!item.step.empty()) {
                form.steps[step_index[item.step]].item_ids.push_back(item.id);
            }
            if (auto vis = r.string(obj, p, "visible_when", false)) {
                visible_paths[item.id] = join_path(p, "visible_when");
                try {
                    item.visible_when = Condition::parse(*vis);
                } catch (const ConditionSyntaxError& e) {
                    r.problem(join_path(p, "visible_when"), e.what());
                }
            }
            form.items.push_back(std::move(item));
        }
    }
    form.build_index();
    // Conditions can name any item, so they are checked once every item is known.
    ConditionScope scope;
    scope.form = &form;
    for (const auto& item : form.items) {
        if (item.visible_when) {
            for (const auto& msg : item.visible_when->check(scope)) {
                r.problem(visible_paths[item.id], msg);
            }
        }
    }
    return form;
}

}  // namespace myo
