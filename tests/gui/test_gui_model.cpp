// The presentation models, without windows (issue 5: "a wx-free presentation model for the
// assessment editor ... so it is unit-tested without windows"; the Progress view of issue 6 and
// the History of changes of issue 7 likewise).

#include <doctest/doctest.h>

#include "core/baseline_choice.hpp"
#include "core/comparison.hpp"
#include "core/describe.hpp"
#include "core/evaluation.hpp"
#include "gui/model/assessment_model.hpp"
#include "gui/model/body_chart_model.hpp"
#include "gui/model/history_model.hpp"
#include "gui/model/patient_input.hpp"
#include "gui/model/progress_model.hpp"
#include "progress_visits.hpp"
#include "support/test_support.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

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

TEST_CASE("steps: the pain map is complete once something is recorded, not by a visit") {
    // Rules 2026.2 (issue 11): an untouched map is "not recorded"; a visit records nothing.
    AssessmentModel m(definitions(), blank());
    CHECK(m.step("pain_map").status == StepStatus::NotStarted);
    m.mark_visited("pain_map");
    CHECK(m.step("pain_map").status != StepStatus::Complete);
    CHECK(m.step("pain_map").note == "not recorded");
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

TEST_CASE("live panel: no pain map is \"pain map not recorded\", never WPI 0 (rules 2026.2)") {
    AssessmentModel m(definitions(), blank());
    CHECK(m.live().wpi == "pain map not recorded");
    REQUIRE(m.set_answer("wpi.neck", true) == std::nullopt);
    CHECK(m.live().wpi == "1 of 19");
    CHECK(m.summary_text().find("WPI 1/19") != std::string::npos);
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
    // Typed as asked, but no such day: say so, not "enter as YYYY-MM-DD" (issue 11).
    CHECK(check_patient({"P-7", "A", "1975-02-30", ""}, today).at(0).message ==
          "The date 1975-02-30 does not exist: February 1975 has 28 days.");
    CHECK(check_patient({"P-7", "A", "1975-2-3", ""}, today).at(0).message ==
          "Enter the date of birth as YYYY-MM-DD, e.g. 1968-04-02.");
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
    ScopedToday today(Date{2026, 12, 20});  // a visit after today is refused (issue 10)
    Assessment last = myo::test::vignette_assessment(myo::test::vignette_files().at(1));
    last.answers["med.list"] = "atorvastatin 40 mg";
    Assessment f = follow_up_from(last, "2026-12-20");
    CHECK(f.kind == std::optional<std::string>("follow_up"));
    CHECK(f.date == "2026-12-20");
    CHECK(f.patient.id == last.patient.id);
    CHECK(f.answers.at("med.list") == "atorvastatin 40 mg");
    for (const auto& [id, value] : f.answers.items()) {
        // Derived from the last visit rather than copied (issue 11): see test_gui_finalize_model.
        if (id == "duration_weeks" || id.rfind("exam.weight_prev", 0) == 0) {
            continue;
        }
        CHECK(carried_to_follow_up(id));
        CHECK(id.rfind("rf.", 0) != 0);
        CHECK(id.rfind("nrs_", 0) != 0);
    }
    CHECK(validate_assessment(f, definitions()).empty());
}

// --- Progress view (issue 6) and History of changes (issue 7)

namespace {

std::vector<ProgressVisit> progress_input() {
    std::vector<ProgressVisit> out;
    std::int64_t id = 10;
    for (const auto& a : myo::test::progress_visits()) {
        out.push_back(ProgressVisit{id + 1, id, a});
        id += 10;
    }
    return out;
}

const ProgressRow& row_of(const std::vector<ProgressRow>& rows, const std::string& id) {
    for (const auto& r : rows) {
        if (r.id == id) {
            return r;
        }
    }
    FAIL("no row " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("baseline choice: the mark, else the first visit; never the latest or a lost visit") {
    std::vector<std::int64_t> ids = {3, 7, 12};
    CHECK_FALSE(choose_baseline(ids, std::nullopt).index.has_value());
    CHECK(choose_baseline(ids, std::nullopt).problem == BaselineProblem::None);
    CHECK(choose_baseline(ids, 7).index == std::optional<std::size_t>(1));
    CHECK(choose_baseline(ids, 7).problem == BaselineProblem::None);
    CHECK(choose_baseline(ids, 12).problem == BaselineProblem::IsLatest);
    CHECK(choose_baseline(ids, 99).problem == BaselineProblem::NotAFinalVisit);
}

TEST_CASE("progress: the table is core's comparison, its changes in words") {
    auto input = progress_input();
    ProgressModel m(definitions(), input, std::nullopt);
    std::vector<Assessment> docs;
    for (const auto& v : input) {
        docs.push_back(v.document);
    }
    Comparison expected = compare_visits(definitions(), docs);
    auto rows = m.rows();
    REQUIRE(rows.size() == expected.rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].id == expected.rows[i].id);
        CHECK(rows[i].label == expected.rows[i].label);
        CHECK(rows[i].verdict_baseline == verdict_text(expected.rows[i].from_baseline));
    }
    const ProgressRow& now = row_of(rows, "nrs_now");
    CHECK(now.baseline == "7");
    CHECK(now.previous == "5");
    CHECK(now.latest == "2");
    CHECK(now.change_baseline == "-5");
    CHECK(now.verdict_baseline == "better, clinically important");
    CHECK(now.change_previous == "-3");
    CHECK(now.percent_previous == "-60 %");
    CHECK(now.important_baseline);
    // Average pain was not asked at the second visit: "not measured" there, never 0.
    CHECK(row_of(rows, "nrs_average").previous == "not measured");
    CHECK(row_of(rows, "nrs_average").verdict_previous == "not measured");
    CHECK(m.heading().find("(first visit)") != std::string::npos);
    CHECK(m.note().empty());
}

TEST_CASE("progress: a marked baseline is used; only visits before the latest can be marked") {
    auto input = progress_input();
    CHECK(ProgressModel(definitions(), input, std::nullopt).baseline_candidates() ==
          std::vector<std::size_t>{0, 1});
    ProgressModel second(definitions(), input, input[1].visit);
    CHECK(second.baseline_index() == 1);
    CHECK(second.baseline_marked());
    CHECK(row_of(second.rows(), "nrs_now").change_baseline == "-3");
    CHECK(second.heading().find("marked by the clinician") != std::string::npos);

    // A mark on the latest visit (possible after visits were amended) falls back, and says so.
    ProgressModel latest(definitions(), input, input[2].visit);
    CHECK(latest.baseline_index() == 0);
    CHECK(latest.note().find("latest visit") != std::string::npos);
    ProgressModel gone(definitions(), input, 999);
    CHECK(gone.baseline_index() == 0);
    CHECK_FALSE(gone.note().empty());

    CHECK_FALSE(ProgressModel::available(1));
    CHECK_THROWS_AS(ProgressModel(definitions(), {input[0]}, std::nullopt), std::invalid_argument);
}

TEST_CASE("progress: charts group a family of series, keep gaps, and place visits by date") {
    ProgressModel m(definitions(), progress_input(), std::nullopt);
    auto charts = m.charts();
    REQUIRE_FALSE(charts.empty());
    CHECK(charts[0].title == "NRS");
    bool gap = false;
    std::size_t series = 0;
    for (const auto& g : charts) {
        series += g.series.size();
        for (const auto& s : g.series) {
            CHECK(s.values.size() == 3);
            if (s.id == "nrs_average") {
                gap = !s.values[1].has_value();
            }
        }
    }
    CHECK(series == m.comparison().charts.size());
    CHECK(gap);
    auto pos = m.date_positions();
    REQUIRE(pos.size() == 3);
    CHECK(pos[0] == 0.0);
    CHECK(pos[2] == 1.0);
    // 31 days of 90: visits are spaced by the calendar, not evenly.
    CHECK(pos[1] == doctest::Approx(31.0 / 90.0));
}

TEST_CASE("progress: painful areas new, resolved and unchanged in words") {
    ProgressModel m(definitions(), progress_input(), std::nullopt);
    std::map<std::string, std::string> status;
    for (const auto& a : m.areas()) {
        status[a.label] = a.status;
    }
    std::vector<std::string> words;
    for (const auto& [label, s] : status) {
        words.push_back(s);
    }
    CHECK(std::count(words.begin(), words.end(), "new") == 1);
    CHECK(std::count(words.begin(), words.end(), "resolved") == 1);
    CHECK(std::count(words.begin(), words.end(), "unchanged") >= 1);
}

TEST_CASE("history: the audit trail in words, filtered to one assessment") {
    std::vector<store::AuditEntry> entries(3);
    entries[0] = {1,
                  "2026-11-21T10:15:02.123Z",
                  "",
                  "jdoe",
                  "create-patient",
                  "P-1",
                  std::nullopt,
                  "patient P-1 created",
                  std::nullopt,
                  "",
                  "h1"};
    entries[1] = {2, "2026-11-21T10:16:00.000Z", "Dr Ada",     "jdoe", "finalize", "P-1",
                  4, "assessment 4 finalized",   std::nullopt, "h1",   "h2"};
    entries[2] = {3, "2026-11-21T10:17:00.000Z", "Dr Ada",     "jdoe", "pdf", "P-1",
                  5, "referral PDF written",     std::nullopt, "h2",   "h3"};
    // Times in local time with the offset (issue 11); here the computer is in Berlin.
    myo::test::ScopedTimeZone berlin("CET-1CEST,M3.5.0,M10.5.0/3");
    auto all = history_lines(entries);
    REQUIRE(all.size() == 3);
    CHECK(all[0].at == "21 November 2026, 11:15:02 (UTC+01:00)");
    CHECK(all[0].who == "account jdoe");
    CHECK(all[0].action == "patient created");
    CHECK(all[0].record == "patient");
    CHECK(all[1].who == "Dr Ada (account jdoe)");
    CHECK(all[1].action == "assessment finalized");
    CHECK(all[2].action == "PDF written");
    auto one = history_lines(entries, 4);
    REQUIRE(one.size() == 1);
    CHECK(one[0].record == "assessment 4");
    CHECK(action_text("something-new") == "something-new");
}

TEST_CASE("visit date: a real date, not before birth; a refused date is not stored") {
    AssessmentModel m(definitions(), blank());
    CHECK(m.set_visit_date("2026-02-30") ==
          std::optional<std::string>("The date 2026-02-30 does not exist: February 2026 has 28 "
                                     "days"));
    CHECK(m.set_visit_date("20.11.2026").has_value());
    CHECK(m.assessment().date == "2026-11-20");
    auto before = m.set_visit_date("1960-01-01");
    REQUIRE(before.has_value());
    CHECK(before->find("1968-04-02") != std::string::npos);
    CHECK(m.set_visit_date("2026-11-18") == std::nullopt);
    CHECK(m.assessment().date == "2026-11-18");
    m.set_notes("Works night shifts.");
    CHECK(m.assessment().notes == std::optional<std::string>("Works night shifts."));
    m.set_notes("");
    CHECK_FALSE(m.assessment().notes.has_value());
    m.set_read_only(true);
    CHECK(m.set_visit_date("2026-11-17").has_value());
}

TEST_CASE("typed text: the new-patient form, the preferences and the notes follow core's policy") {
    Date today{2026, 11, 20};
    auto name_problem = [&](const std::string& name) {
        auto p = check_patient({"P-7", name, "1968-04-02", ""}, today);
        return p.empty() ? std::string("ok") : p[0].field + ": " + p[0].message;
    };
    CHECK(name_problem("Nguyễn Thị Bằng") == "ok");
    CHECK(name_problem("王小明") == "ok");
    CHECK(name_problem("Ana \x1B[31mPop") ==
          "name: The name contains the control character U+001B, which is not allowed.");
    CHECK(name_problem("देव") ==
          "name: The name contains U+0926 (Devanagari), which the reports cannot print.");
    CHECK(name_problem(std::string(201, 'a')) ==
          "name: The name is too long: 201 characters, at most 200.");
    auto id = check_patient({std::string(65, 'i'), "A", "1968-04-02", ""}, today);
    REQUIRE(id.size() == 1);
    CHECK(id[0].message == "The id is too long: 65 characters, at most 64.");
    // What is registered is normalised, as a file bringing the same name would be.
    CHECK(to_patient({"P-7", " Zoe\xCC\x88\u200B ", "1968-04-02", ""}).name == "Zoë");

    CHECK(check_settings("Clinic", "1 Main St\nTown", "Dr Ș. Țurcanu").empty());
    auto s = check_settings("Clinic\tX", std::string(501, 'a'), "Dr \u0915");
    REQUIRE(s.size() == 3);
    CHECK(s[0].field == "clinic_name");
    CHECK(s[0].message ==
          "The clinic name contains U+0009 (a tab), which is not allowed in a one-line field.");
    CHECK(s[1].message == "The clinic address is too long: 501 characters, at most 500.");
    CHECK(s[2].message ==
          "The clinician name contains U+0915 (Devanagari), which the reports cannot print.");

    AssessmentModel m(definitions(), blank());
    CHECK(m.set_notes("Ann\xCC\x83 \u200Bok") == std::nullopt);
    CHECK(m.assessment().notes == std::optional<std::string>("Anñ ok"));
    CHECK(m.set_notes("bad \x1B[2J") ==
          std::optional<std::string>(
              "The notes field contains the control character U+001B, which is not allowed."));
    CHECK(m.assessment().notes == std::optional<std::string>("Anñ ok"));  // kept
}

TEST_CASE("visit date: a date after today (anywhere on Earth) is refused at the field") {
    ScopedToday today(Date{2026, 11, 21});
    AssessmentModel m(definitions(), blank());
    CHECK(m.set_visit_date("2026-11-21") == std::nullopt);
    CHECK(m.set_visit_date("2026-11-22") ==
          std::optional<std::string>("The visit date 2026-11-22 is in the future"));
    CHECK(m.assessment().date == "2026-11-21");
}
