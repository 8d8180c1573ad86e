// The one input policy (core/text_input.hpp), the JSON reader's bounds and the capped,
// escaped problem lists (issue 10, classes 2 and 5).

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/assessment.hpp"
#include "core/dates.hpp"
#include "core/markup.hpp"
#include "core/text_input.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

const char* kDoc = R"({"format": "myoscreen.assessment", "version": 1,
 "patient": {"id": "P-1", "name": "NAME", "birth_date": "1970-05-06"},
 "date": "2026-11-20", "answers": {}})";

std::vector<std::string> problems_with_name(const std::string& json_name) {
    std::string text = kDoc;
    text.replace(text.find("NAME"), 4, json_name);
    std::vector<std::string> out;
    for (const auto& p : parse_assessment(text, test::definitions()).problems) {
        out.push_back(p.path + ": " + p.message);
    }
    return out;
}

}  // namespace

TEST_CASE("text input: NFC, invisible format characters removed, line breaks unified") {
    CHECK(normalize_text("Zoe\xCC\x88") == "Zo\xC3\xAB");  // e + U+0308 -> ë
    CHECK(normalize_text("A\u200Bn\u200Ca\u200D \u2060P\uFEFFop") == "Ana Pop");
    CHECK(normalize_text("\u202EPop\u202C \u2066x\u2069\u200E\u200F") == "Pop x");
    CHECK(normalize_text("Pop\u00ADescu") == "Popescu");
    CHECK(normalize_text("a\r\nb\rc\n") == "a\nb\nc\n");
    CHECK(normalize_text("Ștefan Țurcanu") == "Ștefan Țurcanu");
    CHECK(normalize_text(std::string("a\0b", 3)) == std::string("a\0b", 3));  // kept, refused
    CHECK(normalize_text("\xFF") == "\xFF");  // invalid UTF-8 is left for text_problem
}

TEST_CASE("text input: what is refused, with the character named and never echoed") {
    CHECK(max_chars(TextKind::kName) == 200);
    CHECK(max_chars(TextKind::kId) == 64);
    CHECK(max_chars(TextKind::kLine) == 500);
    CHECK(max_chars(TextKind::kAddress) == 500);
    CHECK(max_chars(TextKind::kFreeText) == 20000);
    for (const char* ok : {"Ștefan Țurcanu", "Nguyễn Thị Bằng", "Əliyev", "Әлихан Құнанбайұлы",
                           "Արամ", "ნინო", "שרה כהן", "محمد الأحمد", "Γιώργος", "王小明",
                           "山田 はなこ カタカナ", "김민준", "O'Brien-Smith, Jr.", "ＡＢＣ"}) {
        CAPTURE(ok);
        CHECK_FALSE(text_problem(ok, TextKind::kName));
    }
    CHECK(text_problem(std::string("a\0b", 3), TextKind::kName) ==
          "contains U+0000 (a NUL character), which is not allowed");
    CHECK(text_problem("a\x1B[31m", TextKind::kFreeText) ==
          "contains the control character U+001B, which is not allowed");
    CHECK(text_problem("a\nb", TextKind::kName) ==
          "contains U+000A (a line break), which is not allowed in a one-line field");
    CHECK_FALSE(text_problem("a\nb\tc", TextKind::kFreeText));
    CHECK_FALSE(text_problem("1 Main St\nTown", TextKind::kAddress));
    CHECK(text_problem("a\tb", TextKind::kId) ==
          "contains U+0009 (a tab), which is not allowed in a one-line field");
    CHECK(text_problem("देव", TextKind::kName) ==
          "contains U+0926 (Devanagari), which the reports cannot print");
    CHECK(text_problem("Ana \U0001F600", TextKind::kName) ==
          "contains U+1F600 (emoji or pictographs), which the reports cannot print");
    CHECK(text_problem("Ana \u0378", TextKind::kName) ==
          "contains U+0378 (Greek), which is not an assigned Unicode character");
    CHECK(text_problem("Ana \xC3", TextKind::kName).value_or("none") ==
          "is not valid UTF-8 text (byte 5)");
    CHECK(text_problem(std::string(201, 'n'), TextKind::kName) ==
          "is too long: 201 characters, at most 200");
    CHECK_FALSE(text_problem(std::string(200, 'n'), TextKind::kName));
    CHECK(text_problem(" P-1", TextKind::kId) == "must not begin or end with a space");
    CHECK_FALSE(text_problem(normalize_text("Nguye\u0302\u0303n"), TextKind::kName));
    CHECK(text_problem("Za\u0301\u0302\u0303\u0304\u0305lgo", TextKind::kName) ==
          "has more than 4 combining marks on one letter (U+0305 (Combining Diacritical Marks))");
    CHECK(is_printable_codepoint(U'A'));
    CHECK_FALSE(is_printable_codepoint(0x00AD));
    CHECK_FALSE(is_printable_codepoint(0x200B));
    CHECK_FALSE(is_printable_codepoint(0x10FFFF));
}

