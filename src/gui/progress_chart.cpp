#include "gui/progress_chart.hpp"

#include <wx/dcbuffer.h>
#include <wx/dcgraph.h>
#include <wx/intl.h>
#include <wx/settings.h>

#include <algorithm>
#include <cmath>

#include "core/json_util.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

namespace {

// Dark enough for 3:1 against white; told apart by dash and marker too.
const wxColour kColours[] = {wxColour(0x1F, 0x4E, 0x9A), wxColour(0xB3, 0x40, 0x00),
                             wxColour(0x2E, 0x6B, 0x30), wxColour(0x6A, 0x2C, 0x8E),
                             wxColour(0x40, 0x40, 0x40)};
const wxPenStyle kDashes[] = {wxPENSTYLE_SOLID, wxPENSTYLE_LONG_DASH, wxPENSTYLE_SHORT_DASH,
                              wxPENSTYLE_DOT_DASH, wxPENSTYLE_DOT};
enum class Marker { Circle, Square, Triangle, Diamond, Cross };
const Marker kMarkers[] = {Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond,
                           Marker::Cross};

void draw_marker(wxDC& dc, Marker m, wxPoint c, int r) {
    switch (m) {
        case Marker::Circle:
            dc.DrawCircle(c, r);
            break;
        case Marker::Square:
            dc.DrawRectangle(c.x - r, c.y - r, 2 * r, 2 * r);
            break;
        case Marker::Triangle: {
            wxPoint pts[] = {{c.x, c.y - r - 1}, {c.x + r + 1, c.y + r}, {c.x - r - 1, c.y + r}};
            dc.DrawPolygon(3, pts);
            break;
        }
        case Marker::Diamond: {
            wxPoint pts[] = {
                {c.x, c.y - r - 1}, {c.x + r + 1, c.y}, {c.x, c.y + r + 1}, {c.x - r - 1, c.y}};
            dc.DrawPolygon(4, pts);
            break;
        }
        case Marker::Cross:
            dc.DrawLine(c.x - r, c.y - r, c.x + r + 1, c.y + r + 1);
            dc.DrawLine(c.x - r, c.y + r, c.x + r + 1, c.y - r - 1);
            break;
    }
}

// A value range that starts at 0 for the scores (all are 0 or more) and ends at a round number.
double axis_max(const ChartGroup& g) {
    double hi = 0;
    for (const auto& s : g.series) {
        for (const auto& v : s.values) {
            if (v) {
                hi = std::max(hi, *v);
            }
        }
    }
    // "/10" and "/31" name the scale's top: use it so two charts of one scale look alike.
    if (!g.unit.empty() && g.unit.front() == '/') {
        try {
            double top = std::stod(g.unit.substr(1));
            if (top >= hi) {
                return top;
            }
        } catch (const std::exception&) {
            // Not a number after all: fall back to the data.
        }
    }
    if (hi <= 0) {
        return 1;
    }
    double step = std::pow(10.0, std::floor(std::log10(hi)));
    return std::ceil(hi / step) * step;
}

}  // namespace

ProgressChart::ProgressChart(wxWindow* parent, ChartGroup group, std::vector<std::string> dates,
                             std::vector<double> positions, std::size_t baseline)
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
               wxFULL_REPAINT_ON_RESIZE | wxBORDER_NONE),
      group_(std::move(group)),
      dates_(std::move(dates)),
      positions_(std::move(positions)),
      baseline_(baseline) {
    SetName(wxString::Format(_("Chart: %s"), wxs(group_.title)));
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetMinSize(FromDIP(wxSize(360, 230)));
    // Every value of a few visits; of many (200 would fill the screen), the first, the baseline
    // and the latest: the table and the PDF have the rest.
    SetToolTip(dates_.size() <= kTooltipVisits ? describe() : describe_ends());
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
}

wxSize ProgressChart::DoGetBestClientSize() const {
    return FromDIP(wxSize(480, 260));
}

