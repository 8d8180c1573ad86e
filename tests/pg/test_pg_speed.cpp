// Search as fast as on SQLite (issue 13, sql/004_search_index.sql): on a database of a few
// thousand patients the server's plans for search as you type, the list's page and a history
// read through indexes (no Seq Scan of patients or patient_terms, which grows with the
// practice), a search that spans several batches finds every match, one patient's audit trail
// is read by patient, and a database of schema 2 upgrades to this build's schema.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "pg_fixture.hpp"
#include "store/pg/pg_queries.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_upgrade.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;
namespace queries = myo::store::pg::queries;

namespace {

constexpr int kPatients = 3000;

// Patients P-1 .. P-n named from two short lists (ASCII, so that a word's search form is its
// lower case), their search words as the Store computes them, and three final visits each;
// written as the admin in one statement per table, then ANALYZEd as autovacuum would.
void fill(pg::Connection& c, int patients) {
    c.exec(R"sql(
INSERT INTO myoscreen.patients (id, patient_key, name, birth_date, created_at, sort_name)
SELECT g, 'P-' || g, f || ' ' || l, '1970-01-01', '2026-01-01T00:00:00.000Z', lower(f || ' ' || l)
FROM generate_series(1, $1::int) g,
  LATERAL (SELECT (ARRAY['Anna','Mark','Sarah','Peter','Maria','Lucas','Emma','John','Mia',
                         'David','Laura','Robert'])[1 + g % 12] AS f,
                  (ARRAY['Smith','Jones','Brown','Taylor','Nowak','Rossi','Murphy','Walsh',
                         'Hansen','Fischer','Moreau','Dubois','Okafor','Mensah','Byrne',
                         'Garcia','Lopez'])[1 + (g / 12) % 17] AS l) n
)sql",
           {patients});
    c.exec(R"sql(
INSERT INTO myoscreen.patient_terms (term, patient)
SELECT DISTINCT w, id FROM myoscreen.patients,
  LATERAL unnest(ARRAY[split_part(sort_name, ' ', 1), split_part(sort_name, ' ', 2),
                       lower(patient_key)]) w
)sql");
    c.exec(R"sql(
INSERT INTO myoscreen.assessments (id, patient, visit, version, status, date, urgency,
  rules_version, created_at, updated_at, finalized_at, document)
SELECT g, 1 + g % $1::int, g, 1, 'final', '2025-' || lpad((1 + g % 12)::text, 2, '0') || '-01',
  'routine', 'r1', 'x', 'x', 'x', '{}'
FROM generate_series(1, 3 * $1::int) g
)sql",
           {patients});
    c.exec("SELECT setval(pg_get_serial_sequence('myoscreen.patients', 'id'), $1::bigint)",
           {patients});
    c.exec("SELECT setval(pg_get_serial_sequence('myoscreen.assessments', 'id'), $1::bigint)",
           {3 * patients});
    c.exec("ANALYZE myoscreen.patients, myoscreen.patient_terms, myoscreen.assessments");
}

struct ClinicDb {
    ScratchDatabase db;
    explicit ClinicDb(const std::string& admin, int up_to = pg::kPgSchemaVersion) : db(admin) {
        auto c = db.admin();
        pg::init_database(c, "tester", up_to);
        pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
        fill(c, kPatients);
    }
    std::string clinician() const { return db.conninfo("t.okafor"); }
};

// Every "Relation Name" the plan reads with a Seq Scan (plans nest under "Plans").
void seq_scans(const nlohmann::json& node, std::set<std::string>& out) {
    if (node.value("Node Type", "") == "Seq Scan") {
        out.insert(node.value("Relation Name", "?"));
    }
    if (node.contains("Plans")) {
        for (const auto& child : node["Plans"]) {
            seq_scans(child, out);
        }
    }
}

// The tables of MyoScreen's that `sql` reads whole, as the server plans it with these values.
std::set<std::string> whole_tables_read(pg::Connection& c, const std::string& sql,
                                        const std::vector<pg::Param>& params) {
    pg::Result r = c.exec("EXPLAIN (FORMAT JSON) " + sql, params);
    auto plan = nlohmann::json::parse(r.text(0, 0));
    std::set<std::string> found;
    seq_scans(plan.at(0).at("Plan"), found);
    found.erase("schema_version");  // one row per migration
    return found;
}

std::vector<pg::Param> search_params(const std::vector<std::string>& words) {
    std::vector<pg::Param> p{std::int64_t{320}};
    for (const auto& w : words) {
        p.emplace_back(w);
        p.emplace_back(queries::prefix_end(w));
    }
    return p;
}

}  // namespace

