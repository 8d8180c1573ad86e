// The progress report (issue 6) as a reader sees it: qpdf accepts the file, pdftotext finds
// every measure, the changes in words and the dates compared, the table's header is repeated
// on every page it runs onto, nothing about the patient is in the Info dictionary, and the
// CLI refuses a patient with fewer than two visits without leaving a file.

#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "core/comparison.hpp"
#include "core/dates.hpp"
#include "report/reports.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

const report::ReportResources& resources() {
    static const report::ReportResources res = report::load_report_resources(test::definitions());
    return res;
}

// The text of the whole PDF, or of one page. libharu 2.3.0's ToUnicode maps make poppler
// warn on stderr; the text is right.
std::string pdf_text(const std::filesystem::path& pdf, int page = 0) {
    const std::string pages =
        page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    auto r = test::run_command("pdftotext -enc UTF-8" + pages + " " +
                               test::shell_quote(pdf.string()) + " - 2>/dev/null");
    REQUIRE(r.status == 0);
    return test::squash_whitespace(r.out);
}

int page_count(const std::filesystem::path& pdf) {
    auto r = test::run_command("pdfinfo " + test::shell_quote(pdf.string()) + " 2>/dev/null");
    std::smatch m;
    static const std::regex pages("Pages:\\s+(\\d+)");
    REQUIRE(std::regex_search(r.out, m, pages));
    return std::stoi(m[1]);
}

bool qpdf_ok(const std::filesystem::path& pdf) {
    return test::run_command("qpdf --check " + test::shell_quote(pdf.string()) + " >/dev/null 2>&1")
               .status == 0;
}

bool contains(const std::string& text, const std::string& needle) {
    return text.find(test::squash_whitespace(needle)) != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

// A visit of the desk-worker example (V5) on `date` with some answers changed; a null value
// removes the answer, so the measure is "not measured" at that visit.
Json visit_doc(const std::string& date, const Json& changes) {
    Json doc = test::read_json(test::source_dir() / "examples" / "v5_desk_trapezius.json");
    doc["date"] = date;
    doc["kind"] = "follow_up";
    for (const auto& [k, v] : changes.items()) {
        if (v.is_null()) {
            doc["answers"].erase(k);
        } else {
            doc["answers"][k] = v;
        }
    }
    return doc;
}

Assessment visit(const std::string& date, const Json& changes) {
    auto parsed = assessment_from_json(visit_doc(date, changes), test::definitions());
    REQUIRE_MESSAGE(parsed.assessment, date);
    return *parsed.assessment;
}

// Three visits: pain and the left trapezius PPT improve, a second PSFS activity is added at
// the latest visit, the neck resolves and the upper back is new.
std::vector<Assessment> three_visits() {
    const Json psfs1 =
        Json::array({Json{{"activity", "working at the computer for 2 h"}, {"score", 4}}});
    const Json psfs3 =
        Json::array({Json{{"activity", "working at the computer for 2 h"}, {"score", 7}},
                     Json{{"activity", "carrying shopping"}, {"score", 5}}});
    return {visit("2026-01-05",
                  {{"nrs_now", 6}, {"nrs_average", 5}, {"ppt.trapezius_l", 2.1}, {"psfs", psfs1}}),
            visit("2026-02-02", {{"nrs_now", 5}, {"nrs_average", 5}, {"ppt.trapezius_l", 2.3}}),
            visit("2026-03-09", {{"nrs_now", 3},
                                 {"nrs_average", 4},
                                 {"ppt.trapezius_l", 2.6},
                                 {"psfs", psfs3},
                                 {"wpi.neck", false},
                                 {"wpi.upper_back", true},
                                 {"tp.trapezius_l", 1}})};
}

std::filesystem::path write(const test::TempDir& dir, const std::string& name, const Comparison& c,
                            const report::ReportSettings& settings = {"Test clinic", "Dr Test",
                                                                      "1 Main Street\nTown"}) {
    const auto path = dir.path() / name;
    report::write_progress(resources(), c, settings, path);
    return path;
}

}  // namespace

