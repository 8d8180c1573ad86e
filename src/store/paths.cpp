#include "store/paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "store/errors.hpp"

namespace myo::store {

namespace {

std::string errno_text(int err) {
    return std::strerror(err);
}

}  // namespace

std::filesystem::path default_database_path() {
    std::filesystem::path base;
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg != nullptr && xdg[0] == '/') {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        if (home == nullptr || home[0] != '/') {
            throw StoreError(
                "cannot tell where to keep the database: neither XDG_DATA_HOME nor HOME is set; "
                "use --db PATH");
        }
        base = std::filesystem::path(home) / ".local" / "share";
    }
    return base / "myoscreen" / "myoscreen.db";
}

void create_private_directories(const std::filesystem::path& dir) {
    if (dir.empty()) {
        return;
    }
    std::filesystem::path current;
    for (const auto& part : dir) {
        current /= part;
        if (::mkdir(current.c_str(), 0700) != 0) {
            int err = errno;
            if (err == EEXIST) {
                continue;
            }
            throw StoreError("cannot create the folder " + current.string() + ": " +
                             errno_text(err));
        }
    }
}

bool create_private_file(const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        int err = errno;
        if (err == EEXIST) {
            return false;
        }
        throw StoreError("cannot create " + file.string() + ": " + errno_text(err));
    }
    // The umask may only remove bits; make sure nobody else got any.
    ::fchmod(fd, 0600);
    ::close(fd);
    return true;
}

void sync_path(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw StoreError("cannot open " + path.string() + " to sync it: " + errno_text(errno));
    }
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) {
        throw StoreError("cannot sync " + path.string() + " to disk: " + errno_text(err));
    }
}

std::string network_filesystem_of(const std::filesystem::path& path) {
    struct statfs info {};
    if (::statfs(path.c_str(), &info) != 0) {
        return {};
    }
    // Magic numbers from linux/magic.h and statfs(2).
    switch (static_cast<unsigned long>(info.f_type)) {
        case 0x6969UL:
            return "NFS";
        case 0x517BUL:
            return "SMB";
        case 0xFF534D42UL:
            return "CIFS";
        case 0xFE534D42UL:
            return "SMB2";
        case 0x01021997UL:
            return "9P";
        case 0x73757245UL:
            return "Coda";
        case 0x564c:
            return "NCP";
        case 0x47504653UL:
            return "GPFS";
        case 0x19830326UL:
            return "FhGFS";
        case 0x0BD00BD0UL:
            return "Lustre";
        default:
            return {};
    }
}

}  // namespace myo::store
