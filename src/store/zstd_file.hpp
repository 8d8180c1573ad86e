#pragma once
// Zstandard (.zst) files, for the compressed backups (issue 12). Streaming through fixed
// buffers, so memory stays bounded (a few MB per worker) whatever the database's size; every
// frame carries zstd's content checksum and its content size, so a damaged or cut-short file
// is recognised when it is read, and a reader can check the space it needs before writing.
//
// Plain files and libzstd: no SQLite. The context handles are owned by RAII classes in the .cpp.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace myo::store::zstd {

// The file is not one whole zstd stream (not zstd at all, cut short, a checksum that does not
// match, more output than allowed). The message names the file and what is wrong with it.
class BadFile : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Reading or writing failed (the message names the file and the system's reason).
class IoError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Compressed {
    std::uintmax_t in_bytes = 0;
    std::uintmax_t out_bytes = 0;
    std::string in_sha256;  // of the uncompressed bytes read
};

// Compresses `in` into `out` (an existing file, truncated; MyoScreen passes its own temporary)
// at `level` with `workers` threads (0: in the calling thread), the checksum and content size
// in the frame, and fsyncs `out`. Throws IoError.
Compressed compress_file(const std::filesystem::path& in, const std::filesystem::path& out,
                         int level, int workers);

struct Decompressed {
    std::uintmax_t in_bytes = 0;
    std::uintmax_t out_bytes = 0;
    std::string in_sha256;   // of the compressed file as read
    std::string out_sha256;  // of the decompressed bytes
};

// Decompresses `in` checking every frame's checksum; writes the output to `out` (truncated,
// then fsynced) or, when `out` is empty, only hashes it. Refuses (BadFile) a file that is not
// zstd, is cut short or damaged, or would give more than `limit` bytes (nothing more is
// written past the limit). Throws IoError.
Decompressed decompress_file(const std::filesystem::path& in, const std::filesystem::path& out,
                             std::uintmax_t limit);

// Whether the file starts with zstd's magic number (false when it cannot be read).
bool is_zstd(const std::filesystem::path& path);

// The uncompressed size the file's first frame declares, when it declares one.
std::optional<std::uintmax_t> declared_size(const std::filesystem::path& path);

}  // namespace myo::store::zstd
