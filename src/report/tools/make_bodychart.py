#!/usr/bin/env python3
"""Generates forms/bodychart.json: the body outline, the 19 WPI areas and the tender-point
sites, in each view's normalised space (x 0..1 left to right as the viewer sees it, y 0..1
top to bottom, width/height = ASPECT).

Kept so the drawing can be changed and regenerated rather than hand-edited: the areas are
the outline clipped by convex regions, so they always follow the silhouette exactly.
Run: python3 src/report/tools/make_bodychart.py > forms/bodychart.json
     (--svg writes a preview instead)."""
import json
import re
import sys

ASPECT = 0.5  # view width / view height

# Design units: y 0..1 top to bottom, x in -0.25..0.25 (0 = midline); image-right half only.
# Each run is splined separately so the armpit, crotch and fingertips stay sharp.
HALF_RUNS = [
    [(0.0, 0.020), (0.028, 0.026), (0.042, 0.045), (0.047, 0.072), (0.044, 0.098),
     (0.037, 0.120), (0.026, 0.140), (0.023, 0.160)],
    [(0.023, 0.160), (0.030, 0.178), (0.055, 0.188), (0.085, 0.196), (0.106, 0.208),
     (0.119, 0.232), (0.124, 0.270), (0.134, 0.330), (0.148, 0.388), (0.163, 0.440),
     (0.180, 0.500), (0.192, 0.535), (0.205, 0.560), (0.212, 0.590), (0.203, 0.618)],
    [(0.203, 0.618), (0.193, 0.608), (0.184, 0.585), (0.172, 0.545), (0.158, 0.500),
     (0.138, 0.445), (0.118, 0.390), (0.102, 0.330), (0.093, 0.285), (0.082, 0.262)],
    [(0.082, 0.262), (0.077, 0.300), (0.070, 0.350), (0.064, 0.400), (0.072, 0.440),
     (0.084, 0.475), (0.088, 0.520), (0.082, 0.600), (0.066, 0.680), (0.058, 0.720),
     (0.061, 0.770), (0.057, 0.840), (0.043, 0.915), (0.046, 0.950), (0.055, 0.968),
     (0.050, 0.980), (0.022, 0.982), (0.015, 0.955), (0.017, 0.920), (0.020, 0.850),
     (0.018, 0.770), (0.014, 0.720), (0.012, 0.650), (0.008, 0.570), (0.0, 0.530)],
]


def catmull_rom(points, steps=5):
    """Open Catmull-Rom spline through points (ends duplicated)."""
    pts = [points[0]] + list(points) + [points[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(
                0.5 * ((2 * p1[k]) + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                       + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3) for k in range(2)))
    out.append(points[-1])
    return out


def outline():
    half = []
    for run in HALF_RUNS:
        pts = catmull_rom(run)
        half.extend(pts if not half else pts[1:])
    # The left half mirrors the right, walked back up from the crotch to the crown.
    left = [(-x, y) for (x, y) in reversed(half[1:-1])]
    return half + left


def clip(subject, region):
    """Sutherland-Hodgman: subject polygon clipped by a convex region (clockwise on screen)."""
    def inside(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def cross(p, q, a, b):
        x1, y1, x2, y2 = p[0], p[1], q[0], q[1]
        x3, y3, x4, y4 = a[0], a[1], b[0], b[1]
        den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))

    out = subject
    for i in range(len(region)):
        a, b = region[i], region[(i + 1) % len(region)]
        inp, out = out, []
        for j in range(len(inp)):
            p, q = inp[j], inp[(j + 1) % len(inp)]
            if inside(q, a, b):
                if not inside(p, a, b):
                    out.append(cross(p, q, a, b))
                out.append(q)
            elif inside(p, a, b):
                out.append(cross(p, q, a, b))
    return out


def tidy(poly):
    """Drops the zero-width spikes Sutherland-Hodgman leaves where the outline runs outside the
    region and back along its edge, and vertices in the middle of straight runs, so strokes
    follow the silhouette only."""
    pts = [(round(x, 5), round(y, 5)) for (x, y) in poly]
    changed = True
    while changed and len(pts) > 3:
        changed = False
        for i in range(len(pts)):
            a, b, c = pts[i - 1], pts[i], pts[(i + 1) % len(pts)]
            z = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
            if a == b or abs(z) < 1e-10:
                del pts[i]
                changed = True
                break
    return pts


def check_convex(region, name):
    sign = 0
    for i in range(len(region)):
        a, b, c = region[i], region[(i + 1) % len(region)], region[(i + 2) % len(region)]
        z = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
        if abs(z) < 1e-12:
            continue
        if sign == 0:
            sign = 1 if z > 0 else -1
        elif (z > 0) != (sign > 0):
            raise SystemExit(f"region {name} is not convex")
    if sign < 0:
        region.reverse()
    return region


