// Scorer::Evaluate with max_recommendations (a batch run's top K: one pass over the gains keeping
// only the impacts near the top) against the whole ranked list, and Scorer::Recommends against
// membership in it, on random organisations whose strengths differ by 1e-11 steps: equal
// impacts, impacts within the 1e-9 tolerance, and chains within it that are not transitive
// (where only the whole list decides), and K larger than the number of recommendations.
// ATT&CK: tests/data/scoring/mini-attack.json (T1100 with T1100.001, T1200, T1300, T1400,
// T1600; M1900 mitigates T1200 and T1300).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>

#include "engine/scoring/scorer.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"
#include "tests/test_support.h"

namespace tidemark::scoring {
namespace {

const TimeMs kNearTieTau = *ParseIsoTime("2026-03-15", DateOnly::kEndOfDay);
const char* const kNearTieTechniques[] = {"T1100", "T1100.001", "T1200", "T1300", "T1400", "T1600"};

// `seed`'s organisation: 30 to 120 controls, strengths 0.5 + k·1e-11 (k < 9) or 0.25 or 1,
// implementations from few values, some risk-accepted, some implementing M1900; 30 incidents.
std::unique_ptr<store::Store> NearTieStore(uint32_t seed) {
  std::string dir = testing::TempDir("near-tie-top-k");
  auto imported = testing::RunTidemark({"--store", dir, "-q", "import", "attack", testing::DataPath("scoring/mini-attack.json")});
  REQUIRE(imported.exit_code == 0);
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  std::mt19937 rng(seed);
  auto pick = [&](uint32_t n) { return rng() % n; };
  const double impls[] = {0.0, 0.0, 0.0, 0.5, 0.25, 0.9};
  uint32_t controls = 30 + pick(91);
  Status written = (*store)->Write([&](store::WriteTxn& txn) {
    for (uint32_t c = 0; c < controls; ++c) {
      model::Control control;
      control.id = "NT-" + std::to_string(1000 + (c * 37) % controls);  // ids not in creation order
      control.title = control.id;
      if (pick(3) == 0) control.max_points = 1 + pick(9);
      if (pick(6) == 0) control.mitigations = {"M1900"};
      store::OrgCatalog::PutControl(txn, control);
      for (const char* t : kNearTieTechniques) {
        if (pick(3) != 0) continue;
        uint32_t kind = pick(5);
        double strength = kind == 0 ? 0.25 : kind == 1 ? 1.0 : 0.5 + 1e-11 * static_cast<double>(pick(9));
        store::OrgCatalog::PutMapping(txn, model::Mapping{control.id, t, "", model::MappingType::kProtect, strength, "random"});
      }
      model::PostureRecord r;
      r.control = control.id;
      r.as_of = *ParseIsoTime("2026-01-01");
      r.status = pick(12) == 0 ? model::ControlStatus::kRiskAccepted : model::ControlStatus::kToAddress;
      r.implemented = impls[pick(6)];
      r.source = "random";
      store::OrgCatalog::PutPosture(txn, r);
    }
    for (int i = 0; i < 30; ++i) {
      model::Incident inc;
      inc.id = "NTI-" + std::to_string(i);
      inc.source = "native";
      inc.classification = pick(8) == 0 ? model::Classification::kFalsePositive : model::Classification::kTruePositive;
      inc.closed = *ParseIsoTime("2026-02-01") + static_cast<TimeMs>(pick(40)) * 86'400'000;
      inc.status = "closed";
      size_t techniques = 1 + pick(4);
      for (size_t t = 0; t < techniques; ++t) inc.techniques.push_back({kNearTieTechniques[pick(6)], "", ""});
      std::string asset = "asset-" + std::to_string(pick(10));
      inc.assets.push_back({asset, "device", ""});
      store::OrgCatalog::PutAsset(txn, model::Asset{asset, "device", "", static_cast<double>(1 + pick(3))});
      store::IncidentCatalog::Put(txn, inc);
    }
    return Status::Ok();
  });
  REQUIRE(written.ok());
  return std::move(store).value();
}

}  // namespace

TEST_CASE("a scope's top K with near-equal impacts is the beginning of its whole list, and Recommends agrees with it") {
  size_t compared = 0, near_ties = 0, beyond = 0;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    CAPTURE(seed);
    auto store = NearTieStore(seed);
    auto txn = store->Read();
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn);
    graph.LoadIncidents(txn);
    Scorer scorer(graph);
    std::vector<std::string> scope_ids = {"all"};
    for (const auto& info : graph.incidents()) scope_ids.emplace_back(info.id);
    for (const auto& scope_id : scope_ids) {
      CAPTURE(scope_id);
      auto scope = ResolveScope(graph, scope_id);
      REQUIRE(scope.ok());
      Evaluation whole = scorer.Evaluate(*scope, kNearTieTau, EvaluateOptions{.details = false});
      const auto& recs = whole.recommendations;
      for (size_t k = 1; k < recs.size(); ++k) {
        double gap = recs[k - 1].impact - recs[k].impact;
        if (gap != 0 && gap <= 1e-9 && gap >= -1e-9) ++near_ties;
      }
      for (size_t top : {size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{10}, recs.size(), recs.size() + 5}) {
        if (top == 0) continue;
        CAPTURE(top);
        if (top > recs.size()) ++beyond;
        Evaluation first = scorer.Evaluate(*scope, kNearTieTau, EvaluateOptions{.details = false, .max_recommendations = top});
        REQUIRE(first.recommendations.size() == std::min(top, recs.size()));
        for (size_t k = 0; k < first.recommendations.size(); ++k) {
          const Recommendation& a = first.recommendations[k];
          const Recommendation& b = recs[k];
          CHECK(a.control == b.control);
          CHECK(a.impact == b.impact);  // the same bits
          CHECK(a.techniques == b.techniques);
          CHECK(a.paths == b.paths);
          CHECK(a.reaches == b.reaches);
          CHECK(a.implemented == b.implemented);
          CHECK(a.status == b.status);
          CHECK(a.points_gain == b.points_gain);
          CHECK(a.score_gain == b.score_gain);
          ++compared;
        }
      }
      std::set<graph::Vertex> listed;
      for (const auto& rec : recs) listed.insert(rec.control);
      for (graph::Vertex control : graph.control_vertices()) {
        CHECK(scorer.Recommends(*scope, control, kNearTieTau) == (listed.count(control) > 0));
      }
    }
  }
  CHECK(compared > 2000);
  CHECK(near_ties > 50);  // impacts within the tolerance but not equal were met
  CHECK(beyond > 100);    // and K beyond the number of recommendations
}

}  // namespace tidemark::scoring
