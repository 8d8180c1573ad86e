// Patients and assessments: round trips, matching and conflicting patients, the draft/final
// rules with versions, search with accents, list figures and settings.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/evaluation.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using namespace myo;
using namespace myo::store;
using myo::test::TempDir;

namespace {

struct Fixture {
    test::TestDatabase db;
    Store store{db.target(), test::definitions()};
};

}  // namespace

TEST_CASE("round trip: every vignette is stored and given back byte for byte") {
    Fixture f;
    for (const auto& v : test::vignette_files()) {
        CAPTURE(v.filename().string());
        Assessment a = test::vignette_assessment(v);
        std::string canonical = write_assessment(a);
        auto results = f.store.import_assessments({a});
        REQUIRE(results.size() == 1);
        CHECK_FALSE(results[0].already_stored);
        CHECK(results[0].patient_created);
        std::string exported = f.store.load_document(results[0].id);
        CHECK(exported == canonical);
        // The export is itself canonical: reading and writing it again changes nothing.
        auto reparsed = parse_assessment(exported, test::definitions());
        REQUIRE(reparsed.assessment);
        CHECK(write_assessment(*reparsed.assessment) == exported);
        // Storing it again adds nothing.
        auto again = f.store.import_assessments({*reparsed.assessment});
        CHECK(again[0].already_stored);
        CHECK(again[0].id == results[0].id);
        // The key figures are core's evaluation.
        Evaluation e = evaluate(test::definitions(), a);
        AssessmentInfo info = f.store.info(results[0].id);
        CHECK(info.status == Status::Final);
        CHECK(info.wpi == e.acr2016.wpi);
        CHECK(info.sss == e.acr2016.sss);
        CHECK(info.fs == e.acr2016.fs);
        CHECK(info.tender_count == e.acr1990.tender_count);
        CHECK(info.urgency == e.urgency);
        CHECK(info.rules_version == e.rules_version);
        CHECK(info.date == a.date);
        CHECK(info.kind == a.kind);
    }
    CHECK(f.store.list_patients().size() == test::vignette_files().size());
}

TEST_CASE("patients: the same id with the same details is matched") {
    Fixture f;
    Assessment first = test::sample_assessment("P-1", "Zoë Åkesson-Núñez", "2026-01-10");
    Assessment second = test::sample_assessment("P-1", "Zoë Åkesson-Núñez", "2026-03-02");
    auto r = f.store.import_assessments({first, second});
    CHECK(r[0].patient_created);
    CHECK_FALSE(r[1].patient_created);
    auto list = f.store.list_patients();
    REQUIRE(list.size() == 1);
    CHECK(list[0].visits == 2);
    CHECK(list[0].last_visit == "2026-03-02");
    CHECK(f.store.history("P-1").size() == 2);
    CHECK_FALSE(f.store.add_patient(first.patient));
}

TEST_CASE("patients: a differing name or birth date is refused, and the batch stores nothing") {
    Fixture f;
    f.store.import_assessments({test::sample_assessment("P-1", "Zoë Åkesson-Núñez")});
    Assessment ok = test::sample_assessment("P-2", "Anna Berg");
    Assessment renamed = test::sample_assessment("P-1", "Zoe Akesson-Nunez", "2026-11-21");
    try {
        f.store.import_assessments({ok, renamed});
        FAIL("a differing name was accepted");
    } catch (const PatientConflict& e) {
        CHECK(e.index() == 1);
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0].path == "/patient/name");
        CHECK(
            e.problems()[0].message ==
            "patient \"P-1\" is stored with name \"Zoë Åkesson-Núñez\", not \"Zoe Akesson-Nunez\" "
            "(a differing name is refused, not overwritten)");
    }
    CHECK_FALSE(f.store.find_patient("P-2"));
    CHECK(f.store.history("P-1").size() == 1);

    Assessment older = test::sample_assessment("P-1", "Zoë Åkesson-Núñez");
    older.patient.birth_date = "1980-04-02";
    try {
        f.store.create_draft(older);
        FAIL("a differing birth date was accepted");
    } catch (const PatientConflict& e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0].path == "/patient/birth_date");
        CHECK(e.problems()[0].message ==
              "patient \"P-1\" is stored with birth date 1981-04-02, not 1980-04-02 (a differing "
              "birth date is refused, not overwritten)");
    }
    CHECK(f.store.find_patient("P-1")->birth_date == "1981-04-02");
    CHECK(f.store.history("P-1").size() == 1);
}

