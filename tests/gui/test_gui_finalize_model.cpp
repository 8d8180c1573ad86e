// Issue 11, without windows: Finalize cannot sign off a refused value or hide what is
// missing, the pain map's "not recorded" versus "no painful areas", and what a follow-up
// starts with. The editor only mirrors these (tests/gui/test_gui_finalize.cpp drives it).

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/describe.hpp"
#include "core/evaluation.hpp"
#include "gui/model/assessment_model.hpp"
#include "support/test_support.hpp"

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;

namespace {

Assessment blank_visit() {
    Assessment a;
    a.patient = {"P-1", "Zoë Åkesson-Núñez", "1968-04-02", "female"};
    a.date = "2026-11-20";
    a.kind = "initial";
    return a;
}

bool has_line_starting(const std::vector<std::string>& lines, const std::string& start) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.rfind(start, 0) == 0; });
}

}  // namespace

TEST_CASE("finalize: a refused value stays with its field and blocks Finalize") {
    AssessmentModel m(definitions(), blank_visit());
    REQUIRE(m.set_answer_text("nrs_now", "1") == std::nullopt);
    // "1" then "12": refused, the 1 is not kept, and the model remembers what was typed.
    auto msg = m.set_answer_text("nrs_now", "12");
    REQUIRE(msg.has_value());
    CHECK(*msg == "Expected an integer 0..10, got 12.");
    CHECK(m.answer("nrs_now") == nullptr);
    REQUIRE(m.refused("nrs_now") != nullptr);
    CHECK(m.refused("nrs_now")->text == "12");
    CHECK(m.refused("nrs_now")->label == "Pain now (NRS)");
    CHECK(m.refused("nrs_now")->step == "history");
    CHECK(m.field_text("nrs_now") == "12");
    FinalizeCheck c = m.finalize_check();
    CHECK(c.blocked());
    REQUIRE(c.refused.size() == 1);
    CHECK(c.refused[0].field == "nrs_now");
    CHECK(c.refused[0].message == *msg);
    // Corrected: nothing blocks, the value is the answer.
    CHECK(m.set_answer_text("nrs_now", "7") == std::nullopt);
    CHECK(m.refused("nrs_now") == nullptr);
    CHECK(m.field_text("nrs_now") == "7");
    CHECK_FALSE(m.finalize_check().blocked());
    // Cleared: nothing blocks either.
    m.set_answer_text("nrs_now", "seven");
    CHECK(m.finalize_check().blocked());
    m.set_answer_text("nrs_now", "");
    CHECK_FALSE(m.finalize_check().blocked());
}

TEST_CASE("finalize: every kind of typed field blocks it the same way") {
    ScopedToday today(Date{2026, 11, 20});
    AssessmentModel m(definitions(), blank_visit());
    CHECK(m.set_answer_text("exam.weight_kg", "900").has_value());     // num
    CHECK(m.set_visit_date("2026-02-30").has_value());                 // date
    CHECK(m.set_notes(std::string("bad \x1B[31m note")).has_value());  // text
    std::vector<Json> psfs = {Json{{"activity", "Climbing stairs"}, {"score", 12}}};
    CHECK(m.set_list_entries("psfs", psfs).has_value());  // list entry
    std::vector<std::string> fields;
    for (const auto& r : m.finalize_check().refused) {
        fields.push_back(r.field);
    }
    // The visit date first, then form order, then the notes (the summary page).
    CHECK(fields ==
          std::vector<std::string>{kVisitDateField, "exam.weight_kg", "psfs", kNotesField});
    CHECK(m.assessment().date == "2026-11-20");
    CHECK_FALSE(m.assessment().notes.has_value());
    CHECK(m.answer("psfs") == nullptr);
    // The list keeps the entry as typed, for the clinician to correct.
    CHECK(m.list_entries("psfs") == psfs);
    psfs[0]["score"] = 4;
    CHECK(m.set_list_entries("psfs", psfs) == std::nullopt);
    CHECK(m.refused("psfs") == nullptr);
    REQUIRE(m.answer("psfs") != nullptr);
    CHECK(m.answer("psfs")->size() == 1);
}

