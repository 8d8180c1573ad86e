#include "store/document_check.hpp"

#include "core/assessment.hpp"

namespace myo::store {

void UnreadableDocuments::check(std::int64_t id, const std::optional<std::string>& patient,
                                std::string_view document) {
    AssessmentParse parsed = parse_assessment(document, defs_, Origin::kStored);
    if (parsed.assessment) {
        return;
    }
    ++bad_;
    if (out_.size() < max_) {
        std::string first =
            parsed.problems.empty() ? std::string("no detail") : parsed.problems.front().message;
        if (first.size() > 120) {
            first = first.substr(0, 120) + "…";
        }
        out_.push_back("assessment " + std::to_string(id) + " (patient " + patient.value_or("?") +
                       "): its stored document does not parse as an assessment (" + first + ")");
    }
}

DocumentCheck UnreadableDocuments::result() const {
    DocumentCheck out{bad_, out_};
    if (bad_ > out_.size()) {
        out.messages.push_back("and " + std::to_string(bad_ - out_.size()) +
                               " more stored documents do not parse");
    }
    return out;
}

void add_record_facts(CheckReport& r, const std::optional<DocumentCheck>& documents,
                      std::int64_t patients, std::int64_t finals, std::int64_t drafts) {
    if (documents) {
        // The count of documents, not of messages (the last message stands for the rest).
        r.facts.emplace_back("stored documents",
                             documents->unreadable == 0
                                 ? "all parse"
                                 : std::to_string(documents->unreadable) + " do not parse");
        for (const auto& p : documents->messages) {
            r.ok = false;
            r.problems.push_back(p);
        }
    }
    r.facts.emplace_back("patients", std::to_string(patients));
    r.facts.emplace_back("assessments",
                         std::to_string(finals) + " final, " + std::to_string(drafts) + " draft");
}

}  // namespace myo::store
