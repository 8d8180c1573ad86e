#include "gui/store_reads.hpp"

namespace myo::gui {

std::string read_failure(const std::string& message, bool unreachable, bool timed_out) {
    if (timed_out) {
        // StoreWorker's own words: "no answer from the database within 10 s".
        return message;
    }
    if (unreachable) {
        return "the clinic server cannot be reached (" + message + ")";
    }
    return message;
}

}  // namespace myo::gui
