// The evidence index (engine/store/evidence_index.h) against SPEC §3 "Evidence" worked out by
// brute force: after imports, re-imports, reclassifications and changed times, each technique's
// list holds exactly the incidents that can show it succeeded, with time(i) and b(i); and the
// evidence scoring computes from a list (|B(t, τ)|, β, the first incidents in id order, the
// incidents a control was in place in) equals a scan of the incidents, on random organisations.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "engine/scoring/evidence.h"
#include "engine/store/evidence_index.h"
#include "engine/store/incident_catalog.h"
#include "tests/store_support.h"
#include "tests/test_support.h"

namespace tidemark::store {
namespace {

using model::Classification;
using model::TechniqueOutcome;
using testing::Day;

struct ExpectedUse {
  TimeMs time;
  TimeMs baseline;
};
// technique -> incident id -> (time, b), by the SPEC's words over whole incidents.
using IndexOracle = std::map<std::string, std::map<std::string, ExpectedUse>>;

IndexOracle IndexByBruteForce(const std::map<std::string, model::Incident>& incidents) {
  IndexOracle oracle;
  for (const auto& [id, inc] : incidents) {
    // Counts at some τ: not a false or benign positive, and has a time (closed, else created).
    if (inc.classification == Classification::kFalsePositive || inc.classification == Classification::kBenignPositive) continue;
    std::optional<TimeMs> time = inc.closed ? inc.closed : inc.created;
    if (!time) continue;
    TimeMs baseline = inc.created ? *inc.created : *inc.closed;
    for (const auto& t : inc.techniques) {
      if (t.outcome == TechniqueOutcome::kSucceeded) oracle[t.id][id] = ExpectedUse{*time, baseline};
    }
  }
  return oracle;
}

IndexOracle StoredIndex(const Store& store) {
  IndexOracle stored;
  auto txn = store.Read();
  EvidenceIndex::ForEach(txn, /*borrow=*/false, [&](std::string_view technique, EvidenceList&& list) {
    auto& uses = stored[std::string(technique)];
    std::string previous;
    list.ForEachById([&](const EvidenceList::Use& use) {
      CHECK(previous < std::string(use.incident));  // id order, distinct
      previous = std::string(use.incident);
      uses[previous] = ExpectedUse{use.time, use.baseline};
      return true;
    });
    CHECK(uses.size() == list.size());
    for (size_t k = 1; k < list.size(); ++k) CHECK(list.ByBaseline(k - 1) <= list.ByBaseline(k));
  });
  return stored;
}

bool operator==(const ExpectedUse& a, const ExpectedUse& b) { return a.time == b.time && a.baseline == b.baseline; }

model::Incident RandomStoredIncident(std::mt19937& rng, const std::string& id) {
  static const char* kTechniques[] = {"T1001", "T1002", "T1003", "T1003.001", "T1004", "T1005"};
  static const Classification kClasses[] = {Classification::kTruePositive, Classification::kFalsePositive,
                                            Classification::kBenignPositive, Classification::kUndetermined};
  model::Incident inc;
  inc.id = id;
  inc.title = "random " + id;
  inc.source = "native";
  inc.classification = kClasses[rng() % 4];
  TimeMs created = Day("2026-01-01") + static_cast<TimeMs>(rng() % 200) * 86'400'000;
  switch (rng() % 4) {
    case 0: inc.created = created; break;                                              // open
    case 1: inc.closed = created + 3'600'000; break;                                   // no created time
    case 3: break;                                                                     // no time at all
    default: inc.created = created, inc.closed = created + static_cast<TimeMs>(rng() % 30) * 86'400'000;
  }
  // Distinct IDs, as the normaliser stores them (a technique named twice is merged, any
  // succeeded use winning).
  size_t count = 1 + rng() % 4;
  for (size_t k = 0; k < count; ++k) {
    model::IncidentTechnique t{kTechniques[rng() % 6], "", ""};
    if (rng() % 4 == 0) t.outcome = TechniqueOutcome::kBlocked;
    bool named = std::any_of(inc.techniques.begin(), inc.techniques.end(),
                             [&](const model::IncidentTechnique& u) { return u.id == t.id; });
    if (!named) inc.techniques.push_back(t);
  }
  return inc;
}

TEST_CASE("the evidence index holds exactly the incidents that can show each technique succeeded, through imports, "
          "re-imports, reclassifications and changed times") {
  std::mt19937 rng(16);
  for (int round = 0; round < 5; ++round) {
    CAPTURE(round);
    auto opened = Store::Open(testing::TempDir("evidence-index"));
    REQUIRE(opened.ok());
    Store& store = **opened;
    std::map<std::string, model::Incident> current;
    for (int batch = 0; batch < 6; ++batch) {
      CAPTURE(batch);
      // A write transaction of up to 40 upserts through one Writer (an import), or one at a time.
      bool one_writer = batch % 2 == 0;
      testing::WriteOrFail(store, [&](WriteTxn& txn) {
        IncidentCatalog::Writer writer;
        for (int k = 0; k < 40; ++k) {
          std::string id = "I-" + std::to_string(rng() % 60);
          model::Incident inc = RandomStoredIncident(rng, id);
          if (current.count(id) && rng() % 3 == 0) {
            inc = current[id];  // the same record again, or reclassified
            if (rng() % 2) inc.classification = Classification::kFalsePositive;
          }
          if (one_writer) {
            IncidentCatalog::Put(txn, inc, writer);
          } else {
            IncidentCatalog::Put(txn, inc);
          }
          current[id] = inc;
        }
        writer.Finish(txn);
      });
      CHECK(StoredIndex(store) == IndexByBruteForce(current));
    }
    // Rebuilt from the facts (the schema-3 migration), the index is the same.
    IndexOracle before = StoredIndex(store);
    testing::WriteOrFail(store, [](WriteTxn& txn) { EvidenceIndex::Rebuild(txn); });
    CHECK(StoredIndex(store) == before);
  }
}

TEST_CASE("an incident reclassified as a false positive leaves the evidence index, and an emptied list is removed") {
  auto opened = Store::Open(testing::TempDir("evidence-fp"));
  REQUIRE(opened.ok());
  Store& store = **opened;
  auto inc = testing::ClosedIncident("A", Classification::kTruePositive, "2026-02-03T00:00:00Z", {"T1001", "T1002"}, {},
                                     "2026-02-01T00:00:00Z");
  testing::WriteOrFail(store, [&](WriteTxn& txn) { IncidentCatalog::Put(txn, inc); });
  {
    auto txn = store.Read();
    auto list = EvidenceIndex::Find(txn, "T1001");
    REQUIRE(list);
    REQUIRE(list->size() == 1);
    list->ForEachById([](const EvidenceList::Use& use) {
      CHECK(use.incident == "A");
      CHECK(use.time == Day("2026-02-03"));
      CHECK(use.baseline == Day("2026-02-01"));
      return true;
    });
  }
  inc.classification = Classification::kFalsePositive;
  testing::WriteOrFail(store, [&](WriteTxn& txn) { IncidentCatalog::Put(txn, inc); });
  auto txn = store.Read();
  CHECK_FALSE(EvidenceIndex::Find(txn, "T1001"));
  CHECK(txn.Count(Db::kEvidence) == 0);
}

TEST_CASE("|B(t, tau)| is the number of uses with time <= tau at every boundary, with and without a baseline after its time") {
  // (b, time): A and B share a baseline, B and D count from their baseline, C and E later; F
  // (only in the second list) has b after its time, which imports never write: its list is
  // scanned whole, the first only up to the uses with b <= tau.
  std::vector<EvidenceList::Use> uses = {{"A", Day("2026-01-12"), Day("2026-01-10")},
                                         {"B", Day("2026-01-10"), Day("2026-01-10")},
                                         {"C", Day("2026-02-01"), Day("2026-01-15")},
                                         {"D", Day("2026-02-01"), Day("2026-02-01")},
                                         {"E", Day("2026-03-01"), Day("2026-02-05")}};
  EvidenceList ordered = EvidenceList::Of(uses);
  uses.push_back({"F", Day("2026-01-20"), Day("2026-02-10")});
  EvidenceList unordered = EvidenceList::Of(uses);
  REQUIRE(ordered.baselines_not_after_times());
  REQUIRE_FALSE(unordered.baselines_not_after_times());
  struct Case {
    TimeMs tau;
    size_t ordered, unordered;
  };
  const TimeMs ms = 1;
  for (const Case& c : std::vector<Case>{{Day("2026-01-10") - ms, 0, 0},
                                         {Day("2026-01-10"), 1, 1},
                                         {Day("2026-01-12") - ms, 1, 1},
                                         {Day("2026-01-12"), 2, 2},
                                         {Day("2026-01-20"), 2, 3},
                                         {Day("2026-02-01") - ms, 2, 3},
                                         {Day("2026-02-01"), 4, 5},
                                         {Day("2026-02-05"), 4, 5},
                                         {Day("2026-03-01") - ms, 4, 5},
                                         {Day("2026-03-01"), 5, 6},
                                         {std::numeric_limits<TimeMs>::max(), 5, 6}}) {
    CAPTURE(c.tau);
    CHECK(scoring::Evidence::Count(ordered, c.tau) == c.ordered);
    CHECK(scoring::Evidence::Count(unordered, c.tau) == c.unordered);
  }
}

// Brute force of scoring::Evidence over whole incidents at τ.
struct ScannedUse {
  std::string id;
  TimeMs time, baseline;
};

TEST_CASE("evidence read from a list equals a scan of the incidents: count, baseline, first incidents, in place "
          "(also over the union of two overlapping lists)") {
  std::mt19937 rng(1016);
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    std::vector<EvidenceList::Use> uses;
    std::vector<ScannedUse> all;
    std::vector<std::string> ids;
    size_t count = rng() % 60;
    for (size_t k = 0; k < count; ++k) ids.push_back("INC-" + std::to_string(rng() % 1000));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const auto& id : ids) {
      TimeMs baseline = Day("2026-01-01") + static_cast<TimeMs>(rng() % 100) * 86'400'000;
      TimeMs time = baseline + static_cast<TimeMs>(rng() % 20) * 86'400'000;
      if (round % 7 == 0 && rng() % 5 == 0) time = baseline - 86'400'000;  // b > time: not from imports
      all.push_back({id, time, baseline});
      uses.push_back({id, time, baseline});
    }
    std::shuffle(uses.begin(), uses.end(), rng);
    EvidenceList list = EvidenceList::Of(uses);
    // The same uses over two techniques: each in one of them or in both.
    std::vector<EvidenceList::Use> first_part, second_part;
    for (const auto& use : uses) {
      unsigned where = rng() % 3;
      if (where != 1) first_part.push_back(use);
      if (where != 0) second_part.push_back(use);
    }
    EvidenceList first_list = EvidenceList::Of(first_part), second_list = EvidenceList::Of(second_part);
    std::vector<model::PostureRecord> posture;
    size_t records = rng() % 5;
    for (size_t k = 0; k < records; ++k) {
      model::PostureRecord r;
      r.control = "C";
      r.as_of = Day("2026-01-01") + static_cast<TimeMs>(rng() % 120) * 86'400'000;
      r.status = model::ControlStatus::kCompleted;
      r.implemented = static_cast<double>(rng() % 5) / 4.0;
      posture.push_back(r);
    }
    std::sort(posture.begin(), posture.end(), [](const auto& a, const auto& b) { return a.as_of < b.as_of; });
    posture.erase(std::unique(posture.begin(), posture.end(), [](const auto& a, const auto& b) { return a.as_of == b.as_of; }),
                  posture.end());
    for (int probe = 0; probe < 5; ++probe) {
      TimeMs tau = Day("2026-01-01") + static_cast<TimeMs>(rng() % 140) * 86'400'000;
      CAPTURE(tau);
      size_t counted = 0;
      double beta = 0;
      std::vector<std::string> first, in_place;
      size_t in_place_count = 0;
      for (const auto& use : all) {
        if (use.time > tau) continue;
        ++counted;
        double impl = scoring::ImplementedAt(posture, use.baseline);
        beta = std::max(beta, impl);
        if (first.size() < 7) first.push_back(use.id);
        if (impl > 0 && in_place.size() < 7) in_place.push_back(use.id);
        if (impl > 0) ++in_place_count;
      }
      CHECK(scoring::Evidence::Count(list, tau) == counted);
      CHECK(scoring::Evidence::Baseline(posture, list, tau) == beta);
      std::vector<std::string> got_first, got_in_place, got_union;
      scoring::Evidence::FirstIncidents(list, tau, 7, got_first);
      bool more = scoring::Evidence::InPlaceFirst(posture, {&list}, tau, 7, got_in_place);
      bool union_more = scoring::Evidence::InPlaceFirst(posture, {&first_list, &second_list}, tau, 7, got_union);
      CHECK(got_first == first);
      CHECK(got_in_place == in_place);
      CHECK(got_union == in_place);
      CHECK(more == (in_place_count > 7));
      CHECK(union_more == (in_place_count > 7));
      // In a batch (shared per posture shape, ids ranked once): the same answers, asked twice.
      scoring::Evidence::InPlaceBatch batch(tau, 7);
      for (int again = 0; again < 2; ++again) {
        CHECK(batch.Add(posture, {&list}) == size_t(2 * again));
        CHECK(batch.Add(posture, {&first_list, &second_list}) == size_t(2 * again + 1));
      }
      for (size_t query = 0; query < 4; ++query) {
        std::vector<std::string_view> got;
        CHECK(batch.First(query, got) == more);
        CHECK(std::vector<std::string>(got.begin(), got.end()) == in_place);
      }
    }
  }
}

}  // namespace
}  // namespace tidemark::store
