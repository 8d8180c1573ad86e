// Clinic mode in the desktop application (issue 14), against the private PostgreSQL server
// (scripts/pg-test-server; MYOSCREEN_TEST_PG, read by myo::test::pg_setting, which fails in CI
// without it and skips elsewhere):
// - who is signed in to which database, in the title and the status bar;
// - a readonly login changes nothing through any control or shortcut, and says why;
// - a database that cannot be opened at start is explained with Retry / Choose another
//   database / Quit, never a crash or a bare exit.

#include <doctest/doctest.h>
#include <wx/button.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/radiobut.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "../pg/pg_fixture.hpp"
#include "gui/clinic_link.hpp"
#include "gui/conflict_dialog.hpp"
#include "gui/open_store.hpp"
#include "gui/patient_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/progress_view.hpp"
#include "gui/start_failure_dialog.hpp"
#include "gui/take_over_dialog.hpp"
#include "gui_driver.hpp"
#include "other_workstation.hpp"
#include "progress_visits.hpp"
#include "store/paths.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

namespace {

// A clinic database with a clinician and a readonly login.
struct Clinic {
    myo::test::ScratchDatabase db;
    explicit Clinic(const std::string& admin) : db(admin) {
        myo::test::init_clinic(db, {"t.okafor"});
        auto c = db.admin();
        pg::add_user(c, "front.desk", pg::UserRole::Readonly);
    }
    std::string as(const std::string& login) const { return db.conninfo(login); }
    std::int64_t audit_rows() const {
        auto c = db.admin();
        return c.query_int("SELECT count(*) FROM myoscreen.audit");
    }
    // A colleague, m.silva, and leases that expire 2 s after their last heartbeat (2 minutes
    // in a clinic): the lease cases.
    void add_colleague_short_leases() const {
        auto c = db.admin();
        pg::add_user(c, "m.silva", pg::UserRole::Clinician);
        c.exec("UPDATE myoscreen.lease_policy SET stale_after = interval '2 seconds'");
    }
};

// Every menu item of the frame's menus, by label without its mnemonic and shortcut.
wxMenuItem* menu_item(wxFrame* frame, const wxString& label) {
    wxMenuBar* bar = frame->GetMenuBar();
    for (std::size_t m = 0; m < bar->GetMenuCount(); ++m) {
        for (wxMenuItem* item : bar->GetMenu(m)->GetMenuItems()) {
            if (item->GetItemLabelText() == label) {
                return item;
            }
        }
    }
    FAIL("no menu item " << label.utf8_string());
    return nullptr;
}

// While it lives, any modal dialog that appears is closed (Cancel) and counted: a key that
// should do nothing must not hang the test if it does something.
struct DialogCatcher {
    int seen = 0;
    wxTimer timer;
    DialogCatcher() {
        timer.Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
            for (wxWindow* w : wxTopLevelWindows) {
                auto* d = dynamic_cast<wxDialog*>(w);
                if (d && d->IsShown() && d->IsModal()) {
                    ++seen;
                    d->EndModal(wxID_CANCEL);
                }
            }
        });
        timer.Start(100);
    }
};

// Waits (handling events) until `done`, at most `seconds`.
}  // namespace

TEST_CASE("clinic: the title and status bar say who is signed in to which database") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    const std::string who = "t.okafor @ " + clinic.db.name();
    Fixture fx(std::filesystem::path(clinic.as("t.okafor")));
    REQUIRE(fx.frame->session().has_value());
    CHECK(fx.frame->session()->may_write);
    CHECK_MESSAGE(fx.frame->GetTitle().utf8_string().find(who) != std::string::npos,
                  fx.frame->GetTitle().utf8_string());
    CHECK_FALSE(fx.frame->GetTitle().Contains("read-only"));
    CHECK(fx.frame->clinician_status().utf8_string().find(who) == 0);
    CHECK(fx.frame->patients()->new_patient_button()->IsEnabled());
    CHECK(menu_item(fx.frame, "New patient...")->IsEnabled());
    screenshot("clinic-signed-in");

    // A file has no login: the title and status bar are as before.
    Fixture local;
    CHECK_FALSE(local.frame->session().has_value());
    CHECK_FALSE(local.frame->GetTitle().Contains("@"));
}

