// The defence graph: what the queries of SPEC §3 walk. A Boost.Graph adjacency list whose
// vertices are techniques, mitigations, controls, threats, incidents and assets, and whose
// edges are sub-technique-of, mitigates, implements, maps-to (with type and strength), uses,
// observed-in, affects and attributed-to. Revocations are resolved while building, so every
// technique vertex is live or deprecated.
//
// Built once per process from one read transaction (Build), in a few tens of milliseconds
// for the ATT&CK side; incidents are added only when a command needs them (LoadIncidents).
// Immutable after building; safe to share between threads for reading.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/time_util.h"
#include "engine/model/control.h"
#include "engine/model/incident.h"
#include "engine/store/store.h"

namespace tidemark::graph {

enum class VertexKind { kTechnique, kMitigation, kControl, kThreat, kIncident, kAsset };
enum class EdgeKind {
  kSubtechniqueOf,  // sub-technique -> parent
  kMitigates,       // mitigation -> technique
  kImplements,      // control -> mitigation
  kMapsTo,          // control -> technique (type, strength)
  kUses,            // threat -> technique
  kObservedIn,      // technique -> incident
  kAffects,         // incident -> asset
  kAttributedTo,    // incident -> threat
};

struct VertexProps {
  VertexKind kind = VertexKind::kTechnique;
  std::string id;    // ATT&CK ID, control id, incident id, asset id, threat id or custom name
  std::string name;  // display name
  std::vector<std::string> tactics;  // techniques
  std::string threat_kind;           // threats: group, campaign, software, custom
  std::string domain;                // techniques: enterprise-attack, ...
  bool deprecated = false;
  size_t data = 0;  // index into the graph's side tables (controls_, incidents_)
};

struct EdgeProps {
  EdgeKind kind = EdgeKind::kMapsTo;
  model::MappingType type = model::MappingType::kProtect;
  double strength = 1.0;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps>;
using Vertex = Graph::vertex_descriptor;

// How one control reaches one technique, the strongest path kept (SPEC §3: s(c, t) is the
// largest over paths).
struct Reach {
  Vertex control;
  double strength = 0;
  model::MappingType type = model::MappingType::kProtect;
  std::string via;  // "direct", "mitigation:M1038" (or "parent" once applied by scoring)
};

// A control with its dated posture, oldest first.
struct ControlInfo {
  model::Control control;
  std::vector<model::PostureRecord> posture;
};

// What scoring needs of an incident.
struct IncidentInfo {
  Vertex vertex;
  model::Incident incident;
  double asset_weight = 1;  // a(i) = max(1, Σ weights of its distinct assets)
};

class DefenseGraph {
 public:
  // Loads ATT&CK techniques, mitigations and threats, the organisation's controls, mappings,
  // posture and assets. Never fails on a consistent store (throws StoreFailure otherwise).
  // `with_threats` = false skips ATT&CK groups, campaigns and software and their `uses`
  // (the largest part of the build): enough for one incident's view.
  static DefenseGraph Build(const store::ReadTxn& txn, bool with_threats = true);

  // Adds every stored incident (and its assets and threats) to the graph.
  void LoadIncidents(const store::ReadTxn& txn);
  // Adds one incident; returns its index in incidents().
  size_t AddIncident(model::Incident incident);

  const Graph& graph() const { return graph_; }
  const VertexProps& props(Vertex v) const { return graph_[v]; }

  std::optional<Vertex> Technique(std::string_view id) const { return Find(techniques_, id); }
  std::optional<Vertex> Control(std::string_view id) const { return Find(controls_by_id_, id); }
  std::optional<Vertex> Threat(std::string_view id) const { return Find(threats_, id); }
  std::optional<Vertex> Incident(std::string_view id) const { return Find(incidents_by_id_, id); }

  // The parent technique of a sub-technique.
  std::optional<Vertex> Parent(Vertex technique) const;
  // Every control reaching `technique` directly or through a mitigation it implements, one
  // entry per control with its strongest path; protect and non-protect reaches are separate
  // entries. Sorted by control id.
  std::vector<Reach> ControlsOf(Vertex technique) const;
  // Techniques a threat uses (live `uses`, revocations resolved), sorted by id.
  std::vector<Vertex> TechniquesUsedBy(Vertex threat) const;
  const ControlInfo& control_info(Vertex control) const { return control_infos_[graph_[control].data]; }
  const std::vector<IncidentInfo>& incidents() const { return incident_infos_; }
  const std::vector<Vertex>& control_vertices() const { return control_vertices_; }
  const std::vector<Vertex>& threat_vertices() const { return threat_vertices_; }
  // Asset weight (default 1 when not in the inventory).
  double AssetWeight(std::string_view asset_id) const;
  // Resolves a name or alias of an ATT&CK threat (case-insensitive) to its ID.
  std::optional<std::string> ThreatIdByName(std::string_view name) const;

 private:
  template <typename Map>
  static std::optional<Vertex> Find(const Map& map, std::string_view id) {
    auto it = map.find(std::string(id));
    if (it == map.end()) return std::nullopt;
    return it->second;
  }
  Vertex AddVertex(VertexProps props);
  Vertex ThreatVertex(const std::string& id_or_name);

  Graph graph_;
  std::unordered_map<std::string, Vertex> techniques_;
  std::unordered_map<std::string, Vertex> mitigations_;
  std::unordered_map<std::string, Vertex> controls_by_id_;
  std::unordered_map<std::string, Vertex> threats_;
  std::unordered_map<std::string, Vertex> incidents_by_id_;
  std::unordered_map<std::string, Vertex> assets_;
  std::unordered_map<std::string, double> asset_weights_;
  std::unordered_map<std::string, std::string> threat_names_;  // lower-cased name/alias -> id
  std::unordered_map<std::string, std::string> revoked_to_;    // revoked technique -> live
  std::vector<ControlInfo> control_infos_;
  std::vector<Vertex> control_vertices_;
  std::vector<Vertex> threat_vertices_;
  std::vector<IncidentInfo> incident_infos_;
};

}  // namespace tidemark::graph
