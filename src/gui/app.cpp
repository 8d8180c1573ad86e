// `myoscreen`: the desktop application (issue 5).

#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/fileconf.h>
#include <wx/icon.h>
#include <wx/iconbndl.h>
#include <wx/image.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/timer.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "core/assessment.hpp"
#include "core/bodychart.hpp"
#include "core/definitions.hpp"
#include "gui/app_options.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/first_start_dialog.hpp"
#include "gui/main_frame.hpp"
#include "gui/model/command_line.hpp"
#include "gui/open_store.hpp"
#include "gui/patient_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/wx_util.hpp"
#include "store/paths.hpp"
#include "store/store.hpp"
#include "store/target.hpp"

namespace myo::gui {

namespace {

// The window's icon: the hicolor PNGs beside the binary, where the package installs them
// (/usr/bin/../share/icons) and the build renders them (build/<preset>/share/icons). Read as
// files, not through the icon theme, which asserts on a name it does not have.
wxIconBundle window_icons() {
    if (wxImage::FindHandler(wxBITMAP_TYPE_PNG) == nullptr) {
        wxImage::AddHandler(new wxPNGHandler);
    }
    wxIconBundle icons;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        const std::string dim = std::to_string(size) + "x" + std::to_string(size);
        const auto png = executable_dir() / ".." / "share" / "icons" / "hicolor" / dim / "apps" /
                         "myoscreen.png";
        std::error_code ec;
        if (std::filesystem::exists(png, ec)) {
            wxIcon icon(wxs(png.string()), wxBITMAP_TYPE_PNG);
            if (icon.IsOk()) {
                icons.AddIcon(icon);
            }
        }
    }
    return icons;
}

}  // namespace

class MyoScreenApp : public wxApp {
  public:
    bool OnInit() override {
        SetAppName("myoscreen");
        SetAppDisplayName("MyoScreen");
        if (!wxApp::OnInit()) {
            return false;
        }
        if (options_.config_path) {
            wxConfigBase::Set(new wxFileConfig("myoscreen", wxEmptyString,
                                               wxs(options_.config_path->string()), wxEmptyString,
                                               wxCONFIG_USE_LOCAL_FILE));
        }
        try {
            auto dir = find_definitions_dir(options_.forms_dir, executable_dir());
            if (!dir) {
                wxMessageBox(_("The assessment definitions (forms/rules.json) were not found. "
                               "Start MyoScreen with --forms DIR."),
                             _("MyoScreen"), wxOK | wxICON_ERROR);
                return false;
            }
            defs_ = load_definitions(*dir);
            auto chart_file = defs_->dir / "bodychart.json";
            if (std::filesystem::exists(chart_file)) {
                chart_ = load_body_chart_file(chart_file, defs_->form);
            }
            // The first start (issue 14): this computer only, or a clinic server; kept in the
            // preferences, so the next start opens it without asking.
            if (options_.ask_clinician && !options_.db_path && is_first_start()) {
                FirstStartDialog first(nullptr, store::default_database_path().string());
                if (first.ShowModal() != wxID_OK) {
                    return false;  // Quit: nothing was created
                }
                save_database_choice(first.choice());
            }
            // --db, else the database chosen in the Preferences (a clinic server), else this
            // computer's file.
            std::filesystem::path db = startup_database(options_.db_path);
            // A second instance is asked: read-only or quit; a database that cannot be opened
            // (a server down, a login refused) is explained with Retry, another database or
            // Quit (gui/open_store).
            store_ = open_store_or_ask(db, *defs_, nullptr, &startup_reads_);
            if (!store_) {
                return false;
            }
        } catch (const std::exception& e) {
            wxMessageBox(wxString::Format(_("MyoScreen cannot start:\n\n%s"), wxs(e.what())),
                         _("MyoScreen"), wxOK | wxICON_ERROR);
            return false;
        }
        frame_ = new MainFrame(*defs_, chart_ ? &*chart_ : nullptr, *store_, options_,
                               startup_reads_ ? &*startup_reads_ : nullptr);
        if (const auto icons = window_icons(); !icons.IsEmpty()) {
            frame_->SetIcons(icons);
        }
        frame_->Show();
        // After the window is up, so the launch stays fast; the outcome shows in the status bar.
        if (!options_.exit_when_ready) {
            CallAfter([this] { frame_->start_daily_backup(); });
        }
        if (options_.fill_from) {
            start_fill();
        }
        if (options_.exit_when_ready) {
            // After the first round of events: the window is shown and the list, painted here
            // (the virtual list reads the rows it paints), has its first rows: usable.
            CallAfter([this] {
                frame_->Update();
                wxListCtrl* list = frame_->patients()->patients();
                list->Update();
                std::printf("ready %ld %s\n", frame_->patients()->patient_count(),
                            list->GetItemCount() > 0 ? list->GetItemText(0).utf8_str().data() : "");
                std::fflush(stdout);
                frame_->Close(true);
            });
        }
        return true;
    }

