#include "store/sqlite/sqlite_backend.hpp"

#include "store/chain_keeper.hpp"
#include "store/chain_record.hpp"
#include "store/tamper_check.hpp"
#include "store/writer_lock.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

class SqliteTransaction final : public BackendTransaction {
  public:
    SqliteTransaction(Connection& c, Transaction::Kind kind) : tx_(c, kind) {}
    void commit() override { tx_.commit(); }

  private:
    Transaction tx_;
};

}  // namespace

SqliteBackend::SqliteBackend(const fs::path& path, const Definitions& defs,
                             const OpenOptions& options)
    : defs_(defs),
      os_user_(os_account()),
      db_(open_database(path, options, [this, &path, &options] {
          lock_ = WriterLock::acquire(path, options.lock_timeout_ms < 0 ? options.busy_timeout_ms
                                                                        : options.lock_timeout_ms);
      })) {
    if (!options.read_only) {
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

SqliteBackend::~SqliteBackend() = default;

std::unique_ptr<BackendTransaction> SqliteBackend::begin(TxKind kind) {
    return std::make_unique<SqliteTransaction>(
        db_, kind == TxKind::Read ? Transaction::Kind::Deferred : Transaction::Kind::Immediate);
}

void SqliteBackend::append_audit(std::string_view action, const AuditRef& ref,
                                 std::string_view summary) {
    auto append = [this](std::string_view act, const AuditRef& r, std::string_view text) {
        AuditEntry e = store::append_audit(db_, os_user_, act, r, text);
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

std::vector<AuditEntry> SqliteBackend::audit_trail(const std::optional<std::string>& patient_id) {
    return read_audit(db_, patient_id);
}

AuditVerification SqliteBackend::verify_audit() {
    return verify_audit_chain(db_);
}

fs::path SqliteBackend::backup_folder() const {
    fs::path dir = path().parent_path().empty() ? fs::path(".") : path().parent_path();
    return dir / "backups";
}

std::uintmax_t SqliteBackend::database_bytes() {
    // The database's size as SQLite counts it (its pages, the write-ahead log's included).
    return static_cast<std::uintmax_t>(db_.query_int("PRAGMA page_count") *
                                       db_.query_int("PRAGMA page_size"));
}

}  // namespace myo::store
