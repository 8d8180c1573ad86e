// The first start (issue 14): the dialog asks where the records are kept, "This computer only"
// or "A clinic server" (fields or a connection string, Test connection on a worker thread), and
// the choice is what the next start opens. Against a server no name is asked: the login signs.

#include <doctest/doctest.h>
#include <wx/button.h>
#include <wx/choice.h>
#include <wx/config.h>
#include <wx/fileconf.h>
#include <wx/radiobut.h>
#include <wx/textctrl.h>

#include <chrono>
#include <cstdlib>

#include "../pg/pg_fixture.hpp"
#include "gui/clinician_dialog.hpp"
#include "gui/first_start_dialog.hpp"
#include "gui/model/server_fields.hpp"
#include "gui/preferences.hpp"
#include "gui_driver.hpp"
#include "store/paths.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

namespace {

// A configuration file and a data folder of the test's own (this computer's file lives under
// XDG_DATA_HOME), put back at the end.
struct FreshAccount {
    myo::test::TempDir dir;
    std::string saved_xdg;
    bool had_xdg = false;
    FreshAccount() {
        ensure_wx();
        wxConfigBase::Set(new wxFileConfig("myoscreen-test", wxEmptyString,
                                           wxs((dir.path() / "config.ini").string()), wxEmptyString,
                                           wxCONFIG_USE_LOCAL_FILE));
        if (const char* x = std::getenv("XDG_DATA_HOME")) {
            had_xdg = true;
            saved_xdg = x;
        }
        ::setenv("XDG_DATA_HOME", dir.path().c_str(), 1);
    }
    ~FreshAccount() {
        if (had_xdg) {
            ::setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
        } else {
            ::unsetenv("XDG_DATA_HOME");
        }
    }
};

}  // namespace

TEST_CASE("first start: the server's fields become one connection string; each is checked") {
    ServerFields f;
    f.host = " db.praxis.lan ";
    f.port = "5433";
    f.database = "river side";
    f.login = "t.o'kafor";
    f.tls = ServerTls::VerifyFull;
    CHECK(conninfo_of(f) ==
          "host='db.praxis.lan' port='5433' dbname='river side' user='t.o\\'kafor' "
          "sslmode='verify-full'");
    CHECK(check_server_fields(f).empty());
    f.tls = ServerTls::Automatic;
    f.port.clear();
    CHECK(conninfo_of(f) == "host='db.praxis.lan' dbname='river side' user='t.o\\'kafor'");

    ServerFields empty;
    empty.port = "70000";
    auto problems = check_server_fields(empty);
    REQUIRE(problems.size() == 4);
    CHECK(problems[0].field == "server_host");
    CHECK(problems[1].field == "server_port");
    CHECK(problems[1].message ==
          "The port is a number from 1 to 65535 (PostgreSQL's is 5432); leave it empty for 5432.");
    CHECK(problems[2].field == "server_database");
    CHECK(problems[3].field == "server_login");

    // A connection string wins over the fields, and a password in it is refused, not kept.
    ServerFields s;
    s.conninfo = "host=db.praxis.lan dbname=myoscreen user=t.okafor password=secret";
    auto refused = check_server_fields(s);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].field == "database");
    CHECK(refused[0].message.find("password") != std::string::npos);
}

TEST_CASE("first start: a fresh account is asked; one that chose, or has a file, is not") {
    FreshAccount account;
    CHECK(is_first_start());
    save_database_choice({});
    CHECK_FALSE(is_first_start());
}

TEST_CASE(
    "first start: a clinic server, tested off the GUI thread, kept for the next start; no name "
    "to type") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    myo::test::ScratchDatabase db(*admin);
    myo::test::init_clinic(db, {"t.okafor"});
    // The test server's socket folder and port, as an administrator would write them down.
    auto setting = [&](const std::string& key) {
        const std::string info = *admin;
        auto at = info.find(key + "=");
        REQUIRE(at != std::string::npos);
        auto end = info.find(' ', at);
        return info.substr(at + key.size() + 1, end == std::string::npos
                                                    ? std::string::npos
                                                    : end - at - key.size() - 1);
    };
    FreshAccount account;
    REQUIRE(is_first_start());

    DatabaseChoice chosen;
    bool started = false;
    bool shown = drive_dialog<FirstStartDialog>(
        [&] {
            FirstStartDialog d(nullptr, store::default_database_path().string());
            started = d.ShowModal() == wxID_OK;
            if (started) {
                chosen = d.choice();
            }
        },
        [&](FirstStartDialog* d) {
            CHECK(d->local_button()->GetValue());  // this computer, unless told otherwise
            CHECK_FALSE(d->host_field()->IsEnabled());
            screenshot("first-start");
            click(d->server_button());
            settle(100);
            CHECK(d->host_field()->IsEnabled());
            // Start without a server named: refused beside the field, nothing sent.
            click(d->FindWindow(wxID_OK));
            settle(100);
            CHECK(d->IsShown());
            CHECK(d->messages().Contains("Give the clinic server's name or address"));
            d->host_field()->SetValue(wxs(setting("host")));
            d->port_field()->SetValue(wxs(setting("port")));
            d->database_field()->SetValue(wxs(db.name()));
            d->login_field()->SetValue("t.okafor");
            // Test connection: on a worker thread; the window answers meanwhile.
            const auto t0 = std::chrono::steady_clock::now();
            click(d->test_button());
            const auto returned = std::chrono::steady_clock::now() - t0;
            CHECK(returned < std::chrono::milliseconds(500));
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
            while (!d->connection_status().Contains("Connected") &&
                   std::chrono::steady_clock::now() < until) {
                settle(50);
            }
            CHECK_MESSAGE(d->connection_status().Contains("signed in as t.okafor"),
                          d->connection_status().utf8_string());
            CHECK(d->connection_status().Contains("MyoScreen schema version " +
                                                  std::to_string(pg::kPgSchemaVersion)));
            screenshot("first-start-server-tested");
            click(d->FindWindow(wxID_OK));
        });
    REQUIRE(shown);
    REQUIRE(started);
    CHECK(chosen.server);
    CHECK(chosen.conninfo.find("user='t.okafor'") != std::string::npos);
    CHECK(chosen.conninfo.find("password") == std::string::npos);

    // Kept as app.cpp keeps it: the next start opens the server without asking.
    save_database_choice(chosen);
    CHECK_FALSE(is_first_start());
    CHECK(startup_database(std::nullopt) == std::filesystem::path(chosen.conninfo));

    // The window on that server asks no name: the login signs.
    Fixture fx(startup_database(std::nullopt));
    fx.ask_clinician = true;
    fx.close();
    bool asked = drive_dialog<ClinicianDialog>(
        [&] { fx.open(); }, [&](ClinicianDialog* d) { d->EndModal(wxID_CANCEL); });
    settle(300);
    CHECK_FALSE(asked);
    CHECK(fx.frame->editor()->clinician == "t.okafor");
}
