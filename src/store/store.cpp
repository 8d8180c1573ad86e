#include "store/store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <regex>
#include <system_error>
#include <tuple>
#include <unordered_set>

#include "core/dates.hpp"
#include "core/evaluation.hpp"
#include "core/text_fold.hpp"
#include "core/text_input.hpp"
#include "fileio/output_file.hpp"
#include "store/chain_keeper.hpp"
#include "store/free_space.hpp"
#include "store/paths.hpp"
#include "store/tamper_check.hpp"
#include "store/writer_lock.hpp"
#include "store/zstd_file.hpp"

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

// Ids and names come from files and arguments: quoted escaped (no raw control character on
// a terminal) and at most a name's length.
std::string in_quotes(const std::string& s) {
    return "\"" + quote_for_message(s, max_chars(TextKind::kName)) + "\"";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ", ") + i;
    }
    return out;
}

// What a draft save changed, by item id and field name only: the trail says what was touched,
// the record itself holds the values.
std::string change_summary(const std::string& before_doc, const std::string& after_doc) {
    Json before = Json::parse(before_doc, nullptr, false);
    Json after = Json::parse(after_doc, nullptr, false);
    if (before.is_discarded() || after.is_discarded() || !before.is_object() ||
        !after.is_object()) {
        return "draft saved";
    }
    const Json empty = Json::object();
    auto answers_of = [&empty](const Json& doc) -> const Json& {
        auto it = doc.find("answers");
        return it != doc.end() && it->is_object() ? *it : empty;
    };
    const Json& old_answers = answers_of(before);
    const Json& new_answers = answers_of(after);
    std::vector<std::string> added;
    std::vector<std::string> changed;
    std::vector<std::string> removed;
    std::vector<std::string> fields;
    for (auto it = new_answers.begin(); it != new_answers.end(); ++it) {
        auto old = old_answers.find(it.key());
        if (old == old_answers.end()) {
            added.push_back(it.key());
        } else if (*old != it.value()) {
            changed.push_back(it.key());
        }
    }
    for (auto it = old_answers.begin(); it != old_answers.end(); ++it) {
        if (new_answers.find(it.key()) == new_answers.end()) {
            removed.push_back(it.key());
        }
    }
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (it.key() == "answers") {
            continue;
        }
        auto old = before.find(it.key());
        if (old == before.end() || *old != it.value()) {
            fields.push_back(it.key());
        }
    }
    for (auto it = before.begin(); it != before.end(); ++it) {
        if (it.key() != "answers" && after.find(it.key()) == after.end()) {
            fields.push_back(it.key());
        }
    }
    std::string out;
    auto part = [&out](const char* label, const std::vector<std::string>& ids) {
        if (!ids.empty()) {
            out += (out.empty() ? "" : "; ") + std::string(label) + joined(ids);
        }
    };
    part("answers added: ", added);
    part("answers changed: ", changed);
    part("answers removed: ", removed);
    part("fields changed: ", fields);
    return out.empty() ? "draft saved, no change" : "draft saved; " + out;
}

// "20261121T104700Z": file-name-safe UTC time.
std::string utc_stamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

// `stem` + `suffix`, or with "-2", "-3"... before the suffix when that name is taken (two
// deletions or restores in one second).
fs::path free_name(const fs::path& dir, const std::string& stem, const std::string& suffix) {
    std::error_code ec;
    fs::path p = dir / (stem + suffix);
    for (int n = 2; fs::exists(fs::symlink_status(p, ec)); ++n) {
        p = dir / (stem + "-" + std::to_string(n) + suffix);
    }
    return p;
}

// A backup named *.zst is written compressed (issue 12); any other name, the plain SQLite file.
bool is_compressed_name(const fs::path& p) {
    return p.extension() == ".zst";
}

std::string local_date() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

struct Store::Figures {
    std::string document;
    std::string date;
    std::optional<std::string> kind;
    std::optional<int> nrs_now;
    std::optional<int> nrs_average;
    std::optional<int> wpi;  // null when the pain map was not recorded (rules 2026.2)
    std::optional<int> sss;
    std::optional<int> fs;
    std::optional<int> tender_count;
    std::string urgency;
    std::string rules_version;
};

Store::Store(const fs::path& path, const Definitions& defs, const OpenOptions& options)
    : defs_(defs),
      read_only_(options.read_only),
      os_user_(os_account()),
      db_(open_database(path, options, [this, &path, &options] {
          lock_ = WriterLock::acquire(path, options.lock_timeout_ms < 0 ? options.busy_timeout_ms
                                                                        : options.lock_timeout_ms);
      })) {
    if (!read_only_) {
        chain_ = std::make_shared<ChainKeeper>(db_.path(), db_.handle());
        // A missing chain record (opening has checked everything else): a new or just upgraded
        // file starts it now; any other file lost it, and its next change says so in the trail.
        bool have_record = false;
        try {
            have_record = read_chain_record(db_.path()).has_value();
        } catch (const StoreError&) {
            have_record = false;  // unreadable: replaced like a missing one
        }
        if (!have_record) {
            std::string newest =
                db_.query_text("SELECT action FROM audit ORDER BY seq DESC LIMIT 1");
            if (newest == audit_action::kStart || newest == audit_action::kSchema) {
                write_chain_record(db_.path(), {audit_head(db_), std::nullopt});
            } else {
                chain_->mark_lost();
            }
        }
    }
}

