#include "store/pg/pg_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <memory>
#include <nlohmann/json.hpp>

#include "store/pg/pg_errors.hpp"

namespace myo::store::pg {

namespace {

[[noreturn]] void lost(Connection& c) {
    std::string why = PQerrorMessage(c.handle());
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
        why.pop_back();
    }
    throw ConnectFailed(
        ConnectProblem::Unreachable,
        "the connection to " + c.target() + " was lost while waiting for changes: " + why);
}

}  // namespace

Change parse_change(const std::string& payload) {
    try {
        auto j = nlohmann::json::parse(payload);
        Change ch;
        ch.table = j.at("table").get<std::string>();
        ch.op = j.at("op").get<std::string>();
        ch.id = j.at("id").get<std::int64_t>();
        ch.patient = j.at("patient").get<std::int64_t>();
        ch.row_version = j.at("row_version").get<std::int64_t>();
        ch.by = j.at("by").get<std::string>();
        ch.workstation = j.at("workstation").get<std::string>();
        ch.payload = payload;
        return ch;
    } catch (const nlohmann::json::exception& e) {
        throw PgError("", "a change notification MyoScreen does not understand: \"" + payload +
                              "\" (" + e.what() + ")");
    }
}

ChangeListener::ChangeListener(Connection& c) : c_(c) {
    c_.exec(std::string("LISTEN ") + kChangesChannel);
}

ChangeListener::~ChangeListener() {
    try {
        c_.exec(std::string("UNLISTEN ") + kChangesChannel);
    } catch (...) {
        // A lost connection listens no more.
    }
}

std::vector<Change> ChangeListener::drain() {
    std::vector<Change> out;
    while (PGnotify* n = PQnotifies(c_.handle())) {
        std::unique_ptr<PGnotify, decltype(&PQfreemem)> owned(n, &PQfreemem);
        if (std::string(n->relname) == kChangesChannel) {
            out.push_back(parse_change(n->extra));
        }
    }
    return out;
}

std::vector<Change> ChangeListener::wait(std::chrono::milliseconds timeout) {
    if (PQconsumeInput(c_.handle()) == 0) {
        lost(c_);
    }
    std::vector<Change> got = drain();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (got.empty()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd p{PQsocket(c_.handle()), POLLIN, 0};
        if (p.fd < 0) {
            lost(c_);
        }
        int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) {
            lost(c_);
        }
        if (ready > 0) {
            if (PQconsumeInput(c_.handle()) == 0) {
                lost(c_);
            }
            got = drain();
        }
    }
    return got;
}

}  // namespace myo::store::pg
