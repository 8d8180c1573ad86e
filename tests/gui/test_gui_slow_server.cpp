// Issue 14: "a slow server must never freeze typing". The window is connected to the private
// PostgreSQL server (scripts/pg-test-server, over TLS) through a proxy on loopback that delays
// every chunk 500 ms (tests/gui/slow_proxy), or holds everything (the server gone). Meanwhile
// the search box, the patient list and a form field are used by keyboard, and a 10 ms wxTimer
// records the gaps between its ticks: the longest gap is the longest the GUI thread was busy
// (a store call on it would show as a gap of a second or more). The bench case (skipped in the
// suite) repeats it for bench_gui_stall and bench/README.md.

#include <doctest/doctest.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "../pg/pg_fixture.hpp"
#include "gui/delete_patient_dialog.hpp"
#include "gui/history_dialog.hpp"
#include "gui/patient_dialog.hpp"
#include "gui/patient_list.hpp"
#include "gui/patient_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/progress_view.hpp"
#include "gui/store_worker.hpp"
#include "gui_driver.hpp"
#include "progress_visits.hpp"
#include "slow_proxy.hpp"
#include "store/pg/pg_schema.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
using namespace std::chrono_literals;
namespace pg = myo::store::pg;

namespace {

using Clock = std::chrono::steady_clock;

// The gaps between the ticks of a 10 ms timer on the GUI thread, in ms.
struct StallMeter {
    wxTimer timer;
    Clock::time_point last;
    std::vector<double> gaps;
    StallMeter() {
        timer.Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
            const auto now = Clock::now();
            gaps.push_back(std::chrono::duration<double, std::milli>(now - last).count());
            last = now;
        });
    }
    void start() {
        gaps.clear();
        last = Clock::now();
        timer.Start(10);
    }
    // Goes on after a pause (a screenshot: the test's own `import` blocks the GUI thread).
    void resume() {
        last = Clock::now();
        timer.Start(10);
    }
    void stop() {
        timer.Stop();
        // The time since the last tick counts too (a stall at the very end).
        gaps.push_back(std::chrono::duration<double, std::milli>(Clock::now() - last).count());
    }
    double longest() const {
        return gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
    }
};

double percentile(std::vector<double> v, double q) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

// Keys pressed by another process (xdotool, through XTest as a keyboard is): the GUI thread
// only handles them, as it would a person's. (wxUIActionSimulator would inject them from the
// GUI thread itself, which waits about 70 ms for each key: that is the test's time, not the
// window's.)
void press(const std::string& xdotool_args) {
    std::atomic<bool> done{false};
    std::thread t([&] {
        const std::string cmd = "xdotool " + xdotool_args + " >/dev/null 2>&1";
        CHECK(std::system(cmd.c_str()) == 0);
        done = true;
    });
    while (!done) {
        settle(5);
    }
    t.join();
    settle(60);
}

// A label's text on one line (a wrapped label has line breaks where it wraps).
wxString flat(wxString text) {
    text.Replace("\n", " ");
    return text;
}

wxString status(MainFrame* frame) {
    return frame->GetStatusBar()->GetStatusText(0);
}

// A clinic database of 250 patients, and a window on it through a SlowProxy.
struct SlowClinic {
    myo::test::ScratchDatabase db;
    std::unique_ptr<SlowProxy> proxy;
    std::unique_ptr<Fixture> fx;

    SlowClinic(const std::string& admin, const std::string& tls, const std::string& passfile)
        : db(admin) {
        {
            auto c = db.admin();
            pg::init_database(c, "tester");
        }
        {
            store::Store s(db.conninfo(), myo::test::definitions());
            for (int i = 1; i <= 250; ++i) {
                char id[16];
                char name[48];
                std::snprintf(id, sizeof id, "S%03d", i);
                std::snprintf(name, sizeof name, "Slow Patient %03d", i);
                s.add_patient(Patient{id, name, "1970-01-01", std::nullopt});
            }
        }
        // The TLS listener's own address, through the proxy; the password from the passfile.
        proxy = std::make_unique<SlowProxy>(conninfo_value(tls, "hostaddr"),
                                            std::stoi(conninfo_value(tls, "port")));
        ::setenv("PGPASSFILE", passfile.c_str(), 1);
        const std::string target =
            through_port(tls + " dbname=" + db.name(), proxy->port()) + " connect_timeout=5";
        fx = std::make_unique<Fixture>(std::filesystem::path(target));
        REQUIRE(fx->frame->read_worker() != nullptr);
        PatientPanel* panel = fx->frame->patients();
        // The first rows came through the read worker (its session is open now).
        REQUIRE(wait_until([&] { return panel->patient_count() == 250; }));
    }
    ~SlowClinic() {
        fx.reset();  // the window's sessions end before the proxy and the database go
        proxy.reset();
    }
};

