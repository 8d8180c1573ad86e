// The SQLite ends of db copy (store/copy_ends.hpp): a file read in one snapshot, read-only, and
// a new file written under a temporary name beside the target, renamed into place once verified.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "core/text_input.hpp"
#include "fileio/output_file.hpp"
#include "hash/sha256.hpp"
#include "store/audit.hpp"
#include "store/chain_record.hpp"
#include "store/copy_ends.hpp"
#include "store/paths.hpp"
#include "store/schema.hpp"
#include "store/store_copy.hpp"
#include "store/tamper_check.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

// A file name as a message or the copy's report shows it: a name is the user's text, and may
// hold a terminal escape (quote_for_message).
std::string shown(const fs::path& p) {
    return quote_for_message(p.string(), 200);
}

std::string select_sql(const CopyTable& t) {
    std::string cols;
    for (const auto& c : t.columns) {
        cols += (cols.empty() ? "" : ", ") + c;
    }
    return "SELECT " + cols + " FROM " + t.name + " ORDER BY " + t.sqlite_order;
}

void read_rows(Connection& c, const CopyTable& t, bool hashed_documents, const RowReader& each) {
    Statement s = c.prepare(select_sql(t));
    CopyValues row(t.columns.size());
    while (s.step()) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            row[i] = s.opt_text(static_cast<int>(i));
            if (hashed_documents && row[i] && t.columns[i] == "document") {
                row[i] = sha256_hex(*row[i]);
            }
        }
        each(row);
    }
}

std::int64_t issued_in(Connection& c, const std::string& table) {
    std::int64_t top = 0;
    if (table == "patients" || table == "assessments") {
        top = c.query_int("SELECT coalesce(max(id), 0) FROM " + table);
    }
    // AUTOINCREMENT's record of the highest id handed out (assessments, audit).
    Statement s = c.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?1");
    s.bind(1, table);
    if (s.step()) {
        top = std::max(top, s.int64(0));
    }
    return top;
}

// A read-only connection to a write-ahead-log database creates -wal and -shm beside it and,
// unable to checkpoint, leaves them. The copy leaves the source's folder as it found it: once
// its connection is closed, the companions it created (the -wal still empty) are removed, when
// no other connection has the database open: SQLite's own test, the exclusive lock on the
// -shm's "DMS" byte that every open connection holds shared (os_unix.c, UNIX_SHM_DMS).
class SidecarCleanup {
  public:
    explicit SidecarCleanup(const fs::path& db)
        : wal_(db.string() + "-wal"), shm_(db.string() + "-shm") {
        std::error_code ec;
        had_wal_ = fs::exists(fs::symlink_status(wal_, ec));
        had_shm_ = fs::exists(fs::symlink_status(shm_, ec));
    }
    SidecarCleanup(const SidecarCleanup&) = delete;
    SidecarCleanup& operator=(const SidecarCleanup&) = delete;
    ~SidecarCleanup() {
        std::error_code ec;
        const bool new_wal = !had_wal_ && fs::exists(fs::symlink_status(wal_, ec));
        const bool new_shm = !had_shm_ && fs::exists(fs::symlink_status(shm_, ec));
        if ((!new_wal && !new_shm) || (new_wal && fs::file_size(wal_, ec) != 0)) {
            return;  // nothing of ours, or someone wrote meanwhile: theirs now
        }
        int fd = ::open(shm_.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            if (new_wal && !fs::exists(fs::symlink_status(shm_, ec))) {
                fs::remove(wal_, ec);
            }
            return;
        }
        constexpr off_t kDmsByte = 128;  // (22 + 8) * 4 + 8
        struct flock lock {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = kDmsByte;
        lock.l_len = 1;
        if (::fcntl(fd, F_SETLK, &lock) == 0) {
            if (new_wal) {
                fs::remove(wal_, ec);
            }
            if (new_shm) {
                fs::remove(shm_, ec);
            }
        }
        ::close(fd);  // releases the lock
    }

  private:
    fs::path wal_;
    fs::path shm_;
    bool had_wal_ = false;
    bool had_shm_ = false;
};

class SqliteCopySource final : public CopySource {
  public:
    explicit SqliteCopySource(const fs::path& path) : path_(path), sidecars_(path) {
        OpenOptions options;
        options.read_only = true;  // nothing created, migrated or written; no lock file
        c_.emplace(open_database(path, options));
        // One snapshot for the whole copy.
        snapshot_.emplace(*c_, Transaction::Kind::Deferred);
        // What a writer's opening refuses, a copy refuses too: records or a schema changed
        // around MyoScreen would otherwise come out of the copy with a fresh digest and a trail
        // that vouches for them.
        TamperCheck how;
        how.depth = TamperCheck::Depth::Quick;
        TamperReport found = check_for_tampering(*c_, path_, how);
        if (!found.problems.empty()) {
            throw CopyRefused(shown(path_) + " was changed outside MyoScreen (" +
                              found.problems.front() +
                              "); db copy copies a store only as MyoScreen wrote it: run "
                              "'myoscreen-cli --db " +
                              shown(path_) +
                              " db check' for every finding, or restore a backup; nothing was "
                              "written");
        }
    }
    std::string describe() const override { return shown(path_); }
    std::string identity() override {
        struct stat st {};
        if (::stat(path_.c_str(), &st) != 0) {
            return "file " + path_.string();
        }
        return "file " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    }
    void rows(const CopyTable& t, bool hashed_documents, const RowReader& each) override {
        read_rows(*c_, t, hashed_documents, each);
    }
    std::int64_t issued(const std::string& table) override { return issued_in(*c_, table); }

