#include "store/pg/pg_queries.hpp"

namespace myo::store::pg::queries {

std::string prefix_end(const std::string& prefix) {
    return prefix + "\xF4\x8F\xBF\xBF";
}

// Words are compared as bytes (COLLATE "C"), like SQLite's BINARY, so the database's collation
// never changes which words a prefix matches; sql/004_search_index.sql's index is in that order.
// The SQL text depends only on how many words there are; the words are parameters.
std::string scan_matches(std::size_t words) {
    std::string sql =
        "SELECT t.term, t.patient FROM myoscreen.patient_terms t WHERE "
        "t.term COLLATE \"C\" >= $4 AND t.term COLLATE \"C\" < $5 "
        "AND ($2::text IS NULL OR (t.term COLLATE \"C\", t.patient) > "
        "($2::text COLLATE \"C\", $3::bigint))";
    for (std::size_t k = 1; k < words; ++k) {
        std::string lo = "$" + std::to_string(4 + 2 * k);
        std::string hi = "$" + std::to_string(5 + 2 * k);
        sql +=
            " AND EXISTS (SELECT 1 FROM myoscreen.patient_terms u WHERE u.patient = t.patient "
            "AND u.term COLLATE \"C\" >= " +
            lo + " AND u.term COLLATE \"C\" < " + hi + ")";
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
