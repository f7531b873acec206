// RunBatch (tidemark run) on a hand-made organisation written straight into a store, every
// event worked out by hand below, so the test depends on no importer but ATT&CK's.
//
// ATT&CK (tests/data/scoring/mini-attack.json): T1100, T1200, T1300, T1400; group G9000 uses
// T1300 and T1400.
// Controls: C-A T1100 protect 1.0, to-address (impl 0);  C-B T1200 protect 1.0, completed (1);
//           C-C T1300 protect 0.5, planned (0);           C-E T1400 protect 1.0, no posture (0).
// Incidents (no assets, so a(i) = 1), τ = 2026-03-15:
//   I1 TP closed 03-01  T1100, T1200  threat G9000
//   I2 TP closed 03-02  T1300
//   I3 FP closed 03-03  T1400         threat "Custom Crew"  (never counts: no scope at all)
// Scopes and recommendations (impact = rise of R if impl = 1):
//   I1:    w = 2, 2; C-A lifts T1100 0 -> 1: +50.                        {C-A}
//   I2:    w = 2;    C-C lifts T1300 0 -> 0.5: +50.                      {C-C}
//   G9000: T = uses {T1300, T1400} + I1's {T1100, T1200}; w 1, 1, 2, 2 (Σ 6):
//          C-A +33.33, C-C +8.33, C-E +16.67.                           {C-A, C-C, C-E}
//   all:   T1100, T1200, T1300 with w 2 each: C-A +33.33, C-C +16.67.   {C-A, C-C}
#include "engine/report/batch_run.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>
#include <tuple>

#include "engine/report/feed.h"
#include "engine/store/feed_catalog.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"
#include "tests/test_support.h"

