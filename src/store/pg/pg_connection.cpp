#include "store/pg/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <initializer_list>

#include "core/text_input.hpp"
#include "store/errors.hpp"
#include "store/pg/conninfo.hpp"
#include "store/pg/pg_errors.hpp"

namespace myo::store::pg {

namespace {

bool has_any(const std::string& text, std::initializer_list<const char*> needles) {
    for (const char* n : needles) {
        if (text.find(n) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// libpq's message on one line ("...failed: FATAL:  password ...\n\tIs the server ...").
std::string one_line(std::string text) {
    std::string out;
    bool space = false;
    for (char ch : text) {
        if (ch == '\n' || ch == '\t' || ch == '\r' || ch == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += ch;
    }
    return out;
}

// Why a connection failed, in the user's terms, from libpq's words (libpq has no codes for
// these; its messages are stable across versions and are quoted in full after ours).
ConnectFailed connect_failure(const std::string& target, const std::string& libpq) {
    // libpq's words echo the user's string and server names: quoted safe for a terminal.
    std::string said = " (libpq: \"" + quote_for_message(libpq, 300) + "\")";
    std::string head = "cannot connect to " + target + ": ";
    if (has_any(libpq, {"does not support SSL, but SSL was required"})) {
        return {ConnectProblem::TlsMissing,
                head +
                    "the server does not offer TLS, and TLS is required for a host that is "
                    "not local; enable ssl on the server (with a certificate signed by the "
                    "clinic's CA), or, only on a network you trust, give sslmode=disable "
                    "explicitly" +
                    said};
    }
    if (has_any(libpq, {"certificate", "SSL error", "does not match host name", "root.crt"})) {
        return {ConnectProblem::TlsUnverified,
                head +
                    "the server's TLS certificate could not be verified (MyoScreen asks for "
                    "sslmode=verify-full unless told otherwise); put the clinic's CA "
                    "certificate in ~/.postgresql/root.crt or name it with sslrootcert=, and "
                    "check that the certificate names the host" +
                    said};
    }
    if (has_any(libpq, {"CONNECT privilege"})) {
        return {ConnectProblem::AuthFailed,
                head +
                    "this login may not connect to the database; only the members of the "
                    "groups clinician and readonly may (server add-user)" +
                    said};
    }
    if (has_any(libpq, {"password authentication failed", "no password supplied",
                        "authentication failed", "pg_hba.conf", "role \"", "SCRAM"})) {
        return {ConnectProblem::AuthFailed,
                head +
                    "the server refused the login; check the user name, and the password in "
                    "~/.pgpass (or the file PGPASSFILE names): MyoScreen never asks for nor "
                    "keeps passwords" +
                    said};
    }
    if (has_any(libpq, {"database \""}) && has_any(libpq, {"does not exist"})) {
        return {ConnectProblem::NoDatabase,
                head + "the server has no such database; create it (createdb) or check the name" +
                    said};
    }
    if (has_any(libpq, {"Connection refused", "could not translate host name", "timeout expired",
                        "No route to host", "Network is unreachable", "No such file or directory",
                        "could not connect", "Name or service not known", "server closed"})) {
        return {ConnectProblem::Unreachable,
                head +
                    "no PostgreSQL server answered; check the host name and port, that the "
                    "server runs and that the network lets you reach it" +
                    said};
    }
    if (has_any(libpq, {"definition of service", "invalid", "missing"})) {
        return {ConnectProblem::BadConninfo, head + "the connection settings are not valid" + said};
    }
    return {ConnectProblem::Other, head + quote_for_message(libpq, 300)};
}

}  // namespace

void Result::Clear::operator()(pg_result* r) const {
    PQclear(r);
}

Result::Result(pg_result* r) : r_(r) {}

int Result::rows() const {
    return PQntuples(r_.get());
}

bool Result::null(int row, int col) const {
    return PQgetisnull(r_.get(), row, col) != 0;
}

std::string Result::text(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col),
                       static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}

std::optional<std::string> Result::opt_text(int row, int col) const {
    if (null(row, col)) {
        return std::nullopt;
    }
    return text(row, col);
}

std::int64_t Result::int64(int row, int col) const {
    std::string t = text(row, col);
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || end != t.data() + t.size()) {
        throw PgError("", "PostgreSQL returned \"" + t + "\" where a whole number was expected");
    }
    return v;
}

std::optional<std::int64_t> Result::opt_int64(int row, int col) const {
    if (null(row, col)) {
        return std::nullopt;
    }
    return int64(row, col);
}

bool Result::boolean(int row, int col) const {
    return text(row, col) == "t";
}

void Connection::Finish::operator()(pg_conn* c) const {
    PQfinish(c);
}

Connection::Connection(pg_conn* c, std::string target) : c_(c), target_(std::move(target)) {}

Connection Connection::open(const std::string& conninfo) {
    ConnectPlan plan = plan_connection(conninfo);
    std::vector<const char*> keys;
    std::vector<const char*> values;
    for (const auto& [k, v] : plan.params) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    Connection c(PQconnectdbParams(keys.data(), values.data(), 1), plan.target);
    if (!c.c_) {
        throw ConnectFailed(ConnectProblem::Other,
                            "cannot connect to " + plan.target + ": out of memory");
    }
    if (PQstatus(c.c_.get()) != CONNECTION_OK) {
        throw connect_failure(plan.target, one_line(PQerrorMessage(c.c_.get())));
    }
    // The server's NOTICE and WARNING lines (e.g. "role is already a member") would reach the
    // terminal past the CLI's own messages; every outcome MyoScreen acts on is an error.
    PQsetNoticeProcessor(
        c.c_.get(), [](void*, const char*) {}, nullptr);
    // A host reached through a service or a variable the plan could not foresee: the rule
    // holds all the same.
    const char* host = PQhost(c.c_.get());
    if (!plan.sslmode_given && !is_local_host(host != nullptr ? host : "") && !c.tls()) {
        throw ConnectFailed(ConnectProblem::TlsMissing,
                            "cannot connect to " + plan.target +
                                ": the connection is not encrypted, and TLS is required for a "
                                "host that is not local (give sslmode explicitly to allow it)");
    }
    // Every name in MyoScreen's SQL is schema-qualified; this guards what is not (operators,
    // functions) against objects another login might create in a schema searched first.
    c.exec("SELECT pg_catalog.set_config('search_path', 'myoscreen, pg_catalog', false)");
    return c;
}

void Connection::fail(pg_result* raw, std::string_view sql) {
    Result r(raw);  // cleared whichever way this leaves
    const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary =
        raw != nullptr ? PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string code = state != nullptr ? state : "";
    // The server's words may quote values (a role name, a row): safe for a terminal.
    std::string words =
        quote_for_message(primary != nullptr ? primary : one_line(PQerrorMessage(c_.get())), 300);
    bool lost = PQstatus(c_.get()) != CONNECTION_OK;
    if (!lost && code.empty()) {
        // libpq's own error, not the server's (no SQLSTATE): "server closed the connection
        // unexpectedly" when the server was killed mid-statement, which libpq may not have
        // marked on the connection yet. Reading from it tells.
        lost = PQconsumeInput(c_.get()) == 0 || PQstatus(c_.get()) != CONNECTION_OK;
    }
    if (lost || code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0) {
        // Lost before the COMMIT reached the server, the transaction is rolled back; lost
        // during it, the server may have committed before it died, and nobody can say here.
        throw ConnectFailed(
            ConnectProblem::Unreachable,
            "the connection to " + target_ + " was lost: " + words + " (PostgreSQL); " +
                (sql == "COMMIT" ? "the interrupted action may or may not have been saved: "
                                   "reconnect and look before doing it again"
                                 : "nothing of the interrupted action was saved"));
    }
    if (code == "42501") {
        throw PermissionDenied("permission denied: the PostgreSQL login \"" +
                               quote_for_message(user()) + "\" may not do this in " + target_ +
                               " (PostgreSQL: \"" + words + "\")");
    }
    if (code == "MYO01" || code == "MYO03") {
        throw NotEditable(words);
    }
    if (code == "MYO02") {
        throw PermissionDenied(words + " (" + target_ + ")");
    }
    if (code == "40001" || code == "40P01" || code == "55P03") {
        throw DatabaseBusy("another workstation was changing the same records in " + target_ +
                           " (PostgreSQL: \"" + words + "\"); nothing changed, try again");
    }
    // The statement's first words locate the failure for a developer; never values.
    std::string where(sql.substr(0, 60));
    throw PgError(code, target_ + ": PostgreSQL error " + code + ": " + words + " (in \"" +
                            one_line(where) + "…\")");
}

Result Connection::exec(std::string_view sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p.value ? p.value->c_str() : nullptr);
    }
    std::string text(sql);
    return checked(PQexecParams(c_.get(), text.c_str(), static_cast<int>(params.size()), nullptr,
                                values.data(), nullptr, nullptr, 0),
                   sql);
}

Result Connection::checked(pg_result* r, std::string_view sql) {
    auto status = PQresultStatus(r);
    if (r == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
        fail(r, sql);
    }
    return Result(r);
}

Result Connection::exec_prepared(std::string_view sql, const std::vector<Param>& params) {
    std::string text(sql);
    auto found = prepared_.find(text);
    if (found == prepared_.end()) {
        if (prepared_.size() >= kMaxPrepared) {
            return exec(sql, params);
        }
        // A prepared statement outlives a rolled-back transaction (it belongs to the session),
        // so the map never names one the server forgot; a failed PREPARE is not recorded.
        std::string name = "myoscreen_" + std::to_string(prepared_.size() + 1);
        checked(PQprepare(c_.get(), name.c_str(), text.c_str(), static_cast<int>(params.size()),
                          nullptr),
                sql);
        found = prepared_.emplace(std::move(text), std::move(name)).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p.value ? p.value->c_str() : nullptr);
    }
    return checked(PQexecPrepared(c_.get(), found->second.c_str(), static_cast<int>(params.size()),
                                  values.data(), nullptr, nullptr, 0),
                   sql);
}

