// Two windows, processes or workstations, one draft (issue 13): a save carries the row version
// the editor read (AssessmentInfo::row_version), and a save based on an older read is refused
// with ChangedElsewhere naming who changed it and when; nothing is written and the caller keeps
// its answers. On both backends (test_database.hpp): two Stores on one file (two windows), or
// two logins on one PostgreSQL database (two workstations).

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "core/text_input.hpp"
#include "store/audit.hpp"
#include "store/stale_save.hpp"
#include "store/store.hpp"
#include "store_test_util.hpp"
#include "test_database.hpp"

using namespace myo;
using namespace myo::store;

namespace {

// Who the refusal names: the login on PostgreSQL, the OS account on a SQLite file.
std::string who(const test::TestDatabase& db, const std::string& login) {
    return db.postgresql() ? login : os_account();
}

std::string refusal_of(Store& s, std::int64_t id, const Assessment& a, std::int64_t version) {
    try {
        s.save_draft(id, a, version);
    } catch (const ChangedElsewhere& e) {
        return e.what();
    }
    return "saved";
}

}  // namespace

TEST_CASE("versions: each save gives a higher version; the caller carries it to its next save") {
    test::TestDatabase db;
    Store s(db.target(), test::definitions());
    Assessment a = test::sample_assessment("V-1", "Vera Version");
    std::int64_t id = s.create_draft(a);
    StoredAssessment read = s.load(id);
    CHECK(read.info.row_version > 0);
    CHECK(s.history("V-1").at(0).row_version == read.info.row_version);

    std::int64_t v = read.info.row_version;
    for (int i = 0; i < 3; ++i) {
        a.answers["nrs_now"] = i;
        std::int64_t next = s.save_draft(id, a, v);
        CHECK(next > v);
        CHECK(s.info(id).row_version == next);
        v = next;
    }
    // What changes no row (a PDF written, an export) gives no new version: no false conflict.
    s.record_event(audit_action::kPdf, {std::nullopt, id}, "referral PDF written");
    CHECK(s.info(id).row_version == v);
    a.answers["nrs_now"] = 7;
    v = s.save_draft(id, a, v);
    CHECK(s.load(id).assessment.answers.at("nrs_now") == 7);
    // A version this row never had (a caller's bug, not a colleague's change): the same plain
    // refusal on both backends, nothing saved, never an internal error.
    a.answers["nrs_now"] = 8;
    CHECK_THROWS_WITH_AS(s.save_draft(id, a, v + 1000), doctest::Contains("as the save assumed"),
                         StoreError);
    CHECK(s.load(id).assessment.answers.at("nrs_now") == 7);
    CHECK(s.info(id).row_version == v);
}

TEST_CASE(
    "versions: a save based on an older read is refused, naming who and when; nothing "
    "written, the caller's copy kept") {
    test::TestDatabase db;
    Store first(db.target(), test::definitions());
    Store second(db.target_as("a.berg"), test::definitions());
    Assessment a = test::sample_assessment("V-2", "Wanda Window");
    std::int64_t id = first.create_draft(a);

    // Both read the draft; the second saves first.
    StoredAssessment mine = first.load(id);
    StoredAssessment theirs = second.load(id);
    REQUIRE(mine.info.row_version == theirs.info.row_version);
    theirs.assessment.answers["nrs_now"] = 3;
    std::int64_t after_theirs = second.save_draft(id, theirs.assessment, theirs.info.row_version);
    std::string stored = first.load_document(id);

    Assessment typed = mine.assessment;
    typed.answers["nrs_now"] = 9;
    typed.notes = "typed in the first window";
    const Assessment copy = typed;
    std::string said = refusal_of(first, id, typed, mine.info.row_version);
    CAPTURE(said);
    std::string changed_by = "assessment draft " + std::to_string(id) + " was changed by " +
                             quote_for_message(who(db, "a.berg")) + " at ";
    CHECK(said.rfind(changed_by, 0) == 0);
    CHECK(said.find(db.postgresql() ? " on this workstation since this copy was read"
                                    : " in another window or program on this computer since "
                                      "this copy was read") != std::string::npos);
    CHECK(said.find("; nothing was saved and your answers are kept (reload to see the other "
                    "change, then save again)") != std::string::npos);
    try {
        first.save_draft(id, typed, mine.info.row_version);
        FAIL("a stale save was taken");
    } catch (const ChangedElsewhere& e) {
        CHECK(e.change().row_version == after_theirs);
        CHECK(e.change().by == who(db, "a.berg"));
        CHECK_FALSE(e.change().finalised);
        CHECK(std::abs(e.change().at_ms - now_ms()) < 60'000);
        // The time is the other save's, in local time.
        CHECK(std::string(e.what()).find(local_time_phrase(e.change().at_ms, now_ms())) !=
              std::string::npos);
    }
    // Nothing written: the other save stands; the caller's copy is as typed.
    CHECK(first.load_document(id) == stored);
    CHECK(first.info(id).row_version == after_theirs);
    CHECK(write_assessment(typed) == write_assessment(copy));
    auto trail = first.audit_trail(std::string("V-2"));
    CHECK(std::count_if(trail.begin(), trail.end(),
                        [](const AuditEntry& e) { return e.action == "edit"; }) == 1);

    // Saved again against the version now read: taken.
    std::int64_t reread = first.info(id).row_version;
    CHECK(first.save_draft(id, typed, reread) > reread);
    CHECK(second.load(id).assessment.notes == "typed in the first window");
}

TEST_CASE("versions: a draft finalised or discarded since it was read is refused, saying so") {
    test::TestDatabase db;
    Store first(db.target(), test::definitions());
    Store second(db.target_as("a.berg"), test::definitions());
    Assessment a = test::sample_assessment("V-3", "Fiona Final");
    std::int64_t id = first.create_draft(a);
    std::int64_t read = first.info(id).row_version;
    second.finalize(id);
    std::string said = refusal_of(first, id, a, read);
    CAPTURE(said);
    CHECK(said.rfind("assessment draft " + std::to_string(id) + " was finalised by " +
                         quote_for_message(who(db, "a.berg")) + " at ",
                     0) == 0);
    CHECK(said.find("(amend the final assessment to add them)") != std::string::npos);
    CHECK(first.info(id).status == Status::Final);
    // Read as final, saved anyway: the rule of finals, not a conflict.
    CHECK_THROWS_AS(first.save_draft(id, a, first.info(id).row_version), NotEditable);

    std::int64_t other =
        first.create_draft(test::sample_assessment("V-3", "Fiona Final", "2026-11-22"));
    std::int64_t other_read = first.info(other).row_version;
    second.discard_draft(other);
    said = refusal_of(first, other, a, other_read);
    CHECK(said.rfind("assessment draft " + std::to_string(other) + " was discarded or deleted " +
                         (db.postgresql() ? "on another workstation"
                                          : "in another window or program on this computer") +
                         " since this copy was read; nothing was saved and your answers are "
                         "kept (save them as a new draft)",
                     0) == 0);
}

TEST_CASE("versions: the save without a version (CLI, scripts) still takes the newest read") {
    test::TestDatabase db;
    Store first(db.target(), test::definitions());
    Store second(db.target_as("a.berg"), test::definitions());
    Assessment a = test::sample_assessment("V-4", "Sam Script");
    std::int64_t id = first.create_draft(a);
    a.answers["nrs_now"] = 1;
    second.save_draft(id, a);
    a.answers["nrs_now"] = 2;
    first.save_draft(id, a);
    CHECK(second.load(id).assessment.answers.at("nrs_now") == 2);
}
