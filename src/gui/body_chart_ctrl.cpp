#include "gui/body_chart_ctrl.hpp"

#include <wx/dcbuffer.h>
#include <wx/dcgraph.h>
#include <wx/intl.h>
#include <wx/settings.h>

#include <cmath>

#include "gui/model/assessment_model.hpp"
#include "gui/wx_util.hpp"

namespace myo::gui {

namespace {

constexpr double kSiteRadius = 0.022;  // of the view's height: a fingertip on a laptop screen

const wxColour kPainful(0xC6, 0x28, 0x28);
const wxColour kBody(0xF3, 0xEC, 0xE6);
const wxColour kOutline(0x55, 0x4B, 0x44);

}  // namespace

BodyChartCtrl::BodyChartCtrl(wxWindow* parent, const BodyChart& chart, AssessmentModel& model,
                             ChartMode mode)
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
               wxWANTS_CHARS | wxFULL_REPAINT_ON_RESIZE | wxBORDER_NONE),
      chart_(chart),
      model_(model),
      mode_(mode) {
    SetName(mode == ChartMode::Areas          ? _("Body chart: pain areas")
            : mode == ChartMode::TenderPoints ? _("Body chart: tender points")
                                              : _("Body chart: pressure pain threshold sites"));
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetMinSize(FromDIP(wxSize(260, 300)));
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        Refresh();
        e.Skip();
    });
    Bind(wxEVT_MOTION, [this](wxMouseEvent& e) {
        std::string id = item_at(e.GetPosition());
        if (id != hover_) {
            hover_ = id;
            // The tooltip names the area, so the picture is never the only label.
            SetToolTip(id.empty() ? wxString() : describe(id));
            Refresh();
        }
    });
    Bind(wxEVT_LEAVE_WINDOW, [this](wxMouseEvent&) {
        hover_.clear();
        Refresh();
    });
    // A second quick click arrives as a double click; it is one more click on the chart
    // (grade 2 is two clicks from grade 0), never a different action.
    auto on_click = [this](wxMouseEvent& e) {
        if (!model_.read_only()) {
            SetFocus();
        }
        std::string id = item_at(e.GetPosition());
        if (!id.empty()) {
            auto t = targets();
            for (std::size_t i = 0; i < t.size(); ++i) {
                if (t[i] == id) {
                    focus_index_ = i;
                }
            }
            activate(id);
        }
    };
    Bind(wxEVT_LEFT_DOWN, on_click);
    Bind(wxEVT_LEFT_DCLICK, on_click);
    Bind(wxEVT_SET_FOCUS, [this](wxFocusEvent& e) {
        Refresh();
        e.Skip();
    });
    Bind(wxEVT_KILL_FOCUS, [this](wxFocusEvent& e) {
        Refresh();
        e.Skip();
    });
    Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        auto t = targets();
        if (t.empty()) {
            e.Skip();
            return;
        }
        int k = e.GetKeyCode();
        switch (k) {
            case WXK_RIGHT:
            case WXK_DOWN:
                focus_index_ = (focus_index_ + 1) % t.size();
                break;
            case WXK_LEFT:
            case WXK_UP:
                focus_index_ = (focus_index_ + t.size() - 1) % t.size();
                break;
            case WXK_SPACE:
            case WXK_RETURN:
                activate(t[focus_index_]);
                break;
            case WXK_DELETE:
            case WXK_BACK:
                if (mode_ == ChartMode::TenderPoints) {
                    set_grade(t[focus_index_], std::nullopt);
                }
                break;
            case WXK_TAB:
                Navigate(e.ShiftDown() ? wxNavigationKeyEvent::IsBackward
                                       : wxNavigationKeyEvent::IsForward);
                return;
            default:
                if (mode_ == ChartMode::TenderPoints && k >= '0' && k <= '3') {
                    set_grade(t[focus_index_], static_cast<long>(k - '0'));
                    break;
                }
                e.Skip();
                return;
        }
        SetToolTip(describe(t[focus_index_]));
        Refresh();
    });
}

