#include "gui/model/history_model.hpp"

#include <map>

#include "core/dates.hpp"

namespace myo::gui {

std::string action_text(const std::string& action) {
    namespace a = store::audit_action;
    static const std::map<std::string, std::string> words = {
        {a::kStart, "audit trail started"},
        {a::kCreatePatient, "patient created"},
        {a::kCreate, "assessment started (draft)"},
        {a::kEdit, "draft saved"},
        {a::kDiscard, "draft discarded"},
        {a::kFinalize, "assessment finalized"},
        {a::kAmend, "correction started (amend)"},
        {a::kImport, "imported"},
        {a::kExport, "exported"},
        {a::kPdf, "PDF written"},
        {a::kTakeOver, "taken over from another workstation"},
        {a::kBaseline, "baseline marked"},
        {a::kSettings, "settings changed"},
        {a::kBackup, "backup taken"},
        {a::kRestore, "restored from a backup"},
        {a::kDelete, "patient deleted"},
    };
    auto it = words.find(action);
    return it == words.end() ? action : it->second;
}

std::vector<HistoryLine> history_lines(const std::vector<store::AuditEntry>& entries,
                                       std::optional<std::int64_t> assessment) {
    std::vector<HistoryLine> out;
    for (const auto& e : entries) {
        if (assessment && e.assessment != assessment) {
            continue;
        }
        HistoryLine l;
        // The store writes ISO UTC ("2026-11-21T10:15:02.123Z"): shown in local time to the
        // second, saying the offset, as every time the app prints (core/dates).
        l.at = local_date_time(e.at, true);
        l.who = e.clinician.empty() ? "account " + e.os_user
                                    : e.clinician + " (account " + e.os_user + ")";
        l.action = action_text(e.action);
        l.record = e.assessment   ? "assessment " + std::to_string(*e.assessment)
                   : e.patient_id ? std::string("patient")
                                  : std::string("database");
        l.summary = e.summary;
        out.push_back(std::move(l));
    }
    return out;
}

}  // namespace myo::gui
