// Scorer::Evaluate with max_recommendations (a batch run's top K: one pass over the gains keeping
// only the impacts near the top) against the whole ranked list, and Scorer::Recommends against
// membership in it, on random organisations whose strengths differ by 1e-11 steps: equal
// impacts, impacts within the 1e-9 tolerance, and chains within it that are not transitive
// (where only the whole list decides), and K larger than the number of recommendations.
// ATT&CK: tests/data/scoring/mini-attack.json (T1100 with T1100.001, T1200, T1300, T1400,
// T1600; M1900 mitigates T1200 and T1300).
#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "engine/scoring/scorer.h"
#include "tests/store_support.h"

namespace tidemark::scoring {
namespace {

const TimeMs kNearTieTau = *ParseIsoTime("2026-03-15", DateOnly::kEndOfDay);
const char* const kNearTieTechniques[] = {"T1100", "T1100.001", "T1200", "T1300", "T1400", "T1600"};

// `seed`'s organisation: 30 to 120 controls, strengths 0.5 + k·1e-11 (k < 9) or 0.25 or 1,
// implementations from few values, some risk-accepted, some implementing M1900; 30 incidents.
std::unique_ptr<store::Store> NearTieStore(uint32_t seed) {
  static const testing::RandomOrgShape shape{
      .hint = "near-tie-top-k",
      .attack_fixture = "scoring/mini-attack.json",
      .techniques = {std::begin(kNearTieTechniques), std::end(kNearTieTechniques)},
      .controls = 30,
      .extra_controls = 91,
      .control_prefix = "NT-",
      .first_control_number = 1000,
      .mitigation = "M1900",
      .mitigation_one_in = 6,
      .strength =
          [](const auto& pick) {
            uint32_t kind = pick(5);
            return kind == 0 ? 0.25 : kind == 1 ? 1.0 : 0.5 + 1e-11 * static_cast<double>(pick(9));
          },
      .risk_accepted_one_in = 12,
      .implementations = {0.0, 0.0, 0.0, 0.5, 0.25, 0.9},
      .incidents = 30,
      .incident_prefix = "NTI-",
      .false_positive_one_in = 8,
      .most_techniques = 4,
  };
  return testing::RandomOrgStore(seed, shape);
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
