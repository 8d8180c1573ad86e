#pragma once
// A patient's comparison from the store, for `compare` and the progress report.

#include <cstdint>
#include <optional>
#include <string>

#include "cli/context.hpp"
#include "core/comparison.hpp"
#include "store/store.hpp"

namespace myo::cli {

// The final visits of the patient against the baseline: `baseline_assessment` for this run,
// else the stored mark, else the first visit. Throws store::NotFound with fewer than two.
Comparison patient_comparison(Context& ctx, store::Store& store, const std::string& patient,
                              std::optional<std::int64_t> baseline_assessment = std::nullopt);

}  // namespace myo::cli
