#pragma once
// What the window says about the clinic server it works on (issue 14): who is signed in to
// which database ("t.okafor @ riverside", in the title and the status bar), and why a readonly
// login sees everything read-only. No wx: tested without a display.

#include <cstdint>
#include <string>

#include "store/store_types.hpp"

namespace myo::gui {

// "t.okafor @ riverside".
std::string signed_in_as(const store::ServerSession& session);

// The reason a readonly login's window changes nothing, completing "Read-only window: ...":
// "front.desk is a readonly login: it can look at everything and write PDFs, not change
// anything" (short enough for the status bar at 1024 pixels; the database is beside it).
std::string readonly_login_reason(const store::ServerSession& session);

// Store::make_read_only's reason for the same login, for a refusal's message.
std::string readonly_login_refusal(const store::ServerSession& session);

// The banner over a draft another workstation edits: "Being edited by m.silva on PHYSIO-2 since
// 10:31" (the holder's start, this computer's local time; the date too when not today).
std::string being_edited_by(const store::DraftLease& lease, std::int64_t now_ms);

// What "Take over" said when the holder's lease has not expired yet: "m.silva on PHYSIO-2 was
// still working at 10:32: Take over works once their workstation has been silent for 2 minutes".
std::string not_yet_expired(const store::DraftLease& lease, std::int64_t now_ms);

// The banner of a window whose draft was taken over elsewhere ("" who: not known).
std::string taken_over_by(const std::string& by, const std::string& workstation);

}  // namespace myo::gui