TEST_CASE("pg speed: search, the list's page and a history read through indexes") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    auto c = pg::Connection::open(clinic.clinician());
    const std::set<std::string> none;

    // Search as you type: one word, a broad one, two words (the longest drives), a patient id,
    // and the second batch of a long result (after the last word and patient sent).
    for (const std::vector<std::string>& words :
         {std::vector<std::string>{"smi"}, {"a"}, {"okafor", "ma"}, {"p-42"}, {"m", "s"}}) {
        CAPTURE(words.front());
        CHECK(whole_tables_read(c, queries::scan_matches(words.size()), search_params(words)) ==
              none);
    }
    // The capped count of a search, on the server.
    CHECK(whole_tables_read(c, queries::count_matches(2), search_params({"okafor", "m"})) == none);
    auto next = search_params({"m"});
    next.emplace_back("mark");
    next.emplace_back(std::int64_t{1500});
    CHECK(whole_tables_read(c, queries::scan_matches(1, true), next) == none);

    // The list's first page, a page far down, and the page's rows and visits.
    CHECK(whole_tables_read(c, queries::kPatientPage, {std::int64_t{100}, std::int64_t{0}}) ==
          none);
    CHECK(whole_tables_read(c, queries::kPatientPage, {std::int64_t{100}, std::int64_t{1000}}) ==
          none);
    const std::string page = "{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20}";
    CHECK(whole_tables_read(c, queries::kListingPatients, {page}) == none);
    CHECK(whole_tables_read(c, queries::kListingVisits, {page}).count("assessments") == 0);

    // A history: the patient by its key, their assessments by patient.
    std::string history =
        "SELECT a.id FROM myoscreen.assessments a JOIN myoscreen.patients p ON "
        "p.id = a.patient" +
        std::string(queries::kHistoryWhere);
    auto h = whole_tables_read(c, history, {"P-42"});
    CHECK(h.count("patients") == 0);
    CHECK(h.count("assessments") == 0);
}

// The plan the server keeps for a prepared statement (Connection::exec_prepared), made without
// the values: EXPLAIN EXECUTE under plan_cache_mode = force_generic_plan, with NULL for every
// parameter (a generic plan does not look at them).
nlohmann::json generic_plan(pg::Connection& c, const std::string& sql, int params) {
    c.exec("DEALLOCATE ALL");
    c.exec("PREPARE speed_probe AS " + sql);
    c.exec("SET plan_cache_mode = force_generic_plan");
    std::string args;
    for (int i = 0; i < params; ++i) {
        args += (i == 0 ? "" : ", ") + std::string("NULL");
    }
    pg::Result r = c.exec("EXPLAIN (FORMAT JSON) EXECUTE speed_probe(" + args + ")");
    c.exec("RESET plan_cache_mode");
    return nlohmann::json::parse(r.text(0, 0)).at(0).at("Plan");
}

// Every index the plan reads, and each index condition, as text.
void indexes_used(const nlohmann::json& node, std::set<std::string>& names, std::string& conds) {
    if (node.contains("Index Name")) {
        names.insert(node.value("Index Name", ""));
        conds += node.value("Index Cond", "") + "\n";
    }
    if (node.contains("Plans")) {
        for (const auto& child : node["Plans"]) {
            indexes_used(child, names, conds);
        }
    }
}

TEST_CASE("pg speed: the prepared search, list and history statements keep index plans") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    auto c = pg::Connection::open(clinic.clinician());
    auto reads = [&](const std::string& sql, int params, std::set<std::string>& names,
                     std::string& conds) {
        auto plan = generic_plan(c, sql, params);
        std::set<std::string> seq;
        seq_scans(plan, seq);
        seq.erase("schema_version");
        CHECK(seq.empty());
        indexes_used(plan, names, conds);
    };
    for (std::size_t words : {1u, 2u, 3u}) {
        CAPTURE(words);
        std::set<std::string> names;
        std::string conds;
        reads(queries::scan_matches(words), 1 + 2 * static_cast<int>(words), names, conds);
        CHECK(names.count("patient_terms_by_term") == 1);
        // The next batch continues in the index, not from the range's start.
        names.clear();
        conds.clear();
        reads(queries::scan_matches(words, true), 3 + 2 * static_cast<int>(words), names, conds);
        if (words == 1) {
            // (With more words the server may drive the scan from another word's range, so
            // the condition is checked where one word's range is the whole scan: the broad
            // one-word prefixes that run to many batches.)
            CHECK(conds.find("ROW(term, patient) > ROW(") != std::string::npos);
        }
        reads(queries::count_matches(words), 1 + 2 * static_cast<int>(words), names, conds);
    }
    // The page's rows and their visits: both new indexes of sql/005_listing_index.sql.
    std::set<std::string> names;
    std::string conds;
    reads(queries::kListingPatients, 1, names, conds);
    CHECK(names.count("patients_pkey") == 1);
    names.clear();
    reads(queries::kListingVisits, 1, names, conds);
    CHECK(names.count("assessments_listing") == 1);
    CHECK(names.count("assessments_superseded") == 1);
    // A history by the patient's key.
    names.clear();
    reads(
        "SELECT a.id FROM myoscreen.assessments a JOIN myoscreen.patients p ON "
        "p.id = a.patient" +
            std::string(queries::kHistoryWhere),
        1, names, conds);
    CHECK(names.count("patients_patient_key_key") == 1);

    // And the Store gives the same answers through them, statement after statement (the
    // server switches to the generic plan after five runs).
    store::Store s(clinic.clinician(), definitions());
    std::size_t smith = s.count_patients("smith");
    CHECK(smith > 0);
    for (int i = 0; i < 8; ++i) {
        CHECK(s.count_patients("smith") == smith);
        auto page = s.list_patients("smith", 100);
        CHECK(page.size() == std::min<std::size_t>(smith, 100));
        CHECK(page.front().visits == 3);
    }
}