  private:
    fs::path path_;
    SidecarCleanup sidecars_;  // destroyed last: after the connection is closed
    std::optional<Connection> c_;
    std::optional<Transaction> snapshot_;
};

class SqliteCopyTarget final : public CopyTarget {
  public:
    explicit SqliteCopyTarget(const fs::path& path) : path_(path) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(path_, ec))) {
            throw CopyRefused(shown(path_) +
                              " already exists; db copy writes a new SQLite file and never over "
                              "one, choose a new name; nothing was written");
        }
        if (fs::exists(fs::symlink_status(chain_record_path(path_), ec))) {
            throw CopyRefused(shown(chain_record_path(path_)) +
                              " (the chain record of a database of that name) already exists; "
                              "choose a new name; nothing was written");
        }
        fs::path dir = path_.parent_path().empty() ? fs::path(".") : path_.parent_path();
        if (!fs::is_directory(dir, ec)) {
            throw CopyRefused("the folder " + shown(dir) + " of " + shown(path_) +
                              " does not exist; nothing was written");
        }
        try {
            temp_.emplace(dir);
        } catch (const fileio::OutputError& e) {
            throw CopyFailed(std::string("cannot write in ") + shown(dir) + ": " + e.what());
        }
    }

    std::string describe() const override { return shown(path_); }
    std::string identity() override { return "new file " + path_.string(); }
    void rows(const CopyTable& t, bool hashed_documents, const RowReader& each) override {
        read_rows(*c_, t, hashed_documents, each);
    }
    std::int64_t issued(const std::string& table) override { return issued_in(*c_, table); }

    std::string begin() override {
        OpenOptions options;
        options.chain_record = false;  // not the live database until it is renamed into place
        c_.emplace(open_database(temp_->path(), options));
        // One transaction, thrown away with the file on failure: no write-ahead log to fold
        // afterwards, a rollback journal in memory, and a durable sync once, at the end.
        c_->exec("PRAGMA journal_mode = MEMORY");
        c_->exec("PRAGMA synchronous = OFF");
        c_->exec("PRAGMA cache_size = -32000");
        tx_.emplace(*c_, Transaction::Kind::Immediate);
        // A new file's trail starts with its own "audit trail started" row; the copied trail
        // replaces it. The append-only trigger is put back exactly as it was (its SQL read from
        // the schema), so the file's schema is the one MyoScreen creates.
        std::string trigger = c_->query_text(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = "
            "'audit_rows_are_not_deleted'");
        c_->exec("DROP TRIGGER audit_rows_are_not_deleted");
        c_->exec("DELETE FROM audit");
        c_->exec(trigger.c_str());
        c_->exec("DELETE FROM sqlite_sequence WHERE name = 'audit'");
        return "";
    }

    void write(const CopyTable& t, const std::function<void(const RowReader&)>& produce) override {
        std::string cols;
        std::string marks;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            cols += (i == 0 ? "" : ", ") + t.columns[i];
            marks += (i == 0 ? "?" : ", ?") + std::to_string(i + 1);
        }
        Statement insert =
            c_->prepare("INSERT INTO " + t.name + " (" + cols + ") VALUES (" + marks + ")");
        produce([&](const CopyValues& row) {
            insert.reset();
            for (std::size_t i = 0; i < row.size(); ++i) {
                insert.bind(static_cast<int>(i + 1), row[i]);
            }
            insert.run();
        });
    }

    void finish_rows(std::int64_t /*patients_issued*/, std::int64_t assessments_issued) override {
        // The ids the source handed out stay handed out (the audit trail may name them).
        if (assessments_issued > 0) {
            Statement up = c_->prepare(
                "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'assessments'");
            up.bind(1, assessments_issued).run();
            if (c_->changes() == 0) {
                Statement add = c_->prepare(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES ('assessments', ?1)");
                add.bind(1, assessments_issued).run();
            }
        }
    }

    void append_copy_row(const std::string& summary) override {
        AuditEntry row = append_audit(*c_, os_account(), audit_action::kCopy, {}, summary);
        head_ = {row.seq, row.hash};
        tx_->commit();
        tx_.reset();
        // What MyoScreen will check when it opens the file: its schema, its records against
        // the content digest, the digest against the newest audit row.
        TamperCheck how;
        how.depth = TamperCheck::Depth::Quick;
        how.chain_record = false;
        TamperReport report = check_for_tampering(*c_, temp_->path(), how);
        if (!report.problems.empty()) {
            throw CopyFailed("the copy did not verify: " + report.problems.front() +
                             "; nothing was placed at " + shown(path_));
        }
    }

    void commit() override {
        c_->query_text("PRAGMA journal_mode = WAL");
        c_.reset();
        sync_path(temp_->path());
        // The chain record first: a file renamed into place without one would be reported as
        // missing its record; one without the file is removed below.
        write_chain_record(path_, {head_, std::nullopt});
        try {
            temp_->place_new(path_, "db copy writes a new file, choose a new name");
        } catch (...) {
            std::error_code ec;
            fs::remove(chain_record_path(path_), ec);
            throw;
        }
    }

  private:
    fs::path path_;
    std::optional<fileio::TempFile> temp_;
    std::optional<Connection> c_;
    std::optional<Transaction> tx_;
    ChainHead head_;
};

}  // namespace

std::unique_ptr<CopySource> open_sqlite_copy_source(const std::string& path) {
    return std::make_unique<SqliteCopySource>(path);
}

std::unique_ptr<CopyTarget> open_sqlite_copy_target(const std::string& path) {
    return std::make_unique<SqliteCopyTarget>(path);
}

}  // namespace myo::store
