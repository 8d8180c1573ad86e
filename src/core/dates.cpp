#include "core/dates.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace myo {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > s.size()) {
        return false;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
        value = value * 10 + (s[i] - '0');
    }
    out = value;
    return true;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
    Date d;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, d.year) ||
        !digits(text, 5, 2, d.month) || !digits(text, 8, 2, d.day)) {
        return std::nullopt;
    }
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month)) {
        return std::nullopt;
    }
    return d;
}

std::optional<std::string> why_no_such_day(std::string_view text) {
    Date d;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, d.year) ||
        !digits(text, 5, 2, d.month) || !digits(text, 8, 2, d.day)) {
        return std::nullopt;
    }
    if (d.year < 1) {
        return "there is no year 0";
    }
    if (d.month < 1 || d.month > 12) {
        return "there is no month " + std::to_string(d.month) + " (months are 01 to 12)";
    }
    static const char* kMonths[] = {"January",   "February", "March",    "April",
                                    "May",       "June",     "July",     "August",
                                    "September", "October",  "November", "December"};
    int days = days_in_month(d.year, d.month);
    if (d.day < 1 || d.day > days) {
        return std::string(kMonths[d.month - 1]) + " " + std::to_string(d.year) + " has " +
               std::to_string(days) + " days";
    }
    return std::nullopt;
}

bool is_iso_datetime(std::string_view text) {
    if (text.size() < 16 || text[10] != 'T' || !parse_iso_date(text.substr(0, 10))) {
        return false;
    }
    int hh = 0;
    int mm = 0;
    if (!digits(text, 11, 2, hh) || text[13] != ':' || !digits(text, 14, 2, mm) || hh > 23 ||
        mm > 59) {
        return false;
    }
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        int ss = 0;
        if (!digits(text, pos + 1, 2, ss) || ss > 60) {
            return false;
        }
        pos += 3;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            std::size_t start = pos;
            while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
                ++pos;
            }
            if (pos == start) {
                return false;
            }
        }
    }
    if (pos == text.size()) {
        return true;
    }
    if (text[pos] == 'Z') {
        return pos + 1 == text.size();
    }
    if (text[pos] == '+' || text[pos] == '-') {
        int oh = 0;
        int om = 0;
        return text.size() == pos + 6 && digits(text, pos + 1, 2, oh) && text[pos + 3] == ':' &&
               digits(text, pos + 4, 2, om) && oh <= 14 && om <= 59;
    }
    return false;
}

std::string to_iso(const Date& date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year % 10000, date.month % 100,
                  date.day % 100);
    return buf;
}

int whole_years(const Date& birth, const Date& on) {
    int years = on.year - birth.year;
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) {
        --years;
    }
    return years;
}

Date today_utc() {
    auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    std::chrono::year_month_day ymd{now};
    return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string local_date_time(std::string_view iso, bool seconds) {
    static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
    if (!is_iso_datetime(iso)) {
        return std::string(iso);
    }
    const Date d = *parse_iso_date(iso.substr(0, 10));
    int hh = 0;
    int mm = 0;
    int ss = 0;
    digits(iso, 11, 2, hh);
    digits(iso, 14, 2, mm);
    std::size_t pos = 16;
    if (pos < iso.size() && iso[pos] == ':') {
        digits(iso, pos + 1, 2, ss);
        pos += 3;
        while (pos < iso.size() &&
               (iso[pos] == '.' || std::isdigit(static_cast<unsigned char>(iso[pos])))) {
            ++pos;
        }
    }
    // No zone: the store and the GUI write UTC ("Z"), so a bare time is taken as UTC too.
    long offset = 0;
    if (pos < iso.size() && (iso[pos] == '+' || iso[pos] == '-')) {
        int oh = 0;
        int om = 0;
        digits(iso, pos + 1, 2, oh);
        digits(iso, pos + 4, 2, om);
        offset = (iso[pos] == '-' ? -1L : 1L) * (oh * 3600L + om * 60L);
    }
    const std::chrono::sys_days day{std::chrono::year{d.year} /
                                    std::chrono::month{static_cast<unsigned>(d.month)} /
                                    std::chrono::day{static_cast<unsigned>(d.day)}};
    const std::time_t t = static_cast<std::time_t>(day.time_since_epoch().count()) * 86400 +
                          hh * 3600L + mm * 60L + std::min(ss, 59) - offset;
    std::tm local{};
    ::tzset();
    if (::localtime_r(&t, &local) == nullptr) {
        return std::string(iso);
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "%d %s %04d, %02d:%02d", local.tm_mday,
                  kMonths[local.tm_mon % 12], local.tm_year + 1900, local.tm_hour, local.tm_min);
    std::string out = buf;
    if (seconds) {
        std::snprintf(buf, sizeof buf, ":%02d", local.tm_sec);
        out += buf;
    }
    const long gmtoff = local.tm_gmtoff;
    if (gmtoff == 0) {
        return out + " (UTC)";
    }
    const long minutes = (gmtoff < 0 ? -gmtoff : gmtoff) / 60;
    std::snprintf(buf, sizeof buf, " (UTC%c%02ld:%02ld)", gmtoff < 0 ? '-' : '+', minutes / 60,
                  minutes % 60);
    return out + buf;
}

namespace {
std::optional<Date>& fixed_today() {
    static std::optional<Date> fixed;
    return fixed;
}
}  // namespace

Date latest_today() {
    if (fixed_today()) {
        return *fixed_today();
    }
    auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() +
                                                     std::chrono::hours(14));
    std::chrono::year_month_day ymd{now};
    return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

ScopedToday::ScopedToday(Date today) : previous_(fixed_today()) {
    fixed_today() = today;
}

ScopedToday::~ScopedToday() {
    fixed_today() = previous_;
}

}  // namespace myo
