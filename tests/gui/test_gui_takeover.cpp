// The explicit take-over of a draft another workstation is editing now (issue 14), with two
// MyoScreen processes and two logins on the private PostgreSQL server: the second asks first,
// then takes it; the first turns read-only at once, keeping every answer it had typed; the
// take-over is in the audit trail naming both.

#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>
#include <wx/button.h>
#include <wx/stattext.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "../pg/pg_fixture.hpp"
#include "gui/take_over_dialog.hpp"
#include "gui_driver.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

using namespace guitest;
using namespace myo;
using namespace myo::gui;
namespace pg = myo::store::pg;

namespace {

// m.silva's MyoScreen in its own process, filling a new draft with `input` (app.cpp's --fill):
// its standard output, line by line, each waited for at most a while (never a hang).
struct OtherWorkstation {
    FILE* out = nullptr;
    pid_t pid = 0;
    std::string pending;
    OtherWorkstation(const std::string& conninfo, const std::filesystem::path& input,
                     const std::filesystem::path& config) {
        auto app = myo::test::binary_dir() / "bin" / "myoscreen";
        std::string cmd = "echo $$; exec " + myo::test::shell_quote(app.string()) +
                          " --no-viewer --db " + myo::test::shell_quote(conninfo) + " --config " +
                          myo::test::shell_quote(config.string()) + " --fill " +
                          myo::test::shell_quote(input.string()) + " 2>&1";
        out = popen(cmd.c_str(), "r");
        REQUIRE(out != nullptr);
        pid = static_cast<pid_t>(std::atol(line().c_str()));
        REQUIRE(pid > 0);
    }
    ~OtherWorkstation() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
        }
        if (out) {
            pclose(out);
        }
    }
    OtherWorkstation(const OtherWorkstation&) = delete;
    OtherWorkstation& operator=(const OtherWorkstation&) = delete;
    // The next line with its newline, or "" after `seconds` or at the end.
    std::string line(int seconds = 30) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        const int fd = fileno(out);
        for (;;) {
            if (auto nl = pending.find('\n'); nl != std::string::npos) {
                std::string l = pending.substr(0, nl + 1);
                pending.erase(0, nl + 1);
                return l;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                until - std::chrono::steady_clock::now());
            pollfd p{fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                return std::string();
            }
            char buf[4096];
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) {
                return std::string();
            }
            pending.append(buf, static_cast<std::size_t>(n));
        }
    }
};

}  // namespace

TEST_CASE(
    "clinic take-over, two processes: a live lease is taken after confirming; the other "
    "MyoScreen turns read-only at once with its typed answers kept; audited") {
    auto admin = myo::test::pg_setting();
    if (!admin) {
        return;
    }
    myo::test::ScratchDatabase db(*admin);
    myo::test::init_clinic(db, {"t.okafor", "m.silva"});
    myo::test::TempDir dir;
    Assessment v = myo::test::vignette_assessment(myo::test::vignette_files().front());
    auto input = dir.path() / "input.json";
    std::ofstream(input) << write_assessment(v);

    // m.silva's MyoScreen starts a draft and types every answer; it stays open and beats.
    OtherWorkstation silva(db.conninfo("m.silva"), input, dir.path() / "b.ini");
    std::int64_t draft = 0;
    bool filled = false;
    for (std::string l = silva.line(); !l.empty(); l = silva.line()) {
        CHECK_MESSAGE(l.rfind("refused ", 0) != 0, l);
        if (l.rfind("started ", 0) == 0) {
            draft = std::atoll(l.c_str() + 8);
        }
        if (l == "filled\n") {
            filled = true;
            break;
        }
    }
    REQUIRE(filled);
    REQUIRE(draft > 0);

    // t.okafor's window opens it: read-only, the banner names m.silva; the tooltip says when a
    // lease expires, in the server's words (2 minutes by default).
    Fixture a(std::filesystem::path(db.conninfo("t.okafor")));
    a.frame->open_assessment(draft);
    AssessmentEditor* ea = a.frame->editor();
    REQUIRE(wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Theirs; }));
    CHECK(ea->lease_banner_text().utf8_string().rfind("Being edited by m.silva on ", 0) == 0);
    CHECK(ea->take_over_button()->GetToolTipText().Contains("silent for 2 minutes"));
    a.frame->Raise();
    settle(300);
    screenshot("clinic-take-over-banner");

    // Take over: m.silva's lease is live, so it asks, naming whose work it is; confirmed.
    wxString question;
    auto t0 = std::chrono::steady_clock::now();
    const bool asked = drive_dialog<TakeOverDialog>(
        [&] {
            click(ea->take_over_button());
            wait_until([&] { return ea->lease() == AssessmentEditor::Lease::Ours; });
        },
        [&](TakeOverDialog* d) {
            for (wxWindow* w : d->GetChildren()) {
                if (auto* t = dynamic_cast<wxStaticText*>(w)) {
                    question = t->GetLabel();
                }
            }
            screenshot("clinic-take-over-question");
            t0 = std::chrono::steady_clock::now();
            click(d->take_over_button());
        });
    REQUIRE(asked);
    question.Replace("\n", " ");
    CHECK_MESSAGE(question.StartsWith("m.silva on "), question.utf8_string());
    CHECK(
        question.EndsWith(" is editing this draft now; their window will turn read-only, "
                          "keeping what they typed. Take over?"));
    REQUIRE(ea->lease() == AssessmentEditor::Lease::Ours);
    CHECK_FALSE(ea->model()->read_only());
    CHECK(ea->status_text().Contains("Taken over from m.silva"));
    CHECK(same_answers(ea->model()->assessment().answers, v.answers));

    // m.silva's MyoScreen is told at once and turns read-only, every typed answer still shown.
    std::string report = silva.line();
    const auto told_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    MESSAGE("the other MyoScreen reported read-only " << told_after.count()
                                                      << " ms after Take over was confirmed");
    REQUIRE_MESSAGE(report.rfind("read-only yes ", 0) == 0, report);
    CHECK(told_after < std::chrono::milliseconds(5000));
    Json shown = Json::parse(report.substr(std::string("read-only yes ").size()));
    CHECK(same_answers(shown, v.answers));
    settle(300);
    screenshot("clinic-take-over-done");

    // The audit trail: one take-over, by t.okafor, naming m.silva and the live lease.
    auto c = db.admin();
    auto r = c.exec(
        "SELECT clinician, summary FROM myoscreen.audit WHERE action = 'take-over' ORDER BY seq");
    REQUIRE(r.rows() == 1);
    CHECK(r.text(0, 0) == "t.okafor");
    CHECK(r.text(0, 1).rfind("took the draft over from m.silva on ", 0) == 0);
    CHECK(r.text(0, 1).find("their lease was live") != std::string::npos);
    // t.okafor edits it now: the lease is t.okafor's.
    CHECK(c.query_text("SELECT holder FROM myoscreen.draft_leases WHERE assessment = $1",
                       {draft}) == "t.okafor");
    CHECK_FALSE(ea->apply("nrs_now", 1).has_value());
    ea->save_now();
}