wxString ProgressChart::describe() const {
    wxString out = wxs(group_.title);
    for (const auto& s : group_.series) {
        out += "\n" + wxs(s.label) + ":";
        for (std::size_t i = 0; i < s.values.size() && i < dates_.size(); ++i) {
            out += " " + wxs(dates_[i]) + " " +
                   (s.values[i] ? wxs(format_number(*s.values[i])) : _("not measured")) +
                   (i + 1 < s.values.size() ? ";" : "");
        }
    }
    return out;
}

wxString ProgressChart::describe_ends() const {
    wxString out = wxString::Format(_("%s: %zu visits"), wxs(group_.title), dates_.size());
    std::vector<std::size_t> shown{0};
    if (baseline_ != 0 && baseline_ + 1 < dates_.size()) {
        shown.push_back(baseline_);
    }
    if (dates_.size() > 1) {
        shown.push_back(dates_.size() - 1);
    }
    for (const auto& s : group_.series) {
        out += "\n" + wxs(s.label) + ":";
        for (std::size_t k = 0; k < shown.size(); ++k) {
            const std::size_t i = shown[k];
            if (i >= s.values.size()) {
                continue;
            }
            out += " " + wxs(dates_[i]) + (i == baseline_ ? wxString("*") : wxString()) + " " +
                   (s.values[i] ? wxs(format_number(*s.values[i])) : _("not measured")) +
                   (k + 1 < shown.size() ? ";" : "");
        }
    }
    return out;
}

