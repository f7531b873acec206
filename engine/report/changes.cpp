#include "engine/report/changes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/core/json.h"
#include "engine/report/text_table.h"

namespace tidemark::report {
namespace {

using graph::DefenseGraph;
using graph::Vertex;
using scoring::Recommendation;

// Figures closer than this are the same (implemented fractions, scores).
constexpr double kSame = 1e-9;

bool SameState(const scoring::PostureAt& a, const scoring::PostureAt& b) {
  return a.status == b.status && std::fabs(a.implemented - b.implemented) <= kSame;
}

// The recommendations of `of` whose control is not recommended in `other`, in `of`'s order.
std::vector<Recommendation> Missing(const std::vector<Recommendation>& of, const std::vector<Recommendation>& other) {
  std::set<Vertex> present;
  for (const auto& rec : other) present.insert(rec.control);
  std::vector<Recommendation> out;
  for (const auto& rec : of) {
    if (!present.count(rec.control)) out.push_back(rec);
  }
  return out;
}

std::optional<double> Delta(std::optional<double> from, std::optional<double> to) {
  if (!from || !to) return std::nullopt;
  return *to - *from;
}

}  // namespace

Changes CompareDates(const DefenseGraph& graph, TimeMs from, TimeMs to, ExposureAt exposure) {
  Changes out;
  out.from = from;
  out.to = to;
  out.has_vulnerabilities = exposure.from && exposure.to;
  scoring::Scorer scorer(graph);
  // VE of an evaluated scope (its weights come from the evaluation).
  auto ve = [&](const scoring::VulnerabilityExposure* vx, const scoring::Evaluation& ev) {
    return vx->Exposure(scoring::VulnerabilityExposure::ScopeTechniques(ev, graph));
  };
  scoring::PostureScorer points(graph);

  // `all`: full evaluations at both dates (techniques and recommendations are compared).
  auto all = scoring::ResolveScope(graph, "all");
  if (!all.ok()) throw std::logic_error("the all scope always resolves");
  scoring::Evaluation before = scorer.Evaluate(*all, from);
  scoring::Evaluation after = scorer.Evaluate(*all, to);
  ScopeChange all_change;
  all_change.kind = scoring::ScopeKind::kAll;
  all_change.id = all->id;
  all_change.name = all->name;
  all_change.resilience_from = before.resilience;
  all_change.resilience_to = after.resilience;
  all_change.incidents_from = before.incidents;
  all_change.incidents_to = after.incidents;
  all_change.posture_score_from = points.Evaluate(from).total.Score();
  all_change.posture_score_to = points.Evaluate(to).total.Score();
  if (out.has_vulnerabilities) {
    all_change.vulnerability_exposure_from = ve(exposure.from, before);
    all_change.vulnerability_exposure_to = ve(exposure.to, after);
  }
  out.scopes.push_back(std::move(all_change));

  // Threats with counted incidents at `to` (incidents only accumulate over time).
  std::vector<scoring::Scope> threats = scoring::AllThreatScopes(graph);
  std::sort(threats.begin(), threats.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const auto& threat : threats) {
    auto counted_at = [&](TimeMs tau) {
      return static_cast<size_t>(std::count_if(threat.incidents.begin(), threat.incidents.end(),
                                               [&](size_t idx) { return graph.incidents()[idx].CountsAt(tau); }));
    };
    size_t incidents_to = counted_at(to);
    if (incidents_to == 0) continue;
    ScopeChange change;
    change.kind = threat.kind;
    change.id = threat.id;
    change.name = threat.name;
    change.resilience_from = scorer.Resilience(threat, from);
    change.resilience_to = scorer.Resilience(threat, to);
    change.incidents_from = counted_at(from);
    change.incidents_to = incidents_to;
    if (out.has_vulnerabilities) {
      scoring::EvaluateOptions weights_only{.details = false};
      change.vulnerability_exposure_from = ve(exposure.from, scorer.Evaluate(threat, from, weights_only));
      change.vulnerability_exposure_to = ve(exposure.to, scorer.Evaluate(threat, to, weights_only));
    }
    out.scopes.push_back(std::move(change));
  }

  std::vector<Vertex> controls = graph.control_vertices();
  std::sort(controls.begin(), controls.end(), [&](Vertex a, Vertex b) { return graph.props(a).id < graph.props(b).id; });
  for (Vertex control : controls) {
    const auto& info = graph.control_info(control);
    ControlChange change{control, scoring::PostureOf(info, from), scoring::PostureOf(info, to)};
    if (!SameState(change.from, change.to)) out.controls.push_back(change);
  }

  std::map<std::string, TechniqueChange> techniques;
  for (const auto& row : before.techniques) {
    auto& change = techniques[graph.props(row.technique).id];
    change.technique = row.technique;
    change.status_from = row.status;
    change.coverage_from = row.coverage;
  }
  for (const auto& row : after.techniques) {
    auto& change = techniques[graph.props(row.technique).id];
    change.technique = row.technique;
    change.status_to = row.status;
    change.coverage_to = row.coverage;
  }
  for (auto& [id, change] : techniques) {
    if (change.status_from != change.status_to) out.techniques.push_back(change);
  }

  out.appeared = Missing(after.recommendations, before.recommendations);
  out.disappeared = Missing(before.recommendations, after.recommendations);

  const auto& incidents = graph.incidents();
  for (size_t idx = 0; idx < incidents.size(); ++idx) {
    auto time = incidents[idx].Time();
    if (time && *time > from && incidents[idx].CountsAt(to)) out.incidents.push_back(idx);
  }
  std::sort(out.incidents.begin(), out.incidents.end(), [&](size_t a, size_t b) {
    return std::make_pair(*incidents[a].Time(), std::string_view(incidents[a].id)) <
           std::make_pair(*incidents[b].Time(), std::string_view(incidents[b].id));
  });
  return out;
}

namespace {


template <typename W>
void WriteNumber(W& w, const char* key, std::optional<double> value) {
  w.Key(key);
  if (value) w.Double(RoundScore(*value)); else w.Null();
}

// `null` when the control has no owner, so consumers need not test for "".
template <typename W>
void WriteOwner(W& w, const std::string& owner) {
  w.Key("owner");
  if (owner.empty()) w.Null(); else WriteString(w, owner);
}

template <typename W>
void WriteState(W& w, const char* key, const scoring::PostureAt& state) {
  w.Key(key);
  w.StartObject();
  WriteField(w, "status", model::ControlStatusName(state.status));
  WriteNumber(w, "implemented", state.implemented);
  w.EndObject();
}

template <typename W>
void WriteRecommendations(W& w, const DefenseGraph& graph, const char* key, const std::vector<Recommendation>& recs) {
  w.Key(key);
  w.StartArray();
  for (const auto& rec : recs) {
    const auto& control = graph.control_info(rec.control).control;
    w.StartObject();
    WriteField(w, "control", control.id);
    WriteField(w, "title", control.title);
    WriteOwner(w, control.owner);
    WriteField(w, "status", model::ControlStatusName(rec.status));
    WriteNumber(w, "implemented", rec.implemented);
    WriteNumber(w, "impact", rec.impact);
    w.Key("techniques");
    w.StartArray();
    for (Vertex t : rec.techniques) WriteString(w, graph.props(t).id);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

std::string Score(std::optional<double> value) {
  if (!value) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *value);
  return buf;
}

std::string SignedScore(std::optional<double> value) {
  if (!value) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", RoundScore(*value));
  return buf;
}

std::string State(const scoring::PostureAt& state) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.2f", RoundScore(state.implemented));
  return std::string(model::ControlStatusName(state.status)) + buf;
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : Printable(text); }

}  // namespace

std::string ChangesJson(const DefenseGraph& graph, const Changes& changes) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "from", FormatIsoTime(changes.from));
  WriteField(w, "to", FormatIsoTime(changes.to));
  w.Key("scopes");
  w.StartArray();
  for (const auto& scope : changes.scopes) {
    w.StartObject();
    w.Key("scope");
    w.StartObject();
    WriteField(w, "kind", scoring::ScopeKindName(scope.kind));
    WriteField(w, "id", scope.id);
    WriteFieldIfSet(w, "name", scope.name);
    w.EndObject();
    WriteNumber(w, "resilience_from", scope.resilience_from);
    WriteNumber(w, "resilience_to", scope.resilience_to);
    WriteNumber(w, "resilience_delta", Delta(scope.resilience_from, scope.resilience_to));
    w.Key("incidents_from");
    w.Uint64(scope.incidents_from);
    w.Key("incidents_to");
    w.Uint64(scope.incidents_to);
    if (scope.kind == scoring::ScopeKind::kAll) {
      WriteNumber(w, "posture_score_from", scope.posture_score_from);
      WriteNumber(w, "posture_score_to", scope.posture_score_to);
      WriteNumber(w, "posture_score_delta", Delta(scope.posture_score_from, scope.posture_score_to));
    }
    if (changes.has_vulnerabilities) {
      WriteNumber(w, "vulnerability_exposure_from", scope.vulnerability_exposure_from);
      WriteNumber(w, "vulnerability_exposure_to", scope.vulnerability_exposure_to);
      WriteNumber(w, "vulnerability_exposure_delta", Delta(scope.vulnerability_exposure_from, scope.vulnerability_exposure_to));
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("controls");
  w.StartArray();
  for (const auto& change : changes.controls) {
    const auto& control = graph.control_info(change.control).control;
    w.StartObject();
    WriteField(w, "id", control.id);
    WriteField(w, "title", control.title);
    WriteOwner(w, control.owner);
    WriteState(w, "from", change.from);
    WriteState(w, "to", change.to);
    w.EndObject();
  }
  w.EndArray();
  w.Key("techniques");
  w.StartArray();
  for (const auto& change : changes.techniques) {
    const auto& props = graph.props(change.technique);
    w.StartObject();
    WriteField(w, "id", props.id);
    WriteField(w, "name", props.name);
    w.Key("status_from");
    if (change.status_from) WriteString(w, *change.status_from); else w.Null();
    w.Key("status_to");
    if (change.status_to) WriteString(w, *change.status_to); else w.Null();
    WriteNumber(w, "coverage_from", change.status_from ? std::optional<double>(change.coverage_from) : std::nullopt);
    WriteNumber(w, "coverage_to", change.status_to ? std::optional<double>(change.coverage_to) : std::nullopt);
    w.EndObject();
  }
  w.EndArray();
  w.Key("recommendations");
  w.StartObject();
  WriteRecommendations(w, graph, "appeared", changes.appeared);
  WriteRecommendations(w, graph, "disappeared", changes.disappeared);
  w.EndObject();
  w.Key("incidents");
  w.StartArray();
  for (size_t idx : changes.incidents) {
    const auto& info = graph.incidents()[idx];
    w.StartObject();
    WriteField(w, "id", info.id);
    WriteField(w, "time", FormatIsoTime(*info.Time()));
    WriteField(w, "classification", model::ClassificationName(info.classification));
    w.Key("threats");
    w.StartArray();
    for (Vertex threat : info.threats) WriteString(w, graph.props(threat).id);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return BufferString(buf);
}

std::string ChangesText(const DefenseGraph& graph, const Changes& changes) {
  std::string out = "Changes from " + FormatIsoTime(changes.from) + " to " + FormatIsoTime(changes.to) + "\n\n";
  std::vector<std::string> headers = {"scope", "resilience", "delta", "incidents", "posture score", "delta"};
  if (changes.has_vulnerabilities) headers.insert(headers.end(), {"VE", "delta"});
  TextTable scores(headers);
  for (const auto& scope : changes.scopes) {
    bool all = scope.kind == scoring::ScopeKind::kAll;
    std::string label = all ? "all" : Printable(scope.id) + (scope.name.empty() || scope.name == scope.id ? "" : " " + Printable(scope.name));
    std::vector<std::string> row = {label, Score(scope.resilience_from) + " -> " + Score(scope.resilience_to),
                                    SignedScore(Delta(scope.resilience_from, scope.resilience_to)),
                                    std::to_string(scope.incidents_from) + " -> " + std::to_string(scope.incidents_to),
                                    all ? Score(scope.posture_score_from) + " -> " + Score(scope.posture_score_to) : "",
                                    all ? SignedScore(Delta(scope.posture_score_from, scope.posture_score_to)) : ""};
    if (changes.has_vulnerabilities) {
      row.push_back(Score(scope.vulnerability_exposure_from) + " -> " + Score(scope.vulnerability_exposure_to));
      row.push_back(SignedScore(Delta(scope.vulnerability_exposure_from, scope.vulnerability_exposure_to)));
    }
    scores.AddRow(row);
  }
  out += scores.Render();

  out += "\nControls whose state changed: " + std::to_string(changes.controls.size()) + "\n";
  if (!changes.controls.empty()) {
    TextTable table({"control", "owner", "from", "to"});
    for (const auto& change : changes.controls) {
      const auto& control = graph.control_info(change.control).control;
      table.AddRow({Printable(control.id), OrDash(control.owner), State(change.from), State(change.to)});
    }
    out += table.Render();
  }

  out += "\nTechniques of all whose status changed: " + std::to_string(changes.techniques.size()) + "\n";
  if (!changes.techniques.empty()) {
    TextTable table({"technique", "name", "from", "to"});
    for (const auto& change : changes.techniques) {
      const auto& props = graph.props(change.technique);
      table.AddRow({props.id, Printable(props.name), change.status_from.value_or("-"), change.status_to.value_or("-")});
    }
    out += table.Render();
  }

  for (auto [title, recs] : {std::pair<const char*, const std::vector<Recommendation>*>{"appeared", &changes.appeared},
                             {"disappeared", &changes.disappeared}}) {
    out += std::string("\nRecommendations of all that ") + title + ": " + std::to_string(recs->size()) + "\n";
    if (recs->empty()) continue;
    TextTable table({"control", "owner", "status", "impact"});
    for (const auto& rec : *recs) {
      const auto& control = graph.control_info(rec.control).control;
      table.AddRow({Printable(control.id), OrDash(control.owner), std::string(model::ControlStatusName(rec.status)), Score(rec.impact)});
    }
    out += table.Render();
  }

  out += "\nIncidents counted in between: " + std::to_string(changes.incidents.size()) + "\n";
  if (!changes.incidents.empty()) {
    TextTable table({"incident", "time", "classification"});
    for (size_t idx : changes.incidents) {
      const auto& info = graph.incidents()[idx];
      table.AddRow({Printable(std::string(info.id)), FormatIsoTime(*info.Time()), std::string(model::ClassificationName(info.classification))});
    }
    out += table.Render();
  }
  return out;
}

}  // namespace tidemark::report
