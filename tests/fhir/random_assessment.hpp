#pragma once
// Assessments drawn at random from forms/ (every item type, range and choice; items left out
// at random, "unknown" among the yes/no answers): the FHIR tests' generated cases.

#include <random>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

namespace myo::test {

// A valid assessment (validate_assessment finds nothing) for patient P-<n>.
Assessment random_assessment(const Definitions& defs, std::mt19937& rng, int n);

}  // namespace myo::test
