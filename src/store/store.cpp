#include "store/store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>
#include <unordered_set>

#include "core/dates.hpp"
#include "core/evaluation.hpp"
#include "core/text_fold.hpp"
#include "store/paths.hpp"

namespace myo::store {

namespace fs = std::filesystem;

const char* status_id(Status status) {
    return status == Status::Final ? "final" : "draft";
}

PatientConflict::PatientConflict(std::size_t index, std::vector<Problem> problems)
    : StoreError([&problems] {
          std::string text;
          for (const auto& p : problems) {
              text += (text.empty() ? "" : "; ") + p.message;
          }
          return text;
      }()),
      index_(index),
      problems_(std::move(problems)) {}

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// The upper bound of a prefix range: U+10FFFF sorts after every character in UTF-8.
std::string prefix_end(const std::string& prefix) {
    return prefix + "\xF4\x8F\xBF\xBF";
}

std::optional<int> int_answer(const Json& answers, const char* id) {
    auto it = answers.find(id);
    if (it == answers.end() || !it->is_number_integer()) {
        return std::nullopt;
    }
    return it->get<int>();
}

Urgency urgency_from(const std::string& id) {
    return parse_urgency(id).value_or(Urgency::Routine);
}

const char* kInfoColumns = R"sql(
SELECT a.id, p.patient_key, a.visit, a.version, a.supersedes,
       (SELECT b.id FROM assessments b WHERE b.supersedes = a.id),
       a.status, a.date, a.kind, a.nrs_now, a.nrs_average, a.wpi, a.sss, a.fs, a.tender_count,
       a.urgency, a.rules_version, a.created_at, a.updated_at, a.finalized_at
FROM assessments a JOIN patients p ON p.id = a.patient
)sql";

AssessmentInfo read_info(const Statement& s) {
    AssessmentInfo i;
    i.id = s.int64(0);
    i.patient_id = s.text(1);
    i.visit = s.int64(2);
    i.version = s.integer(3);
    i.supersedes = s.opt_int64(4);
    i.superseded_by = s.opt_int64(5);
    i.status = s.text(6) == "final" ? Status::Final : Status::Draft;
    i.date = s.text(7);
    i.kind = s.opt_text(8);
    i.nrs_now = s.opt_integer(9);
    i.nrs_average = s.opt_integer(10);
    i.wpi = s.opt_integer(11);
    i.sss = s.opt_integer(12);
    i.fs = s.opt_integer(13);
    i.tender_count = s.opt_integer(14);
    i.urgency = urgency_from(s.text(15));
    i.rules_version = s.text(16);
    i.created_at = s.text(17);
    i.updated_at = s.text(18);
    i.finalized_at = s.opt_text(19);
    return i;
}

std::string in_quotes(const std::string& s) {
    return "\"" + s + "\"";
}

}  // namespace

struct Store::Figures {
    std::string document;
    std::string date;
    std::optional<std::string> kind;
    std::optional<int> nrs_now;
    std::optional<int> nrs_average;
    int wpi = 0;
    std::optional<int> sss;
    std::optional<int> fs;
    std::optional<int> tender_count;
    std::string urgency;
    std::string rules_version;
};

Store::Store(const fs::path& path, const Definitions& defs, const OpenOptions& options)
    : defs_(defs), db_(open_database(path, options)) {}

Store::Figures Store::figures_of(const Assessment& a) const {
    Evaluation e = evaluate(defs_, a);
    Figures f;
    f.document = write_assessment(a);
    f.date = a.date;
    f.kind = a.kind;
    f.nrs_now = int_answer(a.answers, "nrs_now");
    f.nrs_average = int_answer(a.answers, "nrs_average");
    f.wpi = e.acr2016.wpi;
    f.sss = e.acr2016.sss;
    f.fs = e.acr2016.fs;
    f.tender_count = e.acr1990.tender_count;
    f.urgency = urgency_id(e.urgency);
    f.rules_version = e.rules_version;
    return f;
}

void Store::check_valid(const Assessment& a, const std::string& label) const {
    auto problems = validate_assessment(a, defs_);
    if (!problems.empty()) {
        throw AssessmentError(label, std::move(problems));
    }
}

