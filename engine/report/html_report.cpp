#include "engine/report/html_report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "engine/report/navigator.h"
#include "engine/report/scope_view.h"

namespace tidemark::report {
namespace {

std::string Fixed(double value, const char* format = "%.1f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

constexpr const char* kStyle = R"(
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1f2328;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;font-size:13px}.cards{display:flex;gap:16px;margin:16px 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;min-width:140px}
.card .v{font-size:28px;font-weight:600}.card .l{font-size:12px;color:#57606a;text-transform:uppercase}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}.bar{background:#1f6feb;height:10px;border-radius:3px;display:inline-block}
.pill{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px}
.num{text-align:right;white-space:nowrap}.nw{white-space:nowrap}
)";

}  // namespace

std::string HtmlReport(const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                       const std::vector<scoring::HistoryPoint>& history, const std::vector<model::Incident>& incidents,
                       size_t incidents_total) {
  std::string scope_label = ev.scope.kind == scoring::ScopeKind::kAll
                                ? std::string("all incidents")
                                : std::string(scoring::ScopeKindName(ev.scope.kind)) + " " + ev.scope.id +
                                      (ev.scope.name.empty() || ev.scope.name == ev.scope.id ? "" : " (" + ev.scope.name + ")");
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";
  h += "<title>tidemark report: " + XmlEscape(scope_label) + "</title><style>" + kStyle + "</style></head><body>\n";
  h += "<h1>tidemark: " + XmlEscape(scope_label) + "</h1>\n";
  h += "<div class=\"sub\">As of " + FormatIsoTime(ev.tau) + ". Resilience = weighted share of the scope's ATT&amp;CK "
       "techniques the controls in place would stop (SPEC §3); higher is better.</div>\n";
  h += "<div class=\"cards\">";
  auto card = [&h](const std::string& value, const std::string& label) {
    h += "<div class=\"card\"><div class=\"v\">" + value + "</div><div class=\"l\">" + label + "</div></div>";
  };
  card(ev.resilience ? Fixed(*ev.resilience) : "&ndash;", "resilience");
  card(ev.resilience ? Fixed(100 - *ev.resilience) : "&ndash;", "exposure");
  card(std::to_string(ev.incidents), "incidents");
  card(std::to_string(ev.affected_assets), "affected assets");
  card(std::to_string(ev.techniques.size()), "techniques");
  h += "</div>\n";

  h += "<h2>Resilience over time</h2>\n<div id=\"history\">" + HistorySvg(ev.scope, history) + "</div>\n";

  h += "<h2>Exposures by tactic</h2>\n<table id=\"tactics\"><tr><th>tactic</th><th class=\"num\">mitigated</th>"
       "<th class=\"num\">partial</th><th class=\"num\">exposed</th><th class=\"num\">no control</th><th>techniques</th></tr>\n";
  std::map<std::string, std::map<std::string, std::vector<std::string>>> by_tactic;
  for (const auto& row : ev.techniques) {
    const auto& t = graph.props(row.technique);
    for (const auto& tactic : t.tactics) by_tactic[tactic][row.status].push_back(t.id);
  }
  for (const auto& [tactic, statuses] : by_tactic) {
    h += "<tr><td>" + XmlEscape(tactic) + "</td>";
    std::string techniques;
    for (const char* status : {"mitigated", "partial", "exposed", "no-control"}) {
      auto it = statuses.find(status);
      size_t n = it == statuses.end() ? 0 : it->second.size();
      h += "<td class=\"num\">" + (n ? "<span class=\"pill\" style=\"background:" + std::string(StatusColor(status)) +
                                           "\">" + std::to_string(n) + "</span>"
                                     : std::string("0")) + "</td>";
      if (it != statuses.end()) {
        for (const auto& id : it->second) techniques += (techniques.empty() ? "" : ", ") + XmlEscape(id);
      }
    }
    h += "<td>" + techniques + "</td></tr>\n";
  }
  h += "</table>\n";

  h += "<h2>What to fix first</h2>\n<table id=\"recommendations\"><tr><th>#</th><th>control</th><th>product</th>"
       "<th>status</th><th class=\"num\">implemented</th><th>impact</th><th>techniques it closes</th></tr>\n";
  double top = ev.recommendations.empty() ? 1 : std::max(ev.recommendations.front().impact, 1e-9);
  size_t rank = 0;
  for (const auto& rec : ev.recommendations) {
    const auto& control = graph.control_info(rec.control).control;
    std::string techniques;
    for (auto t : rec.techniques) techniques += (techniques.empty() ? "" : ", ") + XmlEscape(graph.props(t).id);
    h += "<tr><td>" + std::to_string(++rank) + "</td><td><b>" + XmlEscape(control.id) + "</b><br>" +
         XmlEscape(control.title) + "</td><td>" + XmlEscape(control.product) + "</td><td class=\"nw\">" +
         std::string(model::ControlStatusName(rec.status)) + "</td><td class=\"num\">" + Fixed(rec.implemented, "%.2f") +
         "</td><td class=\"nw\"><span class=\"bar\" style=\"width:" +
         Fixed(std::max(2.0, 120.0 * rec.impact / top), "%.0f") + "px\"></span> +" + Fixed(rec.impact, "%.2f") +
         "</td><td>" + techniques + "</td></tr>\n";
  }
  if (ev.recommendations.empty()) h += "<tr><td colspan=\"7\">No recommendation: nothing left to raise.</td></tr>\n";
  h += "</table>\n";

  h += "<h2>Incidents</h2>\n<table id=\"incidents\"><tr><th>incident</th><th>title</th><th>classification</th>"
       "<th>severity</th><th>closed (else created)</th><th>assets</th></tr>\n";
  for (const auto& inc : incidents) {
    std::string assets;
    for (const auto& a : inc.assets) assets += (assets.empty() ? "" : ", ") + XmlEscape(a.id);
    auto time = inc.Time();
    h += "<tr><td>" + XmlEscape(inc.id) + "</td><td>" + XmlEscape(inc.title) + "</td><td>" +
         std::string(model::ClassificationName(inc.classification)) + "</td><td>" + XmlEscape(inc.severity) +
         "</td><td>" + (time ? FormatIsoTime(*time) : std::string("&ndash;")) + "</td><td>" + assets + "</td></tr>\n";
  }
  if (incidents_total > incidents.size()) {
    h += "<tr><td colspan=\"6\">&hellip; and " + std::to_string(incidents_total - incidents.size()) +
         " more (see <code>tidemark incidents</code>)</td></tr>\n";
  }
  h += "</table>\n<p class=\"sub\">Generated by tidemark. ATT&amp;CK&reg; is a registered trademark of The MITRE "
       "Corporation.</p>\n</body></html>\n";
  return h;
}

}  // namespace tidemark::report
