#pragma once
// The chain record (issue 10): the audit trail's head kept outside the database, in a small
// file beside it, "<database>.chain", so that cutting the newest rows or wiping the whole
// trail inside the file is found (the file alone cannot show what it no longer holds).
//
// Two fixed 512-byte slots, each with its own checksum, are overwritten in turn (no rename,
// so one fdatasync and no folder fsync); the reader takes the valid slot with the higher
// generation, so a write torn by a power cut leaves the state before it. It is written twice
// per saved change: just before the commit, durably, with the head being committed as
// "pending" beside the head before it; and just after the commit, without an fsync, as the
// committed head alone. A crash or power cut anywhere leaves a record naming the database's
// head (as pending or committed), and both are accepted; the second write only narrows what is
// accepted (a cut of the last change is then found too), so it need not cost an fsync. A
// record that cannot be read is treated like a missing one.
//
// Someone who can rewrite both the database and this file can still rewrite the history
// consistently; the README says so.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace myo::store {

struct ChainHead {
    std::int64_t seq = 0;  // the newest row's number; 0 for an empty trail
    std::string hash;      // its hash; "" for an empty trail

    bool operator==(const ChainHead&) const = default;
};

struct ChainRecord {
    ChainHead committed;
    std::optional<ChainHead> pending;  // a commit under way when it was written
};

std::filesystem::path chain_record_path(const std::filesystem::path& database);

// nullopt when there is no record; throws StoreError when there is one that cannot be read.
std::optional<ChainRecord> read_chain_record(const std::filesystem::path& database);

// Writes the record atomically and durably. Never moves the record back: within this process,
// a record naming a newer committed head than `record` is left in place (two Stores of one
// process commit in turn but may report after one another). Throws StoreError.
// `durable`: fsync the file and its folder before returning (false: the page cache is enough,
// see above).
void write_chain_record(const std::filesystem::path& database, const ChainRecord& record,
                        bool durable = true);

// "row 12 (3f2a…)" for messages.
std::string describe(const ChainHead& head);

}  // namespace myo::store
