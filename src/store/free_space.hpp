#pragma once
// Free space before a backup or a restore writes gigabytes (issue 12): the writer asks first,
// and a shortage is refused with a message naming the folder, what is needed and what is free,
// before anything is written.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace myo::store {

// Bytes an unprivileged user may still write in `folder` (statvfs: f_bavail x f_frsize), or
// nullopt when the file system does not say (then the writer proceeds and a full disk is
// caught as a write error, nothing placed).
std::optional<std::uintmax_t> free_space(const std::filesystem::path& folder);

// The message when `needed` bytes do not fit in `folder`'s `free` bytes, or empty when they
// do. `for_what` completes "not enough free space in <folder> for <for_what>".
std::string space_shortage(const std::filesystem::path& folder, std::uintmax_t needed,
                           std::optional<std::uintmax_t> free, const std::string& for_what);

// "1.8 GB", "640 MB", "12 kB", "512 bytes": decimal units, as file managers show them.
std::string human_bytes(std::uintmax_t bytes);

// Test seam: the statvfs behind free_space, so a shortage can be shown without filling a disk.
// An empty function puts the real one back.
using FreeSpaceLookup = std::function<std::optional<std::uintmax_t>(const std::filesystem::path&)>;
void set_free_space_lookup(FreeSpaceLookup lookup);

}  // namespace myo::store
