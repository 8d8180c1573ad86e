// The input policy where the store takes text (issue 10): a patient whose id or name cannot be
// printed or stored is refused before it exists; settings likewise; text is stored normalised;
// a search of only punctuation matches nobody; the CLI's `settings` and `list` say so.

#include <doctest/doctest.h>

#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"
#include "test_database.hpp"

using namespace myo;
using namespace myo::store;
using myo::test::cli;
using myo::test::TempDir;

namespace {

Patient patient(const std::string& id, const std::string& name) {
    return Patient{id, name, "1970-05-06", std::string("female")};
}

std::string refusal(Store& s, const Patient& p) {
    try {
        s.add_patient(p);
    } catch (const StoreError& e) {
        return e.what();
    }
    return "stored";
}

}  // namespace

TEST_CASE("store: a name with NUL, a control character or over the limit is never stored") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    CHECK(refusal(s, patient("P1", std::string("Ana\0Pop", 7))) ==
          "the patient's name contains U+0000 (a NUL character), which is not allowed");
    CHECK(refusal(s, patient("P1", "Ana \x1B[31mPop")) ==
          "the patient's name contains the control character U+001B, which is not allowed");
    CHECK(refusal(s, patient("P1", std::string(201, 'a'))) ==
          "the patient's name is too long: 201 characters, at most 200");
    CHECK(refusal(s, patient("P\n2", "Ana")) ==
          "the patient id contains U+000A (a line break), which is not allowed in a one-line "
          "field");
    CHECK(refusal(s, patient("P1", "देव")) ==
          "the patient's name contains U+0926 (Devanagari), which the reports cannot print");
    CHECK(s.list_patients().empty());  // nothing was registered
    // Accepted text is stored normalised: "Zoe" + U+0308 with a zero-width space.
    CHECK(refusal(s, patient("P1", "Zoe\xCC\x88\u200B Ak")) == "stored");
    REQUIRE(s.find_patient("P1"));
    CHECK(s.find_patient("P1")->name == "Zoë Ak");
    CHECK(s.list_patients("zoe").size() == 1);
}

TEST_CASE("store: a search of only punctuation matches nobody") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    s.add_patient(patient("P1", "Ana Pop"));
    s.add_patient(patient("P2", "Zoë Åkesson"));
    CHECK(s.list_patients("").size() == 2);
    CHECK(s.list_patients("  ").size() == 2);
    for (const char* punct : {"!!!", "-", "'", "%", "_", ".", "*", "\"", "(", ",;:"}) {
        CAPTURE(punct);
        CHECK(s.list_patients(punct).empty());
    }
    CHECK(s.list_patients("-ana-").size() == 1);
}

TEST_CASE("store: the count of patients agrees with the list, and stops at its cap") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    const char* names[] = {"Ana Pop", "Zoë Åkesson", "Anders Åberg", "Anaïs Lefèvre", "Zoltán Ana"};
    for (int i = 0; i < 5; ++i) {
        s.add_patient(patient("P" + std::to_string(i + 1), names[i]));
    }
    for (const char* search :
         {"", "  ", "ana", "an", "zo", "ana pop", "zoe ak", "p3", "x", "!!!"}) {
        CAPTURE(search);
        CHECK(s.count_patients(search) == s.list_patients(search).size());
    }
    CHECK(s.count_patients() == 5);
    CHECK(s.count_patients("an") == 4);  // Ana, Anders, Anaïs and Zoltán Ana
    CHECK(s.count_patients("an", 2) == 2);
    CHECK(s.count_patients("", 3) == 3);
    CHECK(s.count_patients("", 9) == 5);
    // A page of the list and the count of what follows it, as the CLI's list prints them.
    CHECK(s.list_patients("an", 2, 0).size() == 2);
    CHECK(s.list_patients("an", 2, 2).size() == 2);
    CHECK(s.list_patients("an", 2, 4).empty());
}

TEST_CASE("store: a patient's position is its row in the whole list, by name") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    // Same folded names ("Ana Pop" twice) are ordered by their row, as the list orders them.
    const char* names[] = {"Zoë Åkesson", "Ana Pop", "Anders Åberg", "ana pop", "Émile Zola"};
    for (int i = 0; i < 5; ++i) {
        s.add_patient(patient("P" + std::to_string(i + 1), names[i]));
    }
    auto list = s.list_patients();
    REQUIRE(list.size() == 5);
    for (std::size_t row = 0; row < list.size(); ++row) {
        CAPTURE(list[row].patient.id);
        CHECK(s.patient_position(list[row].patient.id) == row);
    }
    CHECK_FALSE(s.patient_position("P9"));
}

TEST_CASE("store: settings are normalised and checked") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    try {
        s.save_settings({std::string("Clinic\0X", 8), "", ""});
        FAIL("stored a NUL");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()) ==
              "the clinic name contains U+0000 (a NUL character), which is not allowed");
    }
    try {
        s.save_settings({"Clinic", "", "Dr\nWho"});
        FAIL("stored a line break in a name");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()) ==
              "the clinician name contains U+000A (a line break), which "
              "is not allowed in a one-line field");
    }
    CHECK(s.load_settings() == Settings{});
    s.save_settings({"Clinique Zoe\xCC\x88", "1 rue X\r\n75001 Paris", "Dr Ș. Țurcanu"});
    CHECK(s.load_settings() == Settings{"Clinique Zoë", "1 rue X\n75001 Paris", "Dr Ș. Țurcanu"});
}

TEST_CASE("cli: settings refuse what cannot be stored; list explains a punctuation search") {
    test::TestDatabase database("t.db");
    auto db = database.target();
    auto r = cli(db, {"settings", "--clinic-name", "Clinic \x1B[2J"});
    CHECK(r.status == 2);
    CHECK(r.err.find("the clinic name contains the control character U+001B") != std::string::npos);
    CHECK(r.err.find('\x1B') == std::string::npos);
    r = cli(db, {"list", "--search", "!!!"});
    CHECK(r.status == 0);
    CHECK(r.out == "No patient matches \"!!!\": a search needs a letter or a digit.\n");
}
