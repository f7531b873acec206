#include "engine/scoring/exposure_history.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/scoring/posture_score.h"
#include "engine/scoring/vulnerability_exposure.h"
#include "engine/store/cve_catalog.h"
#include "engine/store/finding_catalog.h"
#include "engine/store/org_catalog.h"

namespace tidemark::scoring {
namespace {


// What VulnerabilityExposure needs, read once and kept (the store's views end with the snapshot).
struct Knowledge {
  std::vector<std::pair<std::string, double>> assets;
  std::vector<std::pair<std::string, std::string>> scored;  // (cve, technique)
  std::vector<std::string> known;
  std::vector<model::KevEntry> kev;
  struct Finding {
    std::string asset, cve, software_key;
    TimeMs first_seen = 0;
    std::optional<TimeMs> fixed;
    model::RemediationType remediation_type = model::RemediationType::kSoftware;
  };
  std::vector<Finding> findings;

  VulnerabilityExposure At(TimeMs tau) const {
    VulnerabilityExposure vx(tau);
    for (const auto& [id, weight] : assets) vx.AddInventoryAsset(id, weight);
    for (const auto& [cve, technique] : scored) vx.AddCveTechnique(cve, technique);
    for (const auto& cve : known) vx.AddKnownCve(cve);
    for (const auto& entry : kev) vx.AddKev(entry);
    for (const auto& f : findings) {
      store::FindingFacts facts;
      facts.asset = f.asset;
      facts.cve = f.cve;
      facts.software_key = f.software_key;
      facts.first_seen = f.first_seen;
      facts.fixed = f.fixed;
      facts.remediation_type = f.remediation_type;
      vx.AddFinding(facts);
    }
    vx.Finish();
    return vx;
  }
};

Knowledge Read(const store::ReadTxn& txn) {
  Knowledge k;
  store::FindingCatalog::ForEachFacts(txn, [&](const store::FindingFacts& facts) {
    k.findings.push_back({std::string(facts.asset), std::string(facts.cve), std::string(facts.software_key), facts.first_seen,
                          facts.fixed, facts.remediation_type});
  });
  if (k.findings.empty()) return k;
  store::OrgCatalog::ForEachAsset(txn, [&](const model::Asset& asset) { k.assets.emplace_back(asset.id, asset.weight); });
  store::CveCatalog::ForEachMapping(txn, [&](const model::CveMapping& mapping) {
    if (model::IsScored(mapping.type)) {
      k.scored.emplace_back(mapping.cve, mapping.technique);
    } else {
      k.known.push_back(mapping.cve);
    }
  });
  store::CveCatalog::ForEachKev(txn, [&](const model::KevEntry& entry) { k.kev.push_back(entry); });
  return k;
}

ExposureHistory PointsWithExposure(Scorer& scorer, const DefenseGraph& graph, const Scope& scope,
                                   const store::ReadTxn& txn, std::optional<TimeMs> from, std::optional<TimeMs> to) {
  ExposureHistory out;
  out.points = scorer.History(scope, from, to);
  Knowledge knowledge = Read(txn);
  if (knowledge.findings.empty()) {
    for (const auto& point : out.points) out.exposure.push_back(point.resilience ? std::optional<double>(0) : std::nullopt);
    return out;
  }
  // The days on which a finding opens or closes, within the range, that are not points yet.
  std::set<TimeMs> days;
  TimeMs first_day = from ? StartOfDay(*from) : INT64_MIN;
  auto add_day = [&](TimeMs time) {
    TimeMs day = StartOfDay(time);
    if (day >= first_day && (!to || day <= *to)) days.insert(day);
  };
  for (const auto& f : knowledge.findings) {
    add_day(f.first_seen);
    if (f.fixed) add_day(*f.fixed);
  }
  for (const auto& point : out.points) days.erase(point.date);
  for (TimeMs day : days) {
    HistoryPoint point;
    point.date = day;
    for (size_t idx : scope.incidents) point.incidents += graph.incidents()[idx].CountsAt(EndOfDay(day));
    out.points.push_back(point);
  }
  std::sort(out.points.begin(), out.points.end(), [](const HistoryPoint& a, const HistoryPoint& b) { return a.date < b.date; });
  // The times at which some finding opens or closes: between two points without one, the open
  // findings (and so the shares) are the same and the previous exposure is reused.
  std::vector<TimeMs> events;
  for (const auto& f : knowledge.findings) {
    events.push_back(f.first_seen);
    if (f.fixed) events.push_back(*f.fixed);
  }
  std::sort(events.begin(), events.end());
  // Oldest first, with a Scorer of its own (the caller's has swept to the end already).
  Scorer sweep(graph);
  std::optional<VulnerabilityExposure> vx;
  for (auto& point : out.points) {
    TimeMs tau = EndOfDay(point.date);
    Evaluation ev = sweep.Evaluate(scope, tau, EvaluateOptions{.details = false});
    if (days.count(point.date)) point.resilience = ev.resilience;
    bool changed = !vx || std::upper_bound(events.begin(), events.end(), vx->tau()) !=
                              std::upper_bound(events.begin(), events.end(), tau);
    if (changed) vx.emplace(knowledge.At(tau));
    out.exposure.push_back(vx->Exposure(VulnerabilityExposure::ScopeTechniques(ev, graph)));
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
