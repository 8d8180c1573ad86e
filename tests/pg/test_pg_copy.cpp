// db copy (issue 13, store/store_copy.hpp): a practice moved from a SQLite file into an empty
// PostgreSQL database and back into a new file, against a real server. What a clinic relies on:
// every document byte-identical, the same histories, baselines and settings, the audit trail
// continued (the chain verifies with the source's head), the source untouched, and a refused
// copy writing nothing.

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "pg_fixture.hpp"
#include "store/audit.hpp"
#include "store/pg/pg_copy_stream.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/server_admin.hpp"
#include "store/store.hpp"
#include "store/store_copy.hpp"

using namespace myo;
using namespace myo::test;
namespace pg = myo::store::pg;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// An empty database made by server init (its trail: the init's own row).
struct EmptyClinicDb {
    ScratchDatabase db;
    explicit EmptyClinicDb(const std::string& admin) : db(admin) {
        auto c = db.admin();
        pg::init_database(c, "tester");
    }
    std::string admin() const { return db.conninfo(); }
};

// Everything a file and its companions hold, by name: the source must stay as it was.
std::map<std::string, std::string> folder_state(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        out[e.path().filename().string()] =
            e.is_regular_file() ? store::file_sha256(e.path()) : std::string("(not a file)");
    }
    return out;
}

std::string render(const store::AssessmentInfo& i) {
    auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
    return std::to_string(i.id) + "|" + i.patient_id + "|" + std::to_string(i.visit) + "|" +
           std::to_string(i.version) + "|" + opt(i.supersedes) + "|" + opt(i.superseded_by) + "|" +
           store::status_id(i.status) + "|" + i.date + "|" + i.kind.value_or("-") + "|" +
           opt(i.nrs_now) + "|" + opt(i.nrs_average) + "|" + opt(i.wpi) + "|" + opt(i.sss) + "|" +
           opt(i.fs) + "|" + opt(i.tender_count) + "|" + urgency_id(i.urgency) + "|" +
           i.rules_version + "|" + i.created_at + "|" + i.updated_at + "|" +
           i.finalized_at.value_or("-");
}

std::string render(const store::AuditEntry& e) {
    return std::to_string(e.seq) + "|" + e.at + "|" + e.clinician + "|" + e.os_user + "|" +
           e.action + "|" + e.patient_id.value_or("-") + "|" +
           (e.assessment ? std::to_string(*e.assessment) : "-") + "|" + e.summary + "|" +
           e.content.value_or("-") + "|" + e.prev_hash + "|" + e.hash;
}

// The two stores hold the same records: patients, every history, every document byte for byte,
// baselines and settings; and `b`'s trail continues `a`'s (the same rows, then one more: the
// copy's), both verifying.
void check_same_records(store::Store& a, store::Store& b) {
    auto pa = a.list_patients();
    auto pb = b.list_patients();
    REQUIRE(pa.size() == pb.size());
    std::size_t documents = 0;
    for (std::size_t i = 0; i < pa.size(); ++i) {
        const std::string& id = pa[i].patient.id;
        REQUIRE(pb[i].patient.id == id);
        CHECK(pb[i].patient.name == pa[i].patient.name);
        CHECK(pb[i].patient.birth_date == pa[i].patient.birth_date);
        CHECK(pb[i].patient.sex == pa[i].patient.sex);
        auto ha = a.history(id);
        auto hb = b.history(id);
        REQUIRE(ha.size() == hb.size());
        for (std::size_t k = 0; k < ha.size(); ++k) {
            CHECK(render(hb[k]) == render(ha[k]));
            if (a.load_document(ha[k].id) != b.load_document(ha[k].id)) {
                FAIL_CHECK("assessment " << ha[k].id << " differs");
            }
            ++documents;
        }
        CHECK(b.baseline_visit(id) == a.baseline_visit(id));
    }
    CHECK(documents > 0);
    CHECK(b.load_settings() == a.load_settings());
    auto va = a.verify_audit();
    auto vb = b.verify_audit();
    CHECK(va.ok);
    CHECK_MESSAGE(vb.ok, vb.problem);
    auto ta = a.audit_trail();
    auto tb = b.audit_trail();
    REQUIRE(tb.size() == ta.size() + 1);
    for (std::size_t k = 0; k < ta.size(); ++k) {
        CHECK(render(tb[k]) == render(ta[k]));
    }
    CHECK(tb.back().action == store::audit_action::kCopy);
    CHECK(tb.back().prev_hash == va.head);
    CHECK(vb.head == tb.back().hash);
}

