#pragma once
// Which database the application opens at start (issue 13, the Preferences' "Database"
// section): this computer's file, or a clinic's PostgreSQL server given by a libpq connection
// string or service=NAME. Kept in the user's configuration; `--db` on the command line wins.
// No wx here: the checks and the connection test are tested without a display.

#include <string>
#include <vector>

#include "gui/model/patient_input.hpp"

namespace myo::gui {

struct DatabaseChoice {
    bool server = false;   // false: this computer's file
    std::string conninfo;  // the clinic server (server only), as the user wrote it
};

// The refusals of a choice, for the field "database": an empty connection string, one libpq
// cannot read or that is not PostgreSQL's, and a password in it (conninfo.hpp's policy: the
// message says where a password goes instead). Nothing for "this computer".
std::vector<PatientFieldProblem> check_database_choice(const DatabaseChoice& choice);

struct ConnectionTest {
    bool ok = false;
    std::string text;  // who is signed in and the schema version, or why it failed
};

// Connects as the application would (the same policy, this build's schema required), asks
// who is signed in, and disconnects. Blocks up to the connection timeout: call it on a worker
// thread, never on the GUI thread.
ConnectionTest test_connection(const std::string& conninfo);

}  // namespace myo::gui