std::int64_t Store::ensure_patient(const Patient& p, std::size_t index, bool* created) {
    Statement find =
        db_.prepare("SELECT id, name, birth_date, sex FROM patients WHERE patient_key = ?1");
    find.bind(1, p.id);
    if (find.step()) {
        std::vector<Problem> problems;
        std::string who = "patient " + in_quotes(p.id) + " is stored with ";
        if (find.text(1) != p.name) {
            problems.push_back({"/patient/name", who + "name " + in_quotes(find.text(1)) +
                                                     ", not " + in_quotes(p.name) +
                                                     " (a differing name is refused, not "
                                                     "overwritten)"});
        }
        if (find.text(2) != p.birth_date) {
            problems.push_back({"/patient/birth_date",
                                who + "birth date " + find.text(2) + ", not " + p.birth_date +
                                    " (a differing birth date is refused, not overwritten)"});
        }
        auto sex = find.opt_text(3);
        if (sex && p.sex && *sex != *p.sex) {
            problems.push_back({"/patient/sex", who + "sex " + in_quotes(*sex) + ", not " +
                                                    in_quotes(*p.sex) +
                                                    " (a differing sex is refused, not "
                                                    "overwritten)"});
        }
        if (!problems.empty()) {
            throw PatientConflict(index, std::move(problems));
        }
        if (created != nullptr) {
            *created = false;
        }
        return find.int64(0);
    }
    Statement insert = db_.prepare(
        std::string("INSERT INTO patients (patient_key, name, birth_date, sex, created_at, "
                    "sort_name) VALUES (?1, ?2, ?3, ?4, ") +
        kNow + ", ?5)");
    insert.bind(1, p.id).bind(2, p.name).bind(3, p.birth_date).bind(4, p.sex);
    insert.bind(5, fold_for_search(p.name));
    insert.run();
    std::int64_t row = db_.last_insert_rowid();
    Statement term =
        db_.prepare("INSERT OR IGNORE INTO patient_terms (term, patient) VALUES (?1, ?2)");
    auto terms = search_terms(p.name);
    auto id_terms = search_terms(p.id);
    terms.insert(terms.end(), id_terms.begin(), id_terms.end());
    for (const auto& t : terms) {
        term.reset();
        term.bind(1, t).bind(2, row).run();
    }
    if (created != nullptr) {
        *created = true;
    }
    return row;
}

bool Store::add_patient(const Patient& patient) {
    bool sex_ok = !patient.sex || *patient.sex == "female" || *patient.sex == "male" ||
                  *patient.sex == "other" || *patient.sex == "unknown";
    if (patient.id.empty() || patient.name.empty() || !parse_iso_date(patient.birth_date) ||
        !sex_ok) {
        throw StoreError(
            "a patient needs an id, a name, a valid birth date (YYYY-MM-DD) and a sex of female, "
            "male, other or unknown if one is given");
    }
    Transaction tx(db_);
    bool created = false;
    ensure_patient(patient, 0, &created);
    tx.commit();
    return created;
}

std::optional<Patient> Store::find_patient(std::string_view patient_id) {
    Statement s = db_.prepare(
        "SELECT patient_key, name, birth_date, sex FROM patients WHERE patient_key = ?1");
    s.bind(1, patient_id);
    if (!s.step()) {
        return std::nullopt;
    }
    return Patient{s.text(0), s.text(1), s.text(2), s.opt_text(3)};
}

