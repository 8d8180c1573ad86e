#pragma once
// The store suite runs against both backends (issue 13): one suite, its target a parameter.
// test_store runs every case on a SQLite file; test_store_pg runs the same binary with
// MYOSCREEN_TEST_STORE_BACKEND=postgresql (set by its CTest registration), where each case gets
// a fresh database on the private test server (scripts/pg-test-server), initialised with
// MyoScreen's schema and a clinician login, and the cases about SQLite itself (test suite
// "sqlite file") are left out with -tse.

#include <filesystem>
#include <memory>
#include <string>

#include "support/test_support.hpp"

namespace myo::test {

class ScratchDatabase;

// Which backend this run tests: PostgreSQL when MYOSCREEN_TEST_STORE_BACKEND=postgresql.
bool store_suite_on_postgresql();

// A fresh, empty MyoScreen database for one test, removed at the end.
class TestDatabase {
  public:
    // `name`: the SQLite file's name in its temporary folder (tests that name it in messages).
    explicit TestDatabase(const std::string& name = "test.db");
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    bool postgresql() const { return scratch_ != nullptr; }
    // What Store and --db take: the file, or the connection string of the clinician t.okafor.
    const std::filesystem::path& target() const { return target_; }
    // The target as another login (a second clinician, `login`, is created on first use); on
    // SQLite the same file (one computer, one account).
    std::filesystem::path target_as(const std::string& login);
    // A folder for files the test writes beside the database (exports, backups, inputs).
    const std::filesystem::path& dir() const { return tmp_.path(); }

  private:
    TempDir tmp_;
    std::unique_ptr<ScratchDatabase> scratch_;
    std::filesystem::path target_;
};

}  // namespace myo::test
