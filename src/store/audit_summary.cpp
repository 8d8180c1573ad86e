#include "store/audit_summary.hpp"

#include <vector>

#include "core/assessment.hpp"
#include "core/text_input.hpp"
#include "store/message_text.hpp"

namespace myo::store {

std::string change_summary(const std::string& before_doc, const std::string& after_doc) {
    Json before = Json::parse(before_doc, nullptr, false);
    Json after = Json::parse(after_doc, nullptr, false);
    if (before.is_discarded() || after.is_discarded() || !before.is_object() ||
        !after.is_object()) {
        return "draft saved";
    }
    const Json empty = Json::object();
    auto answers_of = [&empty](const Json& doc) -> const Json& {
        auto it = doc.find("answers");
        return it != doc.end() && it->is_object() ? *it : empty;
    };
    const Json& old_answers = answers_of(before);
    const Json& new_answers = answers_of(after);
    std::vector<std::string> added;
    std::vector<std::string> changed;
    std::vector<std::string> removed;
    std::vector<std::string> fields;
    for (auto it = new_answers.begin(); it != new_answers.end(); ++it) {
        auto old = old_answers.find(it.key());
        if (old == old_answers.end()) {
            added.push_back(it.key());
        } else if (*old != it.value()) {
            changed.push_back(it.key());
        }
    }
    for (auto it = old_answers.begin(); it != old_answers.end(); ++it) {
        if (new_answers.find(it.key()) == new_answers.end()) {
            removed.push_back(it.key());
        }
    }
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (it.key() == "answers") {
            continue;
        }
        auto old = before.find(it.key());
        if (old == before.end() || *old != it.value()) {
            fields.push_back(it.key());
        }
    }
    for (auto it = before.begin(); it != before.end(); ++it) {
        if (it.key() != "answers" && after.find(it.key()) == after.end()) {
            fields.push_back(it.key());
        }
    }
    std::string out;
    auto part = [&out](const char* label, const std::vector<std::string>& ids) {
        if (!ids.empty()) {
            out += (out.empty() ? "" : "; ") + std::string(label) + joined(ids);
        }
    };
    part("answers added: ", added);
    part("answers changed: ", changed);
    part("answers removed: ", removed);
    part("fields changed: ", fields);
    return out.empty() ? "draft saved, no change" : "draft saved; " + out;
}

std::string backup_summary(const std::filesystem::path& path, std::int64_t patients,
                           std::int64_t assessments, const std::string& sha256,
                           std::int64_t head_seq, const std::string& head_hash,
                           const std::string& method) {
    // The path is the user's text: quoted so that a control character cannot reach a terminal
    // that shows the trail.
    return "verified backup written to " + quote_for_message(path.string(), 200) + " (" +
           std::to_string(patients) + " patients, " + std::to_string(assessments) +
           " assessments, sha256 " + sha256 + ", audit head row " + std::to_string(head_seq) + " " +
           (head_hash.empty() ? "-" : head_hash) + (method.empty() ? "" : "; " + method) + ")";
}

}  // namespace myo::store
