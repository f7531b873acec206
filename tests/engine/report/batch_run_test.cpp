// RunBatch (tidemark run) on hand-made organisations written straight into a store, every event
// worked out by hand below, so the test depends on no importer but ATT&CK's.
//
// ATT&CK (tests/data/scoring/mini-attack.json): T1100, T1200, T1300, T1400; group G9000
// "Kestrel" uses T1300 and T1400.
// Controls: C-A T1100 protect 1.0, to-address (impl 0), owner "Endpoint Team";
//           C-B T1200 protect 1.0, completed (1);  C-C T1300 protect 0.5, planned (0);
//           C-E T1400 protect 1.0, no posture (0).
// Incidents (no assets, so a(i) = 1), τ = 2026-03-15:
//   I1 TP closed 03-01  T1100, T1200  threat G9000
//   I2 TP closed 03-02  T1300
//   I3 FP closed 03-03  T1400         threat "Custom Crew"  (never counts: no scope at all)
// Scopes and recommendations (impact = rise of R if impl = 1), in SPEC order:
//   I1:    w = 2, 2; C-A lifts T1100 0 -> 1: +50.                        [C-A]
//   I2:    w = 2;    C-C lifts T1300 0 -> 0.5: +50.                      [C-C]
//   G9000: T = uses {T1300, T1400} + I1's {T1100, T1200}; w 1, 1, 2, 2 (Σ 6):
//          C-A +33.33, C-E +16.67, C-C +8.33.                           [C-A, C-E, C-C]
//   all:   T1100, T1200, T1300 with w 2 each: C-A +33.33, C-C +16.67.   [C-A, C-C]
// The first run appends them in that order: seq 1..7.
#include "engine/report/batch_run.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>
#include <tuple>

#include "engine/report/feed.h"
#include "engine/store/feed_catalog.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"
#include "tests/store_support.h"
#include "tests/test_support.h"

