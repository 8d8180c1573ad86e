#include "store/tamper_check.hpp"

#include <sqlite3.h>

#include <map>
#include <mutex>

#include "hash/sha256.hpp"
#include "store/content_digest.hpp"
#include "store/errors.hpp"
#include "store/schema.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

struct SchemaObject {
    std::string type;
    std::string table;
    std::string sql;  // white space folded
};
using SchemaObjects = std::map<std::string, SchemaObject>;

SchemaObjects objects_of(Connection& c) {
    SchemaObjects out;
    Statement s = c.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema");
    while (s.step()) {
        // SQLite's statistics tables (ANALYZE, PRAGMA optimize) only steer query plans.
        if (s.text(1).rfind("sqlite_stat", 0) == 0) {
            continue;
        }
        out[s.text(1)] = {s.text(0), s.text(2), folded_space(s.text(3))};
    }
    return out;
}

// What this build's migrations create for `version`: built once in memory, then kept.
const SchemaObjects& expected_objects(int version) {
    static std::mutex mutex;
    static std::map<int, SchemaObjects> cache;
    std::lock_guard<std::mutex> hold(mutex);
    auto it = cache.find(version);
    if (it == cache.end()) {
        Connection memory(":memory:", Connection::Mode::ReadWriteCreate);
        migrate(memory, version);
        it = cache.emplace(version, objects_of(memory)).first;
    }
    return it->second;
}

std::string fingerprint_of(const SchemaObjects& objects) {
    Sha256 h;
    for (const auto& [name, obj] : objects) {
        for (const std::string* v : {&name, &obj.type, &obj.table, &obj.sql}) {
            h.update(std::to_string(v->size()) + ":");
            h.update(*v);
            h.update("\n");
        }
    }
    return h.hex();
}

// The newest schema's fingerprint, so that opening an up-to-date file compares one hash instead
// of building the expected schema in memory by running every migration (a quarter of a short
// CLI command's time). test_store_open keeps it equal to what the migrations create; a new
// schema version without a new fingerprint only takes the slower path.
constexpr int kFingerprintVersion = 5;
constexpr std::string_view kFingerprint =
    "9f90a8f785a2d7f61e050a905dcbb1714e6ed0b2ba9ab5bb5ab00c2c57f37bf5";

std::string short_hash(const std::string& h) {
    return h.empty() ? "-" : h.substr(0, 12) + "…";
}

}  // namespace

std::vector<std::string> schema_differences(Connection& c, int version) {
    std::vector<std::string> out;
    if (version < 1 || version > kSchemaVersion) {
        return out;
    }
    SchemaObjects have = objects_of(c);
    if (version == kFingerprintVersion && fingerprint_of(have) == kFingerprint) {
        return out;
    }
    const SchemaObjects& want = expected_objects(version);
    for (const auto& [name, obj] : want) {
        auto found = have.find(name);
        if (found == have.end()) {
            out.push_back(obj.type + " " + name + " is missing");
        } else if (found->second.type != obj.type || found->second.sql != obj.sql ||
                   found->second.table != obj.table) {
            out.push_back(obj.type + " " + name + " was changed");
        }
    }
    for (const auto& [name, obj] : have) {
        if (want.find(name) == want.end()) {
            out.push_back(obj.type + " " + name + " is not MyoScreen's (added)");
        }
    }
    return out;
}

std::pair<int, std::string> known_schema_fingerprint() {
    return {kFingerprintVersion, std::string(kFingerprint)};
}

bool has_known_schema(Connection& c, int version) {
    return version == kFingerprintVersion && fingerprint_of(objects_of(c)) == kFingerprint;
}

std::string built_schema_fingerprint(int version) {
    return fingerprint_of(expected_objects(version));
}

ChainHead audit_head(Connection& c) {
    Statement s = c.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!s.step()) {
        return {};
    }
    return {s.int64(0), s.text(1)};
}

