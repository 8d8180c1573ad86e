#pragma once
// Where the database lives and how its folder and file are created: private to the user
// (folder 0700, file 0600), because the file holds health records.

#include <filesystem>

namespace myo::store {

// $XDG_DATA_HOME/myoscreen/myoscreen.db, or ~/.local/share/myoscreen/myoscreen.db when
// XDG_DATA_HOME is unset or not absolute (as the XDG spec says). Throws StoreError when
// neither XDG_DATA_HOME nor HOME is usable.
std::filesystem::path default_database_path();

// Creates every missing folder of `dir` with mode 0700; existing folders are left as they are.
void create_private_directories(const std::filesystem::path& dir);

// Creates an empty file with mode 0600, failing if it exists. Returns false if it existed.
bool create_private_file(const std::filesystem::path& file);

// fsync of a file or folder; throws StoreError naming the path.
void sync_path(const std::filesystem::path& path);

// The name of a network filesystem (nfs, cifs, smb) the path is on, or empty.
std::string network_filesystem_of(const std::filesystem::path& path);

}  // namespace myo::store
