// tidemark changes on a hand-built organisation, every figure worked out by hand below.
//
// ATT&CK (tests/data/scoring/mini-attack.json): T1100 Alpha, T1200 Bravo, T1300 Charlie,
// T1400 Delta, T1600 Echo; M1900 mitigates T1200 and T1300; G9000 "Kestrel" uses T1300, T1400.
// Controls (max_points, owner): C-A T1100 protect 1.0 (10, identity-team); C-B implements
// M1900 (20, endpoint-team); C-C T1400 protect 0.5 (10, none); C-D T1400 protect 0.5 (none,
// none); C-F T1300 protect 1.0 (none, soc).
// Posture: 03-01 C-A completed, C-B to-address, C-C planned; 03-10 C-B completed 0.5;
//          03-12 C-C completed, C-F completed.
// Incidents (no assets, a = 1), every baseline before any control was in place (β = 0, so
// the evidence rule changes nothing here):
//   I1 TP created 02-20 closed 02-21  T1100, T1300  G9000
//   I2 TP created 03-05 closed 03-06  T1200         "Custom Crew"
//   I3 TP created 03-08 closed 03-09  T1400         G9000
//   I4 FP closed 03-07 T1600 (never counts);  I6 TP closed 03-20 T1600 (after `to`)
//
// from = 2026-03-03 (end): all = {I1}: T1100 w2 mitigated, T1300 w2 exposed, R = 50;
//   recommendations C-B 50, C-F 50; posture score 10/40 = 25.
//   G9000: T1100 w2 (1), T1300 w2 (0), T1400 w1 (0): R = 40. Custom Crew: no incident, R null.
// to = 2026-03-15 (end): all = {I1, I2, I3}: T1100 1, T1200 0.5, T1300 1, T1400 0.5, each w2:
//   R = 75; recommendations C-B 12.5, C-D 6.25; posture score 30/40 = 75.
//   G9000 {I1, I3}: T1100 1, T1300 1, T1400 0.5, each w2: R = 83.3333. Custom Crew {I2}: R = 50.
// Changed: controls C-B (to-address 0 -> completed 0.5), C-C (planned 0 -> completed 1), C-F
// (to-address 0 -> completed 1); techniques T1200 (- -> partial), T1300 (exposed -> mitigated),
// T1400 (- -> partial); recommendation C-D appeared, C-F disappeared; incidents I2, I3.
#include "engine/report/changes.h"

#include <doctest/doctest.h>

#include "tests/store_support.h"

