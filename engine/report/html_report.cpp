#include "engine/report/html_report.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "engine/report/line_chart.h"
#include "engine/report/navigator.h"
#include "engine/report/number_format.h"
#include "engine/report/scope_view.h"
#include "engine/report/text_table.h"

namespace tidemark::report {
namespace {

using graph::DefenseGraph;
using graph::Vertex;

constexpr const char* kStyle = R"(
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1f2328;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;font-size:13px}.cards{display:flex;gap:16px;margin:16px 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;min-width:140px}
.card .v{font-size:28px;font-weight:600}.card .l{font-size:12px;color:#57606a;text-transform:uppercase}
.empty{border:1px solid #d4a72c;background:#fff8c5;border-radius:8px;padding:12px 16px;margin:16px 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}.bar{background:#1f6feb;height:10px;border-radius:3px;display:inline-block}
.pill{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px}
.num{text-align:right;white-space:nowrap}.nw{white-space:nowrap}a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
)";

// "T1059.001 PowerShell", the ID linked to its ATT&CK page.
std::string TechniqueLink(const DefenseGraph& graph, Vertex technique) {
  const auto& t = graph.props(technique);
  return "<span class=\"nw\"><a href=\"" + XmlEscape(AttackTechniqueUrl(t.id)) + "\">" + XmlEscape(t.id) + "</a></span> " +
         XmlEscape(t.name);
}

std::string TechniqueLinks(const DefenseGraph& graph, const std::vector<Vertex>& techniques, const char* separator) {
  std::string out;
  for (Vertex t : techniques) out += (out.empty() ? "" : separator) + TechniqueLink(graph, t);
  return out;
}

std::string ScopeLabel(const scoring::Scope& scope) {
  if (scope.kind == scoring::ScopeKind::kAll) return "all incidents";
  return std::string(scoring::ScopeKindName(scope.kind)) + " " + scope.id +
         (scope.name.empty() || scope.name == scope.id ? "" : " (" + scope.name + ")");
}

// The scope's counted incidents in which each technique was seen, by id: the first step of
// the "why" path.
std::map<Vertex, std::vector<std::string>> IncidentsByTechnique(const DefenseGraph& graph, const scoring::Evaluation& ev) {
  std::map<Vertex, std::vector<std::string>> seen;
  for (size_t idx : ev.scope.incidents) {
    const auto& info = graph.incidents()[idx];
    if (!info.CountsAt(ev.tau)) continue;
    for (Vertex t : info.techniques) seen[t].emplace_back(info.id);
  }
  for (auto& entry : seen) std::sort(entry.second.begin(), entry.second.end());
  return seen;
}

void Cards(std::string& h, const scoring::Evaluation& ev, const scoring::VulnerabilityExposure& vx) {
  auto card = [&h](const std::string& value, const std::string& label) {
    h += "<div class=\"card\"><div class=\"v\">" + value + "</div><div class=\"l\">" + label + "</div></div>";
  };
  h += "<div class=\"cards\">";
  card(ev.resilience ? FormatScore(ev.resilience) : "&ndash;", "resilience");
  card(ev.resilience ? FormatScore(100 - *ev.resilience) : "&ndash;", "exposure");
  // A second number beside R, never folded into it; only where findings are recorded (without
  // them VE would read 0, which is not known).
  if (vx.findings() > 0) {
    card(ev.vulnerability_exposure ? FormatScore(ev.vulnerability_exposure) : "&ndash;", "vulnerability exposure");
  }
  card(std::to_string(ev.incidents), ev.incidents == 1 ? "incident" : "incidents");
  card(std::to_string(ev.affected_assets), ev.affected_assets == 1 ? "affected asset" : "affected assets");
  card(std::to_string(ev.techniques.size()), ev.techniques.size() == 1 ? "technique" : "techniques");
  h += "</div>\n";
}

void Chart(std::string& h, const std::vector<ReportSeries>& series) {
  std::string svg;
  if (series.size() <= 1) {
    std::vector<scoring::HistoryPoint> none;
    const auto& history = series.empty() ? none : series.front().history;
    svg = LineChartSvg("Resilience over time", HistoryChartPoints(history, /*mark_incidents=*/true),
                       "A dot per change: blue where posture changed, red where an incident was added.");
  } else {
    std::vector<ChartSeries> lines;
    for (const auto& s : series) lines.push_back({s.name, "", HistoryChartPoints(s.history, /*mark_incidents=*/false)});
    svg = LineChartSvg("Resilience over time: all incidents and the most exposed threats seen", lines,
                       "Higher is better. A dot per change of posture or incidents; hover it for the date and value.");
  }
  h += "<h2>Resilience over time</h2>\n<div id=\"history\">" + svg + "</div>\n";
}

void TacticsTable(std::string& h, const DefenseGraph& graph, const scoring::Evaluation& ev) {
  h += "<h2>Exposures by tactic</h2>\n<table id=\"tactics\"><tr><th>tactic</th><th class=\"num\">mitigated</th>"
       "<th class=\"num\">partial</th><th class=\"num\">exposed</th><th class=\"num\">no control</th><th>techniques</th></tr>\n";
  std::map<std::string, std::map<std::string, std::vector<Vertex>>> by_tactic;
  for (const auto& row : ev.techniques) {
    for (const auto& tactic : graph.props(row.technique).tactics) by_tactic[tactic][row.status].push_back(row.technique);
  }
  for (const auto& [tactic, statuses] : by_tactic) {
    h += "<tr><td class=\"nw\">" + XmlEscape(tactic) + "</td>";
    std::vector<Vertex> techniques;
    for (const char* status : {"mitigated", "partial", "exposed", "no-control"}) {
      auto it = statuses.find(status);
      size_t n = it == statuses.end() ? 0 : it->second.size();
      h += "<td class=\"num\">" + (n ? "<span class=\"pill\" style=\"background:" + std::string(StatusColor(status)) +
                                           "\">" + std::to_string(n) + "</span>"
                                     : std::string("0")) + "</td>";
      if (it != statuses.end()) techniques.insert(techniques.end(), it->second.begin(), it->second.end());
    }
    h += "<td>" + TechniqueLinks(graph, techniques, "<br>") + "</td></tr>\n";
  }
  h += "</table>\n";
}

void RecommendationsTable(std::string& h, const DefenseGraph& graph, const scoring::Evaluation& ev) {
  h += "<h2>What to fix first</h2>\n<table id=\"recommendations\"><tr><th>#</th><th>control</th><th>product</th>"
       "<th>license</th><th>owner</th><th>status</th><th class=\"num\">implemented</th><th>resilience gain</th>"
       "<th>techniques it raises</th></tr>\n";
  double top = ev.recommendations.empty() ? 1 : std::max(ev.recommendations.front().impact, 1e-9);
  size_t rank = 0;
  for (const auto& rec : ev.recommendations) {
    const auto& control = graph.control_info(rec.control).control;
    auto cell = [](const std::string& text) { return text.empty() ? std::string("&ndash;") : XmlEscape(text); };
    h += fmt::format(
        "<tr><td>{}</td><td><b>{}</b><br>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"nw\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"nw\"><span class=\"bar\" style=\"width:{:.0f}px\"></span> {}</td><td>{}</td></tr>\n",
        ++rank, XmlEscape(control.id), XmlEscape(control.title), cell(control.product), cell(control.license),
        cell(control.owner), model::ControlStatusName(rec.status), FormatFraction(rec.implemented),
        std::max(2.0, 120.0 * rec.impact / top), FormatImpact(rec.impact), TechniqueLinks(graph, rec.techniques, "<br>"));
  }
  if (ev.recommendations.empty()) {
    h += "<tr><td colspan=\"9\">No control to raise: every control that reaches these techniques is in place or "
         "risk-accepted, or none reaches them (see the gaps in <code>tidemark threat</code>).</td></tr>\n";
  }
  h += "</table>\n<p class=\"sub\">Resilience gain: how much the resilience above would rise if the control were fully "
       "in place.</p>\n";
}

void WhyTable(std::string& h, const DefenseGraph& graph, const scoring::Evaluation& ev) {
  if (ev.recommendations.empty()) return;
  auto seen = IncidentsByTechnique(graph, ev);
  h += "<h2>Why these controls</h2>\n<p class=\"sub\">Each path runs from the incidents in which a technique was seen, "
       "through the technique, to the control: <b>direct</b> (the control is mapped to the technique), "
       "<b>mitigation:M&hellip;</b> (it implements that ATT&amp;CK mitigation of the technique) or <b>parent T&hellip;</b> "
       "(it reaches the parent technique).</p>\n<table id=\"why\"><tr><th>seen in</th><th>technique</th><th>path</th>"
       "<th>control</th></tr>\n";
  for (const auto& rec : ev.recommendations) {
    const std::string& control_id = graph.props(rec.control).id;
    for (size_t k = 0; k < rec.techniques.size(); ++k) {
      Vertex t = rec.techniques[k];
      std::string from;
      if (auto it = seen.find(t); it != seen.end()) {
        std::vector<std::string> ids(it->second.begin(), it->second.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(3, it->second.size())));
        from = XmlEscape(JoinList(ids)) + (it->second.size() > 3 ? " +" + std::to_string(it->second.size() - 3) + " more" : "");
      } else {
        from = "ATT&amp;CK profile of " + XmlEscape(ev.scope.id);
      }
      std::string_view via = k < rec.paths.size() ? rec.paths[k] : std::string_view("direct");
      h += "<tr><td>" + from + "</td><td>&rarr; " + TechniqueLink(graph, t) + "</td><td class=\"nw\">&rarr; " +
           XmlEscape(PathWord(graph, t, via)) + "</td><td class=\"nw\">&rarr; <b>" + XmlEscape(control_id) + "</b></td></tr>\n";
    }
  }
  h += "</table>\n";
}

// "CVE-1, CVE-2, CVE-3 +4 more".
std::string FirstOf(const std::vector<std::string>& items, size_t shown) {
  std::vector<std::string> head(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(shown, items.size())));
  std::string out = XmlEscape(JoinList(head));
  if (items.size() > shown) out += " +" + std::to_string(items.size() - shown) + " more";
  return out;
}

