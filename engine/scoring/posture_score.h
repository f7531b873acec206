// Secure Score points (SPEC v2 §3 "Posture score"): p(c) = max_points (absent: 0),
// points(c, τ) = p(c) · impl(c, τ), S(τ) = 100 · Σ points / Σ p over the controls with p > 0
// that are not deprecated (null when that sum is 0), overall and per category, product or
// license; a control's points_gain and score_gain; S over time. Secure Score's own accounting:
// no evidence, no techniques, no incidents. impl(c, τ) is scoring::PostureOf, the one rule.
//
// A PostureScorer borrows a DefenseGraph (which must outlive it) and reads only its controls
// and their posture: for one τ a graph built with the posture at τ is enough, for History the
// graph needs every posture record. Stateless between calls; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/time_util.h"
#include "engine/graph/defense_graph.h"

namespace tidemark::scoring {

enum class PointsGroupBy { kNone, kCategory, kProduct, kLicense };
std::string_view PointsGroupByName(PointsGroupBy by);
// "category", "product", "license" (case-insensitive); nullopt otherwise.
std::optional<PointsGroupBy> ParsePointsGroupBy(std::string_view text);

// Points of a set of scored controls.
struct PointsTally {
  std::string name;         // the group's category/product/license ("" = none given); "" for the total
  double achieved = 0;      // Σ p · impl
  double achievable = 0;    // Σ p
  size_t controls = 0;      // scored controls (p > 0, not deprecated)
  size_t completed = 0;     // of which earn their full points (impl = 1)
  // 100 · achieved / achievable, null when achievable is 0.
  std::optional<double> Score() const;
};

struct PostureScore {
  TimeMs tau = 0;
  PointsTally total;
  PointsGroupBy by = PointsGroupBy::kNone;
  std::vector<PointsTally> groups;  // by name, byte order; the unnamed group ("") last
  size_t deprecated = 0;            // controls with p > 0 left out because deprecated
  size_t without_points = 0;        // controls with no (or zero) max_points
};

// A control's share in the score at τ.
struct ControlPoints {
  double max_points = 0;   // p(c): 0 when absent, or when the control is deprecated
  double achieved = 0;     // p · impl(c, τ)
  double points_gain = 0;  // p · (1 − impl(c, τ))
  double score_gain = 0;   // 100 · points_gain / Σ p (0 when Σ p is 0)
};

struct PostureScorePoint {
  TimeMs date = 0;  // start of a UTC day on which a posture record falls; evaluated at its end
  PointsTally total;
};

class PostureScorer {
 public:
  explicit PostureScorer(const graph::DefenseGraph& graph) : graph_(graph) {}

  // S(τ) with achieved/achievable, and the groups of `by` (none for kNone).
  PostureScore Evaluate(TimeMs tau, PointsGroupBy by = PointsGroupBy::kNone) const;
  // One control's points at τ. A control outside the score (no max_points, or deprecated)
  // has every figure 0.
  ControlPoints PointsOf(graph::Vertex control, TimeMs tau) const;
  // Σ p over the scored controls (independent of τ: the catalog is not dated).
  double Achievable() const;
  // S at the end of each day within [from, to] on which a posture record falls, oldest first
  // (the dates of Scorer::History without the incident days).
  std::vector<PostureScorePoint> History(std::optional<TimeMs> from, std::optional<TimeMs> to) const;

  // p(c) as the score counts it: max_points when > 0 and the control is not deprecated, else 0.
  static double ScoredPoints(const model::Control& control);

 private:
  const graph::DefenseGraph& graph_;
};

}  // namespace tidemark::scoring
