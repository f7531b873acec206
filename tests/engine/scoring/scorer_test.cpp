// SPEC §3 on a hand-made organisation, every value worked out by hand below.
//
// ATT&CK (tests/data/scoring/mini-attack.json): T1100 Alpha with sub-technique T1100.001,
// T1200 Bravo, T1300 Charlie, T1400 Delta, T1600 Echo, T1500 revoked by T1200; M1900 mitigates
// T1200 and T1300; group G9000 "Kestrel" (alias "Night Heron") uses T1300 and T1400.
//
// Controls and how they reach techniques (C(t), strongest path):
//   C-A  T1100 protect 0.5 (partial)                   -> T1100.001 via parent
//   C-B  implements M1900 (s=1 for T1200, T1300), T1200 protect 0.25 direct -> max 1.0 via M1900
//   C-C  T1300 protect 1.0 direct; T1100 detect (shown, not scored)
//   C-D  T1100 protect 0.8 (a number)                  -> T1100.001 via parent
//   C-E  T1400 protect 0.5;  C-F  T1400 protect 0.5 (a tie with C-E)
// T1600 has no control at all.
//
// Posture: 2026-01-01 C-A completed, C-B planned, C-C to-address implemented 0.5 (explicit wins),
//          C-D risk-accepted implemented 0.9 (risk-accepted counts 0);
//          2026-02-01 C-B completed implemented 0.5;  2026-03-01 C-C completed.
// Assets: dc01 weight 4, ws1 weight 1, jdoe not in the inventory (1).
// Incidents (a(i) = max(1, Σ distinct asset weights)):
//   I1 TP  closed 01-10  T1100.001, T1200        dc01          threat "Night Heron"  a=4
//   I2 FP  closed 01-15  T1300                   dc01                               (never counts)
//   I3 TP  created 02-10 (open) T1500->T1200, T9999, AML.T0040   ws1, jdoe      a=2
//   I4 BP  closed 02-12  T1400                                                  (never counts)
//   I5 undetermined closed 02-20  T1400, T1300, T1600  dc01, dc01   threat G9000  a=4
//   I6 TP  closed 04-01  T1100  (after τ = 03-15)                               a=1
//   I7 TP  closed 03-05  T1100                   (no assets)   threat "Custom Crew"  a=1
//   I8 TP  closed 03-10  T1200                   ws1           threat "Custom Crew"  a=1
//
// Evidence (SPEC v2 §3) at τ = 03-15: B(T1100.001) = {I1 b 01-09}, B(T1200) = {I1 01-09, I3 02-10,
// I8 03-10}, B(T1300) = B(T1400) = B(T1600) = {I5 02-20}, B(T1100) = {I7 03-05}. Baselines:
// C-A 1 for T1100 and T1100.001 (completed since 01-01) -> credited 0; C-B for T1200
// max(0, 0.5, 0.5) = 0.5 -> credited 0; C-B for T1300 0.5 -> 0; C-C for T1300 0.5 (to-address
// 0.5 on 02-20), completed since 03-01 -> credited 0.5; C-D, C-E, C-F 0.
// Coverage: T1100 0, T1100.001 0, T1200 0, T1300 0.5, T1400 0, T1600 no-control.
#include "engine/scoring/scorer.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/store_support.h"