namespace tidemark::report {
namespace {

using testing::ClosedIncident;
using testing::WriteOrFail;

using model::Classification;
using model::ControlStatus;
using store::FeedCatalog;

using testing::Day;
using testing::PutMapping;
using testing::PutPosture;
const TimeMs kTau = *ParseIsoTime("2026-03-15", DateOnly::kEndOfDay);

void PutControl(store::WriteTxn& txn, const char* id, std::vector<std::pair<const char*, double>> mappings,
                std::optional<ControlStatus> status, const char* as_of = "2026-01-01", const char* owner = "") {
  model::Control c;
  c.id = id;
  c.title = std::string("Control ") + id;
  c.owner = owner;
  store::OrgCatalog::PutControl(txn, c);
  for (const auto& [technique, strength] : mappings) {
    PutMapping(txn, id, technique, strength);
  }
  if (status) PutPosture(txn, id, as_of, *status);
}

std::unique_ptr<store::Store> AttackStore() {
  std::string dir = testing::TempDir("batch");
  auto imported = testing::RunTidemark({"--store", dir, "-q", "import", "attack", testing::DataPath("scoring/mini-attack.json")});
  REQUIRE(imported.exit_code == 0);
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  return std::move(store).value();
}

std::unique_ptr<store::Store> OrgStore() {
  auto store = AttackStore();
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    PutControl(txn, "C-A", {{"T1100", 1.0}}, ControlStatus::kToAddress, "2026-01-01", "Endpoint Team");
    PutControl(txn, "C-B", {{"T1200", 1.0}}, ControlStatus::kCompleted);
    PutControl(txn, "C-C", {{"T1300", 0.5}}, ControlStatus::kPlanned);
    PutControl(txn, "C-E", {{"T1400", 1.0}}, std::nullopt);
    store::IncidentCatalog::Put(txn, ClosedIncident("I1", Classification::kTruePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
    store::IncidentCatalog::Put(txn, ClosedIncident("I2", Classification::kTruePositive, "2026-03-02", {"T1300"}, {}));
    store::IncidentCatalog::Put(txn, ClosedIncident("I3", Classification::kFalsePositive, "2026-03-03", {"T1400"}, {"Custom Crew"}));
  });
  return store;
}

struct Event {
  uint64_t seq;
  std::string json, event, kind, scope, control, key, time, reason, owner;
  double impact;
};

std::vector<Event> EventsFrom(store::Store& store, uint64_t from) {
  std::vector<Event> events;
  FeedCatalog::ForEachFrom(store.Read(), from, [&](uint64_t seq, std::string_view json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    REQUIRE(!doc.HasParseError());
    CHECK(doc["seq"].GetUint64() == seq);
    Event e{seq, std::string(json), doc["event"].GetString(), doc["scope"]["kind"].GetString(), doc["scope"]["id"].GetString(),
            "", doc["key"].GetString(), doc["time"].GetString(), "", "", 0};
    if (doc.HasMember("control")) e.control = doc["control"]["id"].GetString();
    if (doc.HasMember("reason")) e.reason = doc["reason"].GetString();
    if (doc.HasMember("owner")) e.owner = doc["owner"].GetString();
    if (doc.HasMember("impact")) e.impact = doc["impact"].GetDouble();
    events.push_back(std::move(e));
    return true;
  });
  return events;
}

using Triple = std::tuple<std::string, std::string, std::string>;  // event, scope id, control

// The recommendation events only (resilience drops are checked on their own).
std::set<Triple> Triples(const std::vector<Event>& events) {
  std::set<Triple> out;
  for (const auto& e : events) {
    if (e.event != kEventResilienceDropped) out.emplace(e.event, e.scope, e.control);
  }
  return out;
}

using Resolution = std::tuple<std::string, std::string, std::string>;  // scope id, control, reason

std::set<Resolution> Resolutions(const std::vector<Event>& events) {
  std::set<Resolution> out;
  for (const auto& e : events) {
    if (e.event == kEventResolved) out.emplace(e.scope, e.control, e.reason);
  }
  return out;
}

std::set<std::string> Dropped(const std::vector<Event>& events) {
  std::set<std::string> out;
  for (const auto& e : events) {
    if (e.event == kEventResilienceDropped) out.insert(e.scope);
  }
  return out;
}

RunSummary Run(store::Store& store, size_t top = kDefaultTop, std::optional<TimeMs> since = std::nullopt) {
  RunOptions options;
  options.tau = kTau;
  options.event_time = kTau;
  options.since = since;
  options.top = top;
  auto summary = RunBatch(store, options);
  REQUIRE(summary.ok());
  return *summary;
}

const std::string kOpened(kEventOpened), kUpdated(kEventUpdated), kResolved(kEventResolved);

}  // namespace

TEST_CASE("a run on the hand-made organisation opens exactly the (scope, control) pairs worked out by hand, with owners") {
  auto store = OrgStore();
  RunSummary first = Run(*store);
  CHECK(first.incidents == 2);  // I1, I2: the false positive I3 is no scope
  CHECK(first.threats == 1);    // G9000; "Custom Crew" has no counted incident
  CHECK(first.opened == 7);
  CHECK(first.resilience_dropped == 0);  // no previous run
  CHECK(first.last_seq == 7);
  auto events = EventsFrom(*store, 1);
  const std::string& o = kOpened;
  CHECK(Triples(events) == std::set<Triple>{{o, "I1", "C-A"}, {o, "I2", "C-C"}, {o, "G9000", "C-A"}, {o, "G9000", "C-C"},
                                            {o, "G9000", "C-E"}, {o, "all", "C-A"}, {o, "all", "C-C"}});
  REQUIRE(events.size() == 7);
  CHECK(events[0].json ==
        R"({"schema":"tidemark.feed/1","seq":1,"event":"recommendation.opened","time":"2026-03-15T23:59:59.999Z",)"
        R"("key":")" + FeedCatalog::ItemKey("incident", "I1", "C-A") +
        R"(","scope":{"kind":"incident","id":"I1"},"control":{"id":"C-A","title":"Control C-A"},"owner":"Endpoint Team",)"
        R"("impact":50.0,"techniques":["T1100"],"paths":[{"technique":"T1100","via":"direct"}],"status":"to-address"})");
  CHECK(events[3].json ==
        R"({"schema":"tidemark.feed/1","seq":4,"event":"recommendation.opened","time":"2026-03-15T23:59:59.999Z",)"
        R"("key":")" + FeedCatalog::ItemKey("group", "G9000", "C-E") +
        R"(","scope":{"kind":"group","id":"G9000","name":"Kestrel"},"control":{"id":"C-E","title":"Control C-E"},)"
        R"("impact":16.6667,"techniques":["T1400"],"paths":[{"technique":"T1400","via":"direct"}],"status":"to-address"})");
  std::set<std::string> keys;
  for (const auto& e : events) {
    CHECK(e.key == FeedCatalog::ItemKey(e.kind, e.scope, e.control));
    CHECK(e.owner == (e.control == "C-A" ? "Endpoint Team" : ""));  // only a control with an owner carries one
    keys.insert(e.key);
    if (e.scope == "all" && e.control == "C-A") CHECK(e.impact == doctest::Approx(33.3333));
  }
  CHECK(keys.size() == 7);

  RunSummary second = Run(*store);
  CHECK(second.opened + second.updated + second.resolved + second.resilience_dropped == 0);
  CHECK(FeedCatalog::LastSeq(store->Read()) == 7);
}

