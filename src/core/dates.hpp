#pragma once
// Calendar dates as the assessment format writes them (ISO 8601, YYYY-MM-DD).

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace myo {

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
    auto operator<=>(const Date&) const = default;
};

// Strict YYYY-MM-DD that names a real day (no 30 February, no 2025-02-29).
std::optional<Date> parse_iso_date(std::string_view text);
// Why a text written as YYYY-MM-DD names no day, for the message that refuses it ("February
// 1975 has 28 days", "there is no month 13"); nullopt when the text is a real day or is not
// written as YYYY-MM-DD at all. Every date field (CLI, GUI, files) words it the same way, so
// "1975-02-30" is never answered with "enter as YYYY-MM-DD", which it is.
std::optional<std::string> why_no_such_day(std::string_view text);
// YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional Z or +hh:mm offset, real date and time.
bool is_iso_datetime(std::string_view text);
std::string to_iso(const Date& date);
// Whole years from birth to the given day (the day before a birthday is still the old age).
int whole_years(const Date& birth, const Date& on);
// Today's date in UTC.
Date today_utc();

// A stored moment (ISO 8601 date-time in UTC, "2026-12-01T03:32:39Z", or with an offset) as a
// person reads it, in this computer's time zone (TZ) and saying which:
// "1 December 2026, 04:32 (UTC+01:00)", or with `seconds` "... 04:32:39 (UTC+01:00)"; "(UTC)"
// when the zone is UTC. Every report and screen that prints a time uses this; the stored value
// stays UTC. Text that is not such a date-time is returned unchanged.
std::string local_date_time(std::string_view iso, bool seconds = false);

// The latest date it is anywhere on Earth now (UTC+14): a visit on or before it is not in the
// future for any clinic's time zone. A test fixes it with ScopedToday.
Date latest_today();

// Fixes latest_today() for the lifetime of the object (tests only; not thread-safe).
class ScopedToday {
  public:
    explicit ScopedToday(Date today);
    ~ScopedToday();
    ScopedToday(const ScopedToday&) = delete;
    ScopedToday& operator=(const ScopedToday&) = delete;

  private:
    std::optional<Date> previous_;
};

}  // namespace myo
