#pragma once
// COPY ... FROM STDIN and COPY ... TO STDOUT through libpq (issue 13, db copy): rows streamed in
// PostgreSQL's text format, so that a million rows cross the connection in a few large
// messages and are never all in memory. Values are text (SQL NULL: nullopt), as the rest of the
// store passes them; the escaping of the format lives only here.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/pg/pg_connection.hpp"

namespace myo::store::pg {

using CopyValues = std::vector<std::optional<std::string>>;

// One row in COPY's text format: values separated by tabs, NULL as \N, a backslash, tab,
// newline and carriage return escaped; ends with a newline. Appended to `out`.
void append_copy_row(std::string& out, const CopyValues& values);
// The reverse, for one line without its newline; false when the line is not in the format.
bool parse_copy_row(std::string_view line, CopyValues& values);

// A COPY ... FROM STDIN under way on the connection: rows are buffered and sent in messages of
// about a megabyte. finish() ends it and throws PgError (the server's SQLSTATE and words) when
// the server refused a row; destroyed unfinished, it is aborted (the server discards it).
class CopyIn {
  public:
    CopyIn(Connection& c, const std::string& sql);
    ~CopyIn();
    CopyIn(const CopyIn&) = delete;
    CopyIn& operator=(const CopyIn&) = delete;
    void row(const CopyValues& values);
    // Returns the number of rows the server took.
    std::int64_t finish();

  private:
    void send();
    Connection& c_;
    std::string buffer_;
    bool done_ = false;
};

// Runs `COPY (query) TO STDOUT` and calls `each` with every row, in the query's order.
void copy_out(Connection& c, const std::string& sql, const std::function<void(CopyValues&)>& each);

}  // namespace myo::store::pg
