#pragma once
// The stored documents as db check and a backup's verification read them, for every backend:
// each one that no longer parses and validates as an assessment is named (its number and its
// patient), at most `max_problems`, then a count of the rest. The backend streams its rows in
// (one at a time: a practice's million documents are never held at once); this keeps only the
// messages.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/definitions.hpp"
#include "store/schema.hpp"

namespace myo::store {

class UnreadableDocuments {
  public:
    explicit UnreadableDocuments(const Definitions& defs, std::size_t max_problems = 20)
        : defs_(defs), max_(max_problems) {}
    void check(std::int64_t id, const std::optional<std::string>& patient,
               std::string_view document);
    // How many did not parse; the messages, and "and N more stored documents do not parse"
    // past max_problems.
    DocumentCheck result() const;

  private:
    const Definitions& defs_;
    std::size_t max_;
    std::size_t bad_ = 0;
    std::vector<std::string> out_;
};

// The facts every backend's db check gives of its records, in one wording: "stored documents"
// (when they were read: each message is also a problem), "patients" and "assessments".
void add_record_facts(CheckReport& r, const std::optional<DocumentCheck>& documents,
                      std::int64_t patients, std::int64_t finals, std::int64_t drafts);

}  // namespace myo::store
