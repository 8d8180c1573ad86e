#pragma once
// Keeps the chain record (store/chain_record.hpp) of a Store's connection up to date: the
// store tells it each audit row it appends; SQLite's commit hook writes the record with the
// new head as pending just before the commit, the write-ahead-log hook (called after the
// commit is durable) writes it as committed. Owned by the Store, at a fixed address (the
// hooks hold a pointer to it).

#include <filesystem>
#include <optional>

#include "store/chain_record.hpp"

struct sqlite3;

namespace myo::store {

class ChainKeeper {
  public:
    ChainKeeper(const std::filesystem::path& database, sqlite3* db);
    ~ChainKeeper();
    ChainKeeper(const ChainKeeper&) = delete;
    ChainKeeper& operator=(const ChainKeeper&) = delete;

    // An audit row was appended in the open transaction: `before` is the head it follows.
    void appended(const ChainHead& before, const ChainHead& row);

    // The record was missing at opening (and the trail is not new): the next audited change
    // first records that, and its commit writes the record anew.
    void mark_lost() { lost_ = true; }
    bool lost() const { return lost_; }
    // Rows were appended in the open transaction.
    bool has_pending() const { return head_.has_value(); }

    // The hooks' work, public for the C callbacks.
    void before_commit();
    void after_commit(int wal_pages, const char* schema);
    void rolled_back();

  private:
    std::filesystem::path database_;
    sqlite3* db_;
    std::optional<ChainHead> base_;  // the head before the open transaction's first row
    std::optional<ChainHead> head_;  // the newest row appended in it
    bool lost_ = false;
};

}  // namespace myo::store
