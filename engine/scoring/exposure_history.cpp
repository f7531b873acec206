#include "engine/scoring/exposure_history.h"

#include <algorithm>
#include <iterator>

#include "engine/scoring/exposure_sweep.h"
#include "engine/scoring/posture_score.h"
#include "engine/scoring/vulnerability_exposure.h"

namespace tidemark::scoring {
namespace {

ExposureHistory PointsWithExposure(Scorer& scorer, const DefenseGraph& graph, const Scope& scope,
                                   const store::ReadTxn& txn, std::optional<TimeMs> from, std::optional<TimeMs> to) {
  ExposureHistory out;
  out.points = scorer.History(scope, from, to);
  ExposureSweep shares(txn);
  if (!shares.has_findings()) {
    for (const auto& point : out.points) out.exposure.push_back(point.resilience ? std::optional<double>(0) : std::nullopt);
    return out;
  }
  // The days on which a finding opens or closes, within the range, that are not points yet.
  std::vector<TimeMs> days;
  TimeMs first_day = from ? StartOfDay(*from) : INT64_MIN;
  for (TimeMs day : shares.FindingDays()) {
    if (day >= first_day && (!to || day <= *to)) days.push_back(day);
  }
  std::vector<TimeMs> point_days;
  for (const auto& point : out.points) point_days.push_back(point.date);
  std::sort(point_days.begin(), point_days.end());
  std::vector<TimeMs> added;
  std::set_difference(days.begin(), days.end(), point_days.begin(), point_days.end(), std::back_inserter(added));
  for (TimeMs day : added) {
    HistoryPoint point;
    point.date = day;
    for (size_t idx : scope.incidents) point.incidents += graph.incidents()[idx].CountsAt(EndOfDay(day));
    out.points.push_back(point);
  }
  std::sort(out.points.begin(), out.points.end(), [](const HistoryPoint& a, const HistoryPoint& b) { return a.date < b.date; });
  // Oldest first, with a Scorer of its own (the caller's has swept to the end already); the
  // shares move forward with the points.
  Scorer sweep(graph);
  for (auto& point : out.points) {
    TimeMs tau = EndOfDay(point.date);
    Evaluation ev = sweep.Evaluate(scope, tau, EvaluateOptions{.details = false});
    if (std::binary_search(added.begin(), added.end(), point.date)) point.resilience = ev.resilience;
    shares.AdvanceTo(tau);
    out.exposure.push_back(shares.Exposure(VulnerabilityExposure::ScopeTechniques(ev, graph)));
  }
  return out;
}

}  // namespace

ExposureHistory HistoryWithExposure(Scorer& scorer, const DefenseGraph& graph, const Scope& scope,
                                    const store::ReadTxn& txn, std::optional<TimeMs> from, std::optional<TimeMs> to) {
  ExposureHistory out = PointsWithExposure(scorer, graph, scope, txn, from, to);
  // SPEC §3 "History": the `all` scope carries the posture score S at each point.
  if (scope.kind == ScopeKind::kAll) {
    PostureScorer posture(graph);
    for (const auto& point : out.points) out.posture_scores.push_back(posture.Evaluate(EndOfDay(point.date)).total.Score());
  }
  return out;
}

}  // namespace tidemark::scoring