TEST_CASE("messages quote untrusted text escaped and short") {
    CHECK(quote_for_message("a\x1B[31mb\n") == "a\\u001B[31mb\\u000A");
    CHECK(quote_for_message("x\u202Ey") == "x\\u202Ey");
    CHECK(quote_for_message(std::string(100, 'k')) == std::string(80, 'k') + "...");
    CHECK(quote_for_message("\xFF") == "\uFFFD");
    Problem p{"/patient/name\x1B", "bad \x07 bell"};
    CHECK(format_problem("f\x1B.json", p) ==
          "f\\u001B.json: /patient/name\\u001B: bad \\u0007 bell");
}

TEST_CASE("reader: names are normalised on input and checked where imported") {
    CHECK(problems_with_name("Ana \\u001b[31mPop") ==
          std::vector<std::string>{
              "/patient/name: contains the control character U+001B, which is not allowed"});
    CHECK(problems_with_name("Ana\\u0000Pop") ==
          std::vector<std::string>{
              "/patient/name: contains U+0000 (a NUL character), which is not allowed"});
    CHECK(problems_with_name("देवनागरी").size() == 1);
    auto parsed = parse_assessment(
        std::string(kDoc).replace(std::string(kDoc).find("NAME"), 4, "Zoe\\u0308 \\u200bAk"),
        test::definitions());
    REQUIRE(parsed.assessment);
    CHECK(parsed.assessment->patient.name == "Zoë Ak");
}

TEST_CASE("reader: a visit after today is refused; today is the latest date on Earth") {
    ScopedToday today(Date{2026, 11, 20});
    CHECK(parse_assessment(kDoc, test::definitions()).problems.size() == 0);
    std::string text = std::string(kDoc).replace(std::string(kDoc).find("NAME"), 4, "Ana");
    text.replace(text.find("2026-11-20"), 10, "2026-11-21");
    auto parsed = parse_assessment(text, test::definitions());
    REQUIRE(parsed.problems.size() == 1);
    CHECK(parsed.problems[0].message ==
          "the visit date 2026-11-21 is in the future (a visit is recorded on or after the day "
          "it happens)");
}

TEST_CASE("reader: a stored document is read without the input policy, its text as stored") {
    // A record saved by an earlier version (a Devanagari name, a decomposed "e" + U+0308, a
    // visit dated ahead) must still open: refusing it would lock the clinic out of its data.
    ScopedToday today(Date{2026, 11, 20});
    std::string text = std::string(kDoc).replace(std::string(kDoc).find("NAME"), 4, "देव Zoe\u0308");
    text.replace(text.find("2026-11-20"), 10, "2026-11-21");
    CHECK(parse_assessment(text, test::definitions()).problems.size() == 2);
    auto stored = parse_assessment(text, test::definitions(), Origin::kStored);
    REQUIRE(stored.assessment);
    CHECK(stored.assessment->patient.name == "देव Zoe\xCC\x88");
    CHECK(stored.assessment->date == "2026-11-21");
    // Structure is still checked: a stored document with an unknown item is refused.
    std::string bad = std::string(kDoc).replace(std::string(kDoc).find("\"answers\": {}"), 13,
                                                "\"answers\": {\"nrs.nowx\": 1}");
    CHECK_FALSE(parse_assessment(bad, test::definitions(), Origin::kStored).assessment);
}

