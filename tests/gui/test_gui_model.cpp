// The assessment editor's presentation model, without windows (issue 5: "a wx-free
// presentation model for the assessment editor ... so it is unit-tested without windows").

#include <doctest/doctest.h>

#include "core/describe.hpp"
#include "core/evaluation.hpp"
#include "gui/model/assessment_model.hpp"
#include "gui/model/body_chart_model.hpp"
#include "gui/model/patient_input.hpp"
#include "support/test_support.hpp"

#include <algorithm>

using namespace myo;
using namespace myo::gui;
using myo::test::definitions;

namespace {

Assessment blank() {
    Assessment a;
    a.patient = {"P-1", "Zoë Åkesson-Núñez", "1968-04-02", "female"};
    a.date = "2026-11-20";
    a.kind = "initial";
    return a;
}

}  // namespace

TEST_CASE("steps: every step of forms/assessment.json in order, then the summary") {
    AssessmentModel m(definitions(), blank());
    auto steps = m.steps();
    REQUIRE(steps.size() == definitions().form.steps.size() + 1);
    for (std::size_t i = 0; i < definitions().form.steps.size(); ++i) {
        CHECK(steps[i].id == definitions().form.steps[i].id);
        CHECK(steps[i].label == definitions().form.steps[i].label);
        CHECK(steps[i].status == StepStatus::NotStarted);
    }
    CHECK(steps.back().id == kSummaryStep);
}

TEST_CASE("steps: completion marks follow the answers") {
    AssessmentModel m(definitions(), blank());
    CHECK(m.set_answer("nrs_now", 6) == std::nullopt);
    CHECK(m.step("history").status == StepStatus::Partial);
    for (const ItemDef* item : m.visible_items("history")) {
        if (!m.is_expected(*item)) {
            continue;
        }
        Json v;
        switch (item->type) {
            case ItemType::Num:
            case ItemType::Int:
                v = static_cast<long>(item->min.value_or(0));
                break;
            case ItemType::Enum:
                v = item->choices.front().value;
                break;
            case ItemType::Multi:
                v = Json::array({item->choices.front().value});
                break;
            case ItemType::Bool:
                v = false;
                break;
            case ItemType::YesNo:
                v = "no";
                break;
            default:
                continue;
        }
        REQUIRE(m.set_answer(item->id, v) == std::nullopt);
    }
    auto s = m.step("history");
    CHECK(s.answered == s.expected);
    CHECK(s.status == StepStatus::Complete);
}

TEST_CASE("steps: the pain map is complete once visited, since an absent area is not painful") {
    AssessmentModel m(definitions(), blank());
    CHECK(m.step("pain_map").status == StepStatus::NotStarted);
    m.mark_visited("pain_map");
    CHECK(m.step("pain_map").status == StepStatus::Complete);
    AssessmentModel marked(definitions(), blank());
    REQUIRE(marked.set_answer("wpi.neck", true) == std::nullopt);
    CHECK(marked.step("pain_map").status == StepStatus::Complete);
    CHECK(marked.step("tender_points").status == StepStatus::NotStarted);
}

TEST_CASE("items: a value out of range is refused at the field with core's message") {
    AssessmentModel m(definitions(), blank());
    auto msg = m.set_answer("tp.knee_l", 7);
    REQUIRE(msg.has_value());
    CHECK(msg->find("0..3") != std::string::npos);
    CHECK(msg->find("7") != std::string::npos);
    CHECK(m.answer("tp.knee_l") == nullptr);
    auto before = m.revision();
    CHECK(m.set_answer_text("nrs_now", "11").has_value());
    CHECK(m.set_answer_text("nrs_now", "six").has_value());
    CHECK(m.set_answer_text("nrs_now", "2.5").has_value());
    CHECK(m.answer("nrs_now") == nullptr);
    CHECK(m.revision() == before);
    // "1" then "11": the refused text must not leave the 1 behind.
    CHECK(m.set_answer_text("nrs_now", "1") == std::nullopt);
    CHECK(m.set_answer_text("nrs_now", "11").has_value());
    CHECK(m.answer("nrs_now") == nullptr);
}

TEST_CASE("items: typed numbers are stored as the file format writes them") {
    AssessmentModel m(definitions(), blank());
    CHECK(m.set_answer_text("duration_weeks", " 30 ") == std::nullopt);
    CHECK(*m.answer("duration_weeks") == Json(30));
    CHECK(m.set_answer_text("exam.temp_c", "37,8") == std::nullopt);
    CHECK(m.answer("exam.temp_c")->get<double>() == doctest::Approx(37.8));
    CHECK(m.answer_text("exam.temp_c") == "37.8");
    CHECK(m.set_answer_text("exam.temp_c", "") == std::nullopt);
    CHECK(m.answer("exam.temp_c") == nullptr);
}

