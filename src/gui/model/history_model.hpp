#pragma once
// The "History of changes" view without windows (issue 7): the store's audit trail of a patient,
// or of one assessment, as lines of words. The trail itself (who, when, what) is the store's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/audit.hpp"

namespace myo::gui {

struct HistoryLine {
    std::string at;       // "2026-11-21 10:15:02" (UTC)
    std::string who;      // "Dr A. Clinician (account jdoe)"
    std::string action;   // in words: "assessment finalized"
    std::string record;   // "assessment 12", "patient"
    std::string summary;  // the store's summary of the change
};

// "finalize" -> "assessment finalized"; an unknown action is shown as it is stored.
std::string action_text(const std::string& action);
// The entries (oldest first), only those about `assessment` when given.
std::vector<HistoryLine> history_lines(const std::vector<store::AuditEntry>& entries,
                                       std::optional<std::int64_t> assessment = std::nullopt);

}  // namespace myo::gui