bool BodyChartCtrl::AcceptsFocus() const {
    return !model_.read_only();
}

wxSize BodyChartCtrl::DoGetBestClientSize() const {
    return FromDIP(wxSize(360, 420));
}

std::string BodyChartCtrl::focused_item() const {
    auto t = targets();
    return t.empty() ? std::string() : t[std::min(focus_index_, t.size() - 1)];
}

ChartLayout BodyChartCtrl::layout() const {
    wxSize s = GetClientSize();
    double band = GetCharHeight() * 1.6;
    // Two lines below each view: the patient's sides are stacked when the view is narrow.
    return layout_chart(chart_, s.x, s.y, band, band * 1.8, FromDIP(12));
}

std::vector<std::string> BodyChartCtrl::targets() const {
    std::vector<std::string> out;
    const char* prefix = mode_ == ChartMode::Areas          ? "wpi."
                         : mode_ == ChartMode::TenderPoints ? "tp."
                                                            : "ppt.";
    for (const auto& item : model_.form().items) {
        if (item.id.rfind(prefix, 0) != 0) {
            continue;
        }
        if (mode_ == ChartMode::Areas ? chart_.find_area(item.id) != nullptr
                                      : chart_.find_site(item.id) != nullptr) {
            out.push_back(item.id);
        }
    }
    return out;
}

std::optional<wxPoint> BodyChartCtrl::position_of(const std::string& id) const {
    ChartLayout l = layout();
    if (mode_ == ChartMode::Areas) {
        const ChartArea* a = chart_.find_area(id);
        if (!a) {
            return std::nullopt;
        }
        auto view = area_view(*a);
        auto anchor = view ? area_anchor(*a, *view) : std::nullopt;
        if (!anchor) {
            return std::nullopt;
        }
        CanvasPoint c = to_canvas(l, *view, *anchor);
        return wxPoint(static_cast<int>(std::lround(c.x)), static_cast<int>(std::lround(c.y)));
    }
    const ChartSite* s = chart_.find_site(id);
    if (!s) {
        return std::nullopt;
    }
    CanvasPoint c = to_canvas(l, s->view, s->at);
    return wxPoint(static_cast<int>(std::lround(c.x)), static_cast<int>(std::lround(c.y)));
}

std::string BodyChartCtrl::item_at(const wxPoint& p) const {
    ChartLayout l = layout();
    auto hit = from_canvas(l, {static_cast<double>(p.x), static_cast<double>(p.y)});
    if (!hit) {
        return {};
    }
    if (mode_ == ChartMode::Areas) {
        const ChartArea* a = chart_.area_at(hit->view, hit->at);
        return a ? a->id : std::string();
    }
    // Sites are matched through their form ids: a PPT site found by its tender point's place.
    const ChartSite* best = nullptr;
    std::string best_id;
    double best_d = kSiteRadius * 1.6;
    for (const auto& id : targets()) {
        const ChartSite* s = chart_.find_site(id);
        if (!s || s->view != hit->view) {
            continue;
        }
        double d = std::hypot((s->at.x - hit->at.x) * chart_.aspect, s->at.y - hit->at.y);
        if (d < best_d) {
            best_d = d;
            best = s;
            best_id = id;
        }
    }
    return best ? best_id : std::string();
}

wxString BodyChartCtrl::describe(const std::string& id) const {
    const ItemDef* item = model_.form().find(id);
    wxString name = item ? wxs(item->label) : wxs(id);
    const Json* v = model_.answer(id);
    switch (mode_) {
        case ChartMode::Areas:
            return v && *v == true ? wxString::Format(_("%s: painful"), name)
                                   : wxString::Format(_("%s: not painful"), name);
        case ChartMode::TenderPoints:
            return v && item ? wxString::Format(_("%s: grade %s"), name,
                                                wxs(item->value_label(v->get<long>())))
                             : wxString::Format(_("%s: not examined"), name);
        case ChartMode::Ppt:
            return v ? wxString::Format(_("%s: %s %s"), name, wxs(model_.answer_text(id)),
                                        item ? wxs(item->unit) : wxString())
                     : wxString::Format(_("%s: not measured"), name);
    }
    return name;
}

