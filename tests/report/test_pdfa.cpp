// Every report MyoScreen writes is PDF/A-1b (issue 15), as an archive's validator sees it:
// Apache PDFBox's preflight (Debian's libpdfbox2-java) on every report kind for every example
// and for names in every script the reports print; poppler sees every font embedded and
// subset and prints no warning; qpdf finds nothing; each CID font's CIDSet names exactly the
// CIDs its CIDToGIDMap draws; the metadata is generic; `--pdfa off` writes plain PDF.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/comparison.hpp"
#include "core/evaluation.hpp"
#include "core/json_util.hpp"
#include "report/reports.hpp"
#include "script_names.hpp"
#include "support/test_support.hpp"

using namespace myo;
namespace fs = std::filesystem;

namespace {

// PDFBox 2.0's preflight from Debian; under Java 17 it also needs JAF and JAXB on the class
// path (libactivation-java, libjaxb-api-java). scripts/deps.sh installs all of them.
const char* const kPreflightClassPath =
    "/usr/share/java/preflight.jar:/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:"
    "/usr/share/java/xmpbox.jar:/usr/share/java/commons-logging.jar:"
    "/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar";

const report::ReportResources& resources() {
    static const report::ReportResources res = report::load_report_resources(test::definitions());
    return res;
}

std::vector<fs::path> example_files() {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(test::source_dir() / "examples")) {
        if (entry.path().extension() == ".json") {
            out.push_back(entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The assessment as an earlier visit of the same patient, for a progress report.
Comparison two_visits(const Assessment& a) {
    Assessment earlier = a;
    earlier.date = "2025-06-02";
    return compare_visits(test::definitions(), {earlier, a});
}

// What poppler and qpdf say about one file; empty when all is well.
std::vector<std::string> poppler_problems(const fs::path& pdf, const fs::path& scratch) {
    std::vector<std::string> out;
    const std::string quoted = test::shell_quote(pdf.string());
    const auto qpdf = test::run_command("qpdf --check " + quoted);
    if (qpdf.status != 0 || !qpdf.err.empty()) {
        out.push_back("qpdf --check: " + qpdf.err + qpdf.out);
    }
    const auto fonts = test::run_command("pdffonts " + quoted);
    std::istringstream lines(fonts.out);
    std::string line;
    int row = 0;
    int font_rows = 0;
    while (std::getline(lines, line)) {
        if (++row <= 2) {
            continue;  // the header and its underline
        }
        // name type... encoding emb sub uni object-id generation
        std::vector<std::string> words;
        std::istringstream in(line);
        for (std::string w; in >> w;) {
            words.push_back(w);
        }
        if (words.size() < 6) {
            continue;
        }
        ++font_rows;
        const auto n = words.size();
        if (words[n - 5] != "yes" || words[n - 4] != "yes" || words[n - 3] != "yes") {
            out.push_back("pdffonts: not embedded, subset and mapped to Unicode: " + line);
        }
    }
    if (fonts.status != 0 || !fonts.err.empty() || font_rows == 0) {
        out.push_back("pdffonts: " + fonts.err + " (" + std::to_string(font_rows) + " fonts)");
    }
    const auto text = test::run_command("pdftotext -enc UTF-8 " + quoted + " /dev/null");
    if (text.status != 0 || !text.err.empty()) {
        out.push_back("pdftotext: " + text.err);
    }
    const auto pages = test::run_command("pdftoppm -r 20 -png " + quoted + " " +
                                         test::shell_quote((scratch / "page").string()));
    if (pages.status != 0 || !pages.err.empty()) {
        out.push_back("pdftoppm: " + pages.err);
    }
    return out;
}

// PDFBox's preflight on all the files in one Java process (its "group" mode writes one XML
// report for a list of files): starting the JVM once costs about 1 s, validating a report
// about 0.1-0.3 s. Returns, for each file name that is not valid PDF/A-1b, its errors.
std::map<std::string, std::string> preflight(const std::vector<fs::path>& pdfs,
                                             const fs::path& dir) {
    const fs::path list = dir / "files.txt";
    {
        std::ofstream out(list);
        for (const auto& p : pdfs) {
            out << p.string() << "\n";
        }
    }
    const auto r = test::run_command(std::string("java -cp ") + kPreflightClassPath +
                                     " org.apache.pdfbox.preflight.Validator_A1b xml group " +
                                     test::shell_quote(list.string()));
    REQUIRE_MESSAGE(r.status == 0, (r.err + r.out));
    const fs::path xml_file = list.string() + ".preflight.xml";
    REQUIRE_MESSAGE(fs::exists(xml_file), (r.err + r.out));
    const std::string xml = read_text_file(xml_file);
    std::map<std::string, std::string> invalid;
    std::set<std::string> seen;
    const std::regex block("<preflight name=\"([^\"]*)\">([\\s\\S]*?)</preflight>");
    for (auto m = std::sregex_iterator(xml.begin(), xml.end(), block); m != std::sregex_iterator();
         ++m) {
        const std::string name = (*m)[1].str();
        const std::string body = (*m)[2].str();
        seen.insert(name);
        if (body.find("<isValid type=\"PDF/A1-b\">true</isValid>") == std::string::npos) {
            std::string errors;
            const std::regex error("<code>([^<]*)</code>\\s*<details>([^<]*)</details>");
            for (auto e = std::sregex_iterator(body.begin(), body.end(), error);
                 e != std::sregex_iterator(); ++e) {
                errors += (*e)[1].str() + " " + (*e)[2].str() + "\n";
            }
            invalid[name] = errors.empty() ? body.substr(0, 2000) : errors;
        }
    }
    for (const auto& p : pdfs) {
        if (!seen.count(p.filename().string())) {
            invalid[p.filename().string()] = "not in preflight's report";
        }
    }
    return invalid;
}

// qpdf's QDF form: every object on its own, streams uncompressed.
struct Qdf {
    std::string file;
    explicit Qdf(const fs::path& pdf) {
        const auto out = pdf.string() + ".qdf";
        REQUIRE(test::run_command("qpdf --qdf --object-streams=disable " +
                                  test::shell_quote(pdf.string()) + " " + test::shell_quote(out))
                    .status == 0);
        file = read_text_file(out);
        fs::remove(out);
    }
    std::string object(const std::string& id) const {
        const auto at = file.find("\n" + id + " 0 obj\n");
        REQUIRE(at != std::string::npos);
        return file.substr(at, file.find("\nendobj", at) - at);
    }
    std::string stream(const std::string& id) const {
        const std::string obj = object(id);
        const auto begin = obj.find("stream\n");
        REQUIRE(begin != std::string::npos);
        const auto end = obj.rfind("\nendstream");
        return obj.substr(begin + 7, end - begin - 7);
    }
    static std::string ref(const std::string& text, const std::string& key) {
        std::smatch m;
        REQUIRE(std::regex_search(text, m, std::regex(key + " (\\d+) 0 R")));
        return m[1].str();
    }
};

// For each CID font: its CIDSet's CIDs against the CIDs its CIDToGIDMap draws (and CID 0),
// and its CapHeight. Returns the fonts that differ; counts the fonts checked.
std::vector<std::string> font_descriptor_problems(const fs::path& pdf, int& fonts) {
    const Qdf q(pdf);
    std::vector<std::string> out;
    fonts = 0;
    // Plain searches, not std::regex: the QDF file holds the uncompressed font programs.
    const std::string key = "/CIDToGIDMap ";
    for (auto at = q.file.find(key); at != std::string::npos; at = q.file.find(key, at + 1)) {
        ++fonts;
        // The CIDFont: the object the reference is in (the last one opened before it).
        const auto obj = q.file.rfind(" 0 obj\n", at);
        REQUIRE(obj != std::string::npos);
        const auto line = q.file.rfind('\n', obj) + 1;
        const std::string font = q.object(q.file.substr(line, obj - line));
        const std::string map_id =
            q.file.substr(at + key.size(), q.file.find(' ', at + key.size()) - at - key.size());
        const std::string map = q.stream(map_id);
        const std::string descriptor = q.object(Qdf::ref(font, "/FontDescriptor"));
        std::smatch cap;
        if (!std::regex_search(descriptor, cap, std::regex("/CapHeight (\\d+)")) ||
            std::stoi(cap[1].str()) <= 0) {
            out.push_back("no CapHeight: " + descriptor.substr(0, 300));
        }
        if (descriptor.find("/CIDSet ") == std::string::npos) {
            out.push_back("no CIDSet: " + descriptor.substr(0, 300));
            continue;
        }
        const std::string bits = q.stream(Qdf::ref(descriptor, "/CIDSet"));
        std::set<unsigned> drawn{0};
        for (std::size_t cid = 0; 2 * cid + 1 < map.size(); ++cid) {
            if (map[2 * cid] != 0 || map[2 * cid + 1] != 0) {
                drawn.insert(static_cast<unsigned>(cid));
            }
        }
        std::set<unsigned> listed;
        for (std::size_t i = 0; i < bits.size(); ++i) {
            for (unsigned b = 0; b < 8; ++b) {
                if (static_cast<unsigned char>(bits[i]) & (0x80U >> b)) {
                    listed.insert(static_cast<unsigned>(8 * i + b));
                }
            }
        }
        if (drawn != listed) {
            out.push_back("the CIDSet lists " + std::to_string(listed.size()) +
                          " CIDs, the CIDToGIDMap draws " + std::to_string(drawn.size()));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("pdfa: every report of every example and of names in every script is valid PDF/A-1b") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    std::vector<fs::path> made;
    const report::ReportSettings settings{"Test clinic", "Dr Test", "1 Main Street\nTown"};
    const auto write_all = [&](const std::string& stem, const Assessment& a) {
        const Evaluation e = evaluate(defs, a);
        for (auto kind : {report::ReportKind::Referral, report::ReportKind::Handout}) {
            made.push_back(dir.path() / (stem + "-" + report::report_kind_id(kind) + ".pdf"));
            REQUIRE_NOTHROW(report::write_report(resources(), kind, a, e, settings, made.back()));
        }
        made.push_back(dir.path() / (stem + "-progress.pdf"));
        REQUIRE_NOTHROW(report::write_progress(resources(), two_visits(a), settings, made.back()));
    };
    for (const auto& file : example_files()) {
        auto parsed = assessment_from_json(test::read_json(file), defs);
        REQUIRE_MESSAGE(parsed.assessment, file.string());
        write_all(file.stem().string(), *parsed.assessment);
    }
    REQUIRE(made.size() >= 18);
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    int n = 0;
    for (const test::NameCase& name : test::names()) {
        a.patient.name = name.typed;
        a.notes = "Free text: " + name.typed;
        write_all("name" + std::to_string(++n), a);
    }

    const fs::path scratch = dir.path() / "pages";
    fs::create_directories(scratch);
    int fonts_checked = 0;
    for (const auto& pdf : made) {
        CAPTURE(pdf.filename().string());
        for (const auto& problem : poppler_problems(pdf, scratch)) {
            FAIL_CHECK(problem);
        }
        int fonts = 0;
        for (const auto& problem : font_descriptor_problems(pdf, fonts)) {
            FAIL_CHECK(problem);
        }
        CHECK(fonts >= 1);
        fonts_checked += fonts;
    }
    MESSAGE(made.size() << " reports, " << fonts_checked << " CID fonts checked");

    // A plain PDF in the same run shows that the validator and the reading of its report
    // do see a failure.
    report::ReportSettings plain = settings;
    plain.pdfa = false;
    const fs::path control = dir.path() / "control-plain.pdf";
    report::write_report(resources(), report::ReportKind::Referral, a, evaluate(defs, a), plain,
                         control);
    made.push_back(control);
    const auto started = std::chrono::steady_clock::now();
    auto invalid = preflight(made, dir.path());
    MESSAGE("PDFBox preflight on "
            << made.size() << " files in one Java process: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s");
    REQUIRE(invalid.count(control.filename().string()) == 1);
    CHECK(invalid[control.filename().string()].find("CIDSet") != std::string::npos);
    invalid.erase(control.filename().string());
    for (const auto& [file, errors] : invalid) {
        FAIL_CHECK(file << " is not valid PDF/A-1b:\n" << errors);
    }
    CHECK(invalid.empty());
}

TEST_CASE("pdfa: the metadata is generic, and the XMP says PDF/A-1b and repeats the Info") {
    const Definitions& defs = test::definitions();
    test::TempDir dir;
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    a.patient.name = "Zoë Unverwechselbar";
    const auto pdf = dir.path() / "referral.pdf";
    report::write_report(resources(), report::ReportKind::Referral, a, evaluate(defs, a),
                         {"Clinic", "Dr Test", ""}, pdf);
    const auto info = test::run_command("pdfinfo " + test::shell_quote(pdf.string()));
    const auto meta = test::run_command("pdfinfo -meta " + test::shell_quote(pdf.string()));
    REQUIRE(info.status == 0);
    REQUIRE(meta.status == 0);
    CHECK(info.out.find("Title:           Referral note\n") != std::string::npos);
    CHECK(info.out.find("Creator:         MyoScreen\n") != std::string::npos);
    CHECK(info.out.find("Producer:        Haru Free PDF Library 2.3.0\n") != std::string::npos);
    CHECK(meta.out.find("<rdf:li xml:lang=\"x-default\">Referral note</rdf:li>") !=
          std::string::npos);
    CHECK(meta.out.find("<xmp:CreatorTool>MyoScreen</xmp:CreatorTool>") != std::string::npos);
    CHECK(meta.out.find("<pdf:Producer>Haru Free PDF Library 2.3.0</pdf:Producer>") !=
          std::string::npos);
    CHECK(meta.out.find("<pdfaid:part>1</pdfaid:part>") != std::string::npos);
    CHECK(meta.out.find("<pdfaid:conformance>B</pdfaid:conformance>") != std::string::npos);
    for (const std::string& said : {info.out, meta.out}) {
        CHECK(said.find("Unverwechselbar") == std::string::npos);
        CHECK(said.find(a.patient.id) == std::string::npos);
    }
}

TEST_CASE(
    "pdfa: myoscreen-cli report is PDF/A by default; --pdfa off writes plain PDF that looks "
    "the same") {
    test::TempDir dir;
    const auto example = test::shell_quote(
        (test::source_dir() / "examples" / "v1_widespread_chronic.json").string());
    const auto cli = test::shell_quote(test::cli_path().string()) + " --forms " +
                     test::shell_quote(test::forms_dir().string()) + " report " + example;
    const auto pdfa = dir.path() / "pdfa.pdf";
    const auto plain = dir.path() / "plain.pdf";
    REQUIRE(test::run_command(cli + " -o " + test::shell_quote(pdfa.string())).status == 0);
    const auto off = test::run_command(cli + " --pdfa off -o " + test::shell_quote(plain.string()));
    REQUIRE_MESSAGE(off.status == 0, off.err);
    const std::string a = read_text_file(pdfa);
    const std::string b = read_text_file(plain);
    CHECK(a.find("/GTS_PDFA1") != std::string::npos);
    CHECK(a.find("/CIDSet") != std::string::npos);
    // DejaVu's OS/2 table has no cap height: the top of its "H", 1493 of 2048 units.
    CHECK(a.find("/CapHeight 729") != std::string::npos);
    CHECK(a.find("<pdfaid:part>1</pdfaid:part>") != std::string::npos);
    CHECK(b.find("/GTS_PDFA1") == std::string::npos);
    CHECK(b.find("/Metadata") == std::string::npos);
    MESSAGE("referral v1: " << a.size() << " bytes as PDF/A, " << b.size() << " plain");
    CHECK(a.size() < 60 * 1024);
    // The pages are the same pixels either way.
    for (const auto& p : {pdfa, plain}) {
        REQUIRE(test::run_command("pdftoppm -r 40 -png " + test::shell_quote(p.string()) + " " +
                                  test::shell_quote((dir.path() / p.stem()).string()))
                    .status == 0);
    }
    for (const char* page : {"-1.png", "-2.png"}) {
        CHECK(read_text_file(dir.path() / (std::string("pdfa") + page)) ==
              read_text_file(dir.path() / (std::string("plain") + page)));
    }
    const auto bad = test::run_command(cli + " --pdfa maybe -o " +
                                       test::shell_quote((dir.path() / "x.pdf").string()));
    CHECK(bad.status != 0);
    CHECK(!fs::exists(dir.path() / "x.pdf"));
}