TEST_CASE("items: visible_when hides an item and drops its answer") {
    AssessmentModel m(definitions(), blank());
    CHECK_FALSE(m.is_visible("exam.weight_prev_months"));
    REQUIRE(m.set_answer("exam.weight_prev_kg", 91) == std::nullopt);
    CHECK(m.is_visible("exam.weight_prev_months"));
    REQUIRE(m.set_answer("exam.weight_prev_months", 6) == std::nullopt);
    m.clear_answer("exam.weight_prev_kg");
    CHECK_FALSE(m.is_visible("exam.weight_prev_months"));
    CHECK(m.answer("exam.weight_prev_months") == nullptr);
}

TEST_CASE("red flags: none pre-answered, Y/N/U keys, unscreened count") {
    AssessmentModel m(definitions(), blank());
    auto flags = m.red_flag_items();
    REQUIRE(flags.size() == 21);
    for (const ItemDef* f : flags) {
        CHECK(m.answer(f->id) == nullptr);
    }
    CHECK(m.live().unscreened == 21);
    CHECK(m.set_red_flag_key("rf.fever", 'n') == std::nullopt);
    CHECK(m.set_red_flag_key("rf.cancer_history", 'Y') == std::nullopt);
    CHECK(m.set_red_flag_key("rf.trauma", 'u') == std::nullopt);
    CHECK(m.set_red_flag_key("rf.ivdu", 'x').has_value());
    CHECK(*m.answer("rf.cancer_history") == "yes");
    // "unknown" is still not screened (assessment-format.md section 3).
    CHECK(m.live().unscreened == 19);
}

TEST_CASE("live panel: positive flags with urgency in words and the findings behind them") {
    AssessmentModel m(definitions(), blank());
    REQUIRE(m.set_red_flag_key("rf.dark_urine", 'y') == std::nullopt);
    auto live = m.live();
    REQUIRE_FALSE(live.flags.empty());
    const LiveFlag& f = live.flags.front();
    CHECK_FALSE(f.urgency_text.empty());
    CHECK_FALSE(f.findings.empty());
    CHECK(f.findings.front().find("urine") != std::string::npos);
    CHECK(live.urgency == m.evaluation().urgency);
    CHECK(live.urgency_text == urgency_label(definitions(), m.evaluation().urgency));
}

TEST_CASE("emergency: must be acknowledged, and the acknowledgement is recorded") {
    AssessmentModel m(definitions(), blank());
    for (const char* id : {"rf.weakness_objective", "rf.weakness_proximal", "rf.dysphagia_dyspnoea",
                           "rf.dark_urine"}) {
        REQUIRE(m.set_red_flag_key(id, 'y') == std::nullopt);
    }
    auto pending = m.pending_emergencies();
    // Dark urine (rhabdomyolysis) is an emergency in rules.json.
    REQUIRE_FALSE(pending.empty());
    auto problems = m.finalize_problems();
    CHECK(std::any_of(problems.begin(), problems.end(), [](const std::string& p) {
        return p.find("acknowledged") != std::string::npos;
    }));
    m.acknowledge(pending.front(), "Dr T. Okafor", "2026-11-20T10:15:00Z");
    REQUIRE(m.assessment().acknowledged.has_value());
    CHECK(m.assessment().acknowledged->front().flag == pending.front());
    CHECK(m.assessment().acknowledged->front().by == "Dr T. Okafor");
    CHECK(validate_assessment(m.assessment(), definitions()).empty());
    // The acknowledgement survives a write and a read.
    auto parsed = parse_assessment(write_assessment(m.assessment()), definitions());
    REQUIRE(parsed.assessment.has_value());
    REQUIRE(parsed.assessment->acknowledged.has_value());
    CHECK(parsed.assessment->acknowledged->size() == m.assessment().acknowledged->size());
}

TEST_CASE("vignettes: answers entered one by one give core's evaluation of the file") {
    for (const auto& file : myo::test::vignette_files()) {
        CAPTURE(file);
        Assessment v = myo::test::vignette_assessment(file);
        Assessment start = v;
        start.answers = Json::object();
        AssessmentModel m(definitions(), start);
        for (const auto& [id, value] : v.answers.items()) {
            REQUIRE(m.set_answer(id, value) == std::nullopt);
        }
        CHECK(m.assessment().answers == v.answers);
        CHECK(evaluation_to_json(m.evaluation(), definitions()) ==
              evaluation_to_json(evaluate(definitions(), v), definitions()));
        CHECK(m.summary_text().find(v.patient.name) != std::string::npos);
        CHECK(m.live().unscreened == static_cast<int>(m.evaluation().unscreened.size()));
    }
}