std::string Connection::query_text(std::string_view sql, const std::vector<Param>& params) {
    Result r = exec(sql, params);
    if (r.rows() == 0) {
        throw PgError("",
                      target_ + ": no row returned by \"" + std::string(sql.substr(0, 60)) + "…\"");
    }
    return r.text(0, 0);
}

std::int64_t Connection::query_int(std::string_view sql, const std::vector<Param>& params) {
    Result r = exec(sql, params);
    if (r.rows() == 0) {
        throw PgError("",
                      target_ + ": no row returned by \"" + std::string(sql.substr(0, 60)) + "…\"");
    }
    return r.int64(0, 0);
}

void Connection::exec_script(const std::string& sql) {
    pg_result* r = PQexec(c_.get(), sql.c_str());
    auto status = PQresultStatus(r);
    if (r == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
        fail(r, sql);
    }
    Result done(r);
}

std::string Connection::quote_identifier(std::string_view name) {
    std::unique_ptr<char, decltype(&PQfreemem)> q(
        PQescapeIdentifier(c_.get(), name.data(), name.size()), &PQfreemem);
    if (!q) {
        throw PgError("", target_ + ": cannot quote the name \"" + std::string(name) +
                              "\": " + one_line(PQerrorMessage(c_.get())));
    }
    return q.get();
}