namespace tidemark::report {
namespace {

using model::Classification;
using model::ControlStatus;

TimeMs Day(const char* date) { return *ParseIsoTime(date); }
const TimeMs kTau = *ParseIsoTime("2026-03-15", DateOnly::kEndOfDay);

model::Incident MakeIncident(const char* id, Classification cls, const char* closed, std::vector<std::string> techniques,
                             std::vector<std::string> threats) {
  model::Incident inc;
  inc.id = id;
  inc.title = std::string("incident ") + id;
  inc.source = "native";
  inc.classification = cls;
  inc.closed = Day(closed);
  inc.status = "closed";
  for (auto& t : techniques) inc.techniques.push_back({t, "", ""});
  inc.threats = std::move(threats);
  return inc;
}

std::unique_ptr<store::Store> OrgStore() {
  std::string dir = testing::TempDir("batch");
  auto imported = testing::RunTidemark({"--store", dir, "-q", "import", "attack", testing::DataPath("scoring/mini-attack.json")});
  REQUIRE(imported.exit_code == 0);
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  Status written = (*store)->Write([](store::WriteTxn& txn) {
    for (const char* id : {"C-A", "C-B", "C-C", "C-E"}) {
      model::Control c;
      c.id = id;
      c.title = std::string("Control ") + id;
      store::OrgCatalog::PutControl(txn, c);
    }
    auto map = [&](const char* c, const char* t, double s) {
      store::OrgCatalog::PutMapping(txn, model::Mapping{c, t, "", model::MappingType::kProtect, s, "fixture"});
    };
    map("C-A", "T1100", 1.0);
    map("C-B", "T1200", 1.0);
    map("C-C", "T1300", 0.5);
    map("C-E", "T1400", 1.0);
    auto posture = [&](const char* c, ControlStatus s) {
      store::OrgCatalog::PutPosture(txn, model::PostureRecord{c, Day("2026-01-01"), s, std::nullopt, "fixture"});
    };
    posture("C-A", ControlStatus::kToAddress);
    posture("C-B", ControlStatus::kCompleted);
    posture("C-C", ControlStatus::kPlanned);
    store::IncidentCatalog::Put(txn, MakeIncident("I1", Classification::kTruePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
    store::IncidentCatalog::Put(txn, MakeIncident("I2", Classification::kTruePositive, "2026-03-02", {"T1300"}, {}));
    store::IncidentCatalog::Put(txn, MakeIncident("I3", Classification::kFalsePositive, "2026-03-03", {"T1400"}, {"Custom Crew"}));
    return Status::Ok();
  });
  REQUIRE(written.ok());
  return std::move(store).value();
}

void Write(store::Store& store, const std::function<void(store::WriteTxn&)>& fn) {
  REQUIRE(store.Write([&](store::WriteTxn& txn) {
                fn(txn);
                return Status::Ok();
              }).ok());
}

struct Event {
  uint64_t seq;
  std::string event, kind, scope, control, key, time;
  double impact;
};

std::vector<Event> EventsFrom(store::Store& store, uint64_t from) {
  std::vector<Event> events;
  store::FeedCatalog::ForEachFrom(store.Read(), from, [&](uint64_t seq, std::string_view json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    REQUIRE(!doc.HasParseError());
    CHECK(doc["seq"].GetUint64() == seq);
    events.push_back({seq, doc["event"].GetString(), doc["scope"]["kind"].GetString(), doc["scope"]["id"].GetString(),
                      doc["control"]["id"].GetString(), doc["key"].GetString(), doc["time"].GetString(),
                      doc["impact"].GetDouble()});
    return true;
  });
  return events;
}

using Triple = std::tuple<std::string, std::string, std::string>;  // event, scope id, control

std::set<Triple> Triples(const std::vector<Event>& events) {
  std::set<Triple> out;
  for (const auto& e : events) out.emplace(e.event, e.scope, e.control);
  return out;
}

RunSummary Run(store::Store& store) {
  auto summary = RunBatch(store, kTau, std::nullopt, kTau);
  REQUIRE(summary.ok());
  return *summary;
}

}  // namespace

TEST_CASE("a run on the hand-made organisation opens exactly the (scope, control) pairs worked out by hand") {
  auto store = OrgStore();
  RunSummary first = Run(*store);
  CHECK(first.incidents == 2);  // I1, I2: the false positive I3 is no scope
  CHECK(first.threats == 1);    // G9000; "Custom Crew" has no counted incident
  CHECK(first.opened == 7);
  CHECK(first.last_seq == 7);
  auto events = EventsFrom(*store, 1);
  const std::string o = "recommendation.opened";
  CHECK(Triples(events) == std::set<Triple>{{o, "I1", "C-A"}, {o, "I2", "C-C"}, {o, "G9000", "C-A"}, {o, "G9000", "C-C"},
                                            {o, "G9000", "C-E"}, {o, "all", "C-A"}, {o, "all", "C-C"}});
  uint64_t seq = 0;
  std::set<std::string> keys;
  for (const auto& e : events) {
    CHECK(e.seq == ++seq);
    CHECK(e.time == "2026-03-15T23:59:59.999Z");
    CHECK(e.key == FeedKey(e.kind, e.scope, e.control));
    keys.insert(e.key);
    if (e.scope == "G9000" && e.control == "C-E") CHECK(e.impact == doctest::Approx(16.6667));
    if (e.scope == "all" && e.control == "C-A") CHECK(e.impact == doctest::Approx(33.3333));
  }
  CHECK(keys.size() == 7);
  CHECK(events[0].kind == "incident");

  RunSummary second = Run(*store);
  CHECK(second.opened + second.updated + second.resolved == 0);
  CHECK(store::FeedCatalog::LastSeq(store->Read()) == 7);
}

TEST_CASE("posture, new incidents, reclassification and risk acceptance give resolved, opened and updated events") {
  auto store = OrgStore();
  Run(*store);
  const std::string opened = "recommendation.opened", updated = "recommendation.updated",
                    resolved = "recommendation.resolved";

  // C-A completed: every C-A pair resolves; C-C and C-E impacts do not depend on T1100's coverage.
  Write(*store, [](store::WriteTxn& txn) {
    store::OrgCatalog::PutPosture(txn, model::PostureRecord{"C-A", Day("2026-03-10"), ControlStatus::kCompleted, std::nullopt, "fixture"});
  });
  CHECK(Run(*store).resolved == 3);
  CHECK(Triples(EventsFrom(*store, 8)) ==
        std::set<Triple>{{resolved, "I1", "C-A"}, {resolved, "G9000", "C-A"}, {resolved, "all", "C-A"}});

  // I4 (T1300, G9000): a new scope, and T1300 weighs more in G9000 (Σw 7) and all (Σw 7):
  // G9000 C-C 2×0.5/7 = 14.29, C-E 1/7 = 14.29, all C-C 3×0.5/7 = 21.43.
  Write(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, MakeIncident("I4", Classification::kTruePositive, "2026-03-12", {"T1300"}, {"G9000"}));
  });
  RunSummary added = Run(*store);
  CHECK(added.opened == 1);
  CHECK(added.updated == 3);
  auto events = EventsFrom(*store, 11);
  CHECK(Triples(events) == std::set<Triple>{{opened, "I4", "C-C"}, {updated, "G9000", "C-C"}, {updated, "G9000", "C-E"},
                                            {updated, "all", "C-C"}});
  for (const auto& e : events) {
    if (e.event == updated && e.scope == "all") CHECK(e.impact == doctest::Approx(21.4286));
  }

