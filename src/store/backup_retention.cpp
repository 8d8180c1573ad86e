#include "store/backup_retention.hpp"

#include <algorithm>
#include <regex>
#include <system_error>

#include "store/backup_names.hpp"
#include "store/paths.hpp"

namespace myo::store {

namespace fs = std::filesystem;

std::string dated_backup_name(const std::string& suffix) {
    return "myoscreen-" + local_date() + suffix;
}

namespace {

// The date part is checked by the regex; the suffix by plain comparison (no regex syntax in it).
bool is_dated(const std::string& name, const std::vector<std::string>& suffixes) {
    static const std::regex kDate(R"(myoscreen-\d{4}-\d{2}-\d{2})");
    constexpr std::size_t kStem = sizeof("myoscreen-YYYY-MM-DD") - 1;
    if (name.size() <= kStem || !std::regex_match(name.substr(0, kStem), kDate)) {
        return false;
    }
    return std::find(suffixes.begin(), suffixes.end(), name.substr(kStem)) != suffixes.end();
}

}  // namespace

std::vector<fs::path> keep_newest_dated(const fs::path& folder,
                                        const std::vector<std::string>& suffixes, int keep,
                                        std::optional<std::uintmax_t> budget) {
    struct Dated {
        fs::path path;
        std::uintmax_t bytes;
    };
    std::vector<Dated> dated;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && !entry.is_symlink(ec) && is_dated(name, suffixes)) {
            dated.push_back({entry.path(), entry.file_size(ec)});
        }
    }
    // The names sort by date: newest first.
    std::sort(dated.begin(), dated.end(),
              [](const Dated& x, const Dated& y) { return x.path > y.path; });
    const std::size_t kept_max = static_cast<std::size_t>(std::max(keep, 1));
    std::uintmax_t total = 0;
    std::size_t kept = 0;
    std::vector<fs::path> removed;
    bool dropping = false;  // once one goes, every older one goes too
    for (const auto& d : dated) {
        const bool within = !budget || total + d.bytes <= *budget;
        if (kept == 0 || (kept < kept_max && within && !dropping)) {
            total += d.bytes;
            ++kept;
            continue;
        }
        dropping = true;
        if (fs::remove(d.path, ec)) {
            removed.push_back(d.path);
        }
    }
    if (!removed.empty()) {
        sync_path(folder);
    }
    return removed;
}

}  // namespace myo::store
