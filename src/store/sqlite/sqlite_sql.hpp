#pragma once
// Pieces of SQL and row readers shared by the SQLite backend's files (store/sqlite/).

#include <optional>
#include <string>

#include "store/connection.hpp"
#include "store/store_types.hpp"

namespace myo::store {

// The time of a change, as every row records it (UTC, milliseconds).
inline constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// The upper bound of a prefix range: U+10FFFF sorts after every character in UTF-8.
std::string prefix_end(const std::string& prefix);

// The columns read_info reads; a query appends its WHERE clause.
extern const char* const kInfoColumns;
AssessmentInfo read_info(const Statement& s);

// Why SQLite's backup API could not copy a database: it did not start (`started` false, what
// sqlite3_errmsg said) or did not complete (what sqlite3_errstr said).
struct CopyFailure {
    bool started = false;
    std::string what;
};
// Copies every page of `from` into `to` (an empty database) through SQLite's backup API;
// nullopt when done.
std::optional<CopyFailure> copy_pages(Connection& from, Connection& to);

}  // namespace myo::store
