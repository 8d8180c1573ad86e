#pragma once
// Why the application could not open its database at start (issue 14), in words a person can
// act on: a headline naming the cause ("The clinic server does not answer."), what to do
// about it, and the store's own message (which names the database and host and quotes the
// server). No wx: tested without a display.

#include <exception>
#include <string>

namespace myo::gui {

struct StartFailure {
    std::string headline;  // the cause, one sentence
    std::string advice;    // what Retry / another database / Quit can do about it
    std::string detail;    // the store's message, as thrown
    // Whether waiting can help (a server down, a network away): Retry is the first choice.
    bool retry_may_help = false;
};

// `e` was thrown while opening `target` (a file or a clinic server).
StartFailure describe_start_failure(const std::exception& e, bool on_server);

}  // namespace myo::gui