// A technique ID as written in a patch: linked with its name when the graph knows it.
std::string TechniqueIdLink(const DefenseGraph& graph, const std::string& id) {
  if (auto technique = graph.Technique(id)) return TechniqueLink(graph, *technique);
  return XmlEscape(id);
}

// The scope's vulnerability exposure and the patches that lower it, from the evaluation as
// VulnerabilityExposure::Fill completed it (the numbers of `tidemark vulnerabilities`).
void VulnerabilitySection(std::string& h, const DefenseGraph& graph, const scoring::Evaluation& ev,
                          const scoring::VulnerabilityExposure& vx) {
  h += "<h2>Vulnerability exposure</h2>\n";
  if (vx.findings() == 0) {
    h += "<div class=\"empty\" id=\"no-findings\"><b>No vulnerability findings.</b> No scanner finding is recorded, "
         "so this report cannot say which of these techniques open vulnerabilities hand to an attacker. Import findings "
         "(<code>tidemark import vulnerabilities FILE</code>) and what is known of their CVEs (<code>tidemark import cves "
         "FILE</code>), then write the report again.</div>\n";
    return;
  }
  h += "<div class=\"sub\">Vulnerability exposure is the share of this scope's techniques, weighted as for resilience, "
       "that vulnerabilities still open on your assets give an attacker; lower is better. It is a second number beside "
       "resilience (the card above), never part of it. " +
       Plural(vx.open_findings(), "finding") + " open of " + std::to_string(vx.findings()) + " recorded; " +
       Plural(vx.universe_assets(), "asset") + " in all (inventory and scanned).</div>\n";
  h += "<table id=\"patches\"><tr><th>#</th><th>patch</th><th class=\"num\">lowers exposure by</th><th class=\"num\">"
       "assets</th><th>CVEs</th><th>known exploited</th><th>ransomware</th><th>due</th><th>type</th>"
       "<th>techniques it lowers</th></tr>\n";
  size_t rank = 0;
  for (const auto& patch : ev.patches) {
    std::string techniques;
    for (const auto& id : patch.techniques) techniques += (techniques.empty() ? "" : "<br>") + TechniqueIdLink(graph, id);
    h += fmt::format(
        "<tr><td>{}</td><td><b>{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td class=\"nw\">{}</td><td>{}</td><td>{}</td></tr>\n",
        ++rank, XmlEscape(patch.software), FormatPoints(patch.impact), patch.assets, FirstOf(patch.cves, 5),
        patch.kev ? "yes" : "no", patch.ransomware ? "yes" : "no",
        patch.due_date.empty() ? std::string("&ndash;") : XmlEscape(patch.due_date),
        model::RemediationTypeName(patch.remediation_type), techniques);
  }
  if (ev.patches.empty()) {
    h += "<tr><td colspan=\"10\">No patch lowers this scope's vulnerability exposure: no open finding gives any of "
         "its techniques.</td></tr>\n";
  }
  h += "</table>\n<p class=\"sub\">A patch is every open finding of one software. Known exploited: a CVE of it is in "
       "the CISA KEV catalog; due: the earliest KEV due date of its CVEs.</p>\n";
  if (ev.known_cves && !ev.known_cves->empty()) {
    h += "<p id=\"known-cves\">CVEs this threat is known to exploit: ";
    for (size_t idx = 0; idx < ev.known_cves->size(); ++idx) {
      const auto& known = (*ev.known_cves)[idx];
      h += (idx ? ", " : "") + XmlEscape(known.cve) + " (open on " + Plural(known.open_on, "asset") + ")";
    }
    h += ".</p>\n";
  }
}

