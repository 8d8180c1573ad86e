#include "report/report_common.hpp"

#include "report/bidi_text.hpp"

#include <algorithm>

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

const std::vector<std::string>& progress_sections() {
    static const std::vector<std::string> s = {"letterhead",  "patient",    "visits",
                                               "summary",     "table",      "charts",
                                               "body_charts", "thresholds", "signature"};
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
    if (std::string(kind) == "progress") {
        return {"document_title",    "title",     "clinic_default", "footer_left", "footer_page",
                "footer_disclaimer", "important", "better",         "worse",       "unchanged",
                "not_measured"};
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
    res.progress =
        ReportText::load(*dir, "progress", progress_sections(), required_text_keys("progress"));
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

std::string make_progress_report(const ReportResources& res, const Comparison& c,
                                 const ReportSettings& settings) {
    return make_progress(res, c, settings);
}

void write_progress(const ReportResources& res, const Comparison& c, const ReportSettings& settings,
                    const std::filesystem::path& path) {
    // The whole PDF is made before the file is touched: a failure leaves no file.
    write_file_atomically(path, make_progress(res, c, settings));
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

std::string sided(const std::string& label) {
    for (const char* side : {"left", "right"}) {
        const std::string suffix = std::string(", ") + side;
        if (label.size() > suffix.size() && label.ends_with(suffix)) {
            return std::string(side) + " " +
                   lower_first(label.substr(0, label.size() - suffix.size()));
        }
    }
    return lower_first(label);
}

std::string weeks_text(double weeks) {
    if (weeks < 1) {
        const double days = weeks * 7;
        const long rounded = std::lround(days);
        return rounded <= 1 ? "about a day" : std::to_string(rounded) + " days";
    }
    return format_number(weeks) + (weeks == 1 ? " week" : " weeks");
}

void draw_letterhead(Flow& flow, const Letterhead& l) {
    const TextStyle body{9.5, 12.6};
    const TextStyle small{8, 10.6};
    PdfDocument& doc = flow.doc();
    const double top = flow.y();
    const double right_w = 170;
    const double left_w = flow.width() - right_w - 12;
    double y_left = top;
    for (const Line& line : flow.wrap(plain(l.clinic, FontStyle::Bold, kAccent), 15, left_w)) {
        flow.page().ops.push_back(TextOp{{flow.left(), baseline(y_left, 15, 19)},
                                         FontStyle::Bold,
                                         15,
                                         kAccent,
                                         line.pieces.empty() ? "" : line.pieces[0].text});
        y_left -= 19;
    }
    if (!l.address.empty()) {
        for (const Line& line :
             flow.wrap(plain(l.address, FontStyle::Regular, kMuted), small.size, left_w)) {
            for (const Piece& p : line.pieces) {
                flow.page().ops.push_back(
                    TextOp{{flow.left() + p.dx, baseline(y_left, small.size, small.leading)},
                           p.style,
                           small.size,
                           p.colour,
                           p.text});
            }
            y_left -= small.leading;
        }
    }
    if (!l.from.empty()) {
        for (const Line& line :
             flow.wrap(plain(l.from, FontStyle::Regular, kMuted), body.size, left_w)) {
            flow.page().ops.push_back(
                TextOp{{flow.left(), baseline(y_left, body.size, body.leading)},
                       FontStyle::Regular,
                       body.size,
                       kMuted,
                       line.pieces.empty() ? "" : line.pieces[0].text});
            y_left -= body.leading;
        }
    }
    const double right = flow.left() + flow.width();
    const double tw = doc.text_width(l.title, FontStyle::Bold, 15);
    flow.page().ops.push_back(
        TextOp{{right - tw, baseline(top, 15, 19)}, FontStyle::Bold, 15, kInk, l.title});
    const double vw = doc.text_width(l.subtitle, FontStyle::Regular, body.size);
    flow.page().ops.push_back(TextOp{{right - vw, baseline(top - 19, body.size, body.leading)},
                                     FontStyle::Regular,
                                     body.size,
                                     kMuted,
                                     l.subtitle});
    const double bottom = std::min(y_left, top - 19 - body.leading) - 6;
    flow.page().ops.push_back(line_op({flow.left(), bottom}, {right, bottom}, kAccent, 1.2));
    flow.move_down(top - bottom + 8);
}

void draw_fields(Flow& flow, const std::vector<std::pair<std::string, std::string>>& cells,
                 bool first_prominent) {
    const TextStyle body{9.5, 12.6};
    const double small = 8;
    const double col_w = flow.width() / 2;
    const double label_w = 78;
    for (std::size_t i = 0; i < cells.size(); i += 2) {
        const auto size_of = [&](std::size_t k) {
            return first_prominent && k == 0 ? 10.5 : body.size;
        };
        std::vector<std::vector<Line>> values;
        std::size_t n = 1;
        for (std::size_t k = i; k < std::min(i + 2, cells.size()); ++k) {
            const FontStyle style =
                first_prominent && k == 0 ? FontStyle::Bold : FontStyle::Regular;
            values.push_back(
                flow.wrap(plain(cells[k].second, style, kInk), size_of(k), col_w - label_w - 8));
            n = std::max(n, values.back().size());
        }
        flow.ensure(static_cast<double>(n) * body.leading);
        const double top = flow.y();
        for (std::size_t k = 0; k < values.size(); ++k) {
            const double x = flow.left() + static_cast<double>(k) * col_w;
            flow.page().ops.push_back(TextOp{{x, baseline(top, small, body.leading)},
                                             FontStyle::Regular,
                                             small,
                                             kMuted,
                                             cells[i + k].first});
            double y = top;
            for (const Line& line : values[k]) {
                for (const Piece& p : line.pieces) {
                    const double size = size_of(i + k);
                    flow.page().ops.push_back(
                        TextOp{{x + label_w + p.dx, baseline(y, size, body.leading)},
                               p.style,
                               size,
                               p.colour,
                               p.text});
                }
                y -= body.leading;
            }
        }
        flow.move_down(static_cast<double>(n) * body.leading + 1);
    }
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
    // Measured once, character by character, so shortening stays linear in the name's length.
    const std::u32string left_chars = to_utf32(clean_text(left));
    const std::vector<double> left_widths = doc.char_widths(left_chars, FontStyle::Regular, size);
    std::vector<double> prefix(left_chars.size() + 1, 0);
    for (std::size_t k = 0; k < left_chars.size(); ++k) {
        prefix[k + 1] = prefix[k] + left_widths[k];
    }
    const double ellipsis_w = doc.text_width("…", FontStyle::Regular, size);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const std::string page_text = fill_template(
            page_template,
            {{"page", std::to_string(i + 1)}, {"pages", std::to_string(pages.size())}}, where);
        const double pw = doc.text_width(page_text, FontStyle::Regular, size);
        const double room = right_edge - g.left - pw - 12;
        std::string shown;
        if (prefix.back() <= room) {
            shown = to_utf8(left_chars);
        } else if (ellipsis_w <= room) {
            // The longest start that fits with the ellipsis, not ending before a zero-width
            // character (a mark belongs to the letter before it).
            std::size_t keep = static_cast<std::size_t>(
                std::upper_bound(prefix.begin(), prefix.end(), room - ellipsis_w) - prefix.begin() -
                1);
            while (keep > 0 && keep < left_chars.size() && left_widths[keep] == 0) {
                --keep;
            }
            shown = to_utf8(std::u32string_view(left_chars).substr(0, keep)) + "…";
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

void draw_signature(Flow& flow, const ReportText& t, const std::string& clinician,
                    TextStyle heading, TextStyle body, TextStyle small) {
    flow.move_down(12);
    flow.ensure(70);
    flow.heading(t.fill("signature_heading", {}), heading, kAccent, 50);
    if (!clinician.empty()) {
        flow.paragraph(plain(t.fill("signature_name", {{"clinician", clinician}})), body);
    }
    flow.move_down(26);
    const double y = flow.y();
    const double w = flow.width();
    const double x = flow.left();
    flow.page().ops.push_back(line_op({x, y}, {x + w * 0.55, y}, kInk, 0.6));
    flow.page().ops.push_back(line_op({x + w * 0.65, y}, {x + w, y}, kInk, 0.6));
    flow.page().ops.push_back(
        TextOp{{x, y - 10}, FontStyle::Regular, small.size, kMuted, t.fill("signature_sign", {})});
    flow.page().ops.push_back(TextOp{{x + w * 0.65, y - 10},
                                     FontStyle::Regular,
                                     small.size,
                                     kMuted,
                                     t.fill("signature_date", {})});
    flow.move_down(14);
}

}  // namespace myo::report
