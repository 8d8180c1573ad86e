// COPY streams through libpq (pg_copy_stream.hpp): libpq's COPY calls, which pg_connection.hpp
// does not wrap.
#include "store/pg/pg_copy_stream.hpp"

#include <libpq-fe.h>

#include <memory>

#include "core/text_input.hpp"
#include "store/pg/pg_errors.hpp"

namespace myo::store::pg {

namespace {

// A buffer is sent once it passes this size: large enough that a row costs no round trip,
// small enough to stay out of the way of memory.
constexpr std::size_t kSendAt = 1 << 20;

struct ClearResult {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ClearResult>;

std::string one_line(std::string text) {
    for (char& ch : text) {
        if (ch == '\n' || ch == '\r' || ch == '\t') {
            ch = ' ';
        }
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

// The server's refusal, as the rest of the store reports it (pg_errors.hpp).
[[noreturn]] void refused(Connection& c, PGresult* r, const std::string& sql) {
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = r != nullptr ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string code = state != nullptr ? state : "";
    std::string words = quote_for_message(
        primary != nullptr ? std::string(primary) : one_line(PQerrorMessage(c.handle())), 300);
    if (PQstatus(c.handle()) != CONNECTION_OK) {
        throw ConnectFailed(ConnectProblem::Unreachable,
                            "the connection to " + c.target() + " was lost: " + words +
                                " (PostgreSQL); nothing of the interrupted action was saved");
    }
    if (code == "42501") {
        throw PermissionDenied("permission denied: the PostgreSQL login \"" +
                               quote_for_message(c.user()) + "\" may not do this in " + c.target() +
                               " (PostgreSQL: \"" + words + "\")");
    }
    throw PgError(code, c.target() + ": PostgreSQL error " + code + ": " + words + " (in \"" +
                            sql.substr(0, 60) + "…\")");
}

// The results after a COPY ended: the command's, then none. Returns its row count.
std::int64_t collect(Connection& c, const std::string& sql) {
    std::int64_t rows = 0;
    bool failed = false;
    ResultPtr failure;
    while (PGresult* raw = PQgetResult(c.handle())) {
        ResultPtr r(raw);
        if (PQresultStatus(raw) == PGRES_COMMAND_OK) {
            const char* n = PQcmdTuples(raw);
            rows = (n != nullptr && *n != '\0') ? std::stoll(n) : 0;
        } else if (!failed) {
            failed = true;
            failure = std::move(r);
        }
    }
    if (failed) {
        refused(c, failure.get(), sql);
    }
    return rows;
}

char unescaped(char ch) {
    switch (ch) {
        case 'b':
            return '\b';
        case 'f':
            return '\f';
        case 'n':
            return '\n';
        case 'r':
            return '\r';
        case 't':
            return '\t';
        case 'v':
            return '\v';
        default:
            return ch;  // \\ and any other escaped character stand for themselves
    }
}

}  // namespace

void append_copy_row(std::string& out, const CopyValues& values) {
    bool first = true;
    for (const auto& v : values) {
        if (!first) {
            out += '\t';
        }
        first = false;
        if (!v) {
            out += "\\N";
            continue;
        }
        for (char ch : *v) {
            switch (ch) {
                case '\\':
                    out += "\\\\";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                default:
                    out += ch;
            }
        }
    }
    out += '\n';
}

bool parse_copy_row(std::string_view line, CopyValues& values) {
    values.clear();
    std::size_t i = 0;
    while (true) {
        std::size_t end = line.find('\t', i);
        std::string_view field = line.substr(i, end == std::string_view::npos ? end : end - i);
        if (field == "\\N") {
            values.emplace_back(std::nullopt);
        } else {
            std::string v;
            v.reserve(field.size());
            for (std::size_t k = 0; k < field.size(); ++k) {
                if (field[k] != '\\') {
                    v += field[k];
                    continue;
                }
                if (++k == field.size()) {
                    return false;
                }
                v += unescaped(field[k]);
            }
            values.emplace_back(std::move(v));
        }
        if (end == std::string_view::npos) {
            return true;
        }
        i = end + 1;
    }
}

CopyIn::CopyIn(Connection& c, const std::string& sql) : c_(c) {
    ResultPtr r(PQexec(c_.handle(), sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) {
        done_ = true;
        refused(c_, r.get(), sql);
    }
    buffer_.reserve(kSendAt + (kSendAt >> 2));
}

CopyIn::~CopyIn() {
    if (!done_) {
        // The server discards what it took; the transaction is then failed, and its owner rolls
        // it back.
        PQputCopyEnd(c_.handle(), "db copy stopped");
        while (PGresult* r = PQgetResult(c_.handle())) {
            PQclear(r);
        }
    }
}

void CopyIn::send() {
    if (buffer_.empty()) {
        return;
    }
    if (PQputCopyData(c_.handle(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
        done_ = true;
        PQputCopyEnd(c_.handle(), "db copy stopped");
        collect(c_, "COPY");
        refused(c_, nullptr, "COPY");
    }
    buffer_.clear();
}

void CopyIn::row(const CopyValues& values) {
    append_copy_row(buffer_, values);
    if (buffer_.size() >= kSendAt) {
        send();
    }
}

std::int64_t CopyIn::finish() {
    send();
    done_ = true;
    if (PQputCopyEnd(c_.handle(), nullptr) != 1) {
        refused(c_, nullptr, "COPY");
    }
    return collect(c_, "COPY");
}

void copy_out(Connection& c, const std::string& sql, const std::function<void(CopyValues&)>& each) {
    ResultPtr r(PQexec(c.handle(), sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_OUT) {
        refused(c, r.get(), sql);
    }
    r.reset();
    CopyValues values;
    bool stopped = false;
    try {
        while (true) {
            char* raw = nullptr;
            int n = PQgetCopyData(c.handle(), &raw, 0);
            if (n < 0) {
                break;  // -1: the end (the command's result follows), -2: an error (likewise)
            }
            std::unique_ptr<char, decltype(&PQfreemem)> line(raw, &PQfreemem);
            std::string_view text(raw, static_cast<std::size_t>(n));
            if (!text.empty() && text.back() == '\n') {
                text.remove_suffix(1);
            }
            if (!parse_copy_row(text, values)) {
                throw PgError("", c.target() + ": a row of \"" + sql.substr(0, 60) +
                                      "…\" is not in COPY's text format");
            }
            each(values);
        }
    } catch (...) {
        stopped = true;
        // Read the rest so that the connection is usable again (to roll back).
        char* raw = nullptr;
        while (PQgetCopyData(c.handle(), &raw, 0) >= 0) {
            PQfreemem(raw);
        }
        while (PGresult* rest = PQgetResult(c.handle())) {
            PQclear(rest);
        }
        throw;
    }
    if (!stopped) {
        collect(c, sql);
    }
}

}  // namespace myo::store::pg
