#pragma once
// The PostgreSQL schema (issue 13): one migration list (sql/NNN_*.sql, embedded at build
// time), a schema version table, and the checks before creating it. The audit trail's hash
// chain is checked by the SQLite store's own verifier (store/audit.hpp, ChainVerifier).

#include <optional>
#include <string>
#include <vector>

#include "store/audit.hpp"
#include "store/errors.hpp"
#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

inline constexpr int kPgSchemaVersion = 6;

// The embedded text of sql/<name> ("" when there is none); generated from the files.
std::string_view embedded_file(std::string_view name);

// server init refused the database; nothing was written.
class InitRefused : public StoreError {
  public:
    using StoreError::StoreError;
};

// The MyoScreen schema version of the connected database; nullopt when it has none.
std::optional<int> schema_version(Connection& c);

// Up to four of what the database holds besides PostgreSQL's own objects (its tables, views
// and sequences in any schema, its schemas other than the empty "public"); empty: an empty
// database, as server init and server restore need.
std::vector<std::string> foreign_objects(Connection& c);

struct InitReport {
    std::vector<std::string> roles_created;  // of myoscreen_owner, clinician, readonly
    std::vector<std::string> roles_reused;   // already on the server (roles are server-wide)
};

// Creates the roles that are missing, the schema and its tables, in one transaction, in an
// empty UTF-8 database. Throws InitRefused for a database holding anything else, a MyoScreen
// database already (or a newer one), or another encoding; PermissionDenied when the login
// may not create roles or schemas. `up_to` stops the migration list early: a database as an
// older build made it, for the tests of server upgrade (pg_upgrade.hpp).
InitReport init_database(Connection& c, const std::string& os_user, int up_to = kPgSchemaVersion);

// Runs migration `version` (1-based) as myoscreen_owner and records it in the schema version
// table, inside the caller's transaction: the one path of init and server upgrade.
void apply_migration(Connection& c, int version);

// The trail in order, or only the rows of one patient (read by the audit_by_patient index).
std::vector<AuditEntry> read_audit(Connection& c,
                                   const std::optional<std::string>& patient_id = std::nullopt);
// One snapshot (REPEATABLE READ) of the trail, checked by store/audit.hpp's ChainVerifier.
AuditVerification verify_audit_chain(Connection& c);

}  // namespace myo::store::pg
