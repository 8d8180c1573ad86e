#pragma once
// What the window says about the clinic server it works on (issue 14): who is signed in to
// which database ("t.okafor @ riverside", in the title and the status bar), and why a readonly
// login sees everything read-only. No wx: tested without a display.

#include <chrono>
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

// A span of the server's lease policy in words: "2 minutes", "1 minute", "90 seconds",
// "1 second" (whole seconds; less than one is "1 second"). From Store::lease_stale_after, never
// a number of our own: the administrator may change it.
std::string duration_phrase(std::chrono::milliseconds d);

// The question before taking over a lease that is live (issue 14): "m.silva on PHYSIO-2 is
// editing this draft now; their window will turn read-only, keeping what they typed. Take over?"
std::string take_over_question(const store::DraftLease& lease);

// What the status line says when the person did not confirm: "Not taken over: m.silva on
// PHYSIO-2 was still working at 10:32 (Take over asks first until their workstation has been
// silent for 2 minutes)". `stale_after` 0: not known yet (the sentence leaves it out).
std::string not_taken_over(const store::DraftLease& lease, std::int64_t now_ms,
                           std::chrono::milliseconds stale_after);

// The Take over button's tooltip, with the server's stale_after (0: not known yet).
std::string take_over_tooltip(std::chrono::milliseconds stale_after);

// The banner of a window whose draft was taken over elsewhere ("" who: not known).
std::string taken_over_by(const std::string& by, const std::string& workstation);

}  // namespace myo::gui
