#pragma once
// How the store quotes what users typed in its messages, for every backend.

#include <string>
#include <vector>

namespace myo::store {

// Ids and names come from files and arguments: quoted escaped (no raw control character on
// a terminal) and at most a name's length.
std::string in_quotes(const std::string& s);

// "a, b, c".
std::string joined(const std::vector<std::string>& items);

}  // namespace myo::store
