#include "engine/report/navigator.h"

#include <cstdio>
#include <map>

#include "engine/core/json.h"
#include "engine/report/number_format.h"
#include "engine/report/text_table.h"

namespace tidemark::report {

std::string_view StatusColor(std::string_view status) {
  if (status == "mitigated") return "#8ec843";
  if (status == "partial") return "#ffe766";
  if (status == "exposed") return "#ff6666";
  return "#bdbdbd";  // no-control
}

std::string LayerDomain(const graph::DefenseGraph& graph, const scoring::Evaluation& ev) {
  std::map<std::string, size_t> domains;
  for (const auto& row : ev.techniques) ++domains[graph.props(row.technique).domain];
  std::string domain = "enterprise-attack";
  size_t best = 0;
  for (const auto& [name, count] : domains) {
    if (count > best && !name.empty()) {
      best = count;
      domain = name;
    }
  }
  return domain;
}

std::string NavigatorLayer(const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                           const std::string& attack_version, LayerColor color) {
  std::string domain = LayerDomain(graph, ev);
  rapidjson::StringBuffer buf;
  PrettyJsonWriter w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  WriteField(w, "name", "tidemark: " + std::string(scoring::ScopeKindName(ev.scope.kind)) + " " + ev.scope.id);
  w.Key("versions");
  w.StartObject();
  WriteField(w, "attack", attack_version);
  WriteField(w, "navigator", "5.1.0");
  WriteField(w, "layer", "4.5");
  w.EndObject();
  WriteField(w, "domain", domain);
  bool by_share = color == LayerColor::kVulnerabilityShare;
  char resilience[64] = "no known technique";
  if (ev.resilience) std::snprintf(resilience, sizeof resilience, "resilience %.1f", *ev.resilience);
  std::string figures = resilience;
  if (by_share && ev.vulnerability_exposure) {
    char ve[64];
    std::snprintf(ve, sizeof ve, ", vulnerability exposure %.1f", *ev.vulnerability_exposure);
    figures += ve;
  }
  WriteField(w, "description", "tidemark exposures of " + ev.scope.id + " (" + ev.scope.name + ") as of " +
                                   FormatIsoTime(ev.tau) + ": " + figures + "; score = " +
                                   (by_share ? "vulnerability share x 100" : "coverage x 100"));
  w.Key("sorting");
  w.Int(3);
  w.Key("layout");
  w.StartObject();
  WriteField(w, "layout", "side");
  w.Key("showID");
  w.Bool(true);
  w.Key("showName");
  w.Bool(true);
  WriteField(w, "aggregateFunction", "average");
  w.Key("expandedSubtechniques");
  WriteString(w, "annotated");
  w.EndObject();
  w.Key("hideDisabled");
  w.Bool(false);
  w.Key("techniques");
  w.StartArray();
  for (const auto& row : ev.techniques) {
    const auto& t = graph.props(row.technique);
    if (t.domain != domain && !t.domain.empty()) continue;
    std::vector<std::string> controls;
    for (const auto& c : row.controls) {
      std::string entry = " (" + std::string(model::MappingTypeName(c.type)) + " " + FormatFraction(c.strength) + " x " +
                          FormatFraction(c.implemented) + ", " + std::string(c.via) + ")";
      if (c.has_evidence && c.baseline > 0) {
        entry += " [in place when it succeeded: " + FormatFraction(c.baseline) + ", credited " +
                 FormatFraction(c.credited) + "]";
      }
      controls.push_back(graph.props(c.control).id + entry);
    }
    std::string comment = row.status + "; " + (controls.empty() ? "no control reaches it" : "controls: " + JoinList(controls));
    if (!row.succeeded_in.empty()) comment += "; succeeded in " + Plural(row.succeeded_count, "incident");
    if (by_share) comment += "; open findings give it on " + Plural(row.vulnerable_assets.value_or(0), "asset");
    double score = by_share ? row.vulnerability_share.value_or(0) : row.coverage;
    for (const auto& tactic : t.tactics) {
      w.StartObject();
      WriteField(w, "techniqueID", t.id);
      WriteField(w, "tactic", tactic);
      w.Key("score");
      w.Double(RoundScore(score * 100));
      if (color == LayerColor::kStatus) WriteField(w, "color", StatusColor(row.status));
      WriteField(w, "comment", comment);
      w.Key("enabled");
      w.Bool(true);
      w.Key("metadata");
      w.StartArray();
      w.StartObject();
      WriteField(w, "name", "status");
      WriteField(w, "value", row.status);
      w.EndObject();
      w.StartObject();
      WriteField(w, "name", "weight");
      char weight[32];
      std::snprintf(weight, sizeof weight, "%g", RoundScore(row.weight));
      WriteField(w, "value", weight);
      w.EndObject();
      w.EndArray();
      w.Key("showSubtechniques");
      w.Bool(false);
      w.EndObject();
    }
  }
  w.EndArray();
  w.Key("gradient");
  w.StartObject();
  w.Key("colors");
  w.StartArray();
  // Coverage: red (0) to green (100); a vulnerability share: white (0) to red (100).
  static constexpr const char* kCoverageColors[] = {"#ff6666", "#ffe766", "#8ec843"};
  static constexpr const char* kShareColors[] = {"#ffffff", "#ff9966", "#e60d0d"};
  const auto& colors = by_share ? kShareColors : kCoverageColors;
  for (const char* c : colors) WriteString(w, c);
  w.EndArray();
  w.Key("minValue");
  w.Int(0);
  w.Key("maxValue");
  w.Int(100);
  w.EndObject();
  w.Key("legendItems");
  w.StartArray();
  for (const char* status : {"mitigated", "partial", "exposed", "no-control"}) {
    if (by_share) break;  // the gradient is the legend
    w.StartObject();
    WriteField(w, "label", status);
    WriteField(w, "color", StatusColor(status));
    w.EndObject();
  }
  w.EndArray();
  w.Key("metadata");
  w.StartArray();
  w.StartObject();
  WriteField(w, "name", "incidents");
  std::vector<std::string> ids;
  for (size_t idx : ev.scope.incidents) {
    const auto& inc = graph.incidents()[idx];
    if (inc.CountsAt(ev.tau) && ids.size() < 50) ids.emplace_back(inc.id);
  }
  WriteField(w, "value", std::to_string(ev.incidents) + (ids.empty() ? "" : ": " + JoinList(ids)));
  w.EndObject();
  w.StartObject();
  WriteField(w, "name", "as_of");
  WriteField(w, "value", FormatIsoTime(ev.tau));
  w.EndObject();
  w.EndArray();
  w.Key("links");
  w.StartArray();
  w.EndArray();
  w.Key("showTacticRowBackground");
  w.Bool(false);
  w.Key("selectTechniquesAcrossTactics");
  w.Bool(true);
  w.Key("selectSubtechniquesWithParent");
  w.Bool(false);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace tidemark::report
