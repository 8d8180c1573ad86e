#include "fileio/output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <random>

#include "hash/sha256.hpp"

namespace myo::fileio {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempPrefix = ".myoscreen-tmp-";

std::string errno_text(int err) {
    return std::strerror(err);
}

bool& unnamed_enabled() {
    static bool enabled = true;
    return enabled;
}

// Closes a descriptor on every path out of a function.
class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

// Where a path really is: symbolic links and ".." resolved by the kernel (not lexically).
struct Resolved {
    fs::path final;         // absolute, in its real folder
    bool exists = false;    // something is at `final`
    struct stat st {};      // of `final` when it exists
    struct stat folder {};  // of its folder
    std::string problem;    // why it cannot be resolved (then nothing else is set)
};

std::string describe(const fs::path& typed, const fs::path& final) {
    std::string text = typed.string();
    std::error_code ec;
    const fs::path absolute = fs::absolute(typed, ec);
    if (!ec && absolute.lexically_normal() != final) {
        text += " (" + final.string() + ")";
    }
    return text;
}

Resolved resolve(const fs::path& typed) {
    Resolved r;
    if (typed.empty()) {
        r.problem = "no file name was given";
        return r;
    }
    struct stat link {};
    std::error_code ec;
    if (::lstat(typed.c_str(), &link) == 0) {
        if (S_ISLNK(link.st_mode) && ::stat(typed.c_str(), &r.st) != 0) {
            r.problem =
                "it is a symbolic link to something that does not exist (or cannot be "
                "reached); name the real file";
            return r;
        }
        r.final = fs::canonical(typed, ec);
        if (ec) {
            r.problem = "it cannot be resolved: " + ec.message();
            return r;
        }
        if (::stat(r.final.c_str(), &r.st) != 0) {
            r.problem = "it cannot be examined: " + errno_text(errno);
            return r;
        }
        r.exists = true;
    } else if (errno == ENOENT) {
        const fs::path name = typed.filename();
        if (name.empty() || name == "." || name == "..") {
            r.problem = "it names a folder, not a file";
            return r;
        }
        const fs::path parent = typed.has_parent_path() ? typed.parent_path() : fs::path(".");
        const fs::path folder = fs::canonical(parent, ec);
        if (ec) {
            r.problem = "its folder " + parent.string() + " does not exist";
            return r;
        }
        r.final = folder / name;
    } else if (errno == ENOTDIR) {
        r.problem = typed.parent_path().string() + " is not a folder";
        return r;
    } else {
        r.problem = "it cannot be examined: " + errno_text(errno);
        return r;
    }
    if (::stat(r.final.parent_path().c_str(), &r.folder) != 0 || !S_ISDIR(r.folder.st_mode)) {
        r.problem = "its folder cannot be examined";
        return r;
    }
    return r;
}

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "is a folder, not a file";
    }
    if (S_ISFIFO(mode)) {
        return "is a named pipe (FIFO), not a regular file";
    }
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        return "is a device, not a regular file";
    }
    if (S_ISSOCK(mode)) {
        return "is a socket, not a regular file";
    }
    return S_ISREG(mode) ? nullptr : "is not a regular file";
}

[[noreturn]] void refuse(const fs::path& typed, const fs::path& final, std::string_view why) {
    throw OutputRefused("cannot write " + describe(typed, final) + ": it " + std::string(why) +
                        "; nothing was written");
}

void sync_folder(const fs::path& folder) {
    Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        throw OutputError("cannot sync the folder " + folder.string() +
                          " to disk: " + errno_text(errno));
    }
}

std::string random_suffix() {
    static std::random_device device;
    static std::mt19937_64 engine(device());
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(engine()));
    return buf;
}

fs::path temp_name(const fs::path& folder) {
    return folder / (std::string(kTempPrefix) + std::to_string(::getpid()) + "-" + random_suffix());
}

// A new file of our pattern in `folder`, locked; returns its descriptor.
int create_named_temp(const fs::path& folder, fs::path& name) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        name = temp_name(folder);
        int fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::flock(fd, LOCK_EX);
            ::fchmod(fd, 0600);
            return fd;
        }
        if (errno != EEXIST) {
            throw OutputError("cannot create a file in " + folder.string() + ": " +
                              errno_text(errno));
        }
    }
    throw OutputError("cannot find a free temporary name in " + folder.string());
}

