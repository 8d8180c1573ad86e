// "Server down, cable out" (issue 14) in the desktop application: the server stops while a
// window edits; the edits, a new visit, a sign-off and a PDF go on offline and are kept in the
// offline journal; when the server is back everything arrives once (no duplicate visit), and
// the audit trail verifies. The same with the editing MyoScreen killed (SIGKILL) while offline:
// the next start sends what it kept.
//
// Each case has its own server (scripts/pg-test-server start; crash and restart it), so
// stopping it disturbs no other test; MYOSCREEN_TEST_PG_BIN (from the shared server's env)
// says where PostgreSQL's programs are, and its absence skips the cases outside CI.

#include <doctest/doctest.h>
#include <wx/button.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "../pg/pg_fixture.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/patient_panel.hpp"
#include "gui/quit_offline_dialog.hpp"
#include "gui_driver.hpp"
#include "other_workstation.hpp"
#include "progress_visits.hpp"
#include "store/offline_journal.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;
namespace fs = std::filesystem;

namespace {

std::string script() {
    return (myo::test::source_dir() / "scripts" / "pg-test-server").string();
}

// A private server for one case: started here, stopped and removed at the end.
class OwnServer {
  public:
    explicit OwnServer(const std::string& bin)
        : env_("MYOSCREEN_PG_BIN=" + myo::test::shell_quote(bin)) {
        // Durable (fsync, synchronous commits): the cases kill it, and a save it acknowledged
        // must be there after the restart, as on a clinic's server; without, a commit
        // acknowledged in the last ~200 ms before the kill can be lost and its next save
        // then meets an older version (a false conflict).
        auto r = myo::test::run_command(env_ + " " + myo::test::shell_quote(script()) +
                                        " start --durable");
        REQUIRE_MESSAGE(r.status == 0, r.err);
        dir_ = r.out.substr(0, r.out.find('\n'));
        std::ifstream env(dir_ + "/env");
        std::string line;
        const std::string key = "export MYOSCREEN_TEST_PG='";
        while (std::getline(env, line)) {
            if (line.rfind(key, 0) == 0) {
                admin_ = line.substr(key.size(), line.size() - key.size() - 1);
            }
        }
        REQUIRE_FALSE(admin_.empty());
    }
    ~OwnServer() {
        myo::test::run_command(env_ + " " + myo::test::shell_quote(script()) + " stop " + dir_);
    }
    OwnServer(const OwnServer&) = delete;
    OwnServer& operator=(const OwnServer&) = delete;
    const std::string& admin() const { return admin_; }
    void crash() { verb("crash"); }
    void restart() { verb("restart"); }

  private:
    void verb(const char* what) {
        auto r = myo::test::run_command(env_ + " " + myo::test::shell_quote(script()) + " " + what +
                                        " " + dir_);
        REQUIRE_MESSAGE(r.status == 0, what << ": " << r.err);
    }
    std::string env_;
    std::string dir_;
    std::string admin_;
};

// XDG_DATA_HOME (where the offline journal lives) in a folder of the test, put back after.
class DataHome {
  public:
    explicit DataHome(const fs::path& dir) {
        if (const char* old = std::getenv("XDG_DATA_HOME")) {
            old_ = old;
        }
        ::setenv("XDG_DATA_HOME", dir.c_str(), 1);
    }
    ~DataHome() {
        if (old_) {
            ::setenv("XDG_DATA_HOME", old_->c_str(), 1);
        } else {
            ::unsetenv("XDG_DATA_HOME");
        }
    }
    DataHome(const DataHome&) = delete;
    DataHome& operator=(const DataHome&) = delete;

