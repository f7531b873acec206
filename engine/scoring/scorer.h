// The formulas of SPEC §3 and nothing else: implementation at τ, mapping strength over the
// strongest path with the parent fallback, coverage and technique status, scope weights with
// asset weights, resilience, control impact and the ordering of recommendations, history.
//
// A Scorer borrows a DefenseGraph (which must outlive it) and caches C(t) and the state of each
// technique at τ, so one Scorer serves many evaluations (threat rankings, history points, a
// batch run). Evaluations hold views into the Scorer: use them while it lives. Not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/graph/defense_graph.h"
#include "engine/model/control.h"
#include "engine/scoring/patch.h"
#include "engine/scoring/evidence.h"

namespace tidemark::scoring {

using graph::DefenseGraph;
using graph::Vertex;

enum class ScopeKind { kIncident, kGroup, kCampaign, kSoftware, kCustom, kAll };
std::string_view ScopeKindName(ScopeKind kind);

struct Scope {
  ScopeKind kind = ScopeKind::kAll;
  std::string id;
  std::string name;
  std::string revoked_from;  // the revoked ATT&CK ID the user asked for, resolved to `id`
  bool deprecated = false;   // a deprecated ATT&CK threat: answers, flagged
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
// Whether a threat belongs to an ATT&CK domain ("enterprise", "mobile", "ics", or the STIX
// names "enterprise-attack", ...): one of the techniques of its profile is in that domain.
// A custom threat, or a profile with no technique, belongs to none.
bool ThreatInDomain(const DefenseGraph& graph, const Scope& scope, std::string_view domain);

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
  std::string_view via;  // direct, mitigation:<M-ID>, parent (a view into the Scorer's reach cache)
  bool counted = true;  // protect mappings count towards coverage; detect/respond are shown only
  // SPEC §3 "Evidence", on counted rows of a technique with evidence (has_evidence):
  // β(c, t, τ) and impl*(c, t, τ) = max(0, impl − β).
  bool has_evidence = false;
  double baseline = 0;
  double credited = 0;
};

// Incident lists in an evaluation (`succeeded_in`, a validation's incidents) name at most this
// many incidents, the first in id order, beside the exact count: with 100,000 incidents a
// technique can have succeeded in tens of thousands, and a scope lists thousands of controls.
constexpr size_t kListedIncidents = 100;

struct TechniqueRow {
  Vertex technique;
  std::string status;  // no-control, exposed, partial, mitigated
  double coverage = 0;
  double weight = 1;
  std::vector<ControlRow> controls;
  // B(t, τ): the incidents that show it succeeded, across the whole organisation: how many,
  // and the ids of the first kListedIncidents of them in id order.
  std::vector<std::string> succeeded_in;
  size_t succeeded_count = 0;
  // SPEC §3 "Vulnerability exposure", filled by the vulnerability module (absent until then).
  std::optional<size_t> vulnerable_assets;
  std::optional<double> vulnerability_share;
};

struct Recommendation {
  Vertex control;
  double implemented = 0;
  model::ControlStatus status = model::ControlStatus::kToAddress;
  double impact = 0;
  std::vector<Vertex> techniques;  // the scope techniques whose coverage impl = 1 raises, by id
  std::vector<std::string_view> paths;  // parallel to techniques: the `via` of its counted reach
  std::vector<Vertex> reaches;     // every scope technique the control is in C(t) of, by id
  double points_gain = 0;          // p(c) · (1 − impl(c, τ))
  std::optional<double> score_gain;  // 100 · points_gain / Σp (null when Σp = 0)
};

// An ATT&CK mitigation no catalog control implements (SPEC §3 "Gaps").
struct Gap {
  Vertex mitigation;
  double impact = 0;
  std::vector<Vertex> techniques;  // scope techniques with cov < 1 it mitigates, by id
};

// A control in place when a technique still succeeded (SPEC §3 "Validations").
struct Validation {
  Vertex control;
  std::vector<Vertex> techniques;   // scope techniques with β(c, t, τ) > 0, by id
  // The B(t, τ) incidents of those techniques with impl(c, b(i)) > 0: the ids of the first
  // kListedIncidents in id order (views into the graph's evidence lists: 5,000 controls list
  // 500,000 ids), and whether there are more.
  // (No exact count: a distinct count over thousands of controls costs seconds, measured.)
  std::vector<std::string_view> incidents;
  bool more_incidents = false;
  double baseline = 0;              // the largest β
};

struct Evaluation {
  Scope scope;
  TimeMs tau = 0;
  std::optional<double> resilience;  // null when the scope has no known technique
  size_t incidents = 0;              // |I| at τ
  size_t affected_assets = 0;
  double total_weight = 0;                     // Σ w(t) over T_θ
  std::vector<TechniqueRow> techniques;        // by technique id
  std::vector<Recommendation> recommendations;  // SPEC order
  std::vector<Gap> gaps;                        // SPEC order
  std::vector<Validation> validations;          // by control id
  std::optional<double> vulnerability_exposure;  // VE(θ, τ): filled by the vulnerability module
  std::vector<Patch> patches;                    // SPEC order; filled by the vulnerability module
  std::optional<std::vector<KnownCve>> known_cves;  // ATT&CK threat scopes only
};

// A technique of a scope's T_θ and its weight w_θ(t).
struct WeightedTechnique {
  std::string id;
  double weight = 1;
};

struct HistoryPoint {
  TimeMs date = 0;  // start of the UTC day; evaluated at its end
  std::optional<double> resilience;
  size_t incidents = 0;
  bool posture_changed = false;
  bool incident_added = false;
};

// What an evaluation computes beyond resilience and recommendations.
struct EvaluateOptions {
  // Technique rows with their control rows and `succeeded_in`, gaps and validations. Off for
  // callers that only need resilience and recommendations (a batch run over every incident).
  bool details = true;
  // When > 0, `recommendations` holds only the first this many, exactly as the whole list
  // would begin (a batch run keeps an incident's top K; SPEC v2 §4). 0: all of them.
  size_t max_recommendations = 0;
};

// The SPEC §3 formulas over a graph. Coverage does not depend on the scope (evidence is the
// whole organisation's), so the state of each technique at τ is computed once and shared by
// every scope evaluated at that τ; per technique the product of the non-zero factors
// (1 − s·impl*) and the count of zero factors are kept, so coverage with one control changed
// is O(1) and a scope's recommendations cost O(its reach).
//
// Needs every posture record of the controls involved (DefenseGraph built with posture, or
// LoadPostureOf) and the evidence of the techniques evaluated (DefenseGraph::LoadEvidence, which
// LoadIncidents does for all): baselines read the posture at each incident's creation.
class Scorer {
 public:
  explicit Scorer(const DefenseGraph& graph);

