#pragma once
// The one-writer rule: a process that opens a database for writing holds an exclusive flock on
// "<database>.lock" for as long as it keeps the database open. The lock belongs to the real
// file: its path with symbolic links and ".." resolved by the kernel, so a link to the database
// or "dir/../" reaches the same lock; a database with a second name (hard link) is refused for
// writing, since the other name would have another lock. A second MyoScreen is told who
// holds it (AlreadyOpen, with the pid written in the lock file) and can open read-only instead.
//
// Why a lock file and not SQLite's own locks: SQLite locks per transaction, so two instances
// would each save happily and overwrite each other's view of a record (the GUI keeps a draft on
// screen for minutes). The kernel drops a flock when its process dies, even by SIGKILL, so a
// crash never leaves a stale lock; the file itself stays (unlinking a lock file races with a
// process that has just opened it).

#include <filesystem>
#include <memory>

namespace myo::store {

class WriterLock {
  public:
    ~WriterLock();
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

    // The lock of `database`, waiting up to `timeout_ms` for another process to let go. Stores of
    // one process share one lock (a process is one instance). Throws AlreadyOpen, or StoreError
    // when the lock file cannot be created.
    static std::shared_ptr<WriterLock> acquire(const std::filesystem::path& database,
                                               int timeout_ms);
    // As acquire, but also refuses (StoreError) when this process has the database open: a
    // restore replaces the file and must be the only user.
    static std::shared_ptr<WriterLock> acquire_sole(const std::filesystem::path& database,
                                                    int timeout_ms);

    // <real path of the database>.lock
    static std::filesystem::path lock_path(const std::filesystem::path& database);

  private:
    WriterLock(int fd, std::string key);
    int fd_ = -1;
    std::string key_;
};

}  // namespace myo::store
