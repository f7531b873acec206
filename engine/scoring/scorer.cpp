#include "engine/scoring/scorer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

namespace tidemark::scoring {
namespace {

constexpr double kImpactEpsilon = 1e-9;  // SPEC §3: impacts within 1e-9 are equal
constexpr TimeMs kDayMs = 86'400'000;

bool Counts(const graph::Reach& reach) { return reach.type == model::MappingType::kProtect; }

}  // namespace

std::string_view ScopeKindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kIncident: return "incident";
    case ScopeKind::kGroup: return "group";
    case ScopeKind::kCampaign: return "campaign";
    case ScopeKind::kSoftware: return "software";
    case ScopeKind::kCustom: return "custom";
    case ScopeKind::kAll: return "all";
  }
  return "all";
}

namespace {

void CollectUnknown(const DefenseGraph& graph, Scope& scope) {
  std::set<std::string> unknown;
  for (size_t idx : scope.incidents) {
    for (const auto& id : graph.incidents()[idx].unknown_techniques) unknown.insert(id);
  }
  scope.unknown_techniques.assign(unknown.begin(), unknown.end());
}

Scope ThreatScope(const DefenseGraph& graph, Vertex threat) {
  const auto& props = graph.props(threat);
  Scope scope;
  scope.kind = props.threat_kind == "group"      ? ScopeKind::kGroup
               : props.threat_kind == "campaign" ? ScopeKind::kCampaign
               : props.threat_kind == "software" ? ScopeKind::kSoftware
                                                 : ScopeKind::kCustom;
  scope.id = props.id;
  scope.name = props.name;
  scope.base_techniques = graph.TechniquesUsedBy(threat);
  scope.incidents = graph.IncidentsOf(threat);
  CollectUnknown(graph, scope);
  return scope;
}

}  // namespace

Result<Scope> ResolveScope(const DefenseGraph& graph, std::string_view text) {
  if (text == "all") {
    Scope scope;
    scope.kind = ScopeKind::kAll;
    scope.id = "all";
    scope.name = "All incidents";
    for (size_t idx = 0; idx < graph.incidents().size(); ++idx) scope.incidents.push_back(idx);
    CollectUnknown(graph, scope);
    return scope;
  }
  if (auto idx = graph.IncidentIndex(text)) {
    Scope scope;
    scope.kind = ScopeKind::kIncident;
    scope.id = std::string(text);
    const auto& info = graph.incidents()[*idx];
    scope.name = info.record ? info.record->title : "";
    scope.base_techniques = info.techniques;
    std::sort(scope.base_techniques.begin(), scope.base_techniques.end(),
              [&](Vertex a, Vertex b) { return graph.props(a).id < graph.props(b).id; });
    scope.incidents = {*idx};
    CollectUnknown(graph, scope);
    return scope;
  }
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::optional<Vertex> threat = graph.Threat(upper);
  if (!threat || graph.props(*threat).threat_kind == "custom") {
    if (auto id = graph.ThreatIdByName(text)) threat = graph.Threat(*id);
  }
  if (!threat) threat = graph.Threat(text);  // a custom threat, by its exact name
  if (!threat) {
    return Status::NotFound("no incident, ATT&CK group/campaign/software or custom threat named \"" +
                            std::string(text) + "\" (try `tidemark search`, `tidemark threats`, `tidemark incidents`)");
  }
  return ThreatScope(graph, *threat);
}

std::vector<Scope> AllThreatScopes(const DefenseGraph& graph) {
  std::vector<Scope> scopes;
  for (Vertex threat : graph.threat_vertices()) scopes.push_back(ThreatScope(graph, threat));
  return scopes;
}

PostureAt PostureOf(const graph::ControlInfo& control, TimeMs tau) {
  PostureAt out;
  // Records are in as_of order: the last one at or before τ holds.
  auto it = std::upper_bound(control.posture.begin(), control.posture.end(), tau,
                             [](TimeMs t, const model::PostureRecord& r) { return t < r.as_of; });
  if (it == control.posture.begin()) return out;
  --it;
  out.has_record = true;
  out.status = it->status;
  out.implemented = model::ImplementedFraction(*it);
  return out;
}

