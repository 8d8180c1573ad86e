#pragma once
// Which of a patient's final visits a comparison measures from, given the visit the clinician
// marked (store: baseline_visit). One function so that `myoscreen-cli compare`, the progress
// report and the app's Progress view always compare against the same visit.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace myo {

enum class BaselineProblem {
    None,
    NotAFinalVisit,  // the marked visit is not among the final visits (e.g. only drafts left)
    IsLatest,        // the marked visit is the latest one: nothing to compare it with
};

struct BaselineChoice {
    std::optional<std::size_t> index;  // nullopt: the first visit (compare_visits' default)
    BaselineProblem problem = BaselineProblem::None;
};

// `visit_ids`: each final visit's id (the id of its first version), oldest first.
inline BaselineChoice choose_baseline(const std::vector<std::int64_t>& visit_ids,
                                      std::optional<std::int64_t> marked_visit) {
    BaselineChoice out;
    if (!marked_visit) {
        return out;
    }
    for (std::size_t i = 0; i < visit_ids.size(); ++i) {
        if (visit_ids[i] == *marked_visit) {
            out.index = i;
        }
    }
    if (!out.index) {
        out.problem = BaselineProblem::NotAFinalVisit;
    } else if (*out.index + 1 >= visit_ids.size()) {
        out.problem = BaselineProblem::IsLatest;
    }
    return out;
}

}  // namespace myo
