// SPEC v2 §3 (evidence, coverage, recommendations, joint groups, gaps, validations, points) on a
// held-out-style organisation made for this test; every expected value is worked out below.
//
// ATT&CK (tests/data/scoring/evidence-attack.json): T2100 with sub-technique T2100.001, T2200,
// T2300, T2400, T2500. Mitigations: M2001 -> T2200, T2300; M2002 -> T2200, T2400; M2003 -> T2100
// (the parent only); M2004 deprecated -> T2400; M2006 -> T2300; M2007 revoked -> T2500;
// M2008 -> T2400, T2200.
//
// Controls (p = max_points):
//   K-M implements M2001 (s 1 for T2200, T2300)      p 10, owner soc-team
//   K-D T2100 protect 0.5 (partial)                   p 5     -> T2100.001 via parent
//   K-S T2200 protect 0.25 (minimal)                  no p
//   K-R T2400 protect 1.0, risk-accepted              p 5
//   K-X T2400 protect 0.5, a deprecated control       p 20 (not in Σp)
//   K-Z T2300 protect 1.0; T2400 detect (not scored)  no p
// Σp = 10 + 5 + 5 = 20.
// Posture: 01-01 K-M completed 0.4, K-D to-address 0.3, K-S to-address, K-R risk-accepted 1
//          (counts 0), K-X planned, K-Z to-address;
//          03-01 K-M completed 0.8, K-D completed (1), K-Z completed (1);  05-01 K-X completed 0.6.
// Assets: dc weight 3, ws weight 1.
// Incidents (b = created, else closed; a = asset weight):
//   J1 TP created 02-01 closed 02-03: T2200, T2400 blocked                  dc      a 3
//   J2 TP created 02-20 closed 03-05: T2200, T2100.001       ws  threat Crew       a 1
//   J3 TP closed 03-02 (no created, b = 03-02): T2200, T2300 blocked  ws, dc       a 4
//   J4 FP closed 04-15: T2400 (never counts)
//   J5 TP created 05-10 closed 05-12: T2400                no assets  threat Crew    a 1
//   J6 TP closed 07-15: T2500 (after both dates below)
//
// τ = 2026-06-30 (end of day), scope all. Counted: J1, J2, J3, J5.
//   w: T2200 1+3+1+4 = 9, T2400 1+3+1 = 5, T2100.001 1+1 = 2, T2300 1+4 = 5; Σw = 21.
//   B: T2200 {J1 b 02-01, J2 b 02-20, J3 b 03-02}; T2400 {J5 b 05-10}; T2100.001 {J2}; T2300 {}.
//   T2200: K-M β = max(0.4, 0.4, 0.8) = 0.8 (J3 has no created: its closing counts), impl 0.8 ->
//          credited 0; K-S β 0, impl 0 -> cov 0, exposed.
//   T2300: no evidence; K-M 0.8 (factor 0.2), K-Z 1 (factor 0) -> cov 1, mitigated.
//   T2400: K-R risk-accepted 0; K-X β = impl(05-10) = 0.6, impl 0.6 -> credited 0 -> cov 0, exposed.
//   T2100.001: K-D via parent, β = impl(02-20) = 0.3, impl 1 -> credited 0.7 (improved between
//          J2's creation and its closing: that counts) -> factor 1 − 0.5×0.7 = 0.65, cov 0.35.
//   R = 100 × (5×1 + 2×0.35) / 21 = 570/21 = 27.142857.
//   Recommendations (impl 1, baselines unchanged: impl* = 1 − β):
//     K-S T2200 factor 1 -> 1 − 0.25×1 = 0.75: +9×0.25 = 2.25 -> 10.714286;
//     K-M T2200 impl* 1 − 0.8 = 0.2, factor 1 -> 0.8: +9×0.2 = 1.8 -> 8.571429 (reaches T2200,
//     T2300; raises T2200 only: T2300 is at 1);  K-X T2400 impl* 1 − 0.6 = 0.4, factor
//     1 − 0.5×0.4 = 0.8: +5×0.2 = 1 -> 4.761905;  K-D: 1 − 0.5×(1 − 0.3) = 0.65 already: 0;
//     K-Z at 1;  K-R risk-accepted.
//     points_gain K-S 0 (score_gain 0), K-M 10×0.2 = 2 (10), K-X 20×0.4 = 8 (40).
//   Joint {K-M, K-S}: T2200 0.8 × 0.75 = 0.6 -> cov 0.4: 9×0.4 = 3.6 -> 17.142857 (the sum of
//     the single impacts would be 19.285714).
//   Gaps (no catalog control implements them): M2002 T2200 (9×1) + T2400 (5×1) = 14 -> 66.666667;
//     M2008 the same, after M2002 by id; M2003 mitigates only T2100, not in scope (no parent
//     fallback); M2006 only T2300, at cov 1; M2004 deprecated, M2007 revoked: never.
//   Validations: K-D {T2100.001} {J2} 0.3; K-M {T2200} {J1, J2, J3} 0.8; K-X {T2400} {J5} 0.6.
// τ = 2026-03-03 (end of day), scope all. Counted: J1, J3.
//   w: T2200 1+3+4 = 8, T2400 1+3 = 4, T2300 1+4 = 5; Σw = 17. B: T2200 {J1, J3}; T2400 {} (J1
//   blocked it); T2300 {}.  K-X planned (0).
//   T2200 β(K-M) = max(0.4, 0.8) = 0.8 -> cov 0; T2300 cov 1; T2400 cov 0.  R = 500/17 = 29.411765.
//   Recommendations: K-S +8×0.25 = 2 -> 11.764706; K-X +4×0.5 = 2 -> 11.764706 (equal: by id);
//   K-M +8×0.2 = 1.6 -> 9.411765.  Gaps M2002, M2008: 8 + 4 = 12 -> 70.588235.
// Incident J2 at 06-30: T {T2100.001 w 2, T2200 w 2}: R = 100 × 0.7 / 4 = 17.5; K-S +2×0.25 ->
//   12.5; K-M +2×0.2 -> 10; gaps M2002, M2008 +50; validations from the whole organisation's evidence.
// Custom threat Crew (J2, J5) at 06-30: T2100.001 w 2 cov 0.35, T2200 w 2, T2400 w 2 -> 70/6.
#include <doctest/doctest.h>