# Regions on the image-right half (x >= 0); "mid" regions straddle the midline.
SIDE = {
    "front": {
        "jaw": [(0.006, 0.096), (0.06, 0.088), (0.06, 0.142), (0.006, 0.142)],
        "shoulder_girdle": [(0.024, 0.160), (0.25, 0.160), (0.25, 0.200), (0.083, 0.245), (0.024, 0.205)],
        "upper_arm": [(0.083, 0.245), (0.25, 0.200), (0.25, 0.372), (0.083, 0.410)],
        "lower_arm": [(0.083, 0.410), (0.25, 0.372), (0.30, 0.700), (0.125, 0.700)],
        "hip": [(0.0, 0.470), (0.098, 0.470), (0.098, 0.550), (0.0, 0.550)],
        "upper_leg": [(0.0, 0.550), (0.098, 0.550), (0.098, 0.720), (0.0, 0.720)],
        "lower_leg": [(0.0, 0.720), (0.098, 0.720), (0.098, 1.0), (0.0, 1.0)],
    },
    "back": {
        "shoulder_girdle": [(0.024, 0.160), (0.25, 0.160), (0.25, 0.200), (0.083, 0.245), (0.024, 0.205)],
        "upper_arm": [(0.083, 0.245), (0.25, 0.200), (0.25, 0.372), (0.083, 0.410)],
        "lower_arm": [(0.083, 0.410), (0.25, 0.372), (0.30, 0.700), (0.125, 0.700)],
        "hip": [(0.0, 0.460), (0.098, 0.460), (0.098, 0.560), (0.0, 0.560)],
        "upper_leg": [(0.0, 0.560), (0.098, 0.560), (0.098, 0.720), (0.0, 0.720)],
        "lower_leg": [(0.0, 0.720), (0.098, 0.720), (0.098, 1.0), (0.0, 1.0)],
    },
}
MID = {
    "front": {
        "neck": [(-0.024, 0.142), (0.024, 0.142), (0.024, 0.205), (-0.024, 0.205)],
        "chest": [(-0.083, 0.245), (-0.024, 0.205), (0.024, 0.205), (0.083, 0.245), (0.083, 0.360),
                  (-0.083, 0.360)],
        "abdomen": [(-0.1, 0.360), (0.1, 0.360), (0.1, 0.470), (-0.1, 0.470)],
    },
    "back": {
        "neck": [(-0.024, 0.128), (0.024, 0.128), (0.024, 0.205), (-0.024, 0.205)],
        "upper_back": [(-0.083, 0.245), (-0.024, 0.205), (0.024, 0.205), (0.083, 0.245), (0.083, 0.380),
                       (-0.083, 0.380)],
        "lower_back": [(-0.1, 0.380), (0.1, 0.380), (0.1, 0.460), (-0.1, 0.460)],
    },
}

# Sites on the image-right half: (view, x, y). ACR 1990 tender points, PPT reference site.
SITES = {
    "tp.occiput": ("back", 0.020, 0.128),
    "tp.low_cervical": ("front", 0.012, 0.172),
    "tp.trapezius": ("back", 0.058, 0.190),
    "tp.supraspinatus": ("back", 0.045, 0.228),
    "tp.second_rib": ("front", 0.030, 0.226),
    "tp.lateral_epicondyle": ("front", 0.150, 0.408),
    "tp.gluteal": ("back", 0.055, 0.478),
    "tp.greater_trochanter": ("back", 0.080, 0.525),
    "tp.knee": ("front", 0.022, 0.705),
    "ppt.tibialis_anterior": ("front", 0.045, 0.790),
}

# Landmark lines that make the figure readable (open polylines).
LINES = {
    "front": [
        [(-0.037, 0.120), (-0.018, 0.138), (0.0, 0.144), (0.018, 0.138), (0.037, 0.120)],
        [(-0.080, 0.200), (-0.045, 0.203), (-0.012, 0.198)],
        [(0.012, 0.198), (0.045, 0.203), (0.080, 0.200)],
        [(0.0, 0.26), (0.0, 0.34)],
        [(-0.004, 0.415), (0.0, 0.419), (0.004, 0.415), (0.0, 0.411), (-0.004, 0.415)],
    ],
    "back": [
        [(0.0, 0.165), (0.0, 0.455)],
        [(-0.070, 0.215), (-0.030, 0.230), (-0.035, 0.300), (-0.065, 0.290)],
        [(0.070, 0.215), (0.030, 0.230), (0.035, 0.300), (0.065, 0.290)],
        [(0.0, 0.475), (0.0, 0.530)],
        [(-0.075, 0.548), (-0.040, 0.556), (-0.008, 0.548)],
        [(0.008, 0.548), (0.040, 0.556), (0.075, 0.548)],
    ],
}


