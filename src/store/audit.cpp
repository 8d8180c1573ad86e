#include "store/audit.hpp"

#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <fstream>

#include "hash/sha256.hpp"
#include "store/content_digest.hpp"
#include "store/errors.hpp"

namespace myo::store {

namespace {

const std::string kGenesis(64, '0');

// Length-prefixed fields: no choice of text inside a field can shift a boundary, so two
// different rows never serialise alike. A missing value is "-", a present one "=len:value".
void field(std::string& out, std::string_view name, const std::optional<std::string>& value) {
    out += name;
    if (!value) {
        out += "-\n";
        return;
    }
    out += "=" + std::to_string(value->size()) + ":" + *value + "\n";
}

AuditEntry read_row(const Statement& s) {
    AuditEntry e;
    e.seq = s.int64(0);
    e.at = s.text(1);
    e.clinician = s.text(2);
    e.os_user = s.text(3);
    e.action = s.text(4);
    e.patient_id = s.opt_text(5);
    e.assessment = s.opt_int64(6);
    e.summary = s.text(7);
    e.prev_hash = s.text(8);
    e.hash = s.text(9);
    e.content = s.opt_text(10);
    return e;
}

bool has_table(Connection& c, const char* name) {
    Statement s = c.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    s.bind(1, name);
    return s.step();
}

// Rows of schema 4 have no content column.
std::string columns(Connection& c) {
    Statement s = c.prepare("SELECT 1 FROM pragma_table_info('audit') WHERE name = 'content'");
    return std::string(
               "SELECT seq, at, clinician, os_user, action, patient, assessment, summary, "
               "prev_hash, hash, ") +
           (s.step() ? "content" : "NULL") + " FROM audit ";
}

}  // namespace

std::string os_account() {
    // getpwuid_r: the GUI may open stores from more than one thread.
    std::array<char, 4096> buf{};
    struct passwd pw {};
    struct passwd* found = nullptr;
    uid_t uid = ::geteuid();
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
        found->pw_name != nullptr) {
        return found->pw_name;
    }
    return "uid " + std::to_string(uid);
}

std::string file_sha256(const std::filesystem::path& path) {
    try {
        return myo::sha256_file(path);
    } catch (const std::runtime_error&) {
        throw StoreError("cannot read " + path.string() + " to compute its SHA-256");
    }
}

std::string audit_row_hash(const AuditEntry& e) {
    std::string text = "myoscreen-audit-1\n";
    field(text, "seq", std::to_string(e.seq));
    field(text, "at", e.at);
    field(text, "clinician", e.clinician);
    field(text, "os_user", e.os_user);
    field(text, "action", e.action);
    field(text, "patient", e.patient_id);
    field(text, "assessment",
          e.assessment ? std::optional<std::string>(std::to_string(*e.assessment)) : std::nullopt);
    field(text, "summary", e.summary);
    if (e.content) {
        // Only present from schema 5 on, so the rows written before keep their hashes.
        field(text, "content", e.content);
    }
    field(text, "prev", e.prev_hash);
    return sha256_hex(text);
}