  private:
    std::optional<std::string> old_;
};

std::string status_bar(wxFrame* frame) {
    return frame->GetStatusBar()->GetStatusText(0).utf8_string();
}

struct Clinic {
    myo::test::ScratchDatabase db;
    explicit Clinic(const std::string& admin) : db(admin) {
        auto c = db.admin();
        pg::init_database(c, "tester");
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
    }
    std::string as(const std::string& login) const { return db.conninfo(login); }
};

// One case's clinic on a server of its own, the offline journal's data folder in the case's.
struct OwnClinic {
    OwnServer server;
    Clinic clinic;
    myo::test::TempDir home;
    DataHome data_home;
    explicit OwnClinic(const std::string& bin)
        : server(bin), clinic(server.admin()), data_home(home.path()) {}
    std::string as(const std::string& login) const { return clinic.as(login); }
};

// The window's editor with `draft` open and held (its lease), calls timing out after
// `timeout` and the server tried every 500 ms while offline.
AssessmentEditor* edit_held(Fixture& fx, std::int64_t draft, std::chrono::milliseconds timeout) {
    fx.frame->open_assessment(draft);
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE(wait_until([&] { return ed->lease() == AssessmentEditor::Lease::Ours; }));
    ed->set_server_timing(timeout, 500);
    return ed;
}

// The trail's rows of PDFs written offline (their summary says so) for `patient`.
std::vector<store::AuditEntry> offline_pdf_rows(store::Store& s, const std::string& patient) {
    std::vector<store::AuditEntry> rows;
    for (const auto& e : s.audit_trail(patient)) {
        if (e.action == store::audit_action::kPdf &&
            e.summary.find("(offline on this computer at ") != std::string::npos) {
            rows.push_back(e);
        }
    }
    return rows;
}

bool is_top_window(wxWindow* w) {
    for (wxWindow* t : wxTopLevelWindows) {
        if (t == w) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE(
    "offline: the server stops while a window edits; 50 edits, a new visit, a sign-off and a "
    "PDF go on; the server restarts; everything arrives once") {
    auto bin = myo::test::pg_setting("_BIN");
    if (!bin) {
        return;
    }
    OwnClinic clinic(*bin);
    OwnServer& server = clinic.server;
    Assessment v = myo::test::progress_visits().front();
    std::int64_t draft = 0;
    {
        store::Store s(clinic.as("t.okafor"), myo::test::definitions());
        s.add_patient(v.patient);
        draft = s.create_draft(v);
    }
    Fixture fx(std::filesystem::path(clinic.as("t.okafor")));
    AssessmentEditor* ed = edit_held(fx, draft, std::chrono::milliseconds(4000));

    server.crash();
    const auto t0 = std::chrono::steady_clock::now();
    // 50 edits, as a clinician types them: the window never stops taking them.
    int last = 0;
    for (int i = 0; i < 50; ++i) {
        last = i % 11;
        CHECK_FALSE(ed->apply(i % 2 == 0 ? "nrs_now" : "nrs_average", last).has_value());
        settle(i % 10 == 0 ? 400 : 20);
    }
    REQUIRE(wait_until([&] { return ed->offline(); }, 10));
    const auto offline_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    MESSAGE("offline shown " << offline_after.count() << " ms after the server stopped");
    CHECK(offline_after < std::chrono::seconds(5));
    CHECK_MESSAGE(status_bar(fx.frame).rfind("Offline: saving on this computer", 0) == 0,
                  status_bar(fx.frame));
    ed->save_now();
    CHECK(ed->waiting_changes() > 0);
    CHECK(ed->status_text().StartsWith("Offline: saving on this computer"));
    fx.frame->Raise();
    settle(200);
    screenshot("offline-bar");

    // Signed off from the local copy; the referral written from it.
    REQUIRE(ed->finalize(false));
    CHECK(ed->status_text().Contains("Finalized on this computer"));
    myo::test::TempDir pdfs;
    auto pdf = ed->write_pdf(PdfKind::Referral, pdfs.path().string());
    REQUIRE(pdf.has_value());
    CHECK(fs::file_size(*pdf) > 1000);
    CHECK(ed->status_text().Contains("offline"));
    const Assessment signed_off = ed->model()->assessment();

    // A new visit for another patient, started offline, answered, kept.
    Assessment second = myo::test::progress_visits().front();
    second.patient.id = "OFF-2";
    second.patient.name = "Offline Second";
    ed->start(second);
    REQUIRE(ed->assessment_id().has_value());
    CHECK(*ed->assessment_id() < 0);  // a number of this computer until the server has it
    CHECK_FALSE(ed->apply("nrs_now", 9).has_value());
    ed->save_now();
    const std::size_t waiting = ed->waiting_changes();
    MESSAGE(waiting << " changes kept on this computer");

    // The server is back: the journal is replayed, the bar says so.
    server.restart();
    const auto t1 = std::chrono::steady_clock::now();
    REQUIRE(wait_until([&] { return !ed->offline(); }, 30));
    MESSAGE("back online and sent " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - t1)
                                           .count()
                                    << " ms after the server restarted");
    CHECK_MESSAGE(status_bar(fx.frame).rfind("Back online: ", 0) == 0, status_bar(fx.frame));
    CHECK(ed->waiting_changes() == 0);
    REQUIRE(ed->assessment_id().has_value());
    CHECK(*ed->assessment_id() > 0);  // the new visit's number on the server
    fx.frame->Raise();
    settle(200);
    screenshot("offline-back-online");
    // The window edits the new visit on: saved straight to the server now.
    CHECK_FALSE(ed->apply("nrs_average", 2).has_value());
    ed->save_now();
    CHECK_FALSE(ed->offline());

    store::Store check(clinic.as("t.okafor"), myo::test::definitions());
    auto first = check.history(v.patient.id);
    REQUIRE(first.size() == 1);
    CHECK(first[0].status == store::Status::Final);
    const Assessment stored = check.load(draft).assessment;
    CHECK(stored.answers == signed_off.answers);
    CHECK(stored.answers.at("nrs_now") == 48 % 11);  // the 49th edit
    CHECK(stored.answers.at("nrs_average") == last);
    auto made = check.history("OFF-2");
    REQUIRE(made.size() == 1);  // created once
    const Assessment second_stored = check.load(made[0].id).assessment;
    CHECK(second_stored.answers.at("nrs_now") == 9);
    CHECK(second_stored.answers.at("nrs_average") == 2);
    CHECK(clinic.clinic.db.admin().query_int("SELECT count(*) FROM myoscreen.assessments") == 2);
    // The PDF written offline is in the server's trail, once, saying when and by whom.
    const auto pdf_rows = offline_pdf_rows(check, v.patient.id);
    REQUIRE(pdf_rows.size() == 1);
    CHECK(pdf_rows[0].summary.rfind("referral PDF written to " + *pdf +
                                        " (offline on this "
                                        "computer at ",
                                    0) == 0);
    CHECK(pdf_rows[0].summary.find(" as t.okafor)") != std::string::npos);
    CHECK(pdf_rows[0].clinician == "t.okafor");
    CHECK(pdf_rows[0].assessment == draft);
    CHECK(check.verify_audit().ok);
    auto verify = myo::test::run_cli({"--forms", myo::test::forms_dir().string(), "--db",
                                      clinic.as("t.okafor"), "db", "verify"});
    CHECK_MESSAGE(verify.status == 0, verify.out << verify.err);
}

TEST_CASE(
    "offline, two processes: the editing MyoScreen is killed while offline; the next start "
    "sends what it kept, once") {
    auto bin = myo::test::pg_setting("_BIN");
    if (!bin) {
        return;
    }
    OwnClinic clinic(*bin);
    OwnServer& server = clinic.server;
    myo::test::TempDir dir;
    fs::path journal;
    {
        store::Store s(clinic.as("t.okafor"), myo::test::definitions());
        journal = store::OfflineJournal::path_for(s);
    }
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().front());
    auto input = write_fill_input(dir.path() / "input.json", v);
    OtherWorkstation other(clinic.as("t.okafor"), input, dir.path() / "b.ini");
    const auto [filled, draft, answered] = other.read_until_filled([&](int n) {
        if (n == 3) {
            server.crash();  // the cable goes while it is typing the rest
        }
    });
    REQUIRE(filled);
    REQUIRE(draft > 0);
    // Its last autosave (300 ms after the last answer) is kept on this computer; then it dies
    // (power cut).
    REQUIRE(wait_until(
        [&] {
            std::error_code ec;
            return fs::exists(journal, ec) && store::OfflineJournal(journal).pending() > 0;
        },
        20));
    settle(1500);
    std::optional<std::string> kept = store::OfflineJournal(journal).latest_document(draft);
    REQUIRE(kept.has_value());
    const Assessment last_typed =
        *parse_assessment(*kept, myo::test::definitions(), Origin::kStored).assessment;
    CHECK(last_typed.answers.size() == v.answers.size());
    other.kill();

    // The server is back; MyoScreen starts again on this computer: the journal is sent.
    server.restart();
    Fixture fx(std::filesystem::path(clinic.as("t.okafor")));
    AssessmentEditor* ed = fx.frame->editor();
    REQUIRE_MESSAGE(wait_until([&] { return ed->waiting_changes() == 0 && !ed->offline(); }, 30),
                    status_bar(fx.frame));
    CHECK_MESSAGE(status_bar(fx.frame).rfind("Back online: ", 0) == 0, status_bar(fx.frame));
    store::Store check(clinic.as("t.okafor"), myo::test::definitions());
    auto visits = check.history(v.patient.id);
    REQUIRE(visits.size() == 1);  // no duplicate
    const Assessment stored = check.load(draft).assessment;
    CHECK(stored.answers == last_typed.answers);
    CHECK(check.verify_audit().ok);
}

TEST_CASE(
    "offline: opening another visit and Amend say they need the server; closing the window with "
    "changes waiting warns with their number; Keep working stays; Quit anyway quits and the "
    "next start sends them once, the PDF's audit row too") {
    auto bin = myo::test::pg_setting("_BIN");
    if (!bin) {
        return;
    }
    OwnClinic clinic(*bin);
    OwnServer& server = clinic.server;
    const auto visits = myo::test::progress_visits();
    REQUIRE(visits.size() >= 2);
    const Assessment v = visits[1];
    std::int64_t draft = 0;
    std::int64_t earlier = 0;
    fs::path journal;
    {
        store::Store s(clinic.as("t.okafor"), myo::test::definitions());
        s.add_patient(v.patient);
        earlier = s.create_draft(visits[0]);
        s.finalize(earlier);
        draft = s.create_draft(v);
        journal = store::OfflineJournal::path_for(s);
    }
    Fixture fx(std::filesystem::path(clinic.as("t.okafor")));
    AssessmentEditor* ed = edit_held(fx, draft, std::chrono::milliseconds(3000));

    // The server goes; a change and a handout are made offline.
    server.crash();
    CHECK_FALSE(ed->apply("nrs_now", 7).has_value());
    REQUIRE(wait_until([&] { return ed->offline(); }, 10));
    myo::test::TempDir pdfs;
    auto pdf = ed->write_pdf(PdfKind::Handout, pdfs.path().string());
    REQUIRE(pdf.has_value());
    ed->save_now();

    // Another visit cannot be read offline: said in the status bar (no error box), and the
    // draft stays open here.
    fx.frame->open_assessment(earlier);
    const std::string needs =
        "Offline: opening another visit needs the server, which does not answer. The visit "
        "open here stays, and what is typed in it is kept on this computer; try again once "
        "the status bar says \"Back online\".";
    CHECK(status_bar(fx.frame) == needs);
    CHECK(ed->status_text().utf8_string() == needs);
    CHECK(ed->assessment_id() == draft);
    CHECK(shown_dialog<wxDialog>() == nullptr);

    const std::size_t n = ed->waiting_changes();
    REQUIRE(n >= 2);  // the change and the PDF's audit row
    CHECK(store::OfflineJournal(journal).pending() == n);

    // Closing asks; Escape (Keep working is the default) keeps the window as it was.
    wxString said;
    CHECK(drive_dialog<QuitOfflineDialog>([&] { fx.frame->Close(); },
                                          [&](QuitOfflineDialog* d) {
                                              for (wxWindow* w : d->GetChildren()) {
                                                  if (auto* t = dynamic_cast<wxStaticText*>(w)) {
                                                      said += t->GetLabel() + " ";
                                                  }
                                              }
                                              screenshot("offline-quit-warning");
                                              key(WXK_ESCAPE);
                                          }));
    said.Replace("\n", " ");
    CHECK_MESSAGE(said.StartsWith(wxString::Format("%zu changes wait for the server. They are "
                                                   "kept on this computer and sent when "
                                                   "MyoScreen next starts",
                                                   n)),
                  said.utf8_string());
    settle(200);
    REQUIRE(is_top_window(fx.frame));
    CHECK(fx.frame->IsShown());
    CHECK(ed->offline());

    // Working on: one more change, then signed off on this computer; Amend needs the server.
    CHECK_FALSE(ed->apply("nrs_average", 4).has_value());
    REQUIRE(ed->finalize(false));
    ed->amend();
    CHECK(ed->status_text().StartsWith("Offline: amending a final assessment needs the server"));
    CHECK(ed->assessment_id() == draft);
    const std::size_t waiting = ed->waiting_changes();
    CHECK(waiting > n);

    // Closing again; Quit anyway: the window goes, the journal keeps what waits.
    CHECK(drive_dialog<QuitOfflineDialog>([&] { fx.frame->Close(); },
                                          [&](QuitOfflineDialog* d) { click(d->quit_button()); }));
    settle(100);
    wxTheApp->ProcessIdle();
    CHECK_FALSE(is_top_window(fx.frame));
    fx.frame = nullptr;
    fx.store.reset();
    CHECK(store::OfflineJournal(journal).pending() == waiting);

    // The server is back; the next start sends everything, once.
    server.restart();
    fx.open();
    ed = fx.frame->editor();
    REQUIRE(wait_until([&] { return ed->waiting_changes() == 0 && !ed->offline(); }, 30));
    CHECK_MESSAGE(status_bar(fx.frame).rfind("Back online: ", 0) == 0, status_bar(fx.frame));
    store::Store check(clinic.as("t.okafor"), myo::test::definitions());
    REQUIRE(check.history(v.patient.id).size() == 2);  // no visit made twice
    const auto stored = check.load(draft);
    CHECK(stored.info.status == store::Status::Final);
    CHECK(stored.assessment.answers.at("nrs_now") == 7);
    CHECK(stored.assessment.answers.at("nrs_average") == 4);
    const auto rows = offline_pdf_rows(check, v.patient.id);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].summary.rfind("handout PDF written to " + *pdf, 0) == 0);
    CHECK(rows[0].assessment == draft);
    CHECK(clinic.clinic.db.admin().query_int(
              "SELECT count(*) FROM myoscreen.audit WHERE action = 'finalize'") == 2);
    CHECK(store::OfflineJournal(journal).pending() == 0);
    CHECK(check.verify_audit().ok);
}
