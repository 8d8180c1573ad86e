#pragma once
// The six worked examples (examples/*.json), read and validated, in file-name order: the
// assessments the benches evaluate, print and store. One reader for every bench, so that each
// measures the same cases in the same order (a directory's own order is unspecified).

#include <algorithm>
#include <filesystem>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"

namespace myo::bench {

inline std::vector<Assessment> load_examples(const std::filesystem::path& source,
                                             const Definitions& defs) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(source / "examples")) {
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Assessment> cases;
    for (const auto& f : files) {
        cases.push_back(read_assessment_file(f.string(), defs));
    }
    return cases;
}

}  // namespace myo::bench
