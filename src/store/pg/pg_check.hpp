#pragma once
// `db check` and `db verify` of a MyoScreen database on PostgreSQL (issue 13): what
// store::check_database reports for a SQLite file, under the same labels where they mean the
// same (schema version, size, audit trail, stored documents, patients, assessments), and what
// only a server has (the server and the login, objects of another application).

#include <string>

#include "store/schema.hpp"

namespace myo::store::pg {

// Connects (the connection policy of conninfo.hpp: ConnectFailed or StoreError when it cannot)
// and reads, in read-only transactions, never writing: the schema version (none or a newer one
// is a problem; an older one says server upgrade is due), objects of another application, the
// audit chain (verified, its head against myoscreen.audit_head), the documents (parsed and
// validated when options.definitions is given) and the counts.
CheckReport check_database(const std::string& conninfo, const CheckOptions& options = {});

}  // namespace myo::store::pg