void BodyChartCtrl::activate(const std::string& id) {
    if (model_.read_only()) {
        return;
    }
    switch (mode_) {
        case ChartMode::Areas: {
            // Clearing an area records "not painful": the map stays recorded (rules 2026.2).
            const Json* v = model_.answer(id);
            model_.set_answer(id, Json(!(v && *v == true)));
            break;
        }
        case ChartMode::TenderPoints: {
            const Json* v = model_.answer(id);
            set_grade(id, next_tender_grade(v && v->is_number_integer()
                                                ? std::optional<long>(v->get<long>())
                                                : std::nullopt));
            return;
        }
        case ChartMode::Ppt:
            if (on_site_chosen) {
                on_site_chosen(id);
            }
            return;
    }
    refresh_tooltip();
    Refresh();
    if (on_changed) {
        on_changed(id);
    }
}

void BodyChartCtrl::refresh_tooltip() {
    // The tooltip says what the area or site holds now: a click just made it painful.
    std::string id = !hover_.empty() ? hover_ : HasFocus() ? focused_item() : std::string();
    SetToolTip(id.empty() ? wxString() : describe(id));
}

wxString BodyChartCtrl::tooltip_text() const {
    return GetToolTipText();
}

void BodyChartCtrl::set_grade(const std::string& id, std::optional<long> grade) {
    if (model_.read_only()) {
        return;
    }
    model_.set_answer(id, grade ? Json(*grade) : Json());
    refresh_tooltip();
    Refresh();
    if (on_changed) {
        on_changed(id);
    }
}

