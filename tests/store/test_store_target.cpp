// What --db names (issue 13): a SQLite file as always, or a PostgreSQL database by its URI or
// libpq keyword/value string. The Store opens the PostgreSQL backend for one (tests/pg has the
// real server); here, without a server, a clear refusal that writes nothing.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/audit.hpp"
#include "store/store.hpp"
#include "store/target.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;
using myo::store::parse_target;
using myo::store::Target;
using myo::test::TempDir;

namespace {

// Runs in a fresh folder, so relative names ("service=clinic") land there and can be looked for.
class InFolder {
  public:
    explicit InFolder(const fs::path& dir) : before_(fs::current_path()) { fs::current_path(dir); }
    ~InFolder() { fs::current_path(before_); }
    InFolder(const InFolder&) = delete;
    InFolder& operator=(const InFolder&) = delete;

  private:
    fs::path before_;
};

// Nothing was created in the folder.
bool nothing_in(const fs::path& dir) {
    return fs::is_empty(dir);
}

}  // namespace

TEST_CASE("target: file paths stay files") {
    TempDir tmp;
    InFolder here(tmp.path());
    for (const std::string text :
         {"myoscreen.db", "/var/lib/myoscreen/myoscreen.db", "./dir/clinic.db", "notes=2026.db",
          "host", "host=", "=clinic", "file:clinic.db", "postgresql:/clinic", "my host=x.db",
          "service=clinic extra", "C:\\clinic.db", "postgresql//host/db"}) {
        Target t = parse_target(text);
        CAPTURE(text);
        CHECK(t.kind == Target::Kind::File);
        CHECK(t.file == fs::path(text));
        CHECK(t.display() == text);
    }
}

TEST_CASE("target: PostgreSQL URIs and libpq keyword/value strings") {
    TempDir tmp;
    InFolder here(tmp.path());
    for (const std::string text :
         {"postgresql://db.clinic/myoscreen", "postgres://localhost", "postgresql://",
          "postgresql:///myoscreen?host=/run/postgresql", "service=clinic",
          "host=db.clinic dbname=myoscreen sslmode=verify-full", "  service = clinic  ",
          "host=/tmp/pg port=5433", "dbname='my clinic' user=t.okafor",
          "application_name='it\\'s' service=x"}) {
        Target t = parse_target(text);
        CAPTURE(text);
        CHECK(t.kind == Target::Kind::PostgreSql);
        CHECK(t.conninfo == text);
        CHECK(t.is_postgresql());
    }
    // An unterminated quote is not libpq's syntax: a (strange) file name.
    CHECK_FALSE(parse_target("dbname='open").is_postgresql());
}

TEST_CASE("target: a file that exists wins over the form of its name") {
    TempDir tmp;
    InFolder here(tmp.path());
    test::spit("service=clinic", "a file a user named so");
    fs::create_directories("postgresql:/host");
    test::spit("postgresql://host/db", "a file in folders named so");
    Target conninfo = parse_target("service=clinic");
    CHECK(conninfo.kind == Target::Kind::File);
    CHECK(conninfo.file == fs::path("service=clinic"));
    CHECK(parse_target("postgresql://host/db").kind == Target::Kind::File);
    CHECK(parse_target("service=other").kind == Target::Kind::PostgreSql);
}

TEST_CASE("target: a password is never shown") {
    CHECK(parse_target("postgresql://t.okafor:s3cret@db.clinic:5432/myo").display() ==
          "postgresql://t.okafor:***@db.clinic:5432/myo");
    CHECK(parse_target("postgresql://db.clinic/myo?user=a&password=s3cret&sslmode=require")
              .display() == "postgresql://db.clinic/myo?user=a&password=***&sslmode=require");
    CHECK(parse_target("postgres://a@db/myo?password=x").display() ==
          "postgres://a@db/myo?password=***");
    CHECK(parse_target("host=db password=s3cret dbname=myo").display() ==
          "host=db password=*** dbname=myo");
    CHECK(parse_target("password = 'two words' host=db").display() == "password = *** host=db");
    CHECK(parse_target("postgresql://user@db.clinic/myo").display() ==
          "postgresql://user@db.clinic/myo");
}