TEST_CASE("clinic: a readonly login cannot change anything through any control or shortcut") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    // What the clinician made: two final visits (Progress) and a draft with an emergency.
    std::int64_t draft = 0;
    std::string draft_before;
    {
        store::Store s(clinic.as("t.okafor"), myo::test::definitions());
        s.import_assessments(myo::test::progress_visits());
        Assessment v4 = myo::test::vignette_assessment(myo::test::vignette_files().at(3));
        s.add_patient(v4.patient);
        draft = s.create_draft(v4);
        draft_before = s.load_document(draft);
    }
    const std::int64_t audit_before = clinic.audit_rows();

    Fixture fx(std::filesystem::path(clinic.as("front.desk")));
    MainFrame* frame = fx.frame;
    REQUIRE(frame->session().has_value());
    CHECK_FALSE(frame->session()->may_write);
    CHECK(fx.store->read_only());
    const std::string who = "front.desk @ " + clinic.db.name();
    CHECK(frame->GetTitle().utf8_string().find(who + " (read-only)") != std::string::npos);
    CHECK(frame->clinician_status().utf8_string().find(who + " (read-only)") == 0);
    // The reason is shown, not only the fact.
    CHECK_MESSAGE(frame->GetStatusBar()->GetStatusText().Contains("is a readonly login"),
                  frame->GetStatusBar()->GetStatusText().utf8_string());
    screenshot("clinic-readonly-patients");

    // Every menu item that would write is disabled; reading ones are not.
    for (const char* label :
         {"New patient...", "New assessment", "New follow-up", "Save draft", "Delete patient...",
          "Acknowledge emergency", "Finalize...", "Amend"}) {
        CAPTURE(label);
        CHECK_FALSE(menu_item(frame, label)->IsEnabled());
    }
    for (const char* label :
         {"Referral PDF", "History of changes...", "Find patient", "Preferences...", "Progress"}) {
        CAPTURE(label);
        CHECK(menu_item(frame, label)->IsEnabled());
    }

    // The patients page's writing buttons, with a patient selected.
    frame->patients()->reload();
    frame->patients()->select_patient("PRG-1");
    settle();
    CHECK_FALSE(frame->patients()->new_patient_button()->IsEnabled());
    CHECK_FALSE(frame->patients()->new_assessment_button()->IsEnabled());
    CHECK_FALSE(frame->patients()->follow_up_button()->IsEnabled());
    CHECK(frame->patients()->progress_button()->IsEnabled());

    // Progress: the baseline cannot be marked.
    frame->show_progress();
    REQUIRE(frame->showing_progress());
    CHECK_FALSE(frame->progress()->mark_button()->IsEnabled());

    // The draft opens read-only: no field takes a value, no button signs off or acknowledges.
    frame->open_assessment(draft);
    AssessmentEditor* ed = frame->editor();
    REQUIRE(ed->model() != nullptr);
    CHECK(ed->model()->read_only());
    CHECK_FALSE(ed->acknowledge_button()->IsEnabled());
    CHECK(ed->apply("nrs_now", 2).has_value());
    CHECK(ed->status_text().Contains("readonly login"));
    screenshot("clinic-readonly-draft");

    // Every writing shortcut, pressed for real from the editor: nothing happens.
    {
        DialogCatcher catcher;
        wxUIActionSimulator sim;
        ed->SetFocus();
        settle();
        const std::pair<int, int> keys[] = {
            {'N', wxMOD_CONTROL},                 // new patient
            {'A', wxMOD_CONTROL | wxMOD_SHIFT},   // new assessment
            {'F', wxMOD_CONTROL | wxMOD_SHIFT},   // new follow-up
            {'S', wxMOD_CONTROL},                 // save draft
            {'E', wxMOD_CONTROL | wxMOD_SHIFT},   // acknowledge emergency
            {'S', wxMOD_CONTROL | wxMOD_SHIFT}};  // finalize
        for (auto [k, mods] : keys) {
            CAPTURE(k);
            wxKeyEvent e(wxEVT_CHAR_HOOK);
            e.m_keyCode = k;
            e.SetControlDown((mods & wxMOD_CONTROL) != 0);
            e.SetShiftDown((mods & wxMOD_SHIFT) != 0);
            CHECK_FALSE(frame->shortcut_command(e).has_value());
            sim.Char(k, mods);
            settle(150);
        }
        CHECK(catcher.seen == 0);
    }
    // The commands themselves, as another path to them would call them, refuse too.
    frame->new_patient();
    frame->delete_patient();
    ed->acknowledge_emergencies();
    CHECK_FALSE(ed->finalize(false));
    settle();
    CHECK(frame->GetStatusBar()->GetStatusText().Contains("read-only"));

    // Preferences: the clinic's settings are shown but cannot be changed.
    // On a server the settings are read first (on the read worker): the dialog opens when they
    // come.
    bool driven = false;
    bool shown = drive_dialog<PreferencesDialog>(
        [&] {
            frame->preferences();
            wait_until([&] { return driven; }, 20);
        },
        [&](PreferencesDialog* d) {
            driven = true;
            auto* clinic_name = dynamic_cast<wxTextCtrl*>(d->FindWindowByName("Clinic name", d));
            REQUIRE(clinic_name != nullptr);
            CHECK_FALSE(clinic_name->IsEnabled());
            d->EndModal(wxID_OK);
        });
    CHECK(shown);

    fx.close();
    // Nothing reached the database: the draft is as the clinician left it, no audit row.
    store::Store check(clinic.as("t.okafor"), myo::test::definitions());
    CHECK(check.load_document(draft) == draft_before);
    CHECK(clinic.audit_rows() == audit_before);
    CHECK(check.list_patients().size() == 2);
}