void Store::require_writable(const char* what) const {
    if (read_only_) {
        throw ReadOnlyStore(path().string() +
                            " is open read-only (another MyoScreen may have it "
                            "open), so " +
                            what + " was not done; nothing was changed");
    }
}

void Store::audit(std::string_view action, const AuditRef& ref, std::string_view summary) {
    auto append = [this](std::string_view act, const AuditRef& r, std::string_view text) {
        AuditEntry e = append_audit(db_, os_user_, act, r, text);
        if (chain_) {
            ChainHead before = e.seq > 1 ? ChainHead{e.seq - 1, e.prev_hash} : ChainHead{};
            chain_->appended(before, {e.seq, e.hash});
        }
    };
    if (chain_ && chain_->lost() && !chain_->has_pending()) {
        append(audit_action::kChainRecord, {},
               "the chain record " + chain_record_path(path()).string() +
                   " was missing and is written anew from this row: a cut of the newest rows "
                   "before it cannot be ruled out");
    }
    append(action, ref, summary);
}

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

bool Store::add_patient(const Patient& typed) {
    // The one input policy (text_input.hpp): what cannot be printed, or is too long, or holds a
    // NUL or a control character, is refused here, before the patient exists.
    Patient patient = typed;
    patient.id = normalize_text(typed.id);
    patient.name = normalize_text(typed.name);
    for (auto [label, text, kind] :
         {std::tuple{"the patient id", &patient.id, TextKind::kId},
          std::tuple{"the patient's name", &patient.name, TextKind::kName}}) {
        if (auto problem = text_problem(*text, kind)) {
            throw StoreError(std::string(label) + " " + *problem);
        }
    }
    if (auto why = why_no_such_day(patient.birth_date)) {
        throw StoreError("the birth date " + patient.birth_date + " does not exist: " + *why);
    }
    bool sex_ok = !patient.sex || *patient.sex == "female" || *patient.sex == "male" ||
                  *patient.sex == "other" || *patient.sex == "unknown";
    if (patient.id.empty() || patient.name.empty() || !parse_iso_date(patient.birth_date) ||
        !sex_ok) {
        throw StoreError(
            "a patient needs an id, a name, a valid birth date (YYYY-MM-DD) and a sex of female, "
            "male, other or unknown if one is given");
    }
    require_writable("adding the patient");
    Transaction tx(db_);
    bool created = false;
    ensure_patient(patient, 0, &created);
    if (created) {
        audit(audit_action::kCreatePatient, {patient.id, std::nullopt}, "patient created");
    }
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
    auto parsed = parse_assessment(out.document, defs_, Origin::kStored);
    if (!parsed.assessment) {
        throw AssessmentError("assessment " + std::to_string(id), std::move(parsed.problems));
    }
    out.assessment = std::move(*parsed.assessment);
    return out;
}

std::int64_t Store::create_draft(const Assessment& given) {
    // Stored as a file bringing the same text would be (NFC, no invisible format characters).
    Assessment assessment = given;
    normalize_assessment(assessment, defs_);
    check_valid(assessment, "new assessment");
    require_writable("the new assessment");
    Transaction tx(db_);
    bool created = false;
    std::int64_t patient = ensure_patient(assessment.patient, 0, &created);
    std::int64_t id =
        insert_assessment(patient, assessment, Status::Draft, std::nullopt, 1, std::nullopt);
    audit(audit_action::kCreate, {assessment.patient.id, id},
          "new draft of a visit on " + assessment.date + (created ? "; patient created" : ""));
    tx.commit();
    return id;
}

void Store::save_draft(std::int64_t id, const Assessment& given) {
    Assessment assessment = given;
    normalize_assessment(assessment, defs_);
    check_valid(assessment, "assessment " + std::to_string(id));
    require_writable("saving the draft");
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
    std::string before = load_document(id);
    Figures f = figures_of(assessment);
    Statement update = db_.prepare(std::string(R"sql(
UPDATE assessments SET document = ?2, date = ?3, kind = ?4, nrs_now = ?5, nrs_average = ?6,
  wpi = ?7, sss = ?8, fs = ?9, tender_count = ?10, urgency = ?11, rules_version = ?12,
  updated_at = )sql") + kNow + " WHERE id = ?1 AND status = 'draft'");
    update.bind(1, id).bind(2, f.document).bind(3, f.date).bind(4, f.kind).bind(5, f.nrs_now);
    update.bind(6, f.nrs_average).bind(7, f.wpi).bind(8, f.sss).bind(9, f.fs);
    update.bind(10, f.tender_count).bind(11, f.urgency).bind(12, f.rules_version);
    update.run();
    audit(audit_action::kEdit, {current.patient_id, id}, change_summary(before, f.document));
    tx.commit();
}

void Store::discard_draft(std::int64_t id) {
    require_writable("discarding the draft");
    Transaction tx(db_);
    AssessmentInfo current = info(id);
    if (current.status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) + " is final and cannot be deleted");
    }
    Statement del = db_.prepare("DELETE FROM assessments WHERE id = ?1 AND status = 'draft'");
    del.bind(1, id).run();
    audit(audit_action::kDiscard, {current.patient_id, id},
          "draft version " + std::to_string(current.version) + " discarded");
    tx.commit();
}

