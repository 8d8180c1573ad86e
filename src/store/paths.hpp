#pragma once
// Where the database lives and how its folder and file are created: private to the user
// (folder 0700, file 0600), because the file holds health records.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "fileio/output_file.hpp"

namespace myo::store {

// $XDG_DATA_HOME/myoscreen/myoscreen.db, or ~/.local/share/myoscreen/myoscreen.db when
// XDG_DATA_HOME is unset or not absolute (as the XDG spec says). Throws StoreError when
// neither XDG_DATA_HOME nor HOME is usable.
std::filesystem::path default_database_path();

// Creates every missing folder of `dir` with mode 0700; existing folders are left as they are.
void create_private_directories(const std::filesystem::path& dir);

// Creates an empty file with mode 0600, failing if it exists. Returns false if it existed.
bool create_private_file(const std::filesystem::path& file);

// Adds the database's family to `set`: the file, its -wal, -shm, -journal and lock file (under
// the name as given and the real one), and its backups folder (new names in it only when
// `backups_writable`: the backup verb). What every verb that writes a file must never write
// over.
void protect_database(fileio::ProtectedSet& set, const std::filesystem::path& database,
                      bool backups_writable = false);

// fsync of a file or folder; throws StoreError naming the path.
void sync_path(const std::filesystem::path& path);

// The name of a network filesystem (nfs, cifs, smb, sshfs...) the path is on, or empty.
std::string network_filesystem_of(const std::filesystem::path& path);

// The network filesystem a statfs f_type stands for ("NFS", "CIFS"...), or empty. FUSE is
// not named here: which FUSE filesystem it is comes from the mount table.
std::string network_filesystem_name(std::uint64_t f_type);
// The network FUSE filesystem ("sshfs", "rclone"...) that `path` is mounted from according to
// `mounts` (the text of /proc/self/mounts), or empty.
std::string fuse_network_filesystem(std::string_view mounts, const std::filesystem::path& path);

// Test seams: the f_type lookup (statfs) and the mount-table reader behind
// network_filesystem_of, so that NFS or sshfs can be faked on a local disk. An empty function
// puts the real one back.
using FilesystemTypeLookup =
    std::function<std::optional<std::uint64_t>(const std::filesystem::path&)>;
using MountTableReader = std::function<std::string()>;
void set_filesystem_type_lookup(FilesystemTypeLookup lookup);
void set_mount_table_reader(MountTableReader reader);

}  // namespace myo::store