#include "engine/scoring/scorer.h"
#include "tests/store_support.h"

namespace tidemark::scoring {
namespace {

using model::Classification;
using model::ControlStatus;
using model::MappingType;
using model::TechniqueOutcome;

using testing::Day;
using testing::EndOf;
using testing::PutMapping;
using testing::TechniqueRowOf;
using testing::PutPosture;

struct Use {
  const char* id;
  TechniqueOutcome outcome = TechniqueOutcome::kSucceeded;
};

model::Incident Incident(std::string id, Classification cls, std::optional<TimeMs> created, std::optional<TimeMs> closed,
                         std::vector<Use> uses, std::vector<std::string> assets, std::vector<std::string> threats) {
  model::Incident inc;
  inc.id = std::move(id);
  inc.title = "incident " + inc.id;
  inc.source = "native";
  inc.classification = cls;
  inc.created = created;
  inc.closed = closed;
  inc.status = closed ? "closed" : "open";
  for (const auto& use : uses) inc.techniques.push_back({use.id, "", "", use.outcome});
  for (auto& a : assets) inc.assets.push_back({a, "device", ""});
  inc.threats = std::move(threats);
  return inc;
}

std::string EvidenceStore() {
  return testing::OrgStore("evidence", "scoring/evidence-attack.json", [](store::WriteTxn& txn) {
    auto control = [&](const char* id, std::vector<std::string> mitigations, std::optional<double> points,
                       const char* owner = "", bool deprecated = false) {
      model::Control c;
      c.id = id;
      c.title = std::string("Control ") + id;
      c.mitigations = std::move(mitigations);
      c.max_points = points;
      c.owner = owner;
      c.deprecated = deprecated;
      store::OrgCatalog::PutControl(txn, c);
    };
    control("K-M", {"M2001"}, 10, "soc-team");
    control("K-D", {}, 5);
    control("K-S", {}, std::nullopt);
    control("K-R", {}, 5);
    control("K-X", {}, 20, "", true);
    control("K-Z", {}, std::nullopt);
    PutMapping(txn, "K-D", "T2100", 0.5);
    PutMapping(txn, "K-S", "T2200", 0.25);
    PutMapping(txn, "K-R", "T2400", 1.0);
    PutMapping(txn, "K-X", "T2400", 0.5);
    PutMapping(txn, "K-Z", "T2300", 1.0);
    PutMapping(txn, "K-Z", "T2400", 1.0, MappingType::kDetect);
    PutPosture(txn, "K-M", "2026-01-01", ControlStatus::kCompleted, 0.4);
    PutPosture(txn, "K-D", "2026-01-01", ControlStatus::kToAddress, 0.3);
    PutPosture(txn, "K-S", "2026-01-01", ControlStatus::kToAddress, std::nullopt);
    PutPosture(txn, "K-R", "2026-01-01", ControlStatus::kRiskAccepted, 1.0);
    PutPosture(txn, "K-X", "2026-01-01", ControlStatus::kPlanned, std::nullopt);
    PutPosture(txn, "K-Z", "2026-01-01", ControlStatus::kToAddress, std::nullopt);
    PutPosture(txn, "K-M", "2026-03-01", ControlStatus::kCompleted, 0.8);
    PutPosture(txn, "K-D", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    PutPosture(txn, "K-Z", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    PutPosture(txn, "K-X", "2026-05-01", ControlStatus::kCompleted, 0.6);
    store::OrgCatalog::PutAsset(txn, model::Asset{"dc", "device", "", 3});
    store::OrgCatalog::PutAsset(txn, model::Asset{"ws", "device", "", 1});
    const auto blocked = TechniqueOutcome::kBlocked;
    std::vector<model::Incident> incidents = {
        Incident("J1", Classification::kTruePositive, Day("2026-02-01"), Day("2026-02-03"), {{"T2200"}, {"T2400", blocked}}, {"dc"}, {}),
        Incident("J2", Classification::kTruePositive, Day("2026-02-20"), Day("2026-03-05"), {{"T2200"}, {"T2100.001"}}, {"ws"}, {"Crew"}),
        Incident("J3", Classification::kTruePositive, std::nullopt, Day("2026-03-02"), {{"T2200"}, {"T2300", blocked}}, {"ws", "dc"}, {}),
        Incident("J4", Classification::kFalsePositive, std::nullopt, Day("2026-04-15"), {{"T2400"}}, {}, {}),
        Incident("J5", Classification::kTruePositive, Day("2026-05-10"), Day("2026-05-12"), {{"T2400"}}, {}, {"Crew"}),
        Incident("J6", Classification::kTruePositive, std::nullopt, Day("2026-07-15"), {{"T2500"}}, {}, {}),
    };
    for (const auto& inc : incidents) store::IncidentCatalog::Put(txn, inc);
  });
}

using EvidenceOrg = testing::LoadedOrg;

EvidenceOrg Load() {
  static std::string dir = EvidenceStore();
  return testing::LoadOrg(dir);
}

std::vector<std::string> Ids(const graph::DefenseGraph& g, const std::vector<graph::Vertex>& vertices) {
  std::vector<std::string> out;
  for (auto v : vertices) out.push_back(g.props(v).id);
  return out;
}

std::vector<std::string> IncidentIds(const graph::DefenseGraph&, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}
std::vector<std::string> IncidentIds(const graph::DefenseGraph& graph, const std::vector<std::string_view>& ids) {
  return IncidentIds(graph, std::vector<std::string>(ids.begin(), ids.end()));
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("evidence: several incidents on one technique, blocked uses, no created time, improvement after creation") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-06-30"));
  CHECK(ev.incidents == 4);
  REQUIRE(ev.techniques.size() == 4);
  const auto& bravo = TechniqueRowOf(ev, org.graph, "T2200");
  CHECK(bravo.weight == 9);
  CHECK(IncidentIds(org.graph, bravo.succeeded_in) == Strings{"J1", "J2", "J3"});
  CHECK(bravo.status == "exposed");
  REQUIRE(bravo.controls.size() == 2);
  CHECK(org.graph.props(bravo.controls[0].control).id == "K-M");
  CHECK(bravo.controls[0].has_evidence);
  CHECK(bravo.controls[0].baseline == doctest::Approx(0.8));  // J3's closing time, 03-02
  CHECK(bravo.controls[0].credited == doctest::Approx(0.0));
  CHECK(bravo.controls[1].baseline == 0.0);
  // T2300: J3 only blocked it: no evidence, no baseline fields; K-Z at 1 mitigates it.
  const auto& charlie = TechniqueRowOf(ev, org.graph, "T2300");
  CHECK(charlie.succeeded_in.empty());
  CHECK(charlie.status == "mitigated");
  CHECK_FALSE(charlie.controls[0].has_evidence);
  // T2400: J1's blocked use weighs but is no evidence; J5's succeeded use is.
  const auto& delta = TechniqueRowOf(ev, org.graph, "T2400");
  CHECK(delta.weight == 5);
  CHECK(IncidentIds(org.graph, delta.succeeded_in) == Strings{"J5"});
  CHECK(delta.status == "exposed");
  // T2100.001: the parent's control, with the sub-technique's own evidence.
  const auto& sub = TechniqueRowOf(ev, org.graph, "T2100.001");
  REQUIRE(sub.controls.size() == 1);
  CHECK(sub.controls[0].via == "parent");
  CHECK(sub.controls[0].baseline == doctest::Approx(0.3));
  CHECK(sub.controls[0].credited == doctest::Approx(0.7));
  CHECK(sub.coverage == doctest::Approx(0.35));
  CHECK(sub.status == "partial");
  REQUIRE(ev.resilience.has_value());
  CHECK(*ev.resilience == doctest::Approx(570.0 / 21));
}

TEST_CASE("recommendations raise only techniques below 1, skip risk-accepted controls, and carry points") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-06-30"));
  CHECK(scorer.TotalMaxPoints() == 20);
  REQUIRE(ev.recommendations.size() == 3);
  const auto& ks = ev.recommendations[0];
  CHECK(org.graph.props(ks.control).id == "K-S");
  CHECK(ks.impact == doctest::Approx(225.0 / 21));
  CHECK(ks.points_gain == 0.0);
  CHECK(*ks.score_gain == 0.0);
  const auto& km = ev.recommendations[1];
  CHECK(org.graph.props(km.control).id == "K-M");
  CHECK(km.impact == doctest::Approx(180.0 / 21));
  CHECK(Ids(org.graph, km.techniques) == Strings{"T2200"});
  CHECK(Ids(org.graph, km.reaches) == Strings{"T2200", "T2300"});
  CHECK(km.points_gain == doctest::Approx(2.0));
  REQUIRE(km.score_gain.has_value());
  CHECK(*km.score_gain == doctest::Approx(10.0));
  CHECK(org.graph.props(ev.recommendations[2].control).id == "K-X");
  CHECK(ev.recommendations[2].impact == doctest::Approx(100.0 / 21));
  CHECK(ev.recommendations[2].points_gain == doctest::Approx(8.0));
  CHECK(*ev.recommendations[2].score_gain == doctest::Approx(40.0));
}

TEST_CASE("a group's impact is joint, not the sum of its controls' impacts") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-06-30"));
  auto km = *org.graph.Control("K-M");
  auto ks = *org.graph.Control("K-S");
  CHECK(scorer.JointImpact(ev, {km, ks}) == doctest::Approx(360.0 / 21));
  CHECK(scorer.JointImpact(ev, {km}) == doctest::Approx(ev.recommendations[1].impact));
}

TEST_CASE("gaps: unimplemented live mitigations of techniques below 1, without parent fallback") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-06-30"));
  REQUIRE(ev.gaps.size() == 2);
  CHECK(org.graph.props(ev.gaps[0].mitigation).id == "M2002");
  CHECK(ev.gaps[0].impact == doctest::Approx(1400.0 / 21));
  CHECK(Ids(org.graph, ev.gaps[0].techniques) == Strings{"T2200", "T2400"});
  CHECK(org.graph.props(ev.gaps[1].mitigation).id == "M2008");
  CHECK(ev.gaps[1].impact == doctest::Approx(1400.0 / 21));
}

TEST_CASE("validations: controls in place when a technique still succeeded, by control id") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-06-30"));
  REQUIRE(ev.validations.size() == 3);
  CHECK(org.graph.props(ev.validations[0].control).id == "K-D");
  CHECK(Ids(org.graph, ev.validations[0].techniques) == Strings{"T2100.001"});
  CHECK(IncidentIds(org.graph, ev.validations[0].incidents) == Strings{"J2"});
  CHECK(ev.validations[0].baseline == doctest::Approx(0.3));
  CHECK(org.graph.props(ev.validations[1].control).id == "K-M");
  CHECK(IncidentIds(org.graph, ev.validations[1].incidents) == Strings{"J1", "J2", "J3"});
  CHECK(ev.validations[1].baseline == doctest::Approx(0.8));
  CHECK(org.graph.props(ev.validations[2].control).id == "K-X");
  CHECK(IncidentIds(org.graph, ev.validations[2].incidents) == Strings{"J5"});
  CHECK(ev.validations[2].baseline == doctest::Approx(0.6));
}