void Store::finalize(std::int64_t id) {
    require_writable("signing off");
    Transaction tx(db_);
    AssessmentInfo current = info(id);
    if (current.status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) + " is final already");
    }
    Statement fin = db_.prepare(std::string("UPDATE assessments SET status = 'final', "
                                            "finalized_at = ") +
                                kNow + ", updated_at = " + kNow + " WHERE id = ?1");
    fin.bind(1, id).run();
    audit(audit_action::kFinalize, {current.patient_id, id},
          "signed off as final (version " + std::to_string(current.version) + ")");
    tx.commit();
}

std::int64_t Store::amend(std::int64_t final_id) {
    require_writable("the correction");
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
    auto parsed = parse_assessment(load_document(final_id), defs_, Origin::kStored);
    if (!parsed.assessment) {
        throw AssessmentError("assessment " + std::to_string(final_id), std::move(parsed.problems));
    }
    Statement row = db_.prepare("SELECT patient FROM assessments WHERE id = ?1");
    row.bind(1, final_id);
    row.step();
    std::int64_t id = insert_assessment(row.int64(0), *parsed.assessment, Status::Draft,
                                        original.visit, original.version + 1, final_id);
    audit(audit_action::kAmend, {original.patient_id, id},
          "correction of assessment " + std::to_string(final_id) + " started as draft version " +
              std::to_string(original.version + 1));
    tx.commit();
    return id;
}

std::vector<ImportResult> Store::import_assessments(const std::vector<Assessment>& given) {
    std::vector<Assessment> assessments = given;
    for (auto& a : assessments) {
        normalize_assessment(a, defs_);
    }
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        check_valid(assessments[i], "assessment " + std::to_string(i + 1));
    }
    require_writable("the import");
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
            audit(audit_action::kImport, {a.patient.id, r.id},
                  "imported as final, visit on " + a.date +
                      (r.patient_created ? "; patient created" : ""));
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
    require_writable("marking the baseline");
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
        audit(audit_action::kBaseline, {std::string(patient_id), std::nullopt},
              "baseline set back to the first visit");
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
    Statement put = db_.prepare(
        std::string("INSERT INTO baselines (patient, visit, marked_at) VALUES (?1, ?2, ") + kNow +
        ") ON CONFLICT (patient) DO UPDATE SET visit = excluded.visit, "
        "marked_at = excluded.marked_at");
    put.bind(1, patient_row).bind(2, visit).run();
    audit(audit_action::kBaseline, {std::string(patient_id), *id},
          "baseline set to the visit of assessment " + std::to_string(*id));
    tx.commit();
}

std::optional<std::int64_t> Store::baseline_visit(std::string_view patient_id) {
    Statement s = db_.prepare(
        "SELECT b.visit FROM baselines b JOIN patients p ON p.id = b.patient WHERE p.patient_key = "
        "?1");
    s.bind(1, patient_id);
    if (!s.step()) {
        return std::nullopt;
    }
    return s.int64(0);
}