TEST_CASE("JSON: numbers that cannot be represented are refused, small and large alike") {
    auto message = [](const std::string& number) {
        auto p = parse_json("{\"a\": [1,\n " + number + "]}").problems;
        return p.empty() ? std::string("ok") : p[0].path + ": " + p[0].message;
    };
    CHECK(message("1e-400") ==
          "line 2, column 2: malformed JSON: the number 1e-400 is too small to represent");
    CHECK(message("-2.5E-330") ==
          "line 2, column 2: malformed JSON: the number -2.5E-330 is too small to represent");
    CHECK(message("1e400") ==
          "line 2, column 2: malformed JSON: the number 1e400 is too large to represent");
    CHECK(message("0e-400") == "ok");
    CHECK(message("0.000") == "ok");
    CHECK(message("2.2250738585072014e-308") == "ok");
}

TEST_CASE("JSON: many keys parse in order, repeats are found, raw control bytes not echoed") {
    std::string text = "{";
    for (int i = 0; i < 50000; ++i) {
        text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    }
    text += "}";
    auto parsed = parse_json(text);
    REQUIRE(parsed.value);
    CHECK(parsed.value->size() == 50000);
    CHECK(parsed.value->begin().key() == "k0");
    CHECK((*parsed.value)["k49999"] == 49999);
    auto dup = parse_json(R"({"a": {"b": 1, "b": [2]}, "c": 3})");
    CHECK_FALSE(dup.value);
    REQUIRE(dup.problems.size() == 1);
    CHECK(dup.problems[0].path == "/a/b");
    auto raw = parse_json("{\"a\": \"x\x1B[2Jy\"}");
    REQUIRE(raw.problems.size() == 1);
    CHECK(raw.problems[0].message.find('\x1B') == std::string::npos);
    CHECK(raw.problems[0].message.find("\\u001B") != std::string::npos);
}

TEST_CASE("assessment files: size refused before reading; a directory is named") {
    auto dir = std::filesystem::temp_directory_path() / "myoscreen-bound-test";
    std::filesystem::create_directories(dir);
    auto big = dir / "big.json";
    {
        std::ofstream out(big, std::ios::binary);
        out << "[" << std::string(kMaxAssessmentBytes, ' ') << "]";
    }
    try {
        read_assessment_file(big.string(), test::definitions());
        FAIL("read a file over the limit");
    } catch (const AssessmentError& e) {
        CHECK(e.lines() == big.string() +
                               ": /: is larger than 1024 KiB, the most an assessment file may "
                               "hold; it is not an assessment\n");
    }
    try {
        read_assessment_file(dir.string(), test::definitions());
        FAIL("read a directory");
    } catch (const AssessmentError& e) {
        CHECK(e.lines() == dir.string() + ": /: is a directory, not an assessment file\n");
    }
    try {
        read_assessment_file("/dev/zero", test::definitions());
        FAIL("read /dev/zero");
    } catch (const AssessmentError& e) {
        CHECK(e.lines().find("is larger than 1024 KiB") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("problem lists print at most 30 lines and say how many more") {
    std::vector<Problem> many;
    for (int i = 0; i < 45; ++i) {
        many.push_back({"/" + std::to_string(i), "bad"});
    }
    AssessmentError e("f.json", many);
    std::string lines = e.lines();
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 31);
    CHECK(lines.substr(lines.rfind("f.json")) == "f.json: ... and 15 more problems\n");
}

TEST_CASE("markup: a name with & < > \" stays text in the summary page's HTML and the XMP") {
    CHECK(myo::escape_markup("Smith & <Sons> \"GP\"") == "Smith &amp; &lt;Sons&gt; &quot;GP&quot;");
    // Everything else passes unchanged, UTF-8 included (the letters of every script).
    CHECK(myo::escape_markup("Zoë Åkesson-Núñez 王 O'Brien") == "Zoë Åkesson-Núñez 王 O'Brien");
    CHECK(myo::escape_markup("").empty());
}
