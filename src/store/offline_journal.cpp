#include "store/offline_journal.hpp"

#include <chrono>
#include <ctime>
#include <set>

#include "store/errors.hpp"
#include "store/paths.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"

namespace myo::store {

namespace {

namespace fs = std::filesystem;

// 1: the entries; 2: the audit events beside them.
constexpr int kJournalVersion = 2;

const char* kind_name(JournalEntry::Kind k) {
    switch (k) {
        case JournalEntry::Kind::Create:
            return "create";
        case JournalEntry::Kind::Finalize:
            return "finalize";
        case JournalEntry::Kind::Save:
            break;
    }
    return "save";
}

JournalEntry::Kind kind_of(const std::string& s) {
    if (s == "create") {
        return JournalEntry::Kind::Create;
    }
    return s == "finalize" ? JournalEntry::Kind::Finalize : JournalEntry::Kind::Save;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// With milliseconds, as the trail's own times: two PDFs of one second have their own summaries.
std::string utc_now_ms() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}

Connection open_checked(const fs::path& path);

Connection open_journal(const fs::path& path) {
    // What waits for the server is written here: a link (to the store itself, or anywhere), a
    // folder, a device or another program's database is refused naming it, never written into.
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(path, ec);
    if (st.type() == fs::file_type::not_found) {
        create_private_directories(path.parent_path());
        create_private_file(path);
    } else if (ec || !fs::is_regular_file(st)) {
        throw StoreError("the offline journal " + path.string() +
                         " is not a file of its own (a link, a folder or a device); move it "
                         "away: MyoScreen keeps the changes that wait for the server there");
    }
    try {
        return open_checked(path);
    } catch (const Damaged&) {
        // Not SQLite, or a damaged page: the store's own advice (restore a backup) does not
        // fit a journal, which has no backup.
        throw StoreError("the offline journal " + path.string() +
                         " cannot be read (it is not an SQLite file, or it is damaged); move "
                         "it away and start again");
    } catch (const SqliteError& e) {
        throw StoreError("the offline journal " + path.string() + " cannot be read (" + e.what() +
                         "); move it away and start again");
    }
}

Connection open_checked(const fs::path& path) {
    Connection c(path, Connection::Mode::ReadWrite);
    c.set_busy_timeout(5000);
    // As the store's own file (schema.cpp): a change recorded survives a power cut.
    if (c.query_text("PRAGMA journal_mode = WAL") != "wal") {
        throw StoreError("cannot switch the offline journal " + path.string() +
                         " to write-ahead logging; keep the data folder on a local disk");
    }
    c.exec("PRAGMA synchronous = FULL");
    c.exec("PRAGMA trusted_schema = OFF");
    std::int64_t version = c.query_int("PRAGMA user_version");
    if (version > kJournalVersion) {
        throw StoreError("the offline journal " + path.string() +
                         " was written by a newer MyoScreen; it is left as it is");
    }
    if (version == 0 && c.query_int("SELECT count(*) FROM sqlite_master") != 0) {
        throw StoreError("the offline journal " + path.string() +
                         " holds another program's tables; it is left as it is");
    }
    if (version == 0) {
        Transaction tx(c);
        c.exec(
            "CREATE TABLE IF NOT EXISTS entries ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kind TEXT NOT NULL CHECK (kind IN ('create', 'save', 'finalize')),"
            " draft INTEGER NOT NULL,"
            " base_version INTEGER NOT NULL,"
            " document TEXT NOT NULL,"
            " at TEXT NOT NULL,"
            " conflict TEXT NOT NULL DEFAULT '')");
        c.exec("CREATE INDEX IF NOT EXISTS entries_draft ON entries (draft)");
        // The visits created by a replay: a change recorded under the placeholder afterwards
        // (the editor learns the new id a moment later) goes to the server's id.
        c.exec(
            "CREATE TABLE IF NOT EXISTS created ("
            " placeholder INTEGER PRIMARY KEY, server_id INTEGER NOT NULL)");
        c.exec("PRAGMA user_version = 1");
        tx.commit();
        version = 1;
    }
    if (version == 1) {
        // The audit events of what was done offline (a PDF): kept apart from the entries, which
        // are a draft's versions and follow their own rules (base, conflict, drop_draft).
        Transaction tx(c);
        c.exec(
            "CREATE TABLE IF NOT EXISTS events ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " action TEXT NOT NULL,"
            " patient TEXT,"
            " assessment INTEGER,"
            " summary TEXT NOT NULL,"
            " refused TEXT NOT NULL DEFAULT '')");
        c.exec("PRAGMA user_version = 2");
        tx.commit();
    }
    return c;
}

JournalEntry read_entry(Statement& s) {
    JournalEntry e;
    e.seq = s.int64(0);
    e.kind = kind_of(s.text(1));
    e.draft = s.int64(2);
    e.base_version = s.int64(3);
    e.document = s.text(4);
    e.at = s.text(5);
    e.conflict = s.text(6);
    return e;
}

constexpr const char* kColumns = "seq, kind, draft, base_version, document, at, conflict";

}  // namespace

OfflineJournal::OfflineJournal(const fs::path& path) : path_(path), c_(open_journal(path)) {}

fs::path OfflineJournal::path_for(Store& store) {
    // The backup folder's last part names the server and database ("local_5433-riverside"),
    // the same for every way of writing the connection string.
    return default_database_path().parent_path() / "offline" /
           (store.backup_folder().filename().string() + ".db");
}

std::int64_t OfflineJournal::append(JournalEntry::Kind kind, std::int64_t draft, std::int64_t base,
                                    const std::string& document) {
    Transaction tx(c_);
    if (draft < 0) {
        Statement m = c_.prepare("SELECT server_id FROM created WHERE placeholder = ?");
        m.bind(1, draft);
        if (m.step()) {
            draft = m.int64(0);
        }
    }
    {
        // Behind changes of the same draft still waiting: their base, which the replay moves.
        Statement b = c_.prepare(
            "SELECT base_version FROM entries WHERE draft = ? ORDER BY seq DESC LIMIT 1");
        b.bind(1, draft);
        if (b.step()) {
            base = b.int64(0);
        }
    }
    Statement s = c_.prepare(
        "INSERT INTO entries (kind, draft, base_version, document, at) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, kind_name(kind)).bind(2, draft).bind(3, base).bind(4, document).bind(5, utc_now());
    s.run();
    const std::int64_t seq = c_.last_insert_rowid();
    tx.commit();
    return seq;
}

std::int64_t OfflineJournal::record_save(std::int64_t draft, std::int64_t base_version,
                                         const Assessment& a) {
    return append(JournalEntry::Kind::Save, draft, base_version, write_assessment(a));
}

std::int64_t OfflineJournal::record_finalize(std::int64_t draft, std::int64_t base_version,
                                             const Assessment& a) {
    return append(JournalEntry::Kind::Finalize, draft, base_version, write_assessment(a));
}

std::int64_t OfflineJournal::record_create(const Assessment& a) {
    // The placeholder is minus the entry's seq: unique for the journal's life (AUTOINCREMENT
    // never reuses a seq), never a server id (those are positive).
    Transaction tx(c_);
    Statement s = c_.prepare(
        "INSERT INTO entries (kind, draft, base_version, document, at) "
        "VALUES ('create', 0, 0, ?, ?)");
    s.bind(1, write_assessment(a)).bind(2, utc_now());
    s.run();
    const std::int64_t seq = c_.last_insert_rowid();
    Statement u = c_.prepare("UPDATE entries SET draft = ? WHERE seq = ?");
    u.bind(1, -seq).bind(2, seq);
    u.run();
    tx.commit();
    return -seq;
}

std::int64_t OfflineJournal::record_event(std::string_view action, const AuditRef& ref,
                                          const std::string& summary, const std::string& login) {
    Transaction tx(c_);
    Statement s =
        c_.prepare("INSERT INTO events (action, patient, assessment, summary) VALUES (?, ?, ?, ?)");
    s.bind(1, std::string(action));
    if (ref.patient_id) {
        s.bind(2, *ref.patient_id);
    } else {
        s.bind_null(2);
    }
    if (ref.assessment) {
        s.bind(3, *ref.assessment);
    } else {
        s.bind_null(3);
    }
    s.bind(4, summary + " (offline on this computer at " + utc_now_ms() +
                  (login.empty() ? std::string() : " as " + login) + ")");
    s.run();
    const std::int64_t seq = c_.last_insert_rowid();
    tx.commit();
    return seq;
}

std::vector<JournalEvent> OfflineJournal::events() {
    Statement s = c_.prepare(
        "SELECT seq, action, patient, assessment, summary, refused FROM events ORDER BY seq");
    std::vector<JournalEvent> out;
    while (s.step()) {
        JournalEvent e;
        e.seq = s.int64(0);
        e.action = s.text(1);
        if (!s.is_null(2)) {
            e.ref.patient_id = s.text(2);
        }
        if (!s.is_null(3)) {
            e.ref.assessment = s.int64(3);
        }
        e.summary = s.text(4);
        e.refused = s.text(5);
        out.push_back(std::move(e));
    }
    return out;
}

void OfflineJournal::event_sent(std::int64_t seq) {
    Transaction tx(c_);
    Statement d = c_.prepare("DELETE FROM events WHERE seq = ?");
    d.bind(1, seq);
    d.run();
    tx.commit();
}

void OfflineJournal::event_refused(std::int64_t seq, const std::string& why) {
    Transaction tx(c_);
    Statement u = c_.prepare("UPDATE events SET refused = ? WHERE seq = ?");
    u.bind(1, why.empty() ? std::string("refused by the server") : why).bind(2, seq);
    u.run();
    tx.commit();
}

std::optional<std::int64_t> OfflineJournal::server_id_of(std::int64_t placeholder) {
    Statement m = c_.prepare("SELECT server_id FROM created WHERE placeholder = ?");
    m.bind(1, placeholder);
    if (!m.step()) {
        return std::nullopt;
    }
    return m.int64(0);
}

bool OfflineJournal::has_entries(std::int64_t draft) {
    Statement s = c_.prepare("SELECT 1 FROM entries WHERE draft = ? LIMIT 1");
    s.bind(1, draft);
    return s.step();
}

std::vector<JournalEntry> OfflineJournal::entries() {
    Statement s = c_.prepare(std::string("SELECT ") + kColumns + " FROM entries ORDER BY seq");
    std::vector<JournalEntry> out;
    while (s.step()) {
        out.push_back(read_entry(s));
    }
    return out;
}

std::size_t OfflineJournal::pending() {
    return static_cast<std::size_t>(
        c_.query_int("SELECT count(*) FROM entries WHERE draft NOT IN "
                     "(SELECT draft FROM entries WHERE conflict <> '')") +
        // An event of a visit created offline whose creation waits for the person (a
        // conflict) waits with it: not counted, or a replay would be asked for again at once.
        c_.query_int("SELECT count(*) FROM events WHERE refused = '' AND (assessment IS NULL "
                     "OR assessment NOT IN (SELECT draft FROM entries WHERE conflict <> ''))"));
}

std::size_t OfflineJournal::conflicts() {
    return static_cast<std::size_t>(
        c_.query_int("SELECT count(DISTINCT draft) FROM entries WHERE conflict <> ''"));
}

std::optional<JournalEntry> OfflineJournal::conflict_of(std::int64_t draft) {
    Statement s = c_.prepare(std::string("SELECT ") + kColumns +
                             " FROM entries WHERE draft = ? AND conflict <> '' ORDER BY seq "
                             "LIMIT 1");
    s.bind(1, draft);
    if (!s.step()) {
        return std::nullopt;
    }
    return read_entry(s);
}

std::optional<std::string> OfflineJournal::latest_document(std::int64_t draft) {
    Statement s =
        c_.prepare("SELECT document FROM entries WHERE draft = ? ORDER BY seq DESC LIMIT 1");
    s.bind(1, draft);
    if (!s.step()) {
        return std::nullopt;
    }
    return s.text(0);
}

void OfflineJournal::sent(std::int64_t seq, std::int64_t draft, std::int64_t server_id,
                          std::int64_t new_version) {
    Transaction tx(c_);
    Statement d = c_.prepare("DELETE FROM entries WHERE seq = ?");
    d.bind(1, seq);
    d.run();
    Statement u =
        c_.prepare("UPDATE entries SET draft = ?, base_version = ? WHERE draft = ? AND seq > ?");
    u.bind(1, server_id).bind(2, new_version).bind(3, draft).bind(4, seq);
    u.run();
    if (draft < 0) {
        Statement m =
            c_.prepare("INSERT OR REPLACE INTO created (placeholder, server_id) VALUES (?, ?)");
        m.bind(1, draft).bind(2, server_id);
        m.run();
    }
    tx.commit();
}

void OfflineJournal::mark_conflict(std::int64_t seq, const std::string& why) {
    Transaction tx(c_);
    Statement u = c_.prepare("UPDATE entries SET conflict = ? WHERE seq = ?");
    u.bind(1, why.empty() ? std::string("refused by the server") : why).bind(2, seq);
    u.run();
    tx.commit();
}

void OfflineJournal::drop_draft(std::int64_t draft) {
    Transaction tx(c_);
    Statement d = c_.prepare("DELETE FROM entries WHERE draft = ?");
    d.bind(1, draft);
    d.run();
    tx.commit();
}

// --- replay

namespace {

// The document as the store keeps it (normalised, canonical text): two saves of the same
// answers compare equal whatever the editor's copy looked like.
std::optional<std::string> canonical(const std::string& text, const Definitions& defs) {
    AssessmentParse p = parse_assessment(text, defs, Origin::kStored);
    if (!p.assessment) {
        return std::nullopt;
    }
    normalize_assessment(*p.assessment, defs);
    return write_assessment(*p.assessment);
}

Assessment parsed(const JournalEntry& e, const Definitions& defs) {
    AssessmentParse p = parse_assessment(e.document, defs, Origin::kInput);
    if (!p.assessment) {
        std::string why = "the document recorded offline no longer validates";
        if (!p.problems.empty()) {
            why += ": " + p.problems.front().path + " " + p.problems.front().message;
        }
        throw StoreError(why);
    }
    return *p.assessment;
}

bool holds(Store& store, std::int64_t id, const std::string& mine, const Definitions& defs) {
    const auto ours = canonical(mine, defs);
    const auto theirs = canonical(store.load_document(id), defs);
    return ours && theirs && *ours == *theirs;
}

// Whether the server's copy of `id` is the document of entry `from` or of a later entry of
// the same draft: sent before a crash kept the journal from knowing (saves after the one sent
// replace it on the server, so an earlier entry's document may be gone from it).
bool sent_before(Store& store, std::int64_t id, const JournalEntry& from,
                 const std::vector<JournalEntry>& all, const Definitions& defs) {
    const auto theirs = canonical(store.load_document(id), defs);
    if (!theirs) {
        return false;
    }
    for (const auto& later : all) {
        if (later.draft == from.draft && later.seq >= from.seq) {
            if (canonical(later.document, defs) == theirs) {
                return true;
            }
        }
    }
    return false;
}

// A draft of the patient the server already holds, that no entry of the journal names, with
// one of the documents the journal recorded for the new visit: the creation (and perhaps saves
// after it) committed before a crash kept the journal from knowing.
std::optional<std::int64_t> created_before(Store& store, const Assessment& a,
                                           const std::vector<std::string>& documents,
                                           const std::set<std::int64_t>& known,
                                           const Definitions& defs) {
    std::vector<AssessmentInfo> visits;
    try {
        visits = store.history(a.patient.id);
    } catch (const NotFound&) {
        return std::nullopt;  // no such patient yet: nothing was created
    }
    for (auto it = visits.rbegin(); it != visits.rend(); ++it) {
        if (it->version != 1 || known.count(it->id)) {
            continue;
        }
        for (const auto& document : documents) {
            if (holds(store, it->id, document, defs)) {
                return it->id;
            }
        }
    }
    return std::nullopt;
}

// Whether the server's trail holds the event already: sent by a replay killed before the
// journal knew (its summary, with the offline time in milliseconds, is its own).
bool recorded_before(Store& store, const JournalEvent& ev) {
    for (const AuditEntry& row : store.audit_trail(ev.ref.patient_id)) {
        if (row.action == ev.action && row.summary == ev.summary) {
            return true;
        }
    }
    return false;
}

// The audit events, after the changes: a visit created offline has its number by now.
void replay_events(Store& store, OfflineJournal& journal, ReplayReport& report) {
    for (const JournalEvent& ev : journal.events()) {
        if (!ev.refused.empty()) {
            continue;
        }
        AuditRef ref = ev.ref;
        if (ref.assessment && *ref.assessment < 0) {
            if (auto id = journal.server_id_of(*ref.assessment)) {
                ref.assessment = *id;
            } else if (journal.has_entries(*ref.assessment)) {
                continue;  // its visit waits (a conflict to choose): so does the event
            } else {
                ref.assessment.reset();  // its visit was set aside unsent: the patient is named
            }
        }
        try {
            if (!recorded_before(store, ev)) {
                store.record_event(ev.action, ref, ev.summary);
            }
            journal.event_sent(ev.seq);
            ++report.events;
        } catch (const pg::ConnectFailed& lost) {
            report.unreachable = true;
            report.error = lost.what();
            return;
        } catch (const StoreError& refused) {
            // Kept and marked, never resent: the journal still shows what the trail lacks.
            journal.event_refused(ev.seq, refused.what());
        }
    }
}

}  // namespace

ReplayReport replay(Store& store, OfflineJournal& journal, const Definitions& defs,
                    const ReplaySent& on_sent) {
    ReplayReport report;
    std::vector<JournalEntry> all = journal.entries();
    std::set<std::int64_t> blocked;  // drafts with a conflict: their later entries wait too
    std::set<std::int64_t> known;    // server ids the journal names
    for (const auto& e : all) {
        if (e.draft > 0) {
            known.insert(e.draft);
        }
    }
    std::map<std::int64_t, std::int64_t> renamed;  // placeholder -> server id, this replay
    std::map<std::int64_t, std::int64_t> version;  // draft -> base of its next entry
    // Drafts whose last entry was found already sent (a replay killed before): their next
    // saves may be on the server too, and an identical one is not written again.
    std::set<std::int64_t> recovering;
    for (const JournalEntry& recorded : all) {
        JournalEntry e = recorded;
        if (auto r = renamed.find(e.draft); r != renamed.end()) {
            e.draft = r->second;
        }
        if (auto v = version.find(e.draft); v != version.end()) {
            e.base_version = v->second;
        }
        if (!e.conflict.empty() || blocked.count(e.draft)) {
            blocked.insert(e.draft);
            ++report.conflicts;
            continue;
        }
        try {
            std::int64_t id = e.draft;
            std::int64_t now = e.base_version;
            bool was_there = false;
            switch (e.kind) {
                case JournalEntry::Kind::Create: {
                    const Assessment a = parsed(e, defs);
                    std::vector<std::string> documents;
                    for (const auto& later : all) {
                        if (later.draft == e.draft) {
                            documents.push_back(later.document);
                        }
                    }
                    if (auto before = created_before(store, a, documents, known, defs)) {
                        id = *before;
                        was_there = true;
                    } else {
                        id = store.create_draft(a);
                    }
                    known.insert(id);
                    now = store.info(id).row_version;
                    renamed[e.draft] = id;
                    report.created[e.draft] = id;
                    break;
                }
                case JournalEntry::Kind::Save: {
                    const Assessment a = parsed(e, defs);
                    if (recovering.count(id) && sent_before(store, id, recorded, all, defs)) {
                        now = store.info(id).row_version;
                        was_there = true;
                        break;
                    }
                    try {
                        now = store.save_draft(id, a, e.base_version);
                    } catch (const ChangedElsewhere& changed) {
                        // Sent before a crash kept the journal from knowing: the same document.
                        if (changed.change().row_version == 0 ||
                            !sent_before(store, id, recorded, all, defs)) {
                            throw;
                        }
                        now = changed.change().row_version;
                        was_there = true;
                    }
                    break;
                }
                case JournalEntry::Kind::Finalize: {
                    const AssessmentInfo info = store.info(id);
                    if (info.status == Status::Final) {
                        if (!holds(store, id, e.document, defs)) {
                            throw NotEditable("assessment " + std::to_string(id) +
                                              " was signed off elsewhere with other answers");
                        }
                        was_there = true;
                    } else if (info.row_version != e.base_version ||
                               !holds(store, id, e.document, defs)) {
                        throw NotEditable("assessment " + std::to_string(id) +
                                          " changed elsewhere before this sign-off was sent");
                    } else {
                        store.finalize(id);
                    }
                    now = store.info(id).row_version;
                    report.finalised.push_back(id);
                    break;
                }
            }
            if (was_there) {
                recovering.insert(id);
            } else {
                recovering.erase(id);
            }
            if (on_sent) {
                on_sent(recorded.draft, id, now);
            }
            journal.sent(e.seq, e.draft, id, now);
            version[id] = now;
            report.versions[id] = now;
            ++(was_there ? report.already : report.sent);
        } catch (const pg::ConnectFailed& lost) {
            report.unreachable = true;
            report.error = lost.what();
            return report;
        } catch (const StoreError& refused) {
            // Never overwritten unseen, never dropped: the person decides.
            journal.mark_conflict(e.seq, refused.what());
            blocked.insert(e.draft);
            ++report.conflicts;
        }
    }
    replay_events(store, journal, report);
    return report;
}

}  // namespace myo::store
