#include "report/line_chart_pdf.hpp"

#include <algorithm>
#include <cmath>

#include "core/dates.hpp"
#include "core/json_util.hpp"

namespace myo::report {

namespace {

const Colour kAxis{0.45, 0.45, 0.5};
const Colour kGrid{0.86, 0.87, 0.9};
const Colour kText{0.3, 0.3, 0.34};
const Colour kTitle{0.1, 0.1, 0.12};

// Days since 1970-01-01 (Howard Hinnant's days_from_civil): the axis is placed by date, so a
// long gap between visits shows as a long stretch of line.
long day_number(const Date& d) {
    const int y = d.month <= 2 ? d.year - 1 : d.year;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long mp = (d.month + 9) % 12;
    const long doy = (153 * mp + 2) / 5 + d.day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// A round step giving at most `most` intervals over the span.
double tick_step(double span, int most) {
    for (double magnitude = 0.1; magnitude < 1e6; magnitude *= 10) {
        for (double f : {1.0, 2.0, 5.0}) {
            if (span / (f * magnitude) <= most + 1e-9) {
                return f * magnitude;
            }
        }
    }
    return span;
}

void add_marker(PageOps& page, Marker m, Pt c, double r, Colour fill) {
    const Colour edge{1, 1, 1};
    if (m == Marker::Circle) {
        page.ops.push_back(CircleOp{c, r, fill, edge, 0.6});
        return;
    }
    PathOp op;
    if (m == Marker::Square) {
        const double s = r * 0.9;
        op.subpaths.push_back(
            {{c.x - s, c.y - s}, {c.x + s, c.y - s}, {c.x + s, c.y + s}, {c.x - s, c.y + s}});
    } else if (m == Marker::Triangle) {
        const double s = r * 1.25;
        op.subpaths.push_back({{c.x - s, c.y - s * 0.8}, {c.x + s, c.y - s * 0.8}, {c.x, c.y + s}});
    } else {
        const double s = r * 1.25;
        op.subpaths.push_back({{c.x, c.y - s}, {c.x + s, c.y}, {c.x, c.y + s}, {c.x - s, c.y}});
    }
    op.fill = fill;
    op.stroke = edge;
    op.line_width = 0.6;
    page.ops.push_back(std::move(op));
}

const double kSampleWidth = 18;
const double kLegendSize = 7.5;

struct LegendEntry {
    double x = 0;
    std::size_t row = 0;
};

std::vector<LegendEntry> legend_layout(PdfDocument& doc, const LineChart& chart, double width) {
    std::vector<LegendEntry> entries;
    double x = 0;
    std::size_t row = 0;
    for (const auto& s : chart.series) {
        const double w =
            kSampleWidth + 4 + doc.text_width(s.label, FontStyle::Regular, kLegendSize);
        if (x > 0 && x + w > width) {
            x = 0;
            ++row;
        }
        entries.push_back({x, row});
        x += w + 12;
    }
    return entries;
}

}  // namespace

std::size_t line_chart_legend_rows(PdfDocument& doc, const LineChart& chart, double width) {
    const auto entries = legend_layout(doc, chart, width);
    return entries.empty() ? 0 : entries.back().row + 1;
}

std::string short_date(const std::string& iso) {
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto d = parse_iso_date(iso);
    if (!d) {
        return iso;
    }
    return std::to_string(d->day) + " " + kMonths[d->month - 1] + " " + std::to_string(d->year);
}

LineSeries series_style(std::size_t i) {
    // Blue, orange and grey-green: apart for the common colour-vision deficiencies, and the
    // dash and marker carry the difference without any colour at all.
    static const Colour kColours[] = {
        {0.12, 0.35, 0.62}, {0.85, 0.4, 0.05}, {0.3, 0.5, 0.35}, {0.5, 0.3, 0.55}};
    static const Marker kMarkers[] = {Marker::Circle, Marker::Square, Marker::Triangle,
                                      Marker::Diamond};
    static const std::vector<std::vector<unsigned>> kDashes = {{}, {5, 2}, {1, 2}, {4, 2, 1, 2}};
    LineSeries s;
    s.colour = kColours[i % 4];
    s.marker = kMarkers[i % 4];
    s.dash = kDashes[i % 4];
    return s;
}

void draw_line_chart(PageOps& page, PdfDocument& doc, const LineChart& chart, ChartBox box) {
    const std::size_t n = chart.dates.size();
    const double title_size = 9;
    const double small = 7;
    const double legend_size = kLegendSize;
    const double legend_row = 11;
    const double top = box.y + box.height;

    // Title, and the note after it when it fits on the same line, else under it.
    double y = top - title_size;
    page.ops.push_back(TextOp{{box.x, y}, FontStyle::Bold, title_size, kTitle, chart.title});
    const double title_w = doc.text_width(chart.title, FontStyle::Bold, title_size);
    if (!chart.note.empty()) {
        const double note_w = doc.text_width(chart.note, FontStyle::Regular, small);
        if (title_w + 6 + note_w <= box.width) {
            page.ops.push_back(
                TextOp{{box.x + title_w + 6, y}, FontStyle::Regular, small, kText, chart.note});
        } else {
            y -= small + 3;
            page.ops.push_back(TextOp{{box.x, y}, FontStyle::Regular, small, kText, chart.note});
        }
    }
    const double plot_top = y - 8;

    // The legend: entries left to right, wrapping onto further rows.
    const double sample_w = kSampleWidth;
    const auto entries = legend_layout(doc, chart, box.width);
    const std::size_t legend_rows =
        std::max(chart.legend_rows, entries.empty() ? std::size_t{0} : entries.back().row + 1);
    const double legend_h = static_cast<double>(legend_rows) * legend_row;
    const double xlabel_h = 2 * (small + 1.5) + 3;
    const double plot_bottom = box.y + legend_h + xlabel_h + 4;

    // Y axis: round ticks, labels right-aligned left of the plot.
    const double y_span = std::max(chart.y_max - chart.y_min, 1e-9);
    const double step = tick_step(y_span, 5);
    std::vector<double> ticks;
    for (double t = std::ceil(chart.y_min / step - 1e-9) * step; t <= chart.y_max + 1e-9;
         t += step) {
        ticks.push_back(std::fabs(t) < 1e-9 ? 0 : t);
    }
    double label_w = 0;
    for (double t : ticks) {
        label_w = std::max(label_w, doc.text_width(format_number(t), FontStyle::Regular, small));
    }
    const double plot_left = box.x + label_w + 5;
    const double plot_right = box.x + box.width - 4;
    const auto ymap = [&](double v) {
        v = std::clamp(v, chart.y_min, chart.y_max);
        return plot_bottom + (v - chart.y_min) / y_span * (plot_top - plot_bottom);
    };
    for (double t : ticks) {
        const double ty = ymap(t);
        page.ops.push_back(line_op({plot_left, ty}, {plot_right, ty}, kGrid, 0.4));
        const std::string s = format_number(t);
        const double w = doc.text_width(s, FontStyle::Regular, small);
        page.ops.push_back(
            TextOp{{plot_left - 3 - w, ty - small * 0.35}, FontStyle::Regular, small, kText, s});
    }

    // X axis by date; visits whose dates cannot be read, or all on one day, are spaced evenly.
    std::vector<double> xs(n, 0);
    {
        const double inset = 8;
        const double x0 = plot_left + inset;
        const double x1 = plot_right - inset;
        std::vector<long> days;
        for (const auto& d : chart.dates) {
            if (auto parsed = parse_iso_date(d)) {
                days.push_back(day_number(*parsed));
            }
        }
        const bool dated = days.size() == n && n > 1 && days.back() > days.front() &&
                           std::is_sorted(days.begin(), days.end());
        for (std::size_t i = 0; i < n; ++i) {
            const double f = n == 1  ? 0.5
                             : dated ? static_cast<double>(days[i] - days.front()) /
                                           static_cast<double>(days.back() - days.front())
                                     : static_cast<double>(i) / static_cast<double>(n - 1);
            xs[i] = x0 + f * (x1 - x0);
        }
    }
    page.ops.push_back(line_op({plot_left, plot_bottom}, {plot_right, plot_bottom}, kAxis, 0.7));
    page.ops.push_back(line_op({plot_left, plot_bottom}, {plot_left, plot_top}, kAxis, 0.7));

    // Date labels: day and month, the year under it where it changes. The first, the last and
    // the marked visit are labelled first; the rest only where they do not crowd a neighbour.
    {
        std::vector<std::size_t> order;
        if (n > 0) {
            order.push_back(0);
        }
        if (n > 1) {
            order.push_back(n - 1);
        }
        if (chart.mark && *chart.mark < n && *chart.mark != 0 && *chart.mark != n - 1) {
            order.push_back(*chart.mark);
        }
        for (std::size_t i = 1; i + 1 < n; ++i) {
            if (!chart.mark || i != *chart.mark) {
                order.push_back(i);
            }
        }
        struct Placed {
            std::size_t i;
            double left;
            double right;
        };
        std::vector<Placed> placed;
        const auto day_month = [](const std::string& d) {
            const std::string s = short_date(d);
            const auto sp = s.rfind(' ');
            return sp == std::string::npos || s == d ? s : s.substr(0, sp);
        };
        for (std::size_t i : order) {
            const std::string label = day_month(chart.dates[i]);
            const double w = doc.text_width(label, FontStyle::Regular, small);
            double left = std::clamp(xs[i] - w / 2, box.x, box.x + box.width - w);
            const bool crowded = std::any_of(placed.begin(), placed.end(), [&](const Placed& p) {
                return left < p.right + 4 && left + w > p.left - 4;
            });
            if (!crowded) {
                placed.push_back({i, left, left + w});
            }
        }
        std::sort(placed.begin(), placed.end(),
                  [](const Placed& a, const Placed& b) { return a.i < b.i; });
        std::string last_year;
        for (const Placed& p : placed) {
            const std::string label = day_month(chart.dates[p.i]);
            const double ly = plot_bottom - 4 - small;
            page.ops.push_back(TextOp{{p.left, ly}, FontStyle::Regular, small, kText, label});
            const std::string year =
                chart.dates[p.i].size() >= 4 && parse_iso_date(chart.dates[p.i])
                    ? chart.dates[p.i].substr(0, 4)
                    : "";
            if (!year.empty() && year != last_year) {
                const double yw = doc.text_width(year, FontStyle::Regular, small);
                const double yx =
                    std::clamp(p.left + (p.right - p.left - yw) / 2, box.x, box.x + box.width - yw);
                page.ops.push_back(
                    TextOp{{yx, ly - small - 1.5}, FontStyle::Regular, small, kText, year});
                last_year = year;
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            page.ops.push_back(
                line_op({xs[i], plot_bottom}, {xs[i], plot_bottom - 2.5}, kAxis, 0.6));
        }
    }

    // The marked visit (the baseline): a dotted line and its word at the top of the plot.
    if (chart.mark && *chart.mark < n) {
        const double mx = xs[*chart.mark];
        PathOp op = line_op({mx, plot_bottom}, {mx, plot_top}, kAxis, 0.6);
        op.dash = {1, 2};
        page.ops.push_back(std::move(op));
        if (!chart.mark_label.empty()) {
            const double w = doc.text_width(chart.mark_label, FontStyle::Regular, small);
            const double lx = mx + 2 + w <= plot_right ? mx + 2 : mx - 2 - w;
            page.ops.push_back(
                TextOp{{lx, plot_top - small}, FontStyle::Regular, small, kText, chart.mark_label});
        }
    }

    // The lines: one subpath per run of recorded values, so a missing value leaves a gap.
    const double r = 2.6;
    for (const auto& s : chart.series) {
        PathOp line;
        line.closed = false;
        line.stroke = s.colour;
        line.line_width = 1.3;
        line.dash = s.dash;
        std::vector<Pt> run;
        for (std::size_t i = 0; i <= n; ++i) {
            const bool has = i < n && i < s.values.size() && s.values[i];
            if (has) {
                run.push_back({xs[i], ymap(*s.values[i])});
            } else {
                if (run.size() >= 2) {
                    line.subpaths.push_back(run);
                }
                run.clear();
            }
        }
        if (!line.subpaths.empty()) {
            page.ops.push_back(std::move(line));
        }
    }
    for (const auto& s : chart.series) {
        double last_right = -1e9;
        for (std::size_t i = 0; i < n && i < s.values.size(); ++i) {
            if (!s.values[i]) {
                continue;
            }
            const Pt c{xs[i], ymap(*s.values[i])};
            add_marker(page, s.marker, c, r, s.colour);
            if (chart.value_labels) {
                const std::string v = format_number(*s.values[i]);
                const double w = doc.text_width(v, FontStyle::Regular, small);
                // Beside the marked visit's dotted line rather than across it.
                const bool on_mark = chart.mark && *chart.mark == i;
                const double lx = on_mark ? c.x + 2 : c.x - w / 2;
                // Above the point, or below it when the point is at the top of the plot.
                const double ly = c.y + r + 2.5 + small * 0.8 > plot_top
                                      ? c.y - r - 2.5 - small * 0.75
                                      : c.y + r + 2.5;
                if (lx > last_right + 2) {
                    page.ops.push_back(TextOp{{lx, ly}, FontStyle::Regular, small, kTitle, v});
                    last_right = lx + w;
                }
            }
        }
    }

    // The legend.
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const auto& s = chart.series[k];
        const double ex = box.x + entries[k].x;
        const double ey =
            box.y + legend_h - static_cast<double>(entries[k].row) * legend_row - legend_row / 2;
        PathOp sample = line_op({ex, ey}, {ex + sample_w, ey}, s.colour, 1.3);
        sample.dash = s.dash;
        page.ops.push_back(std::move(sample));
        add_marker(page, s.marker, {ex + sample_w / 2, ey}, r, s.colour);
        page.ops.push_back(TextOp{{ex + sample_w + 4, ey - legend_size * 0.35},
                                  FontStyle::Regular,
                                  legend_size,
                                  kTitle,
                                  s.label});
    }
}

}  // namespace myo::report