TEST_CASE("drafts are editable; a final is not, and a correction is a new version") {
    Fixture f;
    Assessment a = test::sample_assessment("P-7", "Søren Kierkegaard", "2026-05-01");
    std::int64_t id = f.store.create_draft(a);
    CHECK(f.store.info(id).status == Status::Draft);
    a.answers["nrs_now"] = 3;
    f.store.save_draft(id, a);
    CHECK(f.store.info(id).nrs_now == 3);
    CHECK(f.store.load(id).assessment.answers["nrs_now"] == 3);

    f.store.finalize(id);
    AssessmentInfo fin = f.store.info(id);
    CHECK(fin.status == Status::Final);
    CHECK(fin.finalized_at.has_value());
    a.answers["nrs_now"] = 4;
    CHECK_THROWS_WITH_AS(f.store.save_draft(id, a),
                         ("assessment " + std::to_string(id) +
                          " is final and cannot be changed; amend it to make a correction")
                             .c_str(),
                         NotEditable);
    CHECK_THROWS_AS(f.store.discard_draft(id), NotEditable);
    CHECK_THROWS_AS(f.store.finalize(id), NotEditable);
    // The database itself refuses, whatever the code above it does (on PostgreSQL, to the
    // clinician's own login).
    if (f.db.postgresql()) {
        auto c = store::pg::Connection::open(f.db.target().string());
        CHECK_THROWS(c.exec("UPDATE myoscreen.assessments SET nrs_now = 9 WHERE id = $1", {id}));
        CHECK_THROWS(c.exec("DELETE FROM myoscreen.assessments WHERE id = $1", {id}));
    } else {
        Statement raw =
            f.store.connection().prepare("UPDATE assessments SET nrs_now = 9 WHERE id = ?1");
        raw.bind(1, id);
        CHECK_THROWS_AS(raw.run(), SqliteError);
        Statement del = f.store.connection().prepare("DELETE FROM assessments WHERE id = ?1");
        del.bind(1, id);
        CHECK_THROWS_AS(del.run(), SqliteError);
    }
    CHECK(f.store.info(id).nrs_now == 3);

    std::int64_t fix = f.store.amend(id);
    AssessmentInfo draft = f.store.info(fix);
    CHECK(draft.status == Status::Draft);
    CHECK(draft.version == 2);
    CHECK(draft.visit == fin.visit);
    CHECK(draft.supersedes == id);
    CHECK(f.store.load_document(fix) == f.store.load_document(id));
    CHECK(f.store.info(id).superseded_by == fix);
    CHECK_THROWS_AS(f.store.amend(id), NotEditable);   // already being corrected
    CHECK_THROWS_AS(f.store.amend(fix), NotEditable);  // a draft is edited, not amended
    // Until the correction is final, export still gives the original.
    CHECK(f.store.current_finals("P-7").front().id == id);

    f.store.save_draft(fix, a);
    f.store.finalize(fix);
    auto history = f.store.history("P-7");
    REQUIRE(history.size() == 2);
    CHECK(history[0].id == id);
    CHECK(history[0].nrs_now == 3);
    CHECK(history[0].superseded_by == fix);
    CHECK(history[1].id == fix);
    CHECK(history[1].nrs_now == 4);
    auto finals = f.store.current_finals("P-7");
    REQUIRE(finals.size() == 1);
    CHECK(finals[0].id == fix);
    auto list = f.store.list_patients();
    REQUIRE(list.size() == 1);
    CHECK(list[0].visits == 1);  // a visit and its correction are one visit
}

TEST_CASE("discarding a draft correction brings the original back as current") {
    Fixture f;
    std::int64_t id = f.store.create_draft(test::sample_assessment("P-8", "Ñandú Pérez"));
    f.store.finalize(id);
    std::int64_t fix = f.store.amend(id);
    f.store.discard_draft(fix);
    CHECK_THROWS_AS(f.store.info(fix), NotFound);
    CHECK_FALSE(f.store.info(id).superseded_by);
    CHECK(f.store.amend(id) > fix);  // numbers are never reused
}

TEST_CASE("an invalid assessment is never stored") {
    Fixture f;
    Assessment a = test::sample_assessment("P-9", "Invalid Ida");
    a.answers["tp.knee_l"] = 7;
    try {
        f.store.create_draft(a);
        FAIL("stored an invalid assessment");
    } catch (const AssessmentError& e) {
        CHECK(e.lines() == "new assessment: /answers/tp.knee_l: expected an integer 0..3, got 7\n");
    }
    CHECK(f.store.list_patients().empty());
    CHECK_THROWS_AS(f.store.load(12345), NotFound);
    CHECK_THROWS_AS(f.store.history("nobody"), NotFound);
}