TEST_CASE("clinic start: a server that does not answer is explained, Retry tries again, Quit") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    ensure_wx();
    Clinic clinic(*admin);
    // Nothing listens on port 1: "no PostgreSQL server answered".
    const std::string down = clinic.as("t.okafor") + " host=127.0.0.1 port=1 sslmode=disable";
    std::unique_ptr<store::Store> opened;
    wxString first;
    wxString after_retry;
    bool shown = drive_dialog<StartFailureDialog>(
        [&] { opened = open_store_or_ask(down, myo::test::definitions()); },
        [&](StartFailureDialog* d) {
            first = d->text();
            CHECK(d->retry_button()->IsEnabled());
            screenshot("clinic-start-server-down");
            const auto t0 = std::chrono::steady_clock::now();
            click(d->retry_button());
            // Retry returns at once: the connection is tried on a worker.
            CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
            CHECK(wait_until([&] { return d->retry_button()->IsEnabled(); }));
            CHECK(d->IsShown());  // still down: the dialog stays, with the newest cause
            after_retry = d->text();
            click(d->quit_button());
        });
    CHECK(shown);
    CHECK(opened == nullptr);
    CHECK_MESSAGE(first.Contains("The clinic server does not answer."), first.utf8_string());
    CHECK(first.Contains("no PostgreSQL server answered"));
    CHECK(first.Contains("Nothing was written on this computer."));
    CHECK(after_retry.Contains("does not answer"));
}

TEST_CASE("clinic start: Retry opens the database once it can be opened") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    ensure_wx();
    // A login the server does not know yet (roles are the whole server's: a new name), in a
    // database not set up yet: the login is refused.
    myo::test::ScratchDatabase db(*admin);
    const std::string login = "late." + db.name();
    std::unique_ptr<store::Store> opened;
    wxString first;
    bool shown = drive_dialog<StartFailureDialog>(
        [&] { opened = open_store_or_ask(db.conninfo(login), myo::test::definitions()); },
        [&](StartFailureDialog* d) {
            first = d->text();
            screenshot("clinic-start-login-refused");
            // The administrator sets it up meanwhile; Retry then opens it.
            auto c = db.admin();
            pg::init_database(c, "tester");
            pg::add_user(c, login, pg::UserRole::Clinician);
            click(d->retry_button());
            wait_until([&] { return !d->IsShown(); });
        });
    CHECK(shown);
    CHECK_MESSAGE(first.Contains("refused the login"), first.utf8_string());
    REQUIRE(opened != nullptr);
    CHECK(opened->on_server());
    CHECK(opened->server_session()->login == login);
}

