#include "store/zstd_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "hash/sha256.hpp"

namespace myo::store::zstd {

namespace fs = std::filesystem;

namespace {

struct CCtxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
using CCtx = std::unique_ptr<ZSTD_CCtx, CCtxFree>;
using DCtx = std::unique_ptr<ZSTD_DCtx, DCtxFree>;

// An open file descriptor, closed when it goes out of scope.
class Fd {
  public:
    Fd(const fs::path& path, int flags)
        : path_(path), fd_(::open(path.c_str(), flags | O_CLOEXEC)) {
        if (fd_ < 0) {
            fail("cannot open");
        }
    }
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    // Up to `size` bytes; 0 at the end of the file.
    std::size_t read(void* data, std::size_t size) {
        for (;;) {
            ssize_t n = ::read(fd_, data, size);
            if (n >= 0) {
                return static_cast<std::size_t>(n);
            }
            if (errno != EINTR) {
                fail("cannot read");
            }
        }
    }
    void write(const void* data, std::size_t size) {
        const char* p = static_cast<const char*>(data);
        while (size > 0) {
            ssize_t n = ::write(fd_, p, size);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail("cannot write");
            }
            p += n;
            size -= static_cast<std::size_t>(n);
        }
    }
    void sync() {
        if (::fsync(fd_) != 0) {
            fail("cannot flush to disk");
        }
    }
    // close() reports late write errors (NFS, quota), so it is checked for the written file.
    void close_checked() {
        int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) {
            fail("cannot write");
        }
    }

  private:
    [[noreturn]] void fail(const char* what) const {
        throw IoError(std::string(what) + " " + path_.string() + ": " + std::strerror(errno));
    }
    fs::path path_;
    int fd_;
};

// ZSTD_MAGICNUMBER, as it is stored (little-endian).
bool starts_with_magic(const void* data, std::size_t size) {
    static const unsigned char kMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
    return size >= 4 && std::memcmp(data, kMagic, 4) == 0;
}

void check(std::size_t rc, const char* what) {
    if (ZSTD_isError(rc)) {
        throw IoError(std::string("zstd could not ") + what + ": " + ZSTD_getErrorName(rc));
    }
}

}  // namespace

Compressed compress_file(const fs::path& in, const fs::path& out, int level, int workers) {
    CCtx cctx(ZSTD_createCCtx());
    if (!cctx) {
        throw IoError("zstd could not start (out of memory)");
    }
    check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level), "set the level");
    check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1), "add checksums");
    if (workers > 0) {
        // A libzstd built without threads refuses: then it compresses in this thread.
        (void)ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_nbWorkers, workers);
    }
    std::error_code ec;
    auto size = fs::file_size(in, ec);
    if (!ec) {
        // Recorded in the frame: a restore checks its free space before writing anything.
        check(ZSTD_CCtx_setPledgedSrcSize(cctx.get(), size), "record the size");
    }
    Fd src(in, O_RDONLY);
    Fd dst(out, O_WRONLY | O_TRUNC);
    std::vector<char> ibuf(ZSTD_CStreamInSize());
    std::vector<char> obuf(ZSTD_CStreamOutSize());
    Sha256 hash;
    Compressed r;
    for (;;) {
        std::size_t got = src.read(ibuf.data(), ibuf.size());
        r.in_bytes += got;
        hash.update(ibuf.data(), got);
        const bool last = got == 0;
        ZSTD_inBuffer input{ibuf.data(), got, 0};
        for (;;) {
            ZSTD_outBuffer output{obuf.data(), obuf.size(), 0};
            std::size_t remaining = ZSTD_compressStream2(cctx.get(), &output, &input,
                                                         last ? ZSTD_e_end : ZSTD_e_continue);
            check(remaining, "compress");
            dst.write(obuf.data(), output.pos);
            r.out_bytes += output.pos;
            if (last ? remaining == 0 : input.pos == input.size) {
                break;
            }
        }
        if (last) {
            break;
        }
    }
    dst.sync();
    dst.close_checked();
    r.in_sha256 = hash.hex();
    return r;
}