TEST_CASE("an earlier date: only the incidents counted then are evidence") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-03-03"));
  CHECK(ev.incidents == 2);
  CHECK(*ev.resilience == doctest::Approx(500.0 / 17));
  CHECK(TechniqueRowOf(ev, org.graph, "T2400").succeeded_in.empty());
  CHECK(IncidentIds(org.graph, TechniqueRowOf(ev, org.graph, "T2200").succeeded_in) == Strings{"J1", "J3"});
  REQUIRE(ev.recommendations.size() == 3);
  CHECK(org.graph.props(ev.recommendations[0].control).id == "K-S");
  CHECK(ev.recommendations[0].impact == doctest::Approx(200.0 / 17));
  CHECK(org.graph.props(ev.recommendations[1].control).id == "K-X");
  CHECK(ev.recommendations[1].impact == doctest::Approx(200.0 / 17));
  CHECK(org.graph.props(ev.recommendations[2].control).id == "K-M");
  CHECK(ev.recommendations[2].impact == doctest::Approx(160.0 / 17));
  REQUIRE(ev.gaps.size() == 2);
  CHECK(ev.gaps[0].impact == doctest::Approx(1200.0 / 17));
  // The same Scorer moving forward reads the later evidence too.
  Evaluation later = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-06-30"));
  CHECK(*later.resilience == doctest::Approx(570.0 / 21));
  Evaluation back = scorer.Evaluate(*ResolveScope(org.graph, "all"), EndOf("2026-03-03"));
  CHECK(*back.resilience == doctest::Approx(500.0 / 17));
}