TEST_CASE("each resolution says why: implemented, reclassified, risk-accepted, scope-gone") {
  auto store = OrgStore();
  Run(*store);

  // C-A completed: every C-A pair resolves; C-C and C-E impacts do not depend on T1100's coverage.
  WriteOrFail(*store, [](store::WriteTxn& txn) { PutPosture(txn, "C-A", "2026-03-10", ControlStatus::kCompleted); });
  RunSummary implemented = Run(*store);
  CHECK(implemented.resolved == 3);
  CHECK(implemented.resolved_by_reason[static_cast<size_t>(ResolveReason::kImplemented)] == 3);
  auto events = EventsFrom(*store, 8);
  CHECK(Resolutions(events) ==
        std::set<Resolution>{{"I1", "C-A", "implemented"}, {"G9000", "C-A", "implemented"}, {"all", "C-A", "implemented"}});
  for (const auto& e : events) {
    CHECK(e.owner == "Endpoint Team");
    CHECK(e.json.find(R"("status":"completed","reason":"implemented"})") != std::string::npos);
  }

  // I4 (T1300, G9000): a new scope, and T1300 weighs more in G9000 (Σw 7) and all (Σw 7):
  // G9000 C-C 2×0.5/7 = 14.29, C-E 1/7 = 14.29, all C-C 3×0.5/7 = 21.43. Both lose resilience
  // (more weight on an uncovered technique) by more than 2 points.
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, ClosedIncident("I4", Classification::kTruePositive, "2026-03-12", {"T1300"}, {"G9000"}));
  });
  RunSummary added = Run(*store);
  CHECK(added.opened == 1);
  CHECK(added.updated == 3);
  events = EventsFrom(*store, 11);
  CHECK(Triples(events) == std::set<Triple>{{kOpened, "I4", "C-C"}, {kUpdated, "G9000", "C-C"}, {kUpdated, "G9000", "C-E"},
                                            {kUpdated, "all", "C-C"}});
  CHECK(Dropped(events) == std::set<std::string>{"G9000", "all"});
  for (const auto& e : events) {
    if (e.event == kUpdated && e.scope == "all") CHECK(e.impact == doctest::Approx(21.4286));
  }
  uint64_t next = added.last_seq + 1;

  // I2 reclassified false positive: its scope is gone (reclassified) and all loses a T1300 weight.
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, ClosedIncident("I2", Classification::kFalsePositive, "2026-03-02", {"T1300"}, {}));
  });
  RunSummary reclassified = Run(*store);
  events = EventsFrom(*store, next);
  CHECK(Triples(events) == std::set<Triple>{{kResolved, "I2", "C-C"}, {kUpdated, "all", "C-C"}});
  CHECK(Resolutions(events) == std::set<Resolution>{{"I2", "C-C", "reclassified"}});
  next = reclassified.last_seq + 1;

  // C-E risk-accepted: no longer recommended anywhere.
  WriteOrFail(*store, [](store::WriteTxn& txn) { PutPosture(txn, "C-E", "2026-03-11", ControlStatus::kRiskAccepted); });
  RunSummary accepted = Run(*store);
  events = EventsFrom(*store, next);
  CHECK(Triples(events) == std::set<Triple>{{kResolved, "G9000", "C-E"}});
  CHECK(Resolutions(events) == std::set<Resolution>{{"G9000", "C-E", "risk-accepted"}});
  CHECK(events.back().json.find(R"("status":"risk-accepted","reason":"risk-accepted"})") != std::string::npos);
  next = accepted.last_seq + 1;

  // Every attributed incident of G9000 reclassified: the threat scope is gone, and with no
  // incident counting `all` is not kept in step either, so every pair still open resolves.
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, ClosedIncident("I1", Classification::kFalsePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
    store::IncidentCatalog::Put(txn, ClosedIncident("I4", Classification::kBenignPositive, "2026-03-12", {"T1300"}, {"G9000"}));
  });
  RunSummary gone = Run(*store);
  CHECK(gone.incidents == 0);
  CHECK(gone.threats == 0);
  CHECK(Resolutions(EventsFrom(*store, next)) ==
        std::set<Resolution>{{"G9000", "C-C", "scope-gone"}, {"I4", "C-C", "reclassified"}, {"all", "C-C", "scope-gone"}});
  RunSummary again = Run(*store);
  CHECK(again.opened + again.updated + again.resolved + again.resilience_dropped == 0);
}