struct Figures {
    double longest = 0;
    std::vector<double> gaps;
};

// Uses the window as a person would while the server is slow: the list scrolled to its end
// (pages read), a patient chosen (visits read), a search typed, and a form field typed in.
// `answered`: whether the answers are expected within the run (slow) or not (gone).
Figures use_window(SlowClinic& c, bool answered) {
    MainFrame* frame = c.fx->frame;
    PatientPanel* panel = frame->patients();
    StallMeter meter;
    meter.start();

    // The list: End shows the last rows, whose page is on its way ("Loading..."); when they
    // come, the selected patient's visits are read. (On this link a store call takes several
    // round trips of a second each: each step waits for its answer before the next.)
    panel->patient_list()->SetFocus();
    press("key End");
    const long last = panel->patient_count() - 1;
    if (answered) {
        CHECK(wait_until([&] {
            return !panel->patient_list()->loading(last) &&
                   panel->patient_list()->row(last) != nullptr;
        }));
        CHECK(wait_until([&] {
            return panel->visits_text().Contains("Slow Patient 250") &&
                   !panel->visits_text().Contains("loading");
        }));
    }
    // The search box: each key is typed at once, the list follows when the answer comes.
    panel->search()->SetFocus();
    press("type --delay 60 'slow patient 125'");
    CHECK(panel->search()->GetValue() == "slow patient 125");
    if (answered) {
        CHECK(wait_until([&] { return !panel->search_pending() && panel->patient_count() == 1; }));
        press("key Down");  // to the list, first row selected: its visits are read
        CHECK(wait_until([&] {
            return panel->visits_text().Contains("Slow Patient 125") &&
                   !panel->visits_text().Contains("loading");
        }));
    }

    // A form: the New patient dialog's fields (nothing is stored until OK).
    PatientDialog dlg(frame, *c.fx->store);
    dlg.Show();
    settle(100);
    dlg.name_field()->SetFocus();
    press("type --delay 60 'Zoe Typed-While-Slow'");
    CHECK(dlg.name_field()->GetValue() == "Zoe Typed-While-Slow");
    dlg.Hide();
    meter.stop();
    return {meter.longest(), meter.gaps};
}

struct Settings {
    std::string admin, tls, passfile;
};

std::optional<Settings> settings() {
    auto admin = myo::test::pg_setting();
    auto tls = myo::test::pg_setting("_TLS");
    auto passfile = myo::test::pg_setting("_PASSFILE");
    if (!admin || !tls || !passfile) {
        return std::nullopt;
    }
    return Settings{*admin, *tls, *passfile};
}

}  // namespace

