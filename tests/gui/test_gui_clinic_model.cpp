// What the window says about the clinic server (issue 14), without a display: who is signed in,
// why a readonly login's window is read-only, and the cause named when the database cannot be
// opened at start.

#include <doctest/doctest.h>

#include "gui/model/session_text.hpp"
#include "gui/model/start_failure.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_upgrade.hpp"

using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

TEST_CASE("clinic texts: signed in as login @ database, and a readonly login's reason") {
    store::ServerSession s{"front.desk", "riverside", "FRONT-1", false};
    CHECK(signed_in_as(s) == "front.desk @ riverside");
    CHECK(readonly_login_reason(s) ==
          "front.desk @ riverside is a readonly login: you can look at everything and write "
          "PDFs, but not change anything (ask the clinic's administrator for a clinician login "
          "to make changes)");
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
