// db copy (store_copy.hpp): the order of the copy, its verification and its audit row, the same
// for every pair of backends; the ends (copy_ends.hpp) read and write rows in their dialects.
#include "store/store_copy.hpp"

#include <array>
#include <charconv>
#include <filesystem>
#include <optional>

#include "core/text_input.hpp"
#include "hash/sha256.hpp"
#include "store/audit.hpp"
#include "store/content_digest.hpp"
#include "store/copy_ends.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/target.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

// Where each table is read from, in an order that inserts parents first (ids ascending: a
// correction supersedes an older id) and that both dialects sort alike.
struct Order {
    const char* table;
    const char* sqlite_order;
    const char* pg_order;
};
constexpr std::array<Order, 6> kOrders = {{
    {"patients", "id", "id"},
    {"assessments", "id", "id"},
    {"baselines", "patient", "patient"},
    {"patient_terms", "term, patient", "term COLLATE \"C\", patient"},
    {"settings", "key", "key COLLATE \"C\""},
    {"audit", "seq", "seq"},
}};

const std::vector<std::string> kAuditColumns = {"seq",     "at",        "clinician",  "os_user",
                                                "action",  "patient",   "assessment", "summary",
                                                "content", "prev_hash", "hash"};

// An order-independent digest of rows (each row's SHA-256 added lane by lane modulo 2^64, as
// content_digest.hpp's): what the source gave and what the target holds must sum alike, read in
// either dialect's order.
class RowsDigest {
  public:
    void add(const std::string& table, const CopyValues& values) {
        Sha256 h;
        h.update("myoscreen-copy-row-1\n");
        h.update(table);
        h.update("\n");
        for (const auto& v : values) {
            if (!v) {
                h.update("N\n");
                continue;
            }
            h.update("V" + std::to_string(v->size()) + ":");
            h.update(*v);
            h.update("\n");
        }
        std::string hex = h.hex();
        for (std::size_t lane = 0; lane < 4; ++lane) {
            std::uint64_t part = 0;
            std::from_chars(hex.data() + lane * 16, hex.data() + lane * 16 + 16, part, 16);
            sum_[lane] += part;
        }
        ++rows_;
    }
    bool operator==(const RowsDigest& other) const {
        return sum_ == other.sum_ && rows_ == other.rows_;
    }
    std::int64_t rows() const { return rows_; }

  private:
    std::array<std::uint64_t, 4> sum_{};
    std::int64_t rows_ = 0;
};

AuditEntry audit_entry(const CopyValues& v) {
    auto num = [](const std::optional<std::string>& s) -> std::optional<std::int64_t> {
        if (!s) {
            return std::nullopt;
        }
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (ec != std::errc{} || end != s->data() + s->size()) {
            throw CopyFailed("an audit row holds \"" + *s + "\" where a number belongs");
        }
        return n;
    };
    AuditEntry e;
    e.seq = num(v.at(0)).value_or(0);
    e.at = v.at(1).value_or("");
    e.clinician = v.at(2).value_or("");
    e.os_user = v.at(3).value_or("");
    e.action = v.at(4).value_or("");
    e.patient_id = v.at(5);
    e.assessment = num(v.at(6));
    e.summary = v.at(7).value_or("");
    e.content = v.at(8);
    e.prev_hash = v.at(9).value_or("");
    e.hash = v.at(10).value_or("");
    return e;
}

std::size_t document_column(const CopyTable& t) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i] == "document") {
            return i;
        }
    }
    return t.columns.size();
}

// What was read from the source, to compare with what the target holds.
struct SourceFigures {
    std::vector<RowsDigest> tables;  // per copy_tables() entry
    AuditVerification chain;
};

std::int64_t count_of(const SourceFigures& f, const std::string& table) {
    const auto& tables = copy_tables();
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (tables[i].name == table) {
            return f.tables[i].rows();
        }
    }
    return 0;
}

std::unique_ptr<CopySource> open_source(const Target& t) {
    if (t.is_postgresql()) {
        return pg::open_pg_copy_source(t.conninfo);
    }
    return open_sqlite_copy_source(t.file.string());
}

std::unique_ptr<CopyTarget> open_target(const Target& t) {
    if (t.is_postgresql()) {
        return pg::open_pg_copy_target(t.conninfo);
    }
    return open_sqlite_copy_target(t.file.string());
}

const std::string kNothingWritten = "; nothing was written";

}  // namespace

const std::vector<CopyTable>& copy_tables() {
    static const std::vector<CopyTable> kTables = [] {
        std::vector<CopyTable> out;
        for (const Order& o : kOrders) {
            CopyTable t{o.table, {}, o.sqlite_order, o.pg_order};
            if (t.is_audit()) {
                t.columns = kAuditColumns;
            } else {
                for (const auto& d : digest_tables()) {
                    if (t.name == d.name) {
                        t.columns.assign(d.columns.begin(), d.columns.end());
                    }
                }
            }
            out.push_back(std::move(t));
        }
        // Every digest table is copied: a table added to the digest must be added above.
        if (out.size() != digest_tables().size() + 1) {
            throw StoreError("db copy does not know every table of the store");
        }
        return out;
    }();
    return kTables;
}

namespace {

CopyReport run_copy(std::string_view from_text, std::string_view to_text,
                    const CopyProgress& progress);

}  // namespace

CopyReport copy_store(std::string_view from_text, std::string_view to_text,
                      const CopyProgress& progress) {
    try {
        return run_copy(from_text, to_text, progress);
    } catch (const pg::PgError& e) {
        // A server that refused a row midway (a value it cannot store, a disk full): by now the
        // target's transaction was rolled back (the ends are gone).
        throw CopyFailed(std::string("db copy failed and was undone, the target is as it was: ") +
                         e.what());
    }
}