TEST_CASE("slow server: with every packet 500 ms late, typing and scrolling never wait for it") {
    auto s = settings();
    if (!s) {
        return;
    }
    SlowClinic c(s->admin, s->tls, s->passfile);
    MainFrame* frame = c.fx->frame;
    PatientPanel* panel = frame->patients();
    c.proxy->set_delay(500ms);

    SUBCASE("the waiting state: Loading... rows, then 'Waiting for the server...'") {
        panel->patient_list()->SetFocus();
        key(WXK_END);
        const long last = panel->patient_count() - 1;
        CHECK(panel->patient_list()->loading(last));
        CHECK(panel->patient_list()->GetItemText(last) == "Loading...");
        // After StoreWorker::kSlowAfter the status bar says what the window waits for.
        CHECK(wait_until([&] { return status(frame) == MainFrame::waiting_for_server_text(); }, 3));
        screenshot("slow-server-loading");
        CHECK(wait_until([&] { return panel->patient_list()->row(last) != nullptr; }));
        CHECK(panel->patient_list()->row(last)->patient.name == "Slow Patient 250");
        // Idle again: the status bar says what it said before.
        CHECK(wait_until([&] { return status(frame) != MainFrame::waiting_for_server_text(); }));
    }
    SUBCASE("the history of changes opens at once and fills in when the trail comes") {
        const auto t0 = Clock::now();
        auto* dlg = new HistoryDialog(frame, *c.fx->store, "S125", "Slow Patient 125", std::nullopt,
                                      frame->read_worker());
        CHECK(Clock::now() - t0 < 250ms);  // before: the trail read here, 4-6 s on this link
        dlg->Show();
        CHECK(dlg->count_text() == "Reading the history...");
        screenshot("slow-server-history");
        CHECK(wait_until([&] { return dlg->count_text() == "1 change"; }));
        CHECK_MESSAGE(dlg->text().Contains("patient created"), dlg->text().utf8_string());
        // Closed while its answer is on its way: the answer is dropped (no use after free).
        dlg->fill();
        dlg->Destroy();
        settle(50);
        CHECK(wait_until([&] { return frame->read_worker()->pending() == 0; }));
        settle(50);
    }
    SUBCASE("the GUI thread's longest stall stays short") {
        Figures f = use_window(c, true);
        MESSAGE("slow server (500 ms per chunk): longest GUI-thread stall "
                << f.longest << " ms, p99 of the 10 ms ticks' gaps " << percentile(f.gaps, 0.99)
                << " ms over " << f.gaps.size() << " ticks");
        // Generous for a loaded 2-core CI machine; the bench records the real figure (the
        // target is 100 ms). A store call on the GUI thread here costs a second or more.
        CHECK(f.longest < 250.0);
    }
}

TEST_CASE("slow server: a server gone answers 'no answer' in time and the window stays usable") {
    auto s = settings();
    if (!s) {
        return;
    }
    SlowClinic c(s->admin, s->tls, s->passfile);
    MainFrame* frame = c.fx->frame;
    PatientPanel* panel = frame->patients();
    c.proxy->hold(true);  // nothing passes: as a paused server, or the cable out
    Figures f = use_window(c, false);
    MESSAGE("server gone: longest GUI-thread stall " << f.longest << " ms, p99 "
                                                     << percentile(f.gaps, 0.99) << " ms");
    CHECK(f.longest < 250.0);
    CHECK(status(frame) == MainFrame::waiting_for_server_text());
    CHECK(panel->search_pending());
    screenshot("slow-server-gone");
    // The read's timeout (StoreReads::kReadTimeout): the list says so, in words.
    CHECK(wait_until([&] { return !panel->search_pending(); }, 15));
    CHECK(status(frame) == MainFrame::waiting_for_server_text());  // still: nothing came
    CHECK_MESSAGE(panel->count_text().Contains("no answer from the database within 10 s"),
                  panel->count_text().utf8_string());
    screenshot("slow-server-timed-out");
    // The server back: the next search is answered.
    c.proxy->hold(false);
    panel->search()->SetFocus();
    panel->search()->SelectAll();
    type("slow patient 25");
    CHECK(wait_until([&] { return !panel->search_pending() && panel->patient_count() == 1; }, 30));
}