TEST_CASE("clinic start: Choose another database opens the one chosen in the Preferences") {
    ensure_wx();
    myo::test::TempDir dir;
    wxConfigBase::Set(new wxFileConfig("myoscreen-test", wxEmptyString,
                                       wxs((dir.path() / "config.ini").string()), wxEmptyString,
                                       wxCONFIG_USE_LOCAL_FILE));
    // This computer's file lives under XDG_DATA_HOME: the test's folder.
    const char* old_xdg = std::getenv("XDG_DATA_HOME");
    std::string saved_xdg = old_xdg ? old_xdg : "";
    ::setenv("XDG_DATA_HOME", dir.path().c_str(), 1);
    // A server that is not there (a closed port on this machine): no PostgreSQL needed.
    const std::string down =
        "host=127.0.0.1 port=1 dbname=myoscreen user=t.okafor "
        "sslmode=disable connect_timeout=2";
    std::unique_ptr<store::Store> opened;
    bool chose = false;
    // The Preferences open once the start dialog has ended: "This computer", OK.
    wxTimer prefs_timer;
    prefs_timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
        auto* p = shown_dialog<PreferencesDialog>();
        if (!p || chose) {
            return;
        }
        chose = true;
        prefs_timer.Stop();
        settle(150);
        auto* clinic_name = dynamic_cast<wxTextCtrl*>(p->FindWindowByName("Clinic name", p));
        REQUIRE(clinic_name != nullptr);
        CHECK_FALSE(clinic_name->IsEnabled());  // no database open: nothing to show
        click(dynamic_cast<wxRadioButton*>(p->FindWindowByName("This computer", p)));
        screenshot("clinic-start-choose-database");
        click(p->FindWindow(wxID_OK));
    });
    prefs_timer.Start(100);
    bool shown = drive_dialog<StartFailureDialog>(
        [&] { opened = open_store_or_ask(down, myo::test::definitions()); },
        [&](StartFailureDialog* d) {
            CHECK(d->text().Contains("does not answer"));
            click(d->choose_button());
        });
    prefs_timer.Stop();
    CHECK(shown);
    CHECK(chose);
    REQUIRE(opened != nullptr);
    CHECK_FALSE(opened->on_server());
    CHECK(opened->target() == store::default_database_path());
    CHECK_FALSE(load_database_choice().server);
    opened.reset();
    if (old_xdg) {
        ::setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
    } else {
        ::unsetenv("XDG_DATA_HOME");
    }
}

namespace {

// The newest audit rows' actions and summaries, as the admin reads them.
std::vector<std::pair<std::string, std::string>> audit_tail(const Clinic& clinic, int n) {
    auto c = clinic.db.admin();
    auto r = c.exec(
        "SELECT action, summary, clinician FROM myoscreen.audit ORDER BY seq DESC "
        "LIMIT $1",
        {std::to_string(n)});
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace_back(r.text(i, 0), r.text(i, 2) + ": " + r.text(i, 1));
    }
    return out;
}

std::int64_t lease_rows(const Clinic& clinic) {
    auto c = clinic.db.admin();
    return c.query_int("SELECT count(*) FROM myoscreen.draft_leases");
}

}  // namespace

