#pragma once
// The first start's "A clinic server" (issue 14): the connection asked field by field (host,
// port, database, login, encryption) or as one connection string, turned into the libpq
// string that DatabaseChoice keeps. No password is asked or kept: libpq reads it from
// ~/.pgpass or PGPASSFILE (store/pg/conninfo.hpp's policy). No wx: tested without a display.

#include <string>
#include <vector>

#include "gui/model/patient_input.hpp"

namespace myo::gui {

// The encryption choices, in the order the dialog lists them.
enum class ServerTls {
    Automatic,   // no sslmode: verified TLS for a server elsewhere, none on this computer
    VerifyFull,  // sslmode=verify-full: encrypted, the certificate checked against the CA
    Require,     // sslmode=require: encrypted, the certificate not checked
    Disable,     // sslmode=disable: not encrypted (a trusted network only)
};

struct ServerFields {
    std::string host;      // a name, an address, or a socket folder ("/run/postgresql")
    std::string port;      // "" : PostgreSQL's 5432
    std::string database;  // the clinic's database ("myoscreen")
    std::string login;     // the clinician's own PostgreSQL login: the name the records carry
    ServerTls tls = ServerTls::Automatic;
    // When given, it is used as it is and the fields above are not.
    std::string conninfo;
};

// The dialog's words for each choice, in enum order.
std::vector<std::string> server_tls_labels();

// "host='db.praxis.lan' port='5432' dbname='myoscreen' user='t.okafor' sslmode='verify-full'"
// (each value quoted as libpq reads it), or the connection string when one is given.
std::string conninfo_of(const ServerFields& fields);

// The refusals, one per field at most: "server_host", "server_port", "server_database",
// "server_login"; then the connection string's own (check_database_choice, field "database":
// a password in it, a string libpq cannot read).
std::vector<PatientFieldProblem> check_server_fields(const ServerFields& fields);

}  // namespace myo::gui
