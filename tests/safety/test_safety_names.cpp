// Issue 11: a name the application chooses (the GUI's PDF buttons, `demo`) never replaces a
// file: the first free of "x.pdf", "x (2).pdf", "x (3).pdf"... is taken, and whatever had the
// name before is left exactly as it was. A name the user typed (`report -o`) is theirs and
// keeps its documented rule (an earlier PDF there is replaced).

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "fileio/output_file.hpp"
#include "safety_util.hpp"
#include "store_test_util.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace myo;

namespace {

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        out.insert(entry.path().filename().string());
    }
    return out;
}

}  // namespace

TEST_CASE("write_new_file: an existing name is never replaced; the next number is taken") {
    test::TempDir tmp;
    const fs::path dir = tmp.path();
    const fileio::ProtectedSet none;
    CHECK(fileio::numbered_name("P1-referral", ".pdf", 1) == "P1-referral.pdf");
    CHECK(fileio::numbered_name("P1-referral", ".pdf", 3) == "P1-referral (3).pdf");

    const fs::path first = fileio::write_new_file(dir, "P1-referral", ".pdf", "%PDF-first", none);
    CHECK(first.filename() == "P1-referral.pdf");
    const fs::path second = fileio::write_new_file(dir, "P1-referral", ".pdf", "%PDF-second", none);
    CHECK(second.filename() == "P1-referral (2).pdf");
    CHECK(test::slurp(first) == "%PDF-first");
    CHECK(test::slurp(second) == "%PDF-second");
    struct stat st {};
    REQUIRE(::stat(second.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // Whatever holds a name keeps it: a file that is not a PDF, a folder, a link to nothing.
    test::spit(dir / "P2-referral.pdf", "my notes");
    fs::create_directory(dir / "P2-referral (2).pdf");
    fs::create_symlink("nowhere", dir / "P2-referral (3).pdf");
    CHECK(fileio::first_free_name(dir, "P2-referral", ".pdf").filename() == "P2-referral (4).pdf");
    const fs::path fourth = fileio::write_new_file(dir, "P2-referral", ".pdf", "%PDF-new", none);
    CHECK(fourth.filename() == "P2-referral (4).pdf");
    CHECK(test::slurp(dir / "P2-referral.pdf") == "my notes");
    CHECK(fs::is_directory(dir / "P2-referral (2).pdf"));
    CHECK(fs::is_symlink(dir / "P2-referral (3).pdf"));
    // Nothing of ours is left behind.
    for (const auto& name : names_in(dir)) {
        CHECK_FALSE(fileio::is_temporary_name(name));
    }
}

TEST_CASE("write_new_file: a protected name is still refused, with nothing written") {
    test::TempDir tmp;
    const fs::path dir = tmp.path();
    fileio::ProtectedSet protect;
    protect.add_file(dir / "x.pdf", "the database");
    const auto before = names_in(dir);
    CHECK_THROWS_AS(fileio::write_new_file(dir, "x", ".pdf", "%PDF-", protect),
                    fileio::OutputRefused);
    CHECK(names_in(dir) == before);
}

TEST_CASE("without O_TMPFILE: write_new_file numbers the same way") {
    test::TempDir tmp;
    fileio::set_unnamed_temporaries(false);
    const fs::path a = fileio::write_new_file(tmp.path(), "n", ".pdf", "%PDF-a", {});
    const fs::path b = fileio::write_new_file(tmp.path(), "n", ".pdf", "%PDF-b", {});
    fileio::set_unnamed_temporaries(true);
    CHECK(a.filename() == "n.pdf");
    CHECK(b.filename() == "n (2).pdf");
    CHECK(test::slurp(a) == "%PDF-a");
    CHECK(names_in(tmp.path()) == std::set<std::string>{"n.pdf", "n (2).pdf"});
}

TEST_CASE("demo: a second run keeps the first run's reports and numbers its own") {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "pdf";
    const fs::path input = test::write_base_file(tmp.path());
    const fs::path db = tmp.path() / "clinic.db";
    auto r = test::cli(db, {"demo", "--out", out.string(), input.string()});
    REQUIRE(r.status == 0);
    const std::string stem = input.stem().string();
    const std::string first = test::slurp(out / (stem + "-referral.pdf"));
    // A file of the user's that happens to have the next name keeps it too.
    test::spit(out / (stem + "-handout (2).pdf"), "mine");
    r = test::cli(db, {"demo", "--out", out.string(), input.string()});
    REQUIRE(r.status == 0);
    CHECK(r.out.find(stem + "-referral (2).pdf") != std::string::npos);
    CHECK(r.out.find(stem + "-handout (3).pdf") != std::string::npos);
    CHECK(test::slurp(out / (stem + "-referral.pdf")) == first);
    CHECK(test::slurp(out / (stem + "-handout (2).pdf")) == "mine");
    CHECK(names_in(out) == std::set<std::string>{stem + "-referral.pdf", stem + "-handout.pdf",
                                                 stem + "-referral (2).pdf",
                                                 stem + "-handout (2).pdf",
                                                 stem + "-handout (3).pdf"});
}