PostureAt Scorer::Posture(Vertex control, TimeMs tau) {
  if (tau != posture_cache_tau_) {
    posture_cache_.clear();
    posture_cache_tau_ = tau;
  }
  auto it = posture_cache_.find(control);
  if (it != posture_cache_.end()) return it->second;
  PostureAt posture = PostureOf(graph_.control_info(control), tau);
  posture_cache_.emplace(control, posture);
  return posture;
}

const std::vector<graph::Reach>& Scorer::ControlsOf(Vertex technique) {
  auto it = reach_cache_.find(technique);
  if (it != reach_cache_.end()) return it->second;
  std::vector<graph::Reach> reaches = graph_.ControlsOf(technique);
  bool any_counted = std::any_of(reaches.begin(), reaches.end(), Counts);
  if (!any_counted) {
    if (auto parent = graph_.Parent(technique)) {
      for (auto reach : graph_.ControlsOf(*parent)) {
        if (!Counts(reach)) continue;
        reach.via = "parent";
        reaches.push_back(std::move(reach));
      }
      std::stable_sort(reaches.begin(), reaches.end(), [this](const graph::Reach& a, const graph::Reach& b) {
        return graph_.props(a.control).id < graph_.props(b.control).id;
      });
    }
  }
  return reach_cache_.emplace(technique, std::move(reaches)).first->second;
}

double Scorer::Coverage(Vertex technique, TimeMs tau, std::optional<Vertex> forced_control) {
  double uncovered = 1.0;
  for (const auto& reach : ControlsOf(technique)) {
    if (!Counts(reach)) continue;
    double impl = forced_control && *forced_control == reach.control ? 1.0 : Posture(reach.control, tau).implemented;
    uncovered *= 1.0 - reach.strength * impl;
  }
  return 1.0 - uncovered;
}

Scorer::Weighted Scorer::Weigh(const Scope& scope, TimeMs tau, bool count_assets) {
  // Dense per-vertex weights: technique vertices are the first few thousand of the graph.
  std::vector<double> weight(boost::num_vertices(graph_.graph()), 0.0);
  std::vector<Vertex> present;
  auto touch = [&](Vertex t) {
    if (weight[t] == 0.0) {
      weight[t] = 1.0;
      present.push_back(t);
    }
  };
  for (Vertex t : scope.base_techniques) touch(t);
  Weighted out;
  std::vector<bool> asset_seen(count_assets ? graph_.asset_ids().size() : 0, false);
  for (size_t idx : scope.incidents) {
    const auto& info = graph_.incidents()[idx];
    if (!info.CountsAt(tau)) continue;
    ++out.incidents;
    if (count_assets) {
      for (uint32_t asset : info.assets) {
        if (!asset_seen[asset]) {
          asset_seen[asset] = true;
          ++out.affected_assets;
        }
      }
    }
    for (Vertex t : info.techniques) {
      touch(t);
      weight[t] += info.asset_weight;
    }
  }
  std::sort(present.begin(), present.end(),
            [this](Vertex a, Vertex b) { return graph_.props(a).id < graph_.props(b).id; });
  out.techniques.reserve(present.size());
  for (Vertex t : present) out.techniques.emplace_back(t, weight[t]);
  return out;
}

std::optional<double> Scorer::Resilience(const Scope& scope, TimeMs tau, size_t* technique_count) {
  Weighted weighted = Weigh(scope, tau, false);
  if (technique_count) *technique_count = weighted.techniques.size();
  if (weighted.techniques.empty()) return std::nullopt;
  double total = 0, covered = 0;
  for (const auto& [t, w] : weighted.techniques) {
    total += w;
    covered += w * Coverage(t, tau, std::nullopt);
  }
  return 100.0 * covered / total;
}