TEST_CASE("target: the Store takes a PostgreSQL target to the server, nothing created here") {
    TempDir tmp;
    InFolder here(tmp.path());
    // The connection policy (store/pg/conninfo.hpp) refuses a password before connecting.
    const std::string expected =
        "the PostgreSQL connection string holds a password, which MyoScreen does not take (it "
        "would be kept in the preferences and shown in the process list): remove it and put the "
        "password in ~/.pgpass (or the file PGPASSFILE names), or use peer or GSS authentication";
    CHECK_THROWS_WITH_AS(
        store::Store("postgresql://t.okafor:s3cret@db.clinic/myo", test::definitions()),
        expected.c_str(), store::StoreError);
    CHECK_THROWS_AS(store::Store("service=clinic", test::definitions()), store::StoreError);
    CHECK_THROWS_AS(store::Store::restore("service=clinic", "backup.db"), store::StoreError);
    CHECK(nothing_in(tmp.path()));
}

TEST_CASE("target: the CLI takes a PostgreSQL --db to the server for every verb, nothing here") {
    // Every verb now goes to the server (tests/pg/test_pg_cli.cpp has them against a real one);
    // here, without one, the connection policy's refusal and libpq's own: exit 2, one clear
    // line, and nothing created under the connection string's name (no file, no backups
    // folder, no chain record).
    TempDir tmp;
    InFolder here(tmp.path());
    // As under a service manager or cron: no $USER (libpq names the account all the same).
    const char* user_was = std::getenv("USER");
    const std::string saved_user = user_was != nullptr ? user_was : "";
    ::unsetenv("USER");
    struct RestoreUser {
        std::string value;
        bool had;
        ~RestoreUser() {
            if (had) {
                ::setenv("USER", value.c_str(), 1);
            }
        }
    } restore_user{saved_user, user_was != nullptr};
    const std::string password =
        "myoscreen-cli: the PostgreSQL connection string holds a password, which MyoScreen does "
        "not take (it would be kept in the preferences and shown in the process list): remove it "
        "and put the password in ~/.pgpass (or the file PGPASSFILE names), or use peer or GSS "
        "authentication\n";
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"list"},
                                               {"db", "check"},
                                               {"db", "verify"},
                                               {"db", "backup"},
                                               {"db", "backup", "x.pgdump"},
                                               {"db", "restore", "x.pgdump"},
                                               {"settings"},
                                               {"history", "p1"},
                                               {"audit"},
                                               {"delete", "--patient", "p1", "--confirm", "A"}}) {
        CAPTURE(args.front());
        auto r = test::cli("postgresql://t.okafor:s3cret@db.clinic/myo", args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == password);
        // A service no pg_service.conf defines: libpq refuses it before any network.
        auto s = test::cli("service=myoscreen_no_such_service", args);
        CHECK(s.status == 2);
        CHECK(s.out.empty());
        CHECK(s.err.find("definition of service \"myoscreen_no_such_service\" not found") !=
              std::string::npos);
        // The database is named as libpq would choose it (the account's name), not "".
        CHECK(s.err.find("database \"" + store::os_account() + "\"") != std::string::npos);
    }
    CHECK(nothing_in(tmp.path()));
    // A database file that happens to be named like a conninfo still opens (rule 1).
    REQUIRE(test::cli("clinic.db", {"list"}).status == 0);
    for (const auto& e : fs::directory_iterator(tmp.path())) {
        std::string name = e.path().filename().string();
        fs::rename(e.path(), "service=clinic" + name.substr(std::string("clinic.db").size()));
    }
    auto named = test::cli("service=clinic", {"list"});
    CHECK(named.status == 0);
    CHECK(named.err.empty());
}
