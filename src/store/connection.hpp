#pragma once
// RAII around SQLite's C handles: a connection, a prepared statement, a transaction.
// Every statement is prepared and its values bound; SQL text is always a constant.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace myo::store {

class Statement {
  public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are numbered from 1, as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind_null(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // True while there is a row to read; false when done. SQLITE_BUSY throws DatabaseBusy.
    bool step();
    // Steps a statement that returns no rows.
    void run();
    // Ready to run again with new values. Clears the bindings too: sqlite3_reset keeps them.
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    int integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> opt_text(int column) const;
    std::optional<int> opt_integer(int column) const;
    std::optional<std::int64_t> opt_int64(int column) const;

  private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
  public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    Connection(const std::filesystem::path& path, Mode mode);
    ~Connection();
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Constant SQL without values (DDL, pragmas, BEGIN/COMMIT).
    void exec(const char* sql);
    Statement prepare(std::string_view sql);
    // The first column of the first row of a constant query (e.g. "PRAGMA user_version").
    std::int64_t query_int(std::string_view sql);
    std::string query_text(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    int changes() const;
    void set_busy_timeout(int milliseconds);
    sqlite3* handle() const { return db_; }
    const std::filesystem::path& path() const { return path_; }
    // What a read-only opening could not check, or empty. A write-ahead-log database in a
    // folder this process cannot write (chmod, read-only mount) cannot get its -shm file, so
    // it is read as immutable (SQLite's immutable=1) when it has no unfolded -wal: readable,
    // but without SQLite's locks, so a change another program makes meanwhile is not seen.
    const std::string& limitation() const { return limitation_; }

  private:
    void open(int flags, const std::string& uri);

    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
    std::string limitation_;
};

// BEGIN on construction; rolls back in the destructor unless committed (SQLiteCpp's
// Transaction). Write transactions are IMMEDIATE so the write lock is taken, or the busy
// timeout waited out, before anything is read: no deadlock on a later upgrade.
class Transaction {
  public:
    enum class Kind { Deferred, Immediate };
    explicit Transaction(Connection& connection, Kind kind = Kind::Immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

  private:
    Connection& connection_;
    bool done_ = false;
};

// Throws the right exception for a SQLite result code: DatabaseBusy, StorageFailed, Damaged
// (a damaged page or a file cut short, met by any statement), else SqliteError.
[[noreturn]] void throw_sqlite(sqlite3* db, int code, std::string_view context);
// Damaged's message: the file, what SQLite said, and what to do.
std::string damaged_message(sqlite3* db, int code);

}  // namespace myo::store
