#pragma once
// Writes the generated practice (generated_practice.hpp) into a new SQLite store, as bench_store
// always has: the schema exactly as the application makes it, rows written on the store's own
// connection so its triggers keep the content digest, and one audit row at the end recording the
// digest, as an import would, so the store opens without a tamper refusal.

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "generated_practice.hpp"
#include "store/store.hpp"

namespace myo::bench {

inline void write_practice_sqlite(const std::filesystem::path& db, const Definitions& defs,
                                  const std::vector<Assessment>& cases, int patients,
                                  int assessments, int long_history) {
    store::Store create(db, defs);
    store::Connection& c = create.connection();
    // Only for the generator: one big transaction, no fsync. The measured connections use the
    // store's own settings (WAL, synchronous=FULL).
    c.exec("PRAGMA synchronous = OFF");
    c.exec("PRAGMA cache_size = -200000");
    store::Transaction tx(c);
    store::Statement patient = c.prepare(
        "INSERT INTO patients (id, patient_key, name, birth_date, sex, created_at, sort_name) "
        "VALUES (?1, ?2, ?3, ?4, ?5, '2026-01-01T00:00:00.000Z', ?6)");
    store::Statement term =
        c.prepare("INSERT OR IGNORE INTO patient_terms (term, patient) VALUES (?1, ?2)");
    store::Statement assessment = c.prepare(R"sql(
INSERT INTO assessments (id, patient, visit, version, supersedes, status, document, date, kind,
  nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, created_at,
  updated_at, finalized_at)
VALUES (?1, ?2, ?1, 1, NULL, 'final', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
)sql");
    std::int64_t next_assessment = 1;
    auto t0 = std::chrono::steady_clock::now();
    generate_practice(
        defs, cases, patients, assessments, long_history, [&](const GeneratedPatient& g) {
            const Patient& who = g.patient;
            patient.reset();
            patient.bind(1, g.number).bind(2, who.id).bind(3, who.name);
            patient.bind(4, who.birth_date).bind(5, who.sex).bind(6, g.sort_name);
            patient.run();
            for (const auto& t : g.terms) {
                term.reset();
                term.bind(1, t).bind(2, g.number).run();
            }
            for (const auto& v : g.visits) {
                assessment.reset();
                assessment.bind(1, next_assessment++).bind(2, g.number);
                assessment.bind(3, v.document).bind(4, v.date).bind(5, v.kind);
                assessment.bind(6, v.nrs_now).bind(7, v.nrs_average);
                assessment.bind(8, v.wpi).bind(9, v.sss).bind(10, v.fs);
                assessment.bind(11, v.tender_count).bind(12, v.urgency);
                assessment.bind(13, v.rules_version).run();
            }
            if (g.number % 10000 == 0) {
                auto s =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                std::fprintf(stderr, "  generated %d patients, %lld assessments (%.0f s)\n",
                             g.number, static_cast<long long>(next_assessment - 1), s);
            }
        });
    tx.commit();
    c.exec("ANALYZE");
    c.exec("PRAGMA synchronous = FULL");
    create.record_event(store::audit_action::kImport, {},
                        "bench: generated patients and assessments");
    c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace myo::bench
