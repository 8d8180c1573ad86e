#include "store/chain_keeper.hpp"

#include <sqlite3.h>

#include <exception>

namespace myo::store {

namespace {

// SQLite's default: a checkpoint when the log passes 1000 pages. Installing a write-ahead-log
// hook replaces SQLite's own automatic checkpoint, so the hook does it.
constexpr int kCheckpointPages = 1000;

int on_commit(void* keeper) {
    static_cast<ChainKeeper*>(keeper)->before_commit();
    return 0;
}

void on_rollback(void* keeper) {
    static_cast<ChainKeeper*>(keeper)->rolled_back();
}

int on_wal(void* keeper, sqlite3* /*db*/, const char* schema, int pages) {
    static_cast<ChainKeeper*>(keeper)->after_commit(pages, schema);
    return SQLITE_OK;
}

}  // namespace

ChainKeeper::ChainKeeper(const std::filesystem::path& database, sqlite3* db)
    : database_(database), db_(db) {
    sqlite3_commit_hook(db_, on_commit, this);
    sqlite3_rollback_hook(db_, on_rollback, this);
    sqlite3_wal_hook(db_, on_wal, this);
}

ChainKeeper::~ChainKeeper() {
    sqlite3_commit_hook(db_, nullptr, nullptr);
    sqlite3_rollback_hook(db_, nullptr, nullptr);
    sqlite3_wal_autocheckpoint(db_, kCheckpointPages);
}

void ChainKeeper::appended(const ChainHead& before, const ChainHead& row) {
    if (!base_) {
        base_ = before;
    }
    head_ = row;
}

// Best effort, like every hook: a record that could not be written shows at the next opening
// as a difference to look into, never as a lost save.
void ChainKeeper::before_commit() {
    if (!head_) {
        return;
    }
    try {
        write_chain_record(database_, {base_.value_or(ChainHead{}), head_});
    } catch (const std::exception&) {
    }
}

void ChainKeeper::after_commit(int wal_pages, const char* schema) {
    if (head_) {
        try {
            // No fsync: if this write is lost, the durable one before the commit still names
            // the head (as pending).
            write_chain_record(database_, {*head_, std::nullopt}, false);
            lost_ = false;
        } catch (const std::exception&) {
        }
    }
    base_.reset();
    head_.reset();
    if (wal_pages >= kCheckpointPages) {
        sqlite3_wal_checkpoint_v2(db_, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
}

void ChainKeeper::rolled_back() {
    base_.reset();
    head_.reset();
}

}  // namespace myo::store