std::int64_t Store::insert_assessment(std::int64_t patient_row, const Assessment& a, Status status,
                                      std::optional<std::int64_t> visit, int version,
                                      std::optional<std::int64_t> supersedes) {
    Figures f = figures_of(a);
    // Inserted as a draft first: the database refuses any change to a final row, and a new
    // visit's number is its own id, known only after the insert.
    Statement insert = db_.prepare(std::string(R"sql(
INSERT INTO assessments (patient, visit, version, supersedes, status, document, date, kind,
  nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, created_at, updated_at)
VALUES (?1, COALESCE(?2, 0), ?3, ?4, 'draft', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, )sql") +
                                   kNow + ", " + kNow + ")");
    insert.bind(1, patient_row).bind(2, visit).bind(3, version).bind(4, supersedes);
    insert.bind(5, f.document).bind(6, f.date).bind(7, f.kind).bind(8, f.nrs_now);
    insert.bind(9, f.nrs_average).bind(10, f.wpi).bind(11, f.sss).bind(12, f.fs);
    insert.bind(13, f.tender_count).bind(14, f.urgency).bind(15, f.rules_version);
    insert.run();
    std::int64_t id = db_.last_insert_rowid();
    if (!visit) {
        Statement set_visit = db_.prepare("UPDATE assessments SET visit = id WHERE id = ?1");
        set_visit.bind(1, id).run();
    }
    if (status == Status::Final) {
        Statement fin =
            db_.prepare(std::string("UPDATE assessments SET status = 'final', finalized_at = ") +
                        kNow + " WHERE id = ?1");
        fin.bind(1, id).run();
    }
    return id;
}

AssessmentInfo Store::info(std::int64_t id) {
    Statement s = db_.prepare(std::string(kInfoColumns) + " WHERE a.id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        throw NotFound("there is no assessment " + std::to_string(id));
    }
    return read_info(s);
}

std::string Store::load_document(std::int64_t id) {
    Statement s = db_.prepare("SELECT document FROM assessments WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        throw NotFound("there is no assessment " + std::to_string(id));
    }
    return s.text(0);
}

StoredAssessment Store::load(std::int64_t id) {
    Transaction tx(db_, Transaction::Kind::Deferred);
    StoredAssessment out;
    out.info = info(id);
    out.document = load_document(id);
    tx.commit();
    auto parsed = parse_assessment(out.document, defs_);
    if (!parsed.assessment) {
        throw AssessmentError("assessment " + std::to_string(id), std::move(parsed.problems));
    }
    out.assessment = std::move(*parsed.assessment);
    return out;
}

std::int64_t Store::create_draft(const Assessment& assessment) {
    check_valid(assessment, "new assessment");
    Transaction tx(db_);
    std::int64_t patient = ensure_patient(assessment.patient, 0, nullptr);
    std::int64_t id =
        insert_assessment(patient, assessment, Status::Draft, std::nullopt, 1, std::nullopt);
    tx.commit();
    return id;
}

void Store::save_draft(std::int64_t id, const Assessment& assessment) {
    check_valid(assessment, "assessment " + std::to_string(id));
    Transaction tx(db_);
    AssessmentInfo current = info(id);
    if (current.status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) +
                          " is final and cannot be changed; amend it to make a correction");
    }
    if (current.patient_id != assessment.patient.id) {
        throw NotEditable("assessment " + std::to_string(id) + " belongs to patient " +
                          in_quotes(current.patient_id) +
                          "; a draft cannot move to another patient (discard it and start a new "
                          "one)");
    }
    ensure_patient(assessment.patient, 0, nullptr);
    Figures f = figures_of(assessment);
    Statement update = db_.prepare(std::string(R"sql(
UPDATE assessments SET document = ?2, date = ?3, kind = ?4, nrs_now = ?5, nrs_average = ?6,
  wpi = ?7, sss = ?8, fs = ?9, tender_count = ?10, urgency = ?11, rules_version = ?12,
  updated_at = )sql") + kNow + " WHERE id = ?1 AND status = 'draft'");
    update.bind(1, id).bind(2, f.document).bind(3, f.date).bind(4, f.kind).bind(5, f.nrs_now);
    update.bind(6, f.nrs_average).bind(7, f.wpi).bind(8, f.sss).bind(9, f.fs);
    update.bind(10, f.tender_count).bind(11, f.urgency).bind(12, f.rules_version);
    update.run();
    tx.commit();
}

void Store::discard_draft(std::int64_t id) {
    Transaction tx(db_);
    if (info(id).status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) + " is final and cannot be deleted");
    }
    Statement del = db_.prepare("DELETE FROM assessments WHERE id = ?1 AND status = 'draft'");
    del.bind(1, id).run();
    tx.commit();
}