TEST_CASE("progress report: every measure, the changes in words, the dates, the footer") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    const Comparison c = compare_visits(defs, three_visits());
    const auto pdf = write(dir, "progress.pdf", c);
    CHECK(qpdf_ok(pdf));
    const std::string text = pdf_text(pdf);

    CHECK(contains(text, "Progress report"));
    CHECK(contains(text, c.patient.name));
    CHECK(contains(text, c.patient.id));
    CHECK(contains(text, "Test clinic"));
    CHECK(contains(text, "1 Main Street Town"));
    CHECK(contains(text, "From: Dr Test"));
    // Which visits are compared.
    CHECK(contains(text, "5 January 2026 (the first visit)"));
    CHECK(contains(text, "2 February 2026"));
    CHECK(contains(text, "9 March 2026"));
    CHECK(contains(text, "3 assessments"));
    // Every measure, with its unit.
    REQUIRE(c.rows.size() >= 8);
    for (const auto& r : c.rows) {
        CHECK_MESSAGE(contains(text, r.label), r.id);
        CHECK_MESSAGE(contains(text, r.unit), r.id);
    }
    // The changes in words, as compare says them: pain now 6 -> 3 is -3 (-50 %), better and
    // clinically important; average pain 5 -> 4 is better but not important.
    CHECK(contains(text, "−3 (−50 %) better, clinically important"));
    CHECK(contains(text, "−1 (−20 %) better"));
    CHECK_FALSE(contains(text, "−1 (−20 %) better, clinically important"));
    CHECK(contains(text, "+0.5 (+23.8 %) better, clinically important"));
    CHECK(contains(text, "Better, clinically important (4)"));
    CHECK(contains(text, "PSFS average: 4/10 → 6/10 (+2, +50 %)"));
    CHECK(contains(text, "Pain now (NRS): 6/10 → 3/10 (−3, −50 %)"));
    // The PSFS activity first recorded at the latest visit was not measured before.
    CHECK(contains(text, "PSFS: carrying shopping"));
    CHECK(contains(text, "not measured"));
    // Table header, charts, body charts and the areas in words.
    CHECK(contains(text, "Since baseline"));
    CHECK(contains(text, "Since previous"));
    CHECK(contains(text, "Pain intensity (NRS 0-10)"));
    CHECK(contains(text, "lower is better"));
    CHECK(contains(text, "Baseline, 5 January 2026"));
    CHECK(contains(text, "Latest, 9 March 2026"));
    CHECK(contains(text, "New since the baseline: Upper back."));
    CHECK(contains(text, "Resolved since the baseline: Neck."));
    CHECK(contains(text, "Painful at both visits: Left shoulder girdle."));
    // The thresholds and their sources.
    for (const auto& r : c.rows) {
        CHECK_MESSAGE(contains(text, r.source), r.id);
        if (!r.threshold.empty()) {
            CHECK_MESSAGE(contains(text, r.threshold), r.id);
        }
    }
    // The referral's footer on every page.
    const int pages = page_count(pdf);
    CHECK(pages >= 2);
    for (int p = 1; p <= pages; ++p) {
        const std::string page = pdf_text(pdf, p);
        CHECK(contains(page, "Page " + std::to_string(p) + " of " + std::to_string(pages)));
        CHECK(contains(page, c.patient.name + " · Progress report · rules " +
                                 c.evaluations.back().rules_version));
        CHECK(contains(page, "These suggestions support, and do not replace, clinical judgement."));
    }
    CHECK(occurrences(text, "do not replace, clinical judgement") ==
          static_cast<std::size_t>(pages));
    CHECK(std::filesystem::file_size(pdf) < 120 * 1024);
}

