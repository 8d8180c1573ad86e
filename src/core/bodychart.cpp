#include "core/bodychart.hpp"

#include <cmath>
#include <limits>
#include <set>

namespace myo {

std::optional<std::size_t> BodyChart::view_index(const std::string& id) const {
    for (std::size_t i = 0; i < views.size(); ++i) {
        if (views[i].id == id) {
            return i;
        }
    }
    return std::nullopt;
}

const ChartArea* BodyChart::find_area(const std::string& id) const {
    for (const auto& area : areas) {
        if (area.id == id) {
            return &area;
        }
    }
    return nullptr;
}

const ChartSite* BodyChart::find_site(const std::string& id) const {
    for (const auto& site : sites) {
        if (site.id == id) {
            return &site;
        }
    }
    if (id.rfind("ppt.", 0) == 0) {
        return find_site("tp." + id.substr(4));
    }
    return nullptr;
}

bool polygon_contains(const ChartPolygon& polygon, ChartPoint p) {
    bool inside = false;
    const std::size_t n = polygon.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const ChartPoint& a = polygon[i];
        const ChartPoint& b = polygon[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
            inside = !inside;
        }
    }
    return inside;
}

const ChartArea* BodyChart::area_at(std::size_t view, ChartPoint p) const {
    for (const auto& area : areas) {
        for (const auto& shape : area.shapes) {
            if (shape.view == view && polygon_contains(shape.polygon, p)) {
                return &area;
            }
        }
    }
    return nullptr;
}

const ChartSite* BodyChart::nearest_site(std::size_t view, ChartPoint p,
                                         double max_distance) const {
    const ChartSite* best = nullptr;
    double best_distance = std::numeric_limits<double>::infinity();
    for (const auto& site : sites) {
        if (site.view != view) {
            continue;
        }
        const double d = std::hypot((site.at.x - p.x) * aspect, site.at.y - p.y);
        if (d <= max_distance && d < best_distance) {
            best = &site;
            best_distance = d;
        }
    }
    return best;
}

namespace {

struct Loader {
    const FormDef& form;
    std::vector<Problem>& problems;

    void problem(const std::string& path, std::string message) {
        problems.push_back({path, std::move(message)});
    }

    std::optional<ChartPoint> point(const Json& value, const std::string& path) {
        if (!value.is_array() || value.size() != 2 || !value[0].is_number() ||
            !value[1].is_number()) {
            problem(path, "expected a point [x, y], found " + describe_value(value));
            return std::nullopt;
        }
        ChartPoint p{value[0].get<double>(), value[1].get<double>()};
        if (p.x < 0 || p.x > 1 || p.y < 0 || p.y > 1) {
            problem(path, "point " + describe_value(value) + " is outside 0..1");
            return std::nullopt;
        }
        return p;
    }

    ChartPolygon polygon(const Json& value, const std::string& path, std::size_t min_points) {
        ChartPolygon out;
        if (!value.is_array() || value.size() < min_points) {
            problem(path,
                    "expected an array of at least " + std::to_string(min_points) + " points");
            return out;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (auto p = point(value[i], join_path(path, i))) {
                out.push_back(*p);
            }
        }
        return out;
    }

    std::vector<ChartPolygon> polygons(const Json& parent, const std::string& key,
                                       const std::string& path, std::size_t min_points,
                                       bool required) {
        std::vector<ChartPolygon> out;
        auto it = parent.find(key);
        if (it == parent.end()) {
            if (required) {
                problem(path, "missing \"" + key + "\"");
            }
            return out;
        }
        const std::string sub = join_path(path, key);
        if (!it->is_array()) {
            problem(sub, "expected an array of polygons");
            return out;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            out.push_back(polygon((*it)[i], join_path(sub, i), min_points));
        }
        return out;
    }

