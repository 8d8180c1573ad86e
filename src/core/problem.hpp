#pragma once
// Problems found in a file: each names a JSON path, so a user can find and fix it.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace myo {

struct Problem {
    std::string path;  // JSON pointer ("" for the whole document), or "line L, column C"
    std::string message;

    bool operator==(const Problem&) const = default;
};

// A hostile file can hold a million faults; a reader stops collecting past kMaxProblems (so
// memory stays bounded) and ProblemsError::lines() prints at most kMaxProblemLines of them,
// then one "... and N more problems" line.
inline constexpr std::size_t kMaxProblems = 1000;
inline constexpr std::size_t kMaxProblemLines = 30;

// "file: /json/path: message" (the format every verb prints on standard error). The path is
// shortened and any control character in it or in the message is escaped (\u001B), so a
// message never writes raw control characters to a terminal.
std::string format_problem(std::string_view file, const Problem& problem);

// A list of problems in one file, thrown when a file cannot be used at all.
class ProblemsError : public std::runtime_error {
  public:
    ProblemsError(std::string file, std::vector<Problem> problems);
    const std::string& file() const { return file_; }
    const std::vector<Problem>& problems() const { return problems_; }
    // One formatted line per problem, each ending in a newline; at most kMaxProblemLines
    // and a last line saying how many more there are.
    std::string lines() const;

  private:
    std::string file_;
    std::vector<Problem> problems_;
};

// The definitions in forms/ are unusable (refused at start-up).
class DefinitionError : public ProblemsError {
  public:
    using ProblemsError::ProblemsError;
};

// An assessment file is unusable.
class AssessmentError : public ProblemsError {
  public:
    using ProblemsError::ProblemsError;
};

}  // namespace myo
