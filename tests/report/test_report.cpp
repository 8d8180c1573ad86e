// The PDF reports as a reader sees them: qpdf accepts the file, pdftotext copies out every
// name, red flag, unscreened flag and suggested test, pages and footers are right, nothing
// is lost to a page break, and bad input or an unwritable path leaves no file behind.

#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "core/describe.hpp"
#include "core/evaluation.hpp"
#include "report/reports.hpp"
#include "support/test_support.hpp"

using namespace myo;
using report::ReportKind;

namespace {

const report::ReportResources& resources() {
    static const report::ReportResources res = report::load_report_resources(test::definitions());
    return res;
}

std::string pdf_text(const std::filesystem::path& pdf) {
    // The reports write their own ToUnicode maps: poppler has nothing to warn about.
    auto r = test::run_command("pdftotext -enc UTF-8 " + test::shell_quote(pdf.string()) + " -");
    REQUIRE(r.status == 0);
    CHECK_MESSAGE(r.err.empty(), r.err);
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

std::filesystem::path write(const test::TempDir& dir, const std::string& name, ReportKind kind,
                            const Assessment& a, const Evaluation& e,
                            const report::ReportSettings& settings = {"Test clinic", "Dr Test",
                                                                      "1 Main Street\nTown"}) {
    const auto path = dir.path() / name;
    report::write_report(resources(), kind, a, e, settings, path);
    return path;
}

}  // namespace

TEST_CASE("report: every vignette, both kinds: valid PDF with every finding that matters") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    for (const auto& vignette : test::vignette_files()) {
        const Assessment a = test::vignette_assessment(vignette);
        const Evaluation e = evaluate(defs, a);
        CAPTURE(vignette.filename().string());

        const auto referral =
            write(dir, vignette.stem().string() + "-referral.pdf", ReportKind::Referral, a, e);
        CHECK(qpdf_ok(referral));
        const std::string text = pdf_text(referral);
        CHECK(contains(text, a.patient.name));
        CHECK(contains(text, a.patient.id));
        CHECK(contains(text, "Test clinic"));
        CHECK(contains(text, "1 Main Street Town"));
        for (const auto& flag : e.red_flags) {
            CHECK_MESSAGE(contains(text, flag.label), flag.id);
            CHECK(contains(text, flag.action));
            CHECK(contains(text, flag.source));
            CHECK(contains(text, urgency_label(defs, flag.urgency)));
            for (const auto& b : flag.because) {
                CHECK_MESSAGE(contains(text, describe_finding(defs, a, e, b)), b);
            }
        }
        for (const auto& id : e.unscreened) {
            CHECK_MESSAGE(contains(text, defs.form.find(id)->label), id);
        }
        for (const auto& t : e.tests) {
            CHECK_MESSAGE(contains(text, t.name), t.id);
        }
        for (const auto& r : e.referrals) {
            CHECK(contains(text, r.to));
        }
        for (const auto& n : e.notes) {
            CHECK(contains(text, n.text));
        }
        CHECK(contains(text, defs.rules.pattern.statement));
        CHECK(contains(text, "WPI"));
        REQUIRE(e.acr2016.wpi);  // every vignette has a pain map
        CHECK(contains(text, std::to_string(*e.acr2016.wpi) + "/19"));
        CHECK(text.find("diagnosis: inomyalgia") == std::string::npos);
        const int pages = page_count(referral);
        CHECK(pages >= 2);
        CHECK(pages <= 3);
        // The footer on every page: name, page N of M, rules version, the disclaimer.
        for (int p = 1; p <= pages; ++p) {
            CHECK(contains(text, "Page " + std::to_string(p) + " of " + std::to_string(pages)));
        }
        std::size_t disclaimers = 0;
        for (std::size_t at = text.find("support, and do not replace, clinical judgement");
             at != std::string::npos;
             at = text.find("support, and do not replace, clinical judgement", at + 1)) {
            ++disclaimers;
        }
        CHECK(disclaimers == static_cast<std::size_t>(pages));
        CHECK(contains(text, "rules " + e.rules_version));
        CHECK(std::filesystem::file_size(referral) < 60 * 1024);

        const auto handout =
            write(dir, vignette.stem().string() + "-handout.pdf", ReportKind::Handout, a, e);
        CHECK(qpdf_ok(handout));
        const std::string htext = pdf_text(handout);
        CHECK(contains(htext, a.patient.name));
        CHECK(page_count(handout) >= 1);
        CHECK(page_count(handout) <= 2);
        // Plain language: no scores, no rule names.
        CHECK(htext.find("WPI") == std::string::npos);
        CHECK(htext.find("/19") == std::string::npos);
        CHECK(htext.find("ACR") == std::string::npos);
        const AdviceRule* seek = defs.rules.advice_rule("seek_care");
        REQUIRE(seek);
        CHECK(contains(htext, seek->title));
        for (const auto& point : seek->points) {
            CHECK(contains(htext, point));
        }
        for (const auto& adv : e.advice) {
            CHECK(contains(htext, defs.rules.advice_rule(adv.id)->title));
        }
        const bool prompt = !e.red_flags.empty() &&
                            (e.urgency == Urgency::Emergency || e.urgency == Urgency::Urgent);
        CHECK(contains(htext, "has arranged") == prompt);
    }
}

