#include "engine/scoring/scorer.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_set>

#include "engine/scoring/impact.h"

namespace tidemark::scoring {
namespace {

constexpr uint32_t kNoSlot = UINT32_MAX;

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
  scope.deprecated = props.deprecated;
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
  auto match = graph.FindThreat(text);
  if (!match) {
    return Status::NotFound("no incident, ATT&CK group/campaign/software or custom threat named \"" +
                            std::string(text) + "\" (try `tidemark search`, `tidemark threats`, `tidemark incidents`)");
  }
  Scope scope = ThreatScope(graph, match->threat);
  scope.revoked_from = match->revoked_from;
  return scope;
}

std::vector<Scope> AllThreatScopes(const DefenseGraph& graph) {
  std::vector<Scope> scopes;
  for (Vertex threat : graph.threat_vertices()) scopes.push_back(ThreatScope(graph, threat));
  return scopes;
}

bool ThreatInDomain(const DefenseGraph& graph, const Scope& scope, std::string_view domain) {
  std::string wanted(domain);
  if (wanted.find('-') == std::string::npos) wanted += "-attack";
  return std::any_of(scope.base_techniques.begin(), scope.base_techniques.end(),
                     [&](Vertex t) { return graph.props(t).domain == wanted; });
}

PostureAt PostureOf(const graph::ControlInfo& control, TimeMs tau) {
  model::ControlState state = model::StateAt(control.posture, tau);
  return PostureAt{state.implemented, state.status, state.has_record};
}

Scorer::Scorer(const DefenseGraph& graph) : graph_(graph), evidence_(graph) {
  for (Vertex control : graph.control_vertices()) {
    const auto& c = graph.control_info(control).control;
    double points = c.max_points.value_or(0.0);
    if (points > 0 && !c.deprecated) total_max_points_ += points;
  }
}

const Scorer::PostureAtTau& Scorer::Posture(Vertex control, TimeMs tau) {
  size_t count = graph_.control_vertices().size();
  if (tau != posture_tau_ || posture_.size() != count) {
    posture_.assign(count, {});
    posture_known_.assign(count, false);
    posture_tau_ = tau;
  }
  size_t idx = graph_.props(control).data;
  if (!posture_known_[idx]) {
    PostureAt posture = PostureOf(graph_.control_info(control), tau);
    posture_[idx] = {posture.implemented, posture.status};
    posture_known_[idx] = true;
  }
  return posture_[idx];
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

const Scorer::TechniqueState& Scorer::StateAt(Vertex technique, TimeMs tau) {
  evidence_.AdvanceTo(tau);
  TechniqueState& state = states_[technique];
  if (state.valid && state.tau == tau && state.generation == evidence_.generation()) return state;
  const auto& reaches = ControlsOf(technique);
  if (state.generation != evidence_.generation()) state.baselines.clear();
  state.generation = evidence_.generation();
  state.baselines.resize(reaches.size(), {0.0, 0});
  const Evidence::Uses* uses = evidence_.Of(technique);
  state.factors.clear();
  state.product = 1;
  state.zeros = 0;
  state.any_counted = false;
  for (size_t k = 0; k < reaches.size(); ++k) {
    const auto& reach = reaches[k];
    if (!Counts(reach)) continue;
    state.any_counted = true;
    const PostureAtTau& posture = Posture(reach.control, tau);
    auto& [baseline, read] = state.baselines[k];
    if (uses && read < uses->times.size()) {
      baseline = std::max(baseline, Evidence::Baseline(graph_.control_info(reach.control).posture, *uses, read));
      read = uses->times.size();
    }
    Factor f;
    f.control = reach.control;
    f.reach = k;
    f.strength = reach.strength;
    f.implemented = posture.implemented;
    f.status = posture.status;
    f.baseline = baseline;
    f.credited = std::max(0.0, posture.implemented - baseline);
    f.factor = std::max(0.0, 1.0 - reach.strength * f.credited);
    if (f.factor == 0.0) {
      ++state.zeros;
    } else {
      state.product *= f.factor;
    }
    state.factors.push_back(f);
  }
  state.coverage = state.zeros > 0 ? 1.0 : 1.0 - state.product;
  state.tau = tau;
  state.valid = true;
  return state;
}

std::string_view Scorer::Status(const TechniqueState& state) {
  if (!state.any_counted) return "no-control";
  if (state.coverage <= 0.0) return "exposed";
  if (state.zeros > 0 || state.coverage >= 1.0 - 1e-12) return "mitigated";
  return "partial";
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
    covered += w * StateAt(t, tau).coverage;
  }
  return 100.0 * covered / total;
}

Evaluation Scorer::Evaluate(const Scope& scope, TimeMs tau, const EvaluateOptions& options) {
  Evaluation ev;
  ev.scope = scope;
  ev.tau = tau;
  Weighted weighted = Weigh(scope, tau, true);
  ev.incidents = weighted.incidents;
  ev.affected_assets = weighted.affected_assets;
  double total = 0, covered = 0;
  ev.techniques.reserve(weighted.techniques.size());
  for (const auto& [t, w] : weighted.techniques) {
    const TechniqueState& state = StateAt(t, tau);
    TechniqueRow row;
    row.technique = t;
    row.weight = w;
    row.coverage = state.coverage;
    row.status = std::string(Status(state));
    if (options.details) {
      const Evidence::Uses* uses = evidence_.Of(t);
      if (uses) {
        row.succeeded_count = uses->incidents.size();
        const auto& by_incident = uses->ByIncident(graph_);
        size_t listed = std::min(kListedIncidents, by_incident.size());
        row.succeeded_in.reserve(listed);
        for (size_t k = 0; k < listed; ++k) row.succeeded_in.push_back(by_incident[k].first);
      }
      const auto& reaches = ControlsOf(t);
      size_t next_factor = 0;
      for (size_t k = 0; k < reaches.size(); ++k) {
        const auto& reach = reaches[k];
        const PostureAtTau& posture = Posture(reach.control, tau);
        ControlRow control_row{reach.control, reach.strength, posture.implemented, posture.status,
                               reach.type, reach.via, Counts(reach)};
        if (control_row.counted && uses) {
          const Factor& f = state.factors[next_factor];
          control_row.has_evidence = true;
          control_row.baseline = f.baseline;
          control_row.credited = f.credited;
        }
        if (control_row.counted) ++next_factor;
        row.controls.push_back(control_row);
      }
    }
    total += w;
    covered += w * state.coverage;
    ev.techniques.push_back(std::move(row));
  }
  ev.total_weight = total;
  if (total > 0) ev.resilience = 100.0 * covered / total;
  Recommend(ev, weighted);
  if (options.details) {
    FindGaps(ev, weighted);
    FindValidations(ev, weighted);
  }
  return ev;
}

void Scorer::Recommend(Evaluation& ev, const Weighted& weighted) {
  if (ev.total_weight <= 0) return;
  // One accumulator per control reached, found through a dense slot table (reset after use), so
  // a scope costs O(its reach) whatever the size of the catalog.
  std::vector<Recommendation> candidates;
  std::vector<double> gains;
  slot_.resize(graph_.control_vertices().size(), kNoSlot);
  for (const auto& [t, w] : weighted.techniques) {
    const TechniqueState& state = StateAt(t, ev.tau);
    for (const Factor& f : state.factors) {
      if (f.status == model::ControlStatus::kRiskAccepted) continue;
      uint32_t& slot = slot_[graph_.props(f.control).data];
      if (slot == kNoSlot) {
        slot = static_cast<uint32_t>(candidates.size());
        Recommendation rec;
        rec.control = f.control;
        rec.implemented = f.implemented;
        rec.status = f.status;
        candidates.push_back(std::move(rec));
        gains.push_back(0.0);
      }
      Recommendation& rec = candidates[slot];
      rec.reaches.push_back(t);
      // impl(c) = 1 makes impl* = 1 − β: the factor falls to 1 − s·(1 − β). Coverage rises by
      // (product of the other factors) × (old factor − new factor), and not at all when another
      // factor is already 0.
      double raised_factor = std::max(0.0, 1.0 - f.strength * std::max(0.0, 1.0 - f.baseline));
      if (raised_factor >= f.factor || state.zeros > 0) continue;
      double others = state.product / f.factor;
      double delta = others * (f.factor - raised_factor);
      if (delta <= 0) continue;
      gains[slot] += w * delta;
      rec.techniques.push_back(t);
      rec.paths.push_back(ControlsOf(t)[f.reach].via);
    }
  }
  for (const auto& rec : candidates) slot_[graph_.props(rec.control).data] = kNoSlot;
  for (size_t k = 0; k < candidates.size(); ++k) {
    Recommendation& rec = candidates[k];
    rec.impact = 100.0 * gains[k] / ev.total_weight;
    if (rec.impact <= kImpactEpsilon) continue;
    const auto& control = graph_.control_info(rec.control).control;
    rec.points_gain = control.max_points.value_or(0.0) * (1.0 - rec.implemented);
    if (total_max_points_ > 0) rec.score_gain = 100.0 * rec.points_gain / total_max_points_;
    ev.recommendations.push_back(std::move(rec));
  }
  std::sort(ev.recommendations.begin(), ev.recommendations.end(), [this](const Recommendation& a, const Recommendation& b) {
    return graph_.props(a.control).id < graph_.props(b.control).id;
  });
  // A stable sort on impact keeps id order among equal impacts (within 1e-9).
  std::stable_sort(ev.recommendations.begin(), ev.recommendations.end(),
                   [](const Recommendation& a, const Recommendation& b) { return a.impact > b.impact + kImpactEpsilon; });
}

double Scorer::JointImpact(const Evaluation& ev, const std::vector<Vertex>& controls) {
  if (ev.total_weight <= 0 || controls.empty()) return 0;
  std::unordered_set<Vertex> raised(controls.begin(), controls.end());
  double gain = 0;
  for (const auto& row : ev.techniques) {
    const TechniqueState& state = StateAt(row.technique, ev.tau);
    double product = 1;
    bool zero = false;
    for (const Factor& f : state.factors) {
      double factor = raised.count(f.control)
                          ? std::min(f.factor, std::max(0.0, 1.0 - f.strength * std::max(0.0, 1.0 - f.baseline)))
                          : f.factor;
      if (factor == 0.0) zero = true;
      product *= factor;
    }
    double coverage = zero ? 1.0 : 1.0 - product;
    gain += row.weight * (coverage - state.coverage);
  }
  return 100.0 * gain / ev.total_weight;
}

void Scorer::FindGaps(Evaluation& ev, const Weighted& weighted) {
  if (ev.total_weight <= 0) return;
  std::vector<Gap> gaps;
  std::vector<double> sums;
  std::unordered_map<Vertex, size_t> slot;
  for (const auto& [t, w] : weighted.techniques) {
    const TechniqueState& state = StateAt(t, ev.tau);
    double uncovered = state.zeros > 0 ? 0.0 : state.product;  // 1 − cov
    if (uncovered <= 0) continue;
    for (Vertex mitigation : graph_.MitigationsOf(t)) {
      auto [known, inserted] = mitigation_implemented_.try_emplace(mitigation, false);
      if (inserted) known->second = graph_.Implemented(mitigation);
      if (known->second) continue;
      auto [it, added] = slot.try_emplace(mitigation, gaps.size());
      if (added) {
        gaps.push_back(Gap{mitigation, 0.0, {}});
        sums.push_back(0.0);
      }
      Gap& gap = gaps[it->second];
      if (!gap.techniques.empty() && gap.techniques.back() == t) continue;  // a duplicate relationship
      gap.techniques.push_back(t);
      sums[it->second] += w * uncovered;
    }
  }
  for (size_t k = 0; k < gaps.size(); ++k) {
    gaps[k].impact = 100.0 * sums[k] / ev.total_weight;
    if (gaps[k].impact > kImpactEpsilon) ev.gaps.push_back(std::move(gaps[k]));
  }
  std::sort(ev.gaps.begin(), ev.gaps.end(),
            [this](const Gap& a, const Gap& b) { return graph_.props(a.mitigation).id < graph_.props(b.mitigation).id; });
  std::stable_sort(ev.gaps.begin(), ev.gaps.end(),
                   [](const Gap& a, const Gap& b) { return a.impact > b.impact + kImpactEpsilon; });
}

void Scorer::FindValidations(Evaluation& ev, const Weighted& weighted) {
  // Per control: the scope techniques with β > 0 (technique order), then its incidents.
  std::unordered_map<Vertex, size_t> slot;
  for (const auto& [t, w] : weighted.techniques) {
    if (!evidence_.Of(t)) continue;
    const TechniqueState& state = StateAt(t, ev.tau);
    for (const Factor& f : state.factors) {
      if (f.baseline <= 0) continue;
      auto [it, added] = slot.try_emplace(f.control, ev.validations.size());
      if (added) ev.validations.push_back(Validation{f.control, {}, {}, false, 0.0});
      Validation& v = ev.validations[it->second];
      v.techniques.push_back(t);
      v.baseline = std::max(v.baseline, f.baseline);
    }
  }
  const auto& rank = graph_.IdRanks();
  for (auto& v : ev.validations) {
    const auto& posture = graph_.control_info(v.control).posture;
    // One more than listed per technique: a technique that fills it means the union has more.
    for (Vertex t : v.techniques) {
      size_t before = v.incidents.size();
      evidence_.InPlaceFirst(posture, *evidence_.Of(t), kListedIncidents + 1, v.incidents);
      if (v.incidents.size() - before > kListedIncidents) v.more_incidents = true;
    }
    std::sort(v.incidents.begin(), v.incidents.end(), [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });
    v.incidents.erase(std::unique(v.incidents.begin(), v.incidents.end()), v.incidents.end());
    if (v.incidents.size() > kListedIncidents) {
      v.incidents.resize(kListedIncidents);
      v.more_incidents = true;
    }
  }
  std::sort(ev.validations.begin(), ev.validations.end(), [this](const Validation& a, const Validation& b) {
    return graph_.props(a.control).id < graph_.props(b.control).id;
  });
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
      covered += entry.second * StateAt(entry.first, tau).coverage;
    }
    if (total > 0) point.resilience = 100.0 * covered / total;
    points.push_back(point);
  }
  return points;
}

}  // namespace tidemark::scoring
