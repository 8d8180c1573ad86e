#include "store/pg/pg_upgrade.hpp"

#include "store/audit.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

namespace myo::store::pg {

void require_current_schema(Connection& c) {
    require_myoscreen_database(c);  // none, or newer: refused there
    int found = schema_version(c).value_or(0);
    if (found < kPgSchemaVersion) {
        throw SchemaOutdated(c.target() + " has MyoScreen schema version " + std::to_string(found) +
                                 ", older than this MyoScreen (" +
                                 std::to_string(kPgSchemaVersion) +
                                 "); an administrator upgrades it first with: myoscreen-cli "
                                 "--db CONNINFO server upgrade (CONNINFO: this database's "
                                 "connection string); nothing was read or written",
                             found, kPgSchemaVersion);
    }
}

UpgradeReport upgrade_database(Connection& c, const std::string& os_user) {
    require_myoscreen_database(c);
    UpgradeReport report;
    report.from = schema_version(c).value_or(0);
    report.to = report.from;
    while (true) {
        Transaction tx(c);
        // server init takes the same lock: two upgrades (or an init) never interleave, and the
        // second finds the version the first left.
        c.exec("SELECT pg_catalog.pg_advisory_xact_lock(7213041)");
        int current = schema_version(c).value_or(0);
        if (current >= kPgSchemaVersion) {
            break;  // the transaction (nothing in it) rolls back
        }
        try {
            apply_migration(c, current + 1);
        } catch (const PermissionDenied& e) {
            throw PermissionDenied(std::string(e.what()) +
                                   "; server upgrade needs a login that may act as "
                                   "myoscreen_owner (the administrator who ran server init, or "
                                   "a superuser); the schema stays at version " +
                                   std::to_string(current));
        }
        std::string summary = "schema upgraded from " + std::to_string(current) + " to " +
                              std::to_string(current + 1);
        c.exec("INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, $2, $3)",
               {os_user, audit_action::kSchema, summary});
        tx.commit();
        report.to = current + 1;
        report.audit_summaries.push_back(summary);
    }
    return report;
}

}  // namespace myo::store::pg
