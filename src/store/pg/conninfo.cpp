#include "store/pg/conninfo.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

#include "core/text_input.hpp"
#include "store/audit.hpp"
#include "store/pg/pg_errors.hpp"

namespace myo::store::pg {

namespace {

using Options = std::map<std::string, std::string>;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::string(v) : std::string();
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The keys of one service in a pg_service.conf (libpq's INI format), or nullopt.
std::optional<Options> read_service(const std::filesystem::path& file, const std::string& name) {
    std::ifstream in(file);
    if (!in) {
        return std::nullopt;
    }
    std::optional<Options> found;
    bool inside = false;
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.front() == '[') {
            if (found) {
                break;
            }
            inside = line == "[" + name + "]";
            if (inside) {
                found = Options{};
            }
            continue;
        }
        auto eq = line.find('=');
        if (inside && eq != std::string::npos) {
            (*found)[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
        }
    }
    return found;
}

// The service's keys, looked up where libpq looks (PGSERVICEFILE or ~/.pg_service.conf, then
// PGSYSCONFDIR or Debian's /etc/postgresql-common): the policy must know the host and sslmode
// a service names before libpq connects.
Options service_options(const std::string& name) {
    std::vector<std::filesystem::path> files;
    if (auto f = env("PGSERVICEFILE"); !f.empty()) {
        files.emplace_back(f);
    } else if (auto home = env("HOME"); !home.empty()) {
        files.emplace_back(std::filesystem::path(home) / ".pg_service.conf");
    }
    auto sysconf = env("PGSYSCONFDIR");
    files.emplace_back(std::filesystem::path(sysconf.empty() ? "/etc/postgresql-common" : sysconf) /
                       "pg_service.conf");
    for (const auto& f : files) {
        if (auto found = read_service(f, name)) {
            return *found;
        }
    }
    return {};
}

std::vector<std::string> split_hosts(const std::string& list) {
    std::vector<std::string> out;
    std::string::size_type start = 0;
    for (;;) {
        auto comma = list.find(',', start);
        out.push_back(trim(list.substr(start, comma - start)));
        if (comma == std::string::npos) {
            return out;
        }
        start = comma + 1;
    }
}

// The value of a key: the string first, then the service, then the environment.
std::string effective(const Options& given, const Options& service, const char* key,
                      const char* env_name) {
    if (auto it = given.find(key); it != given.end()) {
        return it->second;
    }
    if (auto it = service.find(key); it != service.end()) {
        return it->second;
    }
    return env(env_name);
}

}  // namespace

bool is_local_host(const std::string& host) {
    return host.empty() || host.front() == '/' || host.front() == '@' || host == "localhost" ||
           host == "127.0.0.1" || host == "::1";
}

ConnectPlan plan_connection(const std::string& conninfo) {
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(
        PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
    if (!parsed) {
        std::string why = error != nullptr ? trim(error) : std::string("out of memory");
        PQfreemem(error);
        while (!why.empty() && why.back() == '\n') {
            why.pop_back();
        }
        throw ConnectFailed(
            ConnectProblem::BadConninfo,
            "the PostgreSQL connection string is not valid: " + quote_for_message(why, 200) +
                " (libpq). Give a URI such as postgresql://host/dbname or "
                "key=value pairs such as \"host=db.example.org dbname=myoscreen\"");
    }
    Options given;
    for (auto* o = parsed.get(); o->keyword != nullptr; ++o) {
        if (o->val != nullptr) {
            given[o->keyword] = o->val;
        }
    }
    if (given.count("password") != 0) {
        throw ConnectFailed(ConnectProblem::BadConninfo,
                            "the PostgreSQL connection string holds a password, which MyoScreen "
                            "does not take (it would be kept in the preferences and shown in the "
                            "process list): remove it and put the password in ~/.pgpass (or the "
                            "file PGPASSFILE names), or use peer or GSS authentication");
    }
    Options service;
    if (auto name = effective(given, {}, "service", "PGSERVICE"); !name.empty()) {
        service = service_options(name);
    }
    std::string host = effective(given, service, "host", "PGHOST");
    std::string hostaddr = effective(given, service, "hostaddr", "PGHOSTADDR");
    std::string sslmode = effective(given, service, "sslmode", "PGSSLMODE");

    ConnectPlan plan;
    plan.sslmode_given = !sslmode.empty();
    plan.local = true;
    for (const auto& h : split_hosts(host)) {
        plan.local = plan.local && is_local_host(h);
    }
    if (!hostaddr.empty()) {
        for (const auto& h : split_hosts(hostaddr)) {
            plan.local = plan.local && is_local_host(h);
        }
    }
    plan.params.emplace_back("dbname", conninfo);
    if (!plan.local && !plan.sslmode_given) {
        plan.params.emplace_back("sslmode", "verify-full");
    }
    if (effective(given, service, "connect_timeout", "PGCONNECT_TIMEOUT").empty()) {
        plan.params.emplace_back("connect_timeout", "10");
    }
    if (effective(given, service, "application_name", "PGAPPNAME").empty()) {
        plan.params.emplace_back("application_name", default_application_name());
    }

    std::string db = effective(given, service, "dbname", "PGDATABASE");
    std::string user = effective(given, service, "user", "PGUSER");
    if (db.empty()) {
        // libpq's default: the user name, else the operating system's account (not $USER,
        // which a service or a cron job may not have).
        db = user.empty() ? os_account() : user;
    }
    std::string where = host.empty() && hostaddr.empty() ? std::string("the local server")
                                                         : (host.empty() ? hostaddr : host);
    if (!host.empty() && host.front() == '/') {
        where = "the local server (socket in " + host + ")";
    }
    std::string port = effective(given, service, "port", "PGPORT");
    if (!port.empty() && (host.empty() || host.front() != '/')) {
        where += ":" + port;
    }
    // Every piece comes from the user's string or environment: quoted safe for a terminal.
    plan.target = "database \"" + quote_for_message(db) + "\" on " + quote_for_message(where, 160);
    return plan;
}

namespace {
constexpr std::string_view kAppPrefix = "MyoScreen on ";
}  // namespace

std::string default_application_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
        return "MyoScreen";
    }
    return std::string(kAppPrefix) + host;
}

std::string workstation_of(const std::string& application_name) {
    if (application_name.rfind(kAppPrefix, 0) == 0) {
        return application_name.substr(kAppPrefix.size());
    }
    return application_name;
}

}  // namespace myo::store::pg