namespace tidemark::report {
namespace {

using model::ControlStatus;

using testing::Day;
using testing::EndOf;
using testing::PutMapping;
using testing::PutPosture;

model::Incident MakeIncident(std::string id, model::Classification cls, std::optional<TimeMs> created, TimeMs closed,
                             std::vector<std::string> techniques, std::vector<std::string> threats) {
  model::Incident inc;
  inc.id = std::move(id);
  inc.title = "incident " + inc.id;
  inc.source = "native";
  inc.classification = cls;
  inc.created = created;
  inc.closed = closed;
  inc.status = "closed";
  for (auto& t : techniques) inc.techniques.push_back({t, "", ""});
  inc.threats = std::move(threats);
  return inc;
}

std::string ChangesStore() {
  using model::Classification;
  return testing::OrgStore("changes", "scoring/mini-attack.json", [](store::WriteTxn& txn) {
    auto control = [&](const char* id, std::vector<std::string> mitigations, std::optional<double> points, const char* owner) {
      model::Control c;
      c.id = id;
      c.title = std::string("Control ") + id;
      c.mitigations = std::move(mitigations);
      c.max_points = points;
      c.owner = owner;
      store::OrgCatalog::PutControl(txn, c);
    };
    control("C-A", {}, 10, "identity-team");
    control("C-B", {"M1900"}, 20, "endpoint-team");
    control("C-C", {}, 10, "");
    control("C-D", {}, std::nullopt, "");
    control("C-F", {}, std::nullopt, "soc");
    PutMapping(txn, "C-A", "T1100", 1.0);
    PutMapping(txn, "C-C", "T1400", 0.5);
    PutMapping(txn, "C-D", "T1400", 0.5);
    PutMapping(txn, "C-F", "T1300", 1.0);
    PutPosture(txn, "C-A", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    PutPosture(txn, "C-B", "2026-03-01", ControlStatus::kToAddress, std::nullopt);
    PutPosture(txn, "C-C", "2026-03-01", ControlStatus::kPlanned, std::nullopt);
    PutPosture(txn, "C-B", "2026-03-10", ControlStatus::kCompleted, 0.5);
    PutPosture(txn, "C-C", "2026-03-12", ControlStatus::kCompleted, std::nullopt);
    PutPosture(txn, "C-F", "2026-03-12", ControlStatus::kCompleted, std::nullopt);
    std::vector<model::Incident> incidents = {
        MakeIncident("I1", Classification::kTruePositive, Day("2026-02-20"), Day("2026-02-21"), {"T1100", "T1300"}, {"G9000"}),
        MakeIncident("I2", Classification::kTruePositive, Day("2026-03-05"), Day("2026-03-06"), {"T1200"}, {"Custom Crew"}),
        MakeIncident("I3", Classification::kTruePositive, Day("2026-03-08"), Day("2026-03-09"), {"T1400"}, {"G9000"}),
        MakeIncident("I4", Classification::kFalsePositive, std::nullopt, Day("2026-03-07"), {"T1600"}, {}),
        MakeIncident("I6", Classification::kTruePositive, std::nullopt, Day("2026-03-20"), {"T1600"}, {}),
    };
    for (const auto& inc : incidents) store::IncidentCatalog::Put(txn, inc);
  });
}

using ChangesOrg = testing::LoadedOrg;

ChangesOrg LoadOrg() {
  static std::string dir = ChangesStore();
  return testing::LoadOrg(dir);
}

constexpr const char* kExpected =
    R"({"from":"2026-03-03T23:59:59.999Z","to":"2026-03-15T23:59:59.999Z",)"
    R"("scopes":[)"
    R"({"scope":{"kind":"all","id":"all","name":"All incidents"},"resilience_from":50.0,"resilience_to":75.0,)"
    R"("resilience_delta":25.0,"incidents_from":1,"incidents_to":3,"posture_score_from":25.0,"posture_score_to":75.0,)"
    R"("posture_score_delta":50.0},)"
    R"({"scope":{"kind":"custom","id":"Custom Crew","name":"Custom Crew"},"resilience_from":null,"resilience_to":50.0,)"
    R"("resilience_delta":null,"incidents_from":0,"incidents_to":1},)"
    R"({"scope":{"kind":"group","id":"G9000","name":"Kestrel"},"resilience_from":40.0,"resilience_to":83.3333,)"
    R"("resilience_delta":43.3333,"incidents_from":1,"incidents_to":2}],)"
    R"("controls":[)"
    R"({"id":"C-B","title":"Control C-B","owner":"endpoint-team","from":{"status":"to-address","implemented":0.0},)"
    R"("to":{"status":"completed","implemented":0.5}},)"
    R"({"id":"C-C","title":"Control C-C","owner":null,"from":{"status":"planned","implemented":0.0},)"
    R"("to":{"status":"completed","implemented":1.0}},)"
    R"({"id":"C-F","title":"Control C-F","owner":"soc","from":{"status":"to-address","implemented":0.0},)"
    R"("to":{"status":"completed","implemented":1.0}}],)"
    R"("techniques":[)"
    R"({"id":"T1200","name":"Bravo","status_from":null,"status_to":"partial","coverage_from":null,"coverage_to":0.5},)"
    R"({"id":"T1300","name":"Charlie","status_from":"exposed","status_to":"mitigated","coverage_from":0.0,"coverage_to":1.0},)"
    R"({"id":"T1400","name":"Delta","status_from":null,"status_to":"partial","coverage_from":null,"coverage_to":0.5}],)"
    R"("recommendations":{"appeared":[)"
    R"({"control":"C-D","title":"Control C-D","owner":null,"status":"to-address","implemented":0.0,"impact":6.25,)"
    R"("techniques":["T1400"]}],)"
    R"("disappeared":[)"
    R"({"control":"C-F","title":"Control C-F","owner":"soc","status":"to-address","implemented":0.0,"impact":50.0,)"
    R"("techniques":["T1300"]}]},)"
    R"("incidents":[)"
    R"({"id":"I2","time":"2026-03-06T00:00:00Z","classification":"true-positive","threats":["Custom Crew"]},)"
    R"({"id":"I3","time":"2026-03-09T00:00:00Z","classification":"true-positive","threats":["G9000"]}]})";

TEST_CASE("changes between two dates list scores, changed controls, techniques, recommendations and new incidents") {
  ChangesOrg org = LoadOrg();
  Changes changes = CompareDates(org.graph, EndOf("2026-03-03"), EndOf("2026-03-15"));
  CHECK(ChangesJson(org.graph, changes) == std::string(kExpected));
}

TEST_CASE("changes between a date and itself are only the scores") {
  ChangesOrg org = LoadOrg();
  Changes changes = CompareDates(org.graph, EndOf("2026-03-15"), EndOf("2026-03-15"));
  REQUIRE(changes.scopes.size() == 3);
  CHECK(*changes.scopes[0].resilience_from == doctest::Approx(75));
  CHECK(*changes.scopes[0].resilience_to == doctest::Approx(75));
  CHECK(changes.controls.empty());
  CHECK(changes.techniques.empty());
  CHECK(changes.appeared.empty());
  CHECK(changes.disappeared.empty());
  CHECK(changes.incidents.empty());
}

TEST_CASE("changes text names owners and shows every section") {
  ChangesOrg org = LoadOrg();
  std::string text = ChangesText(org.graph, CompareDates(org.graph, EndOf("2026-03-03"), EndOf("2026-03-15")));
  CHECK(text.find("Changes from 2026-03-03T23:59:59.999Z to 2026-03-15T23:59:59.999Z") != std::string::npos);
  CHECK(text.find("50.0 -> 75.0") != std::string::npos);
  CHECK(text.find("+25.0") != std::string::npos);
  CHECK(text.find("C-B      endpoint-team  to-address 0.00  completed 0.50") != std::string::npos);
  CHECK(text.find("Recommendations of all that appeared: 1") != std::string::npos);
  CHECK(text.find("Incidents counted in between: 2") != std::string::npos);
}

}  // namespace
}  // namespace tidemark::report
