#pragma once
// A report could not be made (libharu failed, a character has no glyph, the output cannot be
// written). The document is discarded; no partial file is left behind.

#include <stdexcept>

namespace myo::report {

class ReportError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace myo::report
