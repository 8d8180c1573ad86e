#pragma once
// What a page shows, as a list of drawing operations in PDF points (origin bottom left).
// Layout fills these first and the document renders them afterwards, so a box's background
// can be slid under text already placed and the footer can say "page N of M".

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "report/fonts.hpp"

namespace myo::report {

struct Colour {
    double r = 0;
    double g = 0;
    double b = 0;
};

struct Pt {
    double x = 0;
    double y = 0;
};

struct TextOp {
    Pt at;  // baseline start
    FontStyle style = FontStyle::Regular;
    double size = 10;
    Colour colour;
    std::string text;  // UTF-8, already checked against the fonts
};

struct PathOp {
    std::vector<std::vector<Pt>> subpaths;
    bool closed = true;
    std::optional<Colour> fill;
    std::optional<Colour> stroke;
    double line_width = 0.5;
    // On and off lengths in points for a dashed stroke; empty is solid. The progress report's
    // line charts tell their series apart by dash as well as colour, for grey print.
    std::vector<unsigned> dash;
};

struct CircleOp {
    Pt centre;
    double radius = 1;
    std::optional<Colour> fill;
    std::optional<Colour> stroke;
    double line_width = 0.5;
};

using Op = std::variant<TextOp, PathOp, CircleOp>;

struct PageOps {
    std::vector<Op> ops;
};

inline PathOp rect_op(double x, double y, double w, double h, std::optional<Colour> fill,
                      std::optional<Colour> stroke = std::nullopt, double line_width = 0.5) {
    PathOp op;
    op.subpaths.push_back({{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}});
    op.fill = fill;
    op.stroke = stroke;
    op.line_width = line_width;
    return op;
}

inline PathOp line_op(Pt a, Pt b, Colour colour, double width) {
    PathOp op;
    op.subpaths.push_back({a, b});
    op.closed = false;
    op.stroke = colour;
    op.line_width = width;
    return op;
}

}  // namespace myo::report