TEST_CASE("report: a referral without a pain map says so, never WPI 0 (rules 2026.2)") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    for (const auto& id : defs.rules.acr2016.wpi_items) {
        a.answers.erase(id);
    }
    const Evaluation e = evaluate(defs, a);
    REQUIRE_FALSE(e.acr2016.pain_map_recorded());
    const auto referral = write(dir, "no-map-referral.pdf", ReportKind::Referral, a, e);
    CHECK(qpdf_ok(referral));
    const std::string text = pdf_text(referral);
    CHECK(contains(text, "Pain map not recorded: the painful areas were not asked."));
    CHECK(contains(text,
                   "Pain map not recorded: WPI, FS, regions and generalized pain are not known."));
    CHECK(contains(text, "widespread pain: pain map not recorded"));
    CHECK_FALSE(contains(text, "0/19"));
    CHECK_FALSE(contains(text, "0 of 19 areas"));
    CHECK(contains(text, "rules 2026.2"));
}

TEST_CASE("report: names in Latin, Greek and Cyrillic print and copy out right") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    for (const std::string name : {"Zoë Åkesson-Núñez", "Ελένη Παπαδοπούλου", "Юлия Иванова"}) {
        a.patient.name = name;
        const Evaluation e = evaluate(defs, a);
        for (auto kind : {ReportKind::Referral, ReportKind::Handout}) {
            const auto pdf =
                write(dir, "names.pdf", kind, a, e, {"Κλινική Αθηνών", "Д-р Петров", ""});
            CHECK(qpdf_ok(pdf));
            const std::string text = pdf_text(pdf);
            CHECK_MESSAGE(contains(text, name), name);
        }
        const auto pdf = write(dir, "names.pdf", ReportKind::Referral, a, e,
                               {"Κλινική Αθηνών", "Д-р Петров", ""});
        CHECK(contains(pdf_text(pdf), "Κλινική Αθηνών"));
        CHECK(contains(pdf_text(pdf), "Д-р Петров"));
    }
}

TEST_CASE("report: a character outside the subset falls back; one no font has is named") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    // Vietnamese is not in the build-time subset but is in the installed DejaVu Sans.
    a.patient.name = "Nguyễn Thị Ánh";
    Evaluation e = evaluate(defs, a);
    const auto pdf = write(dir, "vi.pdf", ReportKind::Referral, a, e);
    CHECK(qpdf_ok(pdf));
    CHECK(contains(pdf_text(pdf), "Nguyễn Thị Ánh"));
    // Chinese comes from Droid Sans Fallback (fonts-droid-fallback).
    a.patient.name = "王小明";
    e = evaluate(defs, a);
    const auto zh = write(dir, "zh.pdf", ReportKind::Referral, a, e);
    CHECK(contains(pdf_text(zh), "王小明"));
    // No report font has Devanagari (core refuses it where it is typed): the report fails,
    // naming the character, and writes nothing.
    a.patient.name = "कमला";
    e = evaluate(defs, a);
    const auto bad = dir.path() / "hi.pdf";
    try {
        report::write_report(resources(), ReportKind::Referral, a, e, {}, bad);
        FAIL("no error");
    } catch (const report::ReportError& err) {
        CHECK(std::string(err.what()).find("U+0915") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(bad));
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                        std::filesystem::directory_iterator{}) == 2);
}