  // I2 reclassified false positive: its scope is gone (resolved) and all loses a T1300 weight.
  Write(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, MakeIncident("I2", Classification::kFalsePositive, "2026-03-02", {"T1300"}, {}));
  });
  Run(*store);
  CHECK(Triples(EventsFrom(*store, 15)) == std::set<Triple>{{resolved, "I2", "C-C"}, {updated, "all", "C-C"}});

  // C-E risk-accepted: no longer recommended anywhere.
  Write(*store, [](store::WriteTxn& txn) {
    store::OrgCatalog::PutPosture(txn, model::PostureRecord{"C-E", Day("2026-03-11"), ControlStatus::kRiskAccepted, std::nullopt, "fixture"});
  });
  Run(*store);
  CHECK(Triples(EventsFrom(*store, 17)) == std::set<Triple>{{resolved, "G9000", "C-E"}});

  // Every attributed incident of G9000 reclassified: the threat scope is gone and no incident
  // counts any more, so every pair still open resolves.
  Write(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, MakeIncident("I1", Classification::kFalsePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
    store::IncidentCatalog::Put(txn, MakeIncident("I4", Classification::kBenignPositive, "2026-03-12", {"T1300"}, {"G9000"}));
  });
  RunSummary gone = Run(*store);
  CHECK(gone.incidents == 0);
  CHECK(gone.threats == 0);
  CHECK(Triples(EventsFrom(*store, 18)) ==
        std::set<Triple>{{resolved, "G9000", "C-C"}, {resolved, "I4", "C-C"}, {resolved, "all", "C-C"}});
  RunSummary again = Run(*store);
  CHECK(again.opened + again.updated + again.resolved == 0);
}

TEST_CASE("--since leaves older incidents' open events alone; a resolved pair that comes back is reopened") {
  auto store = OrgStore();
  Run(*store);
  // C-A completed, but only incidents closed on or after 03-02 are re-mapped: I1's C-A stays open.
  Write(*store, [](store::WriteTxn& txn) {
    store::OrgCatalog::PutPosture(txn, model::PostureRecord{"C-A", Day("2026-03-10"), ControlStatus::kCompleted, std::nullopt, "fixture"});
  });
  auto since = RunBatch(*store, kTau, Day("2026-03-02"), kTau);
  REQUIRE(since.ok());
  CHECK(since->incidents == 1);
  CHECK(Triples(EventsFrom(*store, 8)) ==
        std::set<Triple>{{"recommendation.resolved", "G9000", "C-A"}, {"recommendation.resolved", "all", "C-A"}});
  // Back to to-address: the resolved pairs open again (new events, same keys).
  Write(*store, [](store::WriteTxn& txn) {
    store::OrgCatalog::PutPosture(txn, model::PostureRecord{"C-A", Day("2026-03-11"), ControlStatus::kToAddress, std::nullopt, "fixture"});
  });
  Run(*store);
  CHECK(Triples(EventsFrom(*store, 10)) ==
        std::set<Triple>{{"recommendation.opened", "G9000", "C-A"}, {"recommendation.opened", "all", "C-A"}});
}

}  // namespace tidemark::report