namespace tidemark::scoring {
namespace {

using model::ControlStatus;
using model::MappingType;

using testing::Day;
using testing::EndOf;
using testing::PutMapping;
using testing::TechniqueRowOf;
using testing::PutPosture;

model::Incident MakeIncident(std::string id, model::Classification cls, std::optional<TimeMs> created,
                             std::optional<TimeMs> closed, std::vector<std::string> techniques,
                             std::vector<std::string> assets, std::vector<std::string> threats,
                             std::vector<std::string> unknown = {}) {
  model::Incident inc;
  inc.id = std::move(id);
  inc.title = "incident " + inc.id;
  inc.source = "native";
  inc.classification = cls;
  inc.created = created;
  inc.closed = closed;
  inc.status = closed ? "closed" : "open";
  for (auto& t : techniques) inc.techniques.push_back({t, "", ""});
  for (auto& a : assets) inc.assets.push_back({a, a == "jdoe" ? "user" : "device", ""});
  inc.threats = std::move(threats);
  inc.unknown_techniques = std::move(unknown);
  return inc;
}

// The organisation above in a fresh store.
std::string OrgStore() {
  using model::Classification;
  return testing::OrgStore("org", "scoring/mini-attack.json", [](store::WriteTxn& txn) {
    auto control = [&](const char* id, std::vector<std::string> mitigations) {
      model::Control c;
      c.id = id;
      c.title = std::string("Control ") + id;
      c.product = id[2] == 'E' || id[2] == 'F' ? "Firewall" : "EDR";
      c.mitigations = std::move(mitigations);
      store::OrgCatalog::PutControl(txn, c);
    };
    control("C-A", {});
    control("C-B", {"M1900"});
    control("C-C", {});
    control("C-D", {});
    control("C-E", {});
    control("C-F", {});
    PutMapping(txn, "C-A", "T1100", 0.5);
    PutMapping(txn, "C-B", "T1200", 0.25);
    PutMapping(txn, "C-C", "T1300", 1.0);
    PutMapping(txn, "C-C", "T1100", 1.0, MappingType::kDetect);
    PutMapping(txn, "C-D", "T1100", 0.8);
    PutMapping(txn, "C-E", "T1400", 0.5);
    PutMapping(txn, "C-F", "T1400", 0.5);
    PutPosture(txn, "C-A", "2026-01-01", ControlStatus::kCompleted, std::nullopt);
    PutPosture(txn, "C-B", "2026-01-01", ControlStatus::kPlanned, std::nullopt);
    PutPosture(txn, "C-C", "2026-01-01", ControlStatus::kToAddress, 0.5);
    PutPosture(txn, "C-D", "2026-01-01", ControlStatus::kRiskAccepted, 0.9);
    PutPosture(txn, "C-B", "2026-02-01", ControlStatus::kCompleted, 0.5);
    PutPosture(txn, "C-C", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    store::OrgCatalog::PutAsset(txn, model::Asset{"dc01", "device", "", 4});
    store::OrgCatalog::PutAsset(txn, model::Asset{"ws1", "device", "", 1});
    std::vector<model::Incident> incidents = {
        MakeIncident("I1", Classification::kTruePositive, Day("2026-01-09"), Day("2026-01-10"), {"T1100.001", "T1200"}, {"dc01"}, {"Night Heron"}),
        MakeIncident("I2", Classification::kFalsePositive, std::nullopt, Day("2026-01-15"), {"T1300"}, {"dc01"}, {}),
        MakeIncident("I3", Classification::kTruePositive, Day("2026-02-10"), std::nullopt, {"T1500"}, {"ws1", "jdoe"}, {}, {"AML.T0040", "T9999"}),
        MakeIncident("I4", Classification::kBenignPositive, std::nullopt, Day("2026-02-12"), {"T1400"}, {}, {}),
        MakeIncident("I5", Classification::kUndetermined, std::nullopt, Day("2026-02-20"), {"T1400", "T1300", "T1600"}, {"dc01", "dc01"}, {"G9000"}),
        MakeIncident("I6", Classification::kTruePositive, std::nullopt, Day("2026-04-01"), {"T1100"}, {}, {}),
        MakeIncident("I7", Classification::kTruePositive, std::nullopt, Day("2026-03-05"), {"T1100"}, {}, {"Custom Crew"}),
        MakeIncident("I8", Classification::kTruePositive, std::nullopt, Day("2026-03-10"), {"T1200"}, {"ws1"}, {"Custom Crew"}),
    };
    for (const auto& inc : incidents) store::IncidentCatalog::Put(txn, inc);
  });
}

using Org = testing::LoadedOrg;

Org LoadOrg() {
  static std::string dir = OrgStore();
  return testing::LoadOrg(dir);
}

std::vector<std::pair<std::string, double>> Recs(const Evaluation& ev, const graph::DefenseGraph& g) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& r : ev.recommendations) out.emplace_back(g.props(r.control).id, r.impact);
  return out;
}

}  // namespace

