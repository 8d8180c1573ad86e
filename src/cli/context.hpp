#pragma once
// What every verb needs: the definitions (loaded once) and the output streams.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/definitions.hpp"

namespace myo::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitInvalid = 2;

// A problem with what the user gave us; printed as is, exit status 2.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Context {
    std::optional<std::filesystem::path> forms_dir;  // --forms
    std::optional<std::filesystem::path> db_path;    // --db
    bool read_only = false;                          // --read-only
    bool check = false;                              // --check (quick_check on opening)
    std::ostream* out = nullptr;
    std::ostream* err = nullptr;

    // Loads on first use; throws DefinitionError or UsageError (no definitions found).
    const Definitions& definitions();

  private:
    std::optional<Definitions> defs_;
};

}  // namespace myo::cli
