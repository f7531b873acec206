#include "engine/scoring/scorer.h"

#include "engine/scoring/recommendation_order.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <unordered_set>

#include "engine/scoring/recommendation_order.h"

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
    for (std::string_view id : graph.incidents()[idx].unknown_techniques) unknown.emplace(id);
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
    scope.base_techniques.assign(info.techniques.begin(), info.techniques.end());
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

Scorer::Scorer(const DefenseGraph& graph) : graph_(graph) {
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
  TechniqueState& state = states_[technique];
  if (state.valid && state.tau == tau) return state;
  const auto& reaches = ControlsOf(technique);
  const store::EvidenceList* uses = graph_.EvidenceOf(technique);
  state.factors.clear();
  state.factors.reserve(reaches.size());
  state.product = 1;
  state.zeros = 0;
  state.any_counted = false;
  for (size_t k = 0; k < reaches.size(); ++k) {
    const auto& reach = reaches[k];
    if (!Counts(reach)) continue;
    state.any_counted = true;
    const PostureAtTau& posture = Posture(reach.control, tau);
    double baseline = uses ? Evidence::Baseline(graph_.control_info(reach.control).posture, *uses, tau) : 0.0;
    Factor f;
    f.control = reach.control;
    f.control_index = static_cast<uint32_t>(graph_.props(reach.control).data);
    f.reach = k;
    f.via = reach.via;
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
  state.rises.clear();
  state.factor_controls.clear();
  state.factor_ranks.clear();
  const auto& rank = ControlRanks();
  for (const Factor& f : state.factors) {
    state.factor_controls.push_back(f.control_index);
    state.factor_ranks.push_back(rank[f.control_index]);
    if (f.status == model::ControlStatus::kRiskAccepted) continue;
    double rise = RiseOf(state, f);
    if (rise > 0) state.rises.push_back(TechniqueState::Rise{f.control_index, rise});
  }
  state.ranks_ascend = std::adjacent_find(state.factor_ranks.begin(), state.factor_ranks.end(),
                                          std::greater_equal<uint32_t>()) == state.factor_ranks.end();
  state.factor_at.clear();
  size_t control_count = graph_.control_vertices().size();
  if (state.ranks_ascend && state.factors.size() * 16 >= control_count) {  // ascending ranks: one factor per control
    state.factor_at.assign(control_count, kNoSlot);
    for (size_t k = 0; k < state.factor_controls.size(); ++k) state.factor_at[state.factor_controls[k]] = static_cast<uint32_t>(k);
  }
  state.tau = tau;
  state.valid = true;
  return state;
}

// impl(c) = 1 makes impl* = 1 − β: the factor falls to 1 − s·(1 − β). Coverage rises by
// (product of the other factors) × (old factor − new factor), and not at all when another
// factor is already 0.
double Scorer::RiseOf(const TechniqueState& state, const Factor& f) {
  double raised_factor = std::max(0.0, 1.0 - f.strength * std::max(0.0, 1.0 - f.baseline));
  if (raised_factor >= f.factor || state.zeros > 0) return 0.0;
  double others = state.product / f.factor;
  return others * (f.factor - raised_factor);
}

std::string_view Scorer::Status(const TechniqueState& state) {
  if (!state.any_counted) return "no-control";
  if (state.coverage <= 0.0) return "exposed";
  if (state.zeros > 0 || state.coverage >= 1.0 - 1e-12) return "mitigated";
  return "partial";
}

Scorer::Weighted Scorer::Weigh(const Scope& scope, TimeMs tau, bool count_assets) {
  // Dense per-vertex weights (reset after use: a batch run weighs tens of thousands of scopes).
  weight_.resize(boost::num_vertices(graph_.graph()), 0.0);
  std::vector<Vertex> present;
  auto touch = [&](Vertex t) {
    if (weight_[t] == 0.0) {
      weight_[t] = 1.0;
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
      weight_[t] += info.asset_weight;
    }
  }
  std::sort(present.begin(), present.end(),
            [this](Vertex a, Vertex b) { return graph_.props(a).id < graph_.props(b).id; });
  out.techniques.reserve(present.size());
  for (Vertex t : present) {
    out.techniques.emplace_back(t, weight_[t]);
    weight_[t] = 0.0;
  }
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
      const store::EvidenceList* list = graph_.EvidenceOf(t);
      row.succeeded_count = list ? Evidence::Count(*list, tau) : 0;
      bool uses = row.succeeded_count > 0;
      if (uses) Evidence::FirstIncidents(*list, tau, kListedIncidents, row.succeeded_in);
      const auto& reaches = ControlsOf(t);
      row.controls.reserve(reaches.size());
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
  Recommend(ev, weighted, options.max_recommendations);
  if (options.details) {
    FindGaps(ev, weighted);
    FindValidations(ev, weighted);
  }
  return ev;
}

void Scorer::AccumulateGains(const Weighted& weighted, TimeMs tau) {
  gain_.resize(graph_.control_vertices().size(), 0.0);
  size_t reach = 0;
  for (const auto& weighted_technique : weighted.techniques) reach += StateAt(weighted_technique.first, tau).rises.size();
  touched_.resize(reach);
  size_t touched = 0;
  for (const auto& [t, w] : weighted.techniques) {
    const TechniqueState& state = StateAt(t, tau);
    for (const TechniqueState::Rise& rise : state.rises) {
      double& gain = gain_[rise.control_index];
      // rise > 0 and w >= 1, so a gain met once is never 0 again: 0 marks "not met yet".
      // Without a branch: whether a control was met before is unpredictable.
      touched_[touched] = rise.control_index;
      touched += gain == 0.0 ? 1 : 0;
      gain += w * rise.rise;
    }
  }
  touched_.resize(touched);
}

std::vector<Scorer::Ranked> Scorer::RankAll(const Evaluation& ev, const Weighted& weighted, size_t limit) {
  AccumulateGains(weighted, ev.tau);
  const auto& rank = ControlRanks();
  std::vector<Ranked> all;
  std::vector<RankedImpact> ranked;
  all.reserve(touched_.size());
  ranked.reserve(touched_.size());
  for (uint32_t control_index : touched_) {
    double impact = 100.0 * gain_[control_index] / ev.total_weight;
    gain_[control_index] = 0.0;
    if (impact <= kImpactEpsilon) continue;
    all.push_back(Ranked{control_index, impact});
    ranked.push_back(RankedImpact{impact, rank[control_index]});
  }
  touched_.clear();
  std::vector<Ranked> out;
  for (uint32_t idx : SpecOrder(ranked, limit)) out.push_back(all[idx]);
  return out;
}

std::vector<Scorer::Ranked> Scorer::RankTop(const Evaluation& ev, const Weighted& weighted, size_t limit) {
  AccumulateGains(weighted, ev.tau);
  const auto& rank = ControlRanks();
  // One pass over the gains: a heap of the `limit` largest impacts so far, and every impact not
  // below the smallest of them minus kTopMargin (the smallest only grows, so whatever is left out
  // or dropped lies below the final bound).
  auto larger = [](double a, double b) { return a > b; };
  std::vector<double> top;
  top.reserve(limit);
  std::vector<Ranked> kept;
  std::vector<RankedImpact> ranked;
  double bound = -std::numeric_limits<double>::infinity();
  // A gain whose gain · (100 / Σw) lies below skip_below has an impact below the bound (the two
  // roundings differ by a few ulps; the slack covers them), so most gains skip the division.
  // Such a gain counts as recommended, though it may not be: `recommended` may only over-count.
  const double scale = 100.0 / ev.total_weight;
  double skip_below = bound;
  size_t recommended = 0;
  size_t compact_at = 2 * limit + 64;
  for (uint32_t control_index : touched_) {
    double gain = gain_[control_index];
    gain_[control_index] = 0.0;
    if (gain * scale < skip_below) {
      ++recommended;
      continue;
    }
    double impact = 100.0 * gain / ev.total_weight;
    if (impact <= kImpactEpsilon) continue;
    ++recommended;
    if (top.size() < limit) {
      top.push_back(impact);
      std::push_heap(top.begin(), top.end(), larger);
    } else if (impact > top.front()) {
      std::pop_heap(top.begin(), top.end(), larger);
      top.back() = impact;
      std::push_heap(top.begin(), top.end(), larger);
    }
    if (top.size() == limit) {
      bound = top.front() - kTopMargin;
      skip_below = bound - std::abs(bound) * 1e-12 - 1e-300;
    }
    if (impact < bound) continue;
    kept.push_back(Ranked{control_index, impact});
    ranked.push_back(RankedImpact{impact, rank[control_index]});
    if (kept.size() >= compact_at) {
      size_t out = 0;
      for (size_t k = 0; k < kept.size(); ++k) {
        if (kept[k].impact < bound) continue;
        kept[out] = kept[k];
        ranked[out] = ranked[k];
        ++out;
      }
      kept.resize(out);
      ranked.resize(out);
      compact_at = std::max(compact_at, 2 * out);
    }
  }
  touched_.clear();
  std::optional<std::vector<uint32_t>> order;
  if (kept.size() == recommended) {
    order = SpecOrder(ranked, limit);  // every recommendation is here
  } else {
    order = SpecOrderAbove(ranked, limit, bound);
  }
  // Near-equal impacts chaining down past the bound, or not transitive: the whole list decides.
  if (!order) return RankAll(ev, weighted, limit);
  std::vector<Ranked> out;
  out.reserve(order->size());
  for (uint32_t idx : *order) out.push_back(kept[idx]);
  return out;
}

void Scorer::Recommend(Evaluation& ev, const Weighted& weighted, size_t limit) {
  if (ev.total_weight <= 0) return;
  // The recommended controls (impact > 0) in SPEC order, from per-control gains accumulated
  // in a dense table (reset after use), so a scope costs O(its reach) whatever the size of the
  // catalog; with a limit, only the impacts near the top are kept and sorted.
  std::vector<Ranked> listed = limit > 0 ? RankTop(ev, weighted, limit) : RankAll(ev, weighted, 0);
  const auto& rank = ControlRanks();
  slot_.resize(graph_.control_vertices().size(), kNoSlot);
  ev.recommendations.reserve(listed.size());
  std::vector<uint32_t> listed_ranks;
  listed_ranks.reserve(listed.size());
  for (const Ranked& r : listed) {
    Recommendation rec;
    rec.control = Vertex{};  // set below, from its first factor
    rec.impact = r.impact;
    slot_[r.control_index] = static_cast<uint32_t>(ev.recommendations.size());
    ev.recommendations.push_back(std::move(rec));
    listed_ranks.push_back(rank[r.control_index]);
  }
  if (ev.recommendations.empty()) return;
  // The control, its posture (from its first factor), what it reaches and raises. Per scope
  // technique, the listed controls' factors: found by rank when few are listed (a batch run's
  // top K among a technique's hundreds of factors), else by a scan of every factor.
  std::vector<bool> seen(ev.recommendations.size(), false);
  std::sort(listed_ranks.begin(), listed_ranks.end());
  for (const auto& weighted_technique : weighted.techniques) {
    Vertex t = weighted_technique.first;  // a plain variable: clang 14 lambdas cannot capture bindings
    const TechniqueState& state = StateAt(t, ev.tau);
    auto add = [&](size_t factor_idx) {
      uint32_t slot = slot_[state.factor_controls[factor_idx]];
      if (slot == kNoSlot) return;
      const Factor& f = state.factors[factor_idx];
      if (f.status == model::ControlStatus::kRiskAccepted) return;
      Recommendation& rec = ev.recommendations[slot];
      if (!seen[slot]) {
        seen[slot] = true;
        rec.control = f.control;
        rec.implemented = f.implemented;
        rec.status = f.status;
        const auto& control = graph_.control_info(rec.control).control;
        rec.points_gain = control.max_points.value_or(0.0) * (1.0 - rec.implemented);
        if (total_max_points_ > 0) rec.score_gain = 100.0 * rec.points_gain / total_max_points_;
      }
      rec.reaches.push_back(t);
      if (RiseOf(state, f) <= 0) return;
      rec.techniques.push_back(t);
      rec.paths.push_back(f.via);
    };
    if (!state.factor_at.empty() && listed.size() < state.factor_controls.size()) {
      for (const Ranked& r : listed) {
        uint32_t at = state.factor_at[r.control_index];
        if (at != kNoSlot) add(at);
      }
    } else if (state.ranks_ascend && listed_ranks.size() * 16 < state.factor_ranks.size()) {
      auto from = state.factor_ranks.begin();
      for (uint32_t listed : listed_ranks) {
        from = std::lower_bound(from, state.factor_ranks.end(), listed);
        if (from == state.factor_ranks.end()) break;
        if (*from == listed) add(static_cast<size_t>(from - state.factor_ranks.begin()));
      }
    } else {
      for (size_t factor_idx = 0; factor_idx < state.factor_controls.size(); ++factor_idx) add(factor_idx);
    }
  }
  for (const Ranked& r : listed) slot_[r.control_index] = kNoSlot;
}

bool Scorer::Recommends(const Scope& scope, Vertex control, TimeMs tau) {
  Weighted weighted = Weigh(scope, tau, false);
  double total = 0;
  for (const auto& weighted_technique : weighted.techniques) total += weighted_technique.second;
  if (total <= 0) return false;
  uint32_t control_index = static_cast<uint32_t>(graph_.props(control).data);
  uint32_t control_rank = ControlRanks()[control_index];
  // The same terms as AccumulateGains adds for this control, in the same order.
  double gain = 0;
  for (const auto& [t, w] : weighted.techniques) {
    const TechniqueState& state = StateAt(t, tau);
    size_t at = state.factor_controls.size();
    if (!state.factor_at.empty()) {
      if (state.factor_at[control_index] != kNoSlot) at = state.factor_at[control_index];
    } else if (state.ranks_ascend) {
      auto it = std::lower_bound(state.factor_ranks.begin(), state.factor_ranks.end(), control_rank);
      if (it != state.factor_ranks.end() && *it == control_rank) at = static_cast<size_t>(it - state.factor_ranks.begin());
    } else {
      at = static_cast<size_t>(std::find(state.factor_controls.begin(), state.factor_controls.end(), control_index) -
                               state.factor_controls.begin());
    }
    if (at == state.factor_controls.size()) continue;
    const Factor& f = state.factors[at];
    if (f.status == model::ControlStatus::kRiskAccepted) continue;
    double rise = RiseOf(state, f);
    if (rise > 0) gain += w * rise;
  }
  return 100.0 * gain / total > kImpactEpsilon;
}

const std::vector<uint32_t>& Scorer::ControlRanks() {
  const auto& controls = graph_.control_vertices();
  if (control_rank_.size() == controls.size()) return control_rank_;
  std::vector<Vertex> by_id = controls;
  std::sort(by_id.begin(), by_id.end(), [this](Vertex a, Vertex b) { return graph_.props(a).id < graph_.props(b).id; });
  control_rank_.assign(controls.size(), 0);
  for (size_t rank = 0; rank < by_id.size(); ++rank) control_rank_[graph_.props(by_id[rank]).data] = static_cast<uint32_t>(rank);
  return control_rank_;
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
  // Per control: the scope techniques with β > 0 (technique order), then its incidents. The
  // accumulators are found through the dense slot table (reset after use).
  slot_.resize(graph_.control_vertices().size(), kNoSlot);
  std::vector<uint32_t> control_indexes;
  for (const auto& [t, w] : weighted.techniques) {
    if (!graph_.EvidenceOf(t)) continue;
    const TechniqueState& state = StateAt(t, ev.tau);
    for (const Factor& f : state.factors) {
      if (f.baseline <= 0) continue;
      uint32_t& slot = slot_[f.control_index];
      if (slot == kNoSlot) {
        slot = static_cast<uint32_t>(ev.validations.size());
        control_indexes.push_back(f.control_index);
        ev.validations.push_back(Validation{f.control, {}, {}, false, 0.0});
      }
      Validation& v = ev.validations[slot];
      v.techniques.push_back(t);
      v.baseline = std::max(v.baseline, f.baseline);
    }
  }
  for (uint32_t control_index : control_indexes) slot_[control_index] = kNoSlot;
  std::vector<const store::EvidenceList*> lists;
  Evidence::InPlaceBatch batch(ev.tau, kListedIncidents);
  for (auto& v : ev.validations) {
    lists.clear();
    for (Vertex t : v.techniques) lists.push_back(graph_.EvidenceOf(t));
    batch.Add(graph_.control_info(v.control).posture, lists);
  }
  std::vector<std::string_view> first;
  for (size_t k = 0; k < ev.validations.size(); ++k) {
    first.clear();
    ev.validations[k].more_incidents = batch.First(k, first);
    ev.validations[k].incidents.assign(first.begin(), first.end());  // allocated to size
  }
  const auto& rank = ControlRanks();
  std::vector<uint32_t> order(ev.validations.size());
  for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return rank[control_indexes[a]] < rank[control_indexes[b]];
  });
  std::vector<Validation> sorted;
  sorted.reserve(order.size());
  for (uint32_t k : order) sorted.push_back(std::move(ev.validations[k]));
  ev.validations = std::move(sorted);
}

std::vector<HistoryPoint> Scorer::History(
    const Scope& scope, std::optional<TimeMs> from, std::optional<TimeMs> to, const std::vector<TimeMs>& extra_days,
    const std::function<void(const HistoryPoint&, const std::vector<WeightedTechnique>&)>& at_point) {
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
  days.insert(extra_days.begin(), extra_days.end());

  std::map<std::string_view, std::pair<Vertex, double>> weights;
  for (Vertex t : scope.base_techniques) weights.emplace(graph_.props(t).id, std::make_pair(t, 1.0));
  size_t next = 0, counted = 0;
  std::vector<HistoryPoint> points;
  for (TimeMs day : days) {
    TimeMs tau = EndOfDay(day);
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
    if (at_point) {
      std::vector<WeightedTechnique> techniques;
      techniques.reserve(weights.size());
      for (const auto& [id, entry] : weights) techniques.push_back({std::string(id), entry.second});
      at_point(point, techniques);
    }
    points.push_back(point);
  }
  return points;
}

}  // namespace tidemark::scoring
