// The Store itself: opening the backend its target names, and what every operation shares (the
// read-only refusal, the audit row, the validation of an assessment). The operations are in
// store_*.cpp, one concern each.
#include "store/store.hpp"

#include "store/backend.hpp"
#include "store/pg/pg_backend.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "store/target.hpp"

namespace myo::store {

namespace fs = std::filesystem;

const char* status_id(Status status) {
    return status == Status::Final ? "final" : "draft";
}

PatientConflict::PatientConflict(std::size_t index, std::vector<Problem> problems)
    : StoreError([&problems] {
          std::string text;
          for (const auto& p : problems) {
              text += (text.empty() ? "" : "; ") + p.message;
          }
          return text;
      }()),
      index_(index),
      problems_(std::move(problems)) {}

namespace {

// The backend of the target (store/target.hpp): SQLite for a file, the clinic server for a
// PostgreSQL connection string (issue 13).
std::unique_ptr<StoreBackend> open_backend(const fs::path& path, const Definitions& defs,
                                           const OpenOptions& options) {
    Target target = parse_target(path.string());
    if (target.is_postgresql()) {
        return std::make_unique<pg::PgBackend>(target.conninfo, options);
    }
    return std::make_unique<SqliteBackend>(path, defs, options);
}

}  // namespace

Store::Store(const fs::path& path, const Definitions& defs, const OpenOptions& options)
    : defs_(defs),
      target_(path),
      read_only_(options.read_only),
      backend_(open_backend(path, defs, options)) {}

Store::~Store() = default;

SqliteBackend& Store::sqlite_only(const char* what) const {
    SqliteBackend* sqlite = backend_->sqlite();
    if (sqlite == nullptr) {
        throw StoreError(std::string(what) + " exists only for a database file, not for " +
                         backend_->describe());
    }
    return *sqlite;
}

const fs::path& Store::path() const {
    return sqlite_only("a file path").path();
}

Connection& Store::connection() {
    return sqlite_only("a SQLite connection").connection();
}

const std::string& Store::read_only_limitation() const {
    return backend_->read_only_limitation();
}

void Store::require_writable(const char* what) const {
    if (read_only_) {
        throw ReadOnlyStore(backend_->describe() + " is open read-only (" + read_only_why_ +
                            "), so " + what + " was not done; nothing was changed");
    }
}

void Store::make_read_only(const std::string& why) {
    backend_->make_read_only();
    read_only_ = true;
    read_only_why_ = why;
}

void Store::audit(std::string_view action, const AuditRef& ref, std::string_view summary) {
    backend_->append_audit(action, ref, summary);
}

void Store::check_valid(const Assessment& a, const std::string& label) const {
    auto problems = validate_assessment(a, defs_);
    if (!problems.empty()) {
        throw AssessmentError(label, std::move(problems));
    }
}

}  // namespace myo::store