TEST_CASE("report: a long free-text note and 20 suggested tests paginate without loss") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    std::string note;
    for (int i = 0; i < 1500; ++i) {
        note += "word" + std::to_string(i) + (i % 97 == 96 ? "\n" : " ");
    }
    // One unbreakable run longer than a line must be broken, not clipped.
    note += std::string(300, 'x') + "END";
    a.notes = note;
    Evaluation e = evaluate(defs, a);
    e.tests.clear();
    for (std::size_t i = 0; i < 20 && i < defs.tests.tests.size(); ++i) {
        const auto& t = defs.tests.tests[i];
        e.tests.push_back({t.id,
                           t.name,
                           i % 2 ? Priority::Consider : Priority::Recommended,
                           {defs.rules.workup.front().id}});
    }
    REQUIRE(e.tests.size() == 20);
    for (auto kind : {ReportKind::Referral}) {
        const auto pdf = write(dir, "long.pdf", kind, a, e);
        CHECK(qpdf_ok(pdf));
        const std::string text = pdf_text(pdf);
        std::string no_spaces;
        for (char c : text) {
            if (c != ' ') {
                no_spaces += c;
            }
        }
        for (int i = 0; i < 1500; ++i) {
            const std::string w = "word" + std::to_string(i) + " ";
            if (text.find(w) == std::string::npos) {
                FAIL_CHECK("lost: " << w);
                break;
            }
        }
        CHECK(no_spaces.find(std::string(300, 'x') + "END") != std::string::npos);
        for (const auto& t : e.tests) {
            CHECK_MESSAGE(contains(text, t.name), t.id);
        }
        const int pages = page_count(pdf);
        CHECK(pages >= 4);
        CHECK(contains(text, "Page " + std::to_string(pages) + " of " + std::to_string(pages)));
        // The tests table's header is repeated on each page it runs onto.
        CHECK(std::filesystem::file_size(pdf) < 120 * 1024);
    }
}

TEST_CASE("report: no patient data in the PDF Info dictionary") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    a.patient.name = "Infotest Patientname";
    a.patient.id = "ID-778899";
    const Evaluation e = evaluate(defs, a);
    for (auto kind : {ReportKind::Referral, ReportKind::Handout}) {
        const auto pdf = write(dir, "info.pdf", kind, a, e);
        // The trailer names the Info dictionary; qpdf shows it decoded.
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
        auto meta =
            test::run_command("pdfinfo " + test::shell_quote(pdf.string()) + " 2>/dev/null");
        CHECK(meta.out.find("Infotest") == std::string::npos);
        CHECK(meta.out.find("778899") == std::string::npos);
        CHECK(meta.out.find("Title:") != std::string::npos);
    }
}

TEST_CASE("report: wording comes from reports/*.json at run time") {
    test::TempDir dir;
    std::filesystem::copy(test::forms_dir(), dir.path() / "forms");
    std::filesystem::copy(test::source_dir() / "reports", dir.path() / "reports");
    Json referral = test::read_json(dir.path() / "reports" / "referral.json");
    referral["text"]["reason_label"] = "Why we write to you: ";
    std::ofstream(dir.path() / "reports" / "referral.json") << referral.dump(1);
    const Definitions defs = load_definitions(dir.path() / "forms");
    const auto res = report::load_report_resources(defs);
    const Assessment a = test::vignette_assessment(test::vignette_files().front());
    const Evaluation e = evaluate(defs, a);
    const auto pdf = dir.path() / "custom.pdf";
    report::write_report(res, ReportKind::Referral, a, e, {}, pdf);
    CHECK(contains(pdf_text(pdf), "Why we write to you:"));

    // A section the code does not know is refused at load, with its path.
    referral["sections"].push_back("horoscope");
    std::ofstream(dir.path() / "reports" / "referral.json") << referral.dump(1);
    try {
        report::load_report_resources(defs);
        FAIL("no error");
    } catch (const DefinitionError& err) {
        CHECK(err.lines().find("referral.json: /sections/12: unknown section \"horoscope\"") !=
              std::string::npos);
    }
}

TEST_CASE("cli: report writes a PDF; bad input gives the format's errors and no file") {
    test::TempDir dir;
    const auto out = dir.path() / "r.pdf";
    const auto example = test::source_dir() / "examples" / "v4_dark_urine.json";
    auto ok =
        test::cli_command("report " + test::shell_quote(example.string()) + " -o " +
                          test::shell_quote(out.string()) + " --kind referral --clinic 'Clinic Ω'");
    CHECK(ok.status == 0);
    CHECK(std::filesystem::exists(out));
    CHECK(qpdf_ok(out));
    CHECK(contains(pdf_text(out), "Clinic Ω"));

    const auto handout = dir.path() / "h.pdf";
    CHECK(test::cli_command("report " + test::shell_quote(example.string()) + " -o " +
                            test::shell_quote(handout.string()) + " --kind handout")
              .status == 0);
    CHECK(contains(pdf_text(handout), "has arranged"));

    // Invalid input: the format's "file: /path: message" lines, exit 2, nothing written.
    const auto bad = dir.path() / "bad.json";
    Json doc = test::read_json(example);
    doc["answers"]["nrs_now"] = 14;
    std::ofstream(bad) << doc.dump(1);
    const auto bad_out = dir.path() / "bad.pdf";
    auto r = test::cli_command("report " + test::shell_quote(bad.string()) + " -o " +
                               test::shell_quote(bad_out.string()));
    CHECK(r.status == 2);
    CHECK(r.err.find(bad.string() + ": /answers/nrs_now: ") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(bad_out));

    // Not JSON at all.
    std::ofstream(bad) << "{ not json";
    r = test::cli_command("report " + test::shell_quote(bad.string()) + " -o " +
                          test::shell_quote(bad_out.string()));
    CHECK(r.status == 2);
    CHECK(r.err.find(bad.string() + ": line 1") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(bad_out));

    // Unknown kind is a usage error.
    CHECK(test::cli_command("report " + test::shell_quote(example.string()) +
                            " -o x.pdf --kind letter")
              .status == 2);
}

