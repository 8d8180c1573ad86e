#pragma once
// A SQLite VFS over the default "unix" one that makes writes fail on demand, the way SQLite's
// own I/O-error tests do (testing.html, "I/O error testing"): after N more write, truncate or
// sync calls, every call (or only the next) returns the chosen error, e.g. SQLITE_FULL or
// SQLITE_IOERR_WRITE. While a FaultVfs exists it is the default VFS of the process, so every
// connection the store opens goes through it.

namespace myo::test {

class FaultVfs {
  public:
    FaultVfs();
    ~FaultVfs();
    FaultVfs(const FaultVfs&) = delete;
    FaultVfs& operator=(const FaultVfs&) = delete;

    // Fails the write-type call after `calls_first` more succeed; `sticky` keeps failing.
    void arm(int calls_first, int error, bool sticky);
    void disarm();
    int failures() const;  // calls failed since construction
};

}  // namespace myo::test
