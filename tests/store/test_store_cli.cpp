// The store verbs of myoscreen-cli, run in-process: what a user types and reads.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "store/store.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"
#include "test_database.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace myo;
using myo::test::cli;
using myo::test::TempDir;

namespace {

std::vector<std::string> vignette_inputs(const fs::path& dir) {
    std::vector<std::string> files;
    for (const auto& v : test::vignette_files()) {
        files.push_back(test::write_vignette_file(v, dir).string());
    }
    return files;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("cli: import, export --patient, and the export re-imports identically") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    fs::create_directory(tmp.path() / "in");
    auto inputs = vignette_inputs(tmp.path() / "in");
    std::vector<std::string> args = {"import"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    auto r = cli(db, args);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find(inputs[0] + ": stored as assessment 1 (patient V1, new, 2026-11-20)\n") == 0);

    // Importing the same files again stores nothing new.
    r = cli(db, args);
    CHECK(r.status == 0);
    CHECK(r.out.find(inputs[0] + ": already stored as assessment 1\n") == 0);

    fs::path out = tmp.path() / "out";
    test::TestDatabase database2("b.db");
    fs::path db2 = database2.target();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::string id = "V" + std::to_string(i + 1);
        r = cli(db, {"export", "--patient", id, "--out", out.string()});
        REQUIRE(r.status == 0);
        fs::path written =
            out / (id + "_" + test::vignette_assessment(test::vignette_files()[i]).date + "_" +
                   std::to_string(i + 1) + ".json");
        CHECK(r.out == written.string() + "\n");
        CHECK(test::slurp(written) == test::slurp(inputs[i]));
        // Into a fresh database and out again: the same bytes.
        REQUIRE(cli(db2, {"import", written.string()}).status == 0);
        auto single = cli(db2, {"export", "--assessment", std::to_string(i + 1)});
        CHECK(single.status == 0);
        CHECK(single.out == test::slurp(inputs[i]));
    }
    // Never over an existing file.
    r = cli(db, {"export", "--patient", "V1", "--out", out.string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("already exists; export never overwrites a file") != std::string::npos);
}

TEST_CASE("cli: a bad file imports nothing and is reported with its JSON path") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto good = test::write_vignette_file(test::vignette_files()[0], tmp.path());
    Json bad_doc = assessment_to_json(test::vignette_assessment(test::vignette_files()[1]));
    bad_doc["answers"]["tp.knee_l"] = 7;
    fs::path bad = tmp.path() / "bad.json";
    test::spit(bad, bad_doc.dump(1));
    auto r = cli(db, {"import", good.string(), bad.string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == bad.string() + ": /answers/tp.knee_l: expected an integer 0..3, got 7\n");
    auto list = cli(db, {"list"});
    CHECK(list.out == "No patients stored.\n");
}

TEST_CASE("cli: a conflicting patient is refused with the file and field named") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto first = test::write_vignette_file(test::vignette_files()[0], tmp.path());
    REQUIRE(cli(db, {"import", first.string()}).status == 0);
    Assessment other = test::vignette_assessment(test::vignette_files()[0]);
    other.patient.name = "Zoe Akesson";
    other.date = "2026-11-27";
    fs::path second = tmp.path() / "second.json";
    test::spit(second, write_assessment(other));
    auto r = cli(db, {"import", second.string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == second.string() +
                       ": /patient/name: patient \"V1\" is stored with name \"Zoë Åkesson-Núñez\", "
                       "not \"Zoe Akesson\" (a differing name is refused, not overwritten)\n");
    CHECK(cli(db, {"history", "V1"}).out.find("2026-11-27") == std::string::npos);
}

TEST_CASE("cli: list, search and history") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto inputs = vignette_inputs(tmp.path());
    std::vector<std::string> args = {"import"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    REQUIRE(cli(db, args).status == 0);

    auto r = cli(db, {"list"});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("ID  NAME", 0) == 0);
    CHECK(r.out.find("AGE  VISITS  LAST VISIT  URGENCY") != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 7);

    r = cli(db, {"list", "--search", "zoe"});
    CHECK(r.status == 0);
    CHECK(r.out.find("Zoë Åkesson-Núñez") != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);