void IncidentsTable(std::string& h, const std::vector<model::Incident>& incidents, size_t incidents_total) {
  h += "<h2>Incidents</h2>\n<table id=\"incidents\"><tr><th>incident</th><th>title</th><th>classification</th>"
       "<th>severity</th><th>closed</th><th>assets</th></tr>\n";
  for (const auto& inc : incidents) {
    std::vector<std::string> assets;
    for (const auto& a : inc.assets) assets.push_back(a.id);
    std::string when = inc.closed ? FormatDate(*inc.closed)
                                  : (inc.created ? "open since " + FormatDate(*inc.created) : std::string("open"));
    h += "<tr><td class=\"nw\">" + XmlEscape(inc.id) + "</td><td>" + XmlEscape(inc.title) + "</td><td>" +
         std::string(model::ClassificationName(inc.classification)) + "</td><td>" + XmlEscape(inc.severity) +
         "</td><td class=\"nw\">" + when + "</td><td>" + XmlEscape(JoinList(assets)) + "</td></tr>\n";
  }
  if (incidents_total > incidents.size()) {
    h += "<tr><td colspan=\"6\">&hellip; and " + std::to_string(incidents_total - incidents.size()) +
         " more (see <code>tidemark incidents</code>)</td></tr>\n";
  }
  h += "</table>\n";
}

}  // namespace

