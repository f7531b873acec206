// A run keeps an incident's top K without building the rest of its recommendations
// (Scorer::Evaluate with max_recommendations): on random organisations with many controls and
// many equal impacts, the limited evaluation must be exactly the beginning of the whole one, and
// a run with --top K must append exactly the events of a run with --top 0 with each incident's
// list cut after K.
// ATT&CK: tests/data/scoring/mini-attack.json (T1100, T1200, T1300, T1400).
#include <doctest/doctest.h>

#include <array>
#include <iterator>
#include <map>

#include "engine/report/batch_run.h"
#include "engine/scoring/scorer.h"
#include "engine/store/feed_catalog.h"
#include "tests/store_support.h"

namespace tidemark::report {
namespace {

const TimeMs kTopKTau = *ParseIsoTime("2026-03-15", DateOnly::kEndOfDay);
const char* const kTechniques[] = {"T1100", "T1200", "T1300", "T1400"};

// A store with `seed`'s organisation: 60 controls with strengths and implementations from few
// values (so many impacts are equal and the id decides), 40 incidents of 1 to 3 techniques.
std::unique_ptr<store::Store> RandomStore(uint32_t seed) {
  static const testing::RandomOrgShape shape{
      .hint = "top-k",
      .attack_fixture = "scoring/mini-attack.json",
      .techniques = {std::begin(kTechniques), std::end(kTechniques)},
      .controls = 60,
      .extra_controls = 0,
      .control_prefix = "K-",
      .first_control_number = 100,
      .mitigation = "",
      .mitigation_one_in = 0,
      .strength = [](const auto& pick) { return std::array{0.25, 0.5, 1.0}[pick(3)]; },
      .risk_accepted_one_in = 10,
      .implementations = {0.0, 0.0, 0.5, 0.25},
      .incidents = 40,
      .incident_prefix = "KI-",
      .false_positive_one_in = 6,
      .most_techniques = 3,
  };
  return testing::RandomOrgStore(seed, shape);
}

// The events after a first run, each without its seq, and the scope it belongs to.
std::vector<std::pair<std::string, std::string>> Feed(store::Store& store, size_t top) {
  RunOptions options;
  options.tau = kTopKTau;
  options.event_time = kTopKTau;
  options.top = top;
  REQUIRE(RunBatch(store, options).ok());
  std::vector<std::pair<std::string, std::string>> events;
  store::FeedCatalog::ForEachFrom(store.Read(), 1, [&](uint64_t seq, std::string_view json) {
    std::string text(json), seq_field = "\"seq\":" + std::to_string(seq) + ",";
    size_t at = text.find(seq_field);
    REQUIRE(at != std::string::npos);
    text.erase(at, seq_field.size());
    size_t scope = text.find("\"scope\":");
    REQUIRE(scope != std::string::npos);
    events.emplace_back(text.substr(scope, text.find('}', scope) - scope), text);
    return true;
  });
  return events;
}

}  // namespace

TEST_CASE("an incident's top K evaluated alone is exactly the beginning of its whole list") {
  size_t compared = 0;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    auto store = RandomStore(seed);
    auto txn = store->Read();
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn);
    graph.LoadIncidents(txn);
    scoring::Scorer scorer(graph);
    for (const auto& info : graph.incidents()) {
      auto scope = scoring::ResolveScope(graph, info.id);
      REQUIRE(scope.ok());
      scoring::Evaluation whole = scorer.Evaluate(*scope, kTopKTau, scoring::EvaluateOptions{.details = false});
      for (size_t top : {1, 3, 10}) {
        CAPTURE(top);
        scoring::Evaluation first =
            scorer.Evaluate(*scope, kTopKTau, scoring::EvaluateOptions{.details = false, .max_recommendations = top});
        REQUIRE(first.recommendations.size() == std::min(top, whole.recommendations.size()));
        CHECK(first.resilience == whole.resilience);
        for (size_t k = 0; k < first.recommendations.size(); ++k) {
          const scoring::Recommendation& a = first.recommendations[k];
          const scoring::Recommendation& b = whole.recommendations[k];
          CHECK(a.control == b.control);
          CHECK(a.impact == b.impact);  // the same bits, not approximately
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
    }
  }
  CHECK(compared > 500);
}

TEST_CASE("a run with --top K appends the events of --top 0 with each incident's list cut after K") {
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    auto limited = Feed(*RandomStore(seed), 3);
    auto whole = Feed(*RandomStore(seed), 0);
    std::vector<std::pair<std::string, std::string>> cut;
    std::map<std::string, size_t> per_scope;
    bool incident_cut = false;
    for (const auto& event : whole) {
      const std::string& scope = event.first;
      bool incident = scope.find("\"kind\":\"incident\"") != std::string::npos;
      bool recommendation = event.second.find("\"event\":\"recommendation.") != std::string::npos;
      if (incident && recommendation && ++per_scope[scope] > 3) {
        incident_cut = true;
        continue;
      }
      cut.push_back(event);
    }
    CHECK(incident_cut);
    CHECK(limited.size() == cut.size());
    for (size_t k = 0; k < std::min(limited.size(), cut.size()); ++k) {
      CAPTURE(k);
      CHECK(limited[k].second == cut[k].second);
    }
  }
}

}  // namespace tidemark::report
