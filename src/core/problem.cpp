#include "core/problem.hpp"

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
    std::string out(file);
    out += ": ";
    out += problem.path.empty() ? "/" : problem.path;
    out += ": ";
    out += problem.message;
    return out;
}

ProblemsError::ProblemsError(std::string file, std::vector<Problem> problems)
    : std::runtime_error(summary(file, problems)),
      file_(std::move(file)),
      problems_(std::move(problems)) {}

std::string ProblemsError::lines() const {
    std::string out;
    for (const auto& p : problems_) {
        out += format_problem(file_, p);
        out += '\n';
    }
    return out;
}

}  // namespace myo