TEST_CASE("progress report: worse in words, and a baseline marked by the clinician") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    const std::vector<Assessment> visits = {visit("2026-01-05", {{"nrs_now", 2}}),
                                            visit("2026-02-05", {{"nrs_now", 3}}),
                                            visit("2026-03-05", {{"nrs_now", 6}})};
    const std::string text = pdf_text(write(dir, "worse.pdf", compare_visits(defs, visits)));
    CHECK(contains(text, "+4 (+200 %) worse, clinically important"));
    CHECK(contains(text, "Worse, clinically important (1)"));
    CHECK(contains(text, "+3 (+100 %) worse, clinically important"));

    const std::string marked =
        pdf_text(write(dir, "marked.pdf", compare_visits(defs, visits, std::size_t{1})));
    CHECK(contains(marked, "5 February 2026 (marked by the clinician)"));
    CHECK(contains(marked, "5 February 2026 (the baseline)"));
    CHECK(contains(marked, "+3 (+100 %) worse, clinically important"));
    CHECK_FALSE(contains(marked, "+4 (+200 %)"));
}

TEST_CASE("progress report: a long series breaks the table across pages, header repeated") {
    ScopedToday today(Date{2027, 1, 1});  // the series runs to 2026-12-03; no visit is future
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    std::vector<std::string> tps;
    std::vector<std::string> ppts;
    for (const auto& item : defs.form.items) {
        if (item.group == "tp") {
            tps.push_back(item.id);
        } else if (item.group == "ppt") {
            ppts.push_back(item.id);
        }
    }
    REQUIRE(tps.size() == 18);
    REQUIRE(ppts.size() == 20);
    std::vector<Assessment> visits;
    for (int k = 0; k < 12; ++k) {
        Json changes = {
            {"nrs_now", 7 - k / 2}, {"nrs_average", 6 - k / 3}, {"nrs_worst", 9 - k / 2}};
        for (std::size_t j = 0; j < tps.size(); ++j) {
            changes[tps[j]] = std::max(0, std::min(3, 3 - (k + static_cast<int>(j)) / 5));
        }
        for (std::size_t j = 0; j < ppts.size(); ++j) {
            changes[ppts[j]] = 2.0 + 0.1 * static_cast<double>(j) + 0.12 * k;
        }
        if (k == 4) {
            changes["nrs_now"] = nullptr;  // a gap in the chart, "–" in no column shown
        }
        // Monthly, 2026-01-01, 2026-02-02, ... 2026-12-03.
        const int month = 1 + k;
        const std::string date = "2026-" + std::string(month < 10 ? "0" : "") +
                                 std::to_string(month) + "-0" + std::to_string(1 + k % 9);
        visits.push_back(visit(date, changes));
    }
    const Comparison c = compare_visits(defs, visits);
    const auto pdf = write(dir, "long.pdf", c);
    CHECK(qpdf_ok(pdf));
    const std::string text = pdf_text(pdf);
    for (const auto& r : c.rows) {
        CHECK_MESSAGE(contains(text, r.label), r.id);
    }
    CHECK(c.rows.size() >= 40);
    const int pages = page_count(pdf);
    CHECK(pages >= 4);
    // The table runs over pages 2 and 3 at least; each page it is on starts with its header.
    for (int p = 2; p <= 3; ++p) {
        const std::string page = pdf_text(pdf, p);
        CHECK_MESSAGE(contains(page, "Measure Unit Baseline"), p);
        CHECK_MESSAGE(contains(page, "Since baseline Since previous"), p);
    }
    // Every visit is listed by date.
    CHECK(contains(text, "All visits: 1 Jan 2026, 2 Feb 2026, 3 Mar 2026"));
    CHECK(contains(text, "Page " + std::to_string(pages) + " of " + std::to_string(pages)));
}

