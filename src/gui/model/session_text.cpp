#include "gui/model/session_text.hpp"

#include <algorithm>

#include "store/stale_save.hpp"

namespace myo::gui {

std::string signed_in_as(const store::ServerSession& session) {
    return session.login + " @ " + session.database;
}

std::string readonly_login_reason(const store::ServerSession& session) {
    return session.login +
           " is a readonly login: it can look at everything and write PDFs, not change anything";
}

std::string readonly_login_refusal(const store::ServerSession& session) {
    return "the login " + session.login + " is a readonly login";
}

namespace {

std::string who_where(const std::string& by, const std::string& workstation) {
    return by + (workstation.empty() ? std::string() : " on " + workstation);
}

}  // namespace

std::string being_edited_by(const store::DraftLease& lease, std::int64_t now_ms) {
    return "Being edited by " + who_where(lease.holder, lease.workstation) + " since " +
           store::local_time(lease.since_ms, now_ms);
}

std::string duration_phrase(std::chrono::milliseconds d) {
    const auto seconds = std::max<std::int64_t>(1, (d.count() + 500) / 1000);
    if (seconds % 60 == 0) {
        const auto minutes = seconds / 60;
        return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
    }
    return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
}

std::string take_over_question(const store::DraftLease& lease) {
    return who_where(lease.holder, lease.workstation) +
           " is editing this draft now; their window will turn read-only, keeping what they "
           "typed. Take over?";
}

std::string not_taken_over(const store::DraftLease& lease, std::int64_t now_ms,
                           std::chrono::milliseconds stale_after) {
    std::string s = "Not taken over: " + who_where(lease.holder, lease.workstation) +
                    " was still working at " + store::local_time(lease.heartbeat_ms, now_ms);
    if (stale_after.count() > 0) {
        s += " (Take over asks first until their workstation has been silent for " +
             duration_phrase(stale_after) + ")";
    }
    return s;
}

std::string take_over_tooltip(std::chrono::milliseconds stale_after) {
    const std::string silent = stale_after.count() > 0
                                   ? "for " + duration_phrase(stale_after)
                                   : std::string("long enough for its lease to expire");
    return "Edit this draft here instead: at once if the other workstation has been silent " +
           silent +
           ", otherwise after you confirm (their window turns read-only, keeping what they "
           "typed). Recorded in the history of changes";
}

std::string taken_over_by(const std::string& by, const std::string& workstation) {
    return "Taken over by " +
           (by.empty() ? std::string("another workstation") : who_where(by, workstation)) +
           ": this window is read-only now. What you typed since the last save is still shown "
           "here, not saved; copy what you need, then open the visit again";
}

}  // namespace myo::gui