TEST_CASE("coverage per technique: partial implementation, several controls, parent fallback, statuses") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-03-15"));
  // T1100: C-A 0.5 × credited 0 (in place when I7 succeeded) and C-D 0.8 × 0 (risk-accepted)
  // -> exposed; the C-C detect row is shown, not counted.
  const auto& alpha = TechniqueRowOf(ev, org.graph, "T1100");
  CHECK(alpha.coverage == doctest::Approx(0.0));
  CHECK(alpha.status == "exposed");
  REQUIRE(alpha.controls.size() == 3);
  CHECK(alpha.controls[0].baseline == 1.0);
  CHECK(alpha.controls[0].credited == 0.0);
  CHECK(org.graph.props(alpha.controls[1].control).id == "C-C");
  CHECK_FALSE(alpha.controls[1].counted);
  CHECK_FALSE(alpha.controls[1].has_evidence);
  CHECK(alpha.controls[2].status == ControlStatus::kRiskAccepted);
  CHECK(alpha.controls[2].implemented == 0.0);
  // T1100.001 has no control of its own: its parent's, via "parent", with its own evidence (I1).
  const auto& sub = TechniqueRowOf(ev, org.graph, "T1100.001");
  CHECK(sub.coverage == doctest::Approx(0.0));
  REQUIRE(sub.controls.size() == 2);
  CHECK(sub.controls[0].via == "parent");
  CHECK(sub.controls[0].baseline == 1.0);
  // T1200: C-B reaches it directly (0.25) and through M1900 (1.0): the largest; 0.5 now, 0.5
  // when I3 and I8 succeeded -> exposed.
  const auto& bravo = TechniqueRowOf(ev, org.graph, "T1200");
  REQUIRE(bravo.controls.size() == 1);
  CHECK(bravo.controls[0].strength == 1.0);
  CHECK(bravo.controls[0].via == "mitigation:M1900");
  CHECK(bravo.coverage == doctest::Approx(0.0));
  CHECK(bravo.status == "exposed");
  // T1300: C-C improved from 0.5 (when I5 succeeded) to 1: 1 − (1 − 0)(1 − 1×0.5) = 0.5.
  CHECK(TechniqueRowOf(ev, org.graph, "T1300").coverage == doctest::Approx(0.5));
  CHECK(TechniqueRowOf(ev, org.graph, "T1300").status == "partial");
  // T1400: C-E and C-F have no posture record: impl 0.
  CHECK(TechniqueRowOf(ev, org.graph, "T1400").status == "exposed");
  CHECK(TechniqueRowOf(ev, org.graph, "T1600").status == "no-control");
}

TEST_CASE("scope all: weights with asset weights, false/benign positives and later incidents excluded") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-03-15"));
  // Counted: I1, I3, I5, I7, I8.  w: T1100 1+1=2, T1100.001 1+4=5, T1200 1+4+2+1=8,
  // T1300 1+4=5, T1400 1+4=5, T1600 1+4=5; Σw = 30.
  CHECK(ev.incidents == 5);
  CHECK(ev.affected_assets == 3);  // dc01, ws1, jdoe
  CHECK(TechniqueRowOf(ev, org.graph, "T1200").weight == 8);
  CHECK(TechniqueRowOf(ev, org.graph, "T1100.001").weight == 5);
  // Σ w·cov = 5 × 0.5 (T1300) = 2.5 -> R = 100 × 2.5 / 30.
  REQUIRE(ev.resilience.has_value());
  CHECK(*ev.resilience == doctest::Approx(25.0 / 3));
  CHECK(ev.scope.unknown_techniques == std::vector<std::string>{"AML.T0040", "T9999"});
  // C-B at 1: T1200 credited 1 − 0.5 -> cov 0.5: +8 × 0.5 = 4; T1300 credited 0.5 -> cov
  // 1 − 0.5 × 0.5 = 0.75: +5 × 0.25 = 1.25; Σ 5.25 -> 17.5. C-E, C-F: T1400 0 -> 0.5: +2.5 ->
  // 8.333 each, equal, so by id. C-A and C-C are fully implemented; C-D is risk-accepted.
  auto recs = Recs(ev, org.graph);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].first == "C-B");
  CHECK(recs[0].second == doctest::Approx(17.5));
  CHECK(recs[1].first == "C-E");
  CHECK(recs[1].second == doctest::Approx(25.0 / 3));
  CHECK(recs[2].first == "C-F");
  CHECK(org.graph.props(ev.recommendations[0].techniques[1]).id == "T1300");
  // Validations: C-A (T1100, T1100.001; I1, I7; 1), C-B (T1200, T1300; I3, I5, I8 — not I1,
  // created while C-B was planned; 0.5), C-C (T1300; I5; 0.5).
  REQUIRE(ev.validations.size() == 3);
  CHECK(org.graph.props(ev.validations[0].control).id == "C-A");
  CHECK(ev.validations[0].incidents.size() == 2);
  CHECK(ev.validations[1].incidents.size() == 3);
  CHECK(ev.validations[1].baseline == 0.5);
  CHECK(ev.validations[2].techniques.size() == 1);
  CHECK(ev.gaps.empty());  // M1900, the only mitigation, is implemented by C-B
}

