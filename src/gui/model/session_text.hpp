#pragma once
// What the window says about the clinic server it works on (issue 14): who is signed in to
// which database ("t.okafor @ riverside", in the title and the status bar), and why a readonly
// login sees everything read-only. No wx: tested without a display.

#include <string>

#include "store/store_types.hpp"

namespace myo::gui {

// "t.okafor @ riverside".
std::string signed_in_as(const store::ServerSession& session);

// The reason a readonly login's window changes nothing, completing "Read-only window: ...":
// "front.desk @ riverside is a readonly login: you can look at everything and write PDFs, but
// not change anything (a clinician login can)".
std::string readonly_login_reason(const store::ServerSession& session);

// Store::make_read_only's reason for the same login, for a refusal's message.
std::string readonly_login_refusal(const store::ServerSession& session);

}  // namespace myo::gui