TEST_CASE(
    "clinic lease: a draft edited elsewhere opens read-only with the banner; Take over "
    "after expiry; the other window turns read-only keeping its answers") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    clinic.add_colleague_short_leases();
    Assessment v = myo::test::progress_visits().front();
    std::int64_t draft = 0;
    {
        store::Store s(clinic.as("m.silva"), myo::test::definitions());
        Assessment start = v;
        start.answers = Json::object();
        s.add_patient(start.patient);
        draft = s.create_draft(start);
    }

    // m.silva's window opens the draft and types.
    Fixture b(std::filesystem::path(clinic.as("m.silva")));
    REQUIRE(b.frame->clinic_link() != nullptr);
    b.frame->open_assessment(draft);
    AssessmentEditor* eb = b.frame->editor();
    REQUIRE(wait_until([&] { return eb->lease() == AssessmentEditor::Lease::Ours; }));
    CHECK_FALSE(eb->model()->read_only());
    CHECK_FALSE(eb->apply("nrs_now", 5).has_value());
    eb->save_now();
    CHECK(lease_rows(clinic) == 1);

    // t.okafor's window opens it: read-only, with who, where and since when.
    Fixture a(std::filesystem::path(clinic.as("t.okafor")));
    a.frame->open_assessment(draft);
    AssessmentEditor* ea = a.frame->editor();
    REQUIRE(wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Theirs; }));
    CHECK(ea->model()->read_only());
    CHECK(ea->lease_banner()->IsShown());
    const std::string banner = ea->lease_banner_text().utf8_string();
    CHECK_MESSAGE(banner.rfind("Being edited by m.silva on ", 0) == 0, banner);
    CHECK(banner.find(" since ") != std::string::npos);
    CHECK(ea->apply("nrs_average", 3).has_value());  // refused: read-only
    CHECK_FALSE(ea->finalize_button()->IsEnabled());
    CHECK(ea->take_over_button()->IsShown());
    a.frame->Raise();
    screenshot("clinic-lease-banner");

    // Take over while m.silva's workstation still beats: it asks first; Cancel takes nothing.
    CHECK(drive_dialog<TakeOverDialog>(
        [&] {
            click(ea->take_over_button());
            wait_until([&] { return ea->take_over_button()->IsEnabled(); });
        },
        [&](TakeOverDialog* d) { click(d->cancel_button()); }));
    CHECK(ea->lease() == AssessmentEditor::Lease::Theirs);
    CHECK_MESSAGE(ea->status_text().Contains("Not taken over: m.silva on "),
                  ea->status_text().utf8_string());
    CHECK(ea->status_text().Contains("silent for 2 seconds"));

    // m.silva's workstation goes silent (hung, cable out) after typing two more answers.
    CHECK_FALSE(eb->apply("nrs_average", 6).has_value());
    CHECK_FALSE(eb->apply("sleep_disrupted", true).has_value());
    eb->save_now();
    b.frame->clinic_link()->suspend_heartbeats_for_test(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));

    // Take over after expiry: t.okafor edits it now, with m.silva's saved answers.
    const auto t0 = std::chrono::steady_clock::now();
    click(ea->take_over_button());
    REQUIRE(wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Ours; }));
    CHECK_FALSE(ea->model()->read_only());
    CHECK_FALSE(ea->lease_banner()->IsShown());
    CHECK(ea->status_text().Contains("Taken over from m.silva"));
    REQUIRE(ea->model()->answer("nrs_now") != nullptr);
    CHECK(*ea->model()->answer("nrs_now") == 5);
    REQUIRE(ea->model()->answer("nrs_average") != nullptr);
    CHECK(*ea->model()->answer("nrs_average") == 6);

    // m.silva's window learns of it at once and turns read-only, keeping what was typed.
    REQUIRE(wait_until([&] { return eb->lease() == AssessmentEditor::Lease::Lost; }, 5));
    const auto lost_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    MESSAGE("the other window read-only " << lost_after.count() << " ms after Take over");
    // Both windows rebuild their pages on the way (hundreds of ms each on a loaded machine).
    CHECK(lost_after < std::chrono::milliseconds(5000));
    CHECK(eb->model()->read_only());
    CHECK(eb->lease_banner_text().utf8_string().rfind("Taken over by t.okafor", 0) == 0);
    REQUIRE(eb->model()->answer("sleep_disrupted") != nullptr);
    CHECK(*eb->model()->answer("nrs_average") == 6);
    CHECK(eb->apply("nrs_now", 1).has_value());  // refused: read-only now
    b.frame->Raise();
    screenshot("clinic-lease-taken-over");

    // The takeover is in the audit trail, by t.okafor, naming m.silva.
    bool audited = false;
    for (const auto& [action, text] : audit_tail(clinic, 5)) {
        if (action == "take-over") {
            audited = text.find("t.okafor: took the draft over from m.silva") == 0;
        }
    }
    CHECK(audited);

    // t.okafor's answer is saved on top of m.silva's; closing ends the lease.
    CHECK_FALSE(ea->apply("nrs_now", 4).has_value());
    ea->save_now();
    a.frame->editor()->close();
    CHECK(wait_until([&] { return lease_rows(clinic) == 0; }, 5));
    store::Store check(clinic.as("t.okafor"), myo::test::definitions());
    Assessment stored = check.load(draft).assessment;
    CHECK(stored.answers.at("nrs_now") == 4);
    CHECK(stored.answers.at("nrs_average") == 6);
}

