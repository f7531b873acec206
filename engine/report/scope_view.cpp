#include "engine/report/scope_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/report/incident_record.h"
#include "engine/report/line_chart.h"
#include "engine/report/number_format.h"
#include "engine/report/text_table.h"
#include "engine/report/vulnerability_view.h"

namespace tidemark::report {
namespace {

using graph::DefenseGraph;
using graph::Vertex;
using scoring::Evaluation;


template <typename W>
void WriteScore(W& w, const char* key, std::optional<double> value) {
  w.Key(key);
  if (value) w.Double(RoundScore(*value)); else w.Null();
}

std::optional<model::Incident> ScopeIncident(const DefenseGraph& graph, const Evaluation& ev) {
  if (ev.scope.kind != scoring::ScopeKind::kIncident || ev.scope.incidents.empty()) return std::nullopt;
  return graph.IncidentRecord(ev.scope.incidents.front());
}

template <typename W>
void WriteRecommendation(W& w, const DefenseGraph& graph, const scoring::Recommendation& rec, TimeMs tau) {
  const auto& control = graph.control_info(rec.control).control;
  w.StartObject();
  WriteField(w, "control", control.id);
  WriteField(w, "title", control.title);
  WriteField(w, "product", control.product);
  WriteField(w, "category", control.category);
  WriteField(w, "license", control.license);
  WriteField(w, "remediation_type", control.remediation_type);
  WriteField(w, "status", model::ControlStatusName(rec.status));
  w.Key("implemented");
  w.Double(RoundScore(rec.implemented));
  w.Key("impact");
  w.Double(RoundScore(rec.impact));
  w.Key("techniques");
  w.StartArray();
  for (Vertex t : rec.techniques) WriteString(w, graph.props(t).id);
  w.EndArray();
  w.Key("reaches");
  w.StartArray();
  for (Vertex t : rec.reaches) WriteString(w, graph.props(t).id);
  w.EndArray();
  w.Key("points_gain");
  w.Double(RoundScore(rec.points_gain));
  WriteScore(w, "score_gain", rec.score_gain);
  w.Key("owner");
  if (control.owner.empty()) w.Null(); else WriteString(w, control.owner);
  w.Key("due");
  if (control.due) WriteString(w, FormatDate(*control.due)); else w.Null();
  w.Key("overdue");
  w.Bool(model::IsOverdue(control, rec.implemented, tau));
  w.EndObject();
}

std::vector<std::string> TechniqueIds(const DefenseGraph& graph, const std::vector<Vertex>& techniques) {
  std::vector<std::string> ids;
  for (Vertex t : techniques) ids.push_back(graph.props(t).id);
  return ids;
}

// Up to `limit` items, then "+N more" (N out of `total` when the list is itself the head of a
// longer one): a table never cuts a list silently.
std::string ShortList(const std::vector<std::string>& items, size_t limit = 10, size_t total = 0) {
  total = std::max(total, items.size());
  if (total <= limit) return JoinList(items);
  std::vector<std::string> head(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(limit, items.size())));
  return JoinList(head) + " +" + std::to_string(total - head.size()) + " more";
}

template <typename W, typename Flush>
void WriteGapsAndValidations(W& w, const DefenseGraph& graph, const Evaluation& ev, Flush&& flush) {
  w.Key("gaps");
  w.StartArray();
  for (const auto& gap : ev.gaps) {
    w.StartObject();
    WriteField(w, "mitigation", graph.props(gap.mitigation).id);
    WriteField(w, "name", graph.props(gap.mitigation).name);
    w.Key("impact");
    w.Double(RoundScore(gap.impact));
    WriteStrings(w, "techniques", TechniqueIds(graph, gap.techniques));
    w.EndObject();
  }
  w.EndArray();
  w.Key("validations");
  w.StartArray();
  for (const auto& v : ev.validations) {
    w.StartObject();
    WriteField(w, "control", graph.props(v.control).id);
    WriteStrings(w, "techniques", TechniqueIds(graph, v.techniques));
    WriteStrings(w, "incidents", v.incidents);
    w.Key("incidents_truncated");
    w.Bool(v.more_incidents);
    w.Key("baseline");
    w.Double(RoundScore(v.baseline));
    w.EndObject();
    flush();
  }
  w.EndArray();
}

// Incidents of the scope that count at τ, and their distinct assets, each sorted. Views into
// the graph: `threat all` lists 100,000 ids, so nothing is copied or put in a tree.
std::pair<std::vector<std::string_view>, std::vector<std::string_view>> CountedIncidentsAndAssets(
    const DefenseGraph& graph, const Evaluation& ev) {
  std::vector<std::string_view> incidents;
  std::vector<std::string_view> assets;
  std::vector<bool> asset_seen(graph.asset_ids().size(), false);
  incidents.reserve(ev.scope.incidents.size());
  for (size_t idx : ev.scope.incidents) {
    const auto& info = graph.incidents()[idx];
    if (!info.CountsAt(ev.tau)) continue;
    incidents.push_back(info.id);
    for (uint32_t asset : info.assets) {
      if (asset_seen[asset]) continue;
      asset_seen[asset] = true;
      assets.push_back(graph.asset_ids()[asset]);
    }
  }
  std::sort(incidents.begin(), incidents.end());
  std::sort(assets.begin(), assets.end());
  return {std::move(incidents), std::move(assets)};
}

}  // namespace

