// The Preferences' "Database" section (issue 13): this computer's file or a clinic server. A
// password in the connection string is refused beside the field (nothing sent anywhere); "Test
// connection" runs on a worker thread and says who is signed in and the schema version; the
// choice is saved in the user's configuration and opened at the next start, where --db still
// wins. Needs the private PostgreSQL server (scripts/pg-test-server) for the connection itself.

#include <doctest/doctest.h>
#include <wx/button.h>
#include <wx/radiobut.h>
#include <wx/textctrl.h>
#include <wx/timer.h>

#include <chrono>

#include "../pg/pg_fixture.hpp"
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

// Runs `drive` on the Preferences dialog once it shows; `drive` ends it (OK or Cancel).
bool drive_preferences(MainFrame* frame, const std::function<void(PreferencesDialog*)>& drive) {
    bool done = false;
    wxTimer timer;
    timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        for (wxWindow* w : wxTopLevelWindows) {
            auto* d = dynamic_cast<PreferencesDialog*>(w);
            if (!d || !d->IsShown() || done) {
                continue;
            }
            done = true;
            timer.Stop();
            settle(150);
            drive(d);
            if (d->IsShown()) {
                d->EndModal(wxID_CANCEL);
            }
        }
    });
    timer.Start(100);
    frame->preferences();
    timer.Stop();
    return done;
}

template <typename T>
T* named(wxWindow* d, const char* name) {
    auto* w = dynamic_cast<T*>(d->FindWindowByName(name, d));
    REQUIRE_MESSAGE(w != nullptr, name);
    return w;
}

// Waits (handling events) until the connection test has an outcome, at most 15 s.
wxString wait_for_test(PreferencesDialog* d) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < until) {
        settle(50);
        wxString s = d->connection_status();
        if (!s.empty() && !s.StartsWith("Testing")) {
            return s;
        }
    }
    return d->connection_status();
}

}  // namespace

TEST_CASE("preferences database: a password is refused beside the field and never saved") {
    Fixture fx;
    bool refused = false;
    REQUIRE(drive_preferences(fx.frame, [&](PreferencesDialog* d) {
        auto* local = named<wxRadioButton>(d, "This computer");
        auto* server = named<wxRadioButton>(d, "A clinic server");
        auto* conninfo = named<wxTextCtrl>(d, "Clinic server");
        CHECK(local->GetValue());  // a first start: this computer's file
        CHECK_FALSE(conninfo->IsEnabled());
        click(server);
        settle();
        CHECK(server->GetValue());
        CHECK(conninfo->IsEnabled());
        conninfo->SetValue("host=db.clinic.example dbname=myoscreen password=secret");
        // "Test connection" refuses it as written, before any connection.
        click(named<wxButton>(d, "Test connection"));
        settle();
        CHECK(d->messages().Contains("holds a password"));
        CHECK(d->connection_status().empty());
        click(d->FindWindow(wxID_OK));
        settle();
        CHECK(d->IsShown());
        CHECK(d->messages().Contains("holds a password"));
        CHECK(d->messages().Contains("~/.pgpass"));
        screenshot("preferences-database-password-refused");
        refused = true;
        // An empty string is refused too, naming what to write.
        conninfo->SetValue("");
        click(d->FindWindow(wxID_OK));
        settle();
        CHECK(d->messages().Contains("connection string"));
        // Typed with a password, then "This computer" chosen and OK: the password is not kept.
        conninfo->SetValue("host=db.clinic.example password=secret");
        click(named<wxRadioButton>(d, "This computer"));
        settle();
        click(d->FindWindow(wxID_OK));
        settle();
        CHECK_FALSE(d->IsShown());
    }));
    CHECK(refused);
    CHECK_FALSE(load_database_choice().server);
    CHECK(load_database_choice().conninfo.empty());
    wxString saved;
    wxConfigBase::Get()->Read("/Database/Connection", &saved);
    CHECK_FALSE(saved.Contains("secret"));
    CHECK(startup_database(std::nullopt) == store::default_database_path());
}

TEST_CASE("preferences database: a clinic server tested, saved, and opened at the next start") {
    auto admin = myo::test::pg_setting();
    Fixture fx;
    std::optional<myo::test::ScratchDatabase> db;
    std::string conninfo = "service=myoscreen_clinic";  // without the server: saved only
    if (admin) {
        db.emplace(*admin);
        auto c = db->admin();
        pg::init_database(c, "tester");
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
        conninfo = db->conninfo("t.okafor");
        store::Store s(conninfo, myo::test::definitions());
        s.add_patient(Patient{"CL-1", "Clinic Patient", "1980-01-01", std::nullopt});
    }
    REQUIRE(drive_preferences(fx.frame, [&](PreferencesDialog* d) {
        click(named<wxRadioButton>(d, "A clinic server"));
        auto* field = named<wxTextCtrl>(d, "Clinic server");
        field->SetValue(wxString::FromUTF8(conninfo));
        if (admin) {
            auto* test = named<wxButton>(d, "Test connection");
            auto t0 = std::chrono::steady_clock::now();
            click(test);
            // The click returned at once: the connection runs on a worker thread.
            CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
            wxString outcome = wait_for_test(d);
            CHECK_MESSAGE(outcome.Contains("signed in as t.okafor"), outcome.utf8_string());
            CHECK(outcome.Contains("schema version " + std::to_string(pg::kPgSchemaVersion)));
            CHECK(test->IsEnabled());
            screenshot("preferences-database-tested");

            // A server that is not there: the clear reason, on the worker too.
            field->SetValue(wxString::FromUTF8(db->conninfo("t.okafor") + " port=1"));
            click(test);
            wxString failed = wait_for_test(d);
            CHECK_MESSAGE(failed.Contains("Cannot connect"), failed.utf8_string());
            field->SetValue(wxString::FromUTF8(conninfo));
        }
        click(d->FindWindow(wxID_OK));
        settle();
        CHECK_FALSE(d->IsShown());
    }));
    DatabaseChoice saved = load_database_choice();
    CHECK(saved.server);
    CHECK(saved.conninfo == conninfo);
    // The next start opens it; --db on the command line still wins.
    CHECK(startup_database(std::nullopt) == std::filesystem::path(conninfo));
    CHECK(startup_database(fx.dir.path() / "other.db") == fx.dir.path() / "other.db");

    if (admin) {
        // The application itself, started with this configuration and no --db, lists the
        // server's patient.
        auto app = myo::test::binary_dir() / "bin" / "myoscreen";
        auto config = fx.dir.path() / "config.ini";
        wxConfigBase::Get()->Flush();
        auto r = myo::test::run_command("timeout 30 " + myo::test::shell_quote(app.string()) +
                                        " --no-viewer --exit-when-ready --config " +
                                        myo::test::shell_quote(config.string()));
        CHECK_MESSAGE(r.status == 0, r.err);
        CHECK_MESSAGE(r.out.find("ready 1 ") == 0, r.out);
    }

    // Back to this computer: the string is kept for a later switch, the file is opened.
    REQUIRE(drive_preferences(fx.frame, [&](PreferencesDialog* d) {
        auto* server = named<wxRadioButton>(d, "A clinic server");
        CHECK(server->GetValue());
        CHECK(named<wxTextCtrl>(d, "Clinic server")->GetValue().utf8_string() == conninfo);
        click(named<wxRadioButton>(d, "This computer"));
        click(d->FindWindow(wxID_OK));
        settle();
    }));
    CHECK_FALSE(load_database_choice().server);
    CHECK(load_database_choice().conninfo == conninfo);
    CHECK(startup_database(std::nullopt) == store::default_database_path());
}
