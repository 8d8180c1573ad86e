#include "store/pg/pg_check.hpp"

#include "core/assessment.hpp"
#include "store/document_check.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_schema.hpp"

namespace myo::store::pg {

namespace {

// What the database holds besides MyoScreen's schema and PostgreSQL's own objects: another
// application's tables in the same database (up to four named).
std::vector<std::string> other_objects(Connection& c) {
    Result r = c.exec(
        "SELECT n.nspname || '.' || cl.relname FROM pg_catalog.pg_class cl "
        "JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace "
        "WHERE cl.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'myoscreen') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
        "ORDER BY 1 LIMIT 4");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(r.text(i, 0));
    }
    return out;
}

// As store::unreadable_documents for a file, read in pages by id (inside the caller's one
// snapshot) so that a practice's documents are never all in memory at once.
DocumentCheck unreadable_documents(Connection& c, const Definitions& defs) {
    UnreadableDocuments documents(defs);
    std::int64_t after = 0;
    for (;;) {
        Result r = c.exec(
            "SELECT a.id, p.patient_key, a.document FROM myoscreen.assessments a "
            "LEFT JOIN myoscreen.patients p ON p.id = a.patient WHERE a.id > $1 "
            "ORDER BY a.id LIMIT 500",
            {after});
        if (r.rows() == 0) {
            return documents.result();
        }
        for (int i = 0; i < r.rows(); ++i) {
            after = r.int64(i, 0);
            documents.check(after, r.opt_text(i, 1), r.text(i, 2));
        }
    }
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ", ") + i;
    }
    return out + (items.size() >= 4 ? ", ..." : "");
}

}  // namespace

CheckReport check_database(const std::string& conninfo, const CheckOptions& options) {
    CheckReport r;
    auto fail = [&r](std::string problem) {
        r.ok = false;
        r.problems.push_back(std::move(problem));
    };
    Connection c = Connection::open(conninfo);
    // Nothing here writes: every transaction of this session is read-only on the server.
    c.exec("SET default_transaction_read_only = on");
    r.facts.emplace_back("database", c.target());
    r.facts.emplace_back("server", "PostgreSQL " + c.server_version() + (c.tls() ? ", TLS" : ""));
    r.facts.emplace_back("connected as", c.user());
    const std::optional<int> version = schema_version(c);
    if (!version) {
        const auto others = other_objects(c);
        r.facts.emplace_back("schema version", "none (not a MyoScreen database)");
        fail(others.empty() ? "no MyoScreen schema: server init creates it in an empty database"
                            : "not a MyoScreen database: it holds another application's "
                              "objects (" +
                                  joined(others) + ")");
        return r;
    }
    std::string schema =
        std::to_string(*version) + " (this build: " + std::to_string(kPgSchemaVersion) + ")";
    if (*version < kPgSchemaVersion) {
        schema += ", upgrade due: server upgrade";
    }
    r.facts.emplace_back("schema version", schema);
    if (*version > kPgSchemaVersion) {
        fail("schema version " + std::to_string(*version) + " is newer than this build");
        return r;
    }
    r.facts.emplace_back("size",
                         std::to_string(c.query_int(
                             "SELECT pg_catalog.pg_database_size(pg_catalog.current_database())")) +
                             " bytes");
    const auto others = other_objects(c);
    r.facts.emplace_back("other objects", others.empty() ? "none" : joined(others));
    if (!others.empty()) {
        fail("the database holds objects of another application besides MyoScreen's (" +
             joined(others) + ")");
    }
    AuditVerification chain = verify_audit_chain(c);
    r.chain = chain;
    r.facts.emplace_back("audit trail",
                         chain.ok
                             ? "intact (" + std::to_string(chain.rows) + " rows)"
                             : "BROKEN at row " + std::to_string(chain.first_broken.value_or(0)));
    if (!chain.ok) {
        fail("audit trail: " + chain.problem);
    }
    // One snapshot for the documents and the counts.
    Transaction snapshot(c);
    c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    add_record_facts(
        r,
        options.definitions != nullptr
            ? std::optional(unreadable_documents(c, *options.definitions))
            : std::nullopt,
        c.query_int("SELECT count(*) FROM myoscreen.patients"),
        c.query_int("SELECT count(*) FROM myoscreen.assessments WHERE status = 'final'"),
        c.query_int("SELECT count(*) FROM myoscreen.assessments WHERE status = 'draft'"));
    snapshot.commit();
    return r;
}

}  // namespace myo::store::pg