// Issue 14, the rest of the window's store calls (Progress, New patient, Delete patient, the
// Preferences' clinic settings, the outputs): each says what it waits for, the GUI thread goes
// on meanwhile, the answer arrives, and a server that does not answer is said in words.
TEST_CASE("slow server: Progress, the dialogs, the settings and the outputs wait visibly") {
    auto s = settings();
    if (!s) {
        return;
    }
    SlowClinic c(s->admin, s->tls, s->passfile);
    MainFrame* frame = c.fx->frame;
    REQUIRE(frame->write_worker() != nullptr);
    {
        // Three final visits of one patient, straight to the server (not through the proxy).
        store::Store direct(c.db.conninfo(), myo::test::definitions());
        auto visits = myo::test::progress_visits();
        direct.add_patient(visits[0].patient);
        for (const auto& v : visits) {
            direct.finalize(direct.create_draft(v));
        }
    }
    // 200 ms a chunk (a round trip of 0.4 s): every call below is still slower than
    // StoreWorker::kSlowAfter, and Progress's read (a query a visit) stays within its timeout.
    c.proxy->set_delay(200ms);
    StallMeter meter;
    meter.start();

    // Progress: the page says what it reads, the status bar that it waits, then the visits.
    ProgressView* progress = frame->progress();
    PatientPanel* panel = frame->patients();
    panel->reload();
    REQUIRE(wait_until([&] { return panel->patient_count() == 251; }, 20));
    panel->select_patient("PRG-1");
    REQUIRE(wait_until([&] { return panel->selected_patient().has_value(); }, 20));
    frame->show_progress();
    CHECK(frame->showing_progress());
    CHECK(progress->loading());
    CHECK(progress->model() == nullptr);
    CHECK(progress->status_text() == "Reading the visits...");
    CHECK(wait_until([&] { return status(frame) == MainFrame::waiting_for_server_text(); }, 3));
    meter.stop();
    screenshot("slow-server-progress");
    meter.resume();
    CHECK(wait_until([&] { return !progress->loading(); }, 20));
    REQUIRE_MESSAGE(progress->model() != nullptr, progress->status_text().utf8_string());
    CHECK(progress->model()->visits().size() == 3);
    CHECK_FALSE(progress->loading());

    // The progress PDF: the letterhead is read first, then the file is written.
    myo::test::TempDir out;
    CHECK_FALSE(progress->write_pdf(out.path().string()).has_value());
    CHECK(progress->status_text() == "Reading the letterhead from the clinic server...");
    CHECK(wait_until([&] { return progress->status_text().StartsWith("Wrote "); }, 20));
    CHECK(std::distance(std::filesystem::directory_iterator(out.path()),
                        std::filesystem::directory_iterator{}) == 1);

    // New patient: the dialog says it is adding, and closes on the server's answer.
    {
        PatientDialog dlg(frame, *c.fx->store, frame->write_worker());
        dlg.Show();
        dlg.name_field()->ChangeValue("Zoe Added-While-Slow");
        dlg.id_field()->ChangeValue("SLOW-NEW");
        dlg.birth_field()->ChangeValue("1980-05-06");
        CHECK_FALSE(dlg.accept());
        CHECK(dlg.waiting());
        CHECK(dlg.state_text() == "Adding Zoe Added-While-Slow to the clinic server...");
        meter.stop();
        screenshot("slow-server-new-patient");
        meter.resume();
        CHECK(wait_until([&] { return dlg.patient().has_value(); }, 20));
        CHECK_FALSE(dlg.waiting());
        // The same id again: refused under the field once the server said it exists.
        PatientDialog again(frame, *c.fx->store, frame->write_worker());
        again.Show();
        again.name_field()->ChangeValue("Zoe Again");
        again.id_field()->ChangeValue("SLOW-NEW");
        again.birth_field()->ChangeValue("1980-05-06");
        CHECK_FALSE(again.accept());
        CHECK(wait_until([&] { return !again.waiting(); }, 20));
        CHECK_FALSE(again.patient().has_value());
        CHECK_MESSAGE(again.messages().Contains("A patient with this id already exists."),
                      again.messages().utf8_string());
    }

    // The Preferences: the clinic's settings are read before the dialog opens, and saved after.
    bool opened = drive_dialog<PreferencesDialog>(
        [&] {
            frame->preferences();
            CHECK(status(frame) == "Reading the clinic's settings...");
            wait_until([&] { return status(frame) == "The clinic's settings are saved."; }, 30);
        },
        [](PreferencesDialog* d) { d->EndModal(wxID_OK); });
    CHECK(opened);
    CHECK(status(frame) == "The clinic's settings are saved.");

    // Delete patient: the count of visits comes later, the deletion waits visibly.
    {
        Patient p{"SLOW-NEW", "Zoe Added-While-Slow", "1980-05-06", std::nullopt};
        DeletePatientDialog dlg(frame, *c.fx->store, p, frame->read_worker(),
                                frame->write_worker());
        dlg.Show();
        CHECK(dlg.warning_text().Contains("(counting...)"));
        CHECK(
            wait_until([&] { return flat(dlg.warning_text()).Contains("with all 0 stored"); }, 20));
        // A name that does not match (the store checks it before the backup, so the test
        // does not wait for a dump through the slow link): the waiting state, then the refusal.
        dlg.name_field()->ChangeValue("Zoe Somebody-Else");
        CHECK_FALSE(dlg.accept());
        CHECK(dlg.waiting());
        CHECK(dlg.message().StartsWith("Deleting Zoe Added-While-Slow on the clinic server"));
        meter.stop();
        screenshot("slow-server-delete-patient");
        meter.resume();
        CHECK(wait_until([&] { return !dlg.waiting(); }, 20));
        CHECK_FALSE(dlg.report().has_value());
        CHECK_MESSAGE(dlg.message().StartsWith("The name typed does not match."),
                      dlg.message().utf8_string());
    }
    meter.stop();
    MESSAGE("Progress, PDF, dialogs and settings on a slow server: longest GUI-thread stall "
            << meter.longest() << " ms");
    CHECK(meter.longest() < 250.0);

    // A server that does not answer: the addition is said not done, in time, naming it.
    c.proxy->hold(true);
    {
        // Both at once (two workers): Progress's read and a new patient's addition.
        progress->show_patient("PRG-1");
        PatientDialog dlg(frame, *c.fx->store, frame->write_worker());
        dlg.Show();
        dlg.name_field()->ChangeValue("Held Back");
        dlg.id_field()->ChangeValue("HELD-1");
        dlg.birth_field()->ChangeValue("1980-05-06");
        CHECK_FALSE(dlg.accept());
        CHECK(wait_until([&] { return !dlg.waiting() && !progress->loading(); }, 15));
        CHECK_FALSE(dlg.patient().has_value());
        CHECK_MESSAGE(
            flat(dlg.state_text())
                .StartsWith("Held Back was not added: no answer from the database within 10 s"),
            dlg.state_text().utf8_string());
        screenshot("slow-server-new-patient-timed-out");
        CHECK_MESSAGE(progress->status_text().Contains("no answer from the database within 10 s"),
                      progress->status_text().utf8_string());
    }
    c.proxy->hold(false);
}