TEST_CASE("clinic live: a patient imported by the CLI appears in the open list within 1 s") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    Fixture fx(std::filesystem::path(clinic.as("t.okafor")));
    REQUIRE(fx.frame->clinic_link() != nullptr);
    settle(500);  // the worker is listening
    const long before = fx.frame->patients()->patient_count();
    myo::test::TempDir dir;
    auto file = dir.path() / "visit.json";
    std::ofstream(file) << write_assessment(
        myo::test::vignette_assessment(myo::test::vignette_files().at(0)));
    const auto t0 = std::chrono::steady_clock::now();
    auto r = myo::test::run_cli({"--db", clinic.as("t.okafor"), "import", file.string()});
    const auto cli_done = std::chrono::steady_clock::now();
    REQUIRE_MESSAGE(r.status == 0, r.err);
    REQUIRE(wait_until([&] { return fx.frame->patients()->patient_count() == before + 1; }, 5));
    const auto shown = std::chrono::steady_clock::now();
    const auto after_commit =
        std::chrono::duration_cast<std::chrono::milliseconds>(shown - cli_done);
    MESSAGE("CLI import "
            << std::chrono::duration_cast<std::chrono::milliseconds>(cli_done - t0).count()
            << " ms; in the list " << after_commit.count() << " ms after the CLI returned");
    CHECK(after_commit < std::chrono::milliseconds(1000));
    screenshot("clinic-live-import");
}

