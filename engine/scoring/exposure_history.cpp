#include "engine/scoring/exposure_history.h"

#include "engine/scoring/exposure_sweep.h"
#include "engine/scoring/posture_score.h"
#include "engine/scoring/vulnerability_exposure.h"

namespace tidemark::scoring {
namespace {

ExposureHistory PointsWithExposure(Scorer& scorer, const Scope& scope, const store::ReadTxn& txn,
                                   std::optional<TimeMs> from, std::optional<TimeMs> to) {
  ExposureHistory out;
  ExposureSweep shares(txn);
  if (!shares.has_findings()) {
    out.points = scorer.History(scope, from, to);
    for (const auto& point : out.points) out.exposure.push_back(point.resilience ? std::optional<double>(0) : std::nullopt);
    return out;
  }
  // The days on which a finding opens or closes are points too; the shares move forward with
  // the points, and VE takes the weights History has at each.
  out.points = scorer.History(scope, from, to, shares.FindingDays(),
                              [&](const HistoryPoint& point, const std::vector<WeightedTechnique>& techniques) {
                                shares.AdvanceTo(EndOfDay(point.date));
                                out.exposure.push_back(shares.Exposure(techniques));
                              });
  return out;
}

}  // namespace

ExposureHistory HistoryWithExposure(Scorer& scorer, const DefenseGraph& graph, const Scope& scope,
                                    const store::ReadTxn& txn, std::optional<TimeMs> from, std::optional<TimeMs> to) {
  ExposureHistory out = PointsWithExposure(scorer, scope, txn, from, to);
  // SPEC §3 "History": the `all` scope carries the posture score S at each point.
  if (scope.kind == ScopeKind::kAll) {
    PostureScorer posture(graph);
    for (const auto& point : out.points) out.posture_scores.push_back(posture.Evaluate(EndOfDay(point.date)).total.Score());
  }
  return out;
}

}  // namespace tidemark::scoring
