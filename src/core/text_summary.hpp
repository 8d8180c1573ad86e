#pragma once
// The evaluation as plain text for a terminal (`myoscreen-cli evaluate --format text`).

#include <string>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"

namespace myo {

std::string evaluation_to_text(const Definitions& defs, const Assessment& a, const Evaluation& e);

}  // namespace myo