Evaluation Scorer::Evaluate(const Scope& scope, TimeMs tau) {
  Evaluation ev;
  ev.scope = scope;
  ev.tau = tau;
  Weighted weighted = Weigh(scope, tau, true);
  ev.incidents = weighted.incidents;
  ev.affected_assets = weighted.affected_assets;
  double total = 0, covered = 0;
  std::map<std::string_view, Vertex> candidates;  // controls reaching a scope technique, by id
  for (const auto& [t, w] : weighted.techniques) {
    TechniqueRow row;
    row.technique = t;
    row.weight = w;
    bool any_counted = false;
    for (const auto& reach : ControlsOf(t)) {
      PostureAt posture = Posture(reach.control, tau);
      ControlRow control_row{reach.control, reach.strength, posture.implemented, posture.status,
                             reach.type, reach.via, Counts(reach)};
      if (control_row.counted) {
        any_counted = true;
        candidates.emplace(graph_.props(reach.control).id, reach.control);
      }
      row.controls.push_back(std::move(control_row));
    }
    row.coverage = Coverage(t, tau, std::nullopt);
    row.status = !any_counted ? "no-control"
                 : row.coverage <= 0.0 ? "exposed"
                 : row.coverage >= 1.0 - 1e-12 ? "mitigated"
                                              : "partial";
    total += w;
    covered += w * row.coverage;
    ev.techniques.push_back(std::move(row));
  }
  if (total > 0) ev.resilience = 100.0 * covered / total;

  // impact(c) = R with impl(c) = 1, minus R: only the techniques c reaches change.
  for (const auto& candidate : candidates) {
    Vertex control = candidate.second;  // not a structured binding: lambdas capture it below
    PostureAt posture = Posture(control, tau);
    if (posture.status == model::ControlStatus::kRiskAccepted) continue;
    double gain = 0;
    std::vector<Vertex> reached;
    for (const auto& row : ev.techniques) {
      bool reaches = std::any_of(row.controls.begin(), row.controls.end(),
                                 [&](const ControlRow& r) { return r.counted && r.control == control; });
      if (!reaches) continue;
      reached.push_back(row.technique);
      gain += row.weight * (Coverage(row.technique, tau, control) - row.coverage);
    }
    double impact = total > 0 ? 100.0 * gain / total : 0;
    if (impact <= kImpactEpsilon) continue;
    ev.recommendations.push_back({control, posture.implemented, posture.status, impact, std::move(reached)});
  }
  // Candidates come in id order; a stable sort on impact keeps id order among equal impacts.
  std::stable_sort(ev.recommendations.begin(), ev.recommendations.end(),
                   [](const Recommendation& a, const Recommendation& b) { return a.impact > b.impact + kImpactEpsilon; });
  return ev;
}

std::vector<HistoryPoint> Scorer::History(const Scope& scope, std::optional<TimeMs> from, std::optional<TimeMs> to) {
  std::set<TimeMs> posture_days, incident_days;
  for (Vertex control : graph_.control_vertices()) {
    for (const auto& record : graph_.control_info(control).posture) posture_days.insert(StartOfDay(record.as_of));
  }
  // Counted incidents of the scope, by time, to sweep once over the dates.
  std::vector<std::pair<TimeMs, size_t>> timeline;
  for (size_t idx : scope.incidents) {
    const auto& incident = graph_.incidents()[idx];
    auto time = incident.Time();
    if (!time || !incident.CountsAt(*time)) continue;
    timeline.emplace_back(*time, idx);
    incident_days.insert(StartOfDay(*time));
  }
  std::sort(timeline.begin(), timeline.end());
  std::set<TimeMs> days = posture_days;
  days.insert(incident_days.begin(), incident_days.end());

  std::map<std::string_view, std::pair<Vertex, double>> weights;
  for (Vertex t : scope.base_techniques) weights.emplace(graph_.props(t).id, std::make_pair(t, 1.0));
  size_t next = 0, counted = 0;
  std::vector<HistoryPoint> points;
  for (TimeMs day : days) {
    TimeMs tau = day + kDayMs - 1;
    for (; next < timeline.size() && timeline[next].first <= tau; ++next) {
      const auto& info = graph_.incidents()[timeline[next].second];
      ++counted;
      for (Vertex v : info.techniques) {
        auto [entry, inserted] = weights.emplace(graph_.props(v).id, std::make_pair(v, 1.0));
        entry->second.second += info.asset_weight;
      }
    }
    if ((from && tau < *from) || (to && day > *to)) continue;
    HistoryPoint point;
    point.date = day;
    point.incidents = counted;
    point.posture_changed = posture_days.count(day) > 0;
    point.incident_added = incident_days.count(day) > 0;
    double total = 0, covered = 0;
    for (const auto& [id, entry] : weights) {
      total += entry.second;
      covered += entry.second * Coverage(entry.first, tau, std::nullopt);
    }
    if (total > 0) point.resilience = 100.0 * covered / total;
    points.push_back(point);
  }
  return points;
}

}  // namespace tidemark::scoring
