#include "store/backup_names.hpp"

#include <ctime>
#include <system_error>

namespace myo::store {

namespace fs = std::filesystem;

namespace {

// Now, in UTC or in local time.
std::tm now_tm(bool utc) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (utc) {
        ::gmtime_r(&now, &tm);
    } else {
        ::localtime_r(&now, &tm);
    }
    return tm;
}

}  // namespace

std::string utc_stamp() {
    const std::tm tm = now_tm(true);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

std::string local_date() {
    const std::tm tm = now_tm(false);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

fs::path free_name(const fs::path& dir, const std::string& stem, const std::string& suffix) {
    std::error_code ec;
    fs::path p = dir / (stem + suffix);
    for (int n = 2; fs::exists(fs::symlink_status(p, ec)); ++n) {
        p = dir / (stem + "-" + std::to_string(n) + suffix);
    }
    return p;
}

bool is_compressed_name(const fs::path& p) {
    return p.extension() == ".zst";
}

}  // namespace myo::store
