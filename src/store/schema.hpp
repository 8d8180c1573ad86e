#pragma once
// Opening a database file: refusals first (without writing anything), then the per-connection
// settings, then the schema migrations (Mozilla Places style: PRAGMA user_version is the
// schema version, one step per version, all in one transaction).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/definitions.hpp"
#include "store/audit.hpp"
#include "store/connection.hpp"

namespace myo::store {

// "MYOS" at header offset 68, so file(1) and MyoScreen can tell the file apart.
inline constexpr std::int32_t kApplicationId = 0x4D594F53;
// 1: patients, assessments (draft/final versions), settings.
// 2: folded search terms and sort names of patients.
// 3: the baseline visit of a patient.
// 4: the audit trail; deleting a patient (finals included) inside a flagged transaction.
// 5: the content digest (store/content_digest.hpp) kept by triggers and written into each
//    audit row; the chain record beside the file (store/chain_record.hpp).
inline constexpr int kSchemaVersion = 5;

struct OpenOptions {
    // PRAGMA quick_check on opening: it reads the whole file (1.5 s for 1.75 GB), so it is off
    // by default and asked for explicitly (myoscreen-cli --check). Every opening still refuses,
    // cheaply, a file that is not SQLite, another application's, newer, cut short, with a
    // broken write-ahead log or changed tables; a damaged page is refused (Damaged) when it is
    // first read; db check, the backup's and the restore's verification read every page.
    bool quick_check = false;
    // How long a writer waits for another writer before DatabaseBusy.
    int busy_timeout_ms = 5000;
    // Read only: nothing is created, migrated or written, and no writer lock is taken, so a
    // second MyoScreen can show a database another one has open. A missing, empty or older file
    // is refused (OpenRefused).
    bool read_only = false;
    // How long to wait for another MyoScreen to close the database (the one-writer lock) before
    // AlreadyOpen; negative: as long as busy_timeout_ms. The GUI passes 0 to ask at once.
    int lock_timeout_ms = -1;
    // Check the trail's head against the chain record beside the file, and keep the record.
    // Off only for a file that is not (yet) the live database (a restore's copy).
    bool chain_record = true;
};

// Opens the file, creating it (0600, in folders created 0700) when it does not exist, and
// brings the schema up to date. Throws OpenRefused, leaving the file untouched, when the file
// is not SQLite, belongs to another application, has a newer schema, is cut short, has a
// write-ahead log whose header is not sound, meets a damaged page while opening, fails
// quick_check (when asked for), has
// tables that do not match its schema version, or (opening for writing) was changed outside
// MyoScreen (Refusal::Tampered: its schema, its records or its trail; a read-only opening is
// still allowed). A missing chain record is left to the Store (store.cpp).
Connection open_database(const std::filesystem::path& path, const OpenOptions& options = {});
// As above; `before_writing` runs once the file has passed the checks and before the first
// write-capable connection is opened (the Store takes its writer lock there, so a refused file
// gets no lock file beside it). Not called for a read-only opening.
Connection open_database(const std::filesystem::path& path, const OpenOptions& options,
                         const std::function<void()>& before_writing);

// Runs the migration steps from the file's version up to `target` in one transaction.
// `target` below kSchemaVersion exists for tests that build older files.
void migrate(Connection& connection, int target = kSchemaVersion);

// For `db check`: everything about the file, read-only, never refusing.
struct CheckReport {
    bool ok = true;
    std::vector<std::pair<std::string, std::string>> facts;  // label, value (in order)
    std::vector<std::string> problems;                       // empty when ok
    std::optional<AuditVerification> chain;                  // when the file has a trail
};
struct CheckOptions {
    // When given, every stored document is parsed and validated against them.
    const Definitions* definitions = nullptr;
    // A live database has a chain record beside it; a backup file does not.
    bool chain_record = true;
};
CheckReport check_database(const std::filesystem::path& path, const CheckOptions& options = {});

// The stored documents that no longer parse and validate as an assessment: how many, and one
// message for each of the first `max_problems` (naming the assessment number and the patient)
// then "and N more ...".
struct DocumentCheck {
    std::size_t unreadable = 0;
    std::vector<std::string> messages;
};

// For db check and the backup's verification.
DocumentCheck unreadable_documents(Connection& c, const Definitions& defs,
                                   std::size_t max_problems = 20);

}  // namespace myo::store