std::string PathWord(const DefenseGraph& graph, Vertex technique, std::string_view via) {
  if (via != "parent") return std::string(via);
  auto parent = graph.Parent(technique);
  return "parent " + (parent ? graph.props(*parent).id : std::string("?"));
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t') out += ' ';
        else if (c == 0x7f) out += ' ';
        else out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string ScopeJson(const DefenseGraph& graph, const Evaluation& ev) {
  std::string json;
  WriteScopeJson(graph, ev, [&](std::string_view piece) { json.append(piece); });
  return json;
}

void WriteScopeJson(const DefenseGraph& graph, const Evaluation& ev, const std::function<void(std::string_view)>& out) {
  // Written pretty in one pass: `threat all` over 100,000 incidents prints megabytes, and a
  // compact-then-reformat round trip doubled its run time. The buffer is handed on and reused
  // between rows (a writer only appends, so clearing it between values is safe).
  constexpr size_t kPieceBytes = size_t{1} << 20;
  rapidjson::StringBuffer buf(nullptr, kPieceBytes + (kPieceBytes >> 2));
  auto flush = [&] {
    if (buf.GetSize() < kPieceBytes) return;
    out(std::string_view(buf.GetString(), buf.GetSize()));
    buf.Clear();
  };
  PrettyJsonWriter w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("scope");
  w.StartObject();
  WriteField(w, "kind", scoring::ScopeKindName(ev.scope.kind));
  WriteField(w, "id", ev.scope.id);
  WriteField(w, "name", ev.scope.name);
  WriteFieldIfSet(w, "revoked_from", ev.scope.revoked_from);
  if (ev.scope.deprecated) {
    w.Key("deprecated");
    w.Bool(true);
  }
  w.EndObject();
  WriteField(w, "as_of", FormatIsoTime(ev.tau));
  WriteScore(w, "resilience", ev.resilience);
  WriteScore(w, "exposure", ev.resilience ? std::optional<double>(100.0 - *ev.resilience) : std::nullopt);
  w.Key("incidents");
  w.Uint64(ev.incidents);
  w.Key("affected_assets");
  w.Uint64(ev.affected_assets);
  if (auto incident = ScopeIncident(graph, ev)) {
    w.Key("incident");
    IncidentRecordWriter(&graph).Write(w, *incident);
  } else if (ev.scope.kind != scoring::ScopeKind::kAll) {
    // Threats list their counted incidents and assets; `all` does not (that list is every
    // counted incident, which `tidemark incidents` prints, and 100,000 ids would double the
    // time of `threat all`).
    auto [incidents, assets] = CountedIncidentsAndAssets(graph, ev);
    WriteStrings(w, "incident_ids", incidents);
    WriteStrings(w, "asset_ids", assets);
  }
  w.Key("techniques");
  w.StartArray();
  for (const auto& row : ev.techniques) {
    const auto& t = graph.props(row.technique);
    w.StartObject();
    WriteField(w, "id", t.id);
    WriteField(w, "name", t.name);
    WriteStrings(w, "tactics", t.tactics);
    WriteField(w, "status", row.status);
    w.Key("coverage");
    w.Double(RoundScore(row.coverage));
    w.Key("weight");
    w.Double(RoundScore(row.weight));
    if (t.deprecated) {
      w.Key("deprecated");
      w.Bool(true);
    }
    if (!row.succeeded_in.empty()) {
      WriteStrings(w, "succeeded_in", row.succeeded_in);
      w.Key("succeeded_count");
      w.Uint64(row.succeeded_count);
    }
    if (row.vulnerable_assets) {
      w.Key("vulnerable_assets");
      w.Uint64(*row.vulnerable_assets);
    }
    if (row.vulnerability_share) {
      w.Key("vulnerability_share");
      w.Double(RoundScore(*row.vulnerability_share));
    }
    w.Key("controls");
    w.StartArray();
    for (const auto& c : row.controls) {
      w.StartObject();
      WriteField(w, "id", graph.props(c.control).id);
      w.Key("strength");
      w.Double(RoundScore(c.strength));
      w.Key("implemented");
      w.Double(RoundScore(c.implemented));
      WriteField(w, "status", model::ControlStatusName(c.status));
      WriteField(w, "via", c.via);
      WriteField(w, "type", model::MappingTypeName(c.type));
      w.Key("counted");
      w.Bool(c.counted);
      if (c.has_evidence) {
        w.Key("baseline");
        w.Double(RoundScore(c.baseline));
        w.Key("credited");
        w.Double(RoundScore(c.credited));
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    flush();
  }
  w.EndArray();
  WriteStrings(w, "unknown_techniques", ev.scope.unknown_techniques);
  w.Key("recommendations");
  w.StartArray();
  for (const auto& rec : ev.recommendations) {
    WriteRecommendation(w, graph, rec, ev.tau);
    flush();
  }
  w.EndArray();
  WriteGapsAndValidations(w, graph, ev, flush);
  // Vulnerability exposure (SPEC §3): filled by VulnerabilityExposure::Fill; null and empty
  // when the command did not load it.
  WriteScore(w, "vulnerability_exposure", ev.vulnerability_exposure);
  WritePatches(w, ev.patches);
  if (ev.known_cves) WriteKnownCves(w, *ev.known_cves);
  w.EndObject();
  buf.Put('\n');
  out(std::string_view(buf.GetString(), buf.GetSize()));
}

namespace {

// One "why" line: "  <head><name><tail>", fitted to OutputWidth() like a table cell: the
// technique name is cut first (with "…"), so the path and the control stay readable.
std::string WhyLine(const std::string& head, const std::string& name, const std::string& tail) {
  std::string line = Printable("  " + head + name + tail);
  size_t width = OutputWidth();
  size_t fixed = DisplayWidth(Printable("  " + head + tail));
  if (width == 0 || DisplayWidth(line) <= width) return line + "\n";
  if (width > fixed + 1) return Printable("  " + head) + FitText(Printable(name), width - fixed) + Printable(tail) + "\n";
  return FitText(line, width) + "\n";
}

}  // namespace

std::string ScopeText(const DefenseGraph& graph, const Evaluation& ev) {
  std::string out;
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<model::Incident> incident = ScopeIncident(graph, ev);
  fields.push_back({std::string(1, static_cast<char>(std::toupper(scoring::ScopeKindName(ev.scope.kind)[0]))) +
                        std::string(scoring::ScopeKindName(ev.scope.kind).substr(1)),
                    ev.scope.id + (ev.scope.name.empty() || ev.scope.name == ev.scope.id ? "" : "  " + ev.scope.name)});
  if (!ev.scope.revoked_from.empty()) {
    fields.push_back({"Note", ev.scope.revoked_from + " is revoked in ATT&CK; shown as its successor " + ev.scope.id});
  }
  if (ev.scope.deprecated) fields.push_back({"Note", ev.scope.id + " is deprecated in ATT&CK (kept, flagged)"});
  if (incident) {
    fields.push_back({"Source", incident->source});
    fields.push_back({"Status", incident->status + ", " + std::string(model::ClassificationName(incident->classification)) +
                                    (incident->severity.empty() ? "" : ", severity " + incident->severity)});
    fields.push_back({"Created", incident->created ? FormatIsoTime(*incident->created) : "-"});
    fields.push_back({"Closed", incident->closed ? FormatIsoTime(*incident->closed) : "-"});
    std::vector<std::string> assets;
    for (const auto& a : incident->assets) assets.push_back(a.id + " (" + a.type + ")");
    fields.push_back({"Assets", JoinList(assets)});
    if (!incident->threats.empty()) fields.push_back({"Threats", JoinList(incident->threats)});
  }
  fields.push_back({"As of", FormatIsoTime(ev.tau)});
  fields.push_back({"Resilience", FormatScore(ev.resilience) + "   exposure " +
                                      FormatScore(ev.resilience ? std::optional<double>(100 - *ev.resilience) : std::nullopt)});
  fields.push_back({"Incidents", std::to_string(ev.incidents) + " counted, " + Plural(ev.affected_assets, "affected asset")});
  if (!ev.scope.unknown_techniques.empty()) fields.push_back({"Unknown IDs", JoinList(ev.scope.unknown_techniques)});
  out += RenderFields(fields);

  out += "\nExposures\n";
  TextTable techniques({"technique", "name", "status", "coverage", "weight", "succeeded in", "in place then",
                        "controls (strength x implemented, path)"});
  for (const auto& row : ev.techniques) {
    const auto& t = graph.props(row.technique);
    std::vector<std::string> controls, in_place;
    for (const auto& c : row.controls) {
      const std::string& id = graph.props(c.control).id;
      std::string credited = c.has_evidence && c.baseline > 0 ? " (credited " + FormatFraction(c.credited) + ")" : "";
      controls.push_back(id + " " + FormatFraction(c.strength) + "x" + FormatFraction(c.implemented) + " " + std::string(c.via) + credited +
                         (c.counted ? "" : " [" + std::string(model::MappingTypeName(c.type)) + ", not scored]"));
      if (c.has_evidence && c.baseline > 0) in_place.push_back(id + " " + FormatFraction(c.baseline));
    }
    const std::vector<std::string>& succeeded = row.succeeded_in;
    techniques.AddRow({t.id, t.name, row.status, FormatFraction(row.coverage), FormatAmount(row.weight),
                       succeeded.empty() ? "-" : ShortList(succeeded, 5, row.succeeded_count), in_place.empty() ? "-" : JoinList(in_place, "; "),
                       controls.empty() ? "-" : JoinList(controls, "; ")});
  }
  out += techniques.Render();

  out += "\nRecommendations (what to fix first)\n";
  if (ev.recommendations.empty()) {
    out += "(none: every reachable control is in place, risk-accepted, or nothing maps to these techniques)\n";
  } else {
    TextTable recs({"#", "control", "title", "status", "implemented", "impact", "raises"});
    size_t rank = 0;
    for (const auto& rec : ev.recommendations) {
      const auto& control = graph.control_info(rec.control).control;
      recs.AddRow({std::to_string(++rank), control.id, control.title, std::string(model::ControlStatusName(rec.status)),
                   FormatFraction(rec.implemented), FormatImpact(rec.impact), ShortList(TechniqueIds(graph, rec.techniques))});
    }
    out += recs.Render();
    out += "\nWhy (scope -> technique -> path -> control)\n";
    out += "  path: direct (mapped to the technique), mitigation:<ID> or parent <ID>\n";
    for (const auto& rec : ev.recommendations) {
      const std::string& control_id = graph.props(rec.control).id;
      for (Vertex t : rec.techniques) {
        for (const auto& row : ev.techniques) {
          if (row.technique != t) continue;
          for (const auto& c : row.controls) {
            if (c.control != rec.control || !c.counted) continue;
            out += WhyLine(ev.scope.id + " -> " + graph.props(t).id + " ", graph.props(t).name,
                           " -> " + PathWord(graph, t, c.via) + " -> " + control_id + " (strength " +
                               FormatFraction(c.strength) + ")");
          }
        }
      }
    }
  }

  out += "\nValidate (controls in place when a technique still succeeded)\n";
  if (ev.validations.empty()) {
    out += "(none)\n";
  } else {
    TextTable checks({"control", "title", "baseline", "techniques", "incidents"});
    for (const auto& v : ev.validations) {
      const auto& control = graph.control_info(v.control).control;
      const std::vector<std::string> incidents(v.incidents.begin(), v.incidents.end());
      checks.AddRow({control.id, control.title, FormatFraction(v.baseline), ShortList(TechniqueIds(graph, v.techniques)),
                     v.more_incidents ? JoinList(std::vector<std::string>(incidents.begin(), incidents.begin() + 5)) + " +over " +
                                             std::to_string(incidents.size() - 5) + " more"
                                       : ShortList(incidents, 5)});
    }
    out += checks.Render();
  }

  out += "\nGaps (ATT&CK mitigations no control implements)\n";
  if (ev.gaps.empty()) {
    out += "(none)\n";
  } else {
    TextTable gaps({"#", "mitigation", "name", "impact", "techniques"});
    size_t rank = 0;
    for (const auto& gap : ev.gaps) {
      gaps.AddRow({std::to_string(++rank), graph.props(gap.mitigation).id, graph.props(gap.mitigation).name,
                   FormatImpact(gap.impact), ShortList(TechniqueIds(graph, gap.techniques))});
    }
    out += gaps.Render();
  }
  return out;
}

bool RecommendationFilter::Accepts(const model::Control& control, model::ControlStatus status) const {
  auto match = [](const std::string& want, const std::string& have) {
    return want.empty() || ToLower(want) == ToLower(have);
  };
  return match(product, control.product) && match(category, control.category) && match(license, control.license) &&
         match(remediation_type, control.remediation_type) &&
         (this->status.empty() || ToLower(this->status) == model::ControlStatusName(status)) &&
         (owner.empty() || ToLower(owner) == ToLower(control.owner));
}

namespace {

std::string GroupKey(const model::Control& control, model::ControlStatus status, const std::string& group_by) {
  if (group_by == "product") return control.product;
  if (group_by == "category") return control.category;
  if (group_by == "license") return control.license;
  if (group_by == "status") return std::string(model::ControlStatusName(status));
  return "";
}

}  // namespace

namespace {

// Recommendations the filter keeps, and per group key (when grouping) the controls and their
// joint impact: every recommended control of the group at impl 1 at once (SPEC §3).
struct Groups {
  std::vector<const scoring::Recommendation*> kept;
  std::map<std::string, std::pair<std::vector<Vertex>, double>> groups;
};

Groups GroupRecommendations(scoring::Scorer& scorer, const DefenseGraph& graph, const Evaluation& ev,
                            const RecommendationFilter& filter, const std::string& group_by) {
  Groups out;
  for (const auto& rec : ev.recommendations) {
    const auto& control = graph.control_info(rec.control).control;
    if (!filter.Accepts(control, rec.status)) continue;
    out.kept.push_back(&rec);
    if (!group_by.empty()) out.groups[GroupKey(control, rec.status, group_by)].first.push_back(rec.control);
  }
  if (filter.sort == "points") {
    // Stable: equal points_gain keep the SPEC order (impact, then id).
    std::stable_sort(out.kept.begin(), out.kept.end(), [](const scoring::Recommendation* a, const scoring::Recommendation* b) {
      return a->points_gain > b->points_gain + 1e-9;
    });
  }
  for (auto& [key, group] : out.groups) group.second = scorer.JointImpact(ev, group.first);
  return out;
}

}  // namespace

std::string RecommendationsJson(scoring::Scorer& scorer, const DefenseGraph& graph, const Evaluation& ev,
                                const RecommendationFilter& filter, const std::string& group_by) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("scope");
  w.StartObject();
  WriteField(w, "kind", scoring::ScopeKindName(ev.scope.kind));
  WriteField(w, "id", ev.scope.id);
  w.EndObject();
  WriteField(w, "as_of", FormatIsoTime(ev.tau));
  WriteScore(w, "resilience", ev.resilience);
  Groups grouped = GroupRecommendations(scorer, graph, ev, filter, group_by);
  w.Key("recommendations");
  w.StartArray();
  for (const auto* rec : grouped.kept) WriteRecommendation(w, graph, *rec, ev.tau);
  w.EndArray();
  if (!group_by.empty()) {
    w.Key("groups");
    w.StartArray();
    for (const auto& [key, group] : grouped.groups) {
      w.StartObject();
      WriteField(w, group_by.c_str(), key);
      w.Key("controls");
      w.Uint64(group.first.size());
      w.Key("impact");
      w.Double(RoundScore(group.second));
      w.EndObject();
    }
    w.EndArray();
  }
  WriteGapsAndValidations(w, graph, ev, [] {});
  w.EndObject();
  return BufferString(buf);
}

std::string RecommendationsText(scoring::Scorer& scorer, const DefenseGraph& graph, const Evaluation& ev,
                                const RecommendationFilter& filter, const std::string& group_by) {
  std::string out = "Scope " + ev.scope.id + ", resilience " + FormatScore(ev.resilience) + " as of " + FormatIsoTime(ev.tau) + "\n\n";
  TextTable table({"#", "control", "title", "product", "category", "license", "status", "impact", "points", "owner", "techniques"});
  Groups grouped = GroupRecommendations(scorer, graph, ev, filter, group_by);
  size_t rank = 0;
  for (const auto* rec : grouped.kept) {
    const auto& c = graph.control_info(rec->control).control;
    table.AddRow({std::to_string(++rank), c.id, c.title, c.product, c.category, c.license,
                  std::string(model::ControlStatusName(rec->status)), FormatImpact(rec->impact), "+" + FormatAmount(rec->points_gain),
                  (c.owner.empty() ? std::string("-") : c.owner) + (model::IsOverdue(c, rec->implemented, ev.tau) ? " (overdue)" : ""),
                  std::to_string(rec->techniques.size())});
  }
  out += table.empty() ? "(no recommendations)\n" : table.Render();
  if (!group_by.empty()) {
    TextTable totals({group_by, "controls", "joint impact"});
    for (const auto& [key, group] : grouped.groups) {
      totals.AddRow({key.empty() ? "(none)" : key, std::to_string(group.first.size()), FormatImpact(group.second)});
    }
    out += "\n" + totals.Render();
  }
  return out;
}

void RankThreats(std::vector<ThreatRank>& ranks, bool by_ve) {
  std::sort(ranks.begin(), ranks.end(), [by_ve](const ThreatRank& a, const ThreatRank& b) {
    if ((a.incidents > 0) != (b.incidents > 0)) return a.incidents > 0;
    if (by_ve) {
      double va = a.vulnerability_exposure.value_or(-1), vb = b.vulnerability_exposure.value_or(-1);
      if (std::abs(va - vb) > 1e-9) return va > vb;
    }
    double ea = a.resilience ? 100 - *a.resilience : -1, eb = b.resilience ? 100 - *b.resilience : -1;
    if (std::abs(ea - eb) > 1e-9) return ea > eb;
    if (a.incidents != b.incidents) return a.incidents > b.incidents;
    return a.scope.id < b.scope.id;
  });
}

size_t CountedIncidents(const DefenseGraph& graph, const scoring::Scope& scope, TimeMs tau) {
  size_t counted = 0;
  for (size_t idx : scope.incidents) counted += graph.incidents()[idx].CountsAt(tau);
  return counted;
}

std::vector<ThreatRank> ObservedThreats(const DefenseGraph& graph, scoring::Scorer& scorer, TimeMs tau) {
  std::vector<ThreatRank> ranks;
  for (auto& scope : scoring::AllThreatScopes(graph)) {
    ThreatRank rank;
    rank.incidents = CountedIncidents(graph, scope, tau);
    if (rank.incidents == 0) continue;
    rank.resilience = scorer.Resilience(scope, tau, &rank.techniques);
    rank.scope = std::move(scope);
    ranks.push_back(std::move(rank));
  }
  RankThreats(ranks);
  return ranks;
}

std::string ThreatsJson(const std::vector<ThreatRank>& ranks, TimeMs tau, size_t more) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "as_of", FormatIsoTime(tau));
  w.Key("threats");
  w.StartArray();
  for (const auto& r : ranks) {
    w.StartObject();
    WriteField(w, "id", r.scope.id);
    WriteField(w, "name", r.scope.name);
    WriteField(w, "kind", scoring::ScopeKindName(r.scope.kind));
    WriteScore(w, "resilience", r.resilience);
    WriteScore(w, "exposure", r.resilience ? std::optional<double>(100 - *r.resilience) : std::nullopt);
    WriteScore(w, "vulnerability_exposure", r.vulnerability_exposure);
    w.Key("incidents");
    w.Uint64(r.incidents);
    w.Key("techniques");
    w.Uint64(r.techniques);
    w.EndObject();
  }
  w.EndArray();
  w.Key("more");
  w.Uint64(more);
  w.EndObject();
  return BufferString(buf);
}

