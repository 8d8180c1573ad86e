#pragma once
// RAII around libpq (issue 13): a connection, its results and its transactions. Every query
// takes its values as parameters (PQexecParams); SQL is never built from values. The only SQL
// run as a whole script is the schema's, constants of this build (pg_schema.cpp).
//
// The one file besides conninfo.cpp that includes libpq-fe.h for the store.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace myo::store::pg {

// One parameter, sent as text ($1, $2, ...); nullopt is SQL NULL.
struct Param {
    std::optional<std::string> value;
    Param(std::nullopt_t) {}                                  // NOLINT: reads as NULL at call sites
    Param(const char* v) : value(v) {}                        // NOLINT
    Param(std::string v) : value(std::move(v)) {}             // NOLINT
    Param(std::string_view v) : value(std::string(v)) {}      // NOLINT
    Param(std::int64_t v) : value(std::to_string(v)) {}       // NOLINT
    Param(int v) : value(std::to_string(v)) {}                // NOLINT
    Param(const std::optional<std::string>& v) : value(v) {}  // NOLINT
};

class Result {
  public:
    explicit Result(pg_result* r);
    int rows() const;
    bool null(int row, int col) const;
    std::string text(int row, int col) const;  // "" for NULL
    std::optional<std::string> opt_text(int row, int col) const;
    std::int64_t int64(int row, int col) const;
    std::optional<std::int64_t> opt_int64(int row, int col) const;
    bool boolean(int row, int col) const;  // PostgreSQL's text form "t"/"f"

  private:
    struct Clear {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Clear> r_;
};

class Connection {
  public:
    // Applies the connection policy (conninfo.hpp) and connects; throws ConnectFailed with a
    // message naming the target and quoting libpq.
    static Connection open(const std::string& conninfo);

    Result exec(std::string_view sql, const std::vector<Param>& params = {});
    // The same for a statement run at every keystroke or save: the server parses and plans it
    // once per connection (a named prepared statement; its generic plan after a few runs), not
    // at each call. Measured on a 1,000,000-visit practice, parsing and planning were 0.2 to
    // 1.5 ms of each search query. Only for SQL whose generic plan was checked to use its
    // indexes (tests/pg/test_pg_speed.cpp): a plan made without the values cannot, for
    // instance, turn "$2 IS NULL OR ..." into an index condition.
    Result exec_prepared(std::string_view sql, const std::vector<Param>& params = {});
    // The first column of the first row (throws PgError when there is no row).
    std::string query_text(std::string_view sql, const std::vector<Param>& params = {});
    std::int64_t query_int(std::string_view sql, const std::vector<Param>& params = {});
    // Several statements without parameters: for the schema files only (constants of this
    // build, never input).
    void exec_script(const std::string& sql);
    // An identifier (a role name) quoted by libpq: identifiers cannot be parameters.
    std::string quote_identifier(std::string_view name);

    const std::string& target() const { return target_; }  // for messages, no password
    std::string user() const;                              // the login
    std::string server_version() const;                    // "15.18"
    bool tls() const;
    // The session is still up: libpq's status after reading what waits on the socket (a
    // server stopped or restarted shows at once; a cable pulled only after a call failed).
    bool alive() const;
    // The connection's application_name as the server reported it ("MyoScreen on ROOM-2"),
    // known to libpq without a query.
    std::string application_name() const;
    pg_conn* handle() const { return c_.get(); }

  private:
    struct Finish {
        void operator()(pg_conn* c) const;
    };
    Connection(pg_conn* c, std::string target);
    [[noreturn]] void fail(pg_result* r, std::string_view sql);
    Result checked(pg_result* r, std::string_view sql);
    std::unique_ptr<pg_conn, Finish> c_;
    std::string target_;
    // SQL text -> its prepared statement's name on this session. The texts are this build's
    // constants (never values), so the map stays small; kMaxPrepared bounds it regardless.
    std::unordered_map<std::string, std::string> prepared_;
    static constexpr std::size_t kMaxPrepared = 64;
};

// BEGIN now; ROLLBACK at destruction unless commit() ran (a throw rolls everything back).
class Transaction {
  public:
    // `begin` may name the transaction's mode ("BEGIN ISOLATION LEVEL ..."): one round trip
    // to the server instead of two.
    explicit Transaction(Connection& c, const char* begin = "BEGIN");
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Connection& c_;
    bool done_ = false;
};

}  // namespace myo::store::pg
