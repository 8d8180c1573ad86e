#pragma once
// forms/assessment.json: the steps and items of an assessment, with their types, ranges,
// choices, units, labels and help. Everything that reads or edits answers asks this.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/condition.hpp"
#include "core/json_util.hpp"

namespace myo {

// yn = "yes" | "no" | "unknown"; list = array of objects with typed fields (psfs, mtrp).
enum class ItemType { YesNo, Bool, Int, Num, Enum, Multi, Text, List };

std::optional<ItemType> parse_item_type(const std::string& name);
const char* item_type_name(ItemType type);

struct Choice {
    std::string value;
    std::string label;
};

// A label for one integer value, e.g. tender-point grade 3 = "painful with withdrawal".
struct ValueLabel {
    long value = 0;
    std::string label;
};

// A field of a list item's entries (PSFS activity and score, trigger-point features).
struct FieldDef {
    std::string id;
    ItemType type = ItemType::Text;
    bool required = false;
    std::optional<double> min;
    std::optional<double> max;
    std::vector<Choice> choices;
    std::string unit;
    std::string label;
};

struct ItemDef {
    std::string id;
    ItemType type = ItemType::Text;
    std::string step;
    std::string label;
    std::string help;
    std::string unit;
    std::string group;  // "wpi", "tp", "ppt": items the body chart draws
    std::optional<double> min;
    std::optional<double> max;
    std::vector<Choice> choices;           // enum and multi
    std::vector<ValueLabel> value_labels;  // int items with named grades
    std::vector<FieldDef> fields;          // list items
    std::size_t max_items = 0;             // list items
    ConditionPtr visible_when;             // null: always shown

    const Choice* choice(const std::string& value) const;
    // "3 - painful with withdrawal (jump sign)" for 3, else the number as text.
    std::string value_label(long value) const;
};

struct StepDef {
    std::string id;
    std::string label;
    std::string help;
    std::vector<std::string> item_ids;  // in form order
};

class FormDef {
  public:
    std::string version;
    std::vector<StepDef> steps;
    std::vector<ItemDef> items;  // in form order

    const ItemDef* find(const std::string& id) const;
    // "tp.*" -> every item whose id starts with "tp."; an exact id -> itself if it exists.
    std::vector<std::string> expand(const std::string& pattern) const;
    void build_index();

  private:
    std::unordered_map<std::string, std::size_t> index_;
    std::map<std::string, std::vector<std::string>> prefix_cache_;
};

// Loads and validates; problems are appended with JSON paths in the file.
FormDef load_form(const Json& doc, std::vector<Problem>& problems);

}  // namespace myo
