#include "test_database.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

#include "pg_fixture.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"

namespace myo::test {

namespace pg = myo::store::pg;

bool store_suite_on_postgresql() {
    const char* v = std::getenv("MYOSCREEN_TEST_STORE_BACKEND");
    return v != nullptr && std::string(v) == "postgresql";
}

TestDatabase::TestDatabase(const std::string& name) {
    if (!store_suite_on_postgresql()) {
        target_ = tmp_.path() / name;
        return;
    }
    // test_store_pg's registration skips the run when the server is absent outside CI; here its
    // absence is a failure (pg_setting fails in CI), not a silent pass on SQLite.
    auto admin = pg_setting();
    REQUIRE_MESSAGE(admin.has_value(), "the PostgreSQL run of the store suite needs the server");
    scratch_ = std::make_unique<ScratchDatabase>(*admin);
    auto c = scratch_->admin();
    pg::init_database(c, "tester");
    pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
    target_ = scratch_->conninfo("t.okafor");
}

TestDatabase::~TestDatabase() = default;

std::filesystem::path TestDatabase::target_as(const std::string& login) {
    if (!scratch_) {
        return target_;
    }
    auto c = scratch_->admin();
    pg::add_user(c, login, pg::UserRole::Clinician);
    return scratch_->conninfo(login);
}

}  // namespace myo::test