TEST_CASE("pg speed: a search spanning several batches finds each match once, in name order") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    store::Store s(clinic.clinician(), definitions());
    auto c = clinic.db.admin();
    // "m" starts Mark, Maria, Mia, Murphy, Moreau, Mensah: several batches (320, then 1,280).
    auto expected = static_cast<std::size_t>(c.query_int(
        "SELECT count(DISTINCT patient) FROM myoscreen.patient_terms WHERE term LIKE 'm%'"));
    REQUIRE(expected > 320 + 640);
    CHECK(s.count_patients("m") == expected);
    CHECK(s.count_patients("m", 1000) == 1000);  // a capped count stops early
    CHECK(s.count_patients("m", expected + 5) == expected);
    CHECK(s.count_patients("m", expected) == expected);
    auto all = s.list_patients("m", 0);
    CHECK(all.size() == expected);
    std::set<std::string> ids;
    for (const auto& p : all) {
        ids.insert(p.patient.id);
    }
    CHECK(ids.size() == expected);
    // Two words: Mark Murphy's are exactly the patients named so.
    auto both = static_cast<std::size_t>(
        c.query_int("SELECT count(*) FROM myoscreen.patients WHERE name = 'Mark Murphy'"));
    REQUIRE(both > 0);
    CHECK(s.count_patients("murphy mark") == both);
    CHECK(s.list_patients("mark murp", 0).size() == both);
    auto page = s.list_patients("m", 50, 100);
    CHECK(page.size() == 50);
}

TEST_CASE("pg speed: one patient's audit trail is read on the server, in order") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin);
    store::Store s(clinic.clinician(), definitions());
    CHECK(s.add_patient(Patient{"Q-1", "Ida Quist", "1970-01-01", std::nullopt}));
    CHECK(s.add_patient(Patient{"Q-2", "Ole Quist", "1971-01-01", std::nullopt}));
    s.set_baseline("P-8",
                   7);  // visit 7 is P-8's (fill)  // one more row for another patient in between
    auto one = s.audit_trail(std::string("Q-1"));
    REQUIRE(!one.empty());
    for (const auto& e : one) {
        CHECK(e.patient_id == std::optional<std::string>("Q-1"));
    }
    auto all = s.audit_trail();
    std::size_t expected = 0;
    for (const auto& e : all) {
        expected += e.patient_id == std::optional<std::string>("Q-1") ? 1U : 0U;
    }
    CHECK(one.size() == expected);
    CHECK(s.audit_trail(std::string("nobody")).empty());

    auto c = pg::Connection::open(clinic.clinician());
    CHECK(whole_tables_read(c, "SELECT seq FROM myoscreen.audit WHERE patient = $1 ORDER BY seq",
                            {"Q-1"})
              .count("audit") <= 1);  // a tiny trail may be read whole; the index exists:
    CHECK(c.query_int("SELECT count(*) FROM pg_indexes WHERE schemaname = 'myoscreen' AND "
                      "indexname = 'audit_by_patient'") == 1);
}

TEST_CASE("pg speed: a database of schema 2 upgrades; its words are then found by the index") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    ClinicDb clinic(*admin, 2);  // as the build before the search index made it
    auto c = clinic.db.admin();
    REQUIRE(pg::schema_version(c) == 2);
    auto report = pg::upgrade_database(c, "tester");
    CHECK(report.from == 2);
    CHECK(report.to == pg::kPgSchemaVersion);
    CHECK(pg::schema_version(c) == pg::kPgSchemaVersion);
    CHECK(pg::verify_audit_chain(c).ok);
    // The words keep their uniqueness (now the "C" index's), and the search uses it.
    CHECK(c.query_int("SELECT count(*) FROM pg_indexes WHERE schemaname = 'myoscreen' AND "
                      "indexname = 'patient_terms_by_term' AND indexdef LIKE '%UNIQUE%'") == 1);
    CHECK_THROWS(
        c.exec("INSERT INTO myoscreen.patient_terms (term, patient) VALUES ('smith', 1), "
               "('smith', 1)"));
    auto clin = pg::Connection::open(clinic.clinician());
    CHECK(whole_tables_read(clin, queries::scan_matches(1), search_params({"smi"})).empty());

    store::Store s(clinic.clinician(), definitions());
    auto expected = static_cast<std::size_t>(
        c.query_int("SELECT count(*) FROM myoscreen.patients WHERE name LIKE '% Smith'"));
    CHECK(s.count_patients("smith") == expected);
    // A new patient's words (ON CONFLICT DO NOTHING on the unique index) are found too.
    CHECK(s.add_patient(Patient{"N-1", "Nora Smith Smith", "1990-01-01", std::nullopt}));
    CHECK(s.count_patients("smith") == expected + 1);
}