// Links the unnamed file `fd` at `name`; false with errno set when it cannot.
bool link_descriptor(int fd, const fs::path& name) {
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        return true;
    }
    if (errno != ENOENT) {
        return false;
    }
    // No /proc: AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH, but try.
    return ::linkat(fd, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH) == 0;
}

// A name that was free when checked was taken before the file was linked in (write_new_file
// then tries the next name).
class NameTaken : public OutputRefused {
  public:
    using OutputRefused::OutputRefused;
};

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Moves the named file `from` to the new name `to` without ever replacing anything. Returns
// false (errno EEXIST) when `to` exists.
bool move_no_replace(const fs::path& from, const fs::path& to) {
    if (::link(from.c_str(), to.c_str()) == 0) {
        ::unlink(from.c_str());
        return true;
    }
    if (errno == EEXIST) {
        return false;
    }
    // Filesystems without hard links (vfat): renameat2 can still refuse to replace.
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
        return true;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        return false;
    }
    struct stat st {};
    if (::lstat(to.c_str(), &st) == 0) {
        errno = EEXIST;
        return false;
    }
    return ::rename(from.c_str(), to.c_str()) == 0;
}

// Swaps the named file `temp` with the existing regular file `target`, atomically, and checks
// that what came out is the file that was checked (`checked`); anything else is swapped back.
// Afterwards `temp` holds the old report and is removed.
void exchange_into_place(const fs::path& temp, const fs::path& target, const struct stat& checked,
                         const fs::path& typed) {
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        struct stat old {};
        if (::lstat(temp.c_str(), &old) != 0 || !same_file(old, checked)) {
            // Replaced between the check and now: put it back, drop ours.
            ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE);
            ::unlink(temp.c_str());
            refuse(typed, target, "was changed by someone else while the report was written");
        }
        ::unlink(temp.c_str());
        return;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        const int err = errno;
        ::unlink(temp.c_str());
        throw OutputError("cannot put " + typed.string() + " in place: " + errno_text(err));
    }
    // No RENAME_EXCHANGE on this filesystem: check again just before the rename.
    struct stat now {};
    if (::lstat(target.c_str(), &now) != 0 || !S_ISREG(now.st_mode) || !same_file(now, checked)) {
        ::unlink(temp.c_str());
        refuse(typed, target, "was changed by someone else while the report was written");
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        throw OutputError("cannot put " + typed.string() + " in place: " + errno_text(err));
    }
}

void write_all_synced(int fd, std::string_view bytes, const fs::path& typed) {
    write_all(fd, bytes, typed);
    if (::fsync(fd) != 0) {
        throw OutputError("cannot write " + typed.string() + ": " + errno_text(errno));
    }
}

// A process id from a temporary's name, or 0.
pid_t pid_of_temporary(std::string_view name) {
    if (name.substr(0, kTempPrefix.size()) != kTempPrefix) {
        return 0;
    }
    name.remove_prefix(kTempPrefix.size());
    long pid = 0;
    std::size_t i = 0;
    for (; i < name.size() && i < 10 && name[i] >= '0' && name[i] <= '9'; ++i) {
        pid = pid * 10 + (name[i] - '0');
    }
    return i < name.size() && name[i] == '-' ? static_cast<pid_t>(pid) : 0;
}

// A report may replace what looks like an earlier report: a PDF, or an empty file (one a
// previous run was killed before filling, or `touch`).
bool is_pdf_or_empty(const fs::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        return false;
    }
    char head[5] = {};
    const ssize_t n = ::read(fd.get(), head, sizeof head);
    return n == 0 || (n == 5 && std::string_view(head, 5) == "%PDF-");
}

}  // namespace

void ProtectedSet::add_file(const fs::path& path, std::string what) {
    const Resolved r = resolve(path);
    if (!r.problem.empty()) {
        return;  // nothing there and no folder: nothing can be written over
    }
    if (r.exists) {
        files_.push_back({r.st.st_dev, r.st.st_ino, what});
    }
    names_.push_back({r.folder.st_dev, r.folder.st_ino, r.final.filename().string(), what});
}

void ProtectedSet::add_folder(const fs::path& path, std::string what, bool new_names) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        folders_.push_back({st.st_dev, st.st_ino, std::move(what), new_names});
    }
}