TEST_CASE("a control whose techniques other controls now cover resolves as covered-by-others") {
  auto store = OrgStore();
  Run(*store);
  // C-G (T1300, 1.0) completed: T1300 is covered, so C-C (planned, impl 0) raises nothing anywhere.
  WriteOrFail(*store, [](store::WriteTxn& txn) { PutControl(txn, "C-G", {{"T1300", 1.0}}, ControlStatus::kCompleted, "2026-03-13"); });
  RunSummary summary = Run(*store);
  CHECK(summary.opened + summary.updated == 0);
  CHECK(summary.resolved_by_reason[static_cast<size_t>(ResolveReason::kCoveredByOthers)] == 3);
  CHECK(Resolutions(EventsFrom(*store, 8)) == std::set<Resolution>{{"I2", "C-C", "covered-by-others"},
                                                                    {"G9000", "C-C", "covered-by-others"},
                                                                    {"all", "C-C", "covered-by-others"}});
}

// The organisation above plus I5 (TP closed 03-04: T1100, T1300; no threat). I5's recommendations:
// C-A lifts T1100 0 -> 1: +50; C-C lifts T1300 0 -> 0.5: +25. With --top 1, I5 keeps C-A only.
// all: T1100 w 3, T1200 w 2, T1300 w 3 (Σ 8): C-A +37.5, C-C +18.75.
// Then C-F (T1100 0.5, T1300 1.0, to-address) arrives:
//   I1: C-A +50 > C-F +25: unchanged.         I2: C-F +100 > C-C +50: C-C outranked.
//   I5: C-F (0.5 + 1)/2 = +75 > C-A +50 > C-C: C-A outranked.
//   G9000 (w: T1100 2, T1200 2, T1300 1, T1400 1): C-F (2×0.5 + 1)/6 = +33.33, kept (threats keep all).
//   all: C-F (3×0.5 + 3)/8 = +56.25, kept.
TEST_CASE("--top K keeps an incident's K highest impacts; a control that leaves them resolves as outranked") {
  auto store = OrgStore();
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, ClosedIncident("I5", Classification::kTruePositive, "2026-03-04", {"T1100", "T1300"}, {}));
  });
  RunSummary first = Run(*store, /*top=*/1);
  CHECK(first.opened == 8);
  auto events = EventsFrom(*store, 1);
  const std::string& o = kOpened;
  CHECK(Triples(events) == std::set<Triple>{{o, "I1", "C-A"}, {o, "I2", "C-C"}, {o, "I5", "C-A"}, {o, "G9000", "C-A"},
                                            {o, "G9000", "C-C"}, {o, "G9000", "C-E"}, {o, "all", "C-A"}, {o, "all", "C-C"}});

  WriteOrFail(*store, [](store::WriteTxn& txn) { PutControl(txn, "C-F", {{"T1100", 0.5}, {"T1300", 1.0}}, ControlStatus::kToAddress); });
  RunSummary second = Run(*store, /*top=*/1);
  CHECK(second.opened == 4);
  CHECK(second.updated == 0);
  CHECK(second.resolved == 2);
  CHECK(second.resolved_by_reason[static_cast<size_t>(ResolveReason::kOutranked)] == 2);
  events = EventsFrom(*store, 9);
  CHECK(Triples(events) == std::set<Triple>{{o, "I2", "C-F"}, {o, "I5", "C-F"}, {o, "G9000", "C-F"}, {o, "all", "C-F"},
                                            {kResolved, "I2", "C-C"}, {kResolved, "I5", "C-A"}});
  CHECK(Resolutions(events) == std::set<Resolution>{{"I2", "C-C", "outranked"}, {"I5", "C-A", "outranked"}});
  for (const auto& e : events) {
    if (e.event != kOpened) continue;
    double expected = e.scope == "I2" ? 100 : e.scope == "I5" ? 75 : e.scope == "G9000" ? 33.3333 : 56.25;
    CHECK(e.impact == doctest::Approx(expected));
  }
  CHECK(Run(*store, 1).last_seq == second.last_seq);  // in step: nothing more

  // --top 0 keeps every recommendation: the outranked pairs open again, and I5's C-C too.
  RunSummary all = Run(*store, /*top=*/0);
  CHECK(Triples(EventsFrom(*store, second.last_seq + 1)) ==
        std::set<Triple>{{o, "I2", "C-C"}, {o, "I5", "C-A"}, {o, "I5", "C-C"}, {o, "I1", "C-F"}});
  CHECK(all.resolved == 0);
}

