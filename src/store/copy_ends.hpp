#pragma once
// The two ends of a copy (store_copy.hpp), one implementation per backend (store/sqlite/
// sqlite_copy.cpp, store/pg/pg_copy.cpp). The copy's logic (order, verification, the audit
// row's summary) is store_copy.cpp's, once for every backend; an end only reads and writes rows
// in its dialect.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace myo::store {

// One table of a copy: its columns, in the order rows are read and written.
struct CopyTable {
    std::string name;
    std::vector<std::string> columns;
    std::string sqlite_order;  // ORDER BY of SQLite's reading
    std::string pg_order;      // and of PostgreSQL's (COLLATE "C": SQLite's byte order)
    bool is_audit() const { return name == "audit"; }
};

// The records, parents first (patients before what points to them), then the audit trail.
// The records are the tables of the content digest (content_digest.hpp), so a copy covers
// exactly what SQLite's tamper evidence covers.
const std::vector<CopyTable>& copy_tables();

// A row's values as text (SQL NULL: nullopt), in the table's column order.
using CopyValues = std::vector<std::optional<std::string>>;
using RowReader = std::function<void(const CopyValues&)>;

class CopySource {
  public:
    virtual ~CopySource() = default;
    // How messages name it (its file, or its server and database without a password).
    virtual std::string describe() const = 0;
    // What tells two ends apart: equal for the same database reached twice.
    virtual std::string identity() = 0;
    // Every row of `t` in its order, from one snapshot. `hashed_documents`: the assessments'
    // document as the SHA-256 (hex) of its bytes, computed where the rows are.
    virtual void rows(const CopyTable& t, bool hashed_documents, const RowReader& each) = 0;
    // The highest id the table ever handed out ("patients", "assessments", "audit"), which may
    // pass its highest row (a discarded newest draft).
    virtual std::int64_t issued(const std::string& table) = 0;
};

class CopyTarget : public CopySource {
  public:
    // Starts the one transaction of the copy; CopyRefused unless the target is empty. Returns
    // the target's own audit rows the copied trail replaces (their actions), or "".
    virtual std::string begin() = 0;
    // Writes every row `produce` gives (it calls its argument per row).
    virtual void write(const CopyTable& t,
                       const std::function<void(const RowReader&)>& produce) = 0;
    // Every row is in: the chain's head is set (PostgreSQL's server checks every row first),
    // and new ids will start past the `issued` ones.
    virtual void finish_rows(std::int64_t patients_issued, std::int64_t assessments_issued) = 0;
    // Appends the copy's audit row (this end's own way: the server's trigger, SQLite's
    // append_audit) and makes what was written readable for the verification.
    virtual void append_copy_row(const std::string& summary) = 0;
    // Verified: keeps it (COMMIT; the SQLite file renamed into place). Until then, destroying
    // the end leaves the target as it was.
    virtual void commit() = 0;
};

std::unique_ptr<CopySource> open_sqlite_copy_source(const std::string& path);
std::unique_ptr<CopyTarget> open_sqlite_copy_target(const std::string& path);

}  // namespace myo::store

namespace myo::store::pg {

std::unique_ptr<store::CopySource> open_pg_copy_source(const std::string& conninfo);
std::unique_ptr<store::CopyTarget> open_pg_copy_target(const std::string& conninfo);

}  // namespace myo::store::pg
