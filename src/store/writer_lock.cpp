#include "store/writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "store/errors.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

// One lock per database per process. flock belongs to an open file description, so a second
// open() of the lock file in the same process would conflict with the first; sharing the
// WriterLock keeps a process one instance.
std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}

std::map<std::string, std::weak_ptr<WriterLock>>& registry() {
    static std::map<std::string, std::weak_ptr<WriterLock>> r;
    return r;
}

// The real file, not the path as typed: "./clinic.db", "dir/../clinic.db" and a symbolic link
// to it all name one lock (the kernel resolves links and "..", not a string rule). A database
// that does not exist yet is named by its real folder.
fs::path real_path(const fs::path& database) {
    std::error_code ec;
    fs::path absolute = fs::absolute(database, ec);
    fs::path canonical = fs::weakly_canonical(ec ? database : absolute, ec);
    return ec ? database : canonical;
}

std::string key_of(const fs::path& database) {
    return real_path(database).string();
}

long holder_pid(int fd) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        return 0;
    }
    return std::strtol(buf, nullptr, 10);
}

std::shared_ptr<WriterLock> take(
    const fs::path& database, int timeout_ms, bool sole,
    const std::function<std::shared_ptr<WriterLock>(int, std::string)>& make) {
    std::lock_guard<std::mutex> guard(registry_mutex());
    std::string key = key_of(database);
    auto it = registry().find(key);
    if (it != registry().end()) {
        if (auto held = it->second.lock()) {
            if (sole) {
                throw StoreError(database.string() +
                                 " is open in this MyoScreen; close it before restoring a backup");
            }
            return held;
        }
        registry().erase(it);
    }
    fs::path lock = WriterLock::lock_path(database);
    int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int err = errno;
        throw StoreError("cannot create the lock file " + lock.string() + ": " +
                         std::strerror(err) +
                         " (MyoScreen needs to write in the database's folder)");
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        if (err == EINTR) {
            continue;
        }
        if (err != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
            long pid = err == EWOULDBLOCK ? holder_pid(fd) : 0;
            ::close(fd);
            if (err != EWOULDBLOCK) {
                throw StoreError("cannot lock " + lock.string() + ": " + std::strerror(err));
            }
            throw AlreadyOpen(pid, "MyoScreen is already open on " + database.string() +
                                       (pid > 0 ? " (pid " + std::to_string(pid) + ")" : "") +
                                       "; only one MyoScreen may change a database at a time. "
                                       "Close the other one, or open this database read-only");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // A second name (hard link) of the file would have a lock of its own; the lock can only
    // keep one writer out if the database has one name.
    struct stat st {};
    if (::stat(database.c_str(), &st) == 0 && st.st_nlink > 1) {
        ::close(fd);
        throw StoreError(database.string() + " has " + std::to_string(st.st_nlink) +
                         " names (hard links), so the one-writer lock cannot cover it; remove "
                         "the other names, or open it read-only");
    }
    // Who holds it, for the message the next instance shows.
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    auto lock_ptr = make(fd, key);
    registry()[key] = lock_ptr;
    return lock_ptr;
}

}  // namespace

WriterLock::WriterLock(int fd, std::string key) : fd_(fd), key_(std::move(key)) {}

WriterLock::~WriterLock() {
    // Closing the descriptor releases the flock. The pid is left: a stale pid is harmless,
    // because only the flock decides, and the next holder overwrites it.
    ::close(fd_);
}

fs::path WriterLock::lock_path(const fs::path& database) {
    return fs::path(real_path(database).string() + ".lock");
}

std::shared_ptr<WriterLock> WriterLock::acquire(const fs::path& database, int timeout_ms) {
    return take(database, timeout_ms, false, [](int fd, std::string key) {
        return std::shared_ptr<WriterLock>(new WriterLock(fd, std::move(key)));
    });
}

std::shared_ptr<WriterLock> WriterLock::acquire_sole(const fs::path& database, int timeout_ms) {
    return take(database, timeout_ms, true, [](int fd, std::string key) {
        return std::shared_ptr<WriterLock>(new WriterLock(fd, std::move(key)));
    });
}

}  // namespace myo::store
