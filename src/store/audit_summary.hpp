#pragma once
// The summaries the audit trail keeps of a change, the same whichever backend stores the row.

#include <cstdint>
#include <filesystem>
#include <string>

namespace myo::store {

// What a draft save changed, by item id and field name only: the trail says what was touched,
// the record itself holds the values.
std::string change_summary(const std::string& before_doc, const std::string& after_doc);

// The audit row of a verified backup, one text for every backend and for `server backup`:
// where, the counts, the file's SHA-256 and the chain head it holds (a later rewrite of the
// trail no longer matches), then `method` (how it was made and verified) when not empty.
std::string backup_summary(const std::filesystem::path& path, std::int64_t patients,
                           std::int64_t assessments, const std::string& sha256,
                           std::int64_t head_seq, const std::string& head_hash,
                           const std::string& method);

}  // namespace myo::store