// The rows (patients.id) whose name or id matches every word of `terms`, in the scan's order
// (the driving word's index order), calling `take` for each until it returns false. The word
// with the fewest candidates drives the index scan. Every other word with few candidates is
// loaded as a set; a common one ("s") is checked per candidate, which is cheap because most
// candidates then match. Counting stops at kSetLimit, which bounds its cost; ties go to the
// longest word. One piece of code for the list and its count, so they always agree.
void Store::scan_matches(std::vector<std::string> terms,
                         const std::function<bool(std::int64_t)>& take) {
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

// A search with words but none that can match ("!!!", "-") lists nobody; an empty one lists all.
namespace {
bool only_punctuation(std::string_view search, const std::vector<std::string>& terms) {
    return terms.empty() && search.find_first_not_of(" \t\r\n") != std::string_view::npos;
}
}  // namespace

std::size_t Store::count_patients(std::string_view search, std::size_t cap) {
    Transaction tx(db_, Transaction::Kind::Deferred);
    auto terms = search_terms(search);
    if (only_punctuation(search, terms)) {
        return 0;
    }
    std::size_t n = 0;
    if (terms.empty()) {
        // count(*) walks the smallest index: a few ms for 100,000 patients.
        Statement s = db_.prepare("SELECT count(*) FROM (SELECT 1 FROM patients LIMIT ?1)");
        s.bind(1, cap == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(cap));
        n = s.step() ? static_cast<std::size_t>(s.int64(0)) : 0;
    } else {
        scan_matches(terms, [&](std::int64_t) { return ++n != cap; });
    }
    tx.commit();
    return n;
}

std::optional<std::size_t> Store::patient_position(std::string_view patient_id) {
    Transaction tx(db_, Transaction::Kind::Deferred);
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
    tx.commit();
    return position;
}

std::vector<PatientSummary> Store::list_patients(std::string_view search, std::size_t limit,
                                                 std::size_t offset) {
    Transaction tx(db_, Transaction::Kind::Deferred);
    std::vector<std::int64_t> rows;
    auto terms = search_terms(search);
    // Every match of a search is listed in name order, so its offset counts in that order too:
    // skipped after sorting, not in the scan's order.
    std::size_t skip_after_sort = 0;
    if (!terms.empty() && limit == 0) {
        skip_after_sort = offset;
        offset = 0;
    }
    std::size_t wanted = limit == 0 ? SIZE_MAX : offset + limit;
    if (only_punctuation(search, terms)) {
        // Only punctuation ("!!!", "-"): no word to match, so nothing matches (it used to
        // list everyone, as an empty search does).
        return {};
    }
    if (terms.empty()) {
        Statement s =
            db_.prepare("SELECT id FROM patients ORDER BY sort_name, id LIMIT ?1 OFFSET ?2");
        s.bind(1, limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit));
        s.bind(2, static_cast<std::int64_t>(offset));
        while (s.step()) {
            rows.push_back(s.int64(0));
        }
    } else {
        std::size_t matched = 0;
        scan_matches(terms, [&](std::int64_t row) {
            if (matched >= offset) {
                rows.push_back(row);
            }
            return ++matched < wanted;
        });
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
    // In name order when every match is here (a page short of its limit, from the start);
    // a page of a longer result keeps the scan's stable order, so --offset pages do not overlap.
    if (!terms.empty() && (limit == 0 || (offset == 0 && out.size() < limit))) {
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    std::vector<PatientSummary> result;
    result.reserve(out.size());
    for (std::size_t i = skip_after_sort; i < out.size(); ++i) {
        result.push_back(std::move(out[i].second));
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

void Store::save_settings(const Settings& typed) {
    Settings settings = typed;
    for (auto [label, text, kind] :
         {std::tuple{"the clinic name", &settings.clinic_name, TextKind::kName},
          std::tuple{"the clinic address", &settings.clinic_address, TextKind::kAddress},
          std::tuple{"the clinician name", &settings.clinician_name, TextKind::kName}}) {
        *text = normalize_text(*text);
        if (auto problem = text_problem(*text, kind)) {
            throw StoreError(std::string(label) + " " + *problem);
        }
    }
    require_writable("saving the settings");
    Transaction tx(db_);
    Settings before = load_settings();
    // An upsert, not INSERT OR REPLACE: the replaced row must reach the content digest's
    // delete trigger, which SQLite skips for REPLACE without recursive triggers.
    Statement put = db_.prepare(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET "
        "value = excluded.value");
    const std::pair<const char*, const std::string*> values[] = {
        {"clinic_name", &settings.clinic_name},
        {"clinic_address", &settings.clinic_address},
        {"clinician_name", &settings.clinician_name}};
    for (const auto& [key, value] : values) {
        put.reset();
        put.bind(1, key).bind(2, *value).run();
    }
    std::vector<std::string> changed;
    if (before.clinic_name != settings.clinic_name) {
        changed.emplace_back("clinic name");
    }
    if (before.clinic_address != settings.clinic_address) {
        changed.emplace_back("clinic address");
    }
    if (before.clinician_name != settings.clinician_name) {
        changed.emplace_back("clinician name");
    }
    if (!changed.empty()) {
        audit(audit_action::kSettings, {}, "settings changed: " + joined(changed));
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
    BackupReport r = backup_unaudited(destination);
    if (!read_only_) {
        // The chain head goes into the row too: a later rewrite of the trail in the database
        // no longer matches what the backup, and this row, say.
        AuditVerification chain = verify_audit();
        try {
            Transaction tx(db_);
            audit(audit_action::kBackup, {},
                  "verified backup written to " + r.path.string() + " (" +
                      std::to_string(r.patients) + " patients, " + std::to_string(r.assessments) +
                      " assessments, sha256 " + r.sha256 + ", audit head row " +
                      std::to_string(chain.head_seq) + " " +
                      (chain.head.empty() ? "-" : chain.head) + ")");
            tx.commit();
        } catch (const StoreError& e) {
            throw BackupFailed("the backup " + r.path.string() +
                               " was written and verified, but recording it in the audit trail "
                               "failed: " +
                               e.what());
        }
    }
    return r;
}

BackupReport Store::backup_unaudited(const fs::path& destination) {
    constexpr std::string_view kNote = "a backup never overwrites a file, choose a new name";
    const bool compress = is_compressed_name(destination);
    fs::path dir = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    create_private_directories(destination.parent_path());
    // Never onto the database or its companions, a folder, a pipe or a device (by device and
    // inode, so a link or "dir/../" to the database is recognised), nor over any file; the copy
    // is made under a temporary name of fileio's pattern that a kill leaves for the next
    // backup into this folder to remove.
    try {
        fileio::ProtectedSet protect;
        protect_database(protect, path(), true);
        fileio::check_target(destination, protect, fileio::Existing::Refuse, kNote);
    } catch (const fileio::OutputRefused& e) {
        throw BackupFailed(e.what());
    } catch (const fileio::OutputError& e) {
        throw BackupFailed(e.what());
    }
    // Issue 12: room for the copy (about the database's pages) and, compressed, for the .zst
    // beside it, before anything is written. Half the copy is a generous guess for the .zst
    // (clinical JSON compresses 4 to 30 times); a wrong guess only means a disk found full
    // while writing, which leaves nothing placed.
    const std::uintmax_t pages = static_cast<std::uintmax_t>(db_.query_int("PRAGMA page_count") *
                                                             db_.query_int("PRAGMA page_size"));
    std::string shortage = space_shortage(dir, pages + (compress ? pages / 2 : 0), free_space(dir),
                                          "the backup " + destination.filename().string());
    if (!shortage.empty()) {
        throw BackupFailed(shortage);
    }
    std::optional<fileio::TempFile> temp_file;
    std::optional<fileio::TempFile> packed_file;
    try {
        temp_file.emplace(dir);
    } catch (const fileio::OutputError& e) {
        throw BackupFailed(e.what());
    }
    const fs::path temp = temp_file->path();
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
            // Issue 10: a backup is called verified only when its records are, byte for byte,
            // what MyoScreen wrote (the content digest recounted: hash speed, and MyoScreen
            // stores only validated documents) and its trail is whole. Only when they are not
            // are the documents parsed, to name the damaged one (db check parses them all).
            TamperCheck how;
            how.chain_record = false;
            TamperReport tamper = check_for_tampering(check, temp, how);
            if (!tamper.problems.empty()) {
                auto unreadable = unreadable_documents(check, defs_, 3);
                if (!unreadable.empty()) {
                    throw BackupFailed(
                        "the database holds a damaged record, so no backup was called verified: " +
                        unreadable.front() +
                        (unreadable.size() > 1 ? " (and more; run db check)" : ""));
                }
                throw BackupFailed(
                    "the copy shows changes made outside MyoScreen, so it is not "
                    "called verified: " +
                    tamper.problems.front() + " (run db check)");
            }
        }
        BackupReport r;
        r.path = destination;
        r.patients = counts.patients;
        r.assessments = counts.assessments;
        r.compressed = compress;
        r.database_bytes = fs::file_size(temp);
        if (!compress) {
            temp_file->place_new(destination, kNote);
            r.bytes = fs::file_size(destination);
            r.sha256 = file_sha256(destination);
            return r;
        }
        // Issue 12: the verified copy, compressed; the .zst is only placed when reading it
        // back gives the verified copy again, byte for byte (its SHA-256, zstd's checksums).
        packed_file.emplace(dir);
        const fs::path packed = packed_file->path();
        zstd::Compressed written =
            zstd::compress_file(temp, packed, kBackupZstdLevel, kBackupZstdWorkers);
        zstd::Decompressed reread = zstd::decompress_file(packed, {}, written.in_bytes);
        if (reread.out_sha256 != written.in_sha256 || reread.out_bytes != written.in_bytes) {
            throw BackupFailed("the compressed backup did not read back as the verified copy");
        }
        temp_file.reset();  // the plain copy's space is given back before the rename
        packed_file->place_new(destination, kNote);
        r.bytes = reread.in_bytes;
        r.sha256 = reread.in_sha256;  // the file written, as read back
        return r;
    } catch (const SqliteError& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const StorageFailed& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const fs::filesystem_error& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const zstd::IoError& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    } catch (const zstd::BadFile& e) {
        throw BackupFailed(std::string("backup failed, the compressed file did not read back: ") +
                           e.what());
    } catch (const fileio::OutputRefused& e) {
        throw BackupFailed(e.what());
    } catch (const fileio::OutputError& e) {
        throw BackupFailed(std::string("backup failed: ") + e.what());
    }
}

fs::path Store::backup_folder() const {
    fs::path dir = path().parent_path().empty() ? fs::path(".") : path().parent_path();
    return dir / "backups";
}

std::optional<BackupReport> Store::daily_backup(const fs::path& folder, int keep,
                                                std::optional<std::uintmax_t> budget) {
    if (read_only_) {
        return std::nullopt;
    }
    fs::path dir = folder.empty() ? backup_folder() : folder;
    const std::string stem = "myoscreen-" + local_date() + ".db";
    fs::path today = dir / (stem + ".zst");
    std::error_code ec;
    std::optional<BackupReport> made;
    // Anything there but a (link to a) regular file, such as a folder or a pipe named like
    // today's backup, does not count as the backup: backup() refuses it, naming it. A plain
    // .db of today, taken before the update to compressed backups, is today's backup.
    if (!fs::is_regular_file(fs::status(today, ec)) &&
        !fs::is_regular_file(fs::status(dir / stem, ec))) {
        made = backup(today);
    }
    // The names sort by date; only this pattern is ever deleted, so a backup a user named
    // otherwise (or a before-delete one) stays.
    static const std::regex kDaily(R"(myoscreen-\d{4}-\d{2}-\d{2}\.db(\.zst)?)");
    struct Daily {
        fs::path path;
        std::uintmax_t bytes;
    };
    std::vector<Daily> daily;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && std::regex_match(name, kDaily)) {
            daily.push_back({entry.path(), entry.file_size(ec)});
        }
    }
    std::sort(daily.begin(), daily.end(),
              [](const Daily& x, const Daily& y) { return x.path > y.path; });  // newest first
    // Issue 12: the size budget. The newest backup is always kept (it may be the one just
    // taken); from the next on, a backup is kept while the count and the running total allow,
    // and every older one goes, so what is kept is always the newest days without a gap.
    // The database's size as SQLite counts it (its pages, the write-ahead log's included).
    const auto database_bytes = static_cast<std::uintmax_t>(db_.query_int("PRAGMA page_count") *
                                                            db_.query_int("PRAGMA page_size"));
    const std::uintmax_t limit = budget.value_or(kDailyBudgetFactor * database_bytes);
    const std::size_t kept_max = static_cast<std::size_t>(std::max(keep, 1));
    std::uintmax_t total = 0;
    std::size_t kept = 0;
    bool removed = false;
    for (const auto& d : daily) {
        if (kept == 0 || (kept < kept_max && total + d.bytes <= limit && !removed)) {
            total += d.bytes;
            ++kept;
        } else {
            fs::remove(d.path, ec);
            removed = true;
        }
    }
    if (removed) {
        sync_path(dir);
    }
    return made;
}

namespace {

// SQLite's backup API from `from` into the empty file `to`, as one self-contained file.
void copy_database(Connection& from, const fs::path& to) {
    Connection out(to, Connection::Mode::ReadWrite);
    sqlite3_backup* b = sqlite3_backup_init(out.handle(), "main", from.handle(), "main");
    if (b == nullptr) {
        throw RestoreFailed(std::string("cannot copy the backup: ") + sqlite3_errmsg(out.handle()));
    }
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        throw RestoreFailed(std::string("cannot copy the backup: ") + sqlite3_errstr(rc));
    }
    out.exec("PRAGMA journal_mode = DELETE");
}

void link_or_copy(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec) {
        fs::copy_file(from, to);
    }
}

}  // namespace

