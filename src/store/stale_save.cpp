#include "store/stale_save.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/text_input.hpp"

namespace myo::store {

namespace {

const char* const kKept = "; nothing was saved and your answers are kept";

}  // namespace

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string local_time_phrase(std::int64_t at_ms, std::int64_t now) {
    return "at " + local_time(at_ms, now);
}

std::string local_time(std::int64_t at_ms, std::int64_t now) {
    auto local = [](std::int64_t ms) {
        std::time_t t = static_cast<std::time_t>(ms / 1000);
        std::tm tm{};
        localtime_r(&t, &tm);
        return tm;
    };
    std::tm at = local(at_ms);
    std::tm today = local(now);
    char buf[32];
    std::strftime(buf, sizeof buf, "%H:%M", &at);
    std::string out = buf;
    if (at.tm_year != today.tm_year || at.tm_yday != today.tm_yday) {
        std::strftime(buf, sizeof buf, " on %Y-%m-%d", &at);
        out += buf;
    }
    return out;
}

ChangedElsewhere changed_since_read(const std::string& row,
                                    const ChangedElsewhere::LastChange& change,
                                    const std::string& where) {
    std::string said = (change.finalised ? " was finalised by " : " was changed by ") +
                       quote_for_message(change.by) + " " +
                       local_time_phrase(change.at_ms, now_ms()) + " " + where;
    return ChangedElsewhere(
        row + said + " since this copy was read" + kKept +
            (change.finalised ? " (amend the final assessment to add them)"
                              : " (reload to see the other change, then save again)"),
        change);
}

std::string what_happened(const ChangedElsewhere& refusal) {
    std::string text = refusal.what();
    const auto kept = text.find(kKept);
    return kept == std::string::npos ? text : text.substr(0, kept);
}

ChangedElsewhere gone_since_read(const std::string& row, const std::string& where, bool patient) {
    return ChangedElsewhere(row + " was " + (patient ? "deleted" : "discarded or deleted") + " " +
                                where + " since this copy was read" + kKept +
                                " (save them as a new " + (patient ? "patient)" : "draft)"),
                            {});
}

std::int64_t utc_text_ms(const std::string& text) {
    std::tm tm{};
    int ms = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7) {
        return 0;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<std::int64_t>(timegm(&tm)) * 1000 + ms;
}

}  // namespace myo::store