TEST_CASE("progress report: no patient data in the PDF Info dictionary") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    auto visits = three_visits();
    for (auto& v : visits) {
        v.patient.name = "Infotest Patientname";
        v.patient.id = "ID-778899";
    }
    const auto pdf = write(dir, "info.pdf", compare_visits(defs, visits));
    auto trailer = test::run_command("qpdf --show-object=trailer " +
                                     test::shell_quote(pdf.string()) + " 2>/dev/null");
    std::smatch m;
    static const std::regex info_ref("/Info (\\d+) 0 R");
    REQUIRE(std::regex_search(trailer.out, m, info_ref));
    auto info = test::run_command("qpdf --show-object=" + m[1].str() + " " +
                                  test::shell_quote(pdf.string()) + " 2>/dev/null");
    REQUIRE(info.status == 0);
    CHECK(info.out.find("/Title") != std::string::npos);
    CHECK(info.out.find("Infotest") == std::string::npos);
    CHECK(info.out.find("Patientname") == std::string::npos);
    CHECK(info.out.find("778899") == std::string::npos);
    CHECK(info.out.find("/Author") == std::string::npos);
    CHECK(contains(pdf_text(pdf), "Infotest Patientname"));
}

TEST_CASE(
    "progress report: wording from reports/progress.json; a hand-made short comparison is "
    "refused") {
    test::TempDir dir;
    std::filesystem::copy(test::forms_dir(), dir.path() / "forms");
    std::filesystem::copy(test::source_dir() / "reports", dir.path() / "reports");
    Json progress = test::read_json(dir.path() / "reports" / "progress.json");
    progress["text"]["summary_heading"] = "Was sich seit der Erstuntersuchung geändert hat";
    progress["text"]["important"] = "klinisch relevant";
    std::ofstream(dir.path() / "reports" / "progress.json") << progress.dump(1);
    const Definitions defs = load_definitions(dir.path() / "forms");
    const auto res = report::load_report_resources(defs);
    const Comparison c = compare_visits(defs, three_visits());
    const auto pdf = dir.path() / "custom.pdf";
    report::write_progress(res, c, {}, pdf);
    const std::string text = pdf_text(pdf);
    CHECK(contains(text, "Was sich seit der Erstuntersuchung geändert hat"));
    CHECK(contains(text, "better, klinisch relevant"));
    // No letterhead given: the default clinic line, and no "From:" line.
    CHECK(contains(text, progress["text"]["clinic_default"].get<std::string>()));
    CHECK_FALSE(contains(text, "From:"));

    // A section the code does not know, or a required text left out, is refused at load.
    progress["sections"].push_back("horoscope");
    std::ofstream(dir.path() / "reports" / "progress.json") << progress.dump(1);
    try {
        report::load_report_resources(defs);
        FAIL("no error");
    } catch (const DefinitionError& err) {
        CHECK(err.lines().find("progress.json: /sections/9: unknown section \"horoscope\"") !=
              std::string::npos);
    }
    progress["sections"].erase(progress["sections"].size() - 1);
    progress["text"].erase("important");
    std::ofstream(dir.path() / "reports" / "progress.json") << progress.dump(1);
    try {
        report::load_report_resources(defs);
        FAIL("no error");
    } catch (const DefinitionError& err) {
        CHECK(err.lines().find("progress.json: /text/important: missing text") !=
              std::string::npos);
    }

    // compare_visits refuses one visit; a Comparison made by hand is refused by the report.
    Comparison one = c;
    one.visits.resize(1);
    one.evaluations.resize(1);
    const auto none = dir.path() / "none.pdf";
    CHECK_THROWS_AS(report::write_progress(resources(), one, {}, none), report::ReportError);
    CHECK_FALSE(std::filesystem::exists(none));
}

