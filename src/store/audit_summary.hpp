#pragma once
// The summaries the audit trail keeps of a change, the same whichever backend stores the row.

#include <string>

namespace myo::store {

// What a draft save changed, by item id and field name only: the trail says what was touched,
// the record itself holds the values.
std::string change_summary(const std::string& before_doc, const std::string& after_doc);

}  // namespace myo::store