Assessment variant(std::size_t n, const std::string& id, const std::string& name,
                   const std::string& date) {
    auto files = vignette_files();
    Assessment a = vignette_assessment(files[n % files.size()]);
    a.patient.id = id;
    a.patient.name = name;
    a.date = date;
    return a;
}

// A store of `patients` patients: one final visit each (imported), and for some of them a
// draft, a correction (amend, finalised) and a baseline; settings; one patient deleted.
void fill_generated(store::Store& s, int patients, const fs::path& backups) {
    std::vector<Assessment> batch;
    for (int i = 1; i <= patients; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "G-%04d", i);
        char date[16];
        std::snprintf(date, sizeof date, "2026-%02d-%02d", 1 + i % 11, 1 + i % 27);
        batch.push_back(variant(static_cast<std::size_t>(i), id,
                                "Zoë Åkesson-" + std::to_string(i) + " O'Neil", date));
    }
    auto stored = s.import_assessments(batch);
    for (int i = 1; i <= patients; i += 20) {
        const auto& first = stored[static_cast<std::size_t>(i - 1)];
        std::string id = batch[static_cast<std::size_t>(i - 1)].patient.id;
        std::int64_t draft = s.create_draft(
            variant(static_cast<std::size_t>(i), id,
                    batch[static_cast<std::size_t>(i - 1)].patient.name, "2026-12-01"));
        if (i % 40 == 1) {
            s.finalize(draft);
            s.set_baseline(id, draft);
        }
        std::int64_t amended = s.amend(first.id);
        s.finalize(amended);
    }
    store::Settings settings;
    settings.clinic_name = "Praxis Süd";
    settings.clinic_address = "Hauptstraße 1\n80331 München";
    settings.clinician_name = "Dr. Zoë Åkesson";
    s.save_settings(settings);
    s.delete_patient("G-0002", batch[1].patient.name, backups);
}

}  // namespace

TEST_CASE(
    "pg copy: the six examples, SQLite -> PostgreSQL -> SQLite, every record and the "
    "trail kept, the source untouched") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    TempDir dir;
    fs::path src_dir = dir.path() / "source";
    fs::create_directories(src_dir);
    fs::path src = src_dir / "practice.db";
    {
        store::Store s(src, definitions());
        std::vector<Assessment> all;
        for (const auto& f : vignette_files()) {
            all.push_back(vignette_assessment(f));
        }
        s.import_assessments(all);
        store::Settings settings;
        settings.clinic_name = "Praxis Süd";
        settings.clinician_name = "Dr. Zoë Åkesson";
        s.save_settings(settings);
    }
    auto before = folder_state(src_dir);
    EmptyClinicDb clinic(*admin);

    CommandResult in = run_cli({"db", "copy", src.string(), clinic.admin()});
    INFO(in.err);
    REQUIRE(in.status == 0);
    CHECK(contains(in.out, "copied and verified: " + src.string() + " -> database \"" +
                               clinic.db.name() + "\""));
    CHECK(contains(in.out, "6 patients, 6 assessments (each document byte-identical, by SHA-256)"));
    CHECK(contains(in.out, "replaced the target's own rows before the copy: audit-start"));
    CHECK(folder_state(src_dir) == before);

    fs::path back = dir.path() / "back" / "practice-again.db";
    fs::create_directories(back.parent_path());
    CommandResult out = run_cli({"db", "copy", clinic.admin(), back.string()});
    INFO(out.err);
    REQUIRE(out.status == 0);
    CHECK(folder_state(src_dir) == before);

    store::OpenOptions ro;
    ro.read_only = true;
    store::Store source(src, definitions(), ro);
    store::Store server(clinic.admin(), definitions());
    check_same_records(source, server);
    store::Store again(back, definitions());
    check_same_records(server, again);

    // The file written is one MyoScreen accepts as its own: db check and db verify find nothing.
    CommandResult check = run_cli({"--db", back.string(), "db", "check"});
    CHECK_MESSAGE(check.status == 0, check.err);
    CommandResult verify = run_cli({"--db", back.string(), "db", "verify"});
    CHECK_MESSAGE(verify.status == 0, verify.err);
    CHECK(contains(verify.out, "chain record agrees"));
}

