#include "gui/model/session_text.hpp"

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

std::string not_yet_expired(const store::DraftLease& lease, std::int64_t now_ms) {
    return who_where(lease.holder, lease.workstation) + " was still working at " +
           store::local_time(lease.heartbeat_ms, now_ms) +
           ": Take over works once their workstation has been silent for 2 minutes";
}

std::string taken_over_by(const std::string& by, const std::string& workstation) {
    return "Taken over by " +
           (by.empty() ? std::string("another workstation") : who_where(by, workstation)) +
           ": this window is read-only now. What you typed since the last save is still shown "
           "here, not saved; copy what you need, then open the visit again";
}

}  // namespace myo::gui
