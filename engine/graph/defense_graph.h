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

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/arena.h"
#include "engine/core/string_index.h"
#include "engine/core/string_map.h"
#include "engine/core/time_util.h"
#include "engine/model/control.h"
#include "engine/model/incident.h"
#include "engine/store/evidence_index.h"
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
  bool posture_loaded = false;
  bool posture_complete = false;  // every record, not only the one in force at one τ
};

// What scoring needs of an incident, resolved once: its known technique vertices (revocations
// re-resolved against the loaded release, duplicates removed), its distinct assets as indexes
// into asset_ids(), and a(i). The id and the lists are views into the graph (its incident
// arena): valid while the graph lives.
struct IncidentInfo {
  // Only what scoring reads (the facts of a bulk load): 1,000,000 of these are built per query,
  // and every byte is a page to fault in, so no title, tactics or asset records here, and no
  // heap allocation per incident.
  std::string_view id;
  std::optional<TimeMs> created;
  std::optional<TimeMs> closed;
  model::Classification classification = model::Classification::kUndetermined;
  std::span<const std::string_view> unknown_techniques;  // stored ones plus those the release lacks
  std::span<const Vertex> techniques;
  // Techniques every use of which was blocked (SPEC §1 `outcome`; ⊆ techniques, usually empty):
  // they weigh but are no evidence of success.
  std::span<const Vertex> blocked;
  std::span<const uint32_t> assets;
  std::span<const Vertex> threats;
  double asset_weight = 1;  // a(i) = max(1, Σ weights of its distinct assets)
  std::optional<Vertex> vertex;  // set when materialised as a graph vertex
  // The whole normalised record, for incidents added one at a time (AddIncident).
  std::unique_ptr<model::Incident> record;

  std::optional<TimeMs> Time() const { return closed ? closed : created; }
  bool Blocked(Vertex technique) const {
    return !blocked.empty() && std::find(blocked.begin(), blocked.end(), technique) != blocked.end();
  }
  bool CountsAt(TimeMs tau) const { return model::CountsAt(classification, Time(), tau); }
};

// A threat found from what a user or a record typed. `revoked_from` is the revoked ATT&CK ID
// asked for when the match is the end of its revoked-by chain, else empty.
struct ThreatMatch {
  Vertex threat;
  std::string revoked_from;
};

class DefenseGraph {
 public:
  // Loads ATT&CK techniques, mitigations and threats, the organisation's controls, mappings,
  // posture and assets. Never fails on a consistent store (throws StoreFailure otherwise).
  // `with_threats` = false skips ATT&CK groups, campaigns and software and their `uses`
  // (the largest part of the build): enough for one incident's view. `with_posture` = false
  // leaves every control's posture empty until LoadPostureOf: one incident needs the posture
  // of a handful of controls, not of 365 snapshots × 500 controls.
  static DefenseGraph Build(const store::ReadTxn& txn, bool with_threats = true, bool with_posture = true);
  // Loads one control's posture in force at τ — its latest record with as_of <= τ, which is
  // all an evaluation at τ reads — after a Build without posture; idempotent.
  void LoadPostureAt(const store::ReadTxn& txn, Vertex control, TimeMs tau);
  // Loads every posture record of one control after a Build without posture (evidence reads
  // the posture at each incident's creation); replaces what LoadPostureAt loaded.
  void LoadPostureOf(const store::ReadTxn& txn, Vertex control);