void BodyChartCtrl::paint() {
    wxAutoBufferedPaintDC pdc(this);
    pdc.SetBackground(wxBrush(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW)));
    pdc.Clear();
    wxGCDC dc(pdc);
    ChartLayout l = layout();
    if (l.views.empty()) {
        return;
    }
    auto pt = [&](std::size_t view, ChartPoint p) {
        CanvasPoint c = to_canvas(l, view, p);
        return wxPoint(static_cast<int>(std::lround(c.x)), static_cast<int>(std::lround(c.y)));
    };
    auto poly = [&](std::size_t view, const ChartPolygon& polygon) {
        std::vector<wxPoint> pts;
        pts.reserve(polygon.size());
        for (const auto& p : polygon) {
            pts.push_back(pt(view, p));
        }
        return pts;
    };
    const wxColour text = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT);
    dc.SetFont(GetFont());
    dc.SetTextForeground(text);
    // A read-only chart (a final visit, the Progress baseline) has nothing to act on: no focus
    // outline that would look like a selection or an unfinished edit.
    const std::string focused = HasFocus() && !model_.read_only() ? focused_item() : std::string();

    for (std::size_t v = 0; v < chart_.views.size(); ++v) {
        const CanvasRect& r = l.views[v];
        const ChartView& view = chart_.views[v];
        // The view's title above, and the patient's sides below: the patient's left is on the
        // viewer's right in the front view and on the viewer's left in the back view.
        wxString title = wxs(view.label);
        wxSize ts = dc.GetTextExtent(title);
        dc.DrawText(title, static_cast<int>(r.x + (r.w - ts.x) / 2),
                    static_cast<int>(r.y - ts.y * 1.3));
        bool front = view.id == "front";
        wxString left_side = front ? _("Patient's right") : _("Patient's left");
        wxString right_side = front ? _("Patient's left") : _("Patient's right");
        int by = static_cast<int>(r.y + r.h + FromDIP(2));
        wxSize ls = dc.GetTextExtent(left_side);
        wxSize rs = dc.GetTextExtent(right_side);
        dc.DrawText(left_side, static_cast<int>(r.x), by);
        // Side by side if they fit under the view, else the second one on the next line.
        bool fits = ls.x + rs.x + FromDIP(8) <= r.w;
        dc.DrawText(right_side, static_cast<int>(r.x + r.w - rs.x), fits ? by : by + ls.y);

        dc.SetPen(wxPen(kOutline, FromDIP(1)));
        dc.SetBrush(wxBrush(kBody));
        for (const auto& o : view.outlines) {
            auto pts = poly(v, o);
            dc.DrawPolygon(static_cast<int>(pts.size()), pts.data());
        }
        if (mode_ == ChartMode::Areas) {
            for (const auto& area : chart_.areas) {
                const Json* ans = model_.answer(area.id);
                bool painful = ans && *ans == true;
                for (const auto& shape : area.shapes) {
                    if (shape.view != v) {
                        continue;
                    }
                    auto pts = poly(v, shape.polygon);
                    bool hot = area.id == hover_ || area.id == focused;
                    dc.SetPen(wxPen(hot ? text : kOutline, FromDIP(hot ? 3 : 1),
                                    painful ? wxPENSTYLE_SOLID : wxPENSTYLE_SHORT_DASH));
                    dc.SetBrush(painful ? wxBrush(kPainful) : wxBrush(kBody));
                    dc.DrawPolygon(static_cast<int>(pts.size()), pts.data());
                    if (painful) {
                        // Hatching as well as colour, so "painful" survives greyscale print
                        // and colour blindness.
                        dc.SetBrush(wxBrush(*wxWHITE, wxBRUSHSTYLE_BDIAGONAL_HATCH));
                        dc.DrawPolygon(static_cast<int>(pts.size()), pts.data());
                    }
                }
            }
        }
        for (const auto& line : view.lines) {
            auto pts = poly(v, line);
            dc.SetPen(wxPen(kOutline, FromDIP(1)));
            dc.DrawLines(static_cast<int>(pts.size()), pts.data());
        }
    }

    if (mode_ != ChartMode::Areas) {
        const double radius = std::max(l.views[0].h * kSiteRadius, static_cast<double>(FromDIP(8)));
        for (const auto& id : targets()) {
            const ChartSite* s = chart_.find_site(id);
            if (!s) {
                continue;
            }
            wxPoint c = pt(s->view, s->at);
            const Json* ans = model_.answer(id);
            wxString label = ans ? wxs(model_.answer_text(id)) : wxString("-");
            bool positive = mode_ == ChartMode::TenderPoints && ans && ans->is_number_integer() &&
                            ans->get<long>() >= 2;
            bool hot = id == hover_ || id == focused;
            dc.SetPen(wxPen(hot ? text : kOutline, FromDIP(hot ? 3 : 1)));
            dc.SetBrush(positive ? wxBrush(kPainful)
                        : ans    ? wxBrush(wxColour(0xFF, 0xE0, 0xB2))
                                 : wxBrush(*wxWHITE));
            int rad = static_cast<int>(std::lround(radius));
            dc.DrawCircle(c, rad);
            wxSize ls = dc.GetTextExtent(label);
            if (mode_ == ChartMode::Ppt && ans) {
                // A measured value is wider than the circle: written beside it on a label.
                wxRect box(c.x + rad + FromDIP(2), c.y - ls.y / 2, ls.x + FromDIP(4), ls.y);
                dc.SetPen(wxPen(kOutline, 1));
                dc.SetBrush(*wxWHITE_BRUSH);
                dc.DrawRectangle(box);
                dc.SetTextForeground(*wxBLACK);
                dc.DrawText(label, box.x + FromDIP(2), box.y);
                continue;
            }
            dc.SetTextForeground(positive ? *wxWHITE : *wxBLACK);
            dc.DrawText(label, c.x - ls.x / 2, c.y - ls.y / 2);
        }
        dc.SetTextForeground(text);
    }
}

}  // namespace myo::gui