TEST_CASE("cli: an unwritable output path fails cleanly, leaving nothing behind") {
    test::TempDir dir;
    const auto example = test::source_dir() / "examples" / "v1_widespread_chronic.json";
    auto r = test::cli_command("report " + test::shell_quote(example.string()) + " -o " +
                               test::shell_quote((dir.path() / "missing" / "r.pdf").string()));
    CHECK(r.status == 2);
    CHECK(r.err.find("cannot write") != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
    // A directory in the way of the output file.
    std::filesystem::create_directory(dir.path() / "taken.pdf");
    r = test::cli_command("report " + test::shell_quote(example.string()) + " -o " +
                          test::shell_quote((dir.path() / "taken.pdf").string()));
    CHECK(r.status == 2);
    CHECK(r.err.find("cannot write") != std::string::npos);
    // No temporary file is left in the folder.
    std::size_t entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        (void)entry;
        ++entries;
    }
    CHECK(entries == 1);
}

TEST_CASE("cli: demo writes both reports for each example and prints their paths") {
    test::TempDir dir;
    auto r = test::cli_command("demo --out " + test::shell_quote((dir.path() / "pdf").string()));
    REQUIRE(r.status == 0);
    std::size_t lines = 0;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        ++lines;
        CHECK(std::filesystem::exists(line));
        CHECK(qpdf_ok(line));
    }
    CHECK(lines == 12);
}

TEST_CASE("cli: report --assessment N uses the stored assessment and the store's letterhead") {
    test::TempDir dir;
    const std::string db = "--db " + test::shell_quote((dir.path() / "m.db").string());
    const auto example = test::source_dir() / "examples" / "v2_statin_thighs.json";
    REQUIRE(test::cli_command(db + " import " + test::shell_quote(example.string())).status == 0);
    REQUIRE(test::cli_command(
                db + " settings --clinic-name 'Klinik Süd' --clinic-address 'Hauptstraße 1' " +
                "--clinician 'Dr. Weiß'")
                .status == 0);
    const auto out = dir.path() / "stored.pdf";
    auto r = test::cli_command(db + " report --assessment 1 -o " + test::shell_quote(out.string()));
    REQUIRE(r.status == 0);
    const std::string text = pdf_text(out);
    CHECK(contains(text, "Klinik Süd"));
    CHECK(contains(text, "Hauptstraße 1"));
    CHECK(contains(text, "Dr. Weiß"));
    CHECK(contains(text, test::read_json(example)["patient"]["name"].get<std::string>()));
    // An assessment that is not there: a message, exit 2, no file.
    const auto missing = dir.path() / "missing.pdf";
    r = test::cli_command(db + " report --assessment 99 -o " + test::shell_quote(missing.string()));
    CHECK(r.status == 2);
    CHECK_FALSE(std::filesystem::exists(missing));
}

TEST_CASE("report: only the fonts recorded at build time are used (checked by SHA-256)") {
    test::TempDir dir;
    std::filesystem::copy(test::forms_dir(), dir.path() / "forms");
    std::filesystem::copy(test::source_dir() / "reports", dir.path() / "reports");
    std::filesystem::copy(test::binary_dir() / "share" / "myoscreen" / "fonts",
                          dir.path() / "fonts");
    const Definitions defs = load_definitions(dir.path() / "forms");
    CHECK_NOTHROW(report::load_report_resources(defs));

    // One byte changed in the shipped subset: refused before libharu ever parses it.
    const auto font = dir.path() / "fonts" / "DejaVuSans.ttf";
    std::string bytes = read_text_file(font);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    std::ofstream(font, std::ios::binary | std::ios::trunc) << bytes;
    try {
        report::load_report_resources(defs);
        FAIL("a changed font was accepted");
    } catch (const report::ReportError& e) {
        CHECK(std::string(e.what()).find(
                  "does not match the SHA-256 recorded when MyoScreen was built") !=
              std::string::npos);
    }
}
