#pragma once
// The body chart's geometry on a canvas of any size, without windows: where each view is
// drawn, which area or site a point falls on, and a point inside each area (for labels and
// for tests that click it). The wx control only paints what this computes.

#include <optional>
#include <string>
#include <vector>

#include "core/bodychart.hpp"

namespace myo::gui {

struct CanvasRect {
    double x = 0, y = 0, w = 0, h = 0;
};

struct CanvasPoint {
    double x = 0, y = 0;
};

// The views side by side, each as large as the canvas allows at the chart's aspect, centred,
// below a band of `top` units for the view titles and above `bottom` units for side labels.
struct ChartLayout {
    std::vector<CanvasRect> views;
};
ChartLayout layout_chart(const BodyChart& chart, double width, double height, double top,
                         double bottom, double gap);

CanvasPoint to_canvas(const ChartLayout& layout, std::size_t view, ChartPoint p);

struct ChartHit {
    std::size_t view = 0;
    ChartPoint at;
};
std::optional<ChartHit> from_canvas(const ChartLayout& layout, CanvasPoint p);

// A point well inside the area's first shape in `view` (the centroid if it is inside, else
// the inside point nearest to it); nullopt if the area is not drawn in that view.
std::optional<ChartPoint> area_anchor(const ChartArea& area, std::size_t view);
// The first view an area is drawn in.
std::optional<std::size_t> area_view(const ChartArea& area);

// Clicking a tender point cycles: not examined -> 0 -> 1 -> 2 -> 3 -> not examined.
std::optional<long> next_tender_grade(std::optional<long> current);

}  // namespace myo::gui