void Store::finalize(std::int64_t id) {
    Transaction tx(db_);
    if (info(id).status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) + " is final already");
    }
    Statement fin = db_.prepare(std::string("UPDATE assessments SET status = 'final', "
                                            "finalized_at = ") +
                                kNow + ", updated_at = " + kNow + " WHERE id = ?1");
    fin.bind(1, id).run();
    tx.commit();
}

std::int64_t Store::amend(std::int64_t final_id) {
    Transaction tx(db_);
    AssessmentInfo original = info(final_id);
    if (original.status != Status::Final) {
        throw NotEditable("assessment " + std::to_string(final_id) +
                          " is a draft: edit it instead of amending it");
    }
    if (original.superseded_by) {
        throw NotEditable("assessment " + std::to_string(final_id) + " was already corrected by " +
                          std::to_string(*original.superseded_by) + "; amend the newest version");
    }
    auto parsed = parse_assessment(load_document(final_id), defs_);
    if (!parsed.assessment) {
        throw AssessmentError("assessment " + std::to_string(final_id), std::move(parsed.problems));
    }
    Statement row = db_.prepare("SELECT patient FROM assessments WHERE id = ?1");
    row.bind(1, final_id);
    row.step();
    std::int64_t id = insert_assessment(row.int64(0), *parsed.assessment, Status::Draft,
                                        original.visit, original.version + 1, final_id);
    tx.commit();
    return id;
}

std::vector<ImportResult> Store::import_assessments(const std::vector<Assessment>& assessments) {
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        check_valid(assessments[i], "assessment " + std::to_string(i + 1));
    }
    std::vector<ImportResult> results;
    Transaction tx(db_);
    Statement same = db_.prepare(
        "SELECT id FROM assessments WHERE patient = ?1 AND status = 'final' AND document = ?2 "
        "ORDER BY id LIMIT 1");
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        const Assessment& a = assessments[i];
        ImportResult r;
        std::int64_t patient = ensure_patient(a.patient, i, &r.patient_created);
        same.reset();
        same.bind(1, patient).bind(2, write_assessment(a));
        if (same.step()) {
            r.id = same.int64(0);
            r.already_stored = true;
        } else {
            r.id = insert_assessment(patient, a, Status::Final, std::nullopt, 1, std::nullopt);
        }
        results.push_back(r);
    }
    tx.commit();
    return results;
}

std::vector<AssessmentInfo> Store::history(std::string_view patient_id) {
    Transaction tx(db_, Transaction::Kind::Deferred);
    if (!find_patient(patient_id)) {
        throw NotFound("there is no patient " + in_quotes(std::string(patient_id)));
    }
    Statement s = db_.prepare(std::string(kInfoColumns) +
                              " WHERE p.patient_key = ?1 ORDER BY "
                              "(SELECT v.date FROM assessments v WHERE v.id = a.visit), a.visit, "
                              "a.version");
    s.bind(1, patient_id);
    std::vector<AssessmentInfo> out;
    while (s.step()) {
        out.push_back(read_info(s));
    }
    tx.commit();
    return out;
}

std::vector<AssessmentInfo> Store::current_finals(std::string_view patient_id) {
    auto all = history(patient_id);
    std::vector<AssessmentInfo> out;
    // The newest final of each visit: a draft correction does not hide the final it corrects.
    for (const auto& i : all) {
        if (i.status != Status::Final) {
            continue;
        }
        bool newer_final = std::any_of(all.begin(), all.end(), [&i](const AssessmentInfo& o) {
            return o.visit == i.visit && o.status == Status::Final && o.version > i.version;
        });
        if (!newer_final) {
            out.push_back(i);
        }
    }
    return out;
}

std::vector<StoredAssessment> Store::final_visits(std::string_view patient_id) {
    std::vector<StoredAssessment> out;
    for (const auto& info : current_finals(patient_id)) {
        out.push_back(load(info.id));
    }
    return out;
}

