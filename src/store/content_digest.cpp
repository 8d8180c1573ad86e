#include "store/content_digest.hpp"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "hash/sha256.hpp"
#include "store/errors.hpp"

namespace myo::store {

namespace {

using Lanes = std::array<std::uint64_t, 4>;

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// 64 hex characters to four lanes; false for anything else (a digest written by hand).
bool to_lanes(std::string_view hex, Lanes& out) {
    if (hex.size() != 64) {
        return false;
    }
    for (std::size_t lane = 0; lane < 4; ++lane) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < 16; ++i) {
            int d = hex_value(hex[lane * 16 + i]);
            if (d < 0) {
                return false;
            }
            v = (v << 4) | static_cast<std::uint64_t>(d);
        }
        out[lane] = v;
    }
    return true;
}

std::string to_hex(const Lanes& lanes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(64, '0');
    for (std::size_t lane = 0; lane < 4; ++lane) {
        for (std::size_t i = 0; i < 16; ++i) {
            out[lane * 16 + i] = kDigits[(lanes[lane] >> (60 - 4 * i)) & 0xF];
        }
    }
    return out;
}

// SHA-256 of one row: the table name, then each value as "N" (NULL) or "V<length>:<text>".
// Values are hashed as text so a trigger's NEW row and a later SELECT of it agree whatever
// affinity SQLite applied between them.
std::string row_hash(sqlite3_value** values, int count) {
    Sha256 h;
    h.update("myoscreen-row-1\n");
    for (int i = 0; i < count; ++i) {
        if (sqlite3_value_type(values[i]) == SQLITE_NULL) {
            h.update("N\n");
            continue;
        }
        const auto* text = sqlite3_value_text(values[i]);
        auto bytes = static_cast<std::size_t>(sqlite3_value_bytes(values[i]));
        std::string head = "V" + std::to_string(bytes) + ":";
        h.update(head);
        if (text != nullptr) {
            h.update(text, bytes);
        }
        h.update("\n");
    }
    return h.hex();
}

// myo_row_hash(table, values...)
void row_hash_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    try {
        std::string hash = row_hash(argv, argc);
        sqlite3_result_text(ctx, hash.c_str(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
    } catch (const std::exception& e) {
        sqlite3_result_error(ctx, e.what(), -1);
    }
}

// myo_digest(digest, sign, table, values...): the digest with the row added (sign 1) or taken
// away (sign -1).
void digest_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    try {
        if (argc < 3) {
            sqlite3_result_error(ctx, "myo_digest: too few arguments", -1);
            return;
        }
        const auto* text = sqlite3_value_text(argv[0]);
        Lanes sum{};
        Lanes row{};
        if (text == nullptr ||
            !to_lanes(std::string_view(reinterpret_cast<const char*>(text),
                                       static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))),
                      sum)) {
            sqlite3_result_error(ctx, "the content digest is not a digest", -1);
            return;
        }
        to_lanes(row_hash(argv + 2, argc - 2), row);
        bool add = sqlite3_value_int(argv[1]) > 0;
        for (std::size_t i = 0; i < 4; ++i) {
            sum[i] = add ? sum[i] + row[i] : sum[i] - row[i];
        }
        std::string out = to_hex(sum);
        sqlite3_result_text(ctx, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
    } catch (const std::exception& e) {
        sqlite3_result_error(ctx, e.what(), -1);
    }
}

std::string column_list(const DigestTable& t, const char* prefix) {
    std::string out = std::string("'") + t.name + "'";
    for (const char* col : t.columns) {
        out += std::string(", ") + prefix + col;
    }
    return out;
}

}  // namespace

std::string folded_space(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) {
            out += ' ';
        }
        space = false;
        out += c;
    }
    return out;
}

const std::vector<DigestTable>& digest_tables() {
    // The search terms are derived from the names but still covered: removing one hides a
    // patient from the search.
    static const std::vector<DigestTable> kTables = {
        {"patients", {"id", "patient_key", "name", "birth_date", "sex", "created_at", "sort_name"}},
        {"assessments",
         {"id",           "patient",      "visit",   "version",       "supersedes", "status",
          "date",         "kind",         "nrs_now", "nrs_average",   "wpi",        "sss",
          "fs",           "tender_count", "urgency", "rules_version", "created_at", "updated_at",
          "finalized_at", "document"}},
        {"baselines", {"patient", "visit", "marked_at"}},
        {"patient_terms", {"term", "patient"}},
        {"settings", {"key", "value"}},
    };
    return kTables;
}

void register_digest_functions(sqlite3* db) {
    // Innocuous and deterministic: the triggers run with trusted_schema = OFF.
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    sqlite3_create_function_v2(db, "myo_digest", -1, flags, nullptr, digest_function, nullptr,
                               nullptr, nullptr);
    sqlite3_create_function_v2(db, "myo_row_hash", -1, flags, nullptr, row_hash_function, nullptr,
                               nullptr, nullptr);
}

std::string digest_schema_sql() {
    std::string sql =
        "CREATE TABLE content_digest (id INTEGER PRIMARY KEY CHECK (id = 1), digest TEXT NOT "
        "NULL);\n";
    for (const auto& t : digest_tables()) {
        std::string name = t.name;
        std::string set = "UPDATE content_digest SET digest = ";
        sql += "CREATE TRIGGER " + name + "_digest_insert AFTER INSERT ON " + name + " BEGIN " +
               set + "myo_digest(digest, 1, " + column_list(t, "NEW.") + "); END;\n";
        sql += "CREATE TRIGGER " + name + "_digest_delete AFTER DELETE ON " + name + " BEGIN " +
               set + "myo_digest(digest, -1, " + column_list(t, "OLD.") + "); END;\n";
        sql += "CREATE TRIGGER " + name + "_digest_update AFTER UPDATE ON " + name + " BEGIN " +
               set + "myo_digest(myo_digest(digest, -1, " + column_list(t, "OLD.") + "), 1, " +
               column_list(t, "NEW.") + "); END;\n";
    }
    return sql;
}

std::string recount_digest(Connection& c) {
    Lanes sum{};
    for (const auto& t : digest_tables()) {
        Statement s = c.prepare("SELECT myo_row_hash(" + column_list(t, "") + ") FROM " + t.name);
        while (s.step()) {
            Lanes row{};
            to_lanes(s.text(0), row);
            for (std::size_t i = 0; i < 4; ++i) {
                sum[i] += row[i];
            }
        }
    }
    return to_hex(sum);
}

std::string stored_digest(Connection& c) {
    Statement s = c.prepare("SELECT digest FROM content_digest WHERE id = 1");
    return s.step() ? s.text(0) : std::string();
}

std::string schema_fingerprint(Connection& c) {
    Sha256 h;
    Statement s = c.prepare(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
    while (s.step()) {
        if (s.text(1).rfind("sqlite_stat", 0) == 0) {
            continue;  // statistics (ANALYZE) only steer query plans
        }
        for (int i = 0; i < 4; ++i) {
            std::string v = i == 3 ? folded_space(s.text(i)) : s.text(i);
            std::string head = std::to_string(v.size()) + ":";
            h.update(head);
            h.update(v);
            h.update("\n");
        }
    }
    return h.hex();
}

}  // namespace myo::store
