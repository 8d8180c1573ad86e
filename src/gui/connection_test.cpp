#include "gui/connection_test.hpp"

#include <wx/app.h>

#include <thread>

namespace myo::gui {

void test_connection_in_background(std::string conninfo, std::shared_ptr<bool> alive,
                                   std::function<void(const ConnectionTest&)> done) {
    // Detached: the dialog may close before the server answers; the thread then ends alone.
    std::thread([conninfo = std::move(conninfo), alive = std::move(alive), done = std::move(done)] {
        ConnectionTest result = test_connection(conninfo);
        // CallAfter queues the outcome to the GUI thread.
        wxTheApp->CallAfter([result, alive, done] {
            if (*alive) {
                done(result);
            }
        });
    }).detach();
}

}  // namespace myo::gui