namespace {

CopyReport run_copy(std::string_view from_text, std::string_view to_text,
                    const CopyProgress& progress) {
    auto tell = [&progress](std::string_view phase, const std::string& table, std::int64_t rows) {
        if (progress && rows % kProgressRows == 0) {
            progress(phase, table, rows);
        }
    };
    Target from = parse_target(from_text);
    Target to = parse_target(to_text);
    CopyReport report;
    // Names as messages show them (a file name may hold a terminal escape).
    report.from = quote_for_message(from.display(), 200);
    report.to = quote_for_message(to.display(), 200);
    if (!from.is_postgresql() && !to.is_postgresql()) {
        std::error_code ec;
        if (fs::equivalent(from.file, to.file, ec)) {
            throw CopyRefused(report.to + " is the same database as the source" + kNothingWritten);
        }
    }
    std::unique_ptr<CopySource> source = open_source(from);
    std::unique_ptr<CopyTarget> target = open_target(to);
    // As the ends name themselves (a server's database and host, never a password).
    report.from = source->describe();
    report.to = target->describe();
    if (source->identity() == target->identity()) {
        throw CopyRefused(report.to + " is the same database as the source" + kNothingWritten);
    }
    report.replaced = target->begin();

    // The copy: every table streamed from the source into the target, each row counted into
    // the source's digest (a document by its SHA-256, as the target will hash it) and the
    // trail fed to the chain's verifier on the way.
    const auto& tables = copy_tables();
    SourceFigures source_figures;
    source_figures.tables.resize(tables.size());
    ChainVerifier source_chain;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const CopyTable& t = tables[i];
        const std::size_t doc = document_column(t);
        RowsDigest& digest = source_figures.tables[i];
        target->write(t, [&](const RowReader& put) {
            CopyValues hashed;
            source->rows(t, false, [&](const CopyValues& row) {
                put(row);
                if (t.is_audit()) {
                    source_chain.add(audit_entry(row));
                }
                if (doc < row.size() && row[doc]) {
                    hashed = row;
                    hashed[doc] = sha256_hex(*row[doc]);
                    digest.add(t.name, hashed);
                } else {
                    digest.add(t.name, row);
                }
                tell("copying", t.name, digest.rows());
            });
        });
    }
    source_figures.chain = source_chain.finish(source->issued("audit"));
    if (!source_figures.chain.ok) {
        throw CopyRefused("the audit trail of " + report.from + " does not verify (" +
                          source_figures.chain.problem +
                          "); db copy carries a trail only as it was written (run db verify on "
                          "it)" +
                          kNothingWritten);
    }
    report.source_head = {source_figures.chain.head_seq, source_figures.chain.head};
    report.counts.patients = count_of(source_figures, "patients");
    report.counts.assessments = count_of(source_figures, "assessments");
    report.counts.baselines = count_of(source_figures, "baselines");
    report.counts.settings = count_of(source_figures, "settings");
    report.counts.search_words = count_of(source_figures, "patient_terms");
    report.counts.audit_rows = count_of(source_figures, "audit");
    target->finish_rows(source->issued("patients"), source->issued("assessments"));

    const CopyCounts& n = report.counts;
    std::string summary =
        "copied from " + report.from + ": " + std::to_string(n.patients) + " patients, " +
        std::to_string(n.assessments) + " assessments, " + std::to_string(n.baselines) +
        " baselines, " + std::to_string(n.settings) + " settings, " + std::to_string(n.audit_rows) +
        " audit rows continued (the source's head: " + describe(report.source_head) + ")";
    if (!report.replaced.empty()) {
        summary += "; replaced this database's own rows before the copy (" + report.replaced + ")";
    }
    target->append_copy_row(summary);

    // The verification: the target read back, in its own dialect and order.
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const CopyTable& t = tables[i];
        RowsDigest digest;
        ChainVerifier chain;
        std::optional<AuditEntry> newest;
        target->rows(t, true, [&](const CopyValues& row) {
            if (!t.is_audit()) {
                digest.add(t.name, row);
                tell("verifying", t.name, digest.rows());
                return;
            }
            AuditEntry e = audit_entry(row);
            chain.add(e);
            if (e.seq <= report.source_head.seq) {
                digest.add(t.name, row);
            } else {
                newest = e;
            }
        });
        if (digest.rows() != source_figures.tables[i].rows()) {
            throw CopyFailed("the copy did not verify: " + report.to + " holds " +
                             std::to_string(digest.rows()) + " rows of " + t.name +
                             ", the source " + std::to_string(source_figures.tables[i].rows()) +
                             "; the target was left as it was");
        }
        if (!(digest == source_figures.tables[i])) {
            throw CopyFailed("the copy did not verify: the rows of " + t.name + " in " + report.to +
                             " differ from the source's" +
                             (t.name == "assessments" ? " (a document's SHA-256 or a field)" : "") +
                             "; the target was left as it was");
        }
        if (t.is_audit()) {
            AuditVerification v = chain.finish(target->issued("audit"));
            if (!v.ok) {
                throw CopyFailed("the copy did not verify: the audit trail of " + report.to +
                                 " does not verify (" + v.problem +
                                 "); the target was left as it was");
            }
            if (!newest || newest->seq != report.source_head.seq + 1 ||
                newest->prev_hash !=
                    (report.source_head.seq > 0 ? report.source_head.hash : std::string(64, '0'))) {
                throw CopyFailed("the copy did not verify: the copy's audit row in " + report.to +
                                 " does not follow the source's head; the target was left as it "
                                 "was");
            }
            report.copy_row = {newest->seq, newest->hash};
        }
    }
    target->commit();
    return report;
}

}  // namespace

}  // namespace myo::store
