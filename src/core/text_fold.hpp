#pragma once
// Case- and accent-folding of UTF-8 text for search: "zoe" must find "Zoë", "akesson" must
// find "Åkesson". The store indexes folded words; the GUI can fold a query the same way to
// highlight what matched. Folding is for comparison only: names are stored as given.

#include <string>
#include <string_view>
#include <vector>

namespace myo {

// Lower-cases and strips accents: Latin-1 Supplement and Latin Extended-A by table (with
// ß -> ss, æ -> ae, œ -> oe, þ -> th), a few Latin Extended-B letters (ș, ț, ơ, ư), Greek and
// Cyrillic capitals and Greek tonos/dialytika, combining marks dropped (so decomposed input
// folds like precomposed). Other characters pass through; invalid UTF-8 becomes U+FFFD.
std::string fold_for_search(std::string_view utf8);

// The folded words of a text: split wherever an ASCII character that is not a letter or a
// digit occurs ("Åkesson-Núñez" -> "akesson", "nunez"). Empty words are dropped.
std::vector<std::string> search_terms(std::string_view utf8);

}  // namespace myo
