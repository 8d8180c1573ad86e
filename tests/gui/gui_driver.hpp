#pragma once
// The GUI tests' driver (gui_driver.cpp): what every test file of test_gui uses to act as a
// person would under Xvfb. MYOSCREEN_SCREENSHOTS=DIR saves screenshots to look at.

#include <wx/app.h>
#include <wx/fileconf.h>
#include <wx/gdicmn.h>
#include <wx/timer.h>
#include <wx/window.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "core/json_util.hpp"
#include "gui/app_options.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/main_frame.hpp"
#include "gui/wx_util.hpp"
#include "store/store.hpp"
#include "support/test_support.hpp"

namespace guitest {

using myo::Json;

// Whether `actual` holds everything `expected` says (objects by expected keys, arrays by element).
bool has_subset(const Json& actual, const Json& expected);
// Answers compared as sets of findings: the file's key order is not a finding.
bool same_answers(const Json& a, const Json& b);
// Starts wx on the display once; fails (never skips) without one.
void ensure_wx();
// Lets the toolkit and the X server catch up: events, repaints, timers.
void settle(int ms = 60);
// Lets the window run (settle) until `done` or `seconds`; returns done().
bool wait_until(const std::function<bool()>& done, int seconds = 20);
const myo::BodyChart& chart();
// A control below the fold is scrolled into view first, as a person would scroll to it.
void scroll_to(wxWindow* w);
void click_at(wxWindow* w, const wxPoint& client);
void click(wxWindow* w);
void type(const std::string& text);
void key(int keycode);
// `import -window root` into $MYOSCREEN_SCREENSHOTS/NAME.png when that is set.
void screenshot(const std::string& name);
// Fills the New patient dialog through the keyboard and presses OK.
void create_patient_through_dialog(myo::gui::MainFrame* frame, const myo::Patient& p);
// Enters one answer through the item's real control (keys, clicks, the body chart).
void enter_answer(myo::gui::AssessmentEditor* ed, const myo::ItemDef& item, const Json& value);
void go_to(myo::gui::AssessmentEditor* ed, const std::string& step);
// Fills a whole assessment through the controls; `shots` names screenshots ("" for none).
void fill(myo::gui::AssessmentEditor* ed, const myo::Assessment& v, const std::string& shots);
// What `myoscreen-cli evaluate` says about `a` (written into `dir`).
Json cli_evaluate(const myo::Assessment& a, const std::filesystem::path& dir);

// A main window on a fresh database, configuration in a temporary folder.
struct Fixture {
    myo::test::TempDir dir;
    std::unique_ptr<myo::store::Store> store;
    myo::gui::MainFrame* frame = nullptr;

    std::filesystem::path db;
    bool fit_screen = true;
    // The first-start "who is using MyoScreen?" prompt would wait for a person: off unless a
    // test checks the prompt itself.
    bool ask_clinician = false;

    explicit Fixture(std::optional<std::filesystem::path> database = std::nullopt) {
        ensure_wx();
        db = database ? *database : dir.path() / "db.sqlite";
        wxConfigBase::Set(new wxFileConfig("myoscreen-test", wxEmptyString,
                                           myo::gui::wxs((dir.path() / "config.ini").string()),
                                           wxEmptyString, wxCONFIG_USE_LOCAL_FILE));
        open();
    }
    void open() {
        store = std::make_unique<myo::store::Store>(db, myo::test::definitions());
        myo::gui::AppOptions options;
        options.open_viewer = false;
        options.ask_clinician = ask_clinician;
        frame = new myo::gui::MainFrame(myo::test::definitions(), &chart(), *store, options);
        // The whole screen, as a clinician would use it: the screenshots at 1280x800 and
        // 1920x1080 then show what those screens show.
        if (fit_screen) {
            frame->SetSize(wxGetClientDisplayRect());
        }
        frame->Show();
        frame->Raise();
        settle(300);
    }
    void close() {
        if (frame) {
            frame->Destroy();
            frame = nullptr;
            settle(100);
            // Destroy() deletes at idle time; the frame must be gone before its store is.
            wxTheApp->ProcessIdle();
        }
        store.reset();
    }
    ~Fixture() { close(); }
};

// The dialog of type Dialog on screen, or null.
template <class Dialog>
Dialog* shown_dialog() {
    for (wxWindow* w : wxTopLevelWindows) {
        if (auto* d = dynamic_cast<Dialog*>(w); d && d->IsShown()) {
            return d;
        }
    }
    return nullptr;
}

// Shows a modal dialog with `open` and drives it with `drive` from a timer inside its own event
// loop, as a person would once it is on screen. Returns whether the dialog appeared.
template <class Dialog>
bool drive_dialog(const std::function<void()>& open, const std::function<void(Dialog*)>& drive) {
    bool done = false;
    wxTimer timer;
    timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        Dialog* d = shown_dialog<Dialog>();
        if (!d || done) {
            return;
        }
        done = true;
        timer.Stop();
        // Without a window manager, a window another process maps later lies on top: bring the
        // dialog up so the simulated clicks land on it.
        d->Raise();
        settle(200);
        drive(d);
    });
    timer.Start(100);
    open();
    timer.Stop();
    return done;
}

}  // namespace guitest