std::string AttackTechniqueUrl(const std::string& technique_id) {
  std::string path = technique_id;
  std::replace(path.begin(), path.end(), '.', '/');
  return "https://attack.mitre.org/techniques/" + path + "/";
}

std::string HtmlReport(const DefenseGraph& graph, const scoring::Evaluation& ev, const std::vector<ReportSeries>& series,
                       const std::vector<model::Incident>& incidents, size_t incidents_total,
                       const scoring::VulnerabilityExposure& vx) {
  const std::string scope_label = ScopeLabel(ev.scope);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";
  h += "<title>tidemark report: " + XmlEscape(scope_label) + "</title><style>" + kStyle + "</style></head><body>\n";
  h += "<h1>tidemark: " + XmlEscape(scope_label) + "</h1>\n";
  h += "<div class=\"sub\">As of " + FormatDate(ev.tau) + ". Resilience is the share of this scope's ATT&amp;CK "
       "techniques, weighted by how often and where they were seen, that the controls in place would stop; higher is "
       "better. Exposure is 100 minus resilience.</div>\n";
  if (ev.techniques.empty() && ev.incidents == 0) {
    h += "<div class=\"empty\" id=\"no-data\"><b>No data yet.</b> No incident of this scope is recorded as of " +
         FormatDate(ev.tau) + ", so there is nothing to score. Import incidents (<code>tidemark import incidents "
         "FILE</code>), your controls and their posture (<code>tidemark import controls</code>, <code>import "
         "posture</code>), then write the report again.</div>\n";
  } else {
    Cards(h, ev, vx);
    Chart(h, series);
    TacticsTable(h, graph, ev);
    RecommendationsTable(h, graph, ev);
    WhyTable(h, graph, ev);
    VulnerabilitySection(h, graph, ev, vx);
    IncidentsTable(h, incidents, incidents_total);
  }
  h += "<p class=\"sub\">Generated by tidemark. ATT&amp;CK&reg; is a registered trademark of The MITRE "
       "Corporation.</p>\n</body></html>\n";
  return h;
}

}  // namespace tidemark::report
