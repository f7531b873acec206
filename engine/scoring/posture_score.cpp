#include "engine/scoring/posture_score.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/core/ids.h"
#include "engine/scoring/scorer.h"

namespace tidemark::scoring {
namespace {

// impl within this of 1 counts as completed (fractions from Graph score / maxScore).
constexpr double kFull = 1.0 - 1e-9;

const std::string& GroupKey(const model::Control& control, PointsGroupBy by) {
  static const std::string kNone;
  switch (by) {
    case PointsGroupBy::kCategory: return control.category;
    case PointsGroupBy::kProduct: return control.product;
    case PointsGroupBy::kLicense: return control.license;
    case PointsGroupBy::kNone: break;
  }
  return kNone;
}

void Add(PointsTally& tally, double points, double implemented) {
  tally.achieved += points * implemented;
  tally.achievable += points;
  ++tally.controls;
  if (implemented >= kFull) ++tally.completed;
}

}  // namespace

std::string_view PointsGroupByName(PointsGroupBy by) {
  switch (by) {
    case PointsGroupBy::kCategory: return "category";
    case PointsGroupBy::kProduct: return "product";
    case PointsGroupBy::kLicense: return "license";
    case PointsGroupBy::kNone: break;
  }
  return "";
}

std::optional<PointsGroupBy> ParsePointsGroupBy(std::string_view text) {
  std::string folded = ToLower(text);
  for (auto by : {PointsGroupBy::kCategory, PointsGroupBy::kProduct, PointsGroupBy::kLicense}) {
    if (folded == PointsGroupByName(by)) return by;
  }
  return std::nullopt;
}

std::optional<double> PointsTally::Score() const {
  if (achievable <= 0) return std::nullopt;
  return 100.0 * achieved / achievable;
}

double PostureScorer::ScoredPoints(const model::Control& control) {
  if (control.deprecated || !control.max_points || *control.max_points <= 0) return 0;
  return *control.max_points;
}

PostureScore PostureScorer::Evaluate(TimeMs tau, PointsGroupBy by) const {
  PostureScore out;
  out.tau = tau;
  out.by = by;
  std::map<std::string, PointsTally> groups;
  for (graph::Vertex vertex : graph_.control_vertices()) {
    const auto& info = graph_.control_info(vertex);
    double points = ScoredPoints(info.control);
    if (points <= 0) {
      if (info.control.max_points && *info.control.max_points > 0) {
        ++out.deprecated;
      } else {
        ++out.without_points;
      }
      continue;
    }
    double implemented = PostureOf(info, tau).implemented;
    Add(out.total, points, implemented);
    if (by != PointsGroupBy::kNone) {
      const std::string& key = GroupKey(info.control, by);
      auto [entry, inserted] = groups.try_emplace(key);
      if (inserted) entry->second.name = key;
      Add(entry->second, points, implemented);
    }
  }
  for (auto& [name, tally] : groups) {
    if (!name.empty()) out.groups.push_back(std::move(tally));
  }
  if (auto unnamed = groups.find(""); unnamed != groups.end()) out.groups.push_back(std::move(unnamed->second));
  return out;
}

double PostureScorer::Achievable() const {
  double total = 0;
  for (graph::Vertex vertex : graph_.control_vertices()) total += ScoredPoints(graph_.control_info(vertex).control);
  return total;
}

ControlPoints PostureScorer::PointsOf(graph::Vertex control, TimeMs tau) const {
  ControlPoints out;
  const auto& info = graph_.control_info(control);
  out.max_points = ScoredPoints(info.control);
  if (out.max_points <= 0) return out;
  double implemented = PostureOf(info, tau).implemented;
  out.achieved = out.max_points * implemented;
  out.points_gain = out.max_points * (1.0 - implemented);
  double achievable = Achievable();
  if (achievable > 0) out.score_gain = 100.0 * out.points_gain / achievable;
  return out;
}

std::vector<PostureScorePoint> PostureScorer::History(std::optional<TimeMs> from, std::optional<TimeMs> to) const {
  std::set<TimeMs> days;
  for (graph::Vertex vertex : graph_.control_vertices()) {
    for (const auto& record : graph_.control_info(vertex).posture) days.insert(StartOfDay(record.as_of));
  }
  std::vector<PostureScorePoint> points;
  for (TimeMs day : days) {
    TimeMs tau = EndOfDay(day);
    // The same range rule as Scorer::History: a day counts when its end is ≥ from and its
    // start ≤ to.
    if ((from && tau < *from) || (to && day > *to)) continue;
    points.push_back({day, Evaluate(tau).total});
  }
  return points;
}

}  // namespace tidemark::scoring
