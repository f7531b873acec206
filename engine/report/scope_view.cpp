#include "engine/report/scope_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/report/incident_record.h"
#include "engine/report/text_table.h"

namespace tidemark::report {
namespace {

using graph::DefenseGraph;
using graph::Vertex;
using scoring::Evaluation;

std::string Finish(rapidjson::StringBuffer& buf) { return std::string(buf.GetString(), buf.GetSize()); }

template <typename W>
void WriteScore(W& w, const char* key, std::optional<double> value) {
  w.Key(key);
  if (value) w.Double(RoundScore(*value)); else w.Null();
}

std::string Num(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", RoundScore(value));
  return buf;
}

std::string Score(std::optional<double> value) {
  if (!value) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *value);
  return buf;
}

std::optional<model::Incident> ScopeIncident(const DefenseGraph& graph, const Evaluation& ev) {
  if (ev.scope.kind != scoring::ScopeKind::kIncident || ev.scope.incidents.empty()) return std::nullopt;
  return graph.IncidentRecord(ev.scope.incidents.front());
}

template <typename W>
void WriteRecommendation(W& w, const DefenseGraph& graph, const scoring::Recommendation& rec) {
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
  w.EndObject();
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
  // Written pretty in one pass: `threat all` over 100,000 incidents prints megabytes, and a
  // compact-then-reformat round trip doubled its run time.
  rapidjson::StringBuffer buf;
  PrettyJsonWriter w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("scope");
  w.StartObject();
  WriteField(w, "kind", scoring::ScopeKindName(ev.scope.kind));
  WriteField(w, "id", ev.scope.id);
  WriteField(w, "name", ev.scope.name);
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
    IncidentRecordWriter(nullptr).Write(w, *incident);
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
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  WriteStrings(w, "unknown_techniques", ev.scope.unknown_techniques);
  w.Key("recommendations");
  w.StartArray();
  for (const auto& rec : ev.recommendations) WriteRecommendation(w, graph, rec);
  w.EndArray();
  w.EndObject();
  return Finish(buf) + "\n";
}

std::string ScopeText(const DefenseGraph& graph, const Evaluation& ev) {
  std::string out;
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<model::Incident> incident = ScopeIncident(graph, ev);
  fields.push_back({std::string(1, static_cast<char>(std::toupper(scoring::ScopeKindName(ev.scope.kind)[0]))) +
                        std::string(scoring::ScopeKindName(ev.scope.kind).substr(1)),
                    ev.scope.id + (ev.scope.name.empty() || ev.scope.name == ev.scope.id ? "" : "  " + ev.scope.name)});
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
  fields.push_back({"Resilience", Score(ev.resilience) + "   exposure " +
                                      Score(ev.resilience ? std::optional<double>(100 - *ev.resilience) : std::nullopt)});
  fields.push_back({"Incidents", std::to_string(ev.incidents) + " counted, " + std::to_string(ev.affected_assets) +
                                     " affected assets"});
  if (!ev.scope.unknown_techniques.empty()) fields.push_back({"Unknown IDs", JoinList(ev.scope.unknown_techniques)});
  out += RenderFields(fields);

  out += "\nExposures\n";
  TextTable techniques({"technique", "name", "status", "coverage", "weight", "controls (strength x implemented, path)"});
  for (const auto& row : ev.techniques) {
    const auto& t = graph.props(row.technique);
    std::vector<std::string> controls;
    for (const auto& c : row.controls) {
      controls.push_back(graph.props(c.control).id + " " + Num(c.strength) + "x" + Num(c.implemented) + " " + c.via +
                         (c.counted ? "" : " [" + std::string(model::MappingTypeName(c.type)) + ", not scored]"));
    }
    techniques.AddRow({t.id, t.name, row.status, Num(row.coverage), Num(row.weight),
                       controls.empty() ? "-" : JoinList(controls, "; ")});
  }
  out += techniques.Render();

  out += "\nRecommendations (what to fix first)\n";
  if (ev.recommendations.empty()) {
    out += "(none: every reachable control is in place, risk-accepted, or nothing maps to these techniques)\n";
    return out;
  }
  TextTable recs({"#", "control", "title", "status", "implemented", "impact", "closes"});
  size_t rank = 0;
  for (const auto& rec : ev.recommendations) {
    const auto& control = graph.control_info(rec.control).control;
    std::vector<std::string> ids;
    for (Vertex t : rec.techniques) ids.push_back(graph.props(t).id);
    recs.AddRow({std::to_string(++rank), control.id, control.title, std::string(model::ControlStatusName(rec.status)),
                 Num(rec.implemented), "+" + Num(rec.impact), JoinList(ids)});
  }
  out += recs.Render();
  out += "\nWhy (scope -> technique -> mitigation/mapping -> control)\n";
  for (const auto& rec : ev.recommendations) {
    const std::string& control_id = graph.props(rec.control).id;
    for (Vertex t : rec.techniques) {
      for (const auto& row : ev.techniques) {
        if (row.technique != t) continue;
        for (const auto& c : row.controls) {
          if (c.control != rec.control || !c.counted) continue;
          std::string path = c.via == "direct" ? "mapping" : c.via;
          if (c.via == "parent") {
            auto parent = graph.Parent(t);
            path = "parent " + (parent ? graph.props(*parent).id : std::string("?"));
          }
          out += "  " + ev.scope.id + " -> " + graph.props(t).id + " " + graph.props(t).name + " -> " + path +
                 " -> " + control_id + " (strength " + Num(c.strength) + ")\n";
        }
      }
    }
  }
  return out;
}

bool RecommendationFilter::Accepts(const model::Control& control, model::ControlStatus status) const {
  auto match = [](const std::string& want, const std::string& have) {
    return want.empty() || ToLower(want) == ToLower(have);
  };
  return match(product, control.product) && match(category, control.category) && match(license, control.license) &&
         match(remediation_type, control.remediation_type) &&
         (this->status.empty() || ToLower(this->status) == model::ControlStatusName(status));
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

std::string RecommendationsJson(const DefenseGraph& graph, const Evaluation& ev, const RecommendationFilter& filter,
                                const std::string& group_by) {
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
  std::vector<const scoring::Recommendation*> kept;
  for (const auto& rec : ev.recommendations) {
    if (filter.Accepts(graph.control_info(rec.control).control, rec.status)) kept.push_back(&rec);
  }
  w.Key("recommendations");
  w.StartArray();
  for (const auto* rec : kept) WriteRecommendation(w, graph, *rec);
  w.EndArray();
  if (!group_by.empty()) {
    std::map<std::string, std::pair<size_t, double>> groups;
    for (const auto* rec : kept) {
      auto& g = groups[GroupKey(graph.control_info(rec->control).control, rec->status, group_by)];
      ++g.first;
      g.second += rec->impact;
    }
    w.Key("groups");
    w.StartArray();
    for (const auto& [key, totals] : groups) {
      w.StartObject();
      WriteField(w, group_by.c_str(), key);
      w.Key("controls");
      w.Uint64(totals.first);
      w.Key("impact");
      w.Double(RoundScore(totals.second));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return Finish(buf);
}

std::string RecommendationsText(const DefenseGraph& graph, const Evaluation& ev, const RecommendationFilter& filter,
                                const std::string& group_by) {
  std::string out = "Scope " + ev.scope.id + ", resilience " + Score(ev.resilience) + " as of " + FormatIsoTime(ev.tau) + "\n\n";
  TextTable table({"#", "control", "title", "product", "category", "license", "status", "impact", "techniques"});
  std::map<std::string, std::pair<size_t, double>> groups;
  size_t rank = 0;
  for (const auto& rec : ev.recommendations) {
    const auto& c = graph.control_info(rec.control).control;
    if (!filter.Accepts(c, rec.status)) continue;
    table.AddRow({std::to_string(++rank), c.id, c.title, c.product, c.category, c.license,
                  std::string(model::ControlStatusName(rec.status)), "+" + Num(rec.impact),
                  std::to_string(rec.techniques.size())});
    auto& g = groups[GroupKey(c, rec.status, group_by)];
    ++g.first;
    g.second += rec.impact;
  }
  out += table.empty() ? "(no recommendations)\n" : table.Render();
  if (!group_by.empty()) {
    TextTable totals({group_by, "controls", "impact"});
    for (const auto& [key, t] : groups) totals.AddRow({key.empty() ? "(none)" : key, std::to_string(t.first), "+" + Num(t.second)});
    out += "\n" + totals.Render();
  }
  return out;
}

std::string ThreatsJson(const std::vector<ThreatRank>& ranks, TimeMs tau) {
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
    w.Key("incidents");
    w.Uint64(r.incidents);
    w.Key("techniques");
    w.Uint64(r.techniques);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Finish(buf);
}

std::string ThreatsText(const std::vector<ThreatRank>& ranks, TimeMs tau) {
  TextTable table({"#", "threat", "name", "kind", "exposure", "resilience", "incidents", "techniques"});
  size_t rank = 0;
  for (const auto& r : ranks) {
    table.AddRow({std::to_string(++rank), r.scope.id, r.scope.name, std::string(scoring::ScopeKindName(r.scope.kind)),
                  Score(r.resilience ? std::optional<double>(100 - *r.resilience) : std::nullopt), Score(r.resilience),
                  std::to_string(r.incidents), std::to_string(r.techniques)});
  }
  return "Threats by exposure, as of " + FormatIsoTime(tau) + "\n\n" + table.Render();
}

std::string HistoryJson(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points) {
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
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Finish(buf);
}

std::string HistoryCsv(const std::vector<scoring::HistoryPoint>& points) {
  std::string out = "date,resilience,exposure,incidents,posture_changed,incident_added\n";
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
  }
  return out;
}

std::string HistorySvg(const scoring::Scope& scope, const std::vector<scoring::HistoryPoint>& points) {
  constexpr double kWidth = 720, kHeight = 320, kLeft = 56, kRight = 48, kTop = 40, kBottom = 48;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  TimeMs first = points.empty() ? 0 : points.front().date;
  TimeMs last = points.empty() ? 0 : points.back().date;
  double span = last > first ? static_cast<double>(last - first) : 1.0;
  auto x_of = [&](TimeMs t) { return kLeft + (points.size() <= 1 ? plot_w / 2 : plot_w * static_cast<double>(t - first) / span); };
  auto y_of = [&](double r) { return kTop + plot_h * (1.0 - r / 100.0); };
  char buf[256];
  std::string svg;
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                "role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n",
                kWidth, kHeight, kWidth, kHeight);
  svg += buf;
  svg += "<title>Resilience of " + XmlEscape(scope.id) + " over time</title>\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  svg += "<text x=\"" + std::to_string(static_cast<int>(kLeft)) + "\" y=\"22\" font-size=\"14\" font-weight=\"bold\">Resilience: " +
         XmlEscape(scope.name.empty() ? scope.id : scope.name) + "</text>\n";
  for (int tick = 0; tick <= 100; tick += 25) {
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444444\">%d</text>\n",
                  kLeft, y_of(tick), kLeft + plot_w, y_of(tick), kLeft - 6, y_of(tick) + 4, tick);
    svg += buf;
  }
  std::snprintf(buf, sizeof buf, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444444\"/>\n", kLeft,
                kTop + plot_h, kLeft + plot_w, kTop + plot_h);
  svg += buf;
  // Date labels: first, last and up to four between.
  size_t label_count = std::min<size_t>(points.size(), 6);
  for (size_t idx = 0; idx < label_count; ++idx) {
    size_t point_idx = label_count == 1 ? 0 : idx * (points.size() - 1) / (label_count - 1);
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444444\">%s</text>\n",
                  x_of(points[point_idx].date), kTop + plot_h + 18, FormatDate(points[point_idx].date).c_str());
    svg += buf;
  }
  std::string path;
  for (const auto& p : points) {
    if (!p.resilience) continue;
    std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", path.empty() ? "M" : " L", x_of(p.date), y_of(*p.resilience));
    path += buf;
  }
  if (!path.empty()) svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>\n";
  for (const auto& p : points) {
    if (!p.resilience) continue;
    const char* color = p.incident_added ? "#d1242f" : "#1f6feb";
    std::snprintf(buf, sizeof buf,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s: %.1f%s%s</title></circle>\n",
                  x_of(p.date), y_of(*p.resilience), color, FormatDate(p.date).c_str(), *p.resilience,
                  p.posture_changed ? ", posture changed" : "", p.incident_added ? ", new incident" : "");
    svg += buf;
  }
  std::snprintf(buf, sizeof buf,
                "<text x=\"%.1f\" y=\"%.1f\" fill=\"#444444\">blue: posture change, red: new incident</text>\n",
                kLeft, kHeight - 8);
  svg += buf;
  if (points.empty()) svg += "<text x=\"360\" y=\"160\" text-anchor=\"middle\">no data in range</text>\n";
  svg += "</svg>\n";
  return svg;
}

}  // namespace tidemark::report