    int OnExit() override {
        fill_timer_.reset();
        store_.reset();
        return wxApp::OnExit();
    }

    void OnInitCmdLine(wxCmdLineParser& parser) override {
        wxApp::OnInitCmdLine(parser);
        for (const auto& o : kCommandLineOptions) {
            auto name = wxString::FromUTF8(o.name.data(), o.name.size());
            auto help = wxGetTranslation(wxString::FromUTF8(o.help.data(), o.help.size()));
            if (o.value.empty()) {
                parser.AddSwitch("", name, help);
            } else {
                parser.AddOption("", name, help);
            }
        }
    }

    bool OnCmdLineParsed(wxCmdLineParser& parser) override {
        wxString v;
        if (parser.Found("forms", &v)) {
            options_.forms_dir = u8(v);
        }
        if (parser.Found("db", &v)) {
            options_.db_path = u8(v);
        }
        if (parser.Found("config", &v)) {
            options_.config_path = u8(v);
        }
        if (parser.Found("fill", &v)) {
            options_.fill_from = u8(v);
        }
        options_.open_viewer = !parser.Found("no-viewer");
        options_.exit_when_ready = parser.Found("exit-when-ready");
        options_.ask_clinician = !options_.exit_when_ready && !options_.fill_from;
        return wxApp::OnCmdLineParsed(parser);
    }

  private:
    // --fill: the crash test's driver. Each answer goes through the editor as a control's
    // change would, one every 20 ms, and is reported on standard output once accepted, so a
    // test can kill the process mid-editing and check what the store kept. Once filled, it
    // watches the draft's lease: taken over elsewhere (issue 14), it reports "read-only" with
    // the answers the window still shows, for the take-over test to compare.
    void start_fill() {
        try {
            fill_ = read_assessment_file(options_.fill_from->string(), *defs_);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s\n", e.what());
            return;
        }
        Assessment start = *fill_;
        start.answers = Json::object();
        store_->add_patient(start.patient);  // --fill: the crash tests' driver, before any typing
        frame_->editor()->start(start);
        frame_->show_assessment();
        std::printf("started %lld\n", static_cast<long long>(*frame_->editor()->assessment_id()));
        std::fflush(stdout);
        fill_it_ = fill_->answers.begin();
        fill_timer_ = std::make_unique<wxTimer>();
        fill_timer_->Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
            if (frame_->editor()->lease() == AssessmentEditor::Lease::Checking) {
                return;  // on a clinic server: until the draft's lease is ours (issue 14)
            }
            if (fill_it_ == fill_->answers.end()) {
                AssessmentEditor* ed = frame_->editor();
                if (!filled_) {
                    filled_ = true;
                    std::printf("filled\n");
                } else if (ed->lease() == AssessmentEditor::Lease::Lost && ed->model()) {
                    fill_timer_->Stop();
                    std::printf("read-only %s %s\n", ed->model()->read_only() ? "yes" : "no",
                                ed->model()->assessment().answers.dump().c_str());
                } else if (ed->lease() != AssessmentEditor::Lease::Ours) {
                    fill_timer_->Stop();  // a file, or a window that never held it
                }
                std::fflush(stdout);
                return;
            }
            auto msg = frame_->editor()->apply(fill_it_.key(), fill_it_.value());
            std::printf("%s %s\n", msg ? "refused" : "answered", fill_it_.key().c_str());
            std::fflush(stdout);
            ++fill_it_;
        });
        fill_timer_->Start(20);
    }

    AppOptions options_;
    std::optional<Definitions> defs_;
    std::optional<BodyChart> chart_;
    std::unique_ptr<store::Store> store_;
    // A clinic server's session and settings, read by the start's worker (ConnectingDialog).
    std::optional<StartupReads> startup_reads_;
    MainFrame* frame_ = nullptr;
    std::optional<Assessment> fill_;
    Json::iterator fill_it_;
    bool filled_ = false;
    std::unique_ptr<wxTimer> fill_timer_;
};

}  // namespace myo::gui

wxIMPLEMENT_APP_NO_MAIN(myo::gui::MyoScreenApp);

int main(int argc, char** argv) {
    // --help and --version answer before wxWidgets opens the display (command_line.hpp).
    if (auto status = myo::gui::answer_without_display(
            std::vector<std::string>(argv + 1, argv + argc), std::cout)) {
        return *status;
    }
    return wxEntry(argc, argv);
}
