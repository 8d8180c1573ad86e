#pragma once
// The SQL of the PostgreSQL backend's everyday reads (issue 13's speed part): search as you type,
// the list's page and its rows, a patient's history. Named here, not inline in pg_backend.cpp, so
// that tests/pg/test_pg_speed.cpp EXPLAINs exactly the text the backend runs and can tell when a
// change makes one of them read a whole table.

#include <cstddef>
#include <string>

namespace myo::store::pg::queries {

// Matches of `words` search words (at least one), in word order: $1 the batch's size; then
// each word's range of bytes ($2, $3 for the first, the longest; $4, $5 ...); with `after`,
// the last (word, patient) already sent as the two parameters after the words' (the next
// batch). Columns: term, patient.
std::string scan_matches(std::size_t words, bool after = false);

// How many rows and patients scan_matches(words)'s first $1 rows hold ($1 NULL: all), for a
// count on the server. Same parameters. Columns: rows, patients.
std::string count_matches(std::size_t words);

// The end of the range of words starting with `prefix`, compared byte by byte (COLLATE "C"),
// as the SQLite backend's prefix_end.
std::string prefix_end(const std::string& prefix);

// A page of the whole list in name order: $1 LIMIT (NULL: no limit), $2 OFFSET. Column: id.
extern const char* const kPatientPage;
// The page's patients ($1: a bigint[] of their ids).
extern const char* const kListingPatients;
// Their visits, newest first per patient ($1: the same array).
extern const char* const kListingVisits;
// One patient's assessments, by visit date and version, appended to the info columns' query;
// $1: the patient's key.
extern const char* const kHistoryWhere;

}  // namespace myo::store::pg::queries
