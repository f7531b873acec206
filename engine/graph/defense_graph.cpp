#include "engine/graph/defense_graph.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "engine/core/ids.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"

namespace tidemark::graph {
namespace {

using model::AttackKind;
using model::AttackObject;

EdgeProps Edge(EdgeKind kind) {
  EdgeProps props;
  props.kind = kind;
  return props;
}

}  // namespace

Vertex DefenseGraph::AddVertex(VertexProps props) { return boost::add_vertex(std::move(props), graph_); }

DefenseGraph DefenseGraph::Build(const store::ReadTxn& txn, bool with_threats, bool with_posture) {
  DefenseGraph g;
  // Techniques first; revoked ones only remember where they lead.
  std::unordered_map<std::string, std::string> revoked_by;
  std::vector<std::pair<std::string, std::string>> sub_of;
  store::AttackCatalog::ForEach(txn, AttackKind::kTechnique, [&](const AttackObject& t) {
    if (t.revoked) {
      revoked_by[t.id] = t.revoked_by;
      return;
    }
    VertexProps props;
    props.kind = VertexKind::kTechnique;
    props.id = t.id;
    props.name = t.name;
    props.tactics = t.tactics;
    props.domain = t.domain;
    props.deprecated = t.deprecated;
    g.techniques_[t.id] = g.AddVertex(std::move(props));
    if (!t.parent.empty()) sub_of.emplace_back(t.id, t.parent);
  });
  for (const auto& [from, to] : revoked_by) {
    std::string current = to;
    for (int hop = 0; hop < 16 && revoked_by.count(current); ++hop) current = revoked_by[current];
    if (g.techniques_.count(current)) g.revoked_to_[from] = current;
  }
  for (const auto& [sub, parent] : sub_of) {
    auto parent_vertex = g.Technique(parent);
    if (parent_vertex) boost::add_edge(g.techniques_[sub], *parent_vertex, Edge(EdgeKind::kSubtechniqueOf), g.graph_);
  }
  auto resolve = [&g](std::string_view id) -> std::optional<Vertex> {
    if (auto v = g.Technique(id)) return v;
    auto it = g.revoked_to_.find(id);
    if (it != g.revoked_to_.end()) return g.Technique(it->second);
    return std::nullopt;
  };

  store::AttackCatalog::ForEach(txn, AttackKind::kMitigation, [&](const AttackObject& m) {
    if (m.revoked || m.deprecated) return;
    VertexProps props;
    props.kind = VertexKind::kMitigation;
    props.id = m.id;
    props.name = m.name;
    Vertex v = g.AddVertex(std::move(props));
    g.mitigations_[m.id] = v;
    for (const auto& t : m.techniques) {
      if (auto tv = resolve(t)) boost::add_edge(v, *tv, Edge(EdgeKind::kMitigates), g.graph_);
    }
  });

  // Threats: live and deprecated ones become vertices (a deprecated group still answers, flagged:
  // AttackCatalog's resolution policy); revoked ones only remember where their chain leads,
  // across STIX types (malware S9000 -> tool S0508).
  std::unordered_map<std::string, std::string> threat_revoked_by;
  for (AttackKind kind : {AttackKind::kGroup, AttackKind::kCampaign, AttackKind::kSoftware}) {
    if (!with_threats) break;
    store::AttackCatalog::ForEach(txn, kind, [&](const AttackObject& threat) {
      if (threat.revoked) {
        threat_revoked_by[threat.id] = threat.revoked_by;
        return;
      }
      VertexProps props;
      props.kind = VertexKind::kThreat;
      props.id = threat.id;
      props.name = threat.name;
      props.deprecated = threat.deprecated;
      props.threat_kind = std::string(model::AttackKindName(kind));
      Vertex v = g.AddVertex(std::move(props));
      g.threats_[threat.id] = v;
      g.threat_vertices_.push_back(v);
      g.threat_names_.emplace(ToLower(threat.name), threat.id);
      for (const auto& alias : threat.aliases) g.threat_names_.emplace(ToLower(alias), threat.id);
      std::unordered_set<Vertex> seen;
      for (const auto& t : threat.techniques) {
        auto tv = resolve(t);
        if (tv && seen.insert(*tv).second) boost::add_edge(v, *tv, Edge(EdgeKind::kUses), g.graph_);
      }
    });
  }

  for (const auto& [from, to] : threat_revoked_by) {
    std::string current = to;
    for (int hop = 0; hop < 16 && threat_revoked_by.count(current); ++hop) current = threat_revoked_by[current];
    if (g.threats_.count(current)) g.threat_revoked_to_[from] = current;
  }

  auto add_control = [&g](model::Control control) {
    VertexProps props;
    props.kind = VertexKind::kControl;
    props.id = control.id;
    props.name = control.title;
    props.data = g.control_infos_.size();
    Vertex v = g.AddVertex(std::move(props));
    g.controls_by_id_[control.id] = v;
    g.control_vertices_.push_back(v);
    for (const auto& m : control.mitigations) {
      auto mv = g.mitigations_.find(m);
      if (mv != g.mitigations_.end()) boost::add_edge(v, mv->second, Edge(EdgeKind::kImplements), g.graph_);
    }
    g.control_infos_.push_back({std::move(control), {}});
    return v;
  };
  g.control_infos_.reserve(txn.Count(store::Db::kControls));
  g.control_vertices_.reserve(txn.Count(store::Db::kControls));
  store::OrgCatalog::ForEachControl(txn, [&](const model::Control& c) { add_control(c); });
  store::OrgCatalog::ForEachMappingEdge(txn, [&](const store::MappingEdge& m) {
    auto tv = resolve(m.technique);
    if (!tv) return;  // unknown to the loaded ATT&CK release: not scored
    auto cv = g.Control(m.control);
    Vertex control = cv ? *cv : [&] {
      model::Control created;
      created.id = std::string(m.control);
      created.title = std::string(m.control);
      created.source = std::string(m.source);
      return add_control(std::move(created));
    }();
    EdgeProps props = Edge(EdgeKind::kMapsTo);
    props.type = m.type;
    props.strength = m.strength;
    boost::add_edge(control, *tv, props, g.graph_);
  });
  if (with_posture) {
    store::OrgCatalog::ForEachPosture(txn, [&](const model::PostureRecord& r) {
      auto cv = g.Control(r.control);
      if (cv) g.control_infos_[g.graph_[*cv].data].posture.push_back(r);
    });
    for (auto& info : g.control_infos_) info.posture_loaded = info.posture_complete = true;
  }
  store::OrgCatalog::ForEachAsset(txn, [&](const model::Asset& a) { g.asset_weights_[a.id] = a.weight; });
  return g;
}

void DefenseGraph::LoadPostureAt(const store::ReadTxn& txn, Vertex control, TimeMs tau) {
  ControlInfo& info = control_infos_[graph_[control].data];
  if (info.posture_loaded) return;
  if (auto record = store::OrgCatalog::PostureAt(txn, info.control.id, tau)) info.posture.push_back(std::move(*record));
  info.posture_loaded = true;
}

void DefenseGraph::LoadPostureOf(const store::ReadTxn& txn, Vertex control) {
  ControlInfo& info = control_infos_[graph_[control].data];
  if (info.posture_complete) return;
  info.posture.clear();
  store::OrgCatalog::ForEachPostureOf(txn, info.control.id, [&](const model::PostureRecord& r) { info.posture.push_back(r); });
  info.posture_loaded = true;
  info.posture_complete = true;
}

void DefenseGraph::LoadIncidents(const store::ReadTxn& txn, bool borrow_evidence) {
  LoadIncidents(txn, nullptr);
  LoadEvidence(txn, borrow_evidence);
}

void DefenseGraph::LoadIncidents(const store::ReadTxn& txn,
                                 const std::function<bool(std::string_view, std::span<const Vertex>)>& keep) {
  // Straight from the stored bytes, whose IDs are term numbers (store/fact_terms.h): each
  // distinct term is resolved once (technique revocations, asset index and weight, threat
  // vertex) on first sight, in the order the scan meets it, and every later reference is a
  // vector index — no hashing or comparing of strings per incident. Only what scoring needs is
  // kept, copied into the incident arena: no allocation per incident.
  if (!keep) incident_infos_.reserve(incident_infos_.size() + txn.Count(store::Db::kIncidentFacts));
  store::FactTerms terms;
  // What each term number means in each role, filled on first sight.
  struct TermUse {
    bool technique_resolved = false;
    std::optional<Vertex> technique;
    std::string_view text;  // the term copied into the incident arena (unknown techniques)
    uint32_t asset = UINT32_MAX;
    std::optional<Vertex> threat;
    std::vector<size_t>* threat_incidents = nullptr;
  };
  std::vector<TermUse> uses;
  auto use_of = [&](uint32_t number) -> TermUse& {
    if (number >= uses.size()) {
      terms.Term(txn, number);  // throws when the table lacks it
      uses.resize(std::max<size_t>(terms.size(txn), number + 1));
    }
    return uses[number];
  };
  auto text_of = [&](uint32_t number, TermUse& use) {
    if (use.text.data() == nullptr) use.text = incident_arena_.Copy(terms.Term(txn, number));
    if (use.text.data() == nullptr) use.text = std::string_view("", 0);  // an empty term
    return use.text;
  };
  // Lists of the incident being read, reused for every incident.
  std::vector<Vertex> techniques, blocked, succeeded, threats;
  std::vector<uint32_t> assets;
  std::vector<std::string_view> unknown;
  store::IncidentCatalog::ForEachFactNumbers(txn, [&](std::string_view id, const store::IncidentFactNumbers& facts) {
    techniques.clear();
    blocked.clear();
    succeeded.clear();
    unknown.clear();
    // Any succeeded use wins (SPEC §3): a vertex is blocked only when every stored ID that
    // resolves to it was blocked.
    for (uint32_t number : facts.techniques) {
      TermUse& use = use_of(number);
      if (!use.technique_resolved) {
        use.technique = ResolveTechnique(terms.Term(txn, number));
        use.technique_resolved = true;
      }
      if (!use.technique) {
        unknown.push_back(text_of(number, use));
        continue;
      }
      Vertex tv = *use.technique;
      if (std::find(techniques.begin(), techniques.end(), tv) == techniques.end()) techniques.push_back(tv);
      bool is_blocked = std::find(facts.blocked.begin(), facts.blocked.end(), number) != facts.blocked.end();
      std::vector<Vertex>& list = is_blocked ? blocked : succeeded;
      if (std::find(list.begin(), list.end(), tv) == list.end()) list.push_back(tv);
    }
    if (keep && !keep(id, techniques)) return;
    std::erase_if(blocked, [&](Vertex v) { return std::find(succeeded.begin(), succeeded.end(), v) != succeeded.end(); });
    for (uint32_t number : facts.unknown_techniques) unknown.push_back(text_of(number, use_of(number)));
    double weight = 0;
    assets.clear();
    for (uint32_t number : facts.assets) {
      TermUse& use = use_of(number);
      if (use.asset == UINT32_MAX) use.asset = AssetIndex(terms.Term(txn, number));
      uint32_t asset_idx = use.asset;
      if (std::find(assets.begin(), assets.end(), asset_idx) != assets.end()) continue;
      assets.push_back(asset_idx);
      weight += asset_index_weights_[asset_idx];
    }
    size_t index = incident_infos_.size();
    threats.clear();
    for (uint32_t number : facts.threats) {
      TermUse& use = use_of(number);
      if (!use.threat) {
        use.threat = ThreatVertex(terms.Term(txn, number));
        use.threat_incidents = &incidents_of_threat_[*use.threat];  // node-based: stays valid
      }
      Vertex tv = *use.threat;
      if (std::find(threats.begin(), threats.end(), tv) != threats.end()) continue;
      threats.push_back(tv);
      use.threat_incidents->push_back(index);
    }
    IncidentInfo& info = incident_infos_.emplace_back();
    info.id = incident_arena_.Copy(id);
    info.created = facts.created;
    info.closed = facts.closed;
    info.classification = facts.classification;
    info.unknown_techniques = incident_arena_.Copy(std::span<const std::string_view>(unknown));
    info.techniques = incident_arena_.Copy(std::span<const Vertex>(techniques));
    info.blocked = incident_arena_.Copy(std::span<const Vertex>(blocked));
    info.assets = incident_arena_.Copy(std::span<const uint32_t>(assets));
    info.threats = incident_arena_.Copy(std::span<const Vertex>(threats));
    info.asset_weight = std::max(1.0, weight);
  });
}

std::optional<size_t> DefenseGraph::IncidentIndex(std::string_view id) const {
  for (; incidents_indexed_ < incident_infos_.size(); ++incidents_indexed_) {
    incidents_by_id_.emplace(incident_infos_[incidents_indexed_].id, incidents_indexed_);
  }
  auto it = incidents_by_id_.find(id);
  if (it == incidents_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<Vertex> DefenseGraph::ResolveTechnique(std::string_view id) const {
  if (auto v = Find(techniques_, id)) return v;
  auto it = revoked_to_.find(id);
  if (it != revoked_to_.end()) return Find(techniques_, it->second);
  return std::nullopt;
}

uint32_t DefenseGraph::AssetIndex(std::string_view asset_id) {
  auto [idx, added] = asset_index_.Intern(asset_id);
  if (added) {
    asset_index_weights_.push_back(AssetWeight(asset_id));
    asset_vertices_.emplace_back();
  }
  return idx;
}

std::optional<ThreatMatch> DefenseGraph::FindThreat(std::string_view text) const {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto v = Threat(upper); v && graph_[*v].threat_kind != "custom") return ThreatMatch{*v, ""};
  if (auto it = threat_revoked_to_.find(upper); it != threat_revoked_to_.end()) {
    return ThreatMatch{*Threat(it->second), upper};
  }
  if (auto id = ThreatIdByName(text)) return ThreatMatch{*Threat(*id), ""};
  // A custom threat: names compare case-insensitively, the first spelling imported wins.
  if (auto v = Threat(text)) return ThreatMatch{*v, ""};
  if (auto it = custom_threats_folded_.find(ToLower(text)); it != custom_threats_folded_.end()) {
    return ThreatMatch{it->second, ""};
  }
  return std::nullopt;
}

Vertex DefenseGraph::ThreatVertex(std::string_view id_or_name) {
  if (auto match = FindThreat(id_or_name)) return match->threat;
  VertexProps props;
  props.kind = VertexKind::kThreat;
  props.id = std::string(id_or_name);
  props.name = props.id;
  props.threat_kind = "custom";
  Vertex v = AddVertex(std::move(props));
  threats_.emplace(std::string(id_or_name), v);
  custom_threats_folded_.emplace(ToLower(id_or_name), v);
  threat_vertices_.push_back(v);
  return v;
}

void DefenseGraph::LoadEvidence(const store::ReadTxn& txn, bool borrow) {
  std::unordered_map<Vertex, std::vector<store::EvidenceList>> found;
  borrow = borrow || (snapshot_ && &txn == snapshot_.get());
  store::EvidenceIndex::ForEach(txn, borrow, [&](std::string_view technique, store::EvidenceList&& list) {
    if (auto vertex = ResolveTechnique(technique)) found[*vertex].push_back(std::move(list));
  });
  // Copied lists no longer need the store's pages (~145 MB at 1,000,000 incidents), which would
  // otherwise stay mapped for the rest of the process (a batch run's whole transaction).
  if (!borrow) txn.ReleaseReadPages();
  evidence_.clear();
  for (auto& [vertex, lists] : found) {
    std::vector<const store::EvidenceList*> parts;
    for (const auto& list : lists) parts.push_back(&list);
    evidence_.emplace(vertex, store::EvidenceList::Merge(parts));
  }
}

void DefenseGraph::LoadEvidence(const store::ReadTxn& txn, std::span<const Vertex> techniques, bool borrow) {
  for (Vertex technique : techniques) {
    if (evidence_.count(technique)) continue;
    // The stored IDs that resolve to it: its own and the revoked ones that lead to it.
    std::vector<store::EvidenceList> lists;
    if (auto list = store::EvidenceIndex::Find(txn, graph_[technique].id, borrow)) lists.push_back(std::move(*list));
    for (const auto& [revoked, live] : revoked_to_) {
      if (Find(techniques_, live) != technique) continue;
      if (auto list = store::EvidenceIndex::Find(txn, revoked, borrow)) lists.push_back(std::move(*list));
    }
    if (lists.empty()) continue;
    std::vector<const store::EvidenceList*> parts;
    for (const auto& list : lists) parts.push_back(&list);
    evidence_.emplace(technique, store::EvidenceList::Merge(parts));
  }
}

const store::EvidenceList* DefenseGraph::EvidenceOf(Vertex technique) const {
  auto it = evidence_.find(technique);
  return it == evidence_.end() ? nullptr : &it->second;
}

size_t DefenseGraph::AddIncident(model::Incident incident, bool as_vertex) {
  size_t index = incident_infos_.size();
  IncidentInfo info;
  if (as_vertex) {
    VertexProps props;
    props.kind = VertexKind::kIncident;
    props.id = incident.id;
    props.name = incident.title;
    props.data = index;
    info.vertex = AddVertex(std::move(props));
  }
  // Techniques were resolved at import; a later ATT&CK upgrade may have revoked some since.
  std::vector<model::IncidentTechnique> kept;
  std::vector<Vertex> techniques, blocked, succeeded, threats;
  std::vector<uint32_t> assets;
  for (auto& t : incident.techniques) {
    std::optional<Vertex> tv = ResolveTechnique(t.id);
    if (!tv) {
      incident.unknown_techniques.push_back(t.id);
      continue;
    }
    if (graph_[*tv].id != t.id) {
      if (t.revoked_from.empty()) t.revoked_from = t.id;
      t.id = graph_[*tv].id;
    }
    // Any succeeded use wins (SPEC §3).
    bool is_blocked = t.outcome == model::TechniqueOutcome::kBlocked;
    std::vector<Vertex>& outcome_list = is_blocked ? blocked : succeeded;
    if (std::find(outcome_list.begin(), outcome_list.end(), *tv) == outcome_list.end()) outcome_list.push_back(*tv);
    auto known = std::find(techniques.begin(), techniques.end(), *tv);
    if (known != techniques.end()) {
      if (!is_blocked) kept[static_cast<size_t>(known - techniques.begin())].outcome = t.outcome;
      continue;
    }
    techniques.push_back(*tv);
    if (info.vertex) boost::add_edge(*tv, *info.vertex, Edge(EdgeKind::kObservedIn), graph_);
    kept.push_back(std::move(t));
  }
  incident.techniques = std::move(kept);
  std::erase_if(blocked, [&](Vertex v) { return std::find(succeeded.begin(), succeeded.end(), v) != succeeded.end(); });
  double weight = 0;
  for (const auto& asset : incident.assets) {
    uint32_t asset_idx = AssetIndex(asset.id);
    if (std::find(assets.begin(), assets.end(), asset_idx) != assets.end()) continue;
    assets.push_back(asset_idx);
    weight += asset_index_weights_[asset_idx];
    if (info.vertex) {
      if (!asset_vertices_[asset_idx]) {
        VertexProps asset_props;
        asset_props.kind = VertexKind::kAsset;
        asset_props.id = asset.id;
        asset_props.name = asset.name;
        asset_vertices_[asset_idx] = AddVertex(std::move(asset_props));
      }
      boost::add_edge(*info.vertex, *asset_vertices_[asset_idx], Edge(EdgeKind::kAffects), graph_);
    }
  }
  for (auto& threat : incident.threats) {
    Vertex tv = ThreatVertex(threat);
    threat = graph_[tv].id;
    if (std::find(threats.begin(), threats.end(), tv) != threats.end()) continue;
    threats.push_back(tv);
    incidents_of_threat_[tv].push_back(index);
    if (info.vertex) boost::add_edge(*info.vertex, tv, Edge(EdgeKind::kAttributedTo), graph_);
  }
  info.asset_weight = std::max(1.0, weight);
  info.id = incident_arena_.Copy(incident.id);
  info.created = incident.created;
  info.closed = incident.closed;
  info.classification = incident.classification;
  std::vector<std::string_view> unknown;
  for (const auto& text : incident.unknown_techniques) unknown.push_back(incident_arena_.Copy(text));
  info.unknown_techniques = incident_arena_.Copy(std::span<const std::string_view>(unknown));
  info.techniques = incident_arena_.Copy(std::span<const Vertex>(techniques));
  info.blocked = incident_arena_.Copy(std::span<const Vertex>(blocked));
  info.assets = incident_arena_.Copy(std::span<const uint32_t>(assets));
  info.threats = incident_arena_.Copy(std::span<const Vertex>(threats));
  info.record = std::make_unique<model::Incident>(std::move(incident));
  incident_infos_.push_back(std::move(info));
  return index;
}

model::Incident DefenseGraph::IncidentRecord(size_t index) const {
  const IncidentInfo& info = incident_infos_[index];
  if (info.record) return *info.record;
  model::Incident incident;
  incident.id = std::string(info.id);
  incident.created = info.created;
  incident.closed = info.closed;
  incident.status = info.closed ? "closed" : "open";
  incident.classification = info.classification;
  incident.unknown_techniques.assign(info.unknown_techniques.begin(), info.unknown_techniques.end());
  for (Vertex threat : info.threats) incident.threats.push_back(graph_[threat].id);
  return incident;
}

const std::vector<size_t>& DefenseGraph::IncidentsOf(Vertex threat) const {
  static const std::vector<size_t> kNone;
  auto it = incidents_of_threat_.find(threat);
  return it == incidents_of_threat_.end() ? kNone : it->second;
}

std::optional<Vertex> DefenseGraph::Parent(Vertex technique) const {
  for (auto [it, end] = boost::out_edges(technique, graph_); it != end; ++it) {
    if (graph_[*it].kind == EdgeKind::kSubtechniqueOf) return boost::target(*it, graph_);
  }
  return std::nullopt;
}

std::vector<Reach> DefenseGraph::ControlsOf(Vertex technique) const {
  std::vector<Reach> reaches;
  // Per (control, protect or not): its entry in `reaches`. A technique that ~1,000 controls
  // reach through its mitigations made a scan of `reaches` per path quadratic.
  std::vector<uint32_t> slot(2 * control_infos_.size(), UINT32_MAX);
  auto offer = [&](Reach candidate) {
    bool protect = candidate.type == model::MappingType::kProtect;
    uint32_t& at = slot[2 * graph_[candidate.control].data + (protect ? 1 : 0)];
    if (at == UINT32_MAX) {
      at = static_cast<uint32_t>(reaches.size());
      reaches.push_back(std::move(candidate));
      return;
    }
    Reach& r = reaches[at];
    // Strongest path wins; on a tie a direct mapping, then the lowest mitigation ID.
    if (candidate.strength > r.strength ||
        (candidate.strength == r.strength && candidate.via < r.via && r.via != "direct")) {
      r = std::move(candidate);
    }
  };
  for (auto [it, end] = boost::in_edges(technique, graph_); it != end; ++it) {
    const EdgeProps& edge = graph_[*it];
    Vertex source = boost::source(*it, graph_);
    if (edge.kind == EdgeKind::kMapsTo) {
      offer({source, edge.strength, edge.type, "direct"});
    } else if (edge.kind == EdgeKind::kMitigates) {
      for (auto [mit, mend] = boost::in_edges(source, graph_); mit != mend; ++mit) {
        if (graph_[*mit].kind != EdgeKind::kImplements) continue;
        offer({boost::source(*mit, graph_), 1.0, model::MappingType::kProtect, "mitigation:" + graph_[source].id});
      }
    }
  }
  std::sort(reaches.begin(), reaches.end(), [this](const Reach& a, const Reach& b) {
    if (graph_[a.control].id != graph_[b.control].id) return graph_[a.control].id < graph_[b.control].id;
    return a.type < b.type;
  });
  return reaches;
}

std::vector<Vertex> DefenseGraph::MitigationsOf(Vertex technique) const {
  std::vector<Vertex> out;
  for (auto [it, end] = boost::in_edges(technique, graph_); it != end; ++it) {
    if (graph_[*it].kind == EdgeKind::kMitigates) out.push_back(boost::source(*it, graph_));
  }
  return out;
}

std::vector<Vertex> DefenseGraph::TechniquesNear(Vertex control) const {
  std::unordered_set<Vertex> seen;
  std::vector<Vertex> out;
  auto add = [&](Vertex technique) {
    if (!seen.insert(technique).second) return;
    out.push_back(technique);
    for (auto [it, end] = boost::in_edges(technique, graph_); it != end; ++it) {
      if (graph_[*it].kind != EdgeKind::kSubtechniqueOf) continue;
      Vertex sub = boost::source(*it, graph_);
      if (seen.insert(sub).second) out.push_back(sub);
    }
  };
  for (auto [it, end] = boost::out_edges(control, graph_); it != end; ++it) {
    const EdgeProps& edge = graph_[*it];
    Vertex target = boost::target(*it, graph_);
    if (edge.kind == EdgeKind::kMapsTo) {
      add(target);
    } else if (edge.kind == EdgeKind::kImplements) {
      for (auto [mit, mend] = boost::out_edges(target, graph_); mit != mend; ++mit) {
        if (graph_[*mit].kind == EdgeKind::kMitigates) add(boost::target(*mit, graph_));
      }
    }
  }
  return out;
}

std::vector<Vertex> DefenseGraph::ControlsImplementing(Vertex mitigation) const {
  std::vector<Vertex> out;
  for (auto [it, end] = boost::in_edges(mitigation, graph_); it != end; ++it) {
    if (graph_[*it].kind == EdgeKind::kImplements) out.push_back(boost::source(*it, graph_));
  }
  std::sort(out.begin(), out.end(), [&](Vertex a, Vertex b) { return graph_[a].id < graph_[b].id; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool DefenseGraph::Implemented(Vertex mitigation) const {
  for (auto [it, end] = boost::in_edges(mitigation, graph_); it != end; ++it) {
    if (graph_[*it].kind == EdgeKind::kImplements) return true;
  }
  return false;
}

std::vector<Vertex> DefenseGraph::TechniquesUsedBy(Vertex threat) const {
  std::vector<Vertex> out;
  for (auto [it, end] = boost::out_edges(threat, graph_); it != end; ++it) {
    if (graph_[*it].kind == EdgeKind::kUses) out.push_back(boost::target(*it, graph_));
  }
  std::sort(out.begin(), out.end(), [this](Vertex a, Vertex b) { return graph_[a].id < graph_[b].id; });
  return out;
}

double DefenseGraph::AssetWeight(std::string_view asset_id) const {
  auto it = asset_weights_.find(asset_id);
  return it == asset_weights_.end() ? 1.0 : it->second;
}

std::optional<std::string> DefenseGraph::ThreatIdByName(std::string_view name) const {
  auto it = threat_names_.find(ToLower(name));
  if (it == threat_names_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tidemark::graph
