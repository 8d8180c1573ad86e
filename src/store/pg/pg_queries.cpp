#include "store/pg/pg_queries.hpp"

namespace myo::store::pg::queries {

std::string prefix_end(const std::string& prefix) {
    return prefix + "\xF4\x8F\xBF\xBF";
}

// Words are compared as bytes (COLLATE "C"), like SQLite's BINARY, so the database's collation
// never changes which words a prefix matches; sql/004_search_index.sql's index is in that order.
// The SQL text depends only on how many words there are and on `after`; the words are
// parameters. The first batch and the next ones are two texts, not one with "$n IS NULL OR":
// the statements are prepared (Connection::exec_prepared), and a plan made without the values
// would keep that OR as a filter and read each batch's range from its start.
std::string scan_matches(std::size_t words, bool after) {
    auto param = [](std::size_t n) { return "$" + std::to_string(n); };
    std::string sql =
        "SELECT t.term, t.patient FROM myoscreen.patient_terms t WHERE "
        "t.term COLLATE \"C\" >= $2 AND t.term COLLATE \"C\" < $3";
    for (std::size_t k = 1; k < words; ++k) {
        sql +=
            " AND EXISTS (SELECT 1 FROM myoscreen.patient_terms u WHERE u.patient = t.patient "
            "AND u.term COLLATE \"C\" >= " +
            param(2 + 2 * k) + " AND u.term COLLATE \"C\" < " + param(3 + 2 * k) + ")";
    }
    if (after) {
        sql += " AND (t.term COLLATE \"C\", t.patient) > (" + param(2 + 2 * words) +
               "::text COLLATE \"C\", " + param(3 + 2 * words) + "::bigint)";
    }
    return sql + " ORDER BY t.term COLLATE \"C\", t.patient LIMIT $1";
}

std::string count_matches(std::size_t words) {
    return "SELECT count(*), count(DISTINCT m.patient) FROM (" + scan_matches(words) + ") m";
}

const char* const kPatientPage =
    "SELECT id FROM myoscreen.patients ORDER BY sort_name COLLATE \"C\", id LIMIT $1 OFFSET $2";

const char* const kListingPatients =
    "SELECT id, patient_key, name, birth_date, sex, sort_name FROM myoscreen.patients "
    "WHERE id = ANY($1::bigint[])";

const char* const kListingVisits = R"sql(
SELECT a.patient, a.date, a.urgency FROM myoscreen.assessments a
WHERE a.patient = ANY($1::bigint[])
  AND NOT EXISTS (SELECT 1 FROM myoscreen.assessments b WHERE b.supersedes = a.id)
ORDER BY a.patient, a.date COLLATE "C" DESC
)sql";

const char* const kHistoryWhere =
    " WHERE p.patient_key = $1 ORDER BY (SELECT v.date COLLATE \"C\" FROM myoscreen.assessments v "
    "WHERE v.id = a.visit), a.visit, a.version";

}  // namespace myo::store::pg::queries