  // Adds every stored incident (and its assets and threats) to the graph, from the compact
  // facts (incident_facts): records carry no title, tactics or asset types; and the evidence
  // of every technique (LoadEvidence). Commands that show one incident's full record load it
  // with IncidentCatalog::Find and AddIncident. `borrow_evidence`: the evidence lists are views
  // into `txn` (LoadEvidence), which must then outlive every evaluation.
  void LoadIncidents(const store::ReadTxn& txn, bool borrow_evidence = false);
  // The same, keeping only the incidents `keep` accepts, given the incident id and its known
  // technique vertices (for one incident's view: the others that share a technique with it,
  // which are its evidence).
  void LoadIncidents(const store::ReadTxn& txn,
                     const std::function<bool(std::string_view, std::span<const Vertex>)>& keep);
  // Adds one incident; returns its index in incidents(). With `as_vertex` the incident, its
  // assets and its observed-in/affects/attributed-to edges become graph vertices and edges;
  // otherwise (bulk loads: 100,000 incidents) the same relations are kept only as the compact
  // index arrays of IncidentInfo and IncidentsOf(threat) — Boost vertices for every incident
  // cost seconds and hundreds of MB, measured, for nothing a query walks.
  size_t AddIncident(model::Incident incident, bool as_vertex = true);
  // Incidents attributed to a threat vertex (indexes into incidents()), in load order.
  const std::vector<size_t>& IncidentsOf(Vertex threat) const;
  const std::vector<std::string>& asset_ids() const { return asset_index_.keys(); }

  const Graph& graph() const { return graph_; }
  const VertexProps& props(Vertex v) const { return graph_[v]; }

  std::optional<Vertex> Technique(std::string_view id) const { return Find(techniques_, id); }
  std::optional<Vertex> Control(std::string_view id) const { return Find(controls_by_id_, id); }
  std::optional<Vertex> Threat(std::string_view id) const { return Find(threats_, id); }
  // Index into incidents() of an incident by id.
  std::optional<size_t> IncidentIndex(std::string_view id) const;

  // The parent technique of a sub-technique.
  std::optional<Vertex> Parent(Vertex technique) const;
  // Every control reaching `technique` directly or through a mitigation it implements, one
  // entry per control with its strongest path; protect and non-protect reaches are separate
  // entries. Sorted by control id.
  std::vector<Reach> ControlsOf(Vertex technique) const;
  // The live ATT&CK mitigations with a `mitigates` relationship to `technique` (no parent
  // fallback), in graph order.
  std::vector<Vertex> MitigationsOf(Vertex technique) const;
  // Whether some catalog control implements `mitigation` through its `mitigations` list.
  bool Implemented(Vertex mitigation) const;
  // The catalog controls that implement `mitigation`, sorted by control id.
  std::vector<Vertex> ControlsImplementing(Vertex mitigation) const;
  std::optional<Vertex> Mitigation(std::string_view id) const { return Find(mitigations_, id); }
  // Every technique a control could reach: its direct mappings (any type), the techniques of
  // the mitigations it implements, and their sub-techniques (candidates of the parent
  // fallback, which scoring decides). Unsorted, without duplicates.
  std::vector<Vertex> TechniquesNear(Vertex control) const;
  // Techniques a threat uses (live `uses`, revocations resolved), sorted by id.
  std::vector<Vertex> TechniquesUsedBy(Vertex threat) const;
  const ControlInfo& control_info(Vertex control) const { return control_infos_[graph_[control].data]; }
  const std::vector<IncidentInfo>& incidents() const { return incident_infos_; }
  // SPEC §3 "Evidence": the stored evidence lists (engine/store/evidence_index.h) of every
  // technique, or of the given ones. A technique's list joins those of the revoked IDs that
  // resolve to it. Evidence is the whole organisation's, so it comes from the index whatever
  // incidents are loaded: one incident's view reads five lists, not a million incidents.
  // Every list is borrowed from `txn` when it is snapshot() or `borrow` says so (then `txn` must
  // outlive every evaluation), else copied.
  void LoadEvidence(const store::ReadTxn& txn, bool borrow = false);
  // With `borrow`, the lists are views into `txn`, which must then outlive every evaluation
  // (one incident's view: no copy of the large lists).
  void LoadEvidence(const store::ReadTxn& txn, std::span<const Vertex> techniques, bool borrow = false);
  // The loaded uses of a technique, or nullptr.
  const store::EvidenceList* EvidenceOf(Vertex technique) const;
  // Keeps `txn` open while the graph lives, so that loading from snapshot() borrows the
  // evidence lists instead of copying them (~145 MB at 1,000,000 incidents). The store must
  // outlive the graph; for commands that only read.
  void KeepSnapshot(store::ReadTxn txn) { snapshot_ = std::make_unique<store::ReadTxn>(std::move(txn)); }
  const store::ReadTxn& snapshot() const { return *snapshot_; }
  // incidents()[index] as a model::Incident: its whole record when it was added one at a
  // time, else the facts a bulk load keeps (id, times, status, classification, unknown
  // techniques, threat IDs).
  model::Incident IncidentRecord(size_t index) const;
  const std::vector<Vertex>& control_vertices() const { return control_vertices_; }
  const std::vector<Vertex>& threat_vertices() const { return threat_vertices_; }
  // Asset weight (default 1 when not in the inventory).
  double AssetWeight(std::string_view asset_id) const;
  // Resolves a name or alias of an ATT&CK threat (case-insensitive) to its ID.
  std::optional<std::string> ThreatIdByName(std::string_view name) const;
  // A threat by ATT&CK ID (any case; a revoked ID leads to the end of its revoked-by chain,
  // across STIX types), ATT&CK name or alias, or custom threat name (case-insensitive).
  // Deprecated ATT&CK threats are found (their props say deprecated). nullopt when nothing
  // matches, including a revoked ID without a successor in the loaded data.
  std::optional<ThreatMatch> FindThreat(std::string_view text) const;

