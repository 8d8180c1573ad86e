// forms/bodychart.json and its loader (core/bodychart.hpp): what the PDF draws and the GUI
// hit-tests, so both always show the same body.

#include <doctest/doctest.h>

#include <fstream>

#include "core/bodychart.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

const BodyChart& chart() {
    static const BodyChart c =
        load_body_chart_file(test::forms_dir() / "bodychart.json", test::definitions().form);
    return c;
}

ChartPoint centre(const ChartSite& s) {
    return s.at;
}

std::vector<Problem> problems_of(const Json& doc) {
    std::vector<Problem> problems;
    load_body_chart(doc, test::definitions().form, problems);
    return problems;
}

bool has_problem(const std::vector<Problem>& problems, const std::string& path,
                 const std::string& fragment) {
    for (const auto& p : problems) {
        if (p.path == path && p.message.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("bodychart: all 19 WPI areas and 18 tender points, front and back") {
    const BodyChart& c = chart();
    REQUIRE(c.views.size() == 2);
    CHECK(c.views[0].id == "front");
    CHECK(c.views[1].id == "back");
    CHECK(c.aspect == doctest::Approx(0.5));
    CHECK(c.areas.size() == 19);
    std::size_t tender = 0;
    for (const auto& s : c.sites) {
        tender += s.id.rfind("tp.", 0) == 0 ? 1U : 0U;
    }
    CHECK(tender == 18);
    CHECK(c.find_site("ppt.tibialis_anterior_l"));
    CHECK(c.find_site("ppt.tibialis_anterior_r"));
    // PPT at a tender-point site is drawn at that site.
    REQUIRE(c.find_site("ppt.trapezius_l"));
    CHECK(c.find_site("ppt.trapezius_l")->id == "tp.trapezius_l");
    for (const auto& item : test::definitions().form.items) {
        if (item.group == "wpi") {
            CHECK_MESSAGE(c.find_area(item.id), item.id);
        }
    }
    // Chest and abdomen only on the front, the back areas only on the back.
    for (const char* id : {"wpi.chest", "wpi.abdomen", "wpi.jaw_l"}) {
        for (const auto& shape : c.find_area(id)->shapes) {
            CHECK(shape.view == 0);
        }
    }
    for (const char* id : {"wpi.upper_back", "wpi.lower_back"}) {
        for (const auto& shape : c.find_area(id)->shapes) {
            CHECK(shape.view == 1);
        }
    }
}

TEST_CASE(
    "bodychart: the patient's left is the viewer's right in front, the viewer's left behind") {
    const BodyChart& c = chart();
    CHECK(c.find_site("tp.second_rib_l")->at.x > 0.5);  // front
    CHECK(c.find_site("tp.second_rib_r")->at.x < 0.5);
    CHECK(c.find_site("tp.occiput_l")->at.x < 0.5);  // back
    CHECK(c.find_site("tp.occiput_r")->at.x > 0.5);
    // Thighs: a click at the viewer's right of the front view is the patient's left thigh.
    const auto* front_right = c.area_at(0, {0.6, 0.63});
    const auto* back_right = c.area_at(1, {0.6, 0.63});
    REQUIRE(front_right);
    REQUIRE(back_right);
    CHECK(front_right->id == "wpi.upper_leg_l");
    CHECK(back_right->id == "wpi.upper_leg_r");
}

TEST_CASE("bodychart: hit tests find areas and the nearest site; areas do not overlap") {
    const BodyChart& c = chart();
    CHECK(c.area_at(0, {0.5, 0.3})->id == "wpi.chest");
    CHECK(c.area_at(1, {0.5, 0.3})->id == "wpi.upper_back");
    CHECK(c.area_at(0, {0.02, 0.02}) == nullptr);  // outside the body
    for (const auto& s : c.sites) {
        const auto* hit = c.nearest_site(s.view, centre(s), 0.02);
        REQUIRE(hit);
        CHECK(hit->id == s.id);
        // Every tender point lies inside the body outline of its view.
        bool inside = false;
        for (const auto& outline : c.views[s.view].outlines) {
            inside = inside || polygon_contains(outline, s.at);
        }
        CHECK_MESSAGE(inside, s.id);
    }
    CHECK(c.nearest_site(0, {0.02, 0.02}, 0.03) == nullptr);
    // A point deep inside one area's shape belongs to that area only.
    for (const auto& area : c.areas) {
        for (const auto& shape : area.shapes) {
            ChartPoint mean{0, 0};
            for (const auto& p : shape.polygon) {
                mean.x += p.x / static_cast<double>(shape.polygon.size());
                mean.y += p.y / static_cast<double>(shape.polygon.size());
            }
            if (!polygon_contains(shape.polygon, mean)) {
                continue;  // a concave shape's mean may fall outside it
            }
            int owners = 0;
            for (const auto& other : c.areas) {
                for (const auto& s2 : other.shapes) {
                    owners += s2.view == shape.view && polygon_contains(s2.polygon, mean) ? 1 : 0;
                }
            }
            CHECK_MESSAGE(owners == 1, area.id);
        }
    }
}

TEST_CASE("bodychart: problems are reported with their JSON paths") {
    Json doc = test::read_json(test::forms_dir() / "bodychart.json");
    SUBCASE("an id that is not a form item") {
        doc["areas"][0]["id"] = "wpi.elbow_l";
        CHECK(has_problem(problems_of(doc), "/areas/0/id", "not an item of the form"));
    }
    SUBCASE("a missing tender point") {
        Json sites = Json::array();
        for (const auto& s : doc["sites"]) {
            if (s["id"] != "tp.knee_r") {
                sites.push_back(s);
            }
        }
        doc["sites"] = sites;
        CHECK(has_problem(problems_of(doc), "/sites", "\"tp.knee_r\" is missing"));
    }
    SUBCASE("a point outside the view") {
        doc["sites"][2]["at"] = Json::array({1.5, 0.2});
        CHECK(has_problem(problems_of(doc), "/sites/2/at", "outside 0..1"));
    }
    SUBCASE("an unknown view") {
        doc["areas"][3]["shapes"][0]["view"] = "side";
        CHECK(has_problem(problems_of(doc), "/areas/3/shapes/0/view", "unknown view"));
    }
    SUBCASE("a non-body-chart item") {
        doc["sites"][0]["id"] = "nrs_now";
        CHECK(has_problem(problems_of(doc), "/sites/0/id", "not a body-chart item"));
    }
    SUBCASE("the file form of the error") {
        test::TempDir dir;
        const auto file = dir.path() / "bodychart.json";
        {
            std::ofstream out(file);
            out << "{\"aspect\": 0.5, \"views\": [], \"areas\": [], \"sites\": [}";
        }
        try {
            load_body_chart_file(file, test::definitions().form);
            FAIL("no error");
        } catch (const DefinitionError& e) {
            CHECK(e.lines().rfind(file.string() + ": line 1", 0) == 0);
        }
    }
}
