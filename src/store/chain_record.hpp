#pragma once
// The chain record (issue 10): the audit trail's head kept outside the database, in a small
// file beside it, "<database>.chain", so that cutting the newest rows or wiping the whole
// trail inside the file is found (the file alone cannot show what it no longer holds).
//
// It is written atomically (a temporary "<database>.chain.new-<pid>", fsynced, renamed, the
// folder fsynced) twice per saved change: just before the commit with the head being committed
// as "pending", and just after it as the committed head. A crash between the two leaves the
// database at one of the two heads the record names, and both are accepted.
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
void write_chain_record(const std::filesystem::path& database, const ChainRecord& record);

// "row 12 (3f2a…)" for messages.
std::string describe(const ChainHead& head);

}  // namespace myo::store