std::string Connection::user() const {
    const char* u = PQuser(c_.get());
    return u != nullptr ? u : "";
}

std::string Connection::server_version() const {
    int v = PQserverVersion(c_.get());
    return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

std::string Connection::application_name() const {
    const char* name = PQparameterStatus(c_.get(), "application_name");
    return name != nullptr ? name : "";
}

bool Connection::alive() const {
    if (PQstatus(c_.get()) != CONNECTION_OK) {
        return false;
    }
    // A server that went away (stopped, restarted) closed the socket or said so on it; reading
    // what waits there, without blocking, tells now, so that the next transaction opens a new
    // session instead of failing once although the server may be back (issue 14).
    // Twice: a server going away first says why (a FATAL message, parsed by PQisBusy), then
    // closes; the second read meets the end.
    for (int i = 0; i < 2; ++i) {
        if (PQconsumeInput(c_.get()) == 0) {
            return false;
        }
        PQisBusy(c_.get());
        if (PQstatus(c_.get()) != CONNECTION_OK) {
            return false;
        }
    }
    return true;
}

bool Connection::tls() const {
    return PQsslInUse(c_.get()) != 0;
}

Transaction::Transaction(Connection& c, const char* begin) : c_(c) {
    c_.exec(begin);
}

Transaction::~Transaction() {
    if (!done_) {
        try {
            c_.exec("ROLLBACK");
        } catch (...) {
            // A lost connection rolls back on the server by itself.
        }
    }
}

void Transaction::commit() {
    c_.exec("COMMIT");
    done_ = true;
}

}  // namespace myo::store::pg
