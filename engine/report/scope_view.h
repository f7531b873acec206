// The "Exposures and mitigations" view of a scope (SPEC §4 "JSON of a scope"): JSON with the
// fixed field names, or aligned text for analysts in which every recommendation shows its path
// incident -> technique -> mitigation/mapping -> control. Also the threat ranking, the
// recommendations list with filters and groups, and resilience history (JSON, CSV, SVG).
// Stateless functions over a graph and evaluations; thread-compatible.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/report/line_chart.h"
#include "engine/scoring/scorer.h"

namespace tidemark::report {

// JSON of one evaluated scope, pretty-printed (2 spaces) with a final newline. For an
// incident scope, `incident` is its normalised record.
std::string ScopeJson(const graph::DefenseGraph& graph, const scoring::Evaluation& ev);
// The same document handed to `out` in pieces of about a megabyte, in order: `threat all` with
// 5,000 controls prints ~30 MB, which is then never held whole (nor copied, nor grown).
void WriteScopeJson(const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                    const std::function<void(std::string_view)>& out);
std::string ScopeText(const graph::DefenseGraph& graph, const scoring::Evaluation& ev);

struct ThreatRank {
  scoring::Scope scope;
  std::optional<double> resilience;
  std::optional<double> vulnerability_exposure;  // VE(θ, τ) (SPEC v2 §3); null without technique
  size_t incidents = 0;
  size_t techniques = 0;
};
// Threats with counted incidents first, then the others; within each, by exposure (100 - R,
// highest first; null R last), then by incidents, then id. `by_ve`: by vulnerability exposure
// first (highest first, null last), then as above.
void RankThreats(std::vector<ThreatRank>& ranks, bool by_ve = false);
// How many of a scope's incidents count at τ (SPEC §3 "Counted incidents").
size_t CountedIncidents(const graph::DefenseGraph& graph, const scoring::Scope& scope, TimeMs tau);
// The threats with counted incidents at τ, ranked by RankThreats: what `threats
// --observed-only` lists and the HTML report charts beside `all`.
std::vector<ThreatRank> ObservedThreats(const graph::DefenseGraph& graph, scoring::Scorer& scorer, TimeMs tau);
// `more`: ranked threats left out of `ranks` (the default view's cut; --all shows them).
std::string ThreatsJson(const std::vector<ThreatRank>& ranks, TimeMs tau, size_t more = 0);
// `by_ve`: ranked with RankThreats(by_ve = true), which the title says.
std::string ThreatsText(const std::vector<ThreatRank>& ranks, TimeMs tau, size_t more = 0, bool by_ve = false);

struct RecommendationFilter {
  std::string product, category, license, status, remediation_type;
  std::string owner;  // the control's owner, case-insensitive; empty = any
  // "impact" (SPEC order, the default) or "points" (points_gain descending, then SPEC order).
  std::string sort = "impact";
  bool Accepts(const model::Control& control, model::ControlStatus status) const;
};
// `group_by`: "", product, category, status or license. A group's impact is joint (every
// recommended control of the group at impl 1 at once), computed by `scorer`, which evaluated `ev`.
std::string RecommendationsJson(scoring::Scorer& scorer, const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                                const RecommendationFilter& filter, const std::string& group_by);
std::string RecommendationsText(scoring::Scorer& scorer, const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                                const RecommendationFilter& filter, const std::string& group_by);

// `posture_scores`, when given (the `all` scope), is S at each point (SPEC §3 "History"):
// JSON `posture_score` and a CSV column `posture_score`. `exposures`, when given, is VE at each
// point (SPEC v2 §3 "History"): JSON `vulnerability_exposure`, a last CSV column of that name.
std::string HistoryJson(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points,
                        const std::vector<std::optional<double>>* posture_scores = nullptr,
                        const std::vector<std::optional<double>>* exposures = nullptr);
std::string HistoryCsv(const std::vector<scoring::HistoryPoint>& points,
                       const std::vector<std::optional<double>>* posture_scores = nullptr,
                       const std::vector<std::optional<double>>* exposures = nullptr);
// The terminal table of a history: date, resilience, exposure, VE (`exposures`, may be null),
// incidents and what changed at each point, under "Resilience of <scope>".
std::string HistoryText(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points,
                        const std::vector<std::optional<double>>* exposures);
// A line chart of resilience over time: dates on the x axis, 0-100 on the y axis, a point
// where posture or incidents changed. Self-contained SVG; every text escaped.
std::string HistorySvg(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points);
// The points of a resilience history for LineChartSvg, tooltips saying what changed; with
// `mark_incidents`, dots where an incident was added are red and the others blue.
std::vector<ChartPoint> HistoryChartPoints(const std::vector<scoring::HistoryPoint>& points, bool mark_incidents);

// One step of a "why" path (scope -> technique -> path -> control) in the words of the
// technique rows' `via`: "direct", "mitigation:M1038", or "parent T1059" (the parent whose
// mapping reaches the sub-technique; "parent ?" if the graph has none).
std::string PathWord(const graph::DefenseGraph& graph, graph::Vertex technique, std::string_view via);

// Escapes &, <, >, " and ' for XML/HTML, and drops control characters.
std::string XmlEscape(std::string_view text);

}  // namespace tidemark::report
