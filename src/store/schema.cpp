#include "store/schema.hpp"

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <system_error>
#include <thread>

#include "core/assessment.hpp"
#include "core/text_fold.hpp"
#include "store/audit.hpp"
#include "store/chain_record.hpp"
#include "store/content_digest.hpp"
#include "store/document_check.hpp"
#include "store/errors.hpp"
#include "store/paths.hpp"
#include "store/tamper_check.hpp"

namespace myo::store {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

std::string hex_id(std::int64_t id) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "0x%08llX",
                  static_cast<unsigned long long>(static_cast<std::uint32_t>(id)));
    return buf.data();
}

std::string untouched(const fs::path& path) {
    return "; " + path.string() + " was left untouched";
}

// The network filesystem (its type, e.g. "nfs") holding the database's folder, or "".
std::string network_filesystem_holding(const fs::path& path) {
    return network_filesystem_of(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

// Both openings (read-only and writer) refuse a network filesystem before touching the file.
void refuse_network_filesystem(const fs::path& path) {
    if (std::string network = network_filesystem_holding(path); !network.empty()) {
        throw OpenRefused(Refusal::NetworkFilesystem,
                          path.string() + " is on a network filesystem (" + network +
                              "), where SQLite's locking and write-ahead log are unsafe; keep "
                              "the database on a local disk" +
                              untouched(path));
    }
}

// Reads the 100-byte header. Returns false for an empty file (SQLite treats it as a new
// database); throws OpenRefused for anything that is not SQLite.
bool has_sqlite_header(const fs::path& path) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec) {
        throw OpenRefused(Refusal::Unreadable,
                          "cannot read " + path.string() + ": " + ec.message());
    }
    if (!fs::is_regular_file(status)) {
        throw OpenRefused(Refusal::NotAFile,
                          path.string() + " is not a regular file, so it cannot be a database");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw OpenRefused(Refusal::Unreadable,
                          "cannot read " + path.string() + " (check its permissions)");
    }
    std::array<char, 100> header{};
    in.read(header.data(), header.size());
    auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) {
        return false;
    }
    if (got < header.size() ||
        std::string_view(header.data(), kSqliteMagic.size()) != kSqliteMagic) {
        throw OpenRefused(Refusal::NotSqlite,
                          path.string() +
                              " is not a SQLite database, so it is not a MyoScreen "
                              "database" +
                              untouched(path));
    }
    return true;
}

// SQLite's write-ahead log header (walformat.html): 32 bytes, big-endian words.
constexpr std::uint32_t kWalMagic = 0x377f0682;  // | 1: checksums of big-endian words
constexpr std::uint32_t kWalVersion = 3007000;

