// A self-contained SVG line chart of one 0–100 series over dates (posture score history; the
// same frame as the resilience chart of scope_view's HistorySvg): dates on the x axis, 0–100
// on the y axis, a dot per point with a tooltip, first/last and up to four dates labelled.
// Every text is escaped. Pure function; thread-safe.
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
};

// `title` heads the chart and names it (<title>); `legend` is the line under the axis.
std::string LineChartSvg(const std::string& title, const std::vector<ChartPoint>& points, const std::string& legend);

}  // namespace tidemark::report
