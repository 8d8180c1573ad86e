#include "store/pg/pg_schema.hpp"

#include "store/pg/pg_errors.hpp"

namespace myo::store::pg {

namespace {

// The migrations, in order: step v creates schema version v + 1.
constexpr const char* kMigrations[] = {"001_schema.sql",        "002_two_workstations.sql",
                                       "003_copy_in.sql",       "004_search_index.sql",
                                       "005_listing_index.sql", "006_take_over.sql"};
static_assert(std::size(kMigrations) == kPgSchemaVersion);

std::string sql_file(const char* name) {
    std::string_view text = embedded_file(name);
    if (text.empty()) {
        throw PgError("", std::string("the schema file sql/") + name + " is not in this build");
    }
    return std::string(text);
}

constexpr std::string_view kAuditSelect =
    "SELECT seq, at, clinician, os_user, action, patient, assessment, summary, prev_hash, hash, "
    "content FROM myoscreen.audit ";
const std::string kAuditColumns = std::string(kAuditSelect) + "ORDER BY seq";
// One patient's rows, on the server (audit_by_patient), not the whole trail filtered here.
const std::string kPatientAuditColumns =
    std::string(kAuditSelect) + "WHERE patient = $1 ORDER BY seq";

AuditEntry audit_row(const Result& r, int i) {
    AuditEntry e;
    e.seq = r.int64(i, 0);
    e.at = r.text(i, 1);
    e.clinician = r.text(i, 2);
    e.os_user = r.text(i, 3);
    e.action = r.text(i, 4);
    e.patient_id = r.opt_text(i, 5);
    e.assessment = r.opt_int64(i, 6);
    e.summary = r.text(i, 7);
    e.prev_hash = r.text(i, 8);
    e.hash = r.text(i, 9);
    e.content = r.opt_text(i, 10);
    return e;
}

}  // namespace

// What the database holds besides PostgreSQL's own objects: its tables, views and sequences in
// any schema, and its schemas other than the empty "public".
std::vector<std::string> foreign_objects(Connection& c) {
    Result r = c.exec(
        "SELECT n.nspname || '.' || cl.relname FROM pg_catalog.pg_class cl "
        "JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace "
        "WHERE cl.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
        "UNION ALL SELECT 'schema ' || nspname FROM pg_catalog.pg_namespace "
        "WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') "
        "AND nspname NOT LIKE 'pg\\_%' "
        "ORDER BY 1 LIMIT 4");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(r.text(i, 0));
    }
    return out;
}

std::optional<int> schema_version(Connection& c) {
    Result has = c.exec(
        "SELECT 1 FROM pg_catalog.pg_class cl JOIN pg_catalog.pg_namespace n "
        "ON n.oid = cl.relnamespace WHERE n.nspname = 'myoscreen' AND cl.relname = "
        "'schema_version'");
    if (has.rows() == 0) {
        return std::nullopt;
    }
    return static_cast<int>(
        c.query_int("SELECT coalesce(max(version), 0) FROM myoscreen.schema_version"));
}

namespace {

InitReport create_schema(Connection& c, const std::string& os_user, int up_to);

}  // namespace

void apply_migration(Connection& c, int version) {
    if (version < 1 || version > kPgSchemaVersion) {
        throw PgError("", "no schema migration " + std::to_string(version) + " in this build");
    }
    // The schema's objects belong to the owner role, not to the administrator's login.
    c.exec("SET LOCAL ROLE myoscreen_owner");
    c.exec_script(sql_file(kMigrations[version - 1]));
    c.exec("INSERT INTO myoscreen.schema_version (version) VALUES ($1)", {version});
    c.exec("RESET ROLE");
}

InitReport init_database(Connection& c, const std::string& os_user, int up_to) {
    try {
        return create_schema(c, os_user, up_to);
    } catch (const PermissionDenied& e) {
        throw InitRefused(std::string(e.what()) +
                          "; server init needs a superuser, or the database's owner with the "
                          "CREATEROLE attribute; nothing was written");
    }
}

namespace {

InitReport create_schema(Connection& c, const std::string& os_user, int up_to) {
    std::string untouched = "; nothing was written";
    // One transaction: CREATE ROLE and CREATE SCHEMA are transactional in PostgreSQL, so a
    // refusal or a failure half-way leaves the server as it was.
    Transaction tx(c);
    // A second init at the same moment waits here and then finds the schema.
    c.exec("SELECT pg_catalog.pg_advisory_xact_lock(7213041)");
    if (std::string db = c.query_text("SELECT pg_catalog.current_database()");
        db == "postgres" || db == "template0" || db == "template1") {
        throw InitRefused(c.target() + " is PostgreSQL's own database; MyoScreen needs one of " +
                          "its own (createdb --encoding=UTF8 --template=template0 myoscreen)" +
                          untouched);
    }
    if (auto version = schema_version(c)) {
        if (*version > kPgSchemaVersion) {
            throw InitRefused(c.target() + " holds a MyoScreen schema of version " +
                              std::to_string(*version) + ", newer than this MyoScreen (" +
                              std::to_string(kPgSchemaVersion) + "); use a newer MyoScreen" +
                              untouched);
        }
        throw InitRefused(c.target() + " is already a MyoScreen database (schema version " +
                          std::to_string(*version) + ")" + untouched);
    }
    if (auto found = foreign_objects(c); !found.empty()) {
        std::string list;
        for (const auto& f : found) {
            list += (list.empty() ? "" : ", ") + f;
        }
        throw InitRefused(c.target() + " is not empty: it holds another application's objects (" +
                          list + (found.size() >= 4 ? ", ..." : "") +
                          "); server init needs an empty database (createdb NAME)" + untouched);
    }
    if (std::string enc = c.query_text("SELECT pg_catalog.current_setting('server_encoding')");
        enc != "UTF8") {
        throw InitRefused(c.target() + " uses the encoding " + enc +
                          "; MyoScreen needs UTF8 (createdb --encoding=UTF8 --template=template0 "
                          "NAME)" +
                          untouched);
    }
    InitReport report;
    for (const char* role : {"myoscreen_owner", "clinician", "readonly"}) {
        bool exists =
            c.exec("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", {role}).rows() != 0;
        (exists ? report.roles_reused : report.roles_created).emplace_back(role);
    }
    c.exec_script(sql_file("roles.sql"));
    for (int v = 1; v <= up_to; ++v) {
        apply_migration(c, v);
    }
    // The first row names the administrator's login (the column default), as every row names
    // the login that made the change.
    c.exec(
        "INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, $2, "
        "'audit trail started (PostgreSQL schema ' || $3 || ')')",
        {os_user, audit_action::kStart, up_to});
    tx.commit();
    return report;
}

}  // namespace

std::vector<AuditEntry> read_audit(Connection& c, const std::optional<std::string>& patient_id) {
    Result r = patient_id ? c.exec(kPatientAuditColumns, {*patient_id}) : c.exec(kAuditColumns);
    std::vector<AuditEntry> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(audit_row(r, i));
    }
    return out;
}

AuditVerification verify_audit_chain(Connection& c) {
    Transaction snapshot(c);
    c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    ChainVerifier verifier;
    Result r = c.exec(kAuditColumns);
    for (int i = 0; i < r.rows() && verifier.add(audit_row(r, i)); ++i) {
    }
    AuditVerification v =
        verifier.finish(c.query_int("SELECT seq FROM myoscreen.audit_head WHERE id = 1"));
    snapshot.commit();
    return v;
}

}  // namespace myo::store::pg