TEST_CASE("--since leaves older incidents' open events alone; a resolved pair that comes back is reopened") {
  auto store = OrgStore();
  Run(*store);
  // C-A completed, but only incidents closed on or after 03-02 are re-mapped: I1's C-A stays open.
  WriteOrFail(*store, [](store::WriteTxn& txn) { PutPosture(txn, "C-A", "2026-03-10", ControlStatus::kCompleted); });
  RunSummary since = Run(*store, kDefaultTop, Day("2026-03-02"));
  CHECK(since.incidents == 1);
  CHECK(Resolutions(EventsFrom(*store, 8)) ==
        std::set<Resolution>{{"G9000", "C-A", "implemented"}, {"all", "C-A", "implemented"}});
  // Back to to-address: the resolved pairs open again (new events, same keys).
  WriteOrFail(*store, [](store::WriteTxn& txn) { PutPosture(txn, "C-A", "2026-03-11", ControlStatus::kToAddress); });
  Run(*store);
  CHECK(Triples(EventsFrom(*store, 10)) == std::set<Triple>{{kOpened, "G9000", "C-A"}, {kOpened, "all", "C-A"}});
}

// J1 TP created 02-01, closed 02-02: T1100, T1200. C-A (T1100, 1.0) completed on 03-01, after J1:
// R(J1) = R(all) = 50 (T1100 covered, T1200 not, equal weights), nothing to recommend. C-A
// falls back to to-address on 03-10: R = 0, a drop of 50 in both scopes.
TEST_CASE("a resilience drop of 2 points or more since the previous run appends scope.resilience_dropped once") {
  auto store = AttackStore();
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    PutControl(txn, "C-A", {{"T1100", 1.0}}, ControlStatus::kCompleted, "2026-03-01");
    store::IncidentCatalog::Put(
        txn, ClosedIncident("J1", Classification::kTruePositive, "2026-02-02", {"T1100", "T1200"}, {}, "2026-02-01"));
  });
  RunSummary first = Run(*store);
  CHECK(first.last_seq == 0);
  CHECK(FeedCatalog::ScopeResilience(store->Read(), "incident", "J1") == std::optional<std::optional<double>>(50.0));

  WriteOrFail(*store, [](store::WriteTxn& txn) { PutPosture(txn, "C-A", "2026-03-10", ControlStatus::kToAddress); });
  RunSummary second = Run(*store);
  CHECK(second.resilience_dropped == 2);
  CHECK(second.opened == 2);
  auto events = EventsFrom(*store, 1);
  REQUIRE(events.size() == 4);
  // Each scope's drop comes before its recommendation events.
  CHECK(events[0].json ==
        R"({"schema":"tidemark.feed/1","seq":1,"event":"scope.resilience_dropped","time":"2026-03-15T23:59:59.999Z",)"
        R"("key":")" + FeedCatalog::ScopeKey("incident", "J1") +
        R"(","scope":{"kind":"incident","id":"J1"},"previous":50.0,"resilience":0.0,"drop":50.0})");
  CHECK(events[2].json ==
        R"({"schema":"tidemark.feed/1","seq":3,"event":"scope.resilience_dropped","time":"2026-03-15T23:59:59.999Z",)"
        R"("key":")" + FeedCatalog::ScopeKey("all", "all") +
        R"(","scope":{"kind":"all","id":"all"},"previous":50.0,"resilience":0.0,"drop":50.0})");
  CHECK(Triples(events) == std::set<Triple>{{kOpened, "J1", "C-A"}, {kOpened, "all", "C-A"}});

  // Idempotent: the same data appends nothing, and the stored resilience is now the new one.
  RunSummary third = Run(*store);
  CHECK(third.last_seq == 4);
  CHECK(third.resilience_dropped == 0);
  // A rise is no event; a later fall is measured from the last run, not from the first.
  WriteOrFail(*store, [](store::WriteTxn& txn) { PutPosture(txn, "C-A", "2026-03-12", ControlStatus::kCompleted); });
  RunSummary rise = Run(*store);
  CHECK(rise.resilience_dropped == 0);
  CHECK(rise.resolved == 2);
}

TEST_CASE("a fall of less than 2 points is no event, and the stored resilience follows it") {
  // J1 (T1100 only) and C-A (T1100, strength 0.99) completed after it: R = 99. The mapping
  // weakens to 0.98: R = 98, one point less.
  auto store = AttackStore();
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    PutControl(txn, "C-A", {{"T1100", 0.99}}, ControlStatus::kCompleted, "2026-03-01");
    store::IncidentCatalog::Put(txn, ClosedIncident("J1", Classification::kTruePositive, "2026-02-02", {"T1100"}, {}, "2026-02-01"));
  });
  Run(*store);
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    PutMapping(txn, "C-A", "T1100", 0.98);
  });
  RunSummary small = Run(*store);
  CHECK(small.resilience_dropped == 0);
  CHECK(FeedCatalog::ScopeResilience(store->Read(), "all", "all") == std::optional<std::optional<double>>(98.0));
}

}  // namespace tidemark::report
