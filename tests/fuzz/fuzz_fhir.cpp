// libFuzzer entry point; the work is in fuzz_targets.cpp so the regression test can replay it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    myo::fuzz::fhir(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
