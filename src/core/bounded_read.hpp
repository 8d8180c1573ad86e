#pragma once
// Reading a file a user names (an assessment, a FHIR Bundle) when any path may be hostile: a
// folder, a device that never ends (/dev/zero), a FIFO, a file of gigabytes. A regular file is
// sized before it is read; anything else is read to at most `max_bytes` + 1 bytes, one more
// telling "too large" without reading it to its end. Each reader words the problem for its kind
// of file.

#include <cstddef>
#include <optional>
#include <string>

namespace myo {

enum class ReadProblem {
    kDirectory,   // a folder, not a file
    kTooLarge,    // more than max_bytes
    kUnreadable,  // missing, or no permission
    kInputOutput  // an error while reading
};

struct BoundedRead {
    std::optional<std::string> text;  // set when problem is not
    std::optional<ReadProblem> problem;
};

// `path` "-" reads standard input.
BoundedRead read_bounded_file(const std::string& path, std::size_t max_bytes);

}  // namespace myo
