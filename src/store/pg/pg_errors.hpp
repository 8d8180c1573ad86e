#pragma once
// What the PostgreSQL layer throws, beside the store's own errors (store/errors.hpp):
// ConnectFailed and PermissionDenied are answers a user can act on (StoreError: the CLI prints
// them and exits 2); PgError is a failure of the server where none was expected (exit 1).
// Every message names the target (database and host, never a password) and quotes libpq's
// own words.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "store/errors.hpp"

namespace myo::store::pg {

// Why no connection was made. Nothing was written anywhere in every case.
enum class ConnectProblem {
    BadConninfo,    // the connection string does not parse, or holds a password
    Unreachable,    // no server answered (refused, unknown host, timeout, no socket)
    AuthFailed,     // the server refused the login (password, peer, unknown role)
    TlsMissing,     // TLS is required and the server does not offer it
    TlsUnverified,  // the server's certificate was not trusted or names another host
    NoDatabase,     // the server has no such database
    Other,
};

class ConnectFailed : public StoreError {
  public:
    ConnectFailed(ConnectProblem problem, const std::string& message)
        : StoreError(message), problem_(problem) {}
    ConnectProblem problem() const { return problem_; }

  private:
    ConnectProblem problem_;
};

// The login may not do this (SQLSTATE 42501): a readonly user writing, a clinician touching
// the audit trail's rows or the schema.
class PermissionDenied : public StoreError {
  public:
    using StoreError::StoreError;
};

// A save based on an older row_version (pg_versions.hpp): the store's own refusal, the same for
// every backend (store/errors.hpp).
using ChangedElsewhere = store::ChangedElsewhere;

// The server failed where it should not have; `sqlstate()` is its five-character code.
class PgError : public std::runtime_error {
  public:
    PgError(std::string sqlstate, const std::string& what)
        : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }

  private:
    std::string sqlstate_;
};

}  // namespace myo::store::pg
