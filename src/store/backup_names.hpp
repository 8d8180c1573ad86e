#pragma once
// The names of the backups the store takes (daily, before a deletion, the file set aside by a
// restore).

#include <filesystem>
#include <string>

namespace myo::store {

// "20261121T104700Z": file-name-safe UTC time.
std::string utc_stamp();

// The local date, "2026-11-21": a daily backup's name.
std::string local_date();

// `stem` + `suffix`, or with "-2", "-3"... before the suffix when that name is taken (two
// deletions or restores in one second).
std::filesystem::path free_name(const std::filesystem::path& dir, const std::string& stem,
                                const std::string& suffix);

// A backup named *.zst is written compressed (issue 12); any other name, the plain SQLite file.
bool is_compressed_name(const std::filesystem::path& p);

}  // namespace myo::store