ChainComparison compare_chain_record(Connection& c, const fs::path& database,
                                     const std::optional<ChainRecord>& earlier) {
    ChainComparison out;
    std::optional<ChainRecord> record;
    try {
        record = read_chain_record(database);
    } catch (const StoreError& e) {
        // Like a missing one: a power cut can leave a record written without fsync unreadable
        // on some file systems, and damaging it tells no more than deleting it.
        out.result = ChainComparison::Result::Missing;
        out.problem =
            std::string(e.what()) + ", so a cut of the newest audit rows cannot be ruled out";
        return out;
    }
    if (!record) {
        out.result = ChainComparison::Result::Missing;
        out.problem = "the chain record " + chain_record_path(database).string() +
                      " is missing, so a cut of the newest audit rows cannot be ruled out";
        return out;
    }
    ChainHead head = audit_head(c);
    if (head == record->committed) {
        return out;
    }
    if (record->pending && head == *record->pending) {
        out.result = ChainComparison::Result::Pending;
        return out;
    }
    if (earlier &&
        (head == earlier->committed || (earlier->pending && head == *earlier->pending))) {
        return out;
    }
    out.result = ChainComparison::Result::Differs;
    const ChainHead& want = record->committed;
    std::string recorded = " (the chain record beside the file names " + describe(want) + ")";
    if (head.seq < want.seq) {
        out.problem = head.seq == 0
                          ? "the audit trail was wiped: it is empty but " +
                                std::to_string(want.seq) + " rows were written" + recorded
                          : "audit rows " + std::to_string(head.seq + 1) + " to " +
                                std::to_string(want.seq) + " were removed: the trail ends at " +
                                describe(head) + recorded;
        return out;
    }
    Statement s = c.prepare("SELECT hash FROM audit WHERE seq = ?1");
    s.bind(1, want.seq);
    if (want.seq > 0 && (!s.step() || s.text(0) != want.hash)) {
        out.problem = "audit row " + std::to_string(want.seq) +
                      " was rewritten: its hash is not the one recorded beside the file" + recorded;
        return out;
    }
    out.problem = "audit rows " + std::to_string(want.seq + 1) + " to " + std::to_string(head.seq) +
                  " were added outside MyoScreen: the trail ends at " + describe(head) + recorded;
    return out;
}

TamperReport check_for_tampering(Connection& c, const fs::path& database, const TamperCheck& how) {
    TamperReport r;
    std::optional<ChainRecord> earlier;
    if (how.chain_record) {
        try {
            earlier = read_chain_record(database);
        } catch (const StoreError&) {
            // compare_chain_record reports it.
        }
    }
    std::optional<Transaction> snapshot;
    if (sqlite3_get_autocommit(c.handle()) != 0) {
        snapshot.emplace(c, Transaction::Kind::Deferred);
    }
    auto version = static_cast<int>(c.query_int("PRAGMA user_version"));
    bool tables_differ = false;
    for (const auto& d : schema_differences(c, version)) {
        tables_differ = tables_differ || d.rfind("table ", 0) == 0;
        r.problems.push_back("schema: " + d + " (not as MyoScreen created it for schema version " +
                             std::to_string(version) + ")");
    }
    if (tables_differ) {
        // The rest reads those tables; what was found already says enough.
        if (snapshot) {
            snapshot->commit();
        }
        return r;
    }
    if (how.depth == TamperCheck::Depth::Full && version >= 4) {
        r.chain = verify_audit_chain(c);
        if (!r.chain->ok) {
            r.problems.push_back("audit trail: " + r.chain->problem);
        }
    }
    if (version >= 4 &&
        c.query_int("SELECT count(*) FROM sqlite_schema WHERE name = 'deletion_in_progress'") > 0 &&
        c.query_int("SELECT count(*) FROM deletion_in_progress") > 0) {
        r.problems.push_back(
            "a deletion flag is set (table deletion_in_progress is not empty): MyoScreen clears "
            "it in the deletion's own transaction, so it was set outside MyoScreen and lets "
            "final assessments be deleted");
    }
    if (version < 5) {
        if (snapshot) {
            snapshot->commit();
        }
        return r;
    }
    std::string stored = stored_digest(c);
    std::optional<std::string> newest;
    {
        Statement s = c.prepare("SELECT content FROM audit ORDER BY seq DESC LIMIT 1");
        if (s.step()) {
            newest = s.opt_text(0);
        }
    }
    std::string recorded = newest.value_or(kEmptyDigest);
    if (stored.empty()) {
        r.problems.push_back(
            "records: the content digest is gone (table content_digest is "
            "empty or missing)");
    } else if (stored != recorded) {
        r.problems.push_back(
            "records: patients or assessments were changed without an audit row (the content "
            "digest " +
            short_hash(stored) + " is not the " + short_hash(recorded) +
            " recorded in the newest audit row)");
    }
    if (how.depth == TamperCheck::Depth::Full) {
        std::string recount = recount_digest(c);
        if (!stored.empty() && recount != stored) {
            r.problems.push_back(
                "records: patients, assessments, baselines or settings were changed outside "
                "MyoScreen (their content digest is " +
                short_hash(recount) + ", the one kept with them is " + short_hash(stored) + ")");
        }
    }
    if (how.chain_record) {
        ChainComparison cmp = compare_chain_record(c, database, earlier);
        if (cmp.result == ChainComparison::Result::Missing) {
            r.chain_record_missing = "audit trail: " + cmp.problem;
        } else if (cmp.result == ChainComparison::Result::Pending) {
            r.chain_record_pending = true;
        } else if (cmp.result == ChainComparison::Result::Differs) {
            r.problems.push_back("audit trail: " + cmp.problem);
        }
    }
    if (snapshot) {
        snapshot->commit();
    }
    return r;
}

}  // namespace myo::store