std::string ThreatsText(const std::vector<ThreatRank>& ranks, TimeMs tau, size_t more, bool by_ve) {
  TextTable table({"#", "threat", "name", "kind", "exposure", "resilience", "VE", "incidents", "techniques"});
  size_t rank = 0;
  for (const auto& r : ranks) {
    table.AddRow({std::to_string(++rank), r.scope.id, r.scope.name, std::string(scoring::ScopeKindName(r.scope.kind)),
                  FormatScore(r.resilience ? std::optional<double>(100 - *r.resilience) : std::nullopt), FormatScore(r.resilience),
                  FormatScore(r.vulnerability_exposure), std::to_string(r.incidents), std::to_string(r.techniques)});
  }
  std::string footer;
  if (more > 0) {
    footer = fmt::format("\n{} more {} not shown (--all lists every one; --limit cuts the list)\n", more,
                         more == 1 ? "threat" : "threats");
  }
  return std::string(by_ve ? "Threats by vulnerability exposure" : "Threats by exposure") +
         " (seen in incidents first), as of " + FormatIsoTime(tau) + "\n\n" + table.Render() +
         footer;
}

std::string HistoryJson(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points,
                        const std::vector<std::optional<double>>* posture_scores,
                        const std::vector<std::optional<double>>* exposures) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("scope");
  w.StartObject();
  WriteField(w, "kind", scoring::ScopeKindName(scope.kind));
  WriteField(w, "id", scope.id);
  w.EndObject();
  w.Key("points");
  w.StartArray();
  for (const auto& p : points) {
    w.StartObject();
    WriteField(w, "date", FormatDate(p.date));
    WriteScore(w, "resilience", p.resilience);
    WriteScore(w, "exposure", p.resilience ? std::optional<double>(100 - *p.resilience) : std::nullopt);
    w.Key("incidents");
    w.Uint64(p.incidents);
    w.Key("posture_changed");
    w.Bool(p.posture_changed);
    w.Key("incident_added");
    w.Bool(p.incident_added);
    if (posture_scores) WriteScore(w, "posture_score", (*posture_scores)[static_cast<size_t>(&p - points.data())]);
    if (exposures) WriteScore(w, "vulnerability_exposure", (*exposures)[static_cast<size_t>(&p - points.data())]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return BufferString(buf);
}

std::string HistoryCsv(const std::vector<scoring::HistoryPoint>& points,
                       const std::vector<std::optional<double>>* posture_scores,
                       const std::vector<std::optional<double>>* exposures) {
  std::string out = "date,resilience,exposure,incidents,posture_changed,incident_added";
  out += posture_scores ? ",posture_score" : "";
  out += exposures ? ",vulnerability_exposure\n" : "\n";
  for (const auto& p : points) {
    char buf[160];
    if (p.resilience) {
      std::snprintf(buf, sizeof buf, "%s,%.4f,%.4f,%zu,%d,%d\n", FormatDate(p.date).c_str(), RoundScore(*p.resilience),
                    RoundScore(100 - *p.resilience), p.incidents, p.posture_changed, p.incident_added);
    } else {
      std::snprintf(buf, sizeof buf, "%s,,,%zu,%d,%d\n", FormatDate(p.date).c_str(), p.incidents, p.posture_changed,
                    p.incident_added);
    }
    out += buf;
    if (posture_scores) {
      auto score = (*posture_scores)[static_cast<size_t>(&p - points.data())];
      out.pop_back();  // the newline
      if (score) {
        std::snprintf(buf, sizeof buf, ",%.4f\n", RoundScore(*score));
        out += buf;
      } else {
        out += ",\n";
      }
    }
    if (exposures) {
      auto ve = (*exposures)[static_cast<size_t>(&p - points.data())];
      out.pop_back();  // the newline
      if (ve) {
        std::snprintf(buf, sizeof buf, ",%.4f\n", RoundScore(*ve));
        out += buf;
      } else {
        out += ",\n";
      }
    }
  }
  return out;
}

std::vector<ChartPoint> HistoryChartPoints(const std::vector<scoring::HistoryPoint>& points, bool mark_incidents) {
  std::vector<ChartPoint> chart;
  chart.reserve(points.size());
  for (const auto& p : points) {
    ChartPoint point{p.date, p.resilience, "", ""};
    if (p.posture_changed) point.note = "posture changed";
    if (p.incident_added) point.note += std::string(point.note.empty() ? "" : ", ") + "new incident";
    if (mark_incidents) point.marker = p.incident_added ? "#d1242f" : "#1f6feb";
    chart.push_back(std::move(point));
  }
  return chart;
}

std::string HistoryText(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points,
                        const std::vector<std::optional<double>>* exposures) {
  TextTable table({"date", "resilience", "exposure", "VE", "incidents", "change"});
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    std::optional<double> exposure = p.resilience ? std::optional<double>(100 - *p.resilience) : std::nullopt;
    std::string change = std::string(p.posture_changed ? "posture " : "") + (p.incident_added ? "incident" : "");
    if (change.empty()) change = "findings";  // a point only a finding's first_seen or fixed adds
    table.AddRow({FormatDate(p.date), FormatScore(p.resilience), FormatScore(exposure),
                  FormatScore(exposures ? (*exposures)[i] : std::nullopt), std::to_string(p.incidents), change});
  }
  return "Resilience of " + scope.id + "\n\n" + table.Render();
}

std::string HistorySvg(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points) {
  return LineChartSvg("Resilience: " + (scope.name.empty() ? scope.id : scope.name),
                      HistoryChartPoints(points, /*mark_incidents=*/true), "blue: posture change, red: new incident");
}

}  // namespace tidemark::report
