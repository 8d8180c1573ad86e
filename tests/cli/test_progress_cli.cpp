// compare, baseline and export --csv (issue 6) as a user runs them against a database.

#include <doctest/doctest.h>

#include <fstream>

#include "support/test_support.hpp"

using namespace myo;

namespace {

struct Db {
    test::TempDir dir;
    std::string db = (dir.path() / "m.db").string();

    test::CommandResult cli(const std::string& args) const {
        return test::run_command(test::shell_quote(test::cli_path().string()) + " --db " +
                                 test::shell_quote(db) + " " + args);
    }

    // Stores a visit of the desk-worker vignette with the given date and answers changed.
    void visit(const std::string& date, const Json& changes) {
        Json doc = test::read_json(test::source_dir() / "examples" / "v5_desk_trapezius.json");
        doc["date"] = date;
        doc["kind"] = date == "2026-01-05" ? "initial" : "follow_up";
        for (const auto& [k, v] : changes.items()) {
            doc["answers"][k] = v;
        }
        auto file = dir.path() / (date + ".json");
        std::ofstream(file) << doc.dump(1);
        REQUIRE(cli("import " + test::shell_quote(file.string())).status == 0);
    }
};

}  // namespace

TEST_CASE("compare: JSON and text of a physiotherapy series") {
    Db d;
    d.visit("2026-01-05", Json{{"nrs_now", 6}, {"ppt.trapezius_l", 2.1}});
    d.visit("2026-02-05", Json{{"nrs_now", 5}, {"ppt.trapezius_l", 2.3}});
    d.visit(
        "2026-03-05",
        Json{{"nrs_now", 3},
             {"ppt.trapezius_l", 2.6},
             {"psfs",
              Json::array({Json{{"activity", "working at the computer for 2 h"}, {"score", 7}}})}});
    auto r = d.cli("compare --patient V5");
    REQUIRE(r.status == 0);
    Json j = *parse_json(r.out).value;
    CHECK(j["format"] == "myoscreen.comparison");
    CHECK(j["visits"].size() == 3);
    CHECK(j["baseline"]["date"] == "2026-01-05");
    CHECK(j["latest"]["date"] == "2026-03-05");
    Json nrs = j["measures"][0];
    CHECK(nrs["id"] == "nrs_now");
    CHECK(nrs["change_from_baseline"]["absolute"] == -3);
    CHECK(nrs["change_from_baseline"]["important"] == true);
    CHECK(nrs["change_from_previous"]["absolute"] == -2);
    bool psfs_seen = false;
    for (const auto& m : j["measures"]) {
        if (m["id"] == "psfs:working at the computer for 2 h") {
            psfs_seen = true;
            CHECK(m["change_from_baseline"]["absolute"] == 3);
            CHECK(m["change_from_baseline"]["important"] == true);
        }
        if (m["id"] == "ppt.trapezius_l") {
            CHECK(m["change_from_baseline"]["direction"] == "better");
            CHECK(m["change_from_baseline"]["important"] == true);
        }
    }
    CHECK(psfs_seen);
    auto text = d.cli("compare --patient V5 --format text");
    REQUIRE(text.status == 0);
    CHECK(text.out.find("Pain now (NRS)") != std::string::npos);
    CHECK(text.out.find("since baseline: -3 (-50 %), better, clinically important") !=
          std::string::npos);
}

TEST_CASE("baseline: marking another visit changes the comparison") {
    Db d;
    d.visit("2026-01-05", Json{{"nrs_now", 2}});
    d.visit("2026-02-05", Json{{"nrs_now", 8}});
    d.visit("2026-03-05", Json{{"nrs_now", 5}});
    auto marked = d.cli("baseline --patient V5 --assessment 2");
    REQUIRE(marked.status == 0);
    CHECK(marked.out == "baseline of V5: the visit of assessment 2\n");
    Json j = *parse_json(d.cli("compare --patient V5").out).value;
    CHECK(j["baseline"]["date"] == "2026-02-05");
    CHECK(j["baseline"]["marked"] == true);
    CHECK(j["measures"][0]["change_from_baseline"]["direction"] == "better");
    CHECK(d.cli("baseline --patient V5 --first").status == 0);
    CHECK((*parse_json(d.cli("compare --patient V5").out).value)["baseline"]["date"] ==
          "2026-01-05");
    CHECK(d.cli("baseline --patient V5 --assessment 3").status == 0);
    auto latest = d.cli("compare --patient V5");
    CHECK(latest.status == 2);
    CHECK(latest.err.find("the baseline must be a visit before the latest one") !=
          std::string::npos);
}

TEST_CASE("compare: refusals") {
    Db d;
    d.visit("2026-01-05", Json{{"nrs_now", 2}});
    auto one = d.cli("compare --patient V5");
    CHECK(one.status == 2);
    CHECK(one.out.empty());
    CHECK(one.err.find("a comparison needs two or more") != std::string::npos);
    CHECK(d.cli("compare --patient NOBODY").status == 2);
    CHECK(d.cli("baseline --patient V5").status == 2);
}

TEST_CASE("export --csv: a patient's measures over time") {
    Db d;
    d.visit("2026-01-05", Json{{"nrs_now", 6}});
    d.visit("2026-02-05", Json{{"nrs_now", 4}});
    auto r = d.cli("export --patient V5 --csv");
    REQUIRE(r.status == 0);
    CHECK(r.out.starts_with("patient_id,date,kind,nrs_now,"));
    CHECK(r.out.find("\r\nV5,2026-01-05,initial,6,") != std::string::npos);
    CHECK(r.out.find("\r\nV5,2026-02-05,follow_up,4,") != std::string::npos);
    auto file = d.cli("export --patient V5 --csv --out " +
                      test::shell_quote((d.dir.path() / "out").string()));
    REQUIRE(file.status == 0);
    CHECK(file.out == (d.dir.path() / "out" / "V5_measures.csv").string() + "\n");
    CHECK(read_text_file(d.dir.path() / "out" / "V5_measures.csv") == r.out);
    CHECK(d.cli("export --patient V5 --csv --out " +
                test::shell_quote((d.dir.path() / "out").string()))
              .status == 2);
    CHECK(d.cli("export --assessment 1 --csv").status == 2);
}
