// The connection policy and its messages (issue 13): no password in the string, TLS with
// verify-full for every host that is not local unless the user weakens it explicitly, and a
// clear message with exit 2 for each way a connection fails, against the real server.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "pg_fixture.hpp"
#include "store/pg/conninfo.hpp"
#include "store/pg/pg_errors.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;

namespace {

std::string param(const pg::ConnectPlan& plan, const std::string& key) {
    std::string value;
    for (const auto& [k, v] : plan.params) {
        if (k == key) {
            value = v;
        }
    }
    return value;
}

// Clears a variable for the scope, then restores it.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) {
            old_ = old;
        }
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~ScopedEnv() {
        if (old_) {
            ::setenv(name_.c_str(), old_->c_str(), 1);
        } else {
            ::unsetenv(name_.c_str());
        }
    }

  private:
    std::string name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("connection policy: verify-full for a host that is not local, unless sslmode is given") {
    ScopedEnv host("PGHOST", nullptr);
    ScopedEnv mode("PGSSLMODE", nullptr);
    ScopedEnv service("PGSERVICE", nullptr);
    auto remote = pg::plan_connection("postgresql://db.example.org/clinic");
    CHECK_FALSE(remote.local);
    CHECK(param(remote, "sslmode") == "verify-full");
    CHECK(param(remote, "connect_timeout") == "10");
    CHECK(remote.target == "database \"clinic\" on db.example.org");
    CHECK(pg::plan_connection("host=10.0.0.5 port=5433 dbname=c").target ==
          "database \"c\" on 10.0.0.5:5433");
    // Several hosts: one that is not local is enough.
    CHECK(param(pg::plan_connection("host=localhost,db.example.org dbname=c"), "sslmode") ==
          "verify-full");
    // hostaddr=127.0.0.1 does not make a named remote host local.
    CHECK(param(pg::plan_connection("host=db.example.org hostaddr=127.0.0.1"), "sslmode") ==
          "verify-full");
    for (const char* local : {"host=localhost dbname=c", "host=127.0.0.1", "host=::1",
                              "host=/var/run/postgresql dbname=c", "dbname=c", ""}) {
        CAPTURE(local);
        auto plan = pg::plan_connection(local);
        CHECK(plan.local);
        CHECK(param(plan, "sslmode").empty());
    }
    // A weaker mode only when the user says so, in the string or in PGSSLMODE.
    auto weak = pg::plan_connection("postgresql://db.example.org/clinic?sslmode=require");
    CHECK(weak.sslmode_given);
    CHECK(param(weak, "sslmode").empty());  // the string's own value stands
    {
        ScopedEnv env_mode("PGSSLMODE", "verify-ca");
        CHECK(param(pg::plan_connection("host=db.example.org"), "sslmode").empty());
    }
    {
        ScopedEnv env_host("PGHOST", "db.example.org");
        CHECK(param(pg::plan_connection("dbname=c"), "sslmode") == "verify-full");
    }
}

TEST_CASE("connection policy: a service's host counts; a password in the string is refused") {
    TempDir dir;
    auto file = dir.path() / "pg_service.conf";
    std::ofstream(file) << "# clinic\n[clinic]\nhost=db.example.org\ndbname=myo\n\n"
                           "[lab]\nhost=db.example.org\nsslmode=verify-ca\n";
    ScopedEnv service_file("PGSERVICEFILE", file.c_str());
    ScopedEnv host("PGHOST", nullptr);
    ScopedEnv mode("PGSSLMODE", nullptr);
    auto clinic = pg::plan_connection("service=clinic");
    CHECK_FALSE(clinic.local);
    CHECK(param(clinic, "sslmode") == "verify-full");
    CHECK(clinic.target == "database \"myo\" on db.example.org");
    CHECK(param(pg::plan_connection("service=lab"), "sslmode").empty());

    for (const char* with_password :
         {"host=db.example.org password=secret", "postgresql://ana:secret@db.example.org/c"}) {
        CAPTURE(with_password);
        try {
            pg::plan_connection(with_password);
            FAIL("accepted");
        } catch (const pg::ConnectFailed& e) {
            CHECK(e.problem() == pg::ConnectProblem::BadConninfo);
            std::string msg = e.what();
            CHECK(
                msg.find("the PostgreSQL connection string holds a password, which MyoScreen does "
                         "not take") == 0);
            CHECK(msg.find("secret") == std::string::npos);
        }
    }
}