TEST_CASE("cli: report --kind progress from the store, with the store's letterhead") {
    test::TempDir dir;
    const std::string db = "--db " + test::shell_quote((dir.path() / "m.db").string());
    const auto store_visit = [&](const std::string& date, const Json& changes) {
        const auto file = dir.path() / (date + ".json");
        std::ofstream(file) << visit_doc(date, changes).dump(1);
        REQUIRE(test::cli_command(db + " import " + test::shell_quote(file.string())).status == 0);
    };
    const auto out = dir.path() / "progress.pdf";
    const std::string report =
        db + " report --patient V5 --kind progress -o " + test::shell_quote(out.string());

    // One visit: a clear message, exit 2, no file.
    store_visit("2026-01-05", {{"nrs_now", 6}});
    auto r = test::cli_command(report);
    CHECK(r.status == 2);
    CHECK(r.err.find("a comparison needs two or more") != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));

    store_visit("2026-02-05", {{"nrs_now", 5}});
    store_visit("2026-03-05", {{"nrs_now", 3}});
    // No letterhead in the store yet: the default clinic line and the latest visit's clinician.
    REQUIRE(test::cli_command(report).status == 0);
    CHECK(contains(pdf_text(out), "MyoScreen muscle-pain assessment"));
    CHECK(contains(pdf_text(out), "From: Dr T. Okafor"));
    REQUIRE(test::cli_command(
                db + " settings --clinic-name 'Klinik Süd' --clinic-address 'Hauptstraße 1' " +
                "--clinician 'Dr. Weiß'")
                .status == 0);
    r = test::cli_command(report);
    REQUIRE(r.status == 0);
    CHECK(r.out == out.string() + "\n");
    CHECK(qpdf_ok(out));
    std::string text = pdf_text(out);
    CHECK(contains(text, "Klinik Süd"));
    CHECK(contains(text, "Hauptstraße 1"));
    CHECK(contains(text, "From: Dr. Weiß"));
    CHECK(contains(text, "Ana Lucía Herrera"));
    CHECK(contains(text, "5 January 2026 (the first visit)"));
    CHECK(contains(text, "−3 (−50 %) better, clinically important"));

    // --clinic overrides the stored name; --baseline N compares against assessment N.
    r = test::cli_command(report + " --clinic 'Praxis Nord' --baseline 2");
    REQUIRE(r.status == 0);
    text = pdf_text(out);
    CHECK(contains(text, "Praxis Nord"));
    CHECK_FALSE(contains(text, "Klinik Süd"));
    CHECK(contains(text, "5 February 2026 (marked by the clinician)"));
    CHECK(contains(text, "−2 (−40 %) better, clinically important"));

    // The usage errors: exit 2 and no file.
    std::filesystem::remove(out);
    CHECK(test::cli_command(db + " report --kind progress -o " + test::shell_quote(out.string()))
              .status == 2);
    CHECK(test::cli_command(db + " report --patient V5 -o " + test::shell_quote(out.string()))
              .status == 2);
    CHECK(test::cli_command(db + " report --patient NOBODY --kind progress -o " +
                            test::shell_quote(out.string()))
              .status == 2);
    CHECK(test::cli_command(report + " --baseline 3").status == 2);
    CHECK(test::cli_command(report + " --baseline 99").status == 2);
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("progress report: a baseline without a pain map is not compared (rules 2026.2)") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    // Remove every wpi.* item from the baseline: its pain map was not recorded.
    Json no_map = Json::object();
    for (const auto& id : defs.rules.acr2016.wpi_items) {
        no_map[id] = nullptr;
    }
    std::vector<Assessment> visits = {visit("2026-01-05", no_map),
                                      visit("2026-03-09", {{"wpi.upper_back", true}})};
    const Comparison c = compare_visits(defs, visits);
    REQUIRE_FALSE(c.baseline_pain_map);
    const auto pdf = write(dir, "progress-no-map.pdf", c);
    CHECK(qpdf_ok(pdf));
    const std::string text = pdf_text(pdf);
    CHECK(contains(text, "Pain map not recorded at the baseline: painful areas are not compared."));
    CHECK(contains(text, "Painful at the latest visit: "));
    CHECK_FALSE(contains(text, "New since the baseline"));
    CHECK_FALSE(contains(text, "Resolved since the baseline"));
    CHECK_FALSE(contains(text, "of 19 at the baseline"));
    CHECK(contains(text, "not measured"));
    CHECK(c.row("wpi")->values[0] == std::nullopt);
}
