// What the window says about the clinic server (issue 14), without a display: who is signed in,
// why a readonly login's window is read-only, and the cause named when the database cannot be
// opened at start.

#include <doctest/doctest.h>

#include "gui/model/conflict_model.hpp"
#include "gui/model/session_text.hpp"
#include "gui/model/start_failure.hpp"
#include "progress_visits.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_upgrade.hpp"
#include "support/test_support.hpp"

using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

TEST_CASE("clinic texts: signed in as login @ database, and a readonly login's reason") {
    store::ServerSession s{"front.desk", "riverside", "FRONT-1", false};
    CHECK(signed_in_as(s) == "front.desk @ riverside");
    CHECK(readonly_login_reason(s) ==
          "front.desk is a readonly login: it can look at everything "
          "and write PDFs, not change anything");
    CHECK(readonly_login_refusal(s) == "the login front.desk is a readonly login");
}

TEST_CASE("start failure: each cause is named, and Retry is offered first where waiting helps") {
    auto of = [](const std::exception& e) { return describe_start_failure(e, true); };
    StartFailure down = of(pg::ConnectFailed(pg::ConnectProblem::Unreachable, "no server"));
    CHECK(down.headline == "The clinic server does not answer.");
    CHECK(down.detail == "no server");
    CHECK(down.retry_may_help);
    StartFailure refused = of(pg::ConnectFailed(pg::ConnectProblem::AuthFailed, "refused"));
    CHECK(refused.headline == "The clinic server refused the login.");
    CHECK(refused.advice.find("~/.pgpass") != std::string::npos);
    CHECK_FALSE(refused.retry_may_help);
    CHECK(of(pg::ConnectFailed(pg::ConnectProblem::TlsUnverified, "x")).headline.find("TLS") !=
          std::string::npos);
    CHECK(of(pg::ConnectFailed(pg::ConnectProblem::NoDatabase, "x")).headline ==
          "The clinic server has no such database.");
    CHECK(of(pg::SchemaOutdated("old", 3, 4)).headline ==
          "The clinic database is older than this MyoScreen.");
    CHECK(of(pg::PermissionDenied("no")).headline == "This login may not use the clinic database.");
    StartFailure file = describe_start_failure(store::StoreError("damaged"), false);
    CHECK(file.headline == "The patient database on this computer could not be opened.");
    CHECK(file.detail == "damaged");
}

TEST_CASE("conflict view: what differs, field by field, in the form's words") {
    const Definitions& defs = myo::test::definitions();
    Assessment mine = myo::test::progress_visits().front();
    Assessment theirs = mine;
    mine.answers["nrs_now"] = 2;
    theirs.answers["nrs_now"] = 7;
    mine.answers["sleep_disrupted"] = true;
    theirs.answers.erase("sleep_disrupted");
    theirs.notes = "from room 2";
    mine.notes.reset();
    auto diffs = differences(defs, mine, theirs);
    REQUIRE(diffs.size() == 3);
    CHECK(diffs[0].field == "notes");
    CHECK(diffs[0].label == "Notes");
    CHECK(diffs[0].mine == "(empty)");
    CHECK(diffs[0].theirs == "from room 2");
    CHECK(diffs[1].field == "nrs_now");
    CHECK(diffs[1].label == defs.form.find("nrs_now")->label);
    CHECK(diffs[1].mine == "2");
    CHECK(diffs[1].theirs == "7");
    CHECK(diffs[2].field == "sleep_disrupted");
    CHECK(diffs[2].mine == "yes");
    CHECK(diffs[2].theirs == "(empty)");
    // The same copy twice: nothing differs.
    CHECK(differences(defs, mine, mine).empty());
}