TEST_CASE("connecting: each failure has its message and exit 2; verify-full with the CA works") {
    auto tls = pg_setting("_TLS");
    auto plain = pg_setting("_PLAIN");
    auto passfile = pg_setting("_PASSFILE");
    auto admin = pg_setting();
    if (!tls || !plain || !passfile || !admin) {
        return;
    }
    ScratchDatabase db(*admin);
    auto cli = [&](const std::string& conninfo, const std::string& pass = "") {
        return run_cli({"--db", conninfo, "server", "status"},
                       "env -u PGSSLMODE -u PGHOST -u PGSERVICE PGPASSFILE=" +
                           shell_quote(pass.empty() ? *passfile : pass));
    };
    std::string to_db = *tls + " dbname=" + db.name();

    SUBCASE("verify-full against the test CA: connected over TLS") {
        REQUIRE(run_cli({"server", "init", db.conninfo()}).status == 0);
        auto r = cli(to_db);
        CHECK_MESSAGE(r.status == 0, r.err);
        CHECK(r.out.find("database \"" + db.name() + "\" on db.clinic.test:") == 0);
        CHECK(r.out.find(", TLS)") != std::string::npos);
    }
    SUBCASE("a bad connection string") {
        auto r = cli("host=db.clinic.test port");
        CHECK(r.status == 2);
        CHECK(r.err ==
              "myoscreen-cli: the PostgreSQL connection string is not valid: missing \"=\" after "
              "\"port\" in connection info string (libpq). Give a URI such as "
              "postgresql://host/dbname or key=value pairs such as \"host=db.example.org "
              "dbname=myoscreen\"\n");
    }
    SUBCASE("a wrong password") {
        TempDir dir;
        auto wrong = dir.path() / "pgpass";
        std::ofstream(wrong) << "*:*:*:myoscreen_admin:not-the-password\n";
        std::filesystem::permissions(
            wrong, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        auto r = cli(to_db, wrong.string());
        CHECK(r.status == 2);
        CHECK(r.err.find("myoscreen-cli: cannot connect to database \"" + db.name() +
                         "\" on db.clinic.test:") == 0);
        CHECK(r.err.find(": the server refused the login; check the user name, and the password "
                         "in ~/.pgpass (or the file PGPASSFILE names): MyoScreen never asks for "
                         "nor keeps passwords (libpq: \"connection to server at \"127.0.0.1\", "
                         "port ") != std::string::npos);
        CHECK(r.err.find("password authentication failed for user \"myoscreen_admin\"") !=
              std::string::npos);
    }
    SUBCASE("an unreachable host") {
        // The plain server's port plus one thousand: nothing listens there.
        auto at = plain->find("port=") + 5;
        int port = std::stoi(plain->substr(at));
        auto r = cli("host=db.clinic.test hostaddr=127.0.0.1 port=" + std::to_string(port + 1000) +
                     " dbname=x user=myoscreen_admin");
        CHECK(r.status == 2);
        CHECK(r.err.find("myoscreen-cli: cannot connect to database \"x\" on db.clinic.test:" +
                         std::to_string(port + 1000) +
                         ": no PostgreSQL server answered; check the host name and port, that the "
                         "server runs and that the network lets you reach it (libpq: ") == 0);
        CHECK(r.err.find("Connection refused") != std::string::npos);
    }
    SUBCASE("TLS required, the server offers none; allowed only when sslmode is explicit") {
        auto r = cli(*plain);
        CHECK(r.status == 2);
        CHECK(r.err.find(": the server does not offer TLS, and TLS is required for a host that is "
                         "not local; enable ssl on the server (with a certificate signed by the "
                         "clinic's CA), or, only on a network you trust, give sslmode=disable "
                         "explicitly (libpq: \"connection to server at \"127.0.0.1\", port ") !=
              std::string::npos);
        CHECK(r.err.find("server does not support SSL, but SSL was required") != std::string::npos);
        auto explicit_off = cli(*plain + " sslmode=disable");
        CHECK(explicit_off.status == 2);  // connected: the database is just not MyoScreen's
        CHECK(explicit_off.err.find("is not a MyoScreen database") != std::string::npos);
    }
    SUBCASE("a certificate naming another host") {
        auto other = to_db;
        other.replace(other.find("db.clinic.test"), 14, "other.clinic.test");
        auto r = cli(other);
        CHECK(r.status == 2);
        CHECK(r.err.find(": the server's TLS certificate could not be verified") !=
              std::string::npos);
        CHECK(r.err.find("does not match host name \"other.clinic.test\"") != std::string::npos);
    }
    SUBCASE("no such database") {
        auto r = cli(*admin + " dbname=no_such_db");
        CHECK(r.status == 2);
        CHECK(r.err.find("the server has no such database") != std::string::npos);
    }
}

TEST_CASE("connecting: a connection lost mid-way is reported as such, not as a server error") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    auto c = pg::Connection::open(*admin);
    auto pid = c.query_int("SELECT pg_backend_pid()");
    pg::Connection::open(*admin).exec("SELECT pg_terminate_backend($1)", {pid});
    try {
        c.exec("SELECT 1");
        FAIL("the query ran on a terminated connection");
    } catch (const pg::ConnectFailed& e) {
        CHECK(e.problem() == pg::ConnectProblem::Unreachable);
        std::string msg = e.what();
        CHECK(msg.find("the connection to database \"postgres\" on the local server") == 0);
        CHECK(msg.find("was lost: ") != std::string::npos);
        CHECK(msg.find("; nothing of the interrupted action was saved") != std::string::npos);
    }
}

TEST_CASE("hostile connection strings: messages quote them safely, bounded, exit 2") {
    // A control character (a terminal escape) or a huge string in the connection string is
    // quoted as an escape and cut short: the terminal gets neither raw escapes nor 100 kB.
    const std::string escape = "dbname=\x1b[31mred\x07 host=/nonexistent";
    auto r = run_cli({"server", "init", escape}, "env -u PGSSLMODE -u PGHOST -u PGSERVICE");
    CHECK(r.status == 2);
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK(r.err.find('\x07') == std::string::npos);
    CHECK(r.err.find("\\u001B[31mred\\u0007") != std::string::npos);

    const std::string huge(100000, 'a');
    r = run_cli({"server", "init", huge});
    CHECK(r.status == 2);
    CHECK(r.err.find("is not valid") != std::string::npos);
    CHECK(r.err.size() < 2000);
}
