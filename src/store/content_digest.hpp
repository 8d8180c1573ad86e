#pragma once
// The content digest (schema 5, issue 10): one value summing a hash of every row of the records
// tables, kept up to date by triggers and written into every audit row, so a change made
// around the store (the sqlite3 shell, a hex editor) no longer matches the trail.
//
// The sum is a multiset hash (each row's SHA-256 added lane by lane modulo 2^64): a trigger
// adds the new row and subtracts the old one, so a save costs one row hash, not a pass over
// the file. The triggers call myo_digest(), a function only MyoScreen's connections know: in
// another SQLite program an INSERT, UPDATE or DELETE on these tables fails with "no such
// function", and dropping the triggers to get past that changes the schema fingerprint.

#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

struct sqlite3;

namespace myo::store {

// The tables whose rows the digest covers, with every column (the triggers and the full
// recount are both generated from this one list).
struct DigestTable {
    const char* name;
    std::vector<const char*> columns;
};
const std::vector<DigestTable>& digest_tables();

// The digest of no rows.
inline const std::string kEmptyDigest(64, '0');

// Registers myo_digest(digest, sign, table, values...) and myo_row_hash(table, values...) on a
// connection (every Connection does this when it opens).
void register_digest_functions(sqlite3* db);

// The SQL creating the digest table and the triggers (schema 5).
std::string digest_schema_sql();

// The digest recomputed from every row (a pass over the records; for checks, not saves).
std::string recount_digest(Connection& c);
// The digest the triggers keep (content_digest table).
std::string stored_digest(Connection& c);

// A fingerprint of the schema: SHA-256 over the type, name, table and SQL text of every
// object in sqlite_schema (white space runs folded), so a dropped, added or rewritten trigger,
// table or index changes it.
std::string schema_fingerprint(Connection& c);
// SQL text with every run of white space folded to one space (what the fingerprint hashes).
std::string folded_space(std::string_view text);

}  // namespace myo::store