TEST_CASE(
    "clinic conflict: a save over a colleague's newer one shows what differs; keep mine or "
    "take theirs, nothing lost") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    {
        auto c = clinic.db.admin();
        pg::add_user(c, "m.silva", pg::UserRole::Clinician);
    }
    Assessment v = myo::test::progress_visits().front();
    store::Store other(clinic.as("m.silva"), myo::test::definitions());
    other.add_patient(v.patient);
    Assessment start = v;
    start.answers = Json::object();
    start.answers["nrs_now"] = 2;
    const std::int64_t draft = other.create_draft(start);

    Fixture fx(std::filesystem::path(clinic.as("t.okafor")));
    fx.frame->open_assessment(draft);
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(wait_until([&] { return ed->lease() == AssessmentEditor::Lease::Ours; }));

    // A colleague's program saves over it meanwhile (a lease is advisory; the version is not).
    Assessment theirs = start;
    theirs.answers["nrs_now"] = 7;
    theirs.notes = "from room 2";
    other.save_draft(draft, theirs);

    // This window's next save meets the newer version: the view shows both, by the form's labels.
    CHECK_FALSE(ed->apply("nrs_average", 4).has_value());
    std::vector<std::array<std::string, 3>> rows;
    wxString intro_ok;
    bool shown = drive_dialog<ConflictDialog>(
        [&] {
            ed->save_now();
            ed->resolve_conflict();
        },
        [&](ConflictDialog* d) {
            for (long i = 0; i < d->table()->GetItemCount(); ++i) {
                rows.push_back({d->table()->GetItemText(i, 0).utf8_string(),
                                d->table()->GetItemText(i, 1).utf8_string(),
                                d->table()->GetItemText(i, 2).utf8_string()});
            }
            screenshot("clinic-conflict");
            click(d->keep_mine_button());
        });
    REQUIRE(shown);
    const auto& defs = myo::test::definitions();
    const std::array<std::string, 3> expected[] = {
        {"Notes", "(empty)", "from room 2"},
        {defs.form.find("nrs_now")->label, "2", "7"},
        {defs.form.find("nrs_average")->label, "4", "(empty)"}};
    CHECK(rows.size() == 3);
    for (const auto& e : expected) {
        CAPTURE(e[0]);
        CHECK(std::find(rows.begin(), rows.end(), e) != rows.end());
    }
    // Kept mine: saved as the new version, exactly this window's answers.
    CHECK_FALSE(ed->conflict_pending());
    {
        auto stored = other.load(draft).assessment;
        CHECK(stored.answers == ed->model()->assessment().answers);
        CHECK(stored.answers.at("nrs_now") == 2);
        CHECK(stored.answers.at("nrs_average") == 4);
        CHECK_FALSE(stored.notes.has_value());
    }
    // The next save goes through without a word.
    CHECK_FALSE(ed->apply("nrs_now", 3).has_value());
    ed->save_now();
    CHECK_FALSE(ed->conflict_pending());
    CHECK(other.load(draft).assessment.answers.at("nrs_now") == 3);

    // Again, and this time the saved one is taken: the window shows it, the store keeps it.
    Assessment second = other.load(draft).assessment;
    second.answers["nrs_now"] = 8;
    other.save_draft(draft, second);
    const std::string stored_before = other.load_document(draft);
    CHECK_FALSE(ed->apply("nrs_now", 1).has_value());
    shown = drive_dialog<ConflictDialog>(
        [&] {
            ed->save_now();
            ed->resolve_conflict();
        },
        [&](ConflictDialog* d) { click(d->take_theirs_button()); });
    REQUIRE(shown);
    CHECK(other.load_document(draft) == stored_before);
    CHECK(ed->model()->assessment().answers == other.load(draft).assessment.answers);
    CHECK(*ed->model()->answer("nrs_now") == 8);
    CHECK(ed->lease() == AssessmentEditor::Lease::Ours);
    // And it saves on top of the version it now shows.
    CHECK_FALSE(ed->apply("nrs_now", 6).has_value());
    ed->save_now();
    CHECK_FALSE(ed->conflict_pending());
    CHECK(other.load(draft).assessment.answers.at("nrs_now") == 6);
}

TEST_CASE(
    "clinic lease, two processes: m.silva's MyoScreen edits a draft, t.okafor's sees the "
    "banner and takes it over once m.silva's is gone") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    Clinic clinic(*admin);
    clinic.add_colleague_short_leases();
    myo::test::TempDir dir;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().front());
    auto input = write_fill_input(dir.path() / "input.json", v);
    OtherWorkstation silva(clinic.as("m.silva"), input, dir.path() / "b.ini");
    const auto [filled, draft, answered] = silva.read_until_filled();
    REQUIRE(filled);
    REQUIRE(draft > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // its last autosave

    Fixture a(std::filesystem::path(clinic.as("t.okafor")));
    a.frame->open_assessment(draft);
    AssessmentEditor* ea = a.frame->editor();
    REQUIRE(wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Theirs; }));
    const std::string banner = ea->lease_banner_text().utf8_string();
    CHECK_MESSAGE(banner.rfind("Being edited by m.silva on ", 0) == 0, banner);
    CHECK(ea->model()->read_only());
    a.frame->Raise();
    settle(300);
    screenshot("clinic-lease-banner-two-processes");
    // m.silva's MyoScreen is alive and renews its lease: Take over asks first; Cancel.
    CHECK(drive_dialog<TakeOverDialog>(
        [&] {
            click(ea->take_over_button());
            wait_until([&] { return ea->take_over_button()->IsEnabled(); });
        },
        [&](TakeOverDialog* d) { click(d->cancel_button()); }));
    CHECK(ea->lease() == AssessmentEditor::Lease::Theirs);

    // It dies (power cut); once its lease has expired, Take over works, with all it saved.
    silva.kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    click(ea->take_over_button());
    REQUIRE(wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Ours; }));
    CHECK_FALSE(ea->model()->read_only());
    CHECK(same_answers(ea->model()->assessment().answers, v.answers));
}
