// The one-file HTML report of a scope for people who never open a terminal: resilience now
// and its history (inline SVG), exposures by tactic, recommendations with impact bars, the
// incidents. Self-contained: inline CSS, no script, no network fetch; every string escaped.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/model/incident.h"
#include "engine/scoring/scorer.h"

namespace tidemark::report {

// `incidents`: the records to list (the caller loads titles; at most a few hundred).
std::string HtmlReport(const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                       const std::vector<scoring::HistoryPoint>& history,
                       const std::vector<model::Incident>& incidents, size_t incidents_total);

}  // namespace tidemark::report