TEST_CASE(
    "pg copy: a generated practice of 1,000 patients (drafts, corrections, baselines, a "
    "deletion) round trip") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    TempDir dir;
    fs::path src_dir = dir.path() / "source";
    fs::create_directories(src_dir);
    fs::path src = src_dir / "big.db";
    {
        store::Store s(src, definitions());
        fill_generated(s, 1000, dir.path() / "backups");
        auto trail = s.audit_trail();
        bool deleted = false;
        for (const auto& e : trail) {
            deleted = deleted || e.action == store::audit_action::kDelete;
        }
        REQUIRE(deleted);
    }
    auto before = folder_state(src_dir);
    EmptyClinicDb clinic(*admin);
    store::CopyReport r = store::copy_store(src.string(), clinic.admin());
    CHECK(r.counts.patients == 999);
    CHECK(r.counts.baselines == 25);
    CHECK(folder_state(src_dir) == before);

    fs::path back = dir.path() / "back.db";
    store::CopyReport r2 = store::copy_store(clinic.admin(), back.string());
    CHECK(r2.counts.assessments == r.counts.assessments);
    CHECK(r2.source_head == r.copy_row);

    store::OpenOptions ro;
    ro.read_only = true;
    store::Store source(src, definitions(), ro);
    store::Store server(clinic.admin(), definitions());
    check_same_records(source, server);
    store::Store again(back, definitions());
    check_same_records(server, again);

    // The copy continues: a new draft on the server gets an id past every copied one, and the
    // trail still verifies.
    std::int64_t next = server.create_draft(variant(1, "NEW-1", "Ana Souza", "2026-12-01"));
    CHECK(next > r.counts.assessments);
    CHECK(server.verify_audit().ok);
}