TEST_CASE("ATT&CK group scope: uses plus incidents attributed by alias and by ID") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  auto scope = ResolveScope(org.graph, "night heron");
  REQUIRE(scope.ok());
  CHECK(scope->id == "G9000");
  CHECK(scope->kind == ScopeKind::kGroup);
  Evaluation ev = scorer.Evaluate(*scope, EndOf("2026-03-15"));
  // I = {I1, I5}; T = {T1300, T1400} ∪ {T1100.001, T1200} ∪ {T1600}, every w = 1 + 4 = 5.
  // Σ w·cov = 5 × 0.5 (T1300) = 2.5 of 25 -> 10.
  CHECK(ev.incidents == 2);
  CHECK(ev.affected_assets == 1);
  CHECK(ev.techniques.size() == 5);
  CHECK(*ev.resilience == doctest::Approx(10.0));
  // C-B: T1200 +5 × 0.5, T1300 +5 × 0.25 -> 3.75 of 25 = 15; C-E, C-F +2.5 -> 10 each, by id.
  auto recs = Recs(ev, org.graph);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].first == "C-B");
  CHECK(recs[0].second == doctest::Approx(15.0));
  CHECK(recs[1].first == "C-E");
  CHECK(recs[2].first == "C-F");
  CHECK(recs[2].second == doctest::Approx(10.0));
}

TEST_CASE("custom threat scope: the incidents attributed to a name nothing in ATT&CK has") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  auto scope = ResolveScope(org.graph, "Custom Crew");
  REQUIRE(scope.ok());
  CHECK(scope->kind == ScopeKind::kCustom);
  Evaluation ev = scorer.Evaluate(*scope, EndOf("2026-03-15"));
  // T1100 w 2 cov 0 (C-A was in place when I7 succeeded), T1200 w 2 cov 0 -> 0;
  // C-B: +0.5 × 2 of 4 -> 25.
  CHECK(*ev.resilience == doctest::Approx(0.0));
  auto recs = Recs(ev, org.graph);
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].first == "C-B");
  CHECK(recs[0].second == doctest::Approx(25.0));
}

// As `tidemark incident` loads one incident: its full record, then the evidence of its
// techniques (the evidence index), then the posture of every control.
Org LoadOneIncident(const char* id) {
  Org org = LoadOrg();
  auto txn = org.store->Read();
  org.graph = graph::DefenseGraph::Build(txn, /*with_threats=*/true, /*with_posture=*/false);
  size_t index = org.graph.AddIncident(*store::IncidentCatalog::Find(txn, id));
  org.graph.LoadEvidence(txn, org.graph.incidents()[index].techniques);
  for (auto control : org.graph.control_vertices()) org.graph.LoadPostureOf(txn, control);
  return org;
}

TEST_CASE("incident scope: revoked technique resolved, unknown IDs kept out of the score") {
  Org org = LoadOneIncident("I3");
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "I3"), EndOf("2026-03-15"));
  // T = {T1200} (from T1500), w = 1 + a(I3) = 1 + 2 = 3; C-B was at 0.5 when I3 succeeded:
  // credited 0, cov 0 -> 0; C-B at 1 gains 1 − 0.5 -> 50.
  REQUIRE(ev.techniques.size() == 1);
  CHECK(org.graph.props(ev.techniques[0].technique).id == "T1200");
  CHECK(ev.techniques[0].weight == 3);
  CHECK(ev.techniques[0].succeeded_in.size() == 3);  // I1, I3, I8: the whole organisation's
  CHECK(*ev.resilience == doctest::Approx(0.0));
  CHECK(ev.scope.unknown_techniques == std::vector<std::string>{"AML.T0040", "T9999"});
  CHECK(Recs(ev, org.graph) == std::vector<std::pair<std::string, double>>{{"C-B", 50.0}});
  const auto& info = org.graph.incidents()[ev.scope.incidents[0]];
  REQUIRE(info.record);
  REQUIRE(info.record->techniques.size() == 1);
  CHECK(info.record->techniques[0].revoked_from == "T1500");
  REQUIRE(info.vertex.has_value());
  CHECK(boost::in_degree(*info.vertex, org.graph.graph()) == 1);   // observed-in T1200
  CHECK(boost::out_degree(*info.vertex, org.graph.graph()) == 2);  // affects ws1, jdoe
}