TEST_CASE("fields that appear: a refused value elsewhere stays; a hidden field holds none") {
    AssessmentModel m(definitions(), blank_visit());
    REQUIRE(m.set_answer_text("exam.weight_kg", "900").has_value());
    CHECK_FALSE(m.is_visible("exam.weight_prev_months"));
    REQUIRE(m.set_answer_text("exam.weight_prev_kg", "91") == std::nullopt);
    CHECK(m.is_visible("exam.weight_prev_months"));
    // The field that appeared changed nothing in the refused one.
    REQUIRE(m.refused("exam.weight_kg") != nullptr);
    CHECK(m.field_text("exam.weight_kg") == "900");
    // A refused value in a field that is hidden again cannot be corrected: it goes with it.
    REQUIRE(m.set_answer_text("exam.weight_prev_months", "99").has_value());
    m.set_answer_text("exam.weight_prev_kg", "");
    CHECK_FALSE(m.is_visible("exam.weight_prev_months"));
    CHECK(m.refused("exam.weight_prev_months") == nullptr);
    CHECK(m.refused("exam.weight_kg") != nullptr);
}

TEST_CASE("finalize: the confirmation lists unscreened red flags, duration and pain map") {
    AssessmentModel m(definitions(), blank_visit());
    FinalizeCheck c = m.finalize_check();
    CHECK_FALSE(c.blocked());
    CHECK_FALSE(c.complete());
    // The same source as the summary and the PDF: core's unscreened questions, by their text.
    CHECK(c.unscreened == unscreened_questions(definitions(), m.evaluation()));
    CHECK(c.unscreened.size() == m.red_flag_items().size());
    CHECK(c.unscreened.front() == m.red_flag_items().front()->label);
    CHECK(has_line_starting(c.not_recorded, "Duration of the current pain: not recorded"));
    CHECK(has_line_starting(c.not_recorded, "Pain map: not recorded"));
    CHECK(has_line_starting(c.not_recorded, "Symptoms: 0 of "));

    // Answering a question removes it by name; "unknown" is still not screened.
    const ItemDef* first = m.red_flag_items().front();
    REQUIRE(m.set_red_flag_key(first->id, 'u') == std::nullopt);
    CHECK(m.finalize_check().unscreened.front() == first->label);
    REQUIRE(m.set_red_flag_key(first->id, 'n') == std::nullopt);
    c = m.finalize_check();
    CHECK(c.unscreened.size() == m.red_flag_items().size() - 1);
    CHECK(std::find(c.unscreened.begin(), c.unscreened.end(), first->label) == c.unscreened.end());

    for (const ItemDef* rf : m.red_flag_items()) {
        REQUIRE(m.set_red_flag_key(rf->id, 'n') == std::nullopt);
    }
    REQUIRE(m.set_answer_text("duration_weeks", "20") == std::nullopt);
    m.record_no_painful_areas();
    c = m.finalize_check();
    CHECK(c.unscreened.empty());
    CHECK_FALSE(has_line_starting(c.not_recorded, "Duration"));
    CHECK_FALSE(has_line_starting(c.not_recorded, "Pain map"));
}

TEST_CASE("pain map: 'No painful areas' is WPI 0 and ACR 2016 not met; untouched is not recorded") {
    AssessmentModel m(definitions(), blank_visit());
    REQUIRE(m.set_answer_text("duration_weeks", "20") == std::nullopt);
    CHECK_FALSE(m.pain_map_recorded());
    CHECK(m.live().wpi == "pain map not recorded");
    CHECK_FALSE(m.evaluation().acr2016.wpi.has_value());
    CHECK_FALSE(m.evaluation().acr2016.met.has_value());  // not known, never "not met"

    m.record_no_painful_areas();
    CHECK(m.pain_map_recorded());
    CHECK(m.painful_areas() == 0);
    for (const auto& id : definitions().rules.acr2016.wpi_items) {
        REQUIRE(m.answer(id) != nullptr);
        CHECK(*m.answer(id) == false);
    }
    CHECK(m.evaluation().acr2016.wpi == std::optional<int>(0));
    CHECK(m.evaluation().acr2016.met == std::optional<bool>(false));
    CHECK(m.live().wpi == "0 of 19");
    CHECK(m.step("pain_map").status == StepStatus::Complete);
    CHECK(m.step("pain_map").note.empty());

    // Back to not recorded only by the explicit action.
    m.clear_pain_map();
    CHECK_FALSE(m.pain_map_recorded());
    CHECK(m.step("pain_map").note == "not recorded");
    CHECK_FALSE(m.evaluation().acr2016.wpi.has_value());

    // Marking an area and taking it back off leaves a recorded map with no pain, not
    // "not recorded" (the editor records false when an area is unticked).
    REQUIRE(m.set_answer("wpi.neck", true) == std::nullopt);
    REQUIRE(m.set_answer("wpi.neck", false) == std::nullopt);
    CHECK(m.pain_map_recorded());
    CHECK(m.evaluation().acr2016.wpi == std::optional<int>(0));
}

