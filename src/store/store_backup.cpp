// The Store's backups: one taken and audited, the daily backups and their retention, and a
// restore (issues 7 and 12). How a backup is made and checked is the backend's.
#include <algorithm>
#include <regex>
#include <system_error>

#include "store/backend.hpp"
#include "store/backup_names.hpp"
#include "store/paths.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "store/store.hpp"
#include "store/target.hpp"

namespace myo::store {

namespace fs = std::filesystem;

BackupReport Store::backup(const fs::path& destination) {
    BackupReport r = backend_->backup(destination);
    if (!read_only_) {
        // The chain head goes into the row too: a later rewrite of the trail in the database
        // no longer matches what the backup, and this row, say.
        AuditVerification chain = verify_audit();
        try {
            auto tx = backend_->begin(StoreBackend::TxKind::Write);
            audit(audit_action::kBackup, {},
                  "verified backup written to " + r.path.string() + " (" +
                      std::to_string(r.patients) + " patients, " + std::to_string(r.assessments) +
                      " assessments, sha256 " + r.sha256 + ", audit head row " +
                      std::to_string(chain.head_seq) + " " +
                      (chain.head.empty() ? "-" : chain.head) + ")");
            tx->commit();
        } catch (const StoreError& e) {
            throw BackupFailed("the backup " + r.path.string() +
                               " was written and verified, but recording it in the audit trail "
                               "failed: " +
                               e.what());
        }
    }
    return r;
}

fs::path Store::backup_folder() const {
    return backend_->backup_folder();
}

std::optional<BackupReport> Store::daily_backup(const fs::path& folder, int keep,
                                                std::optional<std::uintmax_t> budget) {
    if (read_only_) {
        return std::nullopt;
    }
    fs::path dir = folder.empty() ? backup_folder() : folder;
    const std::string stem = "myoscreen-" + local_date() + ".db";
    fs::path today = dir / (stem + ".zst");
    std::error_code ec;
    std::optional<BackupReport> made;
    // Anything there but a (link to a) regular file, such as a folder or a pipe named like
    // today's backup, does not count as the backup: backup() refuses it, naming it. A plain
    // .db of today, taken before the update to compressed backups, is today's backup.
    if (!fs::is_regular_file(fs::status(today, ec)) &&
        !fs::is_regular_file(fs::status(dir / stem, ec))) {
        made = backup(today);
    }
    // The names sort by date; only this pattern is ever deleted, so a backup a user named
    // otherwise (or a before-delete one) stays.
    static const std::regex kDaily(R"(myoscreen-\d{4}-\d{2}-\d{2}\.db(\.zst)?)");
    struct Daily {
        fs::path path;
        std::uintmax_t bytes;
    };
    std::vector<Daily> daily;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && std::regex_match(name, kDaily)) {
            daily.push_back({entry.path(), entry.file_size(ec)});
        }
    }
    std::sort(daily.begin(), daily.end(),
              [](const Daily& x, const Daily& y) { return x.path > y.path; });  // newest first
    // Issue 12: the size budget. The newest backup is always kept (it may be the one just
    // taken); from the next on, a backup is kept while the count and the running total allow,
    // and every older one goes, so what is kept is always the newest days without a gap.
    const std::uintmax_t limit = budget.value_or(kDailyBudgetFactor * backend_->database_bytes());
    const std::size_t kept_max = static_cast<std::size_t>(std::max(keep, 1));
    std::uintmax_t total = 0;
    std::size_t kept = 0;
    bool removed = false;
    for (const auto& d : daily) {
        if (kept == 0 || (kept < kept_max && total + d.bytes <= limit && !removed)) {
            total += d.bytes;
            ++kept;
        } else {
            fs::remove(d.path, ec);
            removed = true;
        }
    }
    if (removed) {
        sync_path(dir);
    }
    return made;
}

RestoreReport Store::restore(const fs::path& database, const fs::path& backup,
                             const OpenOptions& options) {
    // Only a file is replaced by a backup; a server's database is restored by its own tools.
    refuse_unavailable_backend(parse_target(database.string()));
    return restore_sqlite(database, backup, options);
}

}  // namespace myo::store
