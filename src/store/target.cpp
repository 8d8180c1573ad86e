#include "store/target.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "core/text_input.hpp"
#include "store/errors.hpp"

namespace myo::store {

namespace {

// libpq's connection keywords (PostgreSQL 15 and 16, "Parameter Key Words"). Only these make a
// keyword/value string: a file named "notes=2026.db" stays a file.
constexpr std::array<std::string_view, 45> kKeywords = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "require_auth",
    "channel_binding",
    "connect_timeout",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "replication",
    "gssencmode",
    "sslmode",
    "requiressl",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslcertmode",
    "sslpassword",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "requirepeer",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "service",
    "target_session_attrs",
    "load_balance_hosts",
    "sslnegotiation",
    "scram_client_key",
    "scram_server_key",
    "oauth_issuer",
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct Pair {
    std::string_view keyword;
    std::size_t value_begin = 0;  // the value's extent in the text, quotes included
    std::size_t value_end = 0;
};

// libpq's keyword/value syntax; nullopt when the text is not wholly made of such pairs.
std::optional<std::vector<Pair>> conninfo_pairs(std::string_view s) {
    std::vector<Pair> pairs;
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < s.size() && is_space(s[i])) {
            ++i;
        }
    };
    skip_space();
    while (i < s.size()) {
        Pair p;
        std::size_t start = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '=') {
            ++i;
        }
        p.keyword = s.substr(start, i - start);
        if (std::find(kKeywords.begin(), kKeywords.end(), p.keyword) == kKeywords.end()) {
            return std::nullopt;
        }
        skip_space();
        if (i >= s.size() || s[i] != '=') {
            return std::nullopt;
        }
        ++i;
        skip_space();
        p.value_begin = i;
        if (i < s.size() && s[i] == '\'') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    i += 2;
                } else if (s[i] == '\'') {
                    ++i;
                    closed = true;
                    break;
                } else {
                    ++i;
                }
            }
            if (!closed) {
                return std::nullopt;
            }
        } else {
            while (i < s.size() && !is_space(s[i])) {
                i += s[i] == '\\' && i + 1 < s.size() ? std::size_t{2} : std::size_t{1};
            }
            if (i == p.value_begin) {
                return std::nullopt;  // "host=" with nothing after it
            }
        }
        p.value_end = i;
        pairs.push_back(p);
        skip_space();
    }
    if (pairs.empty()) {
        return std::nullopt;
    }
    return pairs;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// The URI with the password of its user info and of a password= parameter replaced.
std::string redacted_uri(std::string text) {
    std::size_t scheme_end = text.find("://") + 3;
    std::size_t authority_end = text.find_first_of("/?", scheme_end);
    std::size_t at =
        text.rfind('@', authority_end == std::string::npos ? text.size() - 1 : authority_end - 1);
    if (at != std::string::npos && at >= scheme_end) {
        std::size_t colon = text.find(':', scheme_end);
        if (colon != std::string::npos && colon < at) {
            text.replace(colon + 1, at - colon - 1, "***");
        }
    }
    std::size_t query = text.find('?');
    for (std::size_t p = query; p != std::string::npos && p < text.size();
         p = text.find('&', p + 1)) {
        std::string_view param = std::string_view(text).substr(p + 1);
        if (starts_with(param, "password=")) {
            std::size_t begin = p + 1 + 9;
            std::size_t end = text.find('&', begin);
            text.replace(begin, (end == std::string::npos ? text.size() : end) - begin, "***");
        }
    }
    return text;
}

}  // namespace

bool is_postgresql_uri(std::string_view text) {
    return starts_with(text, "postgresql://") || starts_with(text, "postgres://");
}

bool is_postgresql_conninfo(std::string_view text) {
    return conninfo_pairs(text).has_value();
}

Target parse_target(std::string_view text) {
    Target t;
    std::error_code ec;
    const std::filesystem::path as_path{std::string(text)};
    const bool exists =
        !text.empty() && std::filesystem::exists(std::filesystem::symlink_status(as_path, ec));
    if (!exists && (is_postgresql_uri(text) || is_postgresql_conninfo(text))) {
        t.kind = Target::Kind::PostgreSql;
        t.conninfo = std::string(text);
        return t;
    }
    t.file = as_path;
    return t;
}

std::string Target::display() const {
    if (kind == Kind::File) {
        return file.string();
    }
    if (is_postgresql_uri(conninfo)) {
        return redacted_uri(conninfo);
    }
    std::string out = conninfo;
    auto pairs = conninfo_pairs(conninfo);
    if (pairs) {
        // From the last pair back, so the earlier extents stay valid.
        for (auto it = pairs->rbegin(); it != pairs->rend(); ++it) {
            if (it->keyword == "password") {
                out.replace(it->value_begin, it->value_end - it->value_begin, "***");
            }
        }
    }
    return out;
}

void refuse_unavailable_backend(const Target& target) {
    if (!target.is_postgresql()) {
        return;
    }
    throw StoreError("\"" + quote_for_message(target.display(), 200) +
                     "\" names a PostgreSQL database, but the clinic backend (PostgreSQL) is not "
                     "available in this build of MyoScreen; give a database file instead");
}

}  // namespace myo::store