std::string ProtectedSet::protects(const fs::path& path) const {
    const Resolved r = resolve(path);
    if (!r.problem.empty()) {
        return {};
    }
    if (r.exists) {
        for (const auto& f : files_) {
            if (f.dev == r.st.st_dev && f.ino == r.st.st_ino) {
                return f.what;
            }
        }
        for (const auto& f : folders_) {
            if (f.dev == r.st.st_dev && f.ino == r.st.st_ino) {
                return f.what;
            }
        }
    }
    for (const auto& f : folders_) {
        if (f.dev == r.folder.st_dev && f.ino == r.folder.st_ino && (r.exists || !f.new_names)) {
            return (r.exists ? "a file in " : "in ") + f.what;
        }
    }
    const std::string name = r.final.filename().string();
    for (const auto& n : names_) {
        if (n.dev == r.folder.st_dev && n.ino == r.folder.st_ino && n.name == name) {
            return n.what;
        }
    }
    return {};
}

fs::path check_target(const fs::path& target, const ProtectedSet& protect, Existing existing,
                      std::string_view exists_note) {
    const Resolved r = resolve(target);
    if (!r.problem.empty()) {
        throw OutputRefused("cannot write " + target.string() + ": " + r.problem +
                            "; nothing was written");
    }
    if (r.exists) {
        if (const char* kind = kind_of(r.st.st_mode)) {
            refuse(target, r.final, kind);
        }
    }
    if (const std::string what = protect.protects(target); !what.empty()) {
        // A verb that never replaces says so about an ordinary existing file (an earlier
        // backup in the backups folder); the database and the inputs are named as such.
        const bool ordinary = what.rfind("a file in ", 0) == 0;
        if (!(ordinary && existing == Existing::Refuse)) {
            refuse(target, r.final, "is " + what + ", which this command never writes to");
        }
    }
    if (r.exists && existing == Existing::ReplacePdf && !is_pdf_or_empty(r.final)) {
        refuse(target, r.final,
               "exists and is not a PDF; a report only replaces an earlier report (a PDF), so "
               "choose a new name");
    }
    if (r.exists && existing == Existing::Refuse) {
        throw NameTaken(target.string() + " already exists; " + std::string(exists_note));
    }
    return r.final;
}

fs::path write_file(const fs::path& target, std::string_view bytes, const ProtectedSet& protect,
                    Existing existing, std::string_view exists_note) {
    const fs::path final = check_target(target, protect, existing, exists_note);
    struct stat checked {};
    const bool replace = ::lstat(final.c_str(), &checked) == 0;
    const fs::path folder = final.parent_path();
    remove_stale_temporaries(folder);

    fs::path named;  // set when the file has a temporary name of ours
    int raw = unnamed_enabled() ? ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)
                                : (errno = EOPNOTSUPP, -1);
    if (raw < 0) {
        const int err = errno;
        if (err != EOPNOTSUPP && err != EISDIR && err != EINVAL) {
            throw OutputError("cannot write in " + folder.string() + ": " + errno_text(err));
        }
        // A filesystem without O_TMPFILE: a name of our pattern, removed if we are killed.
        raw = create_named_temp(folder, named);
    } else {
        // Locked before it ever has a name, so a sweep never takes it for a stale one.
        ::flock(raw, LOCK_EX);
        ::fchmod(raw, 0600);
    }
    Fd fd(raw);
    try {
        write_all_synced(fd.get(), bytes, target);
        if (!replace) {
            const bool placed =
                named.empty() ? link_descriptor(fd.get(), final) : move_no_replace(named, final);
            if (!placed) {
                if (errno == EEXIST) {
                    throw NameTaken(target.string() + " appeared while it was written; " +
                                    std::string(exists_note));
                }
                throw OutputError("cannot write " + target.string() + ": " + errno_text(errno));
            }
            named.clear();
        } else {
            if (named.empty()) {
                named = temp_name(folder);
                if (!link_descriptor(fd.get(), named)) {
                    const int err = errno;
                    named.clear();
                    throw OutputError("cannot write " + target.string() + ": " + errno_text(err));
                }
            }
            const fs::path temp = named;
            named.clear();  // exchange_into_place removes it on every path
            exchange_into_place(temp, final, checked, target);
        }
        sync_folder(folder);
    } catch (...) {
        if (!named.empty()) {
            ::unlink(named.c_str());
        }
        throw;
    }
    return final;
}

std::string numbered_name(std::string_view stem, std::string_view extension, int n) {
    std::string name(stem);
    if (n > 1) {
        name += " (" + std::to_string(n) + ")";
    }
    return name + std::string(extension);
}