void Store::set_baseline(std::string_view patient_id, std::optional<std::int64_t> id) {
    Transaction tx(db_, Transaction::Kind::Immediate);
    Statement p = db_.prepare("SELECT id FROM patients WHERE patient_key = ?1");
    p.bind(1, patient_id);
    if (!p.step()) {
        throw NotFound("there is no patient " + in_quotes(std::string(patient_id)));
    }
    std::int64_t patient_row = p.int64(0);
    if (!id) {
        Statement del = db_.prepare("DELETE FROM baselines WHERE patient = ?1");
        del.bind(1, patient_row).run();
        tx.commit();
        return;
    }
    Statement a = db_.prepare("SELECT visit FROM assessments WHERE id = ?1 AND patient = ?2");
    a.bind(1, *id).bind(2, patient_row);
    if (!a.step()) {
        throw NotFound("patient " + in_quotes(std::string(patient_id)) + " has no assessment " +
                       std::to_string(*id));
    }
    std::int64_t visit = a.int64(0);
    Statement put = db_.prepare(std::string("INSERT INTO baselines (patient, visit, marked_at) VALUES (?1, ?2, ") +
                                kNow +
                                ") ON CONFLICT (patient) DO UPDATE SET visit = excluded.visit, "
                                "marked_at = excluded.marked_at");
    put.bind(1, patient_row).bind(2, visit).run();
    tx.commit();
}

std::optional<std::int64_t> Store::baseline_visit(std::string_view patient_id) {
    Statement s = db_.prepare(
        "SELECT b.visit FROM baselines b JOIN patients p ON p.id = b.patient WHERE p.patient_key = ?1");
    s.bind(1, patient_id);
    if (!s.step()) {
        return std::nullopt;
    }
    return s.int64(0);
}

std::vector<PatientSummary> Store::list_patients(std::string_view search, std::size_t limit,
                                                 std::size_t offset) {
    Transaction tx(db_, Transaction::Kind::Deferred);
    std::vector<std::int64_t> rows;
    auto terms = search_terms(search);
    std::size_t wanted = limit == 0 ? SIZE_MAX : offset + limit;
    if (terms.empty()) {
        Statement s =
            db_.prepare("SELECT id FROM patients ORDER BY sort_name, id LIMIT ?1 OFFSET ?2");
        s.bind(1, limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit));
        s.bind(2, static_cast<std::int64_t>(offset));
        while (s.step()) {
            rows.push_back(s.int64(0));
        }
    } else {
        // The word with the fewest candidates drives the index scan. Every other word with
        // few candidates is loaded as a set; a common one ("s") is checked per candidate, which
        // is cheap because most candidates then match.
        // Counting stops at kSetLimit, which bounds its cost; ties go to the longest word.
        std::stable_sort(
            terms.begin(), terms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
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
        std::size_t matched = 0;
        while (matched < wanted && scan.step()) {
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
            if (all) {
                if (matched >= offset) {
                    rows.push_back(row);
                }
                ++matched;
            }
        }
    }
    Statement patient = db_.prepare(
        "SELECT patient_key, name, birth_date, sex, sort_name FROM patients WHERE id = ?1");
    Statement visits = db_.prepare(R"sql(
SELECT a.date, a.urgency FROM assessments a
WHERE a.patient = ?1 AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.supersedes = a.id)
ORDER BY a.date DESC
)sql");
    Date today = today_utc();
    std::vector<std::pair<std::string, PatientSummary>> out;
    out.reserve(rows.size());
    for (std::int64_t row : rows) {
        patient.reset();
        patient.bind(1, row);
        if (!patient.step()) {
            continue;
        }
        PatientSummary ps;
        ps.patient =
            Patient{patient.text(0), patient.text(1), patient.text(2), patient.opt_text(3)};
        if (auto birth = parse_iso_date(ps.patient.birth_date)) {
            ps.age = whole_years(*birth, today);
        }
        visits.reset();
        visits.bind(1, row);
        while (visits.step()) {
            ++ps.visits;
            std::string date = visits.text(0);
            if (!ps.last_visit) {
                ps.last_visit = date;
            }
            if (date == *ps.last_visit) {
                Urgency u = urgency_from(visits.text(1));
                if (!ps.last_urgency || u < *ps.last_urgency) {
                    ps.last_urgency = u;
                }
            }
        }
        out.emplace_back(patient.text(4), std::move(ps));
    }
    tx.commit();
    if (!terms.empty() && limit == 0) {
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    std::vector<PatientSummary> result;
    result.reserve(out.size());
    for (auto& [key, ps] : out) {
        result.push_back(std::move(ps));
    }
    return result;
}

