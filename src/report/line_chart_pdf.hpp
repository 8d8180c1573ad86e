#pragma once
// A line chart of measures across visits, drawn as vectors into a rectangle of a page: visits
// placed on a dated axis, a gap where a measure was not recorded, and a legend. Series differ
// by colour, dash and marker shape, so the chart still reads in grey print.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "report/body_chart_pdf.hpp"
#include "report/display_list.hpp"
#include "report/pdf_document.hpp"

namespace myo::report {

enum class Marker { Circle, Square, Triangle, Diamond };

struct LineSeries {
    std::string label;
    std::vector<std::optional<double>> values;  // one per visit; nullopt leaves a gap
    Colour colour;
    Marker marker = Marker::Circle;
    std::vector<unsigned> dash;  // empty: solid
};

struct LineChart {
    std::string title;
    std::string note;                // beside the title, muted ("lower is better")
    std::vector<std::string> dates;  // ISO dates of the visits, chronological
    std::vector<LineSeries> series;
    double y_min = 0;
    double y_max = 10;
    // A visit marked with a dotted vertical line and a word (the baseline), if any.
    std::optional<std::size_t> mark;
    std::string mark_label;
    // Print each point's value above it (only sensible for a single series).
    bool value_labels = false;
    // Reserve room for at least this many legend rows, so that charts side by side share
    // their x axis line.
    std::size_t legend_rows = 0;
};

// The series' look for the i-th line of a chart.
LineSeries series_style(std::size_t i);

// How many rows the chart's legend takes in a box of this width.
std::size_t line_chart_legend_rows(PdfDocument& doc, const LineChart& chart, double width);

// Appends the chart (title, axes, lines, legend) to page, inside box.
void draw_line_chart(PageOps& page, PdfDocument& doc, const LineChart& chart, ChartBox box);

// "5 Jan 2026" for the axis; anything that is not an ISO date is returned unchanged.
std::string short_date(const std::string& iso);

}  // namespace myo::report
