// The hostile-input corpus (tests/data/hostile, written by make_corpus.py), replayed: each
// file is read as `evaluate FILE` reads it and must end exactly as its .expected says, either
// "ok" (accepted) or the whole error text (what the CLI prints, "<file>" for the path). The
// classes: scripts (what prints or is refused where imported), control (control characters,
// never echoed raw), size (every limit, capped error lists, numbers out of range).
// MYOSCREEN_WRITE_EXPECTED=1 writes missing expectations, to be reviewed before committing.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/assessment.hpp"
#include "core/dates.hpp"
#include "support/test_support.hpp"

using namespace myo;
namespace fs = std::filesystem;

namespace {

std::string outcome(const fs::path& file) {
    try {
        Assessment a = read_assessment_file(file.string(), test::definitions());
        // Accepted text is stored normalised and reads back identically.
        std::string once = write_assessment(a);
        auto again = parse_assessment(once, test::definitions());
        if (!again.assessment || write_assessment(*again.assessment) != once) {
            return "accepted, but does not read back identically\n";
        }
        return "ok\n";
    } catch (const AssessmentError& e) {
        std::string text = e.lines();
        const std::string name = file.string();
        for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
            text.replace(at, name.size(), "<file>");
        }
        return text;
    }
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("hostile corpus: every input ends as expected, and no message holds a control byte") {
    ScopedToday today(Date{2026, 12, 2});
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(test::data_dir() / "hostile")) {
        if (e.path().extension() == ".json") {
            files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 60);
    std::size_t accepted = 0;
    for (const auto& file : files) {
        CAPTURE(file.parent_path().filename().string() + "/" + file.filename().string());
        std::string got = outcome(file);
        fs::path expected_file = fs::path(file).replace_extension(".expected");
        if (!fs::exists(expected_file) && std::getenv("MYOSCREEN_WRITE_EXPECTED")) {
            std::ofstream(expected_file, std::ios::binary) << got;
        }
        REQUIRE(fs::exists(expected_file));
        CHECK(got == slurp(expected_file));
        // Never a raw control character (ESC, BEL, CR...) on the terminal; newlines end lines.
        CHECK(std::none_of(got.begin(), got.end(), [](char c) {
            auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\n') || u == 0x7F;
        }));
        // At most a few dozen lines, each short enough to read.
        CHECK(std::count(got.begin(), got.end(), '\n') <= 31);
        for (std::size_t start = 0, end; (end = got.find('\n', start)) != std::string::npos;
             start = end + 1) {
            CHECK(end - start < 1000);
        }
        accepted += got == "ok\n";
    }
    MESSAGE(files.size() << " hostile inputs, " << accepted << " accepted");
}