RestoreReport Store::restore(const fs::path& database, const fs::path& backup,
                             const OpenOptions& options) {
    std::error_code ec;
    if (!fs::is_regular_file(backup, ec)) {
        throw RestoreFailed("there is no backup file at " + backup.string());
    }
    if (fs::exists(database, ec) && fs::equivalent(database, backup, ec)) {
        throw RestoreFailed(backup.string() + " is the database itself; name a backup file");
    }
    // The file replaced must be a regular file (or a new name): never a folder, pipe or device
    // given as --db. A symbolic link is followed, so the real database is replaced, not the link.
    const fs::path typed_database = database;
    fs::path real_database;
    try {
        create_private_directories(typed_database.parent_path());
        real_database = fileio::check_target(typed_database, {}, fileio::Existing::ReplaceRegular);
    } catch (const fileio::OutputRefused& e) {
        throw RestoreFailed(std::string("cannot restore: the database ") + e.what());
    }
    return restore_checked(real_database, backup, options);
}

RestoreReport Store::restore_checked(const fs::path& database, const fs::path& backup,
                                     const OpenOptions& options) {
    std::error_code ec;
    // Nobody else may use the file while it is replaced. (A first restore on a new machine may
    // come before the database's folder exists.)
    create_private_directories(database.parent_path());
    auto lock = WriterLock::acquire_sole(
        database, options.lock_timeout_ms < 0 ? options.busy_timeout_ms : options.lock_timeout_ms);

    fs::path dir = database.parent_path().empty() ? fs::path(".") : database.parent_path();
    // fileio's temporary beside the database (same file system, so the rename is atomic): a
    // restore killed half-way leaves nothing the next one does not remove.
    std::optional<fileio::TempFile> temp_file;
    try {
        temp_file.emplace(dir);
    } catch (const fileio::OutputError& e) {
        throw RestoreFailed(e.what());
    }
    const fs::path temp = temp_file->path();
    const std::string unchanged = "; the current database was not changed";

    // 0. Issue 12: a compressed backup is decompressed into that temporary first (after
    // checking the room for the size its frame declares; never more than that, or than fits),
    // and the checks and the restore then work on the decompressed copy.
    const bool compressed = zstd::is_zstd(backup);
    std::uintmax_t needed = 0;
    std::optional<std::uintmax_t> declared;
    if (compressed) {
        declared = zstd::declared_size(backup);
        needed = declared.value_or(0);
    } else {
        needed = fs::file_size(backup, ec);
    }
    const auto free = free_space(dir);
    std::string shortage =
        space_shortage(dir, needed, free, "restoring " + backup.filename().string());
    if (!shortage.empty()) {
        throw RestoreFailed(shortage + unchanged);
    }
    std::string backup_sha256;  // of the .zst, taken while decompressing it (read once)
    if (compressed) {
        try {
            backup_sha256 =
                zstd::decompress_file(backup, temp, declared.value_or(free.value_or(UINTMAX_MAX)))
                    .in_sha256;
        } catch (const zstd::BadFile& e) {
            throw RestoreFailed(std::string(e.what()) + "; it cannot be restored" + unchanged);
        } catch (const zstd::IoError& e) {
            throw RestoreFailed(std::string("the restore failed: ") + e.what() + unchanged);
        }
    }
    const fs::path candidate = compressed ? temp : backup;
    // Messages about the decompressed copy name the backup the user gave.
    auto named = [&](std::string text) {
        if (compressed) {
            for (auto at = text.find(temp.string()); at != std::string::npos;
                 at = text.find(temp.string(), at)) {
                text.replace(at, temp.string().size(), backup.string());
                at += backup.string().size();
            }
        }
        return text;
    };

    // 1. The candidate: read-only checks, the file itself never written.
    CheckOptions check_options;
    check_options.chain_record = false;  // a backup has no chain record beside it
    CheckReport check = check_database(candidate, check_options);
    std::int64_t version = 0;
    std::int64_t app = 0;
    {
        try {
            Connection c(candidate, Connection::Mode::ReadOnly);
            app = c.query_int("PRAGMA application_id");
            version = c.query_int("PRAGMA user_version");
        } catch (const std::exception&) {
            app = 0;
        }
    }
    // A backup kept on a network share is only read, once, through the backup API: that is
    // safe, unlike living there; every other problem refuses it.
    // A broken audit chain does not keep the records from being restored; the restore's own
    // audit row says so.
    std::vector<std::string> problems;
    std::string chain_note;
    for (const auto& p : check.problems) {
        if (p.rfind("audit trail: ", 0) == 0) {
            chain_note = "; warning: the backup's " + named(p);
        } else if (p.rfind("on a network filesystem", 0) != 0) {
            problems.push_back(named(p));
        }
    }
    if (!problems.empty() || app != kApplicationId || version < 1) {
        std::string why = problems.empty() ? "it holds no MyoScreen records" : problems.front();
        throw RestoreFailed(backup.string() + " cannot be restored: " + why + unchanged);
    }
    RestoreReport report;
    report.restored_from = backup;
    report.sha256 = compressed ? backup_sha256 : file_sha256(backup);

    // 2. A verified copy beside the database, upgraded if older and carrying the restore's
    // audit row: the decompressed temporary itself, or a copy of the plain backup.
    std::string stamp = utc_stamp();
    fs::path aside = free_name(dir, database.filename().string() + ".before-restore-" + stamp, "");
    bool had_database = fs::exists(database, ec);
    ChainHead restored_head;
    try {
        if (!compressed) {
            Connection source(backup, Connection::Mode::ReadOnly);
            copy_database(source, temp);
        }
        {
            OpenOptions plain;
            plain.busy_timeout_ms = options.busy_timeout_ms;
            plain.chain_record = false;  // it gets the database's record once in place
            Connection restored = open_database(temp, plain);
            Transaction tx(restored);
            report.patients = restored.query_int("SELECT count(*) FROM patients");
            report.assessments = restored.query_int("SELECT count(*) FROM assessments");
            append_audit(restored, os_account(), audit_action::kRestore, {},
                         "database restored from " + backup.string() + " (sha256 " + report.sha256 +
                             ")" +
                             (had_database ? "; the previous file is kept as " + aside.string()
                                           : std::string()) +
                             chain_note);
            tx.commit();
            restored_head = audit_head(restored);
            if (restored.query_text("PRAGMA integrity_check") != "ok") {
                throw RestoreFailed("the restored copy fails integrity_check");
            }
            restored.exec("PRAGMA journal_mode = DELETE");
        }
        sync_path(temp);
    } catch (const RestoreFailed&) {
        fs::remove(temp, ec);
        throw;
    } catch (const std::exception& e) {
        fs::remove(temp, ec);
        throw RestoreFailed(std::string("the restore failed, the current database was not "
                                        "changed: ") +
                            e.what());
    }

    // 3. The current file goes aside with its write-ahead log, so the pair stays readable; the
    // names -wal and -shm are cleared before the new file arrives, because SQLite would pair a
    // leftover log with the wrong database.
    fs::path wal = database.string() + "-wal";
    fs::path shm = database.string() + "-shm";
    try {
        if (had_database) {
            try {
                // Folds the log into the file when it can; a damaged file keeps its log aside.
                Connection current(database, Connection::Mode::ReadWrite);
                current.set_busy_timeout(options.busy_timeout_ms);
                current.query_text("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (const std::exception&) {
            }
            link_or_copy(database, aside);
            if (fs::exists(wal, ec)) {
                link_or_copy(wal, aside.string() + "-wal");
            }
            // The old file's chain record goes with it; the restored file gets its own.
            if (fs::exists(chain_record_path(database), ec)) {
                link_or_copy(chain_record_path(database), chain_record_path(aside));
            }
            sync_path(dir);
            fs::remove(wal, ec);
            fs::remove(shm, ec);
        }
        fs::remove(chain_record_path(database), ec);
        temp_file->place_over(database);
        write_chain_record(database, {restored_head, std::nullopt});
    } catch (const std::exception& e) {
        fs::remove(temp, ec);
        throw RestoreFailed(std::string("the restore could not put the copy in place: ") +
                            e.what() +
                            (had_database ? "; the previous database is kept as " + aside.string()
                                          : std::string()));
    }
    if (had_database) {
        report.previous_kept_as = aside;
    }
    return report;
}

DeletionReport Store::delete_patient(std::string_view patient_id, std::string_view confirmation,
                                     const fs::path& backup_folder_path) {
    require_writable("deleting the patient");
    auto patient = find_patient(patient_id);
    if (!patient) {
        throw NotFound("there is no patient " + in_quotes(std::string(patient_id)));
    }
    if (confirmation != patient->name) {
        throw NotEditable("the confirmation " + in_quotes(std::string(confirmation)) +
                          " is not the name of patient " + in_quotes(patient->id) +
                          "; type the name exactly as stored to delete the patient. Nothing "
                          "was deleted");
    }
    DeletionReport report;
    report.patient_id = patient->id;
    fs::path dir = backup_folder_path.empty() ? backup_folder() : backup_folder_path;
    report.backup = backup(free_name(dir, "myoscreen-before-delete-" + utc_stamp(), ".db.zst"));
    Transaction tx(db_);
    Statement row = db_.prepare("SELECT id, name FROM patients WHERE patient_key = ?1");
    row.bind(1, patient_id);
    if (!row.step() || row.text(1) != patient->name) {
        throw NotFound("patient " + in_quotes(patient->id) + " changed while it was being deleted");
    }
    std::int64_t patient_row = row.int64(0);
    Statement count = db_.prepare(
        "SELECT count(*), coalesce(sum(status = 'final'), 0) FROM assessments WHERE patient = ?1");
    count.bind(1, patient_row);
    count.step();
    report.assessments = count.int64(0);
    std::int64_t finals = count.int64(1);
    // The flag row lets the trigger pass finals of this patient, for this transaction only.
    const char* const kSteps[] = {
        "INSERT INTO deletion_in_progress (patient) VALUES (?1)",
        "DELETE FROM baselines WHERE patient = ?1",
        "DELETE FROM assessments WHERE patient = ?1",
        "DELETE FROM patient_terms WHERE patient = ?1",
        "DELETE FROM patients WHERE id = ?1",
        "DELETE FROM deletion_in_progress WHERE patient = ?1",
    };
    for (const char* sql : kSteps) {
        Statement step = db_.prepare(sql);
        step.bind(1, patient_row).run();
    }
    audit(audit_action::kDelete, {patient->id, std::nullopt},
          "patient deleted with " + std::to_string(report.assessments) + " assessments (" +
              std::to_string(finals) + " final, " + std::to_string(report.assessments - finals) +
              " draft), after the backup " + report.backup.path.string());
    tx.commit();
    return report;
}

void Store::record_event(std::string_view action, const AuditRef& record,
                         std::string_view summary) {
    require_writable("recording the event");
    Transaction tx(db_);
    AuditRef ref = record;
    if (ref.assessment && !ref.patient_id) {
        ref.patient_id = info(*ref.assessment).patient_id;
    }
    audit(action, ref, summary);
    tx.commit();
}

std::vector<AuditEntry> Store::audit_trail(const std::optional<std::string>& patient_id) {
    return read_audit(db_, patient_id);
}

AuditVerification Store::verify_audit() {
    return verify_audit_chain(db_);
}

}  // namespace myo::store
