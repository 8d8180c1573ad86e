// The PostgreSQL ends of db copy (store/copy_ends.hpp): a database read in one snapshot, and an
// empty database written in one transaction through the owner's copy functions
// (sql/003_copy_in.sql), rows streamed with COPY (pg_copy_stream.hpp).
#include <optional>

#include "store/audit.hpp"
#include "store/copy_ends.hpp"
#include "store/pg/pg_copy_stream.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_upgrade.hpp"
#include "store/store_copy.hpp"

namespace myo::store::pg {

namespace {

const std::string kNothingWritten = "; nothing was written";

std::string select_sql(const CopyTable& t, bool hashed_documents) {
    std::string cols;
    for (const auto& c : t.columns) {
        std::string col = hashed_documents && c == "document"
                              ? "encode(sha256(convert_to(document, 'UTF8')), 'hex')"
                              : c;
        cols += (cols.empty() ? "" : ", ") + col;
    }
    return "COPY (SELECT " + cols + " FROM myoscreen." + t.name + " ORDER BY " + t.pg_order +
           ") TO STDOUT";
}

void read_rows(Connection& c, const CopyTable& t, bool hashed_documents, const RowReader& each) {
    copy_out(c, select_sql(t, hashed_documents), [&](CopyValues& row) {
        if (row.size() != t.columns.size()) {
            throw PgError("", c.target() + ": a row of " + t.name + " has " +
                                  std::to_string(row.size()) + " values, not " +
                                  std::to_string(t.columns.size()));
        }
        each(row);
    });
}

std::string identity_of(Connection& c) {
    // The same database reached twice (a socket and TCP, two spellings of one host) has the same
    // server start and database oid.
    return "postgresql " +
           c.query_text(
               "SELECT pg_catalog.pg_postmaster_start_time()::text || ' ' || d.oid::text FROM "
               "pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()");
}

std::int64_t issued_in(Connection& c, const std::string& table) {
    if (table == "audit") {
        return c.query_int("SELECT seq FROM myoscreen.audit_head WHERE id = 1");
    }
    // The sequence knows ids handed out and not kept (a discarded newest draft) when the login
    // may read it; the highest row otherwise.
    std::string qualified = "myoscreen." + table;
    return c.query_int(
        "SELECT greatest((SELECT coalesce(max(id), 0) FROM myoscreen." + table +
            "), coalesce((SELECT CASE WHEN pg_catalog.has_sequence_privilege(s, 'SELECT') THEN "
            "pg_catalog.pg_sequence_last_value(s) END FROM (SELECT "
            "pg_catalog.pg_get_serial_sequence($1, 'id')::regclass AS s) x), 0))",
        {qualified});
}

class PgCopySource final : public CopySource {
  public:
    explicit PgCopySource(const std::string& conninfo) : c_(Connection::open(conninfo)) {
        require_current_schema(c_);
        snapshot_.emplace(c_);
        // One snapshot for the whole copy; the source is only read.
        c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
    std::string describe() const override { return c_.target(); }
    std::string identity() override { return identity_of(c_); }
    void rows(const CopyTable& t, bool hashed_documents, const RowReader& each) override {
        read_rows(c_, t, hashed_documents, each);
    }
    std::int64_t issued(const std::string& table) override { return issued_in(c_, table); }

  private:
    Connection c_;
    std::optional<Transaction> snapshot_;
};

class PgCopyTarget final : public CopyTarget {
  public:
    explicit PgCopyTarget(const std::string& conninfo) : c_(Connection::open(conninfo)) {
        require_current_schema(c_);
    }
    std::string describe() const override { return c_.target(); }
    std::string identity() override { return identity_of(c_); }
    void rows(const CopyTable& t, bool hashed_documents, const RowReader& each) override {
        read_rows(c_, t, hashed_documents, each);
    }
    std::int64_t issued(const std::string& table) override { return issued_in(c_, table); }

