#pragma once
// The one way MyoScreen writes a file a user named (a PDF, an export, a backup): never over
// something that is not a report, and never leaving a partial or stray file behind.
//
// Why one module: every writer (report, export, demo, backup, restore, the GUI's PDF buttons)
// must refuse the same targets (the open database and its companions, the command's own input
// files, anything that is not a regular file) and must survive a SIGKILL at any moment. Targets
// are compared by device and inode, never by the path as typed, so "./clinic.db",
// "dir/../clinic.db", a symbolic link or a hard link to the database are all recognised.
//
// Plain POSIX (Linux): no SQLite, no wx; linked by report, store, cli and gui.

#include <sys/types.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace myo::fileio {

// The target may not be written (it is protected, not a regular file, or exists and the verb
// never overwrites). Nothing was changed. The message names the path and why.
class OutputRefused : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Writing failed (disk full, permissions...). Nothing was changed: the target is as it was.
class OutputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Files and folders a command must never write over, each with what it is ("the database").
class ProtectedSet {
  public:
    // Protects the file at `path` (following symbolic links) by device and inode if it exists,
    // and its name in its real folder either way (so a -wal that does not exist yet cannot be
    // created by a report).
    void add_file(const std::filesystem::path& path, std::string what);
    // Protects a folder: the folder itself and every existing entry in it, and new names in it
    // unless `new_names` (the backup verb writes new backups there; nothing else may, so a report
    // named like tomorrow's backup cannot take that backup's place).
    void add_folder(const std::filesystem::path& path, std::string what, bool new_names = false);

    // What `path` is ("the database", "in the forms folder"), if it is protected (resolved:
    // an existing target by device and inode, a new name by its real folder and name). Empty
    // when it may be written.
    std::string protects(const std::filesystem::path& path) const;

    bool empty() const { return files_.empty() && names_.empty() && folders_.empty(); }

  private:
    struct Id {
        dev_t dev;
        ino_t ino;
        std::string what;
    };
    struct Name {
        dev_t dev;  // of the folder
        ino_t ino;
        std::string name;
        std::string what;
    };
    std::vector<Id> files_;
    std::vector<Name> names_;
    struct Folder {
        dev_t dev;
        ino_t ino;
        std::string what;
        bool new_names;
    };
    std::vector<Folder> folders_;
};

inline constexpr std::string_view kNeverOverwrites = "it is never overwritten, choose a new name";

enum class Existing {
    Refuse,          // exports and backups: an existing name is never replaced
    ReplacePdf,      // reports: an existing PDF (or empty file) that is not protected is replaced;
                     // any other file is not a report and is refused
    ReplaceRegular,  // restore: the database itself, which the caller has checked
};

// Where a write to `target` really lands (symbolic links followed, the folder made absolute),
// after checking it: throws OutputRefused when the target is protected, is not a regular file
// or a new name (folder, FIFO, device, socket, a link to nothing), its folder does not exist,
// an existing file that is not a PDF (Existing::ReplacePdf), or (Existing::Refuse) it exists:
// then the message is "<target> already exists; " +
// `exists_note` (the verb's own rule, e.g. "export never overwrites a file").
std::filesystem::path check_target(const std::filesystem::path& target, const ProtectedSet& protect,
                                   Existing existing,
                                   std::string_view exists_note = kNeverOverwrites);

// Writes `bytes` to `target` with mode 0600 (reports and exports hold health records): an
// unnamed O_TMPFILE in the target's folder, fsynced, then linked into place (or, replacing a
// report, exchanged with it atomically and the old one unlinked); the folder is fsynced. A
// SIGKILL at any moment leaves the old target or the complete new one, and at most a
// temporary of our own pattern that the next write into that folder removes. Throws
// OutputRefused (see check_target) or OutputError. Returns the path written.
std::filesystem::path write_file(const std::filesystem::path& target, std::string_view bytes,
                                 const ProtectedSet& protect, Existing existing,
                                 std::string_view exists_note = kNeverOverwrites);

// Writes `bytes` under a name the application chose, never over anything: `stem` + `extension`
// in `folder`, else `stem (2)` + `extension`, `stem (3)`... the first name that is free (any
// existing entry, even a dangling link, keeps its name). Race-free: the file is linked in with
// "create, do not replace", so a name taken meanwhile moves on to the next. Otherwise as
// write_file with Existing::Refuse (0600, atomic, protected targets refused). Returns the path.
std::filesystem::path write_new_file(const std::filesystem::path& folder, std::string_view stem,
                                     std::string_view extension, std::string_view bytes,
                                     const ProtectedSet& protect);

// The first of those names that is free now (what write_new_file would try first), for a
// check before anything is written.
std::filesystem::path first_free_name(const std::filesystem::path& folder, std::string_view stem,
                                      std::string_view extension);

// The name write_new_file tries for copy `n` (1: "stem.pdf", 2: "stem (2).pdf"...).
std::string numbered_name(std::string_view stem, std::string_view extension, int n);

// A named temporary of our own, for writers that need a path (SQLite's backup API): created
// 0600 with O_EXCL in `folder` under our pattern, locked with flock while this object lives so
// that no other process's sweep removes it. The destructor removes it (and SQLite's companions
// of it) unless it was placed.
class TempFile {
  public:
    explicit TempFile(const std::filesystem::path& folder);
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // Moves the file to `target`, which must be a new name (race-free: never replaces
    // anything); fsyncs the folder. Throws OutputRefused (with `exists_note`) if the name was
    // taken meanwhile, OutputError if it cannot be moved.
    void place_new(const std::filesystem::path& target,
                   std::string_view exists_note = kNeverOverwrites);
    // Moves the file over `target` (rename). For restore, which replaces the database after
    // checking it; the caller has checked `target`.
    void place_over(const std::filesystem::path& target);

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    bool placed_ = false;
};

// Removes temporaries of our pattern in `folder` left by a process that no longer runs (killed
// mid-write). Never touches another name, nor a temporary whose writer still runs.
void remove_stale_temporaries(const std::filesystem::path& folder);

// Test seam: behave as on a filesystem without O_TMPFILE (named temporaries only).
void set_unnamed_temporaries(bool enabled);

// True when `name` is one of our temporaries (or a companion SQLite made beside one).
bool is_temporary_name(std::string_view name);

// Writes every byte to `fd` (a short write or EINTR is continued); OutputError names `name`.
void write_all(int fd, std::string_view bytes, const std::filesystem::path& name);

// A file name for `id` that is safe on every filesystem and unique per id: ASCII letters,
// digits, '_', and '-' and '.' after the first byte stay; every other byte ('/', '%', spaces,
// control characters, each byte of a non-ASCII character) becomes %XX (upper-case hex), so a
// name never starts with '-' or '.', and "" becomes "%". An escaped name longer than
// `max_length` bytes is cut and ends in '~' and the first 16 hex digits of the id's SHA-256,
// so distinct long ids stay distinct.
std::string safe_file_part(std::string_view id, std::size_t max_length = 120);

}  // namespace myo::fileio
