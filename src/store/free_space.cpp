#include "store/free_space.hpp"

#include <sys/statvfs.h>

#include <cstdio>
#include <mutex>

namespace myo::store {

namespace fs = std::filesystem;

namespace {

std::mutex& lookup_mutex() {
    static std::mutex m;
    return m;
}

FreeSpaceLookup& lookup() {
    static FreeSpaceLookup f;
    return f;
}

}  // namespace

void set_free_space_lookup(FreeSpaceLookup f) {
    std::lock_guard<std::mutex> guard(lookup_mutex());
    lookup() = std::move(f);
}

std::optional<std::uintmax_t> free_space(const fs::path& folder) {
    {
        std::lock_guard<std::mutex> guard(lookup_mutex());
        if (lookup()) {
            return lookup()(folder);
        }
    }
    struct statvfs st {};
    if (::statvfs(folder.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return static_cast<std::uintmax_t>(st.f_bavail) * st.f_frsize;
}

std::string human_bytes(std::uintmax_t bytes) {
    const char* units[] = {"kB", "MB", "GB", "TB"};
    if (bytes < 1000) {
        return std::to_string(bytes) + " bytes";
    }
    double v = static_cast<double>(bytes);
    int unit = -1;
    while (v >= 1000 && unit < 3) {
        v /= 1000;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[unit]);
    return buf;
}

std::string space_shortage(const fs::path& folder, std::uintmax_t needed,
                           std::optional<std::uintmax_t> free, const std::string& for_what) {
    if (!free || *free >= needed) {
        return {};
    }
    return "not enough free space in " + folder.string() + " for " + for_what + ": it needs " +
           human_bytes(needed) + ", " + human_bytes(*free) +
           " are free; nothing was written (free some space there)";
}

}  // namespace myo::store