    const Json* array_member(const Json& doc, const std::string& key) {
        auto it = doc.find(key);
        if (it == doc.end() || !it->is_array()) {
            problem("/" + key, "expected an array");
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::string> string_member(const Json& obj, const std::string& key,
                                             const std::string& path) {
        auto it = obj.find(key);
        if (it == obj.end() || !it->is_string()) {
            problem(join_path(path, key), "expected a string");
            return std::nullopt;
        }
        return it->get<std::string>();
    }

    // The id must be a form item of the expected group; duplicates are refused.
    bool item_id(const std::string& id, const std::string& path,
                 const std::set<std::string>& groups, std::set<std::string>& seen) {
        const ItemDef* item = form.find(id);
        if (!item) {
            problem(path, "\"" + id + "\" is not an item of the form");
            return false;
        }
        if (!groups.count(item->group)) {
            problem(path,
                    "\"" + id + "\" is not a body-chart item (group \"" + item->group + "\")");
            return false;
        }
        if (!seen.insert(id).second) {
            problem(path, "\"" + id + "\" appears twice");
            return false;
        }
        return true;
    }

    std::optional<std::size_t> view_of(const BodyChart& chart, const Json& obj,
                                       const std::string& path) {
        auto id = string_member(obj, "view", path);
        if (!id) {
            return std::nullopt;
        }
        auto index = chart.view_index(*id);
        if (!index) {
            problem(join_path(path, "view"), "unknown view \"" + *id + "\"");
        }
        return index;
    }
};

}  // namespace

BodyChart load_body_chart(const Json& doc, const FormDef& form, std::vector<Problem>& problems) {
    BodyChart chart;
    Loader in{form, problems};
    if (!doc.is_object()) {
        in.problem("", "expected an object");
        return chart;
    }
    auto aspect = doc.find("aspect");
    if (aspect == doc.end() || !aspect->is_number() || aspect->get<double>() <= 0) {
        in.problem("/aspect", "expected a positive number (view width / height)");
    } else {
        chart.aspect = aspect->get<double>();
    }

    if (const Json* views = in.array_member(doc, "views")) {
        for (std::size_t i = 0; i < views->size(); ++i) {
            const Json& v = (*views)[i];
            const std::string path = join_path("/views", i);
            if (!v.is_object()) {
                in.problem(path, "expected an object");
                continue;
            }
            ChartView view;
            view.id = in.string_member(v, "id", path).value_or("");
            view.label = in.string_member(v, "label", path).value_or(view.id);
            if (!view.id.empty() && chart.view_index(view.id)) {
                in.problem(join_path(path, "id"), "view \"" + view.id + "\" appears twice");
            }
            view.outlines = in.polygons(v, "outline", path, 3, true);
            view.lines = in.polygons(v, "lines", path, 2, false);
            chart.views.push_back(std::move(view));
        }
    }

    std::set<std::string> seen;
    if (const Json* areas = in.array_member(doc, "areas")) {
        for (std::size_t i = 0; i < areas->size(); ++i) {
            const Json& a = (*areas)[i];
            const std::string path = join_path("/areas", i);
            if (!a.is_object()) {
                in.problem(path, "expected an object");
                continue;
            }
            auto id = in.string_member(a, "id", path);
            if (!id || !in.item_id(*id, join_path(path, "id"), {"wpi"}, seen)) {
                continue;
            }
            ChartArea area;
            area.id = *id;
            auto shapes = a.find("shapes");
            if (shapes == a.end() || !shapes->is_array() || shapes->empty()) {
                in.problem(join_path(path, "shapes"), "expected a non-empty array of shapes");
                continue;
            }
            for (std::size_t s = 0; s < shapes->size(); ++s) {
                const std::string spath = join_path(join_path(path, "shapes"), s);
                const Json& shape = (*shapes)[s];
                if (!shape.is_object()) {
                    in.problem(spath, "expected an object");
                    continue;
                }
                auto view = in.view_of(chart, shape, spath);
                auto poly = shape.find("polygon");
                if (poly == shape.end()) {
                    in.problem(spath, "missing \"polygon\"");
                    continue;
                }
                ChartPolygon polygon = in.polygon(*poly, join_path(spath, "polygon"), 3);
                if (view && polygon.size() >= 3) {
                    area.shapes.push_back({*view, std::move(polygon)});
                }
            }
            chart.areas.push_back(std::move(area));
        }
    }

    if (const Json* sites = in.array_member(doc, "sites")) {
        for (std::size_t i = 0; i < sites->size(); ++i) {
            const Json& s = (*sites)[i];
            const std::string path = join_path("/sites", i);
            if (!s.is_object()) {
                in.problem(path, "expected an object");
                continue;
            }
            auto id = in.string_member(s, "id", path);
            if (!id || !in.item_id(*id, join_path(path, "id"), {"tp", "ppt"}, seen)) {
                continue;
            }
            auto view = in.view_of(chart, s, path);
            auto at = s.find("at");
            if (at == s.end()) {
                in.problem(path, "missing \"at\"");
                continue;
            }
            auto p = in.point(*at, join_path(path, "at"));
            if (view && p) {
                chart.sites.push_back({*id, *view, *p});
            }
        }
    }

    // Every WPI area and every tender point must be drawable, or a finding would be invisible.
    for (const auto& item : form.items) {
        if ((item.group == "wpi" || item.group == "tp") && !seen.count(item.id)) {
            in.problem(item.group == "wpi" ? "/areas" : "/sites", "\"" + item.id + "\" is missing");
        }
    }
    return chart;
}

BodyChart load_body_chart_file(const std::filesystem::path& file, const FormDef& form) {
    std::string text;
    try {
        text = read_text_file(file);
    } catch (const std::exception&) {
        throw DefinitionError(file.string(), {{"", "cannot be read"}});
    }
    ParsedJson parsed = parse_json(text);
    if (!parsed.value) {
        throw DefinitionError(file.string(), parsed.problems);
    }
    std::vector<Problem> problems;
    BodyChart chart = load_body_chart(*parsed.value, form, problems);
    if (!problems.empty()) {
        throw DefinitionError(file.string(), problems);
    }
    return chart;
}

}  // namespace myo
