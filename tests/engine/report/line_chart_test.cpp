// The SVG line chart: date labels thinned to fit, a legend swatch per series.
#include "engine/report/line_chart.h"

#include <doctest/doctest.h>

namespace tidemark::testing {
namespace {

constexpr TimeMs kDay = 86400000;
constexpr TimeMs kStart = 1767225600000;  // 2026-01-01

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("axis labels keep first and last and skip dates closer than a label's width") {
  std::vector<TimeMs> dates;
  for (int day = 0; day < 75; ++day) dates.push_back(kStart + day * kDay);
  auto picked = report::AxisLabelIndexes(dates, 616, 84);
  REQUIRE(picked.size() >= 2);
  CHECK(picked.front() == 0);
  CHECK(picked.back() == dates.size() - 1);
  CHECK(picked.size() <= 8);  // 616 px / 84 px
  for (size_t idx = 1; idx < picked.size(); ++idx) CHECK(616.0 * static_cast<double>(picked[idx] - picked[idx - 1]) / 74 >= 84);
}

TEST_CASE("two dates a week apart at the end of a quarter do not both get a label") {
  // The demo's 2026-03-02 and 2026-03-09 printed on top of each other ("2026-03-022026-03-09").
  std::vector<TimeMs> dates = {kStart, kStart + 60 * kDay, kStart + 67 * kDay, kStart + 73 * kDay};
  auto picked = report::AxisLabelIndexes(dates, 616, 84);
  CHECK(picked == std::vector<size_t>{0, 1, 3});
}

TEST_CASE("a chart of several series has a legend with a swatch and a name for each") {
  std::vector<report::ChartSeries> series = {
      {"All incidents", "", {{kStart, 50.0, "", ""}, {kStart + 10 * kDay, 60.0, "", ""}}},
      {"APT29 (G0016)", "", {{kStart, 40.0, "", ""}, {kStart + 5 * kDay, 45.0, "", ""}}},
  };
  std::string svg = report::LineChartSvg("Resilience over time", series, "higher is better");
  CHECK(Count(svg, "<g class=\"legend\"><rect") == 2);
  CHECK(svg.find(">APT29 (G0016)</text></g>") != std::string::npos);
  CHECK(Count(svg, "<path d=\"M") == 2);
  CHECK(svg.find("fill=\"" + report::ChartPalette()[1] + "\"") != std::string::npos);
  CHECK(svg.find("APT29 (G0016), 2026-01-06: 45.0") != std::string::npos);  // the dot's tooltip
}

TEST_CASE("a chart of one unnamed series has no legend, and no data says so") {
  std::string one = report::LineChartSvg("Posture score", std::vector<report::ChartPoint>{{kStart, 10.0, "", ""}}, "");
  CHECK(one.find("class=\"legend\"") == std::string::npos);
  std::string none = report::LineChartSvg("Posture score", std::vector<report::ChartPoint>{}, "");
  CHECK(none.find("no data in range") != std::string::npos);
}

}  // namespace tidemark::testing