TEST_CASE("follow-up: duration, previous weight and the PSFS activities come from the last visit") {
    ScopedToday today(Date{2027, 1, 15});
    Assessment last = blank_visit();  // 2026-11-20
    last.answers["duration_weeks"] = 5;
    last.answers["exam.weight_kg"] = 84.5;
    last.answers["exam.weight_prev_kg"] = 91;  // the visit before: not this one's business
    last.answers["psfs"] = Json::array({Json{{"activity", "Climbing stairs"}, {"score", 4}},
                                        Json{{"activity", "Lifting my grandson"}, {"score", 2}}});
    Assessment f = follow_up_from(last, "2027-01-15");
    // 56 days later: 5 weeks then, 8 since.
    CHECK(f.answers.at("duration_weeks") == 13);
    CHECK(f.answers.at("exam.weight_prev_kg") == 84.5);
    CHECK(f.answers.at("exam.weight_prev_months") == 1);  // 15 January is not yet 2 months
    CHECK_FALSE(f.answers.contains("exam.weight_kg"));
    CHECK_FALSE(f.answers.contains("psfs"));  // no score yet: not an answer
    CHECK(validate_assessment(f, definitions()).empty());

    auto entries = follow_up_list_entries(last);
    REQUIRE(entries.count("psfs") == 1);
    CHECK(entries["psfs"] == std::vector<Json>{Json{{"activity", "Climbing stairs"}},
                                               Json{{"activity", "Lifting my grandson"}}});
    AssessmentModel m(definitions(), f);
    auto msg = m.set_list_entries("psfs", entries["psfs"]);
    REQUIRE(msg.has_value());
    CHECK(*msg == "An entry is kept once it has: Activity, Score.");
    CHECK(m.answer("psfs") == nullptr);
    // Unscored activities are named at Finalize: they would otherwise vanish from the record.
    CHECK(has_line_starting(m.finalize_check().not_recorded,
                            "Patient-Specific Functional Scale: \"Climbing stairs\", \"Lifting my "
                            "grandson\" not complete"));
    auto scored = entries["psfs"];
    scored[0]["score"] = 6;
    scored[1]["score"] = 3;
    REQUIRE(m.set_list_entries("psfs", scored) == std::nullopt);
    REQUIRE(m.answer("psfs") != nullptr);
    CHECK((*m.answer("psfs"))[1]["activity"] == "Lifting my grandson");  // exactly as before

    // Without a weight or a duration last time, nothing is invented.
    Assessment bare = follow_up_from(blank_visit(), "2027-01-15");
    CHECK_FALSE(bare.answers.contains("duration_weeks"));
    CHECK_FALSE(bare.answers.contains("exam.weight_prev_kg"));
    CHECK(follow_up_list_entries(blank_visit()).empty());
}

TEST_CASE("dates: a day that does not exist is named as such, the same in every field") {
    CHECK(why_no_such_day("1975-02-30") == std::optional<std::string>("February 1975 has 28 days"));
    CHECK(why_no_such_day("2024-02-30") == std::optional<std::string>("February 2024 has 29 days"));
    CHECK(why_no_such_day("2026-04-31") == std::optional<std::string>("April 2026 has 30 days"));
    CHECK(why_no_such_day("2026-00-10").has_value());
    CHECK(why_no_such_day("2026-02-28") == std::nullopt);  // a real day
    CHECK(why_no_such_day("30.02.1975") == std::nullopt);  // not written as asked: another message
}