AuditEntry append_audit(Connection& c, std::string_view os_user, std::string_view action,
                        const AuditRef& ref, std::string_view summary) {
    AuditEntry e;
    // Read inside the caller's IMMEDIATE transaction: writers are serialised, so no two rows
    // can claim the same predecessor.
    {
        Statement last = c.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (last.step()) {
            e.seq = last.int64(0) + 1;
            e.prev_hash = last.text(1);
        } else {
            e.seq = 1;
            e.prev_hash = kGenesis;
        }
    }
    {
        Statement who = c.prepare("SELECT value FROM settings WHERE key = 'clinician_name'");
        if (who.step()) {
            e.clinician = who.text(0);
        }
    }
    e.at = c.query_text("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    e.os_user = os_user;
    e.action = action;
    e.patient_id = ref.patient_id;
    e.assessment = ref.assessment;
    e.summary = summary;
    bool with_content = has_table(c, "content_digest");
    if (with_content) {
        e.content = stored_digest(c);
    }
    e.hash = audit_row_hash(e);
    Statement insert = c.prepare(
        with_content
            ? "INSERT INTO audit (seq, at, clinician, os_user, action, patient, assessment, "
              "summary, prev_hash, hash, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
              "?10, ?11)"
            : "INSERT INTO audit (seq, at, clinician, os_user, action, patient, assessment, "
              "summary, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    insert.bind(1, e.seq).bind(2, e.at).bind(3, e.clinician).bind(4, e.os_user);
    insert.bind(5, e.action).bind(6, e.patient_id).bind(7, e.assessment).bind(8, e.summary);
    insert.bind(9, e.prev_hash).bind(10, e.hash);
    if (with_content) {
        insert.bind(11, e.content);
    }
    insert.run();
    return e;
}

std::vector<AuditEntry> read_audit(Connection& c, const std::optional<std::string>& patient_id) {
    std::vector<AuditEntry> out;
    if (patient_id) {
        Statement s = c.prepare(columns(c) + "WHERE patient = ?1 ORDER BY seq");
        s.bind(1, *patient_id);
        while (s.step()) {
            out.push_back(read_row(s));
        }
    } else {
        Statement s = c.prepare(columns(c) + "ORDER BY seq");
        while (s.step()) {
            out.push_back(read_row(s));
        }
    }
    return out;
}

ChainVerifier::ChainVerifier() : prev_(kGenesis) {}

void ChainVerifier::broken(std::int64_t seq, std::string problem) {
    v_.ok = false;
    v_.first_broken = seq;
    v_.problem = std::move(problem);
}

bool ChainVerifier::next(const AuditEntry& e) {
    ++v_.rows;
    if (e.seq != expected_seq_) {
        broken(expected_seq_, "row " + std::to_string(expected_seq_) +
                                  " is missing (the next row is " + std::to_string(e.seq) + ")");
        return false;
    }
    if (e.prev_hash != prev_) {
        broken(e.seq, "row " + std::to_string(e.seq) +
                          " does not follow the row before it (its previous-row hash "
                          "differs): a row before it was changed, removed or inserted");
        return false;
    }
    if (audit_row_hash(e) != e.hash) {
        broken(e.seq, "row " + std::to_string(e.seq) +
                          " was changed after it was written (its hash does not match "
                          "its content)");
        return false;
    }
    if (e.content) {
        v_.content = e.content;
    } else if (v_.content) {
        broken(e.seq, "row " + std::to_string(e.seq) +
                          " has lost the content digest the rows before it carry");
        return false;
    }
    prev_ = e.hash;
    ++expected_seq_;
    return true;
}

AuditVerification ChainVerifier::finish(std::int64_t issued) {
    if (v_.ok) {
        // Removing the newest rows leaves an intact chain; the highest number ever handed out
        // tells.
        std::int64_t last = expected_seq_ - 1;
        if (issued > last) {
            broken(last + 1, "row " + std::to_string(last + 1) + " and any after it are missing (" +
                                 std::to_string(issued) + " rows were written)");
        }
        v_.head = last > 0 ? prev_ : std::string();
        v_.head_seq = last;
    }
    return v_;
}

AuditVerification verify_audit_chain(Connection& c) {
    // One snapshot; a caller already inside a transaction has one.
    std::optional<Transaction> snapshot;
    if (sqlite3_get_autocommit(c.handle()) != 0) {
        snapshot.emplace(c, Transaction::Kind::Deferred);
    }
    ChainVerifier check;
    {
        Statement s = c.prepare(columns(c) + "ORDER BY seq");
        while (s.step() && check.next(read_row(s))) {
        }
    }
    std::int64_t issued = 0;
    if (check.intact()) {
        // The highest number ever handed out: AUTOINCREMENT's record.
        Statement s = c.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit'");
        issued = s.step() ? s.int64(0) : 0;
    }
    AuditVerification v = check.finish(issued);
    if (snapshot) {
        snapshot->commit();
    }
    return v;
}

}  // namespace myo::store