void ProgressChart::paint() {
    wxAutoBufferedPaintDC pdc(this);
    pdc.SetBackground(wxBrush(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW)));
    pdc.Clear();
    wxGCDC dc(pdc);
    const wxColour ink = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT);
    dc.SetTextForeground(ink);
    wxFont font = GetFont();
    dc.SetFont(font.Bold());
    const wxSize size = GetClientSize();
    const int pad = FromDIP(6);
    int line_h = dc.GetTextExtent("Ag").y;

    wxString title =
        wxs(group_.title) + (group_.unit.empty() ? wxString() : " (" + wxs(group_.unit) + ")");
    dc.DrawText(title, pad, pad);
    dc.SetFont(font);

    // The legend under the title: a sample of each line with its marker, then the label.
    const int sample = FromDIP(34);
    int lx = pad, ly = pad + line_h + FromDIP(4);
    for (std::size_t s = 0; s < group_.series.size(); ++s) {
        wxString label = wxs(group_.series[s].label);
        int w = sample + FromDIP(6) + dc.GetTextExtent(label).x + FromDIP(14);
        if (lx > pad && lx + w > size.x - pad) {
            lx = pad;
            ly += line_h + FromDIP(2);
        }
        wxPen pen(kColours[s % 5], FromDIP(2), kDashes[s % 5]);
        dc.SetPen(pen);
        int cy = ly + line_h / 2;
        dc.DrawLine(lx, cy, lx + sample, cy);
        dc.SetPen(wxPen(kColours[s % 5], FromDIP(2)));
        dc.SetBrush(wxBrush(kColours[s % 5]));
        draw_marker(dc, kMarkers[s % 5], wxPoint(lx + sample / 2, cy), FromDIP(4));
        dc.DrawText(label, lx + sample + FromDIP(6), ly);
        lx += w;
    }
    int plot_top = ly + line_h + FromDIP(10);

    double top = axis_max(group_);
    wxString top_text = wxs(format_number(top));
    int axis_w = std::max(dc.GetTextExtent(top_text).x, dc.GetTextExtent("0").x) + FromDIP(8);
    int left = pad + axis_w;
    int right = size.x - pad - dc.GetTextExtent("2026-01-01").x / 2;
    int bottom = size.y - pad - line_h - FromDIP(6);
    if (right - left < FromDIP(60) || bottom - plot_top < FromDIP(40)) {
        return;  // too small to draw honestly; the tooltip still has the numbers
    }

    // Value axis: 0, half and top, with light grid lines.
    dc.SetPen(wxPen(wxColour(0xD0, 0xD0, 0xD0), 1));
    for (int k = 0; k <= 2; ++k) {
        double v = top * k / 2.0;
        int y = bottom - static_cast<int>(std::lround((bottom - plot_top) * v / top));
        dc.DrawLine(left, y, right, y);
        wxString t = wxs(format_number(v));
        dc.DrawText(t, left - FromDIP(4) - dc.GetTextExtent(t).x, y - line_h / 2);
    }
    dc.SetPen(wxPen(ink, 1));
    dc.DrawLine(left, plot_top, left, bottom);
    dc.DrawLine(left, bottom, right, bottom);

    auto x_of = [&](std::size_t i) {
        return left + static_cast<int>(std::lround((right - left) * positions_[i]));
    };
    auto y_of = [&](double v) {
        return bottom - static_cast<int>(std::lround((bottom - plot_top) * v / top));
    };

    // Date axis: a tick for every visit; the latest and the baseline (*) dates first, then any
    // other date that does not touch a date already written (200 visits give a handful).
    label_rects_.clear();
    const int gap = FromDIP(6);
    auto write_date = [&](std::size_t i) {
        wxString d = wxs(dates_[i]) + (i == baseline_ ? wxString("*") : wxString());
        const wxSize ext = dc.GetTextExtent(d);
        const int tx = std::clamp(x_of(i) - ext.x / 2, pad, size.x - pad - ext.x);
        const wxRect r(tx, bottom + FromDIP(5), ext.x, ext.y);
        for (const auto& [k, other] : label_rects_) {
            if (k == i || r.Inflate(gap, 0).Intersects(other)) {
                return;
            }
        }
        dc.DrawText(d, r.x, r.y);
        label_rects_.emplace_back(i, r);
    };
    const std::size_t n = std::min(dates_.size(), positions_.size());
    // A marker (and an axis tick) on every visit while they stand apart; when visits crowd
    // (dozens on the axis) the markers would merge into a thick band, so only the baseline, the
    // latest and a value between two gaps keep theirs, the labelled dates keep their ticks, and
    // the line carries the rest.
    const int r = FromDIP(4);
    const bool every_marker =
        n < 2 || (right - left) / static_cast<double>(n - 1) >= 3.0 * (2 * r + 1);
    if (every_marker) {
        for (std::size_t i = 0; i < n; ++i) {
            dc.DrawLine(x_of(i), bottom, x_of(i), bottom + FromDIP(4));
        }
    }
    if (n > 0) {
        write_date(n - 1);
        if (baseline_ < n) {
            write_date(baseline_);
        }
        for (std::size_t i = 0; i < n; ++i) {
            write_date(i);
        }
    }
    std::sort(label_rects_.begin(), label_rects_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!every_marker) {
        for (const auto& [i, rect] : label_rects_) {
            dc.DrawLine(x_of(i), bottom, x_of(i), bottom + FromDIP(4));
        }
    }
    markers_drawn_ = 0;
    for (std::size_t s = 0; s < group_.series.size(); ++s) {
        const auto& values = group_.series[s].values;
        dc.SetPen(wxPen(kColours[s % 5], FromDIP(2), kDashes[s % 5]));
        // A line joins two visits only when both measured it: a missing value is a gap.
        for (std::size_t i = 0; i + 1 < values.size() && i + 1 < positions_.size(); ++i) {
            if (values[i] && values[i + 1]) {
                dc.DrawLine(x_of(i), y_of(*values[i]), x_of(i + 1), y_of(*values[i + 1]));
            }
        }
        dc.SetPen(wxPen(kColours[s % 5], FromDIP(2)));
        dc.SetBrush(wxBrush(kColours[s % 5]));
        for (std::size_t i = 0; i < values.size() && i < positions_.size(); ++i) {
            // A value with no measured neighbour has no line to show it: it keeps its marker.
            const bool alone = (i == 0 || !values[i - 1]) && (i + 1 >= n || !values[i + 1]);
            if (values[i] && (every_marker || alone || i == baseline_ || i + 1 == n)) {
                draw_marker(dc, kMarkers[s % 5], wxPoint(x_of(i), y_of(*values[i])), r);
                ++markers_drawn_;
            }
        }
    }
}

}  // namespace myo::gui
