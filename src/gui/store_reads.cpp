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

std::string write_failure(const std::string& message, bool unreachable, bool timed_out) {
    std::string text = read_failure(message, unreachable, timed_out);
    if (timed_out) {
        text += " (a late answer may still have done it: look before trying again)";
    }
    return text;
}

}  // namespace myo::gui