def norm(p):
    return [round((p[0] + 0.25) / 0.5, 4), round(p[1], 4)]


def patient_side(view, image_right):
    # The patient's left is the viewer's right in the front view, the viewer's left behind.
    if view == "front":
        return "l" if image_right else "r"
    return "r" if image_right else "l"


def build():
    body = outline()
    areas = {}

    def add(area_id, view, poly):
        if len(poly) < 3:
            raise SystemExit(f"{area_id} on {view}: empty")
        poly = tidy(poly)
        areas.setdefault(area_id, []).append({"view": view, "polygon": [norm(p) for p in poly]})

    for view in ("front", "back"):
        for name, region in MID[view].items():
            add("wpi." + name, view, clip(body, check_convex(list(region), name)))
        for name, region in SIDE[view].items():
            for image_right in (True, False):
                reg = region if image_right else [(-x, y) for (x, y) in region]
                reg = check_convex(list(reg), name)
                add(f"wpi.{name}_{patient_side(view, image_right)}", view, clip(body, reg))
    order = ["jaw", "shoulder_girdle", "upper_arm", "lower_arm", "hip", "upper_leg", "lower_leg"]
    area_list = []
    for name in order:
        for side in ("l", "r"):
            area_list.append({"id": f"wpi.{name}_{side}", "shapes": areas[f"wpi.{name}_{side}"]})
    for name in ["neck", "upper_back", "lower_back", "chest", "abdomen"]:
        area_list.append({"id": "wpi." + name, "shapes": areas["wpi." + name]})

    sites = []
    for base, (view, x, y) in SITES.items():
        for side in ("l", "r"):
            image_right = patient_side(view, True) == side
            sites.append({"id": f"{base}_{side}", "view": view,
                          "at": norm((x if image_right else -x, y))})
    views = []
    for view, label in (("front", "Front"), ("back", "Back")):
        views.append({"id": view, "label": label, "outline": [[norm(p) for p in body]],
                      "lines": [[norm(p) for p in line] for line in LINES[view]]})
    return {
        "bodychart_version": "1",
        "about": "Body chart drawn by the PDF reports and the GUI. Each view is a box with x 0..1 "
                 "left to right as the viewer sees it and y 0..1 top to bottom; its width is "
                 "aspect times its height. The patient's left (_l) is on the viewer's right in the "
                 "front view and on the viewer's left in the back view. Generated by "
                 "src/report/tools/make_bodychart.py.",
        "aspect": ASPECT,
        "views": views,
        "areas": area_list,
        "sites": sites,
    }


def svg(chart):
    w, h = 300, 600
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * w}" height="{h}">',
             f'<rect width="{2 * w}" height="{h}" fill="white"/>']
    colours = ["#f4a", "#4af", "#fa4", "#4fa", "#a4f", "#af4"]
    for vi, view in enumerate(chart["views"]):
        ox = vi * w

        def pt(p):
            return f"{ox + p[0] * w:.1f},{p[1] * h:.1f}"
        for ai, area in enumerate(chart["areas"]):
            for shape in area["shapes"]:
                if shape["view"] == view["id"]:
                    parts.append(f'<polygon points="{" ".join(pt(p) for p in shape["polygon"])}" '
                                 f'fill="{colours[ai % len(colours)]}" stroke="#888" stroke-width="0.5"/>')
        for poly in view["outline"]:
            parts.append(f'<polygon points="{" ".join(pt(p) for p in poly)}" fill="none" stroke="black"/>')
        for line in view["lines"]:
            parts.append(f'<polyline points="{" ".join(pt(p) for p in line)}" fill="none" stroke="#555"/>')
        for site in chart["sites"]:
            if site["view"] == view["id"]:
                x, y = ox + site["at"][0] * w, site["at"][1] * h
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="red"/>')
                parts.append(f'<text x="{x + 5:.1f}" y="{y:.1f}" font-size="7">{site["id"][3:]}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


if __name__ == "__main__":
    chart = build()
    if "--svg" in sys.argv:
        print(svg(chart))
    else:
        # Points and polygons on one line each, so the file stays readable and small.
        text = json.dumps(chart, indent=1)
        text = re.sub(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]", r"[\1, \2]", text)
        text = re.sub(r"\[\s+((?:\[[^\[\]]*\],?\s*)+)\]",
                      lambda m: "[" + re.sub(r"\],\s+", "], ", m.group(1).strip()) + "]", text)
        print(text)
