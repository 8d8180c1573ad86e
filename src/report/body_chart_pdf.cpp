#include "report/body_chart_pdf.hpp"

#include <algorithm>

namespace myo::report {

namespace {

const Colour kOutline{0.25, 0.25, 0.3};
const Colour kLandmark{0.55, 0.55, 0.6};
const Colour kShade{0.96, 0.62, 0.45};
const Colour kShadeEdge{0.85, 0.45, 0.3};
const Colour kBody{0.97, 0.97, 0.98};
const Colour kPositive{0.62, 0.1, 0.1};
const Colour kNegative{1, 1, 1};
const Colour kLabel{0.35, 0.35, 0.4};

}  // namespace

Colour chart_shade() {
    return kShade;
}
Colour chart_positive() {
    return kPositive;
}

void draw_body_chart(PageOps& page, PdfDocument& doc, const BodyChart& chart, ChartBox box,
                     const ChartMarks& marks) {
    const double n = static_cast<double>(std::max<std::size_t>(chart.views.size(), 1));
    const double label_h = 12;
    const double gap = box.width * 0.1;
    // Each view: width = aspect * height; fit n views and the gaps into the box.
    double view_h = box.height - label_h;
    double view_w = view_h * chart.aspect;
    if (view_w * n + gap * (n - 1) > box.width) {
        view_w = (box.width - gap * (n - 1)) / n;
        view_h = view_w / chart.aspect;
    }
    const double total_w = view_w * n + gap * (n - 1);
    const double x0 = box.x + (box.width - total_w) / 2;
    const double top = box.y + label_h + view_h;

    for (std::size_t v = 0; v < chart.views.size(); ++v) {
        const ChartView& view = chart.views[v];
        const double vx = x0 + static_cast<double>(v) * (view_w + gap);
        const auto map = [&](const ChartPoint& p) {
            return Pt{vx + p.x * view_w, top - p.y * view_h};
        };
        const auto path = [&](const ChartPolygon& poly) {
            std::vector<Pt> out;
            out.reserve(poly.size());
            for (const auto& p : poly) {
                out.push_back(map(p));
            }
            return out;
        };
        PathOp body;
        for (const auto& outline : view.outlines) {
            body.subpaths.push_back(path(outline));
        }
        body.fill = kBody;
        page.ops.push_back(body);
        for (const ChartArea& area : chart.areas) {
            if (!marks.painful.count(area.id)) {
                continue;
            }
            PathOp shade;
            for (const ChartShape& shape : area.shapes) {
                if (shape.view == v) {
                    shade.subpaths.push_back(path(shape.polygon));
                }
            }
            if (!shade.subpaths.empty()) {
                shade.fill = kShade;
                shade.stroke = kShadeEdge;
                shade.line_width = 0.4;
                page.ops.push_back(std::move(shade));
            }
        }
        for (const auto& line : view.lines) {
            PathOp op;
            op.subpaths.push_back(path(line));
            op.closed = false;
            op.stroke = kLandmark;
            op.line_width = 0.5;
            page.ops.push_back(std::move(op));
        }
        body.fill.reset();
        body.stroke = kOutline;
        body.line_width = 0.9;
        page.ops.push_back(std::move(body));

        // Each examined tender point: a circle with its grade, filled when it counts.
        const double r = std::clamp(view_h * 0.014, 3.2, 6.0);
        const double font = r * 1.45;
        for (const ChartSite& site : chart.sites) {
            auto grade = marks.grades.find(site.id);
            if (site.view != v || grade == marks.grades.end()) {
                continue;
            }
            const bool positive = grade->second >= marks.positive_grade;
            const Pt c = map(site.at);
            page.ops.push_back(CircleOp{c, r, positive ? kPositive : kNegative, kPositive, 0.7});
            const std::string text = std::to_string(grade->second);
            const double tw = doc.text_width(text, FontStyle::Bold, font);
            page.ops.push_back(TextOp{{c.x - tw / 2, c.y - font * 0.36},
                                      FontStyle::Bold,
                                      font,
                                      positive ? Colour{1, 1, 1} : kPositive,
                                      text});
        }

        // The view's name, and the patient's sides, since left and right swap between views.
        const double label_size = 8;
        const double lw = doc.text_width(view.label, FontStyle::Bold, label_size);
        page.ops.push_back(TextOp{
            {vx + (view_w - lw) / 2, box.y + 2}, FontStyle::Bold, label_size, kLabel, view.label});
        // The patient's sides at shoulder height, clear of the arms.
        const bool front = view.id == "front";
        const std::string left_side = front ? "R" : "L";
        const std::string right_side = front ? "L" : "R";
        const double side_y = top - view_h * 0.16;
        page.ops.push_back(TextOp{{vx, side_y}, FontStyle::Bold, label_size, kLabel, left_side});
        const double rw = doc.text_width(right_side, FontStyle::Bold, label_size);
        page.ops.push_back(
            TextOp{{vx + view_w - rw, side_y}, FontStyle::Bold, label_size, kLabel, right_side});
    }
}

}  // namespace myo::report
