#pragma once
// The work each fuzz target does on one input, shared by the libFuzzer entry points and the
// regression test that replays every input that ever crashed (tests/data/fuzz-regressions).
// Each function must return normally for any input: problems are reported, never crashes.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace myo::fuzz {

// An assessment file read against the shipped definitions, then evaluated and written back.
void assessment(std::string_view input);
// Definition files: the first byte chooses assessment.json (0), tests.json (1) or rules.json (2);
// the rest replaces that file while the other two stay as shipped.
void definitions(std::string_view input);
// A rule condition: parsed, checked against the form and evaluated on a few answer sets.
void condition(std::string_view input);
// A FHIR Bundle imported (issue 16): refused with an ImportError naming the FHIR path, or read
// into an assessment that exports and imports again to the same answers.
void fhir(std::string_view input);

}  // namespace myo::fuzz
