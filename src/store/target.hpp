#pragma once
// What --db (and the GUI's database setting) names: a SQLite file, as always, or a PostgreSQL
// database for clinic mode (issue 13). Recognised by form only; nothing here connects or needs
// libpq.
//
// The rule, in order:
// 1. Anything that exists on the file system at that path is a file, whatever its name: a
//    database file literally named "service=clinic" or "postgres://x" keeps working.
// 2. "postgresql://..." or "postgres://..." (libpq's URI prefixes) is PostgreSQL.
// 3. libpq's keyword/value form is PostgreSQL: one or more `keyword=value` pairs separated by
//    white space, a value bare or in single quotes (with \' and \\), and every keyword one that
//    libpq knows ("service=clinic", "host=db.clinic dbname=myo sslmode=verify-full"). One
//    unknown keyword ("notes=2026.db") makes it a file name.
// 4. Anything else is a file path (a new database is created there, as today).
// So a new SQLite file cannot be given a name of forms 2 or 3; name it otherwise.

#include <filesystem>
#include <string>
#include <string_view>

namespace myo::store {

struct Target {
    enum class Kind { File, PostgreSql };
    Kind kind = Kind::File;
    std::filesystem::path file;  // Kind::File: the path as given
    std::string conninfo;        // Kind::PostgreSql: as given, for libpq

    bool is_postgresql() const { return kind == Kind::PostgreSql; }
    // How a message names it: the file, or the connection string with a password (in the URI's
    // user info, a password= pair or parameter) shown as "***".
    std::string display() const;
};

// Applies the rule above (it looks at the file system for rule 1).
Target parse_target(std::string_view text);

// Rules 2 and 3 alone: the text has the form of a PostgreSQL connection string.
bool is_postgresql_uri(std::string_view text);
bool is_postgresql_conninfo(std::string_view text);

// A PostgreSQL target where this build has no PostgreSQL backend: StoreError naming the target
// (without its password). Does nothing for a file.
void refuse_unavailable_backend(const Target& target);

}  // namespace myo::store
