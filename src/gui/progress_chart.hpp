#pragma once
// A small line chart of one group of measures across all visits (the Progress view): visits
// placed on a dated axis by calendar days, a value axis with its unit, one line per series with
// a gap where a visit did not measure it, and a legend. Series differ by dash pattern and
// marker shape as well as colour, so the chart reads in greyscale and for colour-blind users.

#include <string>
#include <utility>
#include <vector>

#include <wx/window.h>

#include "gui/model/progress_model.hpp"

namespace myo::gui {

class ProgressChart : public wxWindow {
  public:
    ProgressChart(wxWindow* parent, ChartGroup group, std::vector<std::string> dates,
                  std::vector<double> positions, std::size_t baseline);

    const ChartGroup& group() const { return group_; }
    // The chart in words, for screen readers and tests (also the tooltip).
    wxString describe() const;
    // The first, baseline and latest values only (the tooltip of a chart of many visits).
    wxString describe_ends() const;
    static constexpr std::size_t kTooltipVisits = 12;
    wxSize DoGetBestClientSize() const override;
    // What the last paint wrote, for tests: the dates labelled on the axis (visit index and
    // where), and the markers drawn.
    const std::vector<std::pair<std::size_t, wxRect>>& date_labels() const { return label_rects_; }
    std::size_t markers_drawn() const { return markers_drawn_; }

  private:
    void paint();

    ChartGroup group_;
    std::vector<std::string> dates_;
    std::vector<double> positions_;
    std::size_t baseline_ = 0;
    std::vector<std::pair<std::size_t, wxRect>> label_rects_;
    std::size_t markers_drawn_ = 0;
};

}  // namespace myo::gui
