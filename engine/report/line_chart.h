// A self-contained SVG line chart of 0-100 series over dates: the resilience history of a
// scope (`history --format svg`), the top threats of the HTML report side by side, the
// posture score. Dates on the x axis, labelled only as densely as they fit (first and last
// always, no two labels closer than a label's width), 0-100 on the y axis, a dot per point
// with a tooltip, and under the plot a legend with a colour swatch per series (when there is
// more than one) and a note. Every text is escaped. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/time_util.h"

namespace tidemark::report {

struct ChartPoint {
  TimeMs date = 0;
  std::optional<double> value;  // null points are skipped (gap-free line over the others)
  std::string note;             // appended to the tooltip ("58 of 80 points")
  std::string marker;           // the dot's colour; empty = the series colour
};

struct ChartSeries {
  std::string name;   // the legend and tooltip label
  std::string color;  // empty = the palette colour of its position
  std::vector<ChartPoint> points;  // in date order
};

// The palette for series without a colour: distinguishable, also in grey print.
const std::vector<std::string>& ChartPalette();

// `title` heads the chart and names it (<title>); `note` is the line under the legend.
std::string LineChartSvg(const std::string& title, const std::vector<ChartSeries>& series, const std::string& note);
// One unnamed series (no legend).
std::string LineChartSvg(const std::string& title, const std::vector<ChartPoint>& points, const std::string& note);

// The dates of the x axis that get a label: indexes into `dates` (sorted, distinct), first and
// last always, the others only where they keep `min_gap` pixels from their neighbours, for a
// plot `plot_width` pixels wide spanning dates.front()..dates.back().
std::vector<size_t> AxisLabelIndexes(const std::vector<TimeMs>& dates, double plot_width, double min_gap);

}  // namespace tidemark::report