 private:
  template <typename Map>
  static std::optional<Vertex> Find(const Map& map, std::string_view id) {
    auto it = map.find(id);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }
  Vertex AddVertex(VertexProps props);
  Vertex ThreatVertex(std::string_view id_or_name);
  // The live technique an ID leads to (revocations followed), or nullopt.
  std::optional<Vertex> ResolveTechnique(std::string_view id) const;
  uint32_t AssetIndex(std::string_view asset_id);

  // boost::adjacency_list declares a copy constructor and no move, and its swap() copies, so
  // moving a DefenseGraph (Build returns one) copied every vertex and edge: 5,000 controls'
  // 50,000 edges, 8 % of `threat all`. This one moves the two containers an adjacency_list
  // with vecS vertices and listS edges consists of (public members in Boost 1.74's
  // vec_adj_list_impl): std::list and std::vector swaps keep every element and iterator the
  // vertices' edge lists hold valid, and the graph property is no_property.
  struct MovableGraph : Graph {
    MovableGraph() = default;
    MovableGraph(MovableGraph&& other) noexcept { *this = std::move(other); }
    MovableGraph& operator=(MovableGraph&& other) noexcept {
      this->m_edges.swap(other.m_edges);
      this->m_vertices.swap(other.m_vertices);
      return *this;
    }
  };
  MovableGraph graph_;
  StringMap<Vertex> techniques_;
  StringMap<Vertex> mitigations_;
  StringMap<Vertex> controls_by_id_;
  StringMap<Vertex> threats_;
  // Built on the first IncidentIndex call: bulk scopes never need it.
  mutable StringMap<size_t> incidents_by_id_;
  mutable size_t incidents_indexed_ = 0;
  StringIndex asset_index_;  // asset ID -> index into asset_index_weights_, asset_vertices_
  std::vector<double> asset_index_weights_;
  std::vector<std::optional<Vertex>> asset_vertices_;
  std::unordered_map<Vertex, std::vector<size_t>> incidents_of_threat_;
  StringMap<double> asset_weights_;
  StringMap<std::string> threat_names_;  // lower-cased name/alias -> id
  StringMap<std::string> revoked_to_;    // revoked technique -> live
  StringMap<std::string> threat_revoked_to_;  // revoked G/C/S ID -> live or deprecated ID
  StringMap<Vertex> custom_threats_folded_;   // lower-cased custom threat name -> vertex
  std::vector<ControlInfo> control_infos_;
  std::vector<Vertex> control_vertices_;
  std::vector<Vertex> threat_vertices_;
  std::vector<IncidentInfo> incident_infos_;
  Arena incident_arena_;  // the ids and lists of incident_infos_
  std::unique_ptr<store::ReadTxn> snapshot_;  // KeepSnapshot; destroyed after evidence_
  std::unordered_map<Vertex, store::EvidenceList> evidence_;
};

}  // namespace tidemark::graph