std::uint32_t big_endian_word(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

// What is wrong with the write-ahead log beside `path`, or nullopt when it is absent, holds no
// header yet, or has a sound header. SQLite itself ignores a log whose header does not check
// out, and so silently drops every change committed into it: opening refuses instead. (A
// frame's checksum is not checked: a crash legitimately leaves a torn last transaction.)
std::optional<std::string> log_problem(const fs::path& path) {
    const fs::path wal = path.string() + "-wal";
    std::ifstream in(wal, std::ios::binary);
    if (!in) {
        return std::nullopt;  // none (or unreadable: SQLite reports that in its own words)
    }
    std::array<unsigned char, 32> h{};
    in.read(reinterpret_cast<char*>(h.data()), h.size());
    if (in.gcount() < static_cast<std::streamsize>(h.size())) {
        return std::nullopt;  // shorter than a header: nothing was ever committed into it
    }
    const std::string what = "its write-ahead log " + wal.string();
    const std::uint32_t magic = big_endian_word(h.data());
    if ((magic & ~1U) != kWalMagic || big_endian_word(h.data() + 4) != kWalVersion) {
        return what + " is not a SQLite write-ahead log (its header is wrong)";
    }
    const std::uint32_t log_page = big_endian_word(h.data() + 8);
    std::array<unsigned char, 2> db_header{};
    std::ifstream db(path, std::ios::binary);
    db.seekg(16);
    db.read(reinterpret_cast<char*>(db_header.data()), db_header.size());
    std::uint32_t db_page = (std::uint32_t{db_header[0]} << 8) | db_header[1];
    if (db_page == 1) {
        db_page = 65536;
    }
    if (db && log_page != db_page) {
        return what + " does not belong to the database (its page size is " +
               std::to_string(log_page) + " bytes, the database's " + std::to_string(db_page) + ")";
    }
    // The header's own checksum over its first 24 bytes, in the byte order the magic names.
    const bool big = (magic & 1U) != 0;
    std::uint32_t s0 = 0;
    std::uint32_t s1 = 0;
    for (std::size_t i = 0; i < 24; i += 8) {
        auto word = [&](std::size_t at) {
            std::uint32_t w = big_endian_word(h.data() + at);
            return big ? w : __builtin_bswap32(w);
        };
        s0 += word(i) + s1;
        s1 += word(i + 4) + s0;
    }
    if (s0 != big_endian_word(h.data() + 24) || s1 != big_endian_word(h.data() + 28)) {
        return what +
               " is damaged (its header's checksum does not match), so the changes "
               "it holds cannot be read";
    }
    return std::nullopt;
}

// log_problem, asked again a few times before it is believed: a writer restarting its log
// rewrites the header while this process reads it, and a torn read must not refuse a sound file.
std::optional<std::string> settled_log_problem(const fs::path& path) {
    auto problem = log_problem(path);
    for (int i = 0; problem && i < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        problem = log_problem(path);
    }
    return problem;
}

// A damaged page met while opening refuses the file as FailedCheck, like a failed quick_check.
OpenRefused damaged_at_opening(const fs::path& path, const Damaged& e) {
    return OpenRefused(Refusal::FailedCheck, path.string() + " is damaged: SQLite reports \"" +
                                                 sqlite3_errstr(e.code()) +
                                                 "\"; restore it from a backup" + untouched(path));
}

std::vector<std::string> quick_check(Connection& c, int max_rows) {
    std::vector<std::string> rows;
    Statement s = c.prepare("SELECT * FROM pragma_quick_check(?1)");
    s.bind(1, max_rows);
    while (s.step()) {
        rows.push_back(s.text(0));
    }
    if (rows.size() == 1 && rows[0] == "ok") {
        rows.clear();
    }
    return rows;
}

std::string refusal_advice(const fs::path& path) {
    return "; it is not opened for writing. Open it read-only (--read-only) to read the records, "
           "run 'myoscreen-cli --db " +
           path.string() + " db check' for every finding, or restore a backup (db restore)" +
           untouched(path);
}

// A header's user_version names the tables the file must hold; a file whose tables differ was
// changed outside MyoScreen (or its header was), and migrating it would fail half-way. A
// read-only opening is refused only for what it cannot read around: a missing or changed table.
void refuse_unexpected_schema(Connection& c, std::int64_t version, bool writing) {
    std::vector<std::string> differences;
    for (auto& d : schema_differences(c, static_cast<int>(version))) {
        bool unreadable_table = d.rfind("table ", 0) == 0 && d.find("(added)") == std::string::npos;
        if (writing || unreadable_table) {
            differences.push_back(std::move(d));
        }
    }
    if (differences.empty()) {
        return;
    }
    std::string what = differences.front();
    if (differences.size() > 1) {
        what += ", and " + std::to_string(differences.size() - 1) + " more difference" +
                (differences.size() > 2 ? "s" : "");
    }
    throw OpenRefused(Refusal::Tampered,
                      c.path().string() + " was changed outside MyoScreen: its schema is not the " +
                          "one MyoScreen creates for the version its header names (" +
                          std::to_string(version) + "): " + what + refusal_advice(c.path()));
}

// The read-only checks; returns true when the file is an empty SQLite database to adopt.
bool inspect(Connection& c, const OpenOptions& options, bool writing) {
    const fs::path& path = c.path();
    try {
        // One snapshot: a process creating the file at this moment is seen before or after.
        Transaction read(c, Transaction::Kind::Deferred);
        std::int64_t app = c.query_int("PRAGMA application_id");
        std::int64_t version = c.query_int("PRAGMA user_version");
        std::int64_t objects = c.query_int("SELECT count(*) FROM sqlite_master");
        if (app != kApplicationId) {
            if (app == 0 && version == 0 && objects == 0) {
                return true;
            }
            throw OpenRefused(Refusal::OtherApplication,
                              path.string() + " is a SQLite database of another application " +
                                  "(application_id " + hex_id(app) + ", MyoScreen's is " +
                                  hex_id(kApplicationId) + ")" + untouched(path));
        }
        if (version > kSchemaVersion) {
            throw OpenRefused(Refusal::NewerSchema,
                              path.string() + " has schema version " + std::to_string(version) +
                                  ", newer than this MyoScreen understands (" +
                                  std::to_string(kSchemaVersion) +
                                  "); open it with a newer MyoScreen" + untouched(path));
        }
        // A file cut short is damaged even when the lost bytes held nothing quick_check reads
        // (SQLite reads a missing tail as zeros): it must end on a page boundary and, with no
        // write-ahead log to supply pages, hold every page its header counts.
        {
            std::error_code ec;
            std::error_code wal_ec;
            auto bytes = static_cast<std::int64_t>(fs::file_size(path, ec));
            auto wal_bytes = fs::file_size(path.string() + "-wal", wal_ec);
            bool no_log = wal_ec || wal_bytes == 0;
            std::int64_t page_size = c.query_int("PRAGMA page_size");
            std::int64_t pages = c.query_int("PRAGMA page_count");
            if (!ec && page_size > 0 &&
                (bytes % page_size != 0 || (no_log && bytes < pages * page_size))) {
                throw OpenRefused(Refusal::FailedCheck,
                                  path.string() + " is damaged: it is truncated (" +
                                      std::to_string(bytes) + " bytes, its header counts " +
                                      std::to_string(pages) + " pages of " +
                                      std::to_string(page_size) +
                                      " bytes); restore it from a backup" + untouched(path));
            }
            if (auto log = settled_log_problem(path)) {
                throw OpenRefused(Refusal::FailedCheck,
                                  path.string() + " is damaged: " + *log +
                                      "; restore it from a backup (run 'myoscreen-cli --db " +
                                      path.string() + " db check' for details)" + untouched(path));
            }
        }
        if (version >= 1) {
            refuse_unexpected_schema(c, version, writing);
        }
        if (options.quick_check) {
            auto problems = quick_check(c, 5);
            if (!problems.empty()) {
                throw OpenRefused(Refusal::FailedCheck,
                                  path.string() + " is damaged: SQLite's quick_check reports \"" +
                                      problems.front() +
                                      "\"; restore it from a backup (run 'myoscreen-cli --db " +
                                      path.string() + " db check' for details)" + untouched(path));
            }
        }
        read.commit();
        return false;
    } catch (const Damaged& e) {
        throw damaged_at_opening(path, e);
    }
}

// A read-only connection to a WAL file creates -wal and -shm beside it and, unable to
// checkpoint, leaves them. A refused file must be left as found, so the empty ones this
// attempt created are removed again (after the connection is closed).
class SidecarGuard {
  public:
    explicit SidecarGuard(const fs::path& db)
        : wal_(db.string() + "-wal"), shm_(db.string() + "-shm") {
        std::error_code ec;
        had_wal_ = fs::exists(fs::symlink_status(wal_, ec));
        had_shm_ = fs::exists(fs::symlink_status(shm_, ec));
    }
    void remove_new_empty_ones() {
        std::error_code ec;
        if (had_wal_ || !fs::exists(wal_, ec) || fs::file_size(wal_, ec) != 0) {
            return;
        }
        fs::remove(wal_, ec);
        if (!had_shm_) {
            fs::remove(shm_, ec);
        }
    }

  private:
    fs::path wal_;
    fs::path shm_;
    bool had_wal_ = false;
    bool had_shm_ = false;
};

void configure(Connection& c, const OpenOptions& options) {
    c.set_busy_timeout(options.busy_timeout_ms);
    c.exec("PRAGMA foreign_keys = ON");
    // Files are checked on opening; these guard against a crafted file all the same
    // (SQLite's security.html, "untrusted databases").
    c.exec("PRAGMA trusted_schema = OFF");
    c.exec("PRAGMA cell_size_check = ON");
    // 8 MB rather than SQLite's 2 MB: a patient list touches many pages of a large store.
    c.exec("PRAGMA cache_size = -8000");
    // Two processes switching a new file out of rollback mode at the same moment deadlock, and
    // SQLite answers one of them BUSY at once instead of waiting; so wait here, as long as the
    // busy timeout would have.
    std::string mode;
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    for (;;) {
        try {
            mode = c.query_text("PRAGMA journal_mode = WAL");
            break;
        } catch (const DatabaseBusy&) {
            if (std::chrono::steady_clock::now() > deadline) {
                throw;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    if (mode != "wal") {
        throw StoreError("cannot switch " + c.path().string() +
                         " to write-ahead logging (journal mode stays \"" + mode +
                         "\"); keep the database on a local disk");
    }
    // FULL: a saved assessment survives a power cut, not only a crash of the program.
    c.exec("PRAGMA synchronous = FULL");
}

void set_user_version(Connection& c, int version) {
    // PRAGMA takes no bound parameters; the value is a constant of this build, never input.
    c.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
}

// The document is the last column so the key figures sit at the start of each record and are
// read without walking past 2 KB of JSON; the patient index carries date and urgency so the
// patient list is answered from the index alone.
void migrate_to_1(Connection& c) {
    c.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    c.exec(R"sql(
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patient INTEGER NOT NULL REFERENCES patients(id),
  visit INTEGER NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  supersedes INTEGER UNIQUE REFERENCES assessments(id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
  date TEXT NOT NULL,
  kind TEXT,
  nrs_now INTEGER,
  nrs_average INTEGER,
  wpi INTEGER,
  sss INTEGER,
  fs INTEGER,
  tender_count INTEGER,
  urgency TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finalized_at TEXT,
  document TEXT NOT NULL,
  UNIQUE (visit, version)
);
CREATE INDEX assessments_by_patient ON assessments (patient, date, urgency);
CREATE TRIGGER final_assessments_are_not_updated BEFORE UPDATE ON assessments
  WHEN OLD.status = 'final'
  BEGIN SELECT RAISE(ABORT, 'a final assessment cannot be changed'); END;
CREATE TRIGGER final_assessments_are_not_deleted BEFORE DELETE ON assessments
  WHEN OLD.status = 'final'
  BEGIN SELECT RAISE(ABORT, 'a final assessment cannot be deleted'); END;
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql");
}

void migrate_to_2(Connection& c) {
    c.exec(R"sql(
ALTER TABLE patients ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
CREATE INDEX patients_by_sort_name ON patients (sort_name, id);
CREATE TABLE patient_terms (
  term TEXT NOT NULL,
  patient INTEGER NOT NULL REFERENCES patients(id),
  PRIMARY KEY (term, patient)
) WITHOUT ROWID;
CREATE INDEX patient_terms_by_patient ON patient_terms (patient, term);
)sql");
    // Folding lives in C++ (core/text_fold), so the existing rows are filled from here.
    Statement all = c.prepare("SELECT id, patient_key, name FROM patients");
    Statement sort = c.prepare("UPDATE patients SET sort_name = ?2 WHERE id = ?1");
    Statement term =
        c.prepare("INSERT OR IGNORE INTO patient_terms (term, patient) VALUES (?1, ?2)");
    while (all.step()) {
        std::int64_t id = all.int64(0);
        sort.reset();
        sort.bind(1, id).bind(2, fold_for_search(all.text(2))).run();
        auto terms = search_terms(all.text(2));
        auto id_terms = search_terms(all.text(1));
        terms.insert(terms.end(), id_terms.begin(), id_terms.end());
        for (const auto& t : terms) {
            term.reset();
            term.bind(1, t).bind(2, id).run();
        }
    }
}

// The visit a physiotherapist marked as the baseline of a patient's progress (issue 6);
// without a row the first visit is the baseline.
void migrate_to_3(Connection& c) {
    c.exec(R"sql(
CREATE TABLE baselines (
  patient INTEGER PRIMARY KEY REFERENCES patients(id),
  visit INTEGER NOT NULL REFERENCES assessments(id),
  marked_at TEXT NOT NULL
);
)sql");
}

// The audit trail (issue 7) and the deliberate path to delete a patient.
// - audit: append-only (the triggers refuse UPDATE and DELETE), each row hashed with the one
//   before it (store/audit.hpp). AUTOINCREMENT so sqlite_sequence remembers the highest row
//   ever written, which shows a removed tail.
// - Finals stay undeletable, except for the patient named in deletion_in_progress: that row
//   exists only inside Store::delete_patient's transaction, which also writes the audit row.
//   A hard delete rather than tombstones, because deleting a patient is how a clinic honours an
//   erasure request; the backup taken first keeps a copy until it is rotated out.
void migrate_to_4(Connection& c) {
    c.exec(R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  clinician TEXT NOT NULL,
  os_user TEXT NOT NULL,
  action TEXT NOT NULL,
  patient TEXT,
  assessment INTEGER,
  summary TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_patient ON audit (patient, seq);
CREATE TRIGGER audit_rows_are_not_changed BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: a row cannot be changed'); END;
CREATE TRIGGER audit_rows_are_not_deleted BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: a row cannot be deleted'); END;
CREATE TABLE deletion_in_progress (
  patient INTEGER PRIMARY KEY
);
DROP TRIGGER final_assessments_are_not_deleted;
CREATE TRIGGER final_assessments_are_not_deleted BEFORE DELETE ON assessments
  WHEN OLD.status = 'final'
   AND NOT EXISTS (SELECT 1 FROM deletion_in_progress d WHERE d.patient = OLD.patient)
  BEGIN SELECT RAISE(ABORT, 'a final assessment cannot be deleted'); END;
)sql");
    append_audit(c, os_account(), audit_action::kStart, {},
                 "audit trail started (schema 4); " +
                     std::to_string(c.query_int("SELECT count(*) FROM patients")) +
                     " patients and " +
                     std::to_string(c.query_int("SELECT count(*) FROM assessments")) +
                     " assessments stored before it");
}

// Tamper evidence for the records themselves (issue 10): the content digest, kept by triggers
// that only MyoScreen's connections can run, written into every audit row from here on. The
// upgrade's own row records the digest of what was stored before it (a new file skips it).
void migrate_to_5(Connection& c) {
    c.exec("ALTER TABLE audit ADD COLUMN content TEXT");
    c.exec(digest_schema_sql().c_str());
    Statement put = c.prepare("INSERT INTO content_digest (id, digest) VALUES (1, ?1)");
    put.bind(1, recount_digest(c)).run();
    std::int64_t patients = c.query_int("SELECT count(*) FROM patients");
    std::int64_t assessments = c.query_int("SELECT count(*) FROM assessments");
    std::int64_t rows = c.query_int("SELECT count(*) FROM audit");
    if (patients == 0 && assessments == 0 && rows <= 1) {
        return;
    }
    append_audit(c, os_account(), audit_action::kSchema, {},
                 "upgraded to schema 5: the records (" + std::to_string(patients) + " patients, " +
                     std::to_string(assessments) +
                     " assessments) are covered by a content digest from this row on");
}

using Step = std::function<void(Connection&)>;
const std::array<Step, kSchemaVersion> kSteps = {migrate_to_1, migrate_to_2, migrate_to_3,
                                                 migrate_to_4, migrate_to_5};

}  // namespace

void migrate(Connection& c, int target) {
    if (c.query_int("PRAGMA user_version") >= target) {
        return;  // the usual case: no write lock needed to open
    }
    Transaction tx(c, Transaction::Kind::Immediate);
    // Read inside the write lock: another process may have migrated meanwhile.
    auto version = static_cast<int>(c.query_int("PRAGMA user_version"));
    if (version > kSchemaVersion) {
        throw OpenRefused(Refusal::NewerSchema, c.path().string() + " has schema version " +
                                                    std::to_string(version) +
                                                    ", newer than this MyoScreen understands (" +
                                                    std::to_string(kSchemaVersion) + ")");
    }
    if (version >= target) {
        return;
    }
    for (int v = version; v < target; ++v) {
        kSteps.at(static_cast<std::size_t>(v))(c);
    }
    set_user_version(c, target);
    tx.commit();
}

namespace {

bool is_read_only_error(int code) {
    int primary = code & 0xFF;
    return primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN;
}

Connection open_read_only(const fs::path& path, const OpenOptions& options) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        throw OpenRefused(Refusal::NotFound, "there is no database at " + path.string());
    }
    if (!has_sqlite_header(path)) {
        throw OpenRefused(Refusal::NotSqlite,
                          path.string() + " is empty: there is nothing to read" + untouched(path));
    }
    refuse_network_filesystem(path);
    SidecarGuard sidecars(path);
    try {
        Connection ro(path, Connection::Mode::ReadOnly);
        ro.set_busy_timeout(options.busy_timeout_ms);
        if (inspect(ro, options, false)) {
            throw OpenRefused(Refusal::NotSqlite, path.string() +
                                                      " holds no MyoScreen records yet: there is "
                                                      "nothing to read" +
                                                      untouched(path));
        }
        if (ro.query_int("PRAGMA user_version") < kSchemaVersion) {
            throw OpenRefused(Refusal::NeedsUpgrade,
                              path.string() +
                                  " was written by an older MyoScreen and must be upgraded, which "
                                  "a read-only opening cannot do; open it once for writing" +
                                  untouched(path));
        }
        ro.exec("PRAGMA foreign_keys = ON");
        ro.exec("PRAGMA trusted_schema = OFF");
        ro.exec("PRAGMA cell_size_check = ON");
        ro.exec("PRAGMA query_only = ON");
        return ro;
    } catch (const OpenRefused&) {
        sidecars.remove_new_empty_ones();
        throw;
    } catch (const StorageFailed& e) {
        sidecars.remove_new_empty_ones();
        throw OpenRefused(Refusal::Unreadable,
                          "cannot read " + path.string() + " read-only: " + e.what());
    } catch (const SqliteError& e) {
        sidecars.remove_new_empty_ones();
        throw OpenRefused(Refusal::Unreadable,
                          "cannot read " + path.string() + " read-only: " + e.what());
    }
}

// The constant-time tamper checks before the first write (db check does the full ones), and the
// chain record settled after a crash between a commit and its record.
void check_before_writing(Connection& rw) {
    const fs::path& path = rw.path();
    TamperCheck how;
    how.depth = TamperCheck::Depth::Quick;
    TamperReport r = check_for_tampering(rw, path, how);
    if (!r.problems.empty()) {
        std::string what = r.problems.front();
        if (r.problems.size() > 1) {
            what += "; and " + std::to_string(r.problems.size() - 1) + " more finding" +
                    (r.problems.size() > 2 ? "s" : "");
        }
        throw OpenRefused(Refusal::Tampered, path.string() + " was changed outside MyoScreen: " +
                                                 what + refusal_advice(path));
    }
    // A missing record is the Store's to handle (store.cpp): opening writes nothing.
    if (r.chain_record_pending) {
        write_chain_record(path, {audit_head(rw), std::nullopt});
    }
}

}  // namespace

Connection open_database(const fs::path& path, const OpenOptions& options) {
    return open_database(path, options, {});
}

Connection open_database(const fs::path& path, const OpenOptions& options,
                         const std::function<void()>& before_writing) {
    if (options.read_only) {
        return open_read_only(path, options);
    }
    bool fresh = false;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec)) && !fs::exists(path, ec)) {
        create_private_directories(path.parent_path());
        fresh = create_private_file(path);
    }
    if (!fresh) {
        fresh = !has_sqlite_header(path);
    }
    refuse_network_filesystem(path);
    bool inspected = fresh;
    if (!fresh) {
        SidecarGuard sidecars(path);
        try {
            Connection ro(path, Connection::Mode::ReadOnly);
            ro.set_busy_timeout(options.busy_timeout_ms);
            fresh = inspect(ro, options, true);
            inspected = true;
        } catch (const OpenRefused&) {
            sidecars.remove_new_empty_ones();
            throw;
        } catch (const StorageFailed& e) {
            // A read-only connection cannot recover a write-ahead log left by a crash; the
            // checks then run on the read-write connection before anything is written.
            if (!is_read_only_error(e.code())) {
                throw;
            }
        } catch (const SqliteError& e) {
            if (!is_read_only_error(e.code())) {
                throw;
            }
        }
    }
    if (before_writing) {
        before_writing();
    }
    Connection rw(path, Connection::Mode::ReadWrite);
    rw.set_busy_timeout(options.busy_timeout_ms);
    if (!inspected) {
        inspect(rw, options, true);
    }
    try {
        configure(rw, options);
        migrate(rw);
        if (options.chain_record) {
            check_before_writing(rw);
        }
    } catch (const Damaged& e) {
        // A damaged page the migration or the tamper check read: still a refusal at opening
        // (a migration's transaction was rolled back).
        throw damaged_at_opening(path, e);
    }
    return rw;
}

