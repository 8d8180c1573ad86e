#include "gui/model/database_choice.hpp"

#include "gui/model/text_util.hpp"
#include "store/pg/conninfo.hpp"
#include "store/pg/pg_connection.hpp"
#include "store/pg/pg_errors.hpp"
#include "store/pg/pg_schema.hpp"
#include "store/pg/pg_upgrade.hpp"
#include "store/target.hpp"

namespace myo::gui {

namespace {

// The store's messages start in lower case (they follow "cannot open ...: " elsewhere); a
// sentence on its own in the dialog starts with a capital.
std::string sentence(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    }
    return text;
}

}  // namespace

std::vector<PatientFieldProblem> check_database_choice(const DatabaseChoice& choice) {
    if (!choice.server) {
        return {};
    }
    std::string text = trim(choice.conninfo);
    if (text.empty()) {
        return {{"database",
                 "Give the clinic server's connection string (for example host=db.clinic.example "
                 "dbname=myoscreen user=NAME) or service=NAME."}};
    }
    if (!store::parse_target(text).is_postgresql()) {
        return {{"database",
                 "This is not a PostgreSQL connection string: write key=value pairs (host=... "
                 "dbname=...), a postgresql:// address or service=NAME."}};
    }
    try {
        (void)store::pg::plan_connection(text);
    } catch (const std::exception& e) {
        return {{"database", sentence(e.what())}};
    }
    return {};
}

ConnectionTest test_connection(const std::string& conninfo) {
    ConnectionTest t;
    try {
        auto c = store::pg::Connection::open(trim(conninfo));
        store::pg::require_current_schema(c);
        std::string user = c.query_text("SELECT current_user");
        t.ok = true;
        t.text = "Connected to " + c.target() + ", signed in as " + user +
                 "; MyoScreen schema version " +
                 std::to_string(store::pg::schema_version(c).value_or(0)) + " (this build's).";
    } catch (const std::exception& e) {
        t.text = sentence(e.what());
    }
    return t;
}

}  // namespace myo::gui