TEST_CASE("search: case- and accent-insensitive prefix of any word of the name or the id") {
    Fixture f;
    const std::vector<std::pair<std::string, std::string>> people = {
        {"P-0001", "Zoë Åkesson-Núñez"},
        {"P-0002", "Zoe Smith"},
        {"P-0003", "Søren Kierkegaard"},
        {"P-0004", "ÉLODIE Çelik"},
        {"P-0005", "Γιώργος Παπαδόπουλος"},
        {"P-0006", "Ёлкин Пётр"},
        {"X-77", "Smithers Ånn"}};
    for (const auto& [id, name] : people) {
        f.store.add_patient(Patient{id, name, "1970-01-01", std::nullopt});
    }
    auto names = [&f](std::string_view q) {
        std::vector<std::string> out;
        for (const auto& p : f.store.list_patients(q)) {
            out.push_back(p.patient.name);
        }
        return out;
    };
    CHECK(names("zoe") == std::vector<std::string>{"Zoë Åkesson-Núñez", "Zoe Smith"});
    CHECK(names("ZOË") == names("zoe"));
    CHECK(names("Zoe\xCC\x88") == names("zoe"));
    CHECK(names("akes") == std::vector<std::string>{"Zoë Åkesson-Núñez"});
    CHECK(names("nunez") == std::vector<std::string>{"Zoë Åkesson-Núñez"});
    CHECK(names("zoe ak") == std::vector<std::string>{"Zoë Åkesson-Núñez"});
    CHECK(names("smith") == std::vector<std::string>{"Smithers Ånn", "Zoe Smith"});
    CHECK(names("smith zo") == std::vector<std::string>{"Zoe Smith"});
    CHECK(names("soren") == std::vector<std::string>{"Søren Kierkegaard"});
    CHECK(names("elodie c") == std::vector<std::string>{"ÉLODIE Çelik"});
    CHECK(names("γιωργ") == std::vector<std::string>{"Γιώργος Παπαδόπουλος"});
    CHECK(names("ΠΑΠΑ") == std::vector<std::string>{"Γιώργος Παπαδόπουλος"});
    CHECK(names("елкин петр") == std::vector<std::string>{"Ёлкин Пётр"});
    CHECK(names("x-77") == std::vector<std::string>{"Smithers Ånn"});
    CHECK(names("0003") == std::vector<std::string>{"Søren Kierkegaard"});
    CHECK(names("oe").empty());  // a prefix of a word, not a substring
    CHECK(names("nobody").empty());
    CHECK(f.store.list_patients("").size() == people.size());
    CHECK(f.store.list_patients("p", 2).size() == 2);
    CHECK(f.store.list_patients({}, 3, 5).size() == 2);
}

TEST_CASE("list: age, visits, last visit and the highest urgency of the last visit") {
    Fixture f;
    const Definitions& defs = test::definitions();
    Assessment urgent;
    std::string urgent_level;
    for (const auto& v : test::vignette_files()) {
        Assessment a = test::vignette_assessment(v);
        if (evaluate(defs, a).urgency < Urgency::Routine) {
            urgent = a;
            urgent_level = urgency_id(evaluate(defs, a).urgency);
            break;
        }
    }
    REQUIRE_FALSE(urgent_level.empty());
    Assessment routine =
        test::sample_assessment(urgent.patient.id, urgent.patient.name, "2026-01-01");
    routine.patient = urgent.patient;
    REQUIRE(evaluate(defs, routine).urgency == Urgency::Routine);
    urgent.date = "2026-06-01";
    Assessment same_day = routine;
    same_day.date = "2026-06-01";
    f.store.import_assessments({routine, urgent, same_day});
    auto list = f.store.list_patients();
    REQUIRE(list.size() == 1);
    CHECK(list[0].visits == 3);
    CHECK(list[0].last_visit == "2026-06-01");
    REQUIRE(list[0].last_urgency);
    CHECK(urgency_id(*list[0].last_urgency) == urgent_level);
    REQUIRE(list[0].age);
    CHECK(*list[0].age >= 18);
}

TEST_CASE("settings: the letterhead is saved and read back as given") {
    Fixture f;
    CHECK(f.store.load_settings() == Settings{});
    Settings s{"Clínica Ñandú", "Calle Mayor 1\n28013 Madrid", "Dr T. Okafor"};
    f.store.save_settings(s);
    CHECK(f.store.load_settings() == s);
    Store reopened(f.db.target(), test::definitions());
    CHECK(reopened.load_settings() == s);
}

TEST_CASE("names are stored as given in NFC, in any script the reports print") {
    Fixture f;
    // Issue 10: text is normalised to NFC on input ("Zoe" + U+0308 is stored as "Zoë") and a
    // character the reports cannot print (an emoji) is refused before the patient exists.
    const std::vector<std::pair<std::string, std::string>> names = {
        {"李小龍", "李小龍"},
        {"Αριστοτέλης Ρώσσης", "Αριστοτέλης Ρώσσης"},
        {"Zoe\xCC\x88 NFD", "Zo\xC3\xAB NFD"},
        {"Łódź", "Łódź"},
        {"O'Brien-Ó Súilleabháin", "O'Brien-Ó Súilleabháin"}};
    int n = 0;
    for (const auto& [name, stored] : names) {
        Assessment a = test::sample_assessment("U-" + std::to_string(++n), name);
        auto id = f.store.import_assessments({a})[0].id;
        CHECK(f.store.find_patient(a.patient.id)->name == stored);
        CHECK(f.store.load(id).assessment.patient.name == stored);
    }
    CHECK_THROWS_AS(f.store.import_assessments({test::sample_assessment("U-9", "Łódź 🙂")}),
                    AssessmentError);
    CHECK_FALSE(f.store.find_patient("U-9"));
    CHECK(f.store.list_patients("李").size() == 1);
    CHECK(f.store.list_patients("αριστ").size() == 1);
    CHECK(f.store.list_patients("zoe").size() == 1);
    CHECK(f.store.list_patients("lodz").size() == 1);
    CHECK(f.store.list_patients("suil").size() == 1);
    CHECK_THROWS_AS(f.store.add_patient(Patient{"U-9", "X", "1970-02-30", std::nullopt}),
                    StoreError);
}
