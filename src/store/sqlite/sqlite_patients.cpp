// The patients' SQL: the patient rows, their search words (patient_terms) and the list.
#include <algorithm>
#include <unordered_set>

#include "store/sqlite/sqlite_backend.hpp"
#include "store/sqlite/sqlite_sql.hpp"

namespace myo::store {

std::optional<StoredPatient> SqliteBackend::patient_by_key(std::string_view patient_id) {
    Statement find = db_.prepare(
        "SELECT id, patient_key, name, birth_date, sex FROM patients WHERE patient_key = ?1");
    find.bind(1, patient_id);
    if (!find.step()) {
        return std::nullopt;
    }
    return StoredPatient{find.int64(0),
                         Patient{find.text(1), find.text(2), find.text(3), find.opt_text(4)}};
}

PatientRow SqliteBackend::insert_patient(const Patient& p, const std::string& sort_name,
                                         const std::vector<std::string>& terms) {
    Statement insert = db_.prepare(
        std::string("INSERT INTO patients (patient_key, name, birth_date, sex, created_at, "
                    "sort_name) VALUES (?1, ?2, ?3, ?4, ") +
        kNow + ", ?5)");
    insert.bind(1, p.id).bind(2, p.name).bind(3, p.birth_date).bind(4, p.sex);
    insert.bind(5, sort_name);
    insert.run();
    std::int64_t row = db_.last_insert_rowid();
    Statement term =
        db_.prepare("INSERT OR IGNORE INTO patient_terms (term, patient) VALUES (?1, ?2)");
    for (const auto& t : terms) {
        term.reset();
        term.bind(1, t).bind(2, row).run();
    }
    return row;
}

std::size_t SqliteBackend::count_all_patients(std::size_t cap) {
    // count(*) walks the smallest index: a few ms for 100,000 patients.
    Statement s = db_.prepare("SELECT count(*) FROM (SELECT 1 FROM patients LIMIT ?1)");
    s.bind(1, cap == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(cap));
    return s.step() ? static_cast<std::size_t>(s.int64(0)) : 0;
}

std::vector<PatientRow> SqliteBackend::patient_rows(std::size_t limit, std::size_t offset) {
    std::vector<PatientRow> rows;
    Statement s = db_.prepare("SELECT id FROM patients ORDER BY sort_name, id LIMIT ?1 OFFSET ?2");
    s.bind(1, limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit));
    s.bind(2, static_cast<std::int64_t>(offset));
    while (s.step()) {
        rows.push_back(s.int64(0));
    }
    return rows;
}

// The rows (patients.id) whose name or id matches every word of `terms`, in the scan's order
// (the driving word's index order), calling `take` for each until it returns false. The word
// with the fewest candidates drives the index scan. Every other word with few candidates is
// loaded as a set; a common one ("s") is checked per candidate, which is cheap because most
// candidates then match. Counting stops at kSetLimit, which bounds its cost; ties go to the
// longest word. One piece of code for the list and its count, so they always agree.
void SqliteBackend::scan_matches(std::vector<std::string> terms,
                                 const std::function<bool(PatientRow)>& take) {
    std::stable_sort(terms.begin(), terms.end(), [](const std::string& a, const std::string& b) {
        return a.size() > b.size();
    });
    std::vector<std::int64_t> counts(terms.size(), 0);
    constexpr std::int64_t kSetLimit = 4000;
    if (terms.size() > 1) {
        Statement count = db_.prepare(
            "SELECT count(*) FROM (SELECT 1 FROM patient_terms WHERE term >= ?1 AND term < ?2 "
            "LIMIT ?3)");
        for (std::size_t k = 0; k < terms.size(); ++k) {
            count.reset();
            count.bind(1, terms[k]).bind(2, prefix_end(terms[k])).bind(3, kSetLimit);
            counts[k] = count.step() ? count.int64(0) : 0;
        }
        auto driver = static_cast<std::size_t>(std::min_element(counts.begin(), counts.end()) -
                                               counts.begin());
        std::swap(terms[0], terms[driver]);
        std::swap(counts[0], counts[driver]);
    }
    std::vector<std::unordered_set<std::int64_t>> sets(terms.size());
    Statement members =
        db_.prepare("SELECT patient FROM patient_terms WHERE term >= ?1 AND term < ?2");
    for (std::size_t k = 1; k < terms.size(); ++k) {
        if (counts[k] < kSetLimit) {
            members.reset();
            members.bind(1, terms[k]).bind(2, prefix_end(terms[k]));
            while (members.step()) {
                sets[k].insert(members.int64(0));
            }
        }
    }
    Statement scan = db_.prepare(
        "SELECT patient FROM patient_terms WHERE term >= ?1 AND term < ?2 ORDER BY term, "
        "patient");
    scan.bind(1, terms[0]).bind(2, prefix_end(terms[0]));
    Statement has = db_.prepare(
        "SELECT 1 FROM patient_terms WHERE patient = ?1 AND term >= ?2 AND term < ?3 LIMIT 1");
    std::unordered_set<std::int64_t> seen;
    while (scan.step()) {
        std::int64_t row = scan.int64(0);
        if (!seen.insert(row).second) {
            continue;
        }
        bool all = true;
        for (std::size_t k = 1; k < terms.size() && all; ++k) {
            if (counts[k] < kSetLimit) {
                all = sets[k].count(row) > 0;
                continue;
            }
            has.reset();
            has.bind(1, row).bind(2, terms[k]).bind(3, prefix_end(terms[k]));
            all = has.step();
        }
        if (all && !take(row)) {
            return;
        }
    }
}

std::optional<std::size_t> SqliteBackend::patient_position(std::string_view patient_id) {
    // The rows before it in list_patients' order (sort_name, id): a count over the covering
    // index, a few ms at 100,000 patients.
    Statement s = db_.prepare(R"sql(
SELECT (SELECT count(*) FROM patients b WHERE (b.sort_name, b.id) < (p.sort_name, p.id))
FROM patients p WHERE p.patient_key = ?1
)sql");
    s.bind(1, std::string(patient_id));
    std::optional<std::size_t> position;
    if (s.step()) {
        position = static_cast<std::size_t>(s.int64(0));
    }
    return position;
}

std::vector<PatientListing> SqliteBackend::listings(const std::vector<PatientRow>& rows) {
    Statement patient = db_.prepare(
        "SELECT patient_key, name, birth_date, sex, sort_name FROM patients WHERE id = ?1");
    Statement visits = db_.prepare(R"sql(
SELECT a.date, a.urgency FROM assessments a
WHERE a.patient = ?1 AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.supersedes = a.id)
ORDER BY a.date DESC
)sql");
    std::vector<PatientListing> out;
    out.reserve(rows.size());
    for (PatientRow row : rows) {
        patient.reset();
        patient.bind(1, row);
        if (!patient.step()) {
            continue;
        }
        PatientListing l;
        l.patient = Patient{patient.text(0), patient.text(1), patient.text(2), patient.opt_text(3)};
        l.sort_name = patient.text(4);
        visits.reset();
        visits.bind(1, row);
        while (visits.step()) {
            l.visits.emplace_back(visits.text(0), visits.text(1));
        }
        out.push_back(std::move(l));
    }
    return out;
}

}  // namespace myo::store