fs::path first_free_name(const fs::path& folder, std::string_view stem,
                         std::string_view extension) {
    for (int n = 1;; ++n) {
        const fs::path candidate = folder / numbered_name(stem, extension, n);
        struct stat st {};
        if (::lstat(candidate.c_str(), &st) != 0 || n >= 1000) {
            return candidate;
        }
    }
}

fs::path write_new_file(const fs::path& folder, std::string_view stem, std::string_view extension,
                        std::string_view bytes, const ProtectedSet& protect) {
    constexpr int kMaxCopies = 1000;
    for (int n = 1; n <= kMaxCopies; ++n) {
        const fs::path candidate = folder / numbered_name(stem, extension, n);
        struct stat st {};
        if (::lstat(candidate.c_str(), &st) == 0) {
            continue;  // something has this name: it keeps it
        }
        try {
            return write_file(candidate, bytes, protect, Existing::Refuse);
        } catch (const NameTaken&) {
            continue;  // taken between the check and the link
        }
    }
    throw OutputRefused("cannot write " + (folder / numbered_name(stem, extension, 1)).string() +
                        ": it and " + std::to_string(kMaxCopies - 1) +
                        " numbered copies exist already; nothing was written");
}

TempFile::TempFile(const fs::path& folder) {
    const fs::path dir = folder.empty() ? fs::path(".") : folder;
    remove_stale_temporaries(dir);
    fd_ = create_named_temp(dir, path_);
}

TempFile::~TempFile() {
    if (!placed_) {
        // SQLite's companions of the temporary go with it.
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
            ::unlink((path_.string() + suffix).c_str());
        }
    }
    ::close(fd_);
}

void TempFile::place_new(const fs::path& target, std::string_view exists_note) {
    if (!move_no_replace(path_, target)) {
        if (errno == EEXIST) {
            throw OutputRefused(target.string() + " already exists; " + std::string(exists_note));
        }
        throw OutputError("cannot put " + target.string() + " in place: " + errno_text(errno));
    }
    placed_ = true;
    sync_folder(target.has_parent_path() ? target.parent_path() : fs::path("."));
}

void TempFile::place_over(const fs::path& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) {
        throw OutputError("cannot put " + target.string() + " in place: " + errno_text(errno));
    }
    placed_ = true;
    sync_folder(target.has_parent_path() ? target.parent_path() : fs::path("."));
}

void set_unnamed_temporaries(bool enabled) {
    unnamed_enabled() = enabled;
}

bool is_temporary_name(std::string_view name) {
    return pid_of_temporary(name) > 0;
}

void remove_stale_temporaries(const fs::path& folder) {
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) {
        return;
    }
    DIR* stream = ::fdopendir(::dup(dir.get()));
    if (stream == nullptr) {
        return;
    }
    std::vector<std::string> stale;
    while (const dirent* entry = ::readdir(stream)) {
        const std::string_view name = entry->d_name;
        const pid_t pid = pid_of_temporary(name);
        if (pid <= 0 || pid == ::getpid()) {
            continue;
        }
        // A writer that still runs keeps its temporaries (also SQLite's companions of them).
        if (::kill(pid, 0) == 0 || errno == EPERM) {
            continue;
        }
        stale.emplace_back(name);
    }
    ::closedir(stream);
    for (const auto& name : stale) {
        // Only regular files, and only when nobody holds the temporary's lock (a writer in
        // another pid namespace, whose pid means nothing here).
        Fd fd(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        struct stat st {};
        if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
            ::unlinkat(dir.get(), name.c_str(), 0);
        }
    }
}

std::string safe_file_part(std::string_view id, std::size_t max_length) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const auto c = static_cast<unsigned char>(id[i]);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '_' || ((c == '-' || c == '.') && i > 0);
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    if (out.empty()) {
        out = "%";  // an empty id still names a file, unlike any other id's
    }
    if (out.size() > max_length) {
        const std::string hash = "~" + sha256_hex(id).substr(0, 16);
        std::size_t keep = max_length > hash.size() ? max_length - hash.size() : 0;
        // Never cut an escape in half.
        while (keep > 0 && keep < out.size() &&
               (out[keep - 1] == '%' || (keep >= 2 && out[keep - 2] == '%'))) {
            --keep;
        }
        out = out.substr(0, keep) + hash;
    }
    return out;
}

void write_all(int fd, std::string_view bytes, const fs::path& name) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw OutputError("cannot write " + name.string() + ": " + errno_text(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace myo::fileio