TEST_CASE("an incident scope uses the whole organisation's evidence") {
  EvidenceOrg org = Load();
  auto txn = org.store->Read();
  org.graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
  size_t index = org.graph.AddIncident(*store::IncidentCatalog::Find(txn, "J2"));
  // Only J2 is loaded; J1 and J3 (T2200) are evidence through the index.
  org.graph.LoadEvidence(txn, org.graph.incidents()[index].techniques);
  for (auto control : org.graph.control_vertices()) org.graph.LoadPostureOf(txn, control);
  CHECK(org.graph.incidents().size() == 1);
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "J2"), EndOf("2026-06-30"));
  CHECK(*ev.resilience == doctest::Approx(17.5));
  REQUIRE(ev.recommendations.size() == 2);
  CHECK(ev.recommendations[0].impact == doctest::Approx(12.5));
  CHECK(ev.recommendations[1].impact == doctest::Approx(10.0));
  REQUIRE(ev.gaps.size() == 2);
  CHECK(ev.gaps[0].impact == doctest::Approx(50.0));
  REQUIRE(ev.validations.size() == 2);
  CHECK(IncidentIds(org.graph, ev.validations[1].incidents) == Strings{"J1", "J2", "J3"});
}

TEST_CASE("an incident that used a technique twice, once blocked, shows it succeeded") {
  std::string dir = EvidenceStore();
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  model::Incident j7 = Incident("J7", Classification::kTruePositive, Day("2026-06-01"), Day("2026-06-02"),
                                {{"T2300", TechniqueOutcome::kBlocked}, {"T2300"}, {"T2200", TechniqueOutcome::kBlocked}}, {}, {});
  REQUIRE((*store)->Write([&](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, j7);
    return Status::Ok();
  }).ok());
  EvidenceOrg org{std::move(store).value(), {}};
  auto txn = org.store->Read();
  org.graph = graph::DefenseGraph::Build(txn);
  org.graph.LoadIncidents(txn);
  size_t index = org.graph.AddIncident(j7);
  const auto& info = org.graph.incidents()[index];
  CHECK_FALSE(info.Blocked(*org.graph.Technique("T2300")));
  CHECK(info.Blocked(*org.graph.Technique("T2200")));
  REQUIRE(info.record->techniques.size() == 2);
  CHECK(info.record->techniques[0].outcome == TechniqueOutcome::kSucceeded);
  Scorer scorer(org.graph);
  Evaluation ev = scorer.Evaluate(*ResolveScope(org.graph, "J7"), EndOf("2026-06-30"));
  // J3 blocked T2300: J7 alone shows it succeeded. J7 blocked T2200 (J1, J2 and J3 did not).
  CHECK(IncidentIds(org.graph, TechniqueRowOf(ev, org.graph, "T2300").succeeded_in) == Strings{"J7"});
  CHECK(IncidentIds(org.graph, TechniqueRowOf(ev, org.graph, "T2200").succeeded_in) == Strings{"J1", "J2", "J3"});
}

TEST_CASE("a custom threat's resilience reads the same technique states") {
  EvidenceOrg org = Load();
  Scorer scorer(org.graph);
  auto scope = ResolveScope(org.graph, "Crew");
  REQUIRE(scope.ok());
  CHECK(*scorer.Resilience(*scope, EndOf("2026-06-30")) == doctest::Approx(70.0 / 6));
}

}  // namespace tidemark::scoring
