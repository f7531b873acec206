// What changed between two dates (SPEC v2 §4 `tidemark changes`): for `all` and every threat
// with counted incidents, resilience (and, for `all`, the posture score) at both dates with
// the delta; controls whose state changed; techniques of `all` whose status changed;
// recommendations of `all` that appeared or disappeared; incidents counted in between.
// Field names of the JSON are documented in docs/changes.md and fixed.
//
// Every figure comes from the scoring API (Scorer::Evaluate/Resilience, PostureScorer,
// PostureOf): this file only compares two evaluations. The graph must hold every posture
// record and every incident (LoadGraph with PostureLoad::kAll and IncidentLoad::kAll), and
// outlive the result. Not thread-safe (a Scorer caches).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/scoring/posture_score.h"
#include "engine/scoring/scorer.h"
#include "engine/scoring/vulnerability_exposure.h"

namespace tidemark::report {

struct ScopeChange {
  scoring::ScopeKind kind = scoring::ScopeKind::kAll;
  std::string id;
  std::string name;
  std::optional<double> resilience_from, resilience_to;
  size_t incidents_from = 0, incidents_to = 0;
  // `all` only: the posture score (S) at both dates.
  std::optional<double> posture_score_from, posture_score_to;
  // VE(θ) at both dates (SPEC v2 §3), when vulnerability exposure was given.
  std::optional<double> vulnerability_exposure_from, vulnerability_exposure_to;
};

struct ControlChange {
  graph::Vertex control;
  scoring::PostureAt from, to;
};

struct TechniqueChange {
  graph::Vertex technique;
  std::optional<std::string> status_from;  // nullopt: not a technique of `all` at `from`
  std::optional<std::string> status_to;    // nullopt: no longer one at `to`
  double coverage_from = 0, coverage_to = 0;
};

struct Changes {
  TimeMs from = 0, to = 0;
  std::vector<ScopeChange> scopes;  // `all` first, then threats by id
  std::vector<ControlChange> controls;  // by control id
  std::vector<TechniqueChange> techniques;  // by technique id
  std::vector<scoring::Recommendation> appeared;     // at `to`, SPEC order
  std::vector<scoring::Recommendation> disappeared;  // at `from`, SPEC order
  std::vector<size_t> incidents;  // indexes into graph.incidents(): counted at `to`, time in (from, to], by time then id
  bool has_vulnerabilities = false;  // scopes carry VE (CompareDates was given it)
};

// Vulnerability exposure at `from` and at `to` (VulnerabilityExposure::Load at each date).
struct ExposureAt {
  const scoring::VulnerabilityExposure* from = nullptr;
  const scoring::VulnerabilityExposure* to = nullptr;
};

// Compares the organisation at `from` and at `to` (from < to; equal dates give no change).
// With `exposure` (both set, loaded at those dates), every scope also carries VE at both dates.
Changes CompareDates(const graph::DefenseGraph& graph, TimeMs from, TimeMs to, ExposureAt exposure = {});

std::string ChangesJson(const graph::DefenseGraph& graph, const Changes& changes);
std::string ChangesText(const graph::DefenseGraph& graph, const Changes& changes);

}  // namespace tidemark::report
