#pragma once
// The offline journal (issue 14, "Server down, cable out"): what an editor could not send to
// the clinic server, kept on this computer until the server answers again, then replayed with
// the version check.
//
// One SQLite file per server and database, in the user's data folder
// (<data folder>/offline/<server>-<database>.db, folder 0700, file 0600), written as the store
// writes its own file: write-ahead log, synchronous FULL, every change in a transaction, so a
// change the editor was told is kept survives a crash or a power cut.
//
// Each entry is one change: a draft created (its visit gets a local placeholder id, negative,
// until the server gives it a real one), a save of a draft's whole document based on the row
// version it was read at, or a sign-off. replay() sends them in the order they were made.
// Beside them, the audit events of what was done offline outside the store (a PDF written from
// the local copy): sent after the changes (a visit created offline has its number by then),
// each once, its summary naming when and by which login it happened on this computer.
// Rules a user relies on:
// - Nothing is dropped unseen. A save the server refuses because the draft changed elsewhere
//   (ChangedElsewhere), a draft finalised or discarded elsewhere, stays in the journal marked
//   as a conflict (with the server's words), and so do the later changes of the same draft:
//   the person chooses in the conflict dialog (drop_draft once chosen).
// - An entry is removed only in the journal transaction that follows the server's commit. A
//   crash between the two is safe: replay is idempotent. A save or a sign-off the server
//   already holds (the same document) is recognised as sent; a creation whose draft the server
//   already holds (same patient, same document, a draft no journal entry knows) is not made
//   twice.
// One OfflineJournal per thread (its connection has no mutex); two may open the same file.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "store/audit.hpp"
#include "store/connection.hpp"

namespace myo::store {

class Store;

struct JournalEntry {
    enum class Kind { Create, Save, Finalize };
    std::int64_t seq = 0;  // order of recording
    Kind kind = Kind::Save;
    // The server's assessment id, or a placeholder (< 0) of a visit created offline.
    std::int64_t draft = 0;
    // The row version the change is based on (what the server had when the editor read it);
    // 0 for a creation.
    std::int64_t base_version = 0;
    std::string document;  // write_assessment(); a sign-off carries the document signed
    std::string at;        // when it was recorded (UTC, ISO)
    std::string conflict;  // empty, or why the server refused it at a replay
};

// An audit event kept for the server's trail (Store::record_event) while it was away.
struct JournalEvent {
    std::int64_t seq = 0;
    std::string action;  // audit_action::*
    // The record; an assessment < 0 is a visit created offline (the replay names its server id).
    AuditRef ref;
    // As recorded: what happened, when (UTC, with milliseconds) and by which login, so that the
    // trail says it even though its row is stamped when the server receives it; and each
    // event's summary is its own (how a replay killed after the server's commit knows it).
    std::string summary;
    std::string refused;  // empty, or why the server refused it at a replay (not retried)
};

class OfflineJournal {
  public:
    // Opens or creates the journal file (and its folder).
    explicit OfflineJournal(const std::filesystem::path& path);
    // Where the journal of `store`'s server and database lives: beside that database's backup
    // folder name (Store::backup_folder), under <data folder>/offline.
    static std::filesystem::path path_for(Store& store);

    const std::filesystem::path& path() const { return path_; }

    // Records a change; returns its seq. record_create returns the placeholder id (< 0) that
    // stands for the new visit in later entries until the replay creates it. A change of a
    // draft whose earlier changes still wait carries their base (a replay moves it on as it
    // sends them); a placeholder the replay has created since is recorded under the server's
    // id.
    std::int64_t record_save(std::int64_t draft, std::int64_t base_version, const Assessment& a);
    std::int64_t record_finalize(std::int64_t draft, std::int64_t base_version,
                                 const Assessment& a);
    std::int64_t record_create(const Assessment& a);
    // An audit event done offline by `login` (the trail's row then says "(offline on this
    // computer at <UTC time> as <login>)" after `summary`); returns its seq.
    std::int64_t record_event(std::string_view action, const AuditRef& ref,
                              const std::string& summary, const std::string& login);

    // Every entry, oldest first.
    std::vector<JournalEntry> entries();
    // The audit events waiting (and refused ones), oldest first.
    std::vector<JournalEvent> events();
    // What a replay would send: the entries of drafts without a conflict, and the events not
    // refused (but those of a visit created offline whose creation is a conflict).
    std::size_t pending();
    // Drafts with a conflict (waiting for the person).
    std::size_t conflicts();
    // The conflict entry of `draft`, if one waits.
    std::optional<JournalEntry> conflict_of(std::int64_t draft);
    // The newest document recorded for `draft` (what the editor showed last), if any.
    std::optional<std::string> latest_document(std::int64_t draft);

    // The server committed entry `seq`: removes it and, in the same transaction, makes the
    // later entries of its draft carry `server_id` (a created placeholder's real id) and
    // `new_version` (the base of the next save).
    void sent(std::int64_t seq, std::int64_t draft, std::int64_t server_id,
              std::int64_t new_version);
    void mark_conflict(std::int64_t seq, const std::string& why);
    // The server holds event `seq` (removed), or refused it (kept, marked, never resent).
    void event_sent(std::int64_t seq);
    void event_refused(std::int64_t seq, const std::string& why);
    // The server's id of a visit created offline as `placeholder`, once a replay created it.
    std::optional<std::int64_t> server_id_of(std::int64_t placeholder);
    // Whether entries of `draft` still wait (a placeholder whose creation waits or conflicts).
    bool has_entries(std::int64_t draft);
    // The person chose (kept theirs, or saved theirs over it): the draft's entries go.
    void drop_draft(std::int64_t draft);

  private:
    std::int64_t append(JournalEntry::Kind kind, std::int64_t draft, std::int64_t base,
                        const std::string& document);
    std::filesystem::path path_;
    Connection c_;
};

// What a replay did.
struct ReplayReport {
    int sent = 0;       // entries the server committed now
    int already = 0;    // entries the server already held (a replay after a crash)
    int conflicts = 0;  // entries left for the person (marked now or before)
    int events = 0;     // audit events the server holds now (or held already)
    // Placeholder id -> the server's id of each visit created.
    std::map<std::int64_t, std::int64_t> created;
    // The row version of each draft after its entries were sent: what the editor carries next.
    std::map<std::int64_t, std::int64_t> versions;
    // The drafts signed off.
    std::vector<std::int64_t> finalised;
    // The server went away again during the replay (what remains is sent next time).
    bool unreachable = false;
    std::string error;  // its message
};

// Sends the journal's entries to `store` in order (see OfflineJournal). Stops at the first
// ConnectFailed (unreachable set); any other refusal of an entry marks it as a conflict.
// `on_sent(draft, server_id, version)` is told of each entry the server holds, before the
// journal forgets it (an editor moves its copy's version on).
using ReplaySent =
    std::function<void(std::int64_t draft, std::int64_t server_id, std::int64_t version)>;
ReplayReport replay(Store& store, OfflineJournal& journal, const Definitions& defs,
                    const ReplaySent& on_sent = {});

}  // namespace myo::store
