#include "report/report_common.hpp"

#include "core/dates.hpp"
#include "report/pdf_document.hpp"

namespace myo::report {

std::optional<ReportKind> parse_report_kind(const std::string& id) {
    if (id == "referral") {
        return ReportKind::Referral;
    }
    if (id == "handout") {
        return ReportKind::Handout;
    }
    return std::nullopt;
}

const char* report_kind_id(ReportKind kind) {
    return kind == ReportKind::Referral ? "referral" : "handout";
}

const std::vector<std::string>& referral_sections() {
    static const std::vector<std::string> s = {"letterhead", "patient",    "reason", "red_flags",
                                               "history",    "body_chart", "scores", "pattern",
                                               "tests",      "referrals",  "notes",  "signature"};
    return s;
}

const std::vector<std::string>& handout_sections() {
    static const std::vector<std::string> s = {"title", "prompt_care", "found", "plan", "get_help"};
    return s;
}

namespace {

// The texts the code asks for unconditionally; checked at load so a clinic's edit that drops
// one is refused at start-up with its path, not halfway through a report.
std::vector<std::string> required_text_keys(const char* kind) {
    if (std::string(kind) == "referral") {
        return {"document_title",    "title",       "clinic_default", "reason_label",
                "red_flags_heading", "footer_left", "footer_page",    "footer_disclaimer"};
    }
    return {"document_title", "title", "footer_left", "footer_page", "footer_disclaimer"};
}

}  // namespace

ReportResources load_report_resources(const Definitions& defs) {
    ReportResources res;
    res.defs = &defs;
    res.chart = load_body_chart_file(defs.dir / "bodychart.json", defs.form);
    auto dir = find_reports_dir(defs.dir);
    if (!dir) {
        throw ReportError("the report texts (reports/referral.json) were not found beside " +
                          defs.dir.string());
    }
    res.referral =
        ReportText::load(*dir, "referral", referral_sections(), required_text_keys("referral"));
    res.handout =
        ReportText::load(*dir, "handout", handout_sections(), required_text_keys("handout"));
    res.fonts = find_fonts(defs.dir);
    return res;
}

std::string make_report(const ReportResources& res, ReportKind kind, const Assessment& a,
                        const Evaluation& e, const ReportSettings& settings) {
    return kind == ReportKind::Referral ? make_referral(res, a, e, settings)
                                        : make_handout(res, a, e, settings);
}

void write_report(const ReportResources& res, ReportKind kind, const Assessment& a,
                  const Evaluation& e, const ReportSettings& settings,
                  const std::filesystem::path& path) {
    write_file_atomically(path, make_report(res, kind, a, e, settings));
}

Colour urgency_colour(Urgency u) {
    switch (u) {
        case Urgency::Emergency:
            return {0.72, 0.05, 0.08};
        case Urgency::Urgent:
            return {0.82, 0.33, 0.0};
        case Urgency::Soon:
            return {0.62, 0.47, 0.0};
        case Urgency::Routine:
            return {0.2, 0.45, 0.3};
    }
    return {0, 0, 0};
}

std::string long_date(const std::string& iso) {
    static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
    auto d = parse_iso_date(iso);
    if (!d) {
        return iso;
    }
    return std::to_string(d->day) + " " + kMonths[d->month - 1] + " " + std::to_string(d->year);
}

std::string join_list(const std::vector<std::string>& items, const std::string& and_word) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += i + 1 == items.size() ? " " + and_word + " " : ", ";
        }
        out += items[i];
    }
    return out;
}

std::string lower_first(std::string s) {
    // Only ASCII capitals: labels start with an English word; a name keeps its case.
    if (s.size() > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) {
        s[0] = static_cast<char>(s[0] - 'A' + 'a');
    }
    return s;
}

std::string upper_first(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    }
    return s;
}

std::string weeks_text(double weeks) {
    if (weeks < 1) {
        const double days = weeks * 7;
        const long rounded = std::lround(days);
        return rounded <= 1 ? "about a day" : std::to_string(rounded) + " days";
    }
    return format_number(weeks) + (weeks == 1 ? " week" : " weeks");
}

void add_footers(Flow& flow, const std::string& left, const std::string& page_template,
                 const std::string& disclaimer, const std::string& where) {
    auto& pages = flow.pages();
    const PageGeometry& g = flow.geometry();
    PdfDocument& doc = flow.doc();
    const double size = 7.5;
    const double right_edge = g.width - g.right;
    const double line_y = g.bottom - 18;
    // A name too long for the footer is shortened with an ellipsis, never drawn over the page
    // number; the full name is in the patient block.
    const std::string clean_left = clean_text(left);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const std::string page_text = fill_template(
            page_template,
            {{"page", std::to_string(i + 1)}, {"pages", std::to_string(pages.size())}}, where);
        const double pw = doc.text_width(page_text, FontStyle::Regular, size);
        std::string shown = clean_left;
        const double room = right_edge - g.left - pw - 12;
        while (!shown.empty() && doc.text_width(shown, FontStyle::Regular, size) > room) {
            std::size_t cut = shown.size() - 1;
            while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) {
                --cut;
            }
            shown = shown.substr(0, cut);
            if (doc.text_width(shown + "…", FontStyle::Regular, size) <= room) {
                shown += "…";
                break;
            }
        }
        auto& ops = pages[i].ops;
        ops.push_back(line_op({g.left, line_y + 10}, {right_edge, line_y + 10}, kRule, 0.5));
        ops.push_back(TextOp{{g.left, line_y}, FontStyle::Regular, size, kMuted, shown});
        ops.push_back(
            TextOp{{right_edge - pw, line_y}, FontStyle::Regular, size, kMuted, page_text});
        const double dw = doc.text_width(disclaimer, FontStyle::Regular, size);
        ops.push_back(TextOp{{g.left + (right_edge - g.left - dw) / 2, line_y - 11},
                             FontStyle::Regular,
                             size,
                             kMuted,
                             disclaimer});
    }
}

}  // namespace myo::report
