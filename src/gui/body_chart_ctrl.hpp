#pragma once
// The body chart: forms/bodychart.json drawn front and back, scaled to the control on any DPI.
// Pain map: click an area to toggle it. Tender points: click a site to cycle its grade, or
// keys 0-3 and Delete. PPT: click a site to go to its value. The arrow keys move between
// areas or sites, so the chart works without a mouse; the item list beside it is the
// screen-reader alternative. Painted states carry a mark or a number, never colour alone.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <wx/window.h>

#include "core/bodychart.hpp"
#include "gui/model/body_chart_model.hpp"

namespace myo::gui {

class AssessmentModel;

enum class ChartMode { Areas, TenderPoints, Ppt };

class BodyChartCtrl : public wxWindow {
  public:
    BodyChartCtrl(wxWindow* parent, const BodyChart& chart, AssessmentModel& model, ChartMode mode);

    // After the model changed through the chart (item id), or a PPT site was chosen.
    std::function<void(const std::string&)> on_changed;
    std::function<void(const std::string&)> on_site_chosen;

    // Where an area's anchor or a site is, in client coordinates (tests click there).
    std::optional<wxPoint> position_of(const std::string& item_id) const;
    // The item under a client point ("" if none): what a hover names.
    std::string item_at(const wxPoint& p) const;
    std::string focused_item() const;

    // What hovering says now (the tooltip), e.g. "Left shoulder girdle: painful".
    wxString tooltip_text() const;

    wxSize DoGetBestClientSize() const override;
    // A read-only chart is looked at, not worked: out of the Tab order (its list says the same).
    bool AcceptsFocus() const override;

  private:
    ChartLayout layout() const;
    std::vector<std::string> targets() const;  // areas or sites, in form order
    void activate(const std::string& id);
    void set_grade(const std::string& id, std::optional<long> grade);
    void refresh_tooltip();
    void paint();
    wxString describe(const std::string& id) const;

    const BodyChart& chart_;
    AssessmentModel& model_;
    ChartMode mode_;
    std::string hover_;
    std::size_t focus_index_ = 0;
};

}  // namespace myo::gui