  // The full view of a scope at τ.
  Evaluation Evaluate(const Scope& scope, TimeMs tau, const EvaluateOptions& options = {});
  // R(θ, τ) only, without rows or recommendations (rankings, history). `technique_count`,
  // when given, receives |T_θ| at τ.
  std::optional<double> Resilience(const Scope& scope, TimeMs tau, size_t* technique_count = nullptr);
  // The rise of R(θ, τ) when every control of `controls` is set to impl 1 at once, baselines
  // unchanged (SPEC §3 grouped recommendations: joint, never a sum).
  double JointImpact(const Evaluation& ev, const std::vector<Vertex>& controls);
  // R at each date within [from, to] on which a posture snapshot or a counted incident of the
  // scope falls, or that `extra_days` (start-of-day times) names (SPEC §3 "History"), oldest
  // first. `at_point`, when set, is called at each point with T_θ and w_θ(t) at its τ, ordered
  // by technique id (what vulnerability exposure at that point needs).
  std::vector<HistoryPoint> History(
      const Scope& scope, std::optional<TimeMs> from, std::optional<TimeMs> to, const std::vector<TimeMs>& extra_days = {},
      const std::function<void(const HistoryPoint&, const std::vector<WeightedTechnique>&)>& at_point = {});

  // Whether Evaluate(scope, tau) would list `control` among its recommendations (impact > 0,
  // not risk-accepted), with the same bits of impact, in O(|T_θ| · log |C(t)|): a batch run asks
  // it of the items that left an incident's top K, instead of ranking the incident again.
  bool Recommends(const Scope& scope, Vertex control, TimeMs tau);

  // C(t) with the parent fallback applied (rows say via "parent"); all mapping types.
  const std::vector<graph::Reach>& ControlsOf(Vertex technique);
  // Σ p(c) over the controls with max_points > 0 that are not deprecated (SPEC §3 posture score).
  double TotalMaxPoints() const { return total_max_points_; }

