#include "gui/model/server_fields.hpp"

#include "gui/model/database_choice.hpp"
#include "gui/model/text_util.hpp"

namespace myo::gui {

namespace {

// A libpq keyword value in single quotes, with ' and \ escaped.
std::string quoted(const std::string& value) {
    std::string out = "'";
    for (char ch : value) {
        if (ch == '\'' || ch == '\\') {
            out += '\\';
        }
        out += ch;
    }
    return out + "'";
}

bool all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::vector<std::string> server_tls_labels() {
    return {"Automatic (verified encryption for a server on another computer)",
            "Verified encryption (verify-full)", "Encrypted, certificate not checked (require)",
            "Not encrypted (disable; a trusted network only)"};
}

std::string conninfo_of(const ServerFields& f) {
    if (!trim(f.conninfo).empty()) {
        return trim(f.conninfo);
    }
    std::string s = "host=" + quoted(trim(f.host));
    if (!trim(f.port).empty()) {
        s += " port=" + quoted(trim(f.port));
    }
    s += " dbname=" + quoted(trim(f.database)) + " user=" + quoted(trim(f.login));
    switch (f.tls) {
        case ServerTls::Automatic:
            break;
        case ServerTls::VerifyFull:
            s += " sslmode='verify-full'";
            break;
        case ServerTls::Require:
            s += " sslmode='require'";
            break;
        case ServerTls::Disable:
            s += " sslmode='disable'";
            break;
    }
    return s;
}

std::vector<PatientFieldProblem> check_server_fields(const ServerFields& f) {
    std::vector<PatientFieldProblem> out;
    if (trim(f.conninfo).empty()) {
        if (trim(f.host).empty()) {
            out.push_back({"server_host",
                           "Give the clinic server's name or address (for example "
                           "db.clinic.example), as your administrator wrote it down."});
        }
        const std::string port = trim(f.port);
        if (!port.empty() && (!all_digits(port) || port.size() > 5 || std::stoi(port) < 1 ||
                              std::stoi(port) > 65535)) {
            out.push_back({"server_port",
                           "The port is a number from 1 to 65535 (PostgreSQL's is 5432); leave "
                           "it empty for 5432."});
        }
        if (trim(f.database).empty()) {
            out.push_back({"server_database",
                           "Give the clinic's database on that server (for example myoscreen)."});
        }
        if (trim(f.login).empty()) {
            out.push_back({"server_login",
                           "Give your own login on the clinic server: the records you change "
                           "carry it."});
        }
        if (!out.empty()) {
            return out;
        }
    }
    return check_database_choice({true, conninfo_of(f)});
}

}  // namespace myo::gui
