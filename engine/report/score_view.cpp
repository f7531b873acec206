#include "engine/report/score_view.h"

#include <cstdio>

#include "engine/core/json.h"
#include "engine/report/line_chart.h"
#include "engine/report/number_format.h"
#include "engine/report/text_table.h"

namespace tidemark::report {
namespace {

using scoring::PointsTally;


// CSV points keep 4 decimals (machine output); whole numbers print as 58, not 58.0.
std::string Points(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", RoundScore(value));
  std::string text = buf;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

template <typename W>
void WritePoints(W& w, const char* key, double value) {
  w.Key(key);
  double rounded = RoundScore(value);
  if (rounded == static_cast<double>(static_cast<int64_t>(rounded))) {
    w.Int64(static_cast<int64_t>(rounded));
  } else {
    w.Double(rounded);
  }
}

template <typename W>
void WriteTally(W& w, const PointsTally& tally) {
  w.Key("score");
  if (auto score = tally.Score()) w.Double(RoundScore(*score)); else w.Null();
  WritePoints(w, "achieved", tally.achieved);
  WritePoints(w, "achievable", tally.achievable);
  w.Key("controls");
  w.Uint64(tally.controls);
  w.Key("completed");
  w.Uint64(tally.completed);
}

}  // namespace

std::string PointsText(double achieved, double achievable) { return FormatAmount(achieved) + " of " + FormatAmount(achievable); }

std::string ScoreJson(const scoring::PostureScore& score) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "as_of", FormatIsoTime(score.tau));
  WriteTally(w, score.total);
  w.Key("excluded");
  w.StartObject();
  w.Key("deprecated");
  w.Uint64(score.deprecated);
  w.Key("without_points");
  w.Uint64(score.without_points);
  w.EndObject();
  w.Key("by");
  if (score.by == scoring::PointsGroupBy::kNone) {
    w.Null();
  } else {
    WriteString(w, scoring::PointsGroupByName(score.by));
  }
  w.Key("groups");
  w.StartArray();
  for (const auto& group : score.groups) {
    w.StartObject();
    WriteField(w, "name", group.name);
    WriteTally(w, group);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return BufferString(buf);
}

std::string ScoreText(const scoring::PostureScore& score) {
  std::string out = "Posture score at " + FormatIsoTime(score.tau) + ": ";
  if (auto value = score.total.Score()) {
    out += FormatScore(value) + "% (" + PointsText(score.total.achieved, score.total.achievable) + " points, " +
           Plural(score.total.controls, "control") + ", " + std::to_string(score.total.completed) + " completed)\n";
  } else {
    out += "- (no control has max_points: import a catalog with max_points or Graph secureScoreControlProfiles)\n";
  }
  if (score.deprecated > 0 || score.without_points > 0) {
    out += "Not scored: " + std::to_string(score.deprecated) + " deprecated, " + std::to_string(score.without_points) +
           " without max_points\n";
  }
  if (score.by != scoring::PointsGroupBy::kNone && !score.groups.empty()) {
    TextTable table({std::string(scoring::PointsGroupByName(score.by)), "score", "achieved", "achievable", "controls", "completed"});
    for (const auto& group : score.groups) {
      table.AddRow({group.name.empty() ? "(none)" : Printable(group.name), FormatScore(group.Score()), FormatAmount(group.achieved),
                    FormatAmount(group.achievable), std::to_string(group.controls), std::to_string(group.completed)});
    }
    out += "\n" + table.Render();
  }
  return out;
}

std::string ScoreHistoryJson(const std::vector<scoring::PostureScorePoint>& points) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("points");
  w.StartArray();
  for (const auto& point : points) {
    w.StartObject();
    WriteField(w, "date", FormatDate(point.date));
    WriteTally(w, point.total);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return BufferString(buf);
}

std::string ScoreHistoryCsv(const std::vector<scoring::PostureScorePoint>& points) {
  std::string out = "date,score,achieved,achievable,controls,completed\n";
  for (const auto& point : points) {
    auto score = point.total.Score();
    char value[32] = "";
    if (score) std::snprintf(value, sizeof value, "%.4f", RoundScore(*score));
    out += FormatDate(point.date) + "," + value + "," + Points(point.total.achieved) + "," + Points(point.total.achievable) +
           "," + std::to_string(point.total.controls) + "," + std::to_string(point.total.completed) + "\n";
  }
  return out;
}

std::string ScoreHistoryText(const std::vector<scoring::PostureScorePoint>& points) {
  TextTable table({"date", "score", "achieved", "achievable", "controls", "completed"});
  for (const auto& point : points) {
    table.AddRow({FormatDate(point.date), FormatScore(point.total.Score()), FormatAmount(point.total.achieved),
                  FormatAmount(point.total.achievable), std::to_string(point.total.controls), std::to_string(point.total.completed)});
  }
  return "Posture score over time\n\n" + table.Render();
}

std::string ScoreHistorySvg(const std::vector<scoring::PostureScorePoint>& points) {
  std::vector<ChartPoint> chart;
  for (const auto& point : points) {
    chart.push_back({point.date, point.total.Score(), PointsText(point.total.achieved, point.total.achievable) + " points", ""});
  }
  return LineChartSvg("Posture score (Secure Score points)", chart, "a dot per day on which a posture snapshot falls");
}

}  // namespace tidemark::report