    std::string begin() override {
        tx_.emplace(c_);
        if (!c_.exec("SELECT pg_catalog.pg_has_role(current_user, 'myoscreen_owner', 'MEMBER')")
                 .boolean(0, 0)) {
            throw CopyRefused(
                "the PostgreSQL login \"" + c_.user() + "\" is not the database's owner role " +
                "(myoscreen_owner) nor a member of it: db copy writes the audit trail as it was, " +
                "which only the owner may; connect to " + c_.target() +
                " as the login that ran server init" + kNothingWritten);
        }
        Result held = c_.exec(
            "SELECT (SELECT count(*) FROM myoscreen.patients), "
            "(SELECT count(*) FROM myoscreen.assessments), "
            "(SELECT count(*) FROM myoscreen.settings), "
            "(SELECT count(*) FROM myoscreen.audit a WHERE a.action NOT IN ('audit-start', "
            "'schema') OR a.patient IS NOT NULL OR a.assessment IS NOT NULL)");
        if (held.int64(0, 0) + held.int64(0, 1) + held.int64(0, 2) + held.int64(0, 3) > 0) {
            auto many = [&](int col, const char* one, const char* more) {
                return held.text(0, col) + " " + (held.int64(0, col) == 1 ? one : more);
            };
            throw CopyRefused(
                c_.target() + " is not empty: it holds " + many(0, "patient", "patients") + ", " +
                many(1, "assessment", "assessments") + ", " + many(2, "setting", "settings") +
                " and " + many(3, "audit row", "audit rows") +
                " of changes; db copy writes only into an empty "
                "database made by server init (createdb NAME, then myoscreen-cli "
                "server init postgresql:///NAME)" +
                kNothingWritten);
        }
        c_.exec("SET LOCAL ROLE myoscreen_owner");
        try {
            return c_.query_text("SELECT myoscreen.copy_begin()");
        } catch (const PgError& e) {
            if (e.sqlstate() == "MYO04") {
                throw CopyRefused(c_.target() + " is not empty (" + e.what() + ")" +
                                  kNothingWritten);
            }
            throw;
        }
    }

    void write(const CopyTable& t, const std::function<void(const RowReader&)>& produce) override {
        std::string cols;
        for (const auto& c : t.columns) {
            cols += (cols.empty() ? "" : ", ") + c;
        }
        CopyIn in(c_, "COPY myoscreen." + t.name + " (" + cols + ") FROM STDIN");
        produce([&](const CopyValues& row) { in.row(row); });
        in.finish();
    }

    void finish_rows(std::int64_t patients_issued, std::int64_t assessments_issued) override {
        try {
            c_.exec("SELECT myoscreen.copy_finish($1, $2)", {patients_issued, assessments_issued});
        } catch (const PgError& e) {
            if (e.sqlstate() == "MYO05") {
                throw CopyFailed(std::string("the server refused the copied audit trail: ") +
                                 e.what() + "; the target was left as it was");
            }
            throw;
        }
        // The copy's own row is the login's, as every row names the login that made it.
        c_.exec("RESET ROLE");
    }

    void append_copy_row(const std::string& summary) override {
        c_.exec("INSERT INTO myoscreen.audit (os_user, action, summary) VALUES ($1, $2, $3)",
                {os_account(), audit_action::kCopy, summary});
    }

    void commit() override {
        // COPY leaves the planner without statistics, and autovacuum may take minutes to
        // notice a million rows: until then a search on the new database can pick a plan
        // fit for an empty table. ANALYZE in the same transaction, so the statistics are
        // there the moment the copy is.
        c_.exec(
            "ANALYZE myoscreen.patients, myoscreen.patient_terms, myoscreen.assessments, "
            "myoscreen.baselines, myoscreen.settings, myoscreen.audit");
        tx_->commit();
    }

  private:
    Connection c_;
    std::optional<Transaction> tx_;
};

}  // namespace

std::unique_ptr<store::CopySource> open_pg_copy_source(const std::string& conninfo) {
    return std::make_unique<PgCopySource>(conninfo);
}

std::unique_ptr<store::CopyTarget> open_pg_copy_target(const std::string& conninfo) {
    return std::make_unique<PgCopyTarget>(conninfo);
}

}  // namespace myo::store::pg
