#pragma once
// The refusal of a save based on an older row version (ChangedElsewhere), worded once for every
// backend: who changed the row, when (the workstation's local time) and from where, and that
// nothing was saved and the caller's answers are kept.

#include <cstdint>
#include <string>

#include "store/errors.hpp"

namespace myo::store {

// "10:42" when `at_ms` falls on the same local day as `now_ms`, else "10:42 on 2026-11-30"
// (the workstation's time zone); local_time_phrase: "at " before it.
std::string local_time(std::int64_t at_ms, std::int64_t now_ms);
std::string local_time_phrase(std::int64_t at_ms, std::int64_t now_ms);
std::int64_t now_ms();

// `row` names the record ("assessment draft 12"); `where` says from where the change came
// ("on another workstation (ROOM-2)", "in another window or program on this computer").
ChangedElsewhere changed_since_read(const std::string& row,
                                    const ChangedElsewhere::LastChange& change,
                                    const std::string& where);
// A refusal's account of what happened, without the advice the CLI adds for its user
// ("...; nothing was saved and your answers are kept (reload to see the other change, then save
// again)"): "assessment draft 12 was changed by m.silva at 10:42 on another workstation
// (ROOM-2) since this copy was read". A window that offers the choices itself says what to do
// in its own words (gui/model/conflict_model.hpp).
std::string what_happened(const ChangedElsewhere& refusal);

// The row is gone (discarded or deleted `where`); the advice for a patient record differs.
ChangedElsewhere gone_since_read(const std::string& row, const std::string& where,
                                 bool patient = false);

// Milliseconds since 1970 of the store's UTC text "2026-12-01T10:42:07.123Z"; 0 if it is not.
std::int64_t utc_text_ms(const std::string& text);

}  // namespace myo::store
