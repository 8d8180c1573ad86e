// Replays every fuzz seed and every input a fuzzer ever crashed on (issue 7): each must be
// handled without a crash, in the ordinary build and under the sanitizers.

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>

#include "fuzz_targets.hpp"
#include "support/test_support.hpp"

using namespace myo;

TEST_CASE("fuzz regressions and seeds are handled without a crash") {
    const std::pair<const char*, std::function<void(std::string_view)>> targets[] = {
        {"assessment", fuzz::assessment},
        {"definitions", fuzz::definitions},
        {"condition", fuzz::condition},
        {"fhir", fuzz::fhir}};
    std::size_t replayed = 0;
    for (const auto& [name, run] : targets) {
        for (const auto& root : {test::source_dir() / "tests" / "fuzz" / "seeds" / name,
                                 test::data_dir() / "fuzz-regressions" / name}) {
            if (!std::filesystem::exists(root)) {
                continue;
            }
            for (const auto& entry : std::filesystem::directory_iterator(root)) {
                CAPTURE(entry.path().string());
                run(read_text_file(entry.path()));
                ++replayed;
            }
        }
    }
    CHECK(replayed >= 50);
}
