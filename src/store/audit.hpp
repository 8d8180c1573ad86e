#pragma once
// The audit trail: one row per change to a patient or an assessment, and per export, PDF,
// backup, restore and deletion. Append-only (triggers refuse UPDATE and DELETE) and
// tamper-evident: each row's hash is SHA-256 over its content and the previous row's hash, so
// changing or deleting a row breaks the chain from that row on (verify_audit_chain).
//
// From schema 5 each row also carries the content digest (store/content_digest.hpp) after the
// change, so the records must match the newest row; and the head is kept outside the file too
// (store/chain_record.hpp), so a cut tail or a wiped trail is found. What is still possible for
// someone who can rewrite both the file and the chain record is in the README.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace myo::store {

// The actions the store records. Callers that act outside the store (a PDF written by the GUI
// or the report verb) use record_event with kPdf or kExport.
namespace audit_action {
inline constexpr const char* kStart = "audit-start";  // the trail began (schema 4)
inline constexpr const char* kCreatePatient = "create-patient";
inline constexpr const char* kCreate = "create";  // a new draft
inline constexpr const char* kEdit = "edit";      // a draft saved
inline constexpr const char* kDiscard = "discard";
inline constexpr const char* kFinalize = "finalize";
inline constexpr const char* kAmend = "amend";
inline constexpr const char* kImport = "import";
inline constexpr const char* kExport = "export";
inline constexpr const char* kPdf = "pdf";
inline constexpr const char* kBaseline = "baseline";
inline constexpr const char* kSettings = "settings";
inline constexpr const char* kBackup = "backup";
inline constexpr const char* kRestore = "restore";
inline constexpr const char* kDelete = "delete";
inline constexpr const char* kSchema = "schema";             // an upgrade that changed the trail
inline constexpr const char* kChainRecord = "chain-record";  // the chain record was missing
inline constexpr const char* kCopy = "copy";  // the trail continued from another store (db copy)
inline constexpr const char* kTakeOver = "take-over";  // a draft's expired lease was taken
}  // namespace audit_action

// Which record an event is about. A patient is named by its id (patient.id), never its name:
// the trail outlives a deleted patient.
struct AuditRef {
    std::optional<std::string> patient_id;
    std::optional<std::int64_t> assessment;
};

struct AuditEntry {
    std::int64_t seq = 0;   // 1, 2, 3... in the order of the changes
    std::string at;         // UTC, ISO date-time with milliseconds
    std::string clinician;  // the clinician name in the settings at the time ("" if unset)
    std::string os_user;    // the operating-system account that ran MyoScreen
    std::string action;     // audit_action::*
    std::optional<std::string> patient_id;
    std::optional<std::int64_t> assessment;
    std::string summary;  // what changed, without clinical values
    // The content digest after the change (schema 5 on); nullopt in rows written before.
    std::optional<std::string> content;
    std::string prev_hash;
    std::string hash;
};

struct AuditVerification {
    bool ok = true;
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_broken;  // seq of the first row that fails
    std::string problem;                       // why it fails, for the user
    std::string head;                          // hash of the last row ("" when empty)
    std::int64_t head_seq = 0;                 // number of the last row (0 when empty)
    std::optional<std::string> content;        // the newest content digest in the trail
};

// The login name of the effective user (getpwuid(geteuid())), or "uid N".
std::string os_account();
// SHA-256 of a file's bytes, hex; throws StoreError if it cannot be read.
std::string file_sha256(const std::filesystem::path& path);

// Appends a row inside the caller's write transaction and returns it. The clinician is read
// from the settings in the same transaction, the content digest from its table (schema 5).
AuditEntry append_audit(Connection& c, std::string_view os_user, std::string_view action,
                        const AuditRef& ref, std::string_view summary);
std::vector<AuditEntry> read_audit(Connection& c,
                                   const std::optional<std::string>& patient_id = std::nullopt);
AuditVerification verify_audit_chain(Connection& c);

// The checks of the hash chain, the same for every backend (verify_audit_chain is SQLite's
// reading of the rows): fed the trail's rows oldest first.
// The hash a row must carry (content and prev_hash; `hash` itself is ignored).
std::string audit_row_hash(const AuditEntry& e);

// The one verifier of the hash chain, for every backend (SQLite here, PostgreSQL in
// store/pg): feed the rows in order of seq, then finish.
class ChainVerifier {
  public:
    // False once a row fails (the verdict says which and why): stop feeding then.
    bool add(const AuditEntry& e);
    // No break found so far.
    bool intact() const { return v_.ok; }
    // `issued`: the highest row number ever handed out (SQLite's sqlite_sequence, the
    // PostgreSQL store's audit_head), so that removing the newest rows is found.
    AuditVerification finish(std::int64_t issued);

  private:
    void broken(std::int64_t seq, std::string problem);
    AuditVerification v_;
    std::string prev_ = std::string(64, '0');
    std::int64_t expected_seq_ = 1;
};

}  // namespace myo::store
