#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>

namespace myo::test {

namespace {

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs{};
int g_countdown = -1;  // -1: disarmed
int g_error = SQLITE_IOERR_WRITE;
bool g_sticky = true;
int g_failures = 0;

struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<FaultFile*>(f)->real;
}

// True when this write-type call must fail.
bool fault_now() {
    if (g_countdown < 0) {
        return false;
    }
    if (g_countdown > 0) {
        --g_countdown;
        return false;
    }
    ++g_failures;
    if (!g_sticky) {
        g_countdown = -1;
    }
    return true;
}

int x_close(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    int rc = r->pMethods != nullptr ? r->pMethods->xClose(r) : SQLITE_OK;
    std::free(r);
    return rc;
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (fault_now()) {
        return g_error;
    }
    return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (fault_now()) {
        return g_error == SQLITE_IOERR_WRITE ? SQLITE_IOERR_TRUNCATE : g_error;
    }
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
    if (fault_now()) {
        return g_error == SQLITE_IOERR_WRITE ? SQLITE_IOERR_FSYNC : g_error;
    }
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) {
    return real_of(f)->pMethods->xLock(real_of(f), level);
}
int x_unlock(sqlite3_file* f, int level) {
    return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int x_check_reserved(sqlite3_file* f, int* out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}
int x_device(sqlite3_file* f) {
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}
int x_shm_unmap(sqlite3_file* f, int remove) {
    return real_of(f)->pMethods->xShmUnmap(real_of(f), remove);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
    *out = nullptr;  // no memory-mapped reads: every access goes through xRead
    (void)f;
    (void)off;
    (void)n;
    return SQLITE_OK;
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    (void)f;
    (void)off;
    (void)p;
    return SQLITE_OK;
}

const sqlite3_io_methods kMethods = {3,           x_close,          x_read,         x_write,
                                     x_truncate,  x_sync,           x_file_size,    x_lock,
                                     x_unlock,    x_check_reserved, x_file_control, x_sector_size,
                                     x_device,    x_shm_map,        x_shm_lock,     x_shm_barrier,
                                     x_shm_unmap, x_fetch,          x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    auto* ff = reinterpret_cast<FaultFile*>(f);
    ff->base.pMethods = nullptr;
    ff->real =
        static_cast<sqlite3_file*>(std::calloc(1, static_cast<std::size_t>(g_real->szOsFile)));
    if (ff->real == nullptr) {
        return SQLITE_NOMEM;
    }
    int rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (ff->real->pMethods != nullptr) {
            ff->real->pMethods->xClose(ff->real);
        }
        std::free(ff->real);
        ff->real = nullptr;
        return rc;
    }
    ff->base.pMethods = &kMethods;
    return SQLITE_OK;
}
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return g_real->xDelete(g_real, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_real->xAccess(g_real, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_real->xFullPathname(g_real, name, n, out);
}
void* x_dlopen(sqlite3_vfs*, const char* name) {
    return g_real->xDlOpen(g_real, name);
}
void x_dlerror(sqlite3_vfs*, int n, char* out) {
    g_real->xDlError(g_real, n, out);
}
void (*x_dlsym(sqlite3_vfs*, void* h, const char* sym))(void) {
    return g_real->xDlSym(g_real, h, sym);
}
void x_dlclose(sqlite3_vfs*, void* h) {
    g_real->xDlClose(g_real, h);
}
int x_randomness(sqlite3_vfs*, int n, char* out) {
    return g_real->xRandomness(g_real, n, out);
}
int x_sleep(sqlite3_vfs*, int us) {
    return g_real->xSleep(g_real, us);
}
int x_current_time(sqlite3_vfs*, double* out) {
    return g_real->xCurrentTime(g_real, out);
}
int x_last_error(sqlite3_vfs*, int n, char* out) {
    return g_real->xGetLastError(g_real, n, out);
}
int x_current_time64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_real->xCurrentTimeInt64(g_real, out);
}

}  // namespace

FaultVfs::FaultVfs() {
    g_real = sqlite3_vfs_find("unix");
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile));
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = "myoscreen-fault";
    g_vfs.xOpen = x_open;
    g_vfs.xDelete = x_delete;
    g_vfs.xAccess = x_access;
    g_vfs.xFullPathname = x_full_pathname;
    g_vfs.xDlOpen = x_dlopen;
    g_vfs.xDlError = x_dlerror;
    g_vfs.xDlSym = x_dlsym;
    g_vfs.xDlClose = x_dlclose;
    g_vfs.xRandomness = x_randomness;
    g_vfs.xSleep = x_sleep;
    g_vfs.xCurrentTime = x_current_time;
    g_vfs.xGetLastError = x_last_error;
    g_vfs.xCurrentTimeInt64 = x_current_time64;
    g_countdown = -1;
    g_failures = 0;
    sqlite3_vfs_register(&g_vfs, 1);
}

FaultVfs::~FaultVfs() {
    sqlite3_vfs_unregister(&g_vfs);
    sqlite3_vfs_register(g_real, 1);
}

void FaultVfs::arm(int calls_first, int error, bool sticky) {
    g_countdown = calls_first;
    g_error = error;
    g_sticky = sticky;
}

void FaultVfs::disarm() {
    g_countdown = -1;
}

int FaultVfs::failures() const {
    return g_failures;
}

}  // namespace myo::test
