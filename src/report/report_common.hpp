#pragma once
// Shared by referral.cpp, handout.cpp and progress.cpp (not part of the public API).

#include <string>
#include <vector>

#include "report/report_text.hpp"
#include "report/reports.hpp"
#include "report/text_layout.hpp"

namespace myo::report {

// Colours: urgency is always shown in words as well, never by colour alone.
Colour urgency_colour(Urgency u);
inline constexpr Colour kInk{0.1, 0.1, 0.12};
inline constexpr Colour kMuted{0.38, 0.38, 0.42};
inline constexpr Colour kAccent{0.12, 0.3, 0.5};
inline constexpr Colour kRule{0.7, 0.72, 0.76};
inline constexpr Colour kHeaderFill{0.91, 0.93, 0.96};

// "2026-11-20" -> "20 November 2026"; anything else is returned unchanged.
std::string long_date(const std::string& iso);
// "a", "a and b", "a, b and c".
std::string join_list(const std::vector<std::string>& items, const std::string& and_word = "and");
std::string lower_first(std::string s);
std::string upper_first(std::string s);
// "Shoulder girdle, left" -> "left shoulder girdle", so a list of areas reads unambiguously.
std::string sided(const std::string& label);
// A number as core writes it (format_number) with its unit: "6 weeks".
std::string weeks_text(double weeks);

// The clinician-facing letterhead: the clinic (wrapped), its address and who writes on the
// left; the report's title and a date line on the right; an accent rule under both.
struct Letterhead {
    std::string clinic;
    std::string address;  // may hold several lines
    std::string from;     // "From: Dr X", or empty
    std::string title;
    std::string subtitle;  // under the title, e.g. the visit date
};
void draw_letterhead(Flow& flow, const Letterhead& l);

// Two columns of "label  value" pairs, each value wrapped in its own column; with
// `first_prominent` the first value (the patient's name) is bold and a little larger.
void draw_fields(Flow& flow, const std::vector<std::pair<std::string, std::string>>& cells,
                 bool first_prominent);

// The signature block closing a clinician-facing report: the report's "signature_heading",
// the clinician's name ("signature_name" with {clinician}, left out when unknown) and two
// rules captioned "signature_sign" and "signature_date".
void draw_signature(Flow& flow, const ReportText& t, const std::string& clinician,
                    TextStyle heading, TextStyle body, TextStyle small);

// Draws the footer of every page once the page count is known.
void add_footers(Flow& flow, const std::string& left, const std::string& page_template,
                 const std::string& disclaimer, const std::string& where);

std::string make_referral(const ReportResources& res, const Assessment& a, const Evaluation& e,
                          const ReportSettings& settings);
std::string make_handout(const ReportResources& res, const Assessment& a, const Evaluation& e,
                         const ReportSettings& settings);
std::string make_progress(const ReportResources& res, const Comparison& c,
                          const ReportSettings& settings);

}  // namespace myo::report
