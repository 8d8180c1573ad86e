#include "gui/model/start_failure.hpp"

#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_upgrade.hpp"

namespace myo::gui {

namespace pg = store::pg;

StartFailure describe_start_failure(const std::exception& e, bool on_server) {
    StartFailure f;
    f.detail = e.what();
    if (const auto* c = dynamic_cast<const pg::ConnectFailed*>(&e)) {
        switch (c->problem()) {
            case pg::ConnectProblem::Unreachable:
                f.headline = "The clinic server does not answer.";
                f.advice =
                    "It may be switched off or restarting, or this computer may be off the "
                    "network. Retry once it is back, or work on another database meanwhile.";
                f.retry_may_help = true;
                break;
            case pg::ConnectProblem::AuthFailed:
                f.headline = "The clinic server refused the login.";
                f.advice =
                    "Check the user name in the connection (Choose another database) and the "
                    "password in ~/.pgpass, or ask the clinic's administrator for a login.";
                break;
            case pg::ConnectProblem::TlsMissing:
            case pg::ConnectProblem::TlsUnverified:
                f.headline = "The clinic server's encryption (TLS) could not be checked.";
                f.advice =
                    "Nothing was sent. Ask the clinic's administrator for the server's certificate "
                    "authority (~/.postgresql/root.crt) or the right server name.";
                break;
            case pg::ConnectProblem::NoDatabase:
                f.headline = "The clinic server has no such database.";
                f.advice = "Check the database name in the connection (Choose another database).";
                f.retry_may_help = true;
                break;
            case pg::ConnectProblem::BadConninfo:
                f.headline = "The clinic server's connection cannot be used as written.";
                f.advice = "Correct it in the Preferences (Choose another database).";
                break;
            case pg::ConnectProblem::Other:
                f.headline = "MyoScreen cannot connect to the clinic server.";
                f.advice = "Retry, or choose another database.";
                f.retry_may_help = true;
                break;
        }
        return f;
    }
    if (dynamic_cast<const pg::SchemaOutdated*>(&e) != nullptr) {
        f.headline = "The clinic database is older than this MyoScreen.";
        f.advice =
            "The clinic's administrator upgrades it once on the server (the message says "
            "how); then Retry.";
        f.retry_may_help = true;
        return f;
    }
    if (dynamic_cast<const pg::PermissionDenied*>(&e) != nullptr) {
        f.headline = "This login may not use the clinic database.";
        f.advice = "Ask the clinic's administrator to add it (server add-user), then Retry.";
        f.retry_may_help = true;
        return f;
    }
    f.headline = on_server ? "The clinic database could not be opened."
                           : "The patient database on this computer could not be opened.";
    f.advice = "Retry, choose another database, or quit. Nothing was changed.";
    f.retry_may_help = on_server;
    return f;
}

}  // namespace myo::gui
