#pragma once
// What the command line of `myoscreen` can change; tests use it to keep their database,
// settings and PDFs in a temporary folder.

#include <filesystem>
#include <optional>
#include <string>

namespace myo::gui {

struct AppOptions {
    std::optional<std::filesystem::path> forms_dir;       // --forms
    std::optional<std::filesystem::path> db_path;         // --db
    std::optional<std::filesystem::path> config_path;     // --config (window size, report folder)
    std::optional<std::filesystem::path> screenshot_dir;  // --screenshot-steps
    std::optional<std::filesystem::path> fill_from;       // --fill (see app.cpp)
    bool open_viewer = true;                              // --no-viewer: write PDFs only
    bool exit_when_ready = false;  // --exit-when-ready: print "ready" once the list shows (bench)
    // Ask who is using MyoScreen on a first start (and before an acknowledgement or a
    // finalize while nobody is signed in). Off for --exit-when-ready, --fill and the GUI tests'
    // fixture, which must not wait on a dialog; one test turns it on to check the prompt.
    bool ask_clinician = true;
};

}  // namespace myo::gui
