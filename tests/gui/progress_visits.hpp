#pragma once
// Three visits of one patient for the Progress tests (model and windows): pain now 7 -> 5 -> 2
// (better, clinically important), the PSFS activity 3 -> 5 -> 8, average pain not asked at the
// second visit (a gap), the left shoulder girdle resolved and the right one new by the latest.

#include <vector>

#include "core/assessment.hpp"
#include "support/test_support.hpp"

namespace myo::test {

inline std::vector<Assessment> progress_visits() {
    Assessment base = read_assessment_file(
        (source_dir() / "examples" / "v5_desk_trapezius.json").string(), definitions());
    base.patient.id = "PRG-1";
    base.patient.name = "Ada Progress";
    std::vector<Assessment> out;
    const char* dates[] = {"2026-01-10", "2026-02-10", "2026-04-10"};
    const int now[] = {7, 5, 2};
    const int psfs[] = {3, 5, 8};
    for (int i = 0; i < 3; ++i) {
        Assessment a = base;
        a.date = dates[i];
        a.kind = i == 0 ? "initial" : "follow_up";
        a.answers["nrs_now"] = now[i];
        a.answers["psfs"][0]["score"] = psfs[i];
        if (i != 1) {
            a.answers["nrs_average"] = 6 - 2 * i;
        }
        if (i == 2) {
            a.answers.erase("wpi.shoulder_girdle_l");
            a.answers["wpi.shoulder_girdle_r"] = true;
        }
        out.push_back(a);
    }
    return out;
}

}  // namespace myo::test
