#pragma once
// Schema upgrades of a MyoScreen database on PostgreSQL (issue 13): a database made by an older
// build (its migration list stopped earlier) is brought to this build's version by
// `myoscreen-cli --db CONNINFO server upgrade`, run by an administrator who may act as
// myoscreen_owner. Everyone else is refused at connection time until then, naming both versions
// and the command, because a clinician's build expects tables the older schema lacks.

#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

// The database's schema is older than this build's; an administrator must upgrade it first.
class SchemaOutdated : public StoreError {
  public:
    SchemaOutdated(const std::string& message, int found, int wanted)
        : StoreError(message), found_(found), wanted_(wanted) {}
    int found() const { return found_; }
    int wanted() const { return wanted_; }

  private:
    int found_;
    int wanted_;
};

// Throws StoreError unless the database holds MyoScreen's schema at exactly this build's
// version: SchemaOutdated for an older one (the message names both versions and `server
// upgrade`), StoreError for none or a newer one (require_myoscreen_database's messages). What a
// clinician's or readonly user's connection checks before anything else.
void require_current_schema(Connection& c);

struct UpgradeReport {
    int from = 0;
    int to = 0;
    std::vector<std::string>
        audit_summaries;  // one row per migration, "schema upgraded from 1 to 2"
};

// Applies each missing migration in its own transaction (the migration, the schema version row
// and an audit row "schema upgraded from N to N+1" together), serialised with server init by
// the same advisory lock. A database already current is left as it is (from == to). Throws
// StoreError for a database without MyoScreen's schema or with a newer one, and
// PermissionDenied naming what is needed when the login may not act as myoscreen_owner; a
// failure leaves the database at the last version completed.
UpgradeReport upgrade_database(Connection& c, const std::string& os_user);

}  // namespace myo::store::pg