    r = cli(db, {"list", "--search", "nobody"});
    CHECK(r.out == "No patient matches \"nobody\".\n");

    r = cli(db, {"list", "--search", "ZOË", "--format", "json"});
    CHECK(r.status == 0);
    auto parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    REQUIRE(parsed.value->size() == 1);
    CHECK((*parsed.value)[0]["id"] == "V1");
    CHECK((*parsed.value)[0]["visits"] == 1);

    r = cli(db, {"history", "V1"});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("Zoë Åkesson-Núñez (V1, born 1981-04-02)\n", 0) == 0);
    CHECK(r.out.find("NRS NOW/AVG  WPI  SSS  FS  TENDER  URGENCY") != std::string::npos);
    CHECK(r.out.find("2026-11-20  initial  final") != std::string::npos);

    r = cli(db, {"history", "V1", "--format", "json"});
    parsed = parse_json(r.out);
    REQUIRE(parsed.value);
    CHECK((*parsed.value)["assessments"][0]["wpi"] == 9);

    r = cli(db, {"history", "nobody"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "myoscreen-cli: there is no patient \"nobody\"\n");
}

TEST_CASE("cli: history shows an original and its correction") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    {
        store::Store s(db, test::definitions());
        auto id =
            s.import_assessments({test::vignette_assessment(test::vignette_files()[0])})[0].id;
        auto fix = s.amend(id);
        s.finalize(fix);
    }
    auto r = cli(db, {"history", "V1"});
    CHECK(r.status == 0);
    CHECK(r.out.find("final, corrected by 2") != std::string::npos);
    CHECK(r.out.find("final, v2 corrects 1") != std::string::npos);
    fs::path out = tmp.path() / "out";
    REQUIRE(cli(db, {"export", "--patient", "V1", "--out", out.string()}).status == 0);
    auto written = files_in(out);
    REQUIRE(written.size() == 1);
    CHECK(written[0].filename() == "V1_2026-11-20_2.json");
}

TEST_CASE("cli: db check, db backup and refusals" * doctest::test_suite("sqlite file")) {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto input = test::write_vignette_file(test::vignette_files()[0], tmp.path());
    REQUIRE(cli(db, {"import", input.string()}).status == 0);

    auto r = cli(db, {"db", "check"});
    CHECK(r.status == 0);
    CHECK(r.out.find("integrity check: ok\n") != std::string::npos);
    CHECK(r.out.find("schema version: " + std::to_string(store::kSchemaVersion)) !=
          std::string::npos);
    CHECK(r.out.find("patients: 1\n") != std::string::npos);

    fs::path copy = tmp.path() / "backup.db";
    r = cli(db, {"db", "backup", copy.string()});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("backup written and verified: " + copy.string(), 0) == 0);
    CHECK(cli(copy, {"history", "V1"}).status == 0);
    r = cli(db, {"db", "backup", copy.string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());

    fs::path garbage = tmp.path() / "garbage.db";
    test::spit(garbage, std::string(4096, 'g'));
    r = cli(garbage, {"list"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "myoscreen-cli: " + garbage.string() +
                       " is not a SQLite database, so it is not a MyoScreen database; " +
                       garbage.string() + " was left untouched\n");
    r = cli(garbage, {"db", "check"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("problem: ") != std::string::npos);
}

TEST_CASE("cli: settings are shown and changed") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto r = cli(db, {"settings", "--clinic-name", "Clínica Ñandú", "--clinician", "Dr T. Okafor"});
    CHECK(r.status == 0);
    r = cli(db, {"settings"});
    CHECK(r.out == "clinic name: Clínica Ñandú\nclinic address: \nclinician: Dr T. Okafor\n");
}

TEST_CASE("cli: two processes importing at the same time both succeed") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto inputs = vignette_inputs(tmp.path());
    std::string cmd;
    for (const auto& input : inputs) {
        cmd += test::shell_quote(test::cli_path().string()) + " --forms " +
               test::shell_quote(test::forms_dir().string()) + " --db " +
               test::shell_quote(db.string()) + " import " + test::shell_quote(input) +
               " & pids=\"$pids $!\"; ";
    }
    cmd += "fail=0; for p in $pids; do wait $p || fail=1; done; exit $fail";
    auto r = test::run_command("( " + cmd + " )");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    store::Store s(db, test::definitions());
    CHECK(s.list_patients().size() == inputs.size());
    if (!database.postgresql()) {
        if (!database.postgresql()) {
            CHECK(s.connection().query_text("PRAGMA integrity_check") == "ok");
        }
    }
}

