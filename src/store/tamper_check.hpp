#pragma once
// Finding changes made to a database around MyoScreen (issue 10, class 3): the schema against
// what this build's migrations create, the records against the content digest, the digest
// against the newest audit row, the deletion flag, and the trail's head against the chain
// record beside the file. Read-only; never refuses, only reports.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/audit.hpp"
#include "store/chain_record.hpp"
#include "store/connection.hpp"

namespace myo::store {

// What differs between the file's schema and the one MyoScreen creates for `version`, one
// message per object ("trigger X is missing", "trigger X was changed"...); empty when equal.
std::vector<std::string> schema_differences(Connection& c, int version);
// The schema version and fingerprint schema_differences trusts without building that schema
// in memory, and the fingerprint of what this build's migrations create for a version: a test
// keeps the two equal.
std::pair<int, std::string> known_schema_fingerprint();
std::string built_schema_fingerprint(int version);
// True when the file's schema is, by that fingerprint, the one MyoScreen creates for `version`.
bool has_known_schema(Connection& c, int version);

// The newest audit row's number and hash (0 and "" for an empty trail).
ChainHead audit_head(Connection& c);

struct ChainComparison {
    enum class Result { Agrees, Pending, Missing, Differs };
    Result result = Result::Agrees;
    std::string problem;  // for Differs and Missing
};
// The trail's head against the chain record beside `database`. `earlier`: the record as read
// before the caller's snapshot began; a head it names is accepted too, so a save by another
// MyoScreen while the check runs is not taken for a cut or an added row.
ChainComparison compare_chain_record(Connection& c, const std::filesystem::path& database,
                                     const std::optional<ChainRecord>& earlier = std::nullopt);

struct TamperCheck {
    enum class Depth {
        Quick,  // constant work: on every opening for writing
        Full    // recounts the digest and walks the whole chain: db check, db verify, backups
    };
    Depth depth = Depth::Full;
    // A live database has a chain record beside it; a backup file does not.
    bool chain_record = true;
};

struct TamperReport {
    std::vector<std::string> problems;       // each names what was found
    std::optional<AuditVerification> chain;  // with Depth::Full
    // Not among the problems: the one finding a writer opening repairs (with an audit row),
    // and that db check reports as a problem.
    std::optional<std::string> chain_record_missing;
    bool chain_record_pending = false;  // a crash between a commit and its record: repaired
};

// For a file of schema 5 or later (older files carry no digest; their trail is checked).
TamperReport check_for_tampering(Connection& c, const std::filesystem::path& database,
                                 const TamperCheck& how);

}  // namespace myo::store
