#include "store/connection.hpp"

#include <sqlite3.h>

#include <climits>
#include <utility>

#include "store/content_digest.hpp"
#include "store/errors.hpp"

namespace myo::store {

std::string damaged_message(sqlite3* db, int code) {
    const char* name = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
    const std::string file = name != nullptr && *name != '\0' ? name : "the database";
    const std::string said = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    return file + " is damaged: SQLite reports \"" + said +
           "\" while reading it, so this action was not done and nothing was changed. Restore "
           "it from a backup (db restore); 'myoscreen-cli --db " +
           file + " db check' lists every damaged part";
}

void throw_sqlite(sqlite3* db, int code, std::string_view context) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    int primary = code & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        throw DatabaseBusy(
            "the database is in use by another MyoScreen and stayed locked past the wait; "
            "nothing was changed, try again");
    }
    // The file system's refusals are answers a user can act on, not internal failures. SQLite
    // has rolled the transaction back; what an earlier commit saved is intact.
    if (primary == SQLITE_FULL) {
        throw StorageFailed(code,
                            "the disk holding the database is full, so this change was not "
                            "saved; everything saved before is intact. Free some space and "
                            "try again");
    }
    if (primary == SQLITE_READONLY) {
        throw StorageFailed(code, "the database cannot be written (" + message +
                                      "): the file, its folder or its disk is read-only, so this "
                                      "change was not saved; everything saved before is intact");
    }
    // Damage met after opening (opening reads only what is cheap, schema.hpp): one clear
    // refusal for every operation, here where every SQLite error passes. SQLite has stopped the
    // statement; a write's Transaction rolls back as the exception unwinds.
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || code == SQLITE_IOERR_SHORT_READ) {
        throw Damaged(code, damaged_message(db, code));
    }
    if (primary == SQLITE_IOERR) {
        throw StorageFailed(code,
                            "the disk reported an error while reading or writing the "
                            "database (" +
                                message +
                                "), so this action was not confirmed as saved; everything "
                                "saved before is intact. Check the disk, then check the "
                                "last change");
    }
    throw SqliteError(code, std::string(context) + ": " + message);
}

namespace {

int checked_length(std::string_view text) {
    if (text.size() > static_cast<std::size_t>(INT_MAX)) {
        throw SqliteError(SQLITE_TOOBIG, "value too large to store");
    }
    return static_cast<int>(text.size());
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v2(db, sql.data(), checked_length(sql), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        throw_sqlite(db, rc, "prepare");
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

namespace {
void check_bind(sqlite3* db, int rc) {
    if (rc != SQLITE_OK) {
        throw_sqlite(db, rc, "bind");
    }
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
    check_bind(db_, sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, int value) {
    check_bind(db_, sqlite3_bind_int(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check_bind(db_, sqlite3_bind_double(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    check_bind(db_, sqlite3_bind_text(stmt_, index, value.data(), checked_length(value),
                                      SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind_null(int index) {
    check_bind(db_, sqlite3_bind_null(stmt_, index));
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // Leave the statement reusable, then report the step's error.
    sqlite3_reset(stmt_);
    throw_sqlite(db_, rc, "step");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

int Statement::integer(int column) const {
    return sqlite3_column_int(stmt_, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    if (p == nullptr) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::optional<std::string> Statement::opt_text(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return text(column);
}

std::optional<int> Statement::opt_integer(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return integer(column);
}

std::optional<std::int64_t> Statement::opt_int64(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return int64(column);
}

namespace {

// SQLite's URI form of a path (uri.html): '?', '#' and '%' (and control bytes) escaped.
std::string file_uri(const std::filesystem::path& path) {
    // SQLite's private in-memory database keeps its special name; as a path it would become a
    // file called ":memory:" in the current folder, shared by every later opening.
    if (path == ":memory:") {
        return "file::memory:";
    }
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    const std::string text = (ec ? path : absolute).string();
    std::string uri = "file:";
    static const char* const kHex = "0123456789ABCDEF";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '?' || c == '#' || c == '%' || c < 0x20 || c == 0x7F) {
            uri += '%';
            uri += kHex[c >> 4];
            uri += kHex[c & 0xF];
        } else {
            uri += static_cast<char>(c);
        }
    }
    return uri;
}

// True when SQLite refused a read because it could not create or write a companion file
// (-shm, -wal): the folder or disk is read-only.
bool needs_writable_folder(int code) {
    const int primary = code & 0xFF;
    return primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN;
}

bool has_unfolded_log(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path.string() + "-wal", ec);
    return !ec && size > 0;
}

}  // namespace

void Connection::open(int flags, const std::string& uri) {
    int rc = sqlite3_open_v2(uri.c_str(), &db_, flags | SQLITE_OPEN_URI, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteError(rc, path_.string() + ": cannot open: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    // The records' triggers call it (store/content_digest.hpp); every connection of the store
    // must be able to change them, and no other program can.
    register_digest_functions(db_);
}

Connection::Connection(const std::filesystem::path& path, Mode mode) : path_(path) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
        case Mode::ReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
        case Mode::ReadWrite:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case Mode::ReadWriteCreate:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
    }
    const std::string uri = file_uri(path);
    open(flags, uri);
    if (mode != Mode::ReadOnly) {
        return;
    }
    // SQLite opens lazily: the first read is where a WAL file in a read-only folder fails
    // (it cannot create -shm). Probe, and fall back to immutable=1 when that is safe: with no
    // unfolded -wal, the file alone holds every committed change.
    sqlite3_busy_timeout(db_, 2000);
    const int rc =
        sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db_, 0);
    if (rc == SQLITE_OK || !needs_writable_folder(rc)) {
        return;  // readable, or a problem the caller reports in its own words
    }
    if (has_unfolded_log(path)) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw StorageFailed(rc, "cannot read " + path.string() + ": its write-ahead log (" +
                                    path.string() +
                                    "-wal) holds changes not yet in the file, and SQLite cannot "
                                    "read them without writing a -shm file in the folder, which "
                                    "is read-only. Open it once where the folder is writable, or "
                                    "copy the database with its -wal to a writable folder");
    }
    sqlite3_close_v2(db_);
    db_ = nullptr;
    open(flags, uri + "?immutable=1");
    limitation_ =
        "the database's folder is read-only, so it was read as an unchanging file (SQLite's "
        "immutable mode, no locks): whether another program is changing it right now could "
        "not be checked, and such a change would not be seen";
}

Connection::~Connection() {
    sqlite3_close_v2(db_);
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      limitation_(std::move(other.limitation_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        limitation_ = std::move(other.limitation_);
    }
    return *this;
}

void Connection::exec(const char* sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) {
        throw_sqlite(db_, rc, "exec");
    }
}

Statement Connection::prepare(std::string_view sql) {
    return Statement(db_, sql);
}

std::int64_t Connection::query_int(std::string_view sql) {
    Statement s = prepare(sql);
    return s.step() ? s.int64(0) : 0;
}

std::string Connection::query_text(std::string_view sql) {
    Statement s = prepare(sql);
    return s.step() ? s.text(0) : std::string();
}

std::int64_t Connection::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

int Connection::changes() const {
    return sqlite3_changes(db_);
}

void Connection::set_busy_timeout(int milliseconds) {
    sqlite3_busy_timeout(db_, milliseconds);
}

Transaction::Transaction(Connection& connection, Kind kind) : connection_(connection) {
    connection_.exec(kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (!done_) {
        // Never throws: a failed rollback leaves SQLite to roll back when the connection closes.
        sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    connection_.exec("COMMIT");
    done_ = true;
}

}  // namespace myo::store