TEST_CASE("cli: an import killed at any moment stores all of its files or none") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    REQUIRE(cli(db, {"list"}).status == 0);
    constexpr int kFiles = 60;
    std::mt19937 rng(20261121);
    int complete = 0;
    int empty = 0;
    for (int round = 0; round < 8; ++round) {
        fs::path dir = tmp.path() / ("round" + std::to_string(round));
        fs::create_directory(dir);
        std::vector<std::string> argv = {test::cli_path().string(),
                                         "--forms",
                                         test::forms_dir().string(),
                                         "--db",
                                         db.string(),
                                         "import"};
        for (int i = 0; i < kFiles; ++i) {
            Assessment a = test::sample_assessment(
                "K" + std::to_string(round) + "-" + std::to_string(i), "Kill Test");
            fs::path file = dir / ("a" + std::to_string(i) + ".json");
            test::spit(file, write_assessment(a));
            argv.push_back(file.string());
        }
        std::vector<char*> raw;
        for (auto& s : argv) {
            raw.push_back(s.data());
        }
        raw.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = 0;
        REQUIRE(posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 150));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);

        store::Store s(db, test::definitions());
        if (!database.postgresql()) {
            if (!database.postgresql()) {
                CHECK(s.connection().query_text("PRAGMA integrity_check") == "ok");
            }
        }
        std::size_t stored = s.list_patients("k" + std::to_string(round)).size();
        CAPTURE(round);
        CHECK((stored == 0 || stored == kFiles));
        (stored == 0 ? empty : complete) += 1;
    }
    MESSAGE("killed imports: ", complete, " complete, ", empty, " stored nothing");
}

TEST_CASE("cli: evaluate --assessment N evaluates a stored assessment as evaluate FILE does") {
    TempDir tmp;
    test::TestDatabase database("a.db");
    fs::path db = database.target();
    auto inputs = vignette_inputs(tmp.path());
    REQUIRE(cli(db, {"import", inputs.front()}).status == 0);  // assessment 1
    for (std::string format : {"json", "text"}) {
        CAPTURE(format);
        auto stored = cli(db, {"evaluate", "--assessment", "1", "--format", format});
        auto file = cli(db, {"evaluate", inputs.front(), "--format", format});
        CHECK(stored.status == 0);
        CHECK(stored.out == file.out);
        CHECK_FALSE(stored.out.empty());
    }
    auto r = cli(db, {"evaluate", "--assessment", "99"});
    CHECK(r.status == 2);
    CHECK(r.err.find("99") != std::string::npos);
    r = cli(db, {"evaluate"});
    CHECK(r.status == 2);
    CHECK(r.err.find("name an assessment FILE or --assessment N") != std::string::npos);
    r = cli(db, {"evaluate", inputs.front(), "--assessment", "1"});
    CHECK(r.status == 2);
    CHECK(r.err.find("excludes") != std::string::npos);
}

TEST_CASE("cli: db copy between files quotes a file name holding a terminal escape" *
          doctest::test_suite("sqlite file")) {
    TempDir dir;
    const fs::path source = dir.path() / "source.db";
    REQUIRE(cli(source,
                {"import",
                 test::write_vignette_file(test::vignette_files().front(), dir.path()).string()})
                .status == 0);
    const std::string evil = (dir.path() / "x\x1b[31m.db").string();
    auto copied = cli(source, {"db", "copy", source.string(), evil});
    REQUIRE_MESSAGE(copied.status == 0, copied.err);
    // The report names the file, with the escape shown as text, never sent to the terminal.
    CHECK(copied.out.find('\x1b') == std::string::npos);
    CHECK(copied.out.find("x\\u001B[31m.db") != std::string::npos);
    // A refusal names it the same way (it exists now).
    auto again = cli(source, {"db", "copy", source.string(), evil});
    CHECK(again.status == 2);
    CHECK(again.err.find('\x1b') == std::string::npos);
    CHECK(again.err.find("x\\u001B[31m.db already exists") != std::string::npos);
}
