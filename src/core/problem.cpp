#include "core/problem.hpp"

#include <algorithm>

#include "core/text_input.hpp"

namespace myo {

namespace {
std::string summary(const std::string& file, const std::vector<Problem>& problems) {
    if (problems.empty()) {
        return file + ": unusable";
    }
    return format_problem(file, problems.front()) +
           (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : "");
}
}  // namespace

std::string format_problem(std::string_view file, const Problem& problem) {
    std::string out = quote_for_message(file, 1000);  // a file may be named "\x1B[2J"
    out += ": ";
    out += problem.path.empty() ? "/" : quote_for_message(problem.path, 120);
    out += ": ";
    // Messages quote values already shortened; this bound only stops a runaway one.
    out += quote_for_message(problem.message, 600);
    return out;
}

ProblemsError::ProblemsError(std::string file, std::vector<Problem> problems)
    : std::runtime_error(summary(file, problems)),
      file_(std::move(file)),
      problems_(std::move(problems)) {}

std::string ProblemsError::lines() const {
    std::string out;
    std::size_t shown = std::min(problems_.size(), kMaxProblemLines);
    for (std::size_t i = 0; i < shown; ++i) {
        out += format_problem(file_, problems_[i]);
        out += '\n';
    }
    if (problems_.size() > shown) {
        std::size_t more = problems_.size() - shown;
        out += quote_for_message(file_, 1000) + ": ... and " +
               (problems_.size() >= kMaxProblems ? "at least " : "") + std::to_string(more) +
               " more problem" + (more == 1 ? "" : "s") + "\n";
    }
    return out;
}

}  // namespace myo
