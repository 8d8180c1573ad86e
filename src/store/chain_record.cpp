#include "store/chain_record.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "store/errors.hpp"
#include "store/paths.hpp"

namespace myo::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMagic = "myoscreen-chain 1";

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

void write_all(int fd, const std::string& text, const fs::path& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw StoreError("cannot write " + path.string() + ": " + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

std::mutex& writer_mutex() {
    static std::mutex m;
    return m;
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
    std::ifstream in(path);
    std::string magic;
    if (!in || !std::getline(in, magic) || magic != kMagic) {
        throw StoreError("the chain record " + path.string() +
                         " cannot be read (it is not a MyoScreen chain record)");
    }
    ChainRecord r;
    bool have_committed = false;
    std::string text;
    while (std::getline(in, text)) {
        std::istringstream line(text);
        std::string label;
        line >> label;
        ChainHead h;
        if (!parse_head(line, h)) {
            throw StoreError("the chain record " + path.string() + " is damaged (line \"" +
                             text.substr(0, 80) + "\")");
        }
        if (label == "committed") {
            r.committed = h;
            have_committed = true;
        } else if (label == "pending") {
            r.pending = h;
        }
    }
    if (!have_committed) {
        throw StoreError("the chain record " + path.string() + " is damaged (no head)");
    }
    return r;
}

void write_chain_record(const fs::path& database, const ChainRecord& record, bool durable) {
    std::lock_guard<std::mutex> hold(writer_mutex());
    fs::path path = chain_record_path(database);
    try {
        // A later report of a head already written as committed must not drop the pending
        // head another store of this process wrote since.
        if (auto current = read_chain_record(database);
            current && (current->committed.seq > record.committed.seq ||
                        (current->committed.seq == record.committed.seq && current->pending &&
                         !record.pending))) {
            return;
        }
    } catch (const StoreError&) {
        // A damaged record is replaced (the checks on opening have spoken already).
    }
    std::string text = std::string(kMagic) + "\n" + head_line("committed", record.committed);
    if (record.pending) {
        text += head_line("pending", *record.pending);
    }
    fs::path temp = path.string() + ".new-" + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw StoreError("cannot write the chain record " + temp.string() + ": " +
                         std::strerror(errno));
    }
    try {
        write_all(fd, text, temp);
        if (durable && ::fsync(fd) != 0) {
            throw StoreError("cannot save the chain record " + temp.string() + ": " +
                             std::strerror(errno));
        }
    } catch (...) {
        ::close(fd);
        std::error_code ec;
        fs::remove(temp, ec);
        throw;
    }
    ::close(fd);
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        throw StoreError("cannot put the chain record " + path.string() +
                         " in place: " + ec.message());
    }
    if (durable) {
        sync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path());
    }
}

std::string describe(const ChainHead& head) {
    if (head.seq == 0) {
        return "an empty trail";
    }
    return "row " + std::to_string(head.seq) + " (hash " + head.hash.substr(0, 12) + "…)";
}

}  // namespace myo::store
