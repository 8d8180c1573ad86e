#pragma once
// forms/bodychart.json: one drawing of the body (outlines, the 19 WPI areas, the tender-point
// and PPT reference sites) shared by the PDF reports and the GUI, so both draw the same body.
// No wx, no libharu: callers map the normalised coordinates onto their own canvas.
//
// Coordinates: each view ("front", "back") is a box with x 0..1 left to right as the viewer
// sees it and y 0..1 top to bottom; the box's width is `aspect` times its height. The
// patient's left (ids ending "_l") is on the viewer's right in the front view and on the
// viewer's left in the back view.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/form.hpp"
#include "core/json_util.hpp"

namespace myo {

struct ChartPoint {
    double x = 0;
    double y = 0;
};

using ChartPolygon = std::vector<ChartPoint>;  // closed: the last point joins the first

struct ChartView {
    std::string id;                      // "front" | "back"
    std::string label;                   // "Front"
    std::vector<ChartPolygon> outlines;  // closed silhouettes
    std::vector<ChartPolygon> lines;     // open landmark strokes (clavicles, spine)
};

struct ChartShape {
    std::size_t view = 0;  // index into BodyChart::views
    ChartPolygon polygon;
};

struct ChartArea {
    std::string id;  // "wpi.neck"
    std::vector<ChartShape> shapes;
};

struct ChartSite {
    std::string id;  // "tp.occiput_l", "ppt.tibialis_anterior_r"
    std::size_t view = 0;
    ChartPoint at;
};

struct BodyChart {
    double aspect = 0.5;  // view width / view height
    std::vector<ChartView> views;
    std::vector<ChartArea> areas;
    std::vector<ChartSite> sites;

    std::optional<std::size_t> view_index(const std::string& id) const;
    const ChartArea* find_area(const std::string& id) const;
    // The site of a tender point or PPT reference site; "ppt.X" falls back to "tp.X", since
    // the algometer is applied at the tender-point sites.
    const ChartSite* find_site(const std::string& id) const;

    // Hit tests in one view's normalised coordinates. area_at: the WPI area containing p (null
    // outside every area). nearest_site: the closest site within max_distance, measured in
    // units of the view's height (x is scaled by aspect so distances are true on screen).
    const ChartArea* area_at(std::size_t view, ChartPoint p) const;
    const ChartSite* nearest_site(std::size_t view, ChartPoint p, double max_distance) const;
};

// True if p is inside the closed polygon (even-odd rule).
bool polygon_contains(const ChartPolygon& polygon, ChartPoint p);

// Validates against the form: every area and site id must be a form item, all 19 WPI areas
// and 18 tender points must be present. Problems are appended with JSON paths.
BodyChart load_body_chart(const Json& doc, const FormDef& form, std::vector<Problem>& problems);

// Reads and validates <dir>/bodychart.json; throws DefinitionError ("file: /path: message").
BodyChart load_body_chart_file(const std::filesystem::path& file, const FormDef& form);

}  // namespace myo
