#include "store/paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "store/chain_record.hpp"
#include "store/errors.hpp"
#include "store/writer_lock.hpp"

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

void protect_database(fileio::ProtectedSet& set, const std::filesystem::path& database,
                      bool backups_writable) {
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::weakly_canonical(database, ec);
    for (const auto& name : {database, ec ? database : real}) {
        set.add_file(name, "the database");
        set.add_file(name.string() + "-wal", "the database's write-ahead log");
        set.add_file(name.string() + "-shm", "the database's shared-memory file");
        set.add_file(name.string() + "-journal", "the database's journal");
        set.add_file(name.string() + ".lock", "the database's lock file");
        set.add_file(chain_record_path(name), "the database's chain record");
    }
    set.add_file(WriterLock::lock_path(database), "the database's lock file");
    const auto folder = database.has_parent_path() ? database.parent_path() : ".";
    set.add_file(std::filesystem::path(folder) / "backups", "the database's backups folder");
    set.add_folder(std::filesystem::path(folder) / "backups", "the database's backups folder",
                   backups_writable);
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

namespace {

constexpr std::uint64_t kFuseMagic = 0x65735546ULL;

FilesystemTypeLookup& type_lookup() {
    static FilesystemTypeLookup lookup;
    return lookup;
}

MountTableReader& mount_reader() {
    static MountTableReader reader;
    return reader;
}

std::optional<std::uint64_t> real_filesystem_type(const std::filesystem::path& path) {
    struct statfs info {};
    if (::statfs(path.c_str(), &info) != 0) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(info.f_type);
}

std::string real_mount_table() {
    std::ifstream in("/proc/self/mounts");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// /proc/self/mounts escapes space, tab, newline and backslash as octal (\040...).
std::string unescape_mount_field(std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            int value = 0;
            bool octal = true;
            for (std::size_t k = 1; k <= 3; ++k) {
                char c = field[i + k];
                octal = octal && c >= '0' && c <= '7';
                value = value * 8 + (c - '0');
            }
            if (octal) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += field[i];
    }
    return out;
}

bool is_under(const std::filesystem::path& path, const std::filesystem::path& mount_point) {
    auto p = path.begin();
    for (auto m = mount_point.begin(); m != mount_point.end(); ++m) {
        if (m->empty()) {
            continue;  // the trailing "" of "/mnt/"
        }
        if (p == path.end() || *p != *m) {
            return false;
        }
        ++p;
    }
    return true;
}

}  // namespace

void set_filesystem_type_lookup(FilesystemTypeLookup lookup) {
    type_lookup() = std::move(lookup);
}

void set_mount_table_reader(MountTableReader reader) {
    mount_reader() = std::move(reader);
}

std::string network_filesystem_name(std::uint64_t f_type) {
    // Magic numbers from linux/magic.h and statfs(2).
    switch (f_type) {
        case 0x6969ULL:
            return "NFS";
        case 0x517BULL:
            return "SMB";
        case 0xFF534D42ULL:
            return "CIFS";
        case 0xFE534D42ULL:
            return "SMB2";
        case 0x01021997ULL:
            return "9P";
        case 0x73757245ULL:
            return "Coda";
        case 0x564cULL:
            return "NCP";
        case 0x47504653ULL:
            return "GPFS";
        case 0x19830326ULL:
            return "FhGFS";
        case 0x0BD00BD0ULL:
            return "Lustre";
        case 0x00C36400ULL:
            return "Ceph";
        case 0x5346414FULL:
            return "AFS";
        default:
            return {};
    }
}

std::string fuse_network_filesystem(std::string_view mounts, const std::filesystem::path& path) {
    // FUSE filesystems that reach another machine; their locking is as unreliable as NFS's.
    static const char* const kNetworkFuse[] = {"sshfs",     "rclone",    "s3fs",      "gcsfuse",
                                               "curlftpfs", "smbnetfs",  "glusterfs", "davfs",
                                               "ceph",      "ceph-fuse", "goofys",    "blobfuse"};
    std::string best_type;
    std::size_t best_length = 0;
    bool found = false;
    std::size_t pos = 0;
    while (pos < mounts.size()) {
        std::size_t end = mounts.find('\n', pos);
        std::string_view line =
            mounts.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? mounts.size() : end + 1;
        std::string_view fields[3];
        std::size_t at = 0;
        for (auto& field : fields) {
            while (at < line.size() && line[at] == ' ') {
                ++at;
            }
            std::size_t stop = line.find(' ', at);
            field = line.substr(
                at, stop == std::string_view::npos ? std::string_view::npos : stop - at);
            at = stop == std::string_view::npos ? line.size() : stop;
        }
        std::string mount_point = unescape_mount_field(fields[1]);
        if (mount_point.empty() || !is_under(path, mount_point)) {
            continue;
        }
        // The innermost mount point holding the path is the one that serves it.
        if (!found || mount_point.size() >= best_length) {
            found = true;
            best_length = mount_point.size();
            best_type = std::string(fields[2]);
        }
    }
    std::string_view type = best_type;
    if (type.substr(0, 5) == "fuse.") {
        type.remove_prefix(5);
    } else if (type.substr(0, 8) == "fuseblk.") {
        type.remove_prefix(8);
    } else {
        return {};
    }
    for (const char* name : kNetworkFuse) {
        if (type == name) {
            return std::string(type);
        }
    }
    return {};
}

std::string network_filesystem_of(const std::filesystem::path& path) {
    auto f_type = type_lookup() ? type_lookup()(path) : real_filesystem_type(path);
    if (!f_type) {
        return {};
    }
    if (*f_type == kFuseMagic) {
        std::error_code ec;
        auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
        return fuse_network_filesystem(mount_reader() ? mount_reader()() : real_mount_table(),
                                       absolute);
    }
    return network_filesystem_name(*f_type);
}

}  // namespace myo::store
