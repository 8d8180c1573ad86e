#pragma once
// myoscreen-cli as a function, so tests can run it in-process with captured streams.

#include <iosfwd>
#include <string>
#include <vector>

namespace myo::cli {

// Exit status: 0 success, 2 invalid input (one "file: /json/path: message" line per problem
// on `err`, nothing on `out`), 1 internal failure.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace myo::cli
