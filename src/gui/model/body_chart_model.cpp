#include "gui/model/body_chart_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace myo::gui {

ChartLayout layout_chart(const BodyChart& chart, double width, double height, double top,
                         double bottom, double gap) {
    ChartLayout out;
    std::size_t n = chart.views.size();
    if (n == 0) {
        return out;
    }
    double avail_h = std::max(1.0, height - top - bottom);
    double avail_w = std::max(1.0, width - gap * static_cast<double>(n - 1));
    double h = std::min(avail_h, avail_w / static_cast<double>(n) / chart.aspect);
    double w = h * chart.aspect;
    double total = w * static_cast<double>(n) + gap * static_cast<double>(n - 1);
    double x = (width - total) / 2;
    double y = top + (avail_h - h) / 2;
    for (std::size_t i = 0; i < n; ++i) {
        out.views.push_back({x + static_cast<double>(i) * (w + gap), y, w, h});
    }
    return out;
}

CanvasPoint to_canvas(const ChartLayout& layout, std::size_t view, ChartPoint p) {
    const CanvasRect& r = layout.views.at(view);
    return {r.x + p.x * r.w, r.y + p.y * r.h};
}

std::optional<ChartHit> from_canvas(const ChartLayout& layout, CanvasPoint p) {
    for (std::size_t i = 0; i < layout.views.size(); ++i) {
        const CanvasRect& r = layout.views[i];
        if (p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h && r.w > 0 &&
            r.h > 0) {
            return ChartHit{i, {(p.x - r.x) / r.w, (p.y - r.y) / r.h}};
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> area_view(const ChartArea& area) {
    if (area.shapes.empty()) {
        return std::nullopt;
    }
    return area.shapes.front().view;
}

std::optional<ChartPoint> area_anchor(const ChartArea& area, std::size_t view) {
    for (const auto& shape : area.shapes) {
        if (shape.view != view || shape.polygon.empty()) {
            continue;
        }
        ChartPoint c;
        double minx = 1, maxx = 0, miny = 1, maxy = 0;
        for (const auto& p : shape.polygon) {
            c.x += p.x;
            c.y += p.y;
            minx = std::min(minx, p.x);
            maxx = std::max(maxx, p.x);
            miny = std::min(miny, p.y);
            maxy = std::max(maxy, p.y);
        }
        c.x /= static_cast<double>(shape.polygon.size());
        c.y /= static_cast<double>(shape.polygon.size());
        if (polygon_contains(shape.polygon, c)) {
            return c;
        }
        // A concave shape (an arm bent round the body) can have its centroid outside: take
        // the inside grid point nearest to it.
        std::optional<ChartPoint> best;
        double best_d = std::numeric_limits<double>::max();
        for (int i = 1; i < 40; ++i) {
            for (int j = 1; j < 40; ++j) {
                ChartPoint q{minx + (maxx - minx) * i / 40.0, miny + (maxy - miny) * j / 40.0};
                double d = std::hypot(q.x - c.x, q.y - c.y);
                if (d < best_d && polygon_contains(shape.polygon, q)) {
                    best_d = d;
                    best = q;
                }
            }
        }
        return best;
    }
    return std::nullopt;
}

std::optional<long> next_tender_grade(std::optional<long> current) {
    if (!current) {
        return 0L;
    }
    if (*current >= 3) {
        return std::nullopt;
    }
    return *current + 1;
}

}  // namespace myo::gui