namespace {

// A file cut short reads its missing tail as zeros, so neither SQLite nor integrity_check sees
// it when the lost pages held nothing they read: the file must end on a page boundary and,
// with no write-ahead log to supply pages, hold every page its header counts.
std::optional<std::string> size_problem(const fs::path& path, std::int64_t pages,
                                        std::int64_t page_size) {
    std::error_code ec;
    std::error_code wal_ec;
    auto bytes = static_cast<std::int64_t>(fs::file_size(path, ec));
    auto wal_bytes = fs::file_size(path.string() + "-wal", wal_ec);
    bool no_log = wal_ec || wal_bytes == 0;
    if (ec || page_size <= 0) {
        return std::nullopt;
    }
    if (bytes % page_size != 0 || (no_log && bytes < pages * page_size)) {
        return "the file is truncated: " + std::to_string(bytes) + " bytes, its header counts " +
               std::to_string(pages) + " pages of " + std::to_string(page_size) + " bytes (" +
               std::to_string(pages * page_size) + ")";
    }
    return std::nullopt;
}

}  // namespace

DocumentCheck unreadable_documents(Connection& c, const Definitions& defs,
                                   std::size_t max_problems) {
    UnreadableDocuments documents(defs, max_problems);
    Statement s = c.prepare(
        "SELECT a.id, p.patient_key, a.document FROM assessments a "
        "LEFT JOIN patients p ON p.id = a.patient ORDER BY a.id");
    while (s.step()) {
        documents.check(s.int64(0), s.opt_text(1), s.text(2));
    }
    return documents.result();
}

