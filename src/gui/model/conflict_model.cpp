#include "gui/model/conflict_model.hpp"

#include <set>

namespace myo::gui {

namespace {

const char* kEmpty = "(empty)";

std::string plain(const Json& v) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_boolean()) {
        return v.get<bool>() ? "yes" : "no";
    }
    if (v.is_null()) {
        return kEmpty;
    }
    return v.dump();
}

void add_if_different(std::vector<FieldDifference>& out, const std::string& field,
                      const std::string& label, const std::optional<std::string>& mine,
                      const std::optional<std::string>& theirs) {
    if (mine.value_or("") != theirs.value_or("")) {
        out.push_back({field, label, mine && !mine->empty() ? *mine : kEmpty,
                       theirs && !theirs->empty() ? *theirs : kEmpty});
    }
}

}  // namespace

std::string answer_text(const ItemDef* item, const Json* value) {
    if (value == nullptr || value->is_null()) {
        return kEmpty;
    }
    if (item != nullptr && value->is_string()) {
        if (const Choice* c = item->choice(value->get<std::string>())) {
            return c->label;
        }
    }
    if (item != nullptr && value->is_number_integer() && !item->value_labels.empty()) {
        return item->value_label(value->get<long>());
    }
    if (value->is_array()) {
        std::string out;
        for (const Json& v : *value) {
            std::string one = item != nullptr && v.is_string() && item->choice(v.get<std::string>())
                                  ? item->choice(v.get<std::string>())->label
                                  : plain(v);
            out += (out.empty() ? "" : "; ") + one;
        }
        return out.empty() ? kEmpty : out;
    }
    return plain(*value);
}

std::vector<FieldDifference> differences(const Definitions& defs, const Assessment& mine,
                                         const Assessment& theirs) {
    std::vector<FieldDifference> out;
    add_if_different(out, "visit.date", "Visit date", mine.date, theirs.date);
    add_if_different(out, "clinician", "Clinician", mine.clinician, theirs.clinician);
    add_if_different(out, "notes", "Notes", mine.notes, theirs.notes);
    std::set<std::string> seen;
    auto compare = [&](const std::string& id, const ItemDef* item) {
        if (!seen.insert(id).second) {
            return;
        }
        const Json* a = mine.answers.contains(id) ? &mine.answers.at(id) : nullptr;
        const Json* b = theirs.answers.contains(id) ? &theirs.answers.at(id) : nullptr;
        if ((a == nullptr) != (b == nullptr) || (a != nullptr && *a != *b)) {
            out.push_back({id, item != nullptr ? item->label : id, answer_text(item, a),
                           answer_text(item, b)});
        }
    };
    for (const ItemDef& item : defs.form.items) {
        compare(item.id, &item);
    }
    // Answers the form no longer knows are still compared, by id, so none goes unseen.
    for (const Json* answers : {&mine.answers, &theirs.answers}) {
        for (auto it = answers->begin(); it != answers->end(); ++it) {
            compare(it.key(), nullptr);
        }
    }
    return out;
}

namespace {

// The store's account names "this copy"; in a window the copy is the window's.
std::string in_window_words(std::string account) {
    const std::string copy = " since this copy was read";
    if (auto at = account.rfind(copy);
        at != std::string::npos && at + copy.size() == account.size()) {
        account.replace(at, copy.size(), " since this window read it");
    }
    return account;
}

}  // namespace

std::string conflict_intro(const std::string& what_happened) {
    std::string account = in_window_words(what_happened);
    if (!account.empty() && account[0] >= 'a' && account[0] <= 'z') {
        account[0] = static_cast<char>(account[0] - 'a' + 'A');
    }
    return account +
           ". Nothing was saved: your answers are still here. Keep yours (saved as the new "
           "version) or take the saved one.";
}

std::string conflict_status(const std::string& what_happened) {
    return "Not saved: " + in_window_words(what_happened) +
           ". Your answers are kept; the next save asks which version to keep.";
}

}  // namespace myo::gui
