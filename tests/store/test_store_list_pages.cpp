// Issue 12: `myoscreen-cli list` shows a page (50 by default, in name order) and says how many
// patients there are and how to see the rest; --all, --limit and --offset for scripts.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>

#include "core/json_util.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using namespace myo;
using myo::test::cli;

namespace {

// 120 patients "Pat Sample 000".."119" (ids Q000..Q119), stored in a shuffled order.
fs::path make_store(const test::TestDatabase& database) {
    fs::path db = database.target();
    store::Store s(db, test::definitions());
    std::vector<int> order(120);
    for (int i = 0; i < 120; ++i) {
        order[static_cast<std::size_t>(i)] = (i * 37) % 120;
    }
    for (int i : order) {
        char id[8];
        std::snprintf(id, sizeof id, "%03d", i);
        s.add_patient(
            {std::string("Q") + id, std::string("Pat Sample ") + id, "1970-01-01", std::nullopt});
    }
    return db;
}

std::size_t lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST_CASE("cli list: a page of 50 by name, how many more, and the next pages") {
    test::TestDatabase database("pages.db");
    fs::path db = make_store(database);

    auto r = cli(db, {"list"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 50 + 1);
    CHECK(r.out.find("\nQ000  Pat Sample 000") != std::string::npos);
    CHECK(r.out.find("\nQ049  Pat Sample 049") != std::string::npos);
    CHECK(r.out.find("Q050") == std::string::npos);
    CHECK(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1) ==
          "Patients 1-50 of 120, by name. Next page: --offset 50; every one: --all; or find one "
          "with --search NAME.\n");

    r = cli(db, {"list", "--offset", "100"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 20 + 1);
    CHECK(r.out.find("\nQ100  ") != std::string::npos);
    CHECK(r.out.find("\nQ119  ") != std::string::npos);
    CHECK(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1) ==
          "Patients 101-120 of 120, by name.\n");

    r = cli(db, {"list", "--limit", "10", "--offset", "5"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 10 + 1);
    CHECK(r.out.find("\nQ005  ") != std::string::npos);
    CHECK(r.out.find("\nQ014  ") != std::string::npos);
    CHECK(r.out.find("Q015") == std::string::npos);
    CHECK(r.out.find("Patients 6-15 of 120, by name. Next page: --offset 15;") !=
          std::string::npos);

    r = cli(db, {"list", "--all"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 120);  // every patient, no note

    r = cli(db, {"list", "--offset", "500"});
    CHECK(r.status == 0);
    CHECK(r.out == "No patient at --offset 500: there are 120 patients.\n");

    // A search pages too, and says what it matched.
    r = cli(db, {"list", "--search", "sample", "--limit", "10"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 10 + 1);
    CHECK(r.out.find("Patients 1-10 of 120 matching \"sample\". Next page: --offset 10; every "
                     "one: --all.\n") != std::string::npos);
    // Every match of a search is in name order, and --offset counts in that order.
    r = cli(db, {"list", "--search", "sample", "--all", "--offset", "115"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 5 + 1);
    CHECK(r.out.find("\nQ115  ") != std::string::npos);
    CHECK(r.out.find("\nQ119  ") != std::string::npos);
    CHECK(r.out.find("Patients 116-120 of 120 matching \"sample\".\n") != std::string::npos);
    // A search that fits on the page is in name order, with no note.
    r = cli(db, {"list", "--search", "11"});
    CHECK(r.status == 0);
    CHECK(lines(r.out) == 1 + 10);
    CHECK(r.out.find("Q110") < r.out.find("Q119"));
}

TEST_CASE("cli list: JSON is one whole document; --all makes it complete") {
    test::TestDatabase database("pages.db");
    fs::path db = make_store(database);
    auto r = cli(db, {"list", "--format", "json"});
    CHECK(r.status == 0);
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    CHECK(parsed.value->size() == 50);
    CHECK(r.err.find("myoscreen-cli: note: Patients 1-50 of 120, by name.") == 0);

    r = cli(db, {"list", "--format", "json", "--all"});
    CHECK(r.status == 0);
    parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    CHECK(parsed.value->size() == 120);
    CHECK(r.err.empty());
}

TEST_CASE("cli list: --limit and --offset refuse what is not a whole number in range") {
    test::TestDatabase database("pages.db");
    fs::path db = make_store(database);
    for (const auto& [option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--limit", "-5"},
                                                          {"--limit", "0"},
                                                          {"--limit", "abc"},
                                                          {"--limit", "1.5"},
                                                          {"--offset", "-1"},
                                                          {"--offset", "ten"}}) {
        CAPTURE(option);
        CAPTURE(value);
        auto r = cli(db, {"list", option, value});
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(option) != std::string::npos);
    }
    auto r = cli(db, {"list", "--limit", "-5"});
    CHECK(r.err.rfind("myoscreen-cli: --limit: must be a whole number, 1 or more (not \"-5\")\n",
                      0) == 0);
    r = cli(db, {"list", "--offset", "ten"});
    CHECK(r.err.rfind("myoscreen-cli: --offset: must be a whole number, 0 or more (not \"ten\")\n",
                      0) == 0);
    // A control character typed into the value is quoted as an escape, never sent to the terminal.
    r = cli(db, {"list", "--limit", "5\x1b[31m"});
    CHECK(r.err.find("(not \"5\\u001B[31m\")") != std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
    r = cli(db, {"list", "--all", "--limit", "5"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--all") != std::string::npos);
}
