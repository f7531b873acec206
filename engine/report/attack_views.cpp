#include "engine/report/attack_views.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/core/text.h"
#include "engine/graph/defense_graph.h"
#include "engine/report/text_table.h"
#include "engine/scoring/scorer.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"
#include "engine/report/number_format.h"

namespace tidemark::report {
namespace {

using model::AttackKind;
using model::AttackObject;
using store::AttackCatalog;

struct Ref {
  std::string id;
  std::string name;
  std::string kind;
};

std::string NameOf(const store::ReadTxn& txn, AttackKind kind, const std::string& id) {
  auto object = AttackCatalog::Find(txn, kind, id);
  return object ? object->name : "";
}

std::optional<AttackKind> ThreatKindOfId(std::string_view id) {
  if (id.empty()) return std::nullopt;
  switch (id[0]) {
    case 'G': return AttackKind::kGroup;
    case 'C': return AttackKind::kCampaign;
    case 'S': return AttackKind::kSoftware;
    default: return std::nullopt;
  }
}

template <typename W>
void WriteRefs(W& w, const char* key, const std::vector<Ref>& refs, bool with_kind) {
  w.Key(key);
  w.StartArray();
  for (const auto& ref : refs) {
    w.StartObject();
    WriteField(w, "id", ref.id);
    WriteField(w, "name", ref.name);
    if (with_kind) WriteField(w, "kind", ref.kind);
    w.EndObject();
  }
  w.EndArray();
}

std::string RefList(const std::vector<Ref>& refs) {
  std::vector<std::string> parts;
  for (const auto& ref : refs) parts.push_back(ref.id + " " + ref.name);
  return JoinList(parts, "\n");
}


// The technique card names the newest incidents it was seen in, then counts the others.
constexpr size_t kCardIncidents = 10;

}  // namespace

Result<std::string> TechniqueCard(const store::ReadTxn& txn, std::string_view text, Format format, TimeMs tau) {
  auto id = NormalizeTechniqueId(text);
  if (!id) return Status::NotFound("\"" + std::string(text) + "\" is not a technique ID (expected T1234 or T1234.567)");
  auto resolution = AttackCatalog::ResolveTechnique(txn, *id);
  if (resolution.kind == store::TechniqueResolution::Kind::kRevoked) {
    return Status::NotFound("technique " + *id + " is revoked in ATT&CK, with no successor in the loaded data: "
                            "it is kept on incidents as unknown and never scored");
  }
  if (resolution.kind == store::TechniqueResolution::Kind::kUnknown) {
    return Status::NotFound("technique " + *id + " is not in the loaded ATT&CK data (see `tidemark info`)");
  }
  AttackObject t = *AttackCatalog::Find(txn, AttackKind::kTechnique, resolution.id);
  std::vector<Ref> subs, mitigations, threats;
  for (const auto& sub : t.subtechniques) subs.push_back({sub, NameOf(txn, AttackKind::kTechnique, sub), ""});
  for (const auto& m : t.mitigations) mitigations.push_back({m, NameOf(txn, AttackKind::kMitigation, m), ""});
  for (const auto& user : AttackCatalog::UsersOf(txn, t.id)) {
    auto kind = ThreatKindOfId(user);
    if (!kind) continue;
    threats.push_back({user, NameOf(txn, *kind, user), std::string(model::AttackKindName(*kind))});
  }
  std::string parent_name = t.parent.empty() ? "" : NameOf(txn, AttackKind::kTechnique, t.parent);
  // The organisation's side at τ: the controls that reach it (SPEC §3 C(t), parent fallback
  // included) with their implementation, its coverage, and the incidents it was seen in. The
  // graph is built only when a catalog or incidents exist, so a bare ATT&CK store answers fast;
  // it loads only the incidents with this technique (its evidence) and the posture of the
  // controls that reach it.
  struct ControlReach {
    std::string id, title, type, via;
    double strength;
    std::optional<double> implemented;  // at τ, counted (protect) rows only
    std::string status;
  };
  std::vector<ControlReach> controls;
  std::optional<scoring::TechniqueRow> row;
  std::vector<std::pair<TimeMs, std::string>> seen_in;  // counted at τ, newest first
  if (txn.Count(store::Db::kControls) > 0 || txn.Count(store::Db::kIncidents) > 0) {
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
    if (auto vertex = graph.Technique(t.id)) {
      graph.LoadIncidents(txn, [&](std::string_view, std::span<const graph::Vertex> techniques) {
        return std::find(techniques.begin(), techniques.end(), *vertex) != techniques.end();
      });
      graph.LoadEvidence(txn, std::span<const graph::Vertex>(&*vertex, 1));
      scoring::Scorer scorer(graph);
      for (const auto& reach : scorer.ControlsOf(*vertex)) graph.LoadPostureOf(txn, reach.control);
      scoring::Scope scope;
      scope.kind = scoring::ScopeKind::kCustom;
      scope.id = t.id;
      scope.base_techniques = {*vertex};
      for (size_t idx = 0; idx < graph.incidents().size(); ++idx) {
        scope.incidents.push_back(idx);
        const auto& info = graph.incidents()[idx];
        if (info.CountsAt(tau)) seen_in.emplace_back(*info.Time(), info.id);
      }
      std::sort(seen_in.rbegin(), seen_in.rend());
      scoring::Evaluation ev = scorer.Evaluate(scope, tau);
      for (auto& technique_row : ev.techniques) {
        if (technique_row.technique == *vertex) row = std::move(technique_row);
      }
      for (const auto& reach : scorer.ControlsOf(*vertex)) {
        ControlReach c{graph.props(reach.control).id, graph.props(reach.control).name,
                       std::string(model::MappingTypeName(reach.type)), reach.via, reach.strength, std::nullopt, ""};
        if (row) {
          for (const auto& control_row : row->controls) {
            if (control_row.control != reach.control || control_row.via != reach.via) continue;
            c.implemented = control_row.implemented;
            c.status = model::ControlStatusName(control_row.status);
          }
        }
        controls.push_back(std::move(c));
      }
    }
  }
  std::vector<std::string> incident_ids;
  for (size_t idx = 0; idx < seen_in.size() && idx < kCardIncidents; ++idx) incident_ids.push_back(seen_in[idx].second);

  if (format == Format::kJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteField(w, "id", t.id);
    WriteField(w, "name", t.name);
    if (!resolution.revoked_from.empty()) WriteField(w, "revoked_from", resolution.revoked_from);
    w.Key("deprecated");
    w.Bool(t.deprecated);
    WriteField(w, "domain", t.domain);
    WriteStrings(w, "tactics", t.tactics);
    WriteStrings(w, "platforms", t.platforms);
    w.Key("parent");
    if (t.parent.empty()) {
      w.Null();
    } else {
      w.StartObject();
      WriteField(w, "id", t.parent);
      WriteField(w, "name", parent_name);
      w.EndObject();
    }
    WriteRefs(w, "subtechniques", subs, false);
    WriteRefs(w, "mitigations", mitigations, false);
    w.Key("controls");
    w.StartArray();
    for (const auto& c : controls) {
      w.StartObject();
      WriteField(w, "id", c.id);
      WriteField(w, "title", c.title);
      WriteField(w, "type", c.type);
      w.Key("strength");
      w.Double(RoundScore(c.strength));
      WriteField(w, "via", c.via);
      if (c.implemented) {
        w.Key("implemented");
        w.Double(RoundScore(*c.implemented));
        WriteField(w, "status", c.status);
      }
      w.EndObject();
    }
    w.EndArray();
    WriteField(w, "as_of", FormatIsoTime(tau));
    w.Key("coverage");
    if (row) w.Double(RoundScore(row->coverage)); else w.Null();
    w.Key("status");
    if (row) WriteString(w, row->status); else w.Null();
    w.Key("incident_count");
    w.Uint64(seen_in.size());
    WriteStrings(w, "incidents", incident_ids);
    WriteRefs(w, "threats", threats, true);
    WriteField(w, "url", t.url);
    w.EndObject();
    return BufferString(buf);
  }
  std::vector<std::pair<std::string, std::string>> fields = {{"Technique", t.id + " " + t.name}};
  if (!resolution.revoked_from.empty()) fields.push_back({"Revoked from", resolution.revoked_from});
  if (t.deprecated) fields.push_back({"Deprecated", "yes"});
  fields.push_back({"Tactics", JoinList(t.tactics)});
  fields.push_back({"Platforms", JoinList(t.platforms)});
  if (!t.parent.empty()) fields.push_back({"Parent", t.parent + " " + parent_name});
  if (!subs.empty()) fields.push_back({"Sub-techniques", RefList(subs)});
  fields.push_back({"Mitigations", mitigations.empty() ? "(none in ATT&CK)" : RefList(mitigations)});
  fields.push_back({"As of", FormatDate(tau)});
  fields.push_back({"Coverage", row ? FormatFraction(row->coverage) + " (" + row->status + ")"
                                    : std::string("- (no control of the organisation reaches it)")});
  std::vector<std::string> control_lines;
  for (const auto& c : controls) {
    control_lines.push_back(c.id + " (" + c.type + " " + FormatFraction(c.strength) + ", " + c.via + ")" +
                            (c.implemented ? ", implemented " + FormatFraction(*c.implemented) + ", " + c.status : ""));
  }
  if (!control_lines.empty()) fields.push_back({"Controls", JoinList(control_lines, "\n")});
  std::string seen = Plural(seen_in.size(), "incident");
  if (!incident_ids.empty()) {
    seen += ": " + JoinList(incident_ids) +
            (seen_in.size() > incident_ids.size() ? " +" + std::to_string(seen_in.size() - incident_ids.size()) + " more" : "");
  }
  fields.push_back({"Seen in", seen});
  fields.push_back({"Used by", Plural(threats.size(), "threat")});
  std::string out = RenderFields(fields);
  return out;
}

Result<std::string> MitigationCard(const store::ReadTxn& txn, std::string_view text, Format format) {
  std::string id(text);
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto m = AttackCatalog::Find(txn, AttackKind::kMitigation, id);
  if (!m) return Status::NotFound("mitigation " + id + " is not in the loaded ATT&CK data");
  std::vector<Ref> techniques;
  for (const auto& t : m->techniques) techniques.push_back({t, NameOf(txn, AttackKind::kTechnique, t), ""});
  // The organisation's controls that implement it (the graph's rule: a catalog control's
  // `mitigations`, or a mapping row naming the mitigation).
  std::vector<Ref> controls;
  if (txn.Count(store::Db::kControls) > 0) {
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
    if (auto vertex = graph.Mitigation(m->id)) {
      for (graph::Vertex c : graph.ControlsImplementing(*vertex)) controls.push_back({graph.props(c).id, graph.props(c).name, ""});
    }
  }
  if (format == Format::kJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteField(w, "id", m->id);
    WriteField(w, "name", m->name);
    w.Key("deprecated");
    w.Bool(m->deprecated);
    WriteField(w, "domain", m->domain);
    WriteRefs(w, "techniques", techniques, false);
    w.Key("controls");
    w.StartArray();
    for (const auto& c : controls) {
      w.StartObject();
      WriteField(w, "id", c.id);
      WriteField(w, "title", c.name);
      w.EndObject();
    }
    w.EndArray();
    WriteField(w, "url", m->url);
    w.EndObject();
    return BufferString(buf);
  }
  TextTable table({"technique", "name"});
  for (const auto& t : techniques) table.AddRow({t.id, t.name});
  std::vector<std::string> control_lines;
  for (const auto& c : controls) control_lines.push_back(c.id + "  " + c.name);
  std::vector<std::pair<std::string, std::string>> fields = {{"Mitigation", m->id + " " + m->name}};
  fields.push_back({"Our controls", control_lines.empty() ? "none in the catalog implements it" : JoinList(control_lines, "\n")});
  fields.push_back({"Techniques", std::to_string(techniques.size())});
  return RenderFields(fields) + "\n" + table.Render();
}

Result<std::string> SearchAttack(const store::ReadTxn& txn, std::string_view text, Format format) {
  std::string needle = ToLower(Trim(text));
  if (needle.empty()) return Status::BadInput("search needs some text to look for (an ID, or part of a name)");
  struct Hit {
    std::string kind, id, name, matched, domain;
  };
  std::vector<Hit> hits;
  auto contains = [&](std::string_view haystack) { return ToLower(haystack).find(needle) != std::string::npos; };
  for (AttackKind kind : {AttackKind::kTechnique, AttackKind::kMitigation, AttackKind::kGroup,
                          AttackKind::kCampaign, AttackKind::kSoftware}) {
    AttackCatalog::ForEach(txn, kind, [&](const AttackObject& o) {
      if (o.revoked || o.deprecated) return;
      std::string matched;
      if (contains(o.name) || ToLower(o.id) == needle) {
        matched = o.name;
      } else {
        for (const auto& alias : o.aliases) {
          if (contains(alias)) {
            matched = alias;
            break;
          }
        }
      }
      std::string domain = o.domain.substr(0, o.domain.find("-attack"));
      if (!matched.empty()) hits.push_back({std::string(model::AttackKindName(kind)), o.id, o.name, matched, domain});
    });
  }
  store::OrgCatalog::ForEachControl(txn, [&](const model::Control& c) {
    if (contains(c.id) || contains(c.title)) hits.push_back({"control", c.id, c.title, c.title, ""});
  });
  std::set<std::string> custom;
  store::IncidentCatalog::ForEach(txn, [&](const model::Incident& inc) {
    if (contains(inc.id) || contains(inc.title)) hits.push_back({"incident", inc.id, inc.title, inc.title, ""});
    for (const auto& threat : inc.threats) {
      if (!IsThreatIdShape(threat) && contains(threat)) custom.insert(threat);
    }
  });
  for (const auto& name : custom) hits.push_back({"custom threat", name, name, name, ""});
  if (format == Format::kJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteField(w, "query", text);
    w.Key("results");
    w.StartArray();
    for (const auto& h : hits) {
      w.StartObject();
      WriteField(w, "kind", h.kind);
      WriteField(w, "id", h.id);
      WriteField(w, "name", h.name);
      WriteField(w, "matched", h.matched);
      w.Key("domain");
      if (h.domain.empty()) w.Null(); else WriteString(w, h.domain);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return BufferString(buf);
  }
  if (hits.empty()) return "Nothing matches \"" + std::string(text) + "\" in ATT&CK, controls, incidents or custom threats.\n";
  TextTable table({"kind", "id", "name", "domain", "matched"});
  for (const auto& h : hits) table.AddRow({h.kind, h.id, h.name, h.domain, h.matched == h.name ? "" : h.matched});
  return table.Render();
}

std::string StoreInfo(const store::Store& store, const store::ReadTxn& txn, Format format) {
  auto releases = AttackCatalog::Releases(txn);
  std::vector<std::pair<std::string, size_t>> counts;
  for (AttackKind kind : {AttackKind::kTechnique, AttackKind::kTactic, AttackKind::kMitigation,
                          AttackKind::kGroup, AttackKind::kCampaign, AttackKind::kSoftware,
                          AttackKind::kDataComponent, AttackKind::kDetectionStrategy}) {
    size_t live = 0;
    AttackCatalog::ForEach(txn, kind, [&](const AttackObject& o) { live += !o.revoked && !o.deprecated; });
    counts.emplace_back(std::string(model::AttackKindName(kind)), live);
  }
  std::vector<std::pair<std::string, size_t>> tables = {
      {"controls", txn.Count(store::Db::kControls)}, {"mappings", txn.Count(store::Db::kMappings)},
      {"posture_records", txn.Count(store::Db::kPosture)}, {"assets", txn.Count(store::Db::kAssets)},
      {"incidents", txn.Count(store::Db::kIncidents)}, {"feed_events", txn.Count(store::Db::kFeed)}};
  std::string schema(txn.Get(store::Db::kMeta, "schema_version").value_or(""));
  if (format == Format::kJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteField(w, "store", store.path());
    w.Key("schema_version");
    w.Int(std::atoi(schema.c_str()));
    w.Key("attack_releases");
    w.StartObject();
    for (const auto& [domain, info] : releases) {
      w.Key(domain.c_str());
      w.StartObject();
      WriteField(w, "version", info.version);
      WriteField(w, "modified", info.modified);
      w.EndObject();
    }
    w.EndObject();
    w.Key("attack_objects");
    w.StartObject();
    for (const auto& [kind, n] : counts) {
      w.Key(kind.c_str());
      w.Uint64(n);
    }
    w.EndObject();
    for (const auto& [name, n] : tables) {
      w.Key(name.c_str());
      w.Uint64(n);
    }
    w.EndObject();
    return BufferString(buf);
  }
  std::vector<std::pair<std::string, std::string>> fields = {{"Store", store.path()},
                                                             {"Schema version", schema}};
  std::vector<std::string> release_list;
  for (const auto& [domain, info] : releases) release_list.push_back(domain + " " + info.version);
  fields.push_back({"ATT&CK", release_list.empty() ? "(none loaded)" : JoinList(release_list)});
  for (const auto& [kind, n] : counts) fields.push_back({kind, std::to_string(n)});
  for (const auto& [name, n] : tables) fields.push_back({name, std::to_string(n)});
  return RenderFields(fields);
}

}  // namespace tidemark::report
