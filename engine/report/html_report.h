// The one-file HTML report of a scope for people who never open a terminal: resilience now
// and over time (inline SVG; for `all`, the most exposed threats seen in incidents beside it
// in one chart with a legend), exposures by tactic, what to fix first with licence and owner,
// why each fix helps (incident -> technique -> path -> control, the terminal's words),
// vulnerability exposure (VE beside resilience, never folded into it, and the patches that lower
// it, as `tidemark vulnerabilities` ranks them), the incidents. Technique IDs carry their names and link to attack.mitre.org. An empty scope says
// there is no data yet and how to add some. Self-contained: inline CSS, no script, no fetch
// (links are only followed when clicked); every string escaped. Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/model/incident.h"
#include "engine/scoring/scorer.h"
#include "engine/scoring/vulnerability_exposure.h"

namespace tidemark::report {

// One line of the chart: a scope's name and its resilience history.
struct ReportSeries {
  std::string name;
  std::vector<scoring::HistoryPoint> history;
};

// `series`: the scope's own history first, then the threats to compare it with (may be only
// the first). `incidents`: the records to list (the caller loads titles; at most a few
// hundred) of `incidents_total`. `ev` was completed by `vx`.Fill (VE, patches, known CVEs);
// `vx` gives the finding counts.
std::string HtmlReport(const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                       const std::vector<ReportSeries>& series, const std::vector<model::Incident>& incidents,
                       size_t incidents_total, const scoring::VulnerabilityExposure& vx);

// The ATT&CK page of a technique: T1059 -> https://attack.mitre.org/techniques/T1059/,
// T1059.001 -> https://attack.mitre.org/techniques/T1059/001/.
std::string AttackTechniqueUrl(const std::string& technique_id);

}  // namespace tidemark::report