Settings Store::load_settings() {
    Settings s;
    Statement q = db_.prepare("SELECT key, value FROM settings");
    while (q.step()) {
        std::string key = q.text(0);
        if (key == "clinic_name") {
            s.clinic_name = q.text(1);
        } else if (key == "clinic_address") {
            s.clinic_address = q.text(1);
        } else if (key == "clinician_name") {
            s.clinician_name = q.text(1);
        }
    }
    return s;
}

void Store::save_settings(const Settings& settings) {
    Transaction tx(db_);
    Statement put = db_.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)");
    const std::pair<const char*, const std::string*> values[] = {
        {"clinic_name", &settings.clinic_name},
        {"clinic_address", &settings.clinic_address},
        {"clinician_name", &settings.clinician_name}};
    for (const auto& [key, value] : values) {
        put.reset();
        put.bind(1, key).bind(2, *value).run();
    }
    tx.commit();
}

namespace {

struct Counts {
    std::int64_t patients = 0;
    std::int64_t assessments = 0;
};

Counts count_rows(Connection& c) {
    return {c.query_int("SELECT count(*) FROM patients"),
            c.query_int("SELECT count(*) FROM assessments")};
}

}  // namespace

BackupReport Store::backup(const fs::path& destination) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(destination, ec))) {
        throw BackupFailed(destination.string() +
                           " already exists; a backup never overwrites a file, choose a new name");
    }
    fs::path dir = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    create_private_directories(destination.parent_path());
    fs::path temp =
        dir / ("." + destination.filename().string() + ".partial-" + std::to_string(::getpid()));
    if (!create_private_file(temp)) {
        throw BackupFailed(temp.string() + " is in the way; remove it and try again");
    }
    try {
        Counts counts;
        {
            // One read transaction: the counts and the copy see the same snapshot.
            Transaction snapshot(db_, Transaction::Kind::Deferred);
            counts = count_rows(db_);
            Connection out(temp, Connection::Mode::ReadWrite);
            sqlite3_backup* b = sqlite3_backup_init(out.handle(), "main", db_.handle(), "main");
            if (b == nullptr) {
                throw BackupFailed(std::string("cannot start the backup: ") +
                                   sqlite3_errmsg(out.handle()));
            }
            int rc = sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
            if (rc != SQLITE_DONE) {
                throw BackupFailed(std::string("the backup did not complete: ") +
                                   sqlite3_errstr(rc));
            }
            snapshot.commit();
            // A backup is one self-contained file: no write-ahead log beside it.
            out.exec("PRAGMA journal_mode = DELETE");
        }
        sync_path(temp);
        {
            Connection check(temp, Connection::Mode::ReadOnly);
            if (check.query_int("PRAGMA application_id") != kApplicationId ||
                check.query_int("PRAGMA user_version") != kSchemaVersion) {
                throw BackupFailed("the copy does not carry MyoScreen's schema");
            }
            std::string integrity = check.query_text("PRAGMA integrity_check");
            if (integrity != "ok") {
                throw BackupFailed("the copy fails integrity_check: " + integrity);
            }
            Counts copied = count_rows(check);
            if (copied.patients != counts.patients || copied.assessments != counts.assessments) {
                throw BackupFailed("the copy holds different row counts than the database");
            }
        }
        fs::rename(temp, destination);
        sync_path(dir);
        BackupReport r;
        r.path = destination;
        r.bytes = fs::file_size(destination);
        r.patients = counts.patients;
        r.assessments = counts.assessments;
        return r;
    } catch (const SqliteError& e) {
        fs::remove(temp, ec);
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const fs::filesystem_error& e) {
        fs::remove(temp, ec);
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (...) {
        fs::remove(temp, ec);
        throw;
    }
}

}  // namespace myo::store
