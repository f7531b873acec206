// The formulas of SPEC §3 and nothing else: implementation at τ, mapping strength over the
// strongest path with the parent fallback, coverage and technique status, scope weights with
// asset weights, resilience, control impact and the ordering of recommendations, history.
//
// A Scorer borrows a DefenseGraph (which must outlive it) and caches C(t) per technique, so one
// Scorer serves many evaluations (threat rankings, history points). Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/graph/defense_graph.h"
#include "engine/model/control.h"

namespace tidemark::scoring {

using graph::DefenseGraph;
using graph::Vertex;

enum class ScopeKind { kIncident, kGroup, kCampaign, kSoftware, kCustom, kAll };
std::string_view ScopeKindName(ScopeKind kind);

struct Scope {
  ScopeKind kind = ScopeKind::kAll;
  std::string id;
  std::string name;
  // Techniques in the scope whatever its incidents: an incident's own techniques, an ATT&CK
  // threat's `uses`. Empty for custom threats and `all`.
  std::vector<Vertex> base_techniques;
  // Indexes into graph.incidents(): the incident itself, the incidents attributed to the
  // threat, or all. Whether each counts at τ is decided per evaluation.
  std::vector<size_t> incidents;
  // Unknown technique IDs of the scope's incidents (never scored).
  std::vector<std::string> unknown_techniques;
};

// Builds a scope from what the user typed: "all", an incident id, an ATT&CK group, campaign
// or software ID, name or alias, or a custom threat name that incidents are attributed to.
// Incidents must already be in the graph. NotFound when nothing matches.
Result<Scope> ResolveScope(const DefenseGraph& graph, std::string_view text);
// Every threat with incidents or an ATT&CK profile.
std::vector<Scope> AllThreatScopes(const DefenseGraph& graph);

// impl(c, τ) and the status behind it (SPEC §3).
struct PostureAt {
  double implemented = 0;
  model::ControlStatus status = model::ControlStatus::kToAddress;
  bool has_record = false;
};
PostureAt PostureOf(const graph::ControlInfo& control, TimeMs tau);

struct ControlRow {
  Vertex control;
  double strength = 0;
  double implemented = 0;
  model::ControlStatus status = model::ControlStatus::kToAddress;
  model::MappingType type = model::MappingType::kProtect;
  std::string via;  // direct, mitigation:<M-ID>, parent
  bool counted = true;  // protect mappings count towards coverage; detect/respond are shown only
};

struct TechniqueRow {
  Vertex technique;
  std::string status;  // no-control, exposed, partial, mitigated
  double coverage = 0;
  double weight = 1;
  std::vector<ControlRow> controls;
};

struct Recommendation {
  Vertex control;
  double implemented = 0;
  model::ControlStatus status = model::ControlStatus::kToAddress;
  double impact = 0;
  std::vector<Vertex> techniques;  // the scope techniques it reaches (counted), by id
};

struct Evaluation {
  Scope scope;
  TimeMs tau = 0;
  std::optional<double> resilience;  // null when the scope has no known technique
  size_t incidents = 0;              // |I| at τ
  size_t affected_assets = 0;
  std::vector<TechniqueRow> techniques;  // by technique id
  std::vector<Recommendation> recommendations;  // SPEC order
};

struct HistoryPoint {
  TimeMs date = 0;  // start of the UTC day; evaluated at its end
  std::optional<double> resilience;
  size_t incidents = 0;
  bool posture_changed = false;
  bool incident_added = false;
};

class Scorer {
 public:
  explicit Scorer(const DefenseGraph& graph) : graph_(graph) {}

  // The full view of a scope at τ: technique rows, resilience, recommendations.
  Evaluation Evaluate(const Scope& scope, TimeMs tau);
  // R(θ, τ) only, without rows or recommendations (rankings, history). `technique_count`,
  // when given, receives |T_θ| at τ.
  std::optional<double> Resilience(const Scope& scope, TimeMs tau, size_t* technique_count = nullptr);
  // R at each date within [from, to] on which a posture snapshot or a counted incident of the
  // scope falls (SPEC §3 "History"), oldest first.
  std::vector<HistoryPoint> History(const Scope& scope, std::optional<TimeMs> from, std::optional<TimeMs> to);

  // C(t) with the parent fallback applied (rows say via "parent"); all mapping types.
  const std::vector<graph::Reach>& ControlsOf(Vertex technique);

 private:
  // T_θ and w_θ(t) at τ, techniques ordered by id.
  struct Weighted {
    std::vector<std::pair<Vertex, double>> techniques;
    size_t incidents = 0;
    size_t affected_assets = 0;
  };
  Weighted Weigh(const Scope& scope, TimeMs tau, bool count_assets);
  double Coverage(Vertex technique, TimeMs tau, std::optional<Vertex> forced_control);

  const DefenseGraph& graph_;
  std::unordered_map<Vertex, std::vector<graph::Reach>> reach_cache_;
  std::unordered_map<Vertex, PostureAt> posture_cache_;
  TimeMs posture_cache_tau_ = 0;
  PostureAt Posture(Vertex control, TimeMs tau);
};

}  // namespace tidemark::scoring
