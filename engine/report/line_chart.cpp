#include "engine/report/line_chart.h"

#include <algorithm>
#include <cstdio>

#include "engine/report/scope_view.h"

namespace tidemark::report {

std::string LineChartSvg(const std::string& title, const std::vector<ChartPoint>& points, const std::string& legend) {
  constexpr double kWidth = 720, kHeight = 320, kLeft = 56, kRight = 48, kTop = 40, kBottom = 48;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  TimeMs first = points.empty() ? 0 : points.front().date;
  TimeMs last = points.empty() ? 0 : points.back().date;
  double span = last > first ? static_cast<double>(last - first) : 1.0;
  auto x_of = [&](TimeMs t) { return kLeft + (points.size() <= 1 ? plot_w / 2 : plot_w * static_cast<double>(t - first) / span); };
  auto y_of = [&](double v) { return kTop + plot_h * (1.0 - v / 100.0); };
  char buf[256];
  std::string svg;
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                "role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n",
                kWidth, kHeight, kWidth, kHeight);
  svg += buf;
  svg += "<title>" + XmlEscape(title) + "</title>\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  svg += "<text x=\"" + std::to_string(static_cast<int>(kLeft)) + "\" y=\"22\" font-size=\"14\" font-weight=\"bold\">" +
         XmlEscape(title) + "</text>\n";
  for (int tick = 0; tick <= 100; tick += 25) {
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444444\">%d</text>\n",
                  kLeft, y_of(tick), kLeft + plot_w, y_of(tick), kLeft - 6, y_of(tick) + 4, tick);
    svg += buf;
  }
  std::snprintf(buf, sizeof buf, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444444\"/>\n", kLeft,
                kTop + plot_h, kLeft + plot_w, kTop + plot_h);
  svg += buf;
  size_t label_count = std::min<size_t>(points.size(), 6);
  for (size_t idx = 0; idx < label_count; ++idx) {
    size_t point_idx = label_count == 1 ? 0 : idx * (points.size() - 1) / (label_count - 1);
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444444\">%s</text>\n",
                  x_of(points[point_idx].date), kTop + plot_h + 18, FormatDate(points[point_idx].date).c_str());
    svg += buf;
  }
  std::string path;
  for (const auto& p : points) {
    if (!p.value) continue;
    std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", path.empty() ? "M" : " L", x_of(p.date), y_of(*p.value));
    path += buf;
  }
  if (!path.empty()) svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>\n";
  for (const auto& p : points) {
    if (!p.value) continue;
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#1f6feb\"><title>%s: %.1f", x_of(p.date),
                  y_of(*p.value), FormatDate(p.date).c_str(), *p.value);
    svg += buf;
    if (!p.note.empty()) svg += ", " + XmlEscape(p.note);
    svg += "</title></circle>\n";
  }
  if (!legend.empty()) {
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#444444\">", kLeft, kHeight - 8);
    svg += buf + XmlEscape(legend) + "</text>\n";
  }
  if (points.empty()) svg += "<text x=\"360\" y=\"160\" text-anchor=\"middle\">no data in range</text>\n";
  svg += "</svg>\n";
  return svg;
}

}  // namespace tidemark::report
