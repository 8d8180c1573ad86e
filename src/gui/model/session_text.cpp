#include "gui/model/session_text.hpp"

namespace myo::gui {

std::string signed_in_as(const store::ServerSession& session) {
    return session.login + " @ " + session.database;
}

std::string readonly_login_reason(const store::ServerSession& session) {
    return signed_in_as(session) +
           " is a readonly login: you can look at everything and write PDFs, but not change "
           "anything (ask the clinic's administrator for a clinician login to make changes)";
}

std::string readonly_login_refusal(const store::ServerSession& session) {
    return "the login " + session.login + " is a readonly login";
}

}  // namespace myo::gui