CheckReport check_database(const fs::path& path, const CheckOptions& options) {
    CheckReport r;
    auto fail = [&r](std::string problem) {
        r.ok = false;
        r.problems.push_back(std::move(problem));
    };
    r.facts.emplace_back("file", path.string());
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        fail("no database at " + path.string());
        return r;
    }
    try {
        if (!has_sqlite_header(path)) {
            r.facts.emplace_back("size", "0 bytes (a new, empty database)");
            return r;
        }
    } catch (const OpenRefused& e) {
        fail(e.what());
        return r;
    }
    if (std::string network = network_filesystem_holding(path); !network.empty()) {
        fail("on a network filesystem (" + network + "): keep the database on a local disk");
    }
    SidecarGuard sidecars(path);
    try {
        Connection c(path, Connection::Mode::ReadOnly);
        c.set_busy_timeout(5000);
        if (!c.limitation().empty()) {
            r.facts.emplace_back("not checked", c.limitation());
        }
        std::int64_t app = c.query_int("PRAGMA application_id");
        r.facts.emplace_back(
            "application_id",
            hex_id(app) + (app == kApplicationId ? " (MyoScreen)" : " (not MyoScreen)"));
        if (app != kApplicationId) {
            fail("application_id " + hex_id(app) + " is not MyoScreen's (" +
                 hex_id(kApplicationId) + ")");
        }
        std::int64_t version = c.query_int("PRAGMA user_version");
        std::string schema =
            std::to_string(version) + " (this build: " + std::to_string(kSchemaVersion) + ")";
        if (version < kSchemaVersion) {
            schema += ", upgraded on next use";
        }
        r.facts.emplace_back("schema version", schema);
        if (version > kSchemaVersion) {
            fail("schema version " + std::to_string(version) + " is newer than this build");
        }
        r.facts.emplace_back("journal mode", c.query_text("PRAGMA journal_mode"));
        std::int64_t pages = c.query_int("PRAGMA page_count");
        std::int64_t page_size = c.query_int("PRAGMA page_size");
        r.facts.emplace_back("size", std::to_string(pages * page_size) + " bytes (" +
                                         std::to_string(pages) + " pages)");
        if (auto cut = size_problem(path, pages, page_size)) {
            fail(*cut);
        }
        if (auto log = settled_log_problem(path)) {
            fail(*log);
        }
        std::vector<std::string> integrity;
        {
            Statement s = c.prepare("PRAGMA integrity_check(20)");
            while (s.step()) {
                integrity.push_back(s.text(0));
            }
        }
        bool integrity_ok = integrity.size() == 1 && integrity[0] == "ok";
        r.facts.emplace_back("integrity check", integrity_ok ? "ok" : "FAILED");
        if (!integrity_ok) {
            for (const auto& line : integrity) {
                fail("integrity: " + line);
            }
        }
        if (app == kApplicationId && version >= 1 && version <= kSchemaVersion) {
            std::int64_t fk = 0;
            {
                Statement s = c.prepare("PRAGMA foreign_key_check");
                while (s.step()) {
                    ++fk;
                }
            }
            r.facts.emplace_back("foreign keys", fk == 0 ? "ok" : std::to_string(fk) + " broken");
            if (fk != 0) {
                fail(std::to_string(fk) + " rows refer to missing rows (foreign_key_check)");
            }
            TamperCheck how;
            how.chain_record = options.chain_record && version >= 5;
            TamperReport tamper = check_for_tampering(c, path, how);
            r.facts.emplace_back("schema fingerprint", schema_fingerprint(c).substr(0, 16));
            r.chain = tamper.chain;
            if (tamper.chain) {
                const AuditVerification& chain = *tamper.chain;
                r.facts.emplace_back(
                    "audit trail",
                    chain.ok ? "intact (" + std::to_string(chain.rows) + " rows)"
                             : "BROKEN at row " + std::to_string(chain.first_broken.value_or(0)));
            }
            if (version >= 5) {
                std::string digest;
                try {
                    digest = stored_digest(c).substr(0, 16);
                } catch (const SqliteError&) {
                    digest = "missing";  // a schema problem, reported above
                }
                r.facts.emplace_back("content digest", digest.empty() ? "missing" : digest);
            }
            for (auto& p : tamper.problems) {
                fail(std::move(p));
            }
            // A live database is always in WAL mode; a backup or a copy of one is not, and has
            // no chain record beside it to compare with.
            if (tamper.chain_record_missing) {
                if (c.query_text("PRAGMA journal_mode") == "wal") {
                    fail(*tamper.chain_record_missing);
                } else {
                    r.facts.emplace_back("chain record",
                                         "none beside the file (a backup or a copy: nothing to "
                                         "compare the trail's head with)");
                }
            }
            add_record_facts(
                r,
                options.definitions != nullptr
                    ? std::optional(unreadable_documents(c, *options.definitions))
                    : std::nullopt,
                c.query_int("SELECT count(*) FROM patients"),
                c.query_int("SELECT count(*) FROM assessments WHERE status = 'final'"),
                c.query_int("SELECT count(*) FROM assessments WHERE status = 'draft'"));
        }
    } catch (const SqliteError& e) {
        fail(std::string("SQLite cannot read the file: ") + e.what());
    } catch (const Damaged& e) {
        // db check is where the details are: SQLite's words, without the advice to run it.
        fail(std::string("SQLite cannot read the file: ") + sqlite3_errstr(e.code()));
    }
    sidecars.remove_new_empty_ones();
    return r;
}

}  // namespace myo::store