Decompressed decompress_file(const fs::path& in, const fs::path& out, std::uintmax_t limit) {
    DCtx dctx(ZSTD_createDCtx());
    if (!dctx) {
        throw IoError("zstd could not start (out of memory)");
    }
    // The window (the memory a frame may ask for) stays at zstd's default cap of 128 MB.
    Fd src(in, O_RDONLY);
    std::optional<Fd> dst;
    if (!out.empty()) {
        dst.emplace(out, O_WRONLY | O_TRUNC);
    }
    std::vector<char> ibuf(ZSTD_DStreamInSize());
    std::vector<char> obuf(ZSTD_DStreamOutSize());
    Sha256 in_hash;
    Sha256 out_hash;
    Decompressed r;
    std::size_t pending = 1;  // 0 once a frame ended exactly where the input did
    for (;;) {
        std::size_t got = src.read(ibuf.data(), ibuf.size());
        if (got == 0) {
            break;
        }
        if (r.in_bytes == 0 && !starts_with_magic(ibuf.data(), got)) {
            throw BadFile(in.string() + " is not a zstd-compressed file");
        }
        r.in_bytes += got;
        in_hash.update(ibuf.data(), got);
        ZSTD_inBuffer input{ibuf.data(), got, 0};
        while (input.pos < input.size) {
            ZSTD_outBuffer output{obuf.data(), obuf.size(), 0};
            pending = ZSTD_decompressStream(dctx.get(), &output, &input);
            if (ZSTD_isError(pending)) {
                throw BadFile(in.string() + " is damaged: " + ZSTD_getErrorName(pending));
            }
            if (output.pos > limit - r.out_bytes) {
                throw BadFile(in.string() + " would decompress to more than " +
                              std::to_string(limit) + " bytes, more than there is room for");
            }
            r.out_bytes += output.pos;
            out_hash.update(obuf.data(), output.pos);
            if (dst) {
                dst->write(obuf.data(), output.pos);
            }
        }
    }
    if (r.in_bytes == 0) {
        throw BadFile(in.string() + " is empty, not a zstd-compressed file");
    }
    // Data still held in the context's buffers: drained before asking whether the frame ended.
    while (pending != 0) {
        ZSTD_inBuffer input{nullptr, 0, 0};
        ZSTD_outBuffer output{obuf.data(), obuf.size(), 0};
        pending = ZSTD_decompressStream(dctx.get(), &output, &input);
        if (ZSTD_isError(pending)) {
            throw BadFile(in.string() + " is damaged: " + ZSTD_getErrorName(pending));
        }
        if (output.pos == 0) {
            break;
        }
        if (output.pos > limit - r.out_bytes) {
            throw BadFile(in.string() + " would decompress to more than " + std::to_string(limit) +
                          " bytes, more than there is room for");
        }
        r.out_bytes += output.pos;
        out_hash.update(obuf.data(), output.pos);
        if (dst) {
            dst->write(obuf.data(), output.pos);
        }
    }
    if (pending != 0) {
        throw BadFile(in.string() + " is cut short (the compressed data ends in the middle)");
    }
    if (dst) {
        dst->sync();
        dst->close_checked();
    }
    r.in_sha256 = in_hash.hex();
    r.out_sha256 = out_hash.hex();
    return r;
}

namespace {

// The first `size` bytes of the file (fewer if it is shorter; none if it cannot be read).
std::vector<unsigned char> head_of(const fs::path& path, std::size_t size) {
    std::vector<unsigned char> head(size);
    try {
        Fd fd(path, O_RDONLY);
        head.resize(fd.read(head.data(), head.size()));
    } catch (const IoError&) {
        head.clear();
    }
    return head;
}

}  // namespace

bool is_zstd(const fs::path& path) {
    auto head = head_of(path, 4);
    return starts_with_magic(head.data(), head.size());
}

std::optional<std::uintmax_t> declared_size(const fs::path& path) {
    auto head = head_of(path, 18);  // ZSTD_FRAMEHEADERSIZE_MAX (static-only API)
    if (head.empty()) {
        return std::nullopt;
    }
    unsigned long long size = ZSTD_getFrameContentSize(head.data(), head.size());
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR) {
        return std::nullopt;
    }
    return static_cast<std::uintmax_t>(size);
}

}  // namespace myo::store::zstd
