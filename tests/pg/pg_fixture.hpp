#pragma once
// The tests' access to the private PostgreSQL server (scripts/pg-test-server): its connection
// strings, a fresh database per test, and the CLI run against it.

#include <optional>
#include <string>
#include <vector>

#include "store/pg/pg_connection.hpp"
#include "support/test_support.hpp"

namespace myo::test {

// The value of MYOSCREEN_TEST_PG<suffix>. When the server is absent: in CI (CI=true) the test
// fails; elsewhere it says so (MESSAGE) and returns nullopt, and the test returns.
std::optional<std::string> pg_setting(const char* suffix = "");

// A new empty UTF-8 database on the private server, dropped (with its sessions) at the end.
class ScratchDatabase {
  public:
    explicit ScratchDatabase(const std::string& admin_conninfo);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;
    const std::string& name() const { return name_; }
    // The admin's connection string to this database (Unix socket, trust), or as another login.
    std::string conninfo(const std::string& user = "") const;
    store::pg::Connection admin() const { return store::pg::Connection::open(conninfo()); }

  private:
    std::string admin_;
    std::string name_;
};

// Makes `db` a clinic database (the MyoScreen schema, "tester" as its administrator) with these
// clinician logins: the set-up of the clinic tests of the store and the window.
void init_clinic(const ScratchDatabase& db, const std::vector<std::string>& clinicians);

// myoscreen-cli with these arguments (each quoted); `env` is prepended (e.g. "PGPASSFILE=x").
CommandResult run_cli(const std::vector<std::string>& args, const std::string& env = "");

}  // namespace myo::test