 private:
  // One counted control of a technique at τ.
  struct Factor {
    Vertex control;
    uint32_t control_index = 0;  // graph.props(control).data: dense tables without a vertex lookup
    size_t reach = 0;  // index into ControlsOf(t)
    std::string_view via;  // ControlsOf(t)[reach].via (the reach cache owns it)
    double strength = 0;
    double implemented = 0;
    double baseline = 0;
    double credited = 0;
    double factor = 1;  // 1 − s · impl*
    model::ControlStatus status = model::ControlStatus::kToAddress;
  };
  struct TechniqueState {
    TimeMs tau = 0;
    bool valid = false;
    bool any_counted = false;
    double product = 1;   // Π of the non-zero factors
    uint32_t zeros = 0;   // how many factors are 0
    double coverage = 0;
    std::vector<Factor> factors;
    // The factors (not risk-accepted) whose impl = 1 would raise the coverage, with that rise:
    // what a scope's recommendation gains add up, compact.
    struct Rise {
      uint32_t control_index;
      double rise;
    };
    std::vector<Rise> rises;
    std::vector<uint32_t> factor_controls;  // factors[k].control_index: a dense array to scan
    // ControlRanks() of factors[k].control, and whether they ascend (factors follow C(t), which
    // is in control id order): a control's factor is then found by binary search.
    std::vector<uint32_t> factor_ranks;
    bool ranks_ascend = false;
    // Per control index: its factor's index, or UINT32_MAX; only for a technique that at least
    // 1/16 of the catalog reaches (a batch run looks its top K up there without a search).
    std::vector<uint32_t> factor_at;
  };
  // T_θ and w_θ(t) at τ, techniques ordered by id.
  struct Weighted {
    std::vector<std::pair<Vertex, double>> techniques;
    size_t incidents = 0;
    size_t affected_assets = 0;
  };
  Weighted Weigh(const Scope& scope, TimeMs tau, bool count_assets);
  const TechniqueState& StateAt(Vertex technique, TimeMs tau);
  // cov(t) with the given controls' factors replaced by their impl = 1 factor.
  double CoverageWith(const TechniqueState& state, const std::vector<bool>& raised_by_control_index) const;
  static std::string_view Status(const TechniqueState& state);
  // How much cov(t) rises when f's control is set to impl 1 (0 when it does not).
  static double RiseOf(const TechniqueState& state, const Factor& f);
  void Recommend(Evaluation& ev, const Weighted& weighted, size_t limit);
  // A recommended control (by ControlInfo index) and its impact.
  struct Ranked {
    uint32_t control_index;
    double impact;
  };
  // Σ w(t) · rise over the scope's techniques, per control, into gain_ (in technique order, so
  // every path adds the same terms in the same order and gets the same bits); the controls met
  // in touched_.
  void AccumulateGains(const Weighted& weighted, TimeMs tau);
  // The recommended controls in SPEC order: all of them or the first `limit` (RankAll), or the
  // first `limit` keeping only the impacts near the top as they come (RankTop, which falls back
  // to RankAll when those cannot decide). Both leave gain_ zeroed.
  std::vector<Ranked> RankAll(const Evaluation& ev, const Weighted& weighted, size_t limit);
  std::vector<Ranked> RankTop(const Evaluation& ev, const Weighted& weighted, size_t limit);
  // How far below the K-th largest impact RankTop still keeps impacts (100 times the tolerance):
  // near-equal impacts chaining further down make it rank the whole list.
  static constexpr double kTopMargin = 1e-7;
  // Ranks of the controls by id (per ControlInfo index), kept in step with the catalog.
  const std::vector<uint32_t>& ControlRanks();
  void FindGaps(Evaluation& ev, const Weighted& weighted);
  void FindValidations(Evaluation& ev, const Weighted& weighted);

  struct PostureAtTau {
    double implemented = 0;
    model::ControlStatus status = model::ControlStatus::kToAddress;
  };
  const PostureAtTau& Posture(Vertex control, TimeMs tau);

  const DefenseGraph& graph_;
  double total_max_points_ = 0;
  std::unordered_map<Vertex, std::vector<graph::Reach>> reach_cache_;
  std::unordered_map<Vertex, TechniqueState> states_;
  // Per control (by ControlInfo index): posture at posture_tau_.
  std::vector<PostureAtTau> posture_;
  std::vector<bool> posture_known_;
  TimeMs posture_tau_ = 0;
  // Whether some catalog control implements a mitigation (those that none does are gaps).
  std::unordered_map<Vertex, bool> mitigation_implemented_;
  // Per control index: its accumulator in the recommendation being built, or UINT32_MAX.
  std::vector<uint32_t> slot_;
  // Per control index: its gain in the scope being ranked (0 elsewhere; reset after use), and
  // the controls with a gain.
  std::vector<double> gain_;
  std::vector<uint32_t> touched_;
  std::vector<uint32_t> control_rank_;
  // Per vertex: w_θ(t) of the scope being weighed, 0 elsewhere (reset after use).
  std::vector<double> weight_;
};

}  // namespace tidemark::scoring
