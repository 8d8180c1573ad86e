#pragma once
// The retention of dated backups (myoscreen-YYYY-MM-DD<suffix>), one rule for the SQLite
// store's daily backups, the PostgreSQL store's and `server backup --folder` (issues 12, 13).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace myo::store {

// "myoscreen-" + the local date + `suffix`: today's dated backup's file name.
std::string dated_backup_name(const std::string& suffix);

// Keeps the newest dated backups in `folder`: the regular files (not links) named
// myoscreen-YYYY-MM-DD followed by one of `suffixes` (".db.zst", ".db"; ".pgdump"). The newest
// is always kept; from the next on, one is kept while there are fewer than `keep` (at least 1)
// and, with a `budget`, while the running total of their sizes stays within it; every older
// one goes, so what is kept is always the newest days without a gap. No other name is ever
// touched. Returns what it removed (the folder fsynced when anything was).
std::vector<std::filesystem::path> keep_newest_dated(const std::filesystem::path& folder,
                                                     const std::vector<std::string>& suffixes,
                                                     int keep,
                                                     std::optional<std::uintmax_t> budget);

}  // namespace myo::store