TEST_CASE(
    "pg copy: refusals write nothing (exit 2): a target not empty, the source itself, an "
    "existing file, a login that is not the owner") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    TempDir dir;
    fs::path src = dir.path() / "practice.db";
    {
        store::Store s(src, definitions());
        s.import_assessments({vignette_assessment(vignette_files().front())});
    }
    EmptyClinicDb clinic(*admin);
    auto audit_rows = [&]() {
        auto c = clinic.db.admin();
        return c.query_int("SELECT count(*) FROM myoscreen.audit");
    };

    SUBCASE("a login that is not myoscreen_owner") {
        {
            auto c = clinic.db.admin();
            pg::add_user(c, "t.okafor", pg::UserRole::Clinician);
        }
        CommandResult r = run_cli({"db", "copy", src.string(), clinic.db.conninfo("t.okafor")});
        CHECK(r.status == 2);
        CHECK(contains(r.err,
                       "the PostgreSQL login \"t.okafor\" is not the database's owner "
                       "role (myoscreen_owner) nor a member of it"));
        CHECK(contains(r.err, "nothing was written"));
        CHECK(audit_rows() == 1);
        // Nor may it call the owner's copy functions itself.
        auto c = pg::Connection::open(clinic.db.conninfo("t.okafor"));
        CHECK_THROWS_AS(c.exec("SELECT myoscreen.copy_begin()"), pg::PermissionDenied);
    }
    SUBCASE("a database that holds records, the source itself, an existing file") {
        REQUIRE(run_cli({"db", "copy", src.string(), clinic.admin()}).status == 0);
        std::int64_t rows = audit_rows();
        CommandResult again = run_cli({"db", "copy", src.string(), clinic.admin()});
        CHECK(again.status == 2);
        CHECK(contains(again.err,
                       "is not empty: it holds 1 patient, 1 assessment, 0 settings and 2 audit "
                       "rows of changes"));
        CHECK(contains(again.err, "; nothing was written"));
        CHECK(audit_rows() == rows);

        CommandResult same = run_cli({"db", "copy", clinic.admin(), clinic.admin()});
        CHECK(same.status == 2);
        CHECK(contains(same.err, "is the same database as the source; nothing was written"));
        CHECK(audit_rows() == rows);

        std::string sha = store::file_sha256(src);
        CommandResult self = run_cli({"db", "copy", src.string(), src.string()});
        CHECK(self.status == 2);
        CHECK(contains(self.err, "is the same database as the source; nothing was written"));

        fs::path other = dir.path() / "other.db";
        { std::ofstream(other) << "keep me"; }
        CommandResult exists = run_cli({"db", "copy", clinic.admin(), other.string()});
        CHECK(exists.status == 2);
        CHECK(contains(exists.err, other.string() +
                                       " already exists; db copy writes a new SQLite file and "
                                       "never over one, choose a new name; nothing was written"));
        CHECK(store::file_sha256(src) == sha);
        std::ifstream kept(other);
        std::string text;
        std::getline(kept, text);
        CHECK(text == "keep me");
        // Only what was there: no temporary, no chain record of a refused name.
        std::size_t entries = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) {
            ++entries;
        }
        CHECK(entries == 4);  // practice.db, its .chain and .lock, other.db
    }
}

TEST_CASE("pg copy: the server's copy functions refuse a trail that does not chain") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    EmptyClinicDb clinic(*admin);
    auto c = clinic.db.admin();
    {
        pg::Transaction tx(c);
        c.exec("SET LOCAL ROLE myoscreen_owner");
        CHECK(c.query_text("SELECT myoscreen.copy_begin()") == "audit-start");
        c.exec(
            "INSERT INTO myoscreen.audit (seq, at, clinician, os_user, action, summary, "
            "prev_hash, hash) VALUES (1, '2026-01-01T00:00:00.000Z', 'x', 'x', 'edit', 'forged', "
            "repeat('0', 64), repeat('a', 64))");
        try {
            c.exec("SELECT myoscreen.copy_finish(0, 0)");
            FAIL("a forged row was accepted");
        } catch (const pg::PgError& e) {
            CHECK(e.sqlstate() == "MYO05");
            CHECK(contains(e.what(), "copied audit row 1 does not carry its hash"));
        }
    }
    // Rolled back: the database is as server init left it, its chain whole.
    CHECK(c.query_int("SELECT count(*) FROM myoscreen.audit") == 1);
    CHECK(pg::verify_audit_chain(c).ok);
}

TEST_CASE("pg copy: COPY's text format carries every value as it was, NULL apart from text") {
    pg::CopyValues row = {
        std::string("a\tb\nc\rd\\e"), std::nullopt,    std::string(""), std::string("\\N"),
        std::string("Zoë \"x\" \\n"), std::string(".")};
    std::string line;
    pg::append_copy_row(line, row);
    CHECK(line == "a\\tb\\nc\\rd\\\\e\t\\N\t\t\\\\N\tZoë \"x\" \\\\n\t.\n");
    pg::CopyValues back;
    REQUIRE(pg::parse_copy_row(std::string_view(line).substr(0, line.size() - 1), back));
    CHECK(back == row);
    CHECK_FALSE(pg::parse_copy_row("ends in a backslash\\", back));
}