TEST_CASE("bench: GUI-thread stall while the server is slow or gone" * doctest::skip()) {
    auto s = settings();
    if (!s) {
        return;
    }
    const int runs =
        std::getenv("MYOSCREEN_BENCH_RUNS") ? std::atoi(std::getenv("MYOSCREEN_BENCH_RUNS")) : 5;
    for (bool gone : {false, true}) {
        std::vector<double> longest;
        std::vector<double> gaps;
        for (int r = 0; r < runs; ++r) {
            SlowClinic c(s->admin, s->tls, s->passfile);
            c.proxy->set_delay(500ms);
            c.proxy->hold(gone);
            Figures f = use_window(c, !gone);
            longest.push_back(f.longest);
            gaps.insert(gaps.end(), f.gaps.begin(), f.gaps.end());
            c.proxy->hold(false);
        }
        const char* what = gone ? "server gone" : "server slow (500 ms per packet)";
        std::printf("STALL\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%d\n", what, percentile(longest, 0.5),
                    percentile(longest, 0.1), percentile(longest, 0.9), percentile(gaps, 0.99),
                    runs);
        std::fflush(stdout);
    }
}

TEST_CASE(
    "store worker: a job waiting behind one that does not end is answered when its time is up") {
    // Before, a job's time began when it started: behind a call stuck on a server that stopped
    // answering, the search typed next was never answered at all.
    ensure_wx();
    myo::test::TempDir dir;
    wxEvtHandler sink;
    StoreWorker worker(
        [&] {
            return std::make_unique<store::Store>(dir.path() / "db.sqlite",
                                                  myo::test::definitions());
        },
        &sink);
    std::atomic<bool> release{false};
    std::atomic<bool> second_ran{false};
    std::optional<StoreReply<int>> first;
    std::optional<StoreReply<int>> second;
    worker.call<int>(
        [&](store::Store&) {
            while (!release) {
                std::this_thread::sleep_for(5ms);
            }
            return 1;
        },
        [&](StoreReply<int> r) { first = std::move(r); }, 5000ms);
    const auto asked = Clock::now();
    worker.call<int>(
        [&](store::Store&) {
            second_ran = true;
            return 2;
        },
        [&](StoreReply<int> r) { second = std::move(r); }, 300ms);
    CHECK(wait_until([&] { return second.has_value(); }, 3));
    const auto waited = Clock::now() - asked;
    REQUIRE(second.has_value());
    CHECK(second->timed_out);
    CHECK(second->message.rfind("no answer from the database within", 0) == 0);
    CHECK(waited < 1000ms);
    CHECK_FALSE(first.has_value());
    release = true;
    CHECK(wait_until([&] { return first.has_value(); }, 3));
    CHECK(first->ok());
    settle(50);
    CHECK_FALSE(second_ran);  // answered "timed out": never run afterwards
}