TEST_CASE("read-only: a finalized assessment refuses every change") {
    AssessmentModel m(definitions(), blank());
    m.set_read_only(true);
    CHECK(m.set_answer("nrs_now", 3).has_value());
    CHECK(m.set_answer_text("nrs_now", "3").has_value());
    CHECK(m.answer("nrs_now") == nullptr);
    CHECK(m.revision() == 0);
}

TEST_CASE("patients: the new-patient form names each problem") {
    Date today{2026, 11, 20};
    PatientInput ok{"P-7", "Zoë", "1968-04-02", "female"};
    CHECK(check_patient(ok, today).empty());
    auto problems = check_patient({"", " ", "1968-02-30", "woman"}, today);
    REQUIRE(problems.size() == 4);
    CHECK(problems[0].field == "id");
    CHECK(problems[1].field == "name");
    CHECK(problems[2].field == "birth_date");
    CHECK(problems[3].field == "sex");
    CHECK(check_patient({"P-7", "A", "2027-01-01", ""}, today).at(0).field == "birth_date");
    CHECK(check_patient(ok, today, {"P-7"}).at(0).message.find("already") != std::string::npos);
    CHECK(to_patient(ok).sex == std::optional<std::string>("female"));
}

TEST_CASE("body chart: every WPI area can be clicked at its anchor and is found there") {
    BodyChart chart =
        load_body_chart_file(definitions().dir / "bodychart.json", definitions().form);
    auto layout = layout_chart(chart, 600, 500, 20, 20, 10);
    REQUIRE(layout.views.size() == chart.views.size());
    int found = 0;
    for (const auto& area : chart.areas) {
        CAPTURE(area.id);
        auto view = area_view(area);
        REQUIRE(view.has_value());
        auto anchor = area_anchor(area, *view);
        REQUIRE(anchor.has_value());
        CanvasPoint px = to_canvas(layout, *view, *anchor);
        auto hit = from_canvas(layout, px);
        REQUIRE(hit.has_value());
        CHECK(hit->view == *view);
        const ChartArea* at = chart.area_at(hit->view, hit->at);
        REQUIRE(at != nullptr);
        CHECK(at->id == area.id);
        ++found;
    }
    CHECK(found == 19);
}

TEST_CASE("body chart: the views keep their aspect and fit the canvas") {
    BodyChart chart =
        load_body_chart_file(definitions().dir / "bodychart.json", definitions().form);
    for (auto [w, h] : {std::pair{300.0, 800.0}, std::pair{1200.0, 400.0}}) {
        auto layout = layout_chart(chart, w, h, 10, 10, 8);
        for (const auto& r : layout.views) {
            CHECK(r.w == doctest::Approx(r.h * chart.aspect));
            CHECK(r.x >= 0);
            CHECK(r.x + r.w <= w + 1e-9);
            CHECK(r.y >= 10 - 1e-9);
            CHECK(r.y + r.h <= h - 10 + 1e-9);
        }
    }
    CHECK_FALSE(from_canvas(layout_chart(chart, 600, 500, 20, 20, 10), {1, 1}).has_value());
}

TEST_CASE("body chart: clicking a tender point cycles through the grades") {
    std::optional<long> g;
    std::vector<std::optional<long>> seen;
    for (int i = 0; i < 5; ++i) {
        g = next_tender_grade(g);
        seen.push_back(g);
    }
    CHECK(seen == std::vector<std::optional<long>>{0L, 1L, 2L, 3L, std::nullopt});
}

TEST_CASE("follow-up: medication, factors and history carry over; measurements start empty") {
    Assessment last = myo::test::vignette_assessment(myo::test::vignette_files().at(1));
    last.answers["med.list"] = "atorvastatin 40 mg";
    Assessment f = follow_up_from(last, "2026-12-20");
    CHECK(f.kind == std::optional<std::string>("follow_up"));
    CHECK(f.date == "2026-12-20");
    CHECK(f.patient.id == last.patient.id);
    CHECK(f.answers.at("med.list") == "atorvastatin 40 mg");
    for (const auto& [id, value] : f.answers.items()) {
        CHECK(carried_to_follow_up(id));
        CHECK(id.rfind("rf.", 0) != 0);
        CHECK(id.rfind("nrs_", 0) != 0);
    }
    CHECK(validate_assessment(f, definitions()).empty());
}
