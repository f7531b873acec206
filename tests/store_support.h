// Fixtures shared by the engine tests that write records into a store directly (the batch run,
// patch run, scorer, evidence, changes and top-K tests): a store with a small ATT&CK fixture,
// one write transaction that must succeed, the records of a hand-built organisation, the
// store's graph with its incidents loaded, a closed incident, and random organisations of a
// given shape.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/time_util.h"
#include "engine/graph/defense_graph.h"
#include "engine/model/control.h"
#include "engine/model/incident.h"
#include "engine/scoring/scorer.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"
#include "engine/store/store.h"
#include "tests/test_support.h"

namespace tidemark::testing {

// Runs `fn` in one write transaction; the test stops when the transaction fails.
inline void WriteOrFail(store::Store& store, const std::function<void(store::WriteTxn&)>& fn) {
  REQUIRE(store.Write([&](store::WriteTxn& txn) {
                fn(txn);
                return Status::Ok();
              }).ok());
}

// A new store directory holding the ATT&CK fixture tests/data/<attack_fixture>, imported by the
// tidemark binary as a user would; `hint` names the directory.
inline std::string AttackFixtureStore(const std::string& hint, const std::string& attack_fixture) {
  std::string dir = TempDir(hint);
  auto imported = RunTidemark({"--store", dir, "-q", "import", "attack", DataPath(attack_fixture)});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  return dir;
}

// The store at `dir`, opened; the test stops when it does not open.
inline std::unique_ptr<store::Store> OpenOrFail(const std::string& dir) {
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  return std::move(store).value();
}

// A new store directory with the ATT&CK fixture and the records `fill` writes in one write
// transaction: a hand-built organisation.
inline std::string OrgStore(const std::string& hint, const std::string& attack_fixture,
                            const std::function<void(store::WriteTxn&)>& fill) {
  std::string dir = AttackFixtureStore(hint, attack_fixture);
  WriteOrFail(*OpenOrFail(dir), fill);
  return dir;
}

// A posture record of a hand-built organisation: `control` has `status` (and `implemented`,
// when given) from the start of `date` on.
inline void PutPosture(store::WriteTxn& txn, const char* control, const char* date, model::ControlStatus status,
                       std::optional<double> implemented = std::nullopt) {
  store::OrgCatalog::PutPosture(txn, model::PostureRecord{control, Day(date), status, implemented, "fixture"});
}

// A direct mapping of a hand-built organisation: `control` reaches `technique` with `strength`.
inline void PutMapping(store::WriteTxn& txn, const std::string& control, const std::string& technique, double strength,
                       model::MappingType type = model::MappingType::kProtect) {
  store::OrgCatalog::PutMapping(txn, model::Mapping{control, technique, "", type, strength, "fixture"});
}

// A store opened with its graph built and its incidents loaded, as the commands read it.
struct LoadedOrg {
  std::unique_ptr<store::Store> store;
  graph::DefenseGraph graph;
};

inline LoadedOrg LoadOrg(const std::string& dir) {
  std::unique_ptr<store::Store> store = OpenOrFail(dir);
  auto txn = store->Read();
  graph::DefenseGraph graph = graph::DefenseGraph::Build(txn);
  graph.LoadIncidents(txn);
  return LoadedOrg{std::move(store), std::move(graph)};
}

// The row of technique `id` in an evaluation of `graph`; the test fails when there is none.
inline const scoring::TechniqueRow& TechniqueRowOf(const scoring::Evaluation& ev, const graph::DefenseGraph& graph,
                                                    const char* id) {
  for (const auto& row : ev.techniques) {
    if (graph.props(row.technique).id == id) return row;
  }
  FAIL("no row for " << id);
  throw std::logic_error("unreachable");
}

// A native incident closed on `closed` (and created on `created`, when given), with these
// techniques and threats.
inline model::Incident ClosedIncident(const char* id, model::Classification cls, const char* closed,
                                      std::vector<std::string> techniques, std::vector<std::string> threats,
                                      const char* created = nullptr) {
  model::Incident inc;
  inc.id = id;
  inc.title = std::string("incident ") + id;
  inc.source = "native";
  inc.classification = cls;
  inc.closed = *ParseIsoTime(closed);
  if (created) inc.created = *ParseIsoTime(created);
  inc.status = "closed";
  for (auto& t : techniques) inc.techniques.push_back({t, "", ""});
  inc.threats = std::move(threats);
  return inc;
}

// What a random organisation is made of (RandomOrgStore). Every random choice is one draw
// `pick(n)` = rng() % n, always in the same order, so a seed always gives the same organisation.
struct RandomOrgShape {
  std::string hint;                           // names the store directory
  std::string attack_fixture;                 // tests/data/<attack_fixture>
  std::vector<const char*> techniques;        // what controls map and incidents show
  uint32_t controls = 0;                      // how many controls: this many,
  uint32_t extra_controls = 0;                // plus pick(extra_controls) when not 0
  std::string control_prefix;                 // control ids: prefix + (first_number + (c·37) % count),
  uint32_t first_control_number = 0;          // not in creation order
  std::string mitigation;                     // implemented by one control in
  uint32_t mitigation_one_in = 0;             // this many (0: none, and no draw)
  std::function<double(const std::function<uint32_t(uint32_t)>& pick)> strength;  // of each mapping
  uint32_t risk_accepted_one_in = 0;          // the rest to-address
  std::vector<double> implementations;        // a control's implemented fraction, one of these
  int incidents = 0;
  std::string incident_prefix;                // incident ids: prefix + index
  uint32_t false_positive_one_in = 0;         // the rest true positives
  uint32_t most_techniques = 0;               // an incident shows 1 + pick(this) techniques
};

// A new store with `seed`'s organisation of `shape`: per control a 1-in-3 chance of max points
// 1 + pick(9), maybe the mitigation, a protect mapping to each technique with a 1-in-3 chance,
// one posture record on 2026-01-01; per incident a time 2026-02-01 + pick(40) days (closed), its
// techniques and one device of weight 1 + pick(3) out of ten.
inline std::unique_ptr<store::Store> RandomOrgStore(uint32_t seed, const RandomOrgShape& shape) {
  std::unique_ptr<store::Store> store = OpenOrFail(AttackFixtureStore(shape.hint, shape.attack_fixture));
  std::mt19937 rng(seed);
  const std::function<uint32_t(uint32_t)> pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  const auto technique_count = static_cast<uint32_t>(shape.techniques.size());
  const auto implementation_count = static_cast<uint32_t>(shape.implementations.size());
  uint32_t controls = shape.controls + (shape.extra_controls != 0 ? pick(shape.extra_controls) : 0);
  WriteOrFail(*store, [&](store::WriteTxn& txn) {
    for (uint32_t control_idx = 0; control_idx < controls; ++control_idx) {
      model::Control control;
      control.id = shape.control_prefix + std::to_string(shape.first_control_number + (control_idx * 37) % controls);
      control.title = control.id;
      if (pick(3) == 0) control.max_points = 1 + pick(9);
      if (shape.mitigation_one_in != 0 && pick(shape.mitigation_one_in) == 0) control.mitigations = {shape.mitigation};
      store::OrgCatalog::PutControl(txn, control);
      for (const char* technique : shape.techniques) {
        if (pick(3) != 0) continue;
        store::OrgCatalog::PutMapping(txn, model::Mapping{control.id, technique, "", model::MappingType::kProtect,
                                                          shape.strength(pick), "random"});
      }
      model::PostureRecord record;
      record.control = control.id;
      record.as_of = Day("2026-01-01");
      record.status = pick(shape.risk_accepted_one_in) == 0 ? model::ControlStatus::kRiskAccepted
                                                            : model::ControlStatus::kToAddress;
      record.implemented = shape.implementations[pick(implementation_count)];
      record.source = "random";
      store::OrgCatalog::PutPosture(txn, record);
    }
    for (int incident_idx = 0; incident_idx < shape.incidents; ++incident_idx) {
      model::Incident inc;
      inc.id = shape.incident_prefix + std::to_string(incident_idx);
      inc.source = "native";
      inc.classification = pick(shape.false_positive_one_in) == 0 ? model::Classification::kFalsePositive
                                                                  : model::Classification::kTruePositive;
      inc.closed = Day("2026-02-01") + static_cast<TimeMs>(pick(40)) * 86'400'000;
      inc.status = "closed";
      uint32_t techniques = 1 + pick(shape.most_techniques);
      for (uint32_t technique_idx = 0; technique_idx < techniques; ++technique_idx) {
        inc.techniques.push_back({shape.techniques[pick(technique_count)], "", ""});
      }
      std::string asset = "asset-" + std::to_string(pick(10));
      inc.assets.push_back({asset, "device", ""});
      store::OrgCatalog::PutAsset(txn, model::Asset{asset, "device", "", static_cast<double>(1 + pick(3))});
      store::IncidentCatalog::Put(txn, inc);
    }
  });
  return store;
}

}  // namespace tidemark::testing