TEST_CASE(
    "pg copy: a failure midway leaves either target as it was; a source changed around "
    "MyoScreen is not copied") {
    auto admin = pg_setting();
    if (!admin) {
        return;
    }
    TempDir dir;
    fs::path src = dir.path() / "practice.db";
    {
        store::Store s(src, definitions());
        std::vector<Assessment> all;
        for (const auto& f : vignette_files()) {
            all.push_back(vignette_assessment(f));
        }
        s.import_assessments(all);
    }
    // The database as server init left it: no records, its one row, the triggers in place.
    auto as_init_left_it = [](pg::Connection& c) {
        CHECK(c.query_int("SELECT count(*) FROM myoscreen.patients") == 0);
        CHECK(c.query_int("SELECT count(*) FROM myoscreen.assessments") == 0);
        auto rows = pg::read_audit(c);
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].action == store::audit_action::kStart);
        CHECK(pg::verify_audit_chain(c).ok);
        CHECK_THROWS(c.exec("UPDATE myoscreen.audit SET summary = 'x'"));
    };
    SUBCASE("SQLite -> PostgreSQL: the server fails at the fourth assessment; rolled back") {
        EmptyClinicDb clinic(*admin);
        {
            auto c = clinic.db.admin();
            c.exec(
                "CREATE FUNCTION public.fail_here() RETURNS trigger LANGUAGE plpgsql AS "
                "$$BEGIN RAISE EXCEPTION 'injected failure'; END$$");
            c.exec(
                "CREATE TRIGGER fail_at_4 BEFORE INSERT ON myoscreen.assessments FOR EACH ROW "
                "WHEN (NEW.id = 4) EXECUTE FUNCTION public.fail_here()");
        }
        std::string sha = store::file_sha256(src);
        CommandResult r = run_cli({"db", "copy", src.string(), clinic.admin()});
        CHECK(r.status == 2);
        CHECK(
            contains(r.err, "db copy failed and was undone, the target is as it was: database \"" +
                                clinic.db.name()));
        CHECK(contains(r.err, "injected failure"));
        auto c = clinic.db.admin();
        as_init_left_it(c);
        CHECK(store::file_sha256(src) == sha);
    }
    SUBCASE("a SQLite source changed around MyoScreen is not copied") {
        {
            // What the sqlite3 shell could do: the trigger dropped, a summary rewritten.
            store::Connection c(src, store::Connection::Mode::ReadWrite);
            c.exec("DROP TRIGGER audit_rows_are_not_changed");
            c.exec("UPDATE audit SET summary = 'nothing happened' WHERE seq = 3");
        }
        EmptyClinicDb clinic(*admin);
        CommandResult r = run_cli({"db", "copy", src.string(), clinic.admin()});
        CHECK(r.status == 2);
        CHECK(contains(r.err, src.string() + " was changed outside MyoScreen ("));
        CHECK(contains(r.err, "db copy copies a store only as MyoScreen wrote it"));
        CHECK(contains(r.err, "nothing was written"));
        auto c = clinic.db.admin();
        as_init_left_it(c);
    }
    SUBCASE("PostgreSQL -> SQLite: no file, no temporary, no chain record") {
        EmptyClinicDb clinic(*admin);
        {
            store::Store s(clinic.admin(), definitions());
            s.import_assessments({vignette_assessment(vignette_files().front())});
        }
        {
            // Only the tables' owner (here a superuser) can do this; a verify finds it.
            auto c = clinic.db.admin();
            c.exec("ALTER TABLE myoscreen.audit DISABLE TRIGGER audit_rows_are_not_changed");
            c.exec("UPDATE myoscreen.audit SET summary = 'nothing happened' WHERE seq = 2");
        }
        fs::path out = dir.path() / "moved.db";
        CommandResult r = run_cli({"db", "copy", clinic.admin(), out.string()});
        CHECK(r.status == 2);
        CHECK(contains(r.err, "does not verify (row 2 was changed after it was written"));
        CHECK_FALSE(fs::exists(out));
        CHECK_FALSE(fs::exists(out.string() + ".chain"));
        std::size_t entries = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) {
            ++entries;
        }
        CHECK(entries == 3);  // practice.db, its .chain and .lock: no temporary left
    }
}
