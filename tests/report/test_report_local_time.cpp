// Issue 11: a report prints a stored moment (the emergency acknowledgement) in the computer's
// local time, saying the offset, never the raw "2026-12-01T03:32:39Z"; the stored value stays
// UTC. One formatting function (core's local_date_time) serves every report and screen.

#include <doctest/doctest.h>

#include "core/dates.hpp"
#include "core/evaluation.hpp"
#include "report/reports.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

// Whitespace runs become one space, so a phrase wrapped over two lines is still found.
std::string squashed_pdf_text(const std::filesystem::path& pdf) {
    auto r = test::run_command("pdftotext -enc UTF-8 " + test::shell_quote(pdf.string()) + " -");
    REQUIRE(r.status == 0);
    return test::squash_whitespace(r.out);
}

}  // namespace

TEST_CASE("local time: UTC moments as the clinic reads them, with the offset") {
    {
        test::ScopedTimeZone berlin("CET-1CEST,M3.5.0,M10.5.0/3");
        CHECK(local_date_time("2026-12-01T03:32:39Z") == "1 December 2026, 04:32 (UTC+01:00)");
        CHECK(local_date_time("2026-12-01T03:32:39.123Z", true) ==
              "1 December 2026, 04:32:39 (UTC+01:00)");
        // Summer time is the zone's rule on that day, not today's.
        CHECK(local_date_time("2026-07-01T22:30:00Z") == "2 July 2026, 00:30 (UTC+02:00)");
        // An explicit offset is honoured; a bare time is UTC (what the store writes).
        CHECK(local_date_time("2026-12-01T05:32:39+02:00") == "1 December 2026, 04:32 (UTC+01:00)");
        CHECK(local_date_time("2026-12-01T03:32") == "1 December 2026, 04:32 (UTC+01:00)");
    }
    {
        test::ScopedTimeZone new_york("EST5EDT,M3.2.0,M11.1.0");
        CHECK(local_date_time("2026-12-01T03:32:39Z") == "30 November 2026, 22:32 (UTC-05:00)");
    }
    {
        test::ScopedTimeZone india("IST-5:30");
        CHECK(local_date_time("2026-12-31T20:00:00Z") == "1 January 2027, 01:30 (UTC+05:30)");
    }
    {
        test::ScopedTimeZone utc("UTC0");
        CHECK(local_date_time("2026-12-01T03:32:39Z") == "1 December 2026, 03:32 (UTC)");
    }
    // Not a date-time: shown as it is, never a guess.
    CHECK(local_date_time("yesterday") == "yesterday");
    CHECK(local_date_time("2026-02-30T10:00:00Z") == "2026-02-30T10:00:00Z");
}

TEST_CASE("report: the referral prints the acknowledgement in local time, the stored UTC kept") {
    test::ScopedTimeZone berlin("CET-1CEST,M3.5.0,M10.5.0/3");
    const Definitions& defs = test::definitions();
    Assessment a = test::vignette_assessment(test::vignette_files().at(3));  // v4: emergency
    const Evaluation first = evaluate(defs, a);
    REQUIRE_FALSE(first.red_flags.empty());
    const std::string flag = first.red_flags.front().id;
    a.acknowledged =
        std::vector<Acknowledgement>{{flag, "Dr Ada Lovelace", "2026-12-01T03:32:39Z"}};
    const Evaluation e = evaluate(defs, a);
    test::TempDir dir;
    const auto pdf = dir.path() / "referral.pdf";
    report::write_report(report::load_report_resources(defs), report::ReportKind::Referral, a, e,
                         {"Test clinic", "Dr Test", ""}, pdf);
    const std::string text = squashed_pdf_text(pdf);
    CHECK(text.find("Acknowledged by Dr Ada Lovelace at 1 December 2026, 04:32 (UTC+01:00).") !=
          std::string::npos);
    CHECK(text.find("2026-12-01T03:32:39Z") == std::string::npos);
    CHECK(text.find("T03:32") == std::string::npos);
    // The assessment itself still holds the UTC moment.
    CHECK(a.acknowledged->front().at == "2026-12-01T03:32:39Z");
}
