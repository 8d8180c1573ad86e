#include "pg_fixture.hpp"

#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace myo::test {

std::optional<std::string> pg_setting(const char* suffix) {
    std::string name = std::string("MYOSCREEN_TEST_PG") + suffix;
    if (const char* v = std::getenv(name.c_str()); v != nullptr && *v != '\0') {
        return std::string(v);
    }
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
        FAIL(name << " is not set: the PostgreSQL tests need the private server "
                     "(scripts/pg-test-server start; scripts/test does it)");
    }
    MESSAGE("PostgreSQL test server absent (" << name
                                              << " not set): test not run; start one with "
                                                 "scripts/pg-test-server start");
    return std::nullopt;
}

ScratchDatabase::ScratchDatabase(const std::string& admin_conninfo) : admin_(admin_conninfo) {
    static std::atomic<int> counter{0};
    name_ = "myo_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    auto c = store::pg::Connection::open(admin_);
    // A name made here, not input; identifiers cannot be parameters.
    c.exec("CREATE DATABASE " + c.quote_identifier(name_) +
           " ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'");
}

ScratchDatabase::~ScratchDatabase() {
    try {
        auto c = store::pg::Connection::open(admin_);
        c.exec("DROP DATABASE IF EXISTS " + c.quote_identifier(name_) + " WITH (FORCE)");
    } catch (...) {
        // The whole server folder is removed by scripts/pg-test-server stop.
    }
}

std::string ScratchDatabase::conninfo(const std::string& user) const {
    return admin_ + " dbname=" + name_ + (user.empty() ? "" : " user=" + user);
}

CommandResult run_cli(const std::vector<std::string>& args, const std::string& env) {
    std::string cmd = env.empty() ? "" : env + " ";
    cmd += shell_quote(cli_path().string());
    for (const auto& a : args) {
        cmd += " " + shell_quote(a);
    }
    return run_command(cmd);
}

void init_clinic(const ScratchDatabase& db, const std::vector<std::string>& clinicians) {
    auto c = db.admin();
    store::pg::init_database(c, "tester");
    for (const auto& login : clinicians) {
        store::pg::add_user(c, login, store::pg::UserRole::Clinician);
    }
}

}  // namespace myo::test
