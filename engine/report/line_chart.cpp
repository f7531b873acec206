#include "engine/report/line_chart.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "engine/report/number_format.h"
#include "engine/report/scope_view.h"

namespace tidemark::report {
namespace {

constexpr double kWidth = 720, kLeft = 56, kRight = 48, kTop = 40, kPlotHeight = 232;
constexpr double kLabelGap = 84;     // a date label ("2026-03-02") is about 66 px wide at 12 px
constexpr double kLegendRow = 20;
constexpr double kCharWidth = 7;     // a generous average for the legend's layout

}  // namespace

const std::vector<std::string>& ChartPalette() {
  static const std::vector<std::string> kPalette = {"#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bc4c00",
                                                    "#0a7e8c", "#bf3989", "#57606a"};
  return kPalette;
}

std::vector<size_t> AxisLabelIndexes(const std::vector<TimeMs>& dates, double plot_width, double min_gap) {
  std::vector<size_t> picked;
  if (dates.empty()) return picked;
  picked.push_back(0);
  if (dates.size() == 1) return picked;
  double span = static_cast<double>(dates.back() - dates.front());
  auto x_of = [&](size_t idx) { return span > 0 ? plot_width * static_cast<double>(dates[idx] - dates.front()) / span : 0.0; };
  const double last_x = x_of(dates.size() - 1);
  for (size_t idx = 1; idx + 1 < dates.size(); ++idx) {
    if (x_of(idx) - x_of(picked.back()) >= min_gap && last_x - x_of(idx) >= min_gap) picked.push_back(idx);
  }
  if (last_x - x_of(picked.back()) >= min_gap) picked.push_back(dates.size() - 1);
  return picked;
}

std::string LineChartSvg(const std::string& title, const std::vector<ChartSeries>& series, const std::string& note) {
  const double plot_w = kWidth - kLeft - kRight;
  std::vector<TimeMs> dates;
  for (const auto& s : series) {
    for (const auto& p : s.points) dates.push_back(p.date);
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  const TimeMs first = dates.empty() ? 0 : dates.front();
  const double span = dates.size() > 1 ? static_cast<double>(dates.back() - first) : 1.0;
  auto x_of = [&](TimeMs t) { return kLeft + (dates.size() <= 1 ? plot_w / 2 : plot_w * static_cast<double>(t - first) / span); };
  auto y_of = [&](double v) { return kTop + kPlotHeight * (1.0 - v / 100.0); };
  auto color_of = [&](size_t idx) {
    return series[idx].color.empty() ? ChartPalette()[idx % ChartPalette().size()] : series[idx].color;
  };

  // The legend (a swatch and a name per series, wrapped to the plot's width) sits under the
  // date labels, the note under it; the height follows.
  const bool with_legend = series.size() > 1 || (series.size() == 1 && !series.front().name.empty());
  struct LegendItem { double x, y; size_t idx; };
  std::vector<LegendItem> legend;
  double legend_y = kTop + kPlotHeight + 40, cursor = kLeft;
  if (with_legend) {
    for (size_t idx = 0; idx < series.size(); ++idx) {
      double item_w = 18 + kCharWidth * static_cast<double>(series[idx].name.size()) + 18;
      if (cursor > kLeft && cursor + item_w > kLeft + plot_w) {
        cursor = kLeft;
        legend_y += kLegendRow;
      }
      legend.push_back({cursor, legend_y, idx});
      cursor += item_w;
    }
  }
  const double note_y = (with_legend ? legend_y + kLegendRow : kTop + kPlotHeight + 40);
  const double height = note.empty() ? note_y : note_y + 12;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n",
      kWidth, height);
  svg += "<title>" + XmlEscape(title) + "</title>\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  svg += fmt::format("<text x=\"{:.0f}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", kLeft, XmlEscape(title));
  for (int tick = 0; tick <= 100; tick += 25) {
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#dddddd\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\" fill=\"#444444\">{5}</text>\n",
        kLeft, y_of(tick), kLeft + plot_w, kLeft - 6, y_of(tick) + 4, tick);
  }
  svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#444444\"/>\n", kLeft,
                     kTop + kPlotHeight, kLeft + plot_w);
  for (size_t idx : AxisLabelIndexes(dates, plot_w, kLabelGap)) {
    svg += fmt::format("<text class=\"date\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#444444\">{}</text>\n",
                       x_of(dates[idx]), kTop + kPlotHeight + 18, FormatDate(dates[idx]));
  }
  for (size_t idx = 0; idx < series.size(); ++idx) {
    const std::string color = color_of(idx);
    std::string path;
    for (const auto& p : series[idx].points) {
      if (p.value) path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", x_of(p.date), y_of(*p.value));
    }
    if (!path.empty()) svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"/>\n";
    const std::string label = series[idx].name.empty() ? "" : XmlEscape(series[idx].name) + ", ";
    for (const auto& p : series[idx].points) {
      if (!p.value) continue;
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"><title>{}{}: {}{}</title></circle>\n",
                         x_of(p.date), y_of(*p.value), p.marker.empty() ? color : p.marker, label, FormatDate(p.date),
                         FormatScore(*p.value), p.note.empty() ? "" : ", " + XmlEscape(p.note));
    }
  }
  for (const auto& item : legend) {
    svg += fmt::format(
        "<g class=\"legend\"><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#1f2328\">{}</text></g>\n",
        item.x, item.y - 10, color_of(item.idx), item.x + 18, item.y, XmlEscape(series[item.idx].name));
  }
  if (!note.empty()) svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#444444\">{}</text>\n", kLeft, note_y, XmlEscape(note));
  if (dates.empty()) {
    svg += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\">no data in range</text>\n", kWidth / 2,
                       kTop + kPlotHeight / 2);
  }
  svg += "</svg>\n";
  return svg;
}

std::string LineChartSvg(const std::string& title, const std::vector<ChartPoint>& points, const std::string& note) {
  return LineChartSvg(title, std::vector<ChartSeries>{{"", "", points}}, note);
}

}  // namespace tidemark::report
