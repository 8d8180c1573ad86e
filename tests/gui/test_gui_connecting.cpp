// Issue 14, the start: "no blocking network call on the GUI thread". A clinic server is opened
// (the connection, the login's session, the clinic's settings) on a worker behind
// ConnectingDialog. Here the private server is reached through the loopback proxy of the
// slow-server tests (tests/gui/slow_proxy), held so that nothing answers, then let go.

#include <doctest/doctest.h>
#include <wx/button.h>
#include <wx/timer.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>

#include "../pg/pg_fixture.hpp"
#include "gui/connecting_dialog.hpp"
#include "gui/open_store.hpp"
#include "gui/start_failure_dialog.hpp"
#include "gui_driver.hpp"
#include "slow_proxy.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/store.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// A clinic database (one login, t.okafor, with a letterhead name) and a proxy in front of the
// server's TLS listener; `target(timeout)` reaches the database through the proxy.
struct ProxiedClinic {
    myo::test::ScratchDatabase db;
    std::unique_ptr<SlowProxy> proxy;
    std::string tls;

    ProxiedClinic(const std::string& admin, std::string tls_conninfo, const std::string& passfile)
        : db(admin), tls(std::move(tls_conninfo)) {
        myo::test::init_clinic(db, {});
        {
            store::Store s(db.conninfo(), myo::test::definitions());
            store::Settings settings = s.load_settings();
            settings.clinician_name = "Dr Connecting Test";
            s.save_settings(settings);
        }
        proxy = std::make_unique<SlowProxy>(conninfo_value(tls, "hostaddr"),
                                            std::stoi(conninfo_value(tls, "port")));
        ::setenv("PGPASSFILE", passfile.c_str(), 1);
    }
    std::string target(int connect_timeout) const {
        return through_port(tls + " dbname=" + db.name(), proxy->port()) +
               " connect_timeout=" + std::to_string(connect_timeout);
    }
};

std::optional<ProxiedClinic> clinic() {
    auto admin = myo::test::pg_setting();
    auto tls = myo::test::pg_setting("_TLS");
    auto passfile = myo::test::pg_setting("_PASSFILE");
    if (!admin || !tls || !passfile) {
        return std::nullopt;
    }
    ensure_wx();
    return std::optional<ProxiedClinic>(std::in_place, *admin, *tls, *passfile);
}

}  // namespace

TEST_CASE(
    "clinic start: a silent server shows 'Connecting to' with the seconds, the GUI thread "
    "runs, and the window's reads arrive with the store when it answers") {
    auto c = clinic();
    if (!c) {
        return;
    }
    c->proxy->hold(true);
    std::unique_ptr<store::Store> opened;
    std::optional<StartupReads> reads;
    wxString first;
    wxString later;
    double longest_gap_ms = 0;
    const bool shown = drive_dialog<ConnectingDialog>(
        [&] {
            opened = open_store_or_ask(c->target(20), myo::test::definitions(), nullptr, &reads);
        },
        [&](ConnectingDialog* d) {
            first = d->text();
            // A 10 ms timer on the GUI thread while the connection waits: its longest gap is
            // the longest the thread was busy.
            wxTimer ticker;
            auto last = Clock::now();
            ticker.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
                const auto now = Clock::now();
                longest_gap_ms = std::max(
                    longest_gap_ms, std::chrono::duration<double, std::milli>(now - last).count());
                last = now;
            });
            ticker.Start(10);
            settle(2200);
            ticker.Stop();
            later = d->text();
            screenshot("clinic-start-connecting");
            CHECK(d->quit_button()->IsEnabled());
            c->proxy->hold(false);  // the server answers
            CHECK(wait_until([&] { return !d->IsShown(); }));
        });
    CHECK(shown);
    CHECK_MESSAGE(first.Contains("Connecting to"), first.utf8_string());
    CHECK_MESSAGE(first.Contains("database \"" + c->db.name() + "\""), first.utf8_string());
    CHECK_MESSAGE(later.Contains("for 2 s"), later.utf8_string());  // the seconds go on
    MESSAGE("longest GUI-thread gap while connecting: " << longest_gap_ms << " ms");
    CHECK(longest_gap_ms < 250.0);
    REQUIRE(opened != nullptr);
    CHECK(opened->on_server());
    REQUIRE(reads.has_value());
    REQUIRE(reads->session.has_value());
    CHECK(!reads->session->login.empty());
    REQUIRE(reads->settings.has_value());
    CHECK(reads->settings->clinician_name == "Dr Connecting Test");
}

TEST_CASE(
    "clinic start: Quit while connecting quits at once and opens nothing; a server that "
    "answers at once shows no dialog; one that never answers ends in the start-failure "
    "dialog") {
    auto c = clinic();
    if (!c) {
        return;
    }
    SUBCASE("Quit") {
        c->proxy->hold(true);
        std::unique_ptr<store::Store> opened;
        Clock::duration quit_took{};
        const bool shown = drive_dialog<ConnectingDialog>(
            [&] { opened = open_store_or_ask(c->target(20), myo::test::definitions()); },
            [&](ConnectingDialog* d) {
                const auto t0 = Clock::now();
                key(WXK_ESCAPE);  // as the Quit button: the keyboard's way out
                CHECK(wait_until([&] { return !d->IsShown(); }));
                quit_took = Clock::now() - t0;
            });
        CHECK(shown);
        CHECK(opened == nullptr);
        CHECK(quit_took < 1s);
        c->proxy->hold(false);  // the abandoned connection finishes on its worker, unseen
    }
    SUBCASE("a server that answers at once") {
        std::unique_ptr<store::Store> opened;
        std::optional<StartupReads> reads;
        const bool shown = drive_dialog<ConnectingDialog>(
            [&] {
                opened =
                    open_store_or_ask(c->target(20), myo::test::definitions(), nullptr, &reads);
            },
            [&](ConnectingDialog*) {});
        CHECK(!shown);  // no flash of a dialog
        CHECK(opened != nullptr);
        CHECK((reads && reads->session));
    }
    SUBCASE("never answers: connect_timeout, then the start-failure dialog") {
        c->proxy->hold(true);
        std::unique_ptr<store::Store> opened;
        wxString failure;
        const bool shown = drive_dialog<StartFailureDialog>(
            [&] { opened = open_store_or_ask(c->target(2), myo::test::definitions()); },
            [&](StartFailureDialog* d) {
                failure = d->text();
                click(d->quit_button());
            });
        CHECK(shown);
        CHECK(opened == nullptr);
        CHECK_MESSAGE(failure.Contains("does not answer"), failure.utf8_string());
        c->proxy->hold(false);
    }
}