TEST_CASE("a false-positive incident shows its exposures but adds no weight or assets") {
  Org org = LoadOneIncident("I2");
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "I2"), EndOf("2026-03-15"));
  CHECK(ev.incidents == 0);
  CHECK(ev.affected_assets == 0);
  REQUIRE(ev.techniques.size() == 1);
  CHECK(ev.techniques[0].weight == 1);
  // T1300 with I5's evidence: C-B 0.5 − 0.5 = 0, C-C 1 − 0.5 = 0.5 -> 0.5; C-B at 1 -> 0.75.
  CHECK(*ev.resilience == doctest::Approx(50.0));
  CHECK(Recs(ev, org.graph) == std::vector<std::pair<std::string, double>>{{"C-B", 25.0}});
}

TEST_CASE("--as-of between snapshots uses the earlier state") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  // 2026-01-20: only I1 counts; C-A was in place when it succeeded (T1100.001 0), C-B is still
  // "planned" (T1200 0) -> 0.
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-01-20"));
  CHECK(ev.incidents == 1);
  CHECK(*ev.resilience == doctest::Approx(0.0));
  CHECK(PostureOf(org.graph.control_info(*org.graph.Control("C-B")), EndOf("2026-01-31")).implemented == 0.0);
  CHECK(PostureOf(org.graph.control_info(*org.graph.Control("C-B")), Day("2026-02-01")).implemented == 0.5);
  CHECK(PostureOf(org.graph.control_info(*org.graph.Control("C-C")), EndOf("2026-02-15")).implemented == 0.5);
  CHECK_FALSE(PostureOf(org.graph.control_info(*org.graph.Control("C-E")), EndOf("2026-02-15")).has_record);
}

TEST_CASE("an empty scope has a null resilience") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-01-05"));
  CHECK(ev.techniques.empty());
  CHECK_FALSE(ev.resilience.has_value());
  CHECK(ev.recommendations.empty());
}

TEST_CASE("history: a point per posture or counted-incident date") {
  Org org = LoadOrg();
  Scorer scorer(org.graph);
  auto points = scorer.History(*ResolveScope(org.graph, "all"), std::nullopt, std::nullopt);
  // 01-01 posture (no incident yet: null); 01-10 I1: T1100.001 0 (C-A in place at 01-09), T1200 0
  // -> 0; 02-01 C-B 0.5, I1's baseline for it 0: T1200 0.5 -> 25; 02-10 I3 (T1200 w 7) succeeded
  // with C-B at 0.5: T1200 0 -> 0 (an incident never raises R); 02-20 I5: Σw 27, T1300 C-C 0.5 at
  // 02-20 -> 0; 03-01 C-C completed: T1300 0.5 -> 2.5/27; 03-05 I7: 2.5/29; 03-10 I8: 2.5/30;
  // 04-01 I6: 2.5/31. I2 and I4 add no date (false/benign positive).
  std::vector<std::pair<std::string, std::optional<double>>> expected = {
      {"2026-01-01", std::nullopt}, {"2026-01-10", 0.0},        {"2026-02-01", 25.0},
      {"2026-02-10", 0.0},          {"2026-02-20", 0.0},        {"2026-03-01", 250.0 / 27},
      {"2026-03-05", 250.0 / 29},   {"2026-03-10", 250.0 / 30}, {"2026-04-01", 250.0 / 31}};
  REQUIRE(points.size() == expected.size());
  for (size_t idx = 0; idx < points.size(); ++idx) {
    CAPTURE(expected[idx].first);
    CHECK(FormatDate(points[idx].date) == expected[idx].first);
    CHECK(points[idx].resilience.has_value() == expected[idx].second.has_value());
    if (expected[idx].second) CHECK(*points[idx].resilience == doctest::Approx(*expected[idx].second));
  }
  CHECK(points[0].posture_changed);
  CHECK(points[1].incident_added);
  auto ranged = scorer.History(*ResolveScope(org.graph, "all"), Day("2026-02-05"), EndOf("2026-03-02"));
  REQUIRE(ranged.size() == 3);
  CHECK(FormatDate(ranged[0].date) == "2026-02-10");
}

}  // namespace tidemark::scoring
