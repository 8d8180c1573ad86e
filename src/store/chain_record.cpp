#include "store/chain_record.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "hash/sha256.hpp"
#include "store/errors.hpp"
#include "store/paths.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

// Two fixed slots of 512 bytes, written in turn in place (no rename, so no folder fsync): a
// write torn by a power cut spoils only the slot being written, and the reader takes the valid
// slot with the higher generation. Each slot ends with the SHA-256 of its text.
constexpr const char* kMagic = "myoscreen-chain 2";
constexpr std::size_t kSlot = 512;

std::string head_line(const char* label, const ChainHead& h) {
    return std::string(label) + " " + std::to_string(h.seq) + " " +
           (h.hash.empty() ? "-" : h.hash) + "\n";
}

bool parse_head(std::istringstream& line, ChainHead& out) {
    std::string hash;
    if (!(line >> out.seq >> hash) || out.seq < 0) {
        return false;
    }
    out.hash = hash == "-" ? std::string() : hash;
    return hash == "-" ? out.seq == 0 : hash.size() == 64;
}

struct Slot {
    std::size_t index = 0;  // 0 or 1: where in the file
    std::int64_t generation = 0;
    ChainRecord record;
};

std::optional<Slot> parse_slot(std::string_view bytes) {
    auto sum_at = bytes.find("sum ");
    if (sum_at == std::string_view::npos || bytes.size() < sum_at + 4 + 64) {
        return std::nullopt;
    }
    std::string_view text = bytes.substr(0, sum_at);
    if (std::string(bytes.substr(sum_at + 4, 64)) != sha256_hex(text)) {
        return std::nullopt;
    }
    std::istringstream in{std::string(text)};
    std::string line;
    if (!std::getline(in, line) || line != kMagic) {
        return std::nullopt;
    }
    Slot slot;
    bool have_gen = false;
    bool have_committed = false;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string label;
        fields >> label;
        if (label == "gen") {
            have_gen = static_cast<bool>(fields >> slot.generation);
            continue;
        }
        ChainHead h;
        if (!parse_head(fields, h)) {
            return std::nullopt;
        }
        if (label == "committed") {
            slot.record.committed = h;
            have_committed = true;
        } else if (label == "pending") {
            slot.record.pending = h;
        }
    }
    if (!have_gen || !have_committed) {
        return std::nullopt;
    }
    return slot;
}

// The newest valid slot of the file's bytes, or nullopt when none is valid.
std::optional<Slot> newest_slot(const std::string& bytes) {
    std::optional<Slot> best;
    for (std::size_t at = 0; at < 2 * kSlot && at < bytes.size(); at += kSlot) {
        auto slot = parse_slot(std::string_view(bytes).substr(at, kSlot));
        if (slot && (!best || slot->generation > best->generation)) {
            slot->index = at / kSlot;
            best = slot;
        }
    }
    return best;
}

std::string slot_bytes(std::int64_t generation, const ChainRecord& record) {
    std::string text = std::string(kMagic) + "\n" + "gen " + std::to_string(generation) + "\n" +
                       head_line("committed", record.committed);
    if (record.pending) {
        text += head_line("pending", *record.pending);
    }
    std::string out = text + "sum " + sha256_hex(text) + "\n";
    out.resize(kSlot, ' ');
    return out;
}

std::mutex& writer_mutex() {
    static std::mutex m;
    return m;
}

std::string read_some(int fd) {
    std::string bytes(2 * kSlot, '\0');
    ssize_t n = ::pread(fd, bytes.data(), bytes.size(), 0);
    bytes.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return bytes;
}

}  // namespace

fs::path chain_record_path(const fs::path& database) {
    return database.string() + ".chain";
}

std::optional<ChainRecord> read_chain_record(const fs::path& database) {
    fs::path path = chain_record_path(database);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes(2 * kSlot, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    auto slot = newest_slot(bytes);
    if (!slot) {
        throw StoreError("the chain record " + path.string() +
                         " cannot be read (it is not a whole MyoScreen chain record)");
    }
    return slot->record;
}

void write_chain_record(const fs::path& database, const ChainRecord& record, bool durable) {
    std::lock_guard<std::mutex> hold(writer_mutex());
    fs::path path = chain_record_path(database);
    std::error_code ec;
    bool existed = fs::exists(fs::symlink_status(path, ec));
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw StoreError("cannot write the chain record " + path.string() + ": " +
                         std::strerror(errno));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    auto current = newest_slot(read_some(fd));
    // A later report of a head already written as committed must not drop the pending head
    // another store of this process wrote since.
    if (current && (current->record.committed.seq > record.committed.seq ||
                    (current->record.committed.seq == record.committed.seq &&
                     current->record.pending && !record.pending))) {
        return;
    }
    std::int64_t generation = current ? current->generation + 1 : 1;
    // The slot not holding the newest valid state; a file with none valid starts at slot 0.
    std::size_t index = current ? 1 - current->index : 0;
    std::string bytes = slot_bytes(generation, record);
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                             static_cast<off_t>(index * kSlot + done));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw StoreError("cannot write the chain record " + path.string() + ": " +
                             std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
    if (!current) {
        // A fresh or unreadable file: the other slot must not hold an old valid state.
        std::string blank(kSlot, ' ');
        if (::pwrite(fd, blank.data(), blank.size(), static_cast<off_t>((1 - index) * kSlot)) < 0) {
            throw StoreError("cannot write the chain record " + path.string() + ": " +
                             std::strerror(errno));
        }
    }
    if (durable) {
        if (::fdatasync(fd) != 0) {
            throw StoreError("cannot save the chain record " + path.string() + ": " +
                             std::strerror(errno));
        }
        if (!existed) {
            sync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path());
        }
    }
}

std::string describe(const ChainHead& head) {
    if (head.seq == 0) {
        return "an empty trail";
    }
    return "row " + std::to_string(head.seq) + " (hash " + head.hash.substr(0, 12) + "…)";
}

}  // namespace myo::store
