// The Attack Flow reader on its own (importers/incidents/attack_flow_reader.cpp): the
// hand-written .afb field by field (technique_id and ttp pairs, revoked and ATLAS IDs, the
// {"time", "zone"} created form, group candidates), the upstream STIX example with its
// "1598.003", several flows in one STIX bundle, unique ids for .afb files sharing an instance
// uuid, detection, and broken flows and actions rejected by name.
#include "importers/incidents/attack_flow_reader.h"

#include <doctest/doctest.h>

#include "tests/importers/incidents/reader_test_support.h"

namespace tidemark::importers::incidents::testing {
namespace {

using tidemark::testing::SharedPath;

const IncidentReader& FlowReader() {
  static const auto reader = MakeAttackFlowReader();
  return *reader;
}

// An .afb with a flow object (instance "f-1", `flow_props` after the name) and `objects`.
std::string Afb(const std::string& flow_props, const std::string& objects = "") {
  return std::string(R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "instance": "f-1", "properties": [["name", "Flow"])") +
         flow_props + "]}" + objects + "]}";
}

}  // namespace

TEST_CASE("the sample .afb reads field by field: technique_id and ttp pairs, created with a zone, group candidates") {
  auto run = ReadCleanly(RunFixture(FlowReader(), "incidents/attack-flow/small_flow.afb"), 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(source.where == "incidents/attack-flow/small_flow.afb: record 1");
  CHECK(inc.id == "attack-flow:attack-flow--6f1c0d2e-8a4b-4c3d-9e5f-1a2b3c4d5e6f:contractor-vpn-to-ransomware");
  CHECK(inc.source == "attack-flow");
  CHECK(inc.title == "Contractor VPN to ransomware");
  CHECK(Iso(inc.created) == "2025-03-04T15:15:00Z");  // 10:15 at -05:00
  CHECK(Iso(inc.closed) == "-");
  CHECK(inc.status == "closed");
  CHECK(inc.classification == model::Classification::kTruePositive);
  CHECK(inc.severity.empty());
  CHECK(inc.assets.empty());
  CHECK(inc.threats.empty());
  // T1133 in both technique_id and ttp counts once; ttp-only and ATLAS IDs are passed on raw.
  CHECK(Techniques(source) == std::vector<std::string>{"T1133/TA0001", "T1076/TA0008", "t1490/TA0040", "AML.T0010/"});
  CHECK(source.group_candidates == std::vector<std::string>{"Wizard Spider", "UNC1878", "Unnamed affiliate"});
}

TEST_CASE("the upstream STIX Attack Flow example keeps its flow id (plus the name's slug) and passes \"1598.003\" on for the normaliser") {
  auto run = ReadCleanly(RunReader(FlowReader(), "attack-flow-example.json", ReadText(SharedPath("incidents/attack-flow/stix/attack-flow-example.json"))), 1);
  const SourceIncident& source = run->out.incidents[0];
  CHECK(source.incident.id == "attack-flow:attack-flow--e9ec3a4b-f787-4e81-a3d9-4cfe017ebc2f:example-flow");
  CHECK(source.incident.title == "Example Flow");
  CHECK(Iso(source.incident.created) == "2022-08-02T19:34:35.143Z");
  CHECK(source.incident.status == "closed");
  CHECK(Techniques(source) == std::vector<std::string>{"T1583.002/", "T1583.003/", "T1589.002/", "1598.003/", "T1190/"});
  CHECK(source.group_candidates.empty());
}

TEST_CASE("a STIX bundle with two attack-flows gives each the actions its start_refs reach") {
  const char* text = R"({"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "attack-flow", "id": "attack-flow--1", "name": "One", "created": "2024-01-02T03:04:05Z", "scope": "incident",
     "start_refs": ["attack-action--a"]},
    {"type": "attack-flow", "id": "attack-flow--2", "name": "Two", "start_refs": ["attack-action--c", "attack-action--missing"]},
    {"type": "attack-action", "id": "attack-action--a", "technique_id": "T1566.001", "tactic_id": "TA0001", "effect_refs": ["attack-operator--x"]},
    {"type": "attack-operator", "id": "attack-operator--x", "operator": "AND", "effect_refs": ["attack-action--b", "attack-action--a"]},
    {"type": "attack-action", "id": "attack-action--b", "technique_id": "t1059.001", "asset_refs": ["attack-asset--1"]},
    {"type": "attack-asset", "id": "attack-asset--1", "object_ref": "threat-actor--1"},
    {"type": "threat-actor", "id": "threat-actor--1", "name": "Cozy Bear", "aliases": ["APT29", "NOBELIUM"],
     "external_references": [{"source_name": "mitre-attack", "external_id": "G0016"}, {"source_name": "blog", "external_id": "x"}]},
    {"type": "attack-action", "id": "attack-action--c", "technique_id": "T1486", "name": "no tactic"},
    {"type": "attack-action", "id": "attack-action--d", "technique_id": "T1490", "name": "reached by nothing"}]})";
  auto run = ReadCleanly(RunReader(FlowReader(), "flows.json", text), 2);
  const SourceIncident& one = run->out.incidents[0];
  CHECK(one.incident.id == "attack-flow:attack-flow--1:one");
  CHECK(one.where == "flows.json: record 1");
  CHECK(Iso(one.incident.created) == "2024-01-02T03:04:05Z");
  // Depth-first from start_refs; the operator's loop back to action a is visited once.
  CHECK(Techniques(one) == std::vector<std::string>{"T1566.001/TA0001", "t1059.001/"});
  CHECK(one.group_candidates == std::vector<std::string>{"Cozy Bear", "APT29", "NOBELIUM", "G0016"});
  const SourceIncident& two = run->out.incidents[1];
  CHECK(two.incident.id == "attack-flow:attack-flow--2:two");
  CHECK(two.incident.title == "Two");
  CHECK(Iso(two.incident.created) == "-");
  CHECK(Techniques(two) == std::vector<std::string>{"T1486/"});
  CHECK(two.group_candidates.empty());
}

TEST_CASE(".afb ids add the flow name's slug, so corpus files sharing a builder instance uuid stay apart") {
  std::vector<std::string> ids;
  for (const char* name : {"Conti CISA Alert.afb", "Conti PWC.afb"}) {
    auto run = RunReader(FlowReader(), name, ReadText(SharedPath(std::string("incidents/attack-flow/") + name)));
    REQUIRE(run->out.incidents.size() == 1);
    CHECK(run->out.rejects.empty());
    ids.push_back(run->out.incidents[0].incident.id);
    CHECK(Iso(run->out.incidents[0].incident.created) == "2022-10-27T02:44:54.520Z");  // plain ISO string form
  }
  CHECK(ids == std::vector<std::string>{"attack-flow:attack-flow--d2ec54a5-a9b4-44f2-b649-610ee72ccf2c:conti-cisa-alert",
                                        "attack-flow:attack-flow--d2ec54a5-a9b4-44f2-b649-610ee72ccf2c:conti-pwc"});
  struct Case {
    const char* name;
    const char* id;
  };
  const Case cases[] = {
      {R"j(["name", "CISA AA22-138B VMWare Workspace (TA1)"])j", "attack-flow:attack-flow--f-1:cisa-aa22-138b-vmware-workspace-ta1"},
      {R"(["name", "  --  "])", "attack-flow:attack-flow--f-1"},
      {R"(["name", null])", "attack-flow:attack-flow--f-1"},
      {R"(["name", "Ünïcode flow — 2024"])", "attack-flow:attack-flow--f-1:n-code-flow-2024"},
      {R"(["name", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])",
       "attack-flow:attack-flow--f-1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},  // 64 at most
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto run = RunReader(FlowReader(), "n.afb",
                         std::string(R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "instance": "f-1", "properties": [)") + c.name + "]}]}");
    REQUIRE(run->out.incidents.size() == 1);
    CHECK(run->out.incidents[0].incident.id == c.id);
  }
}

TEST_CASE("Attack Flow detection: .afb by schema, STIX by an attack-flow object; incidents and ATT&CK bundles are not flows") {
  CHECK(Detected(ReadText(DataPath("incidents/attack-flow/small_flow.afb"))) == "attack-flow");
  CHECK(Detected(ReadText(SharedPath("incidents/attack-flow/stix/attack-flow-example.json"))) == "attack-flow");
  auto afb = Prepare("a.afb", Afb(""));
  CHECK(FlowReader().Detect(afb->file) == 95);
  for (const char* text : {R"({"schema": "attack_flow_v2", "objects": "x"})", R"({"schema": "other", "objects": []})",
                           R"({"type": "bundle", "objects": [{"type": "attack-action", "technique_id": "T1059"}]})",
                           R"([{"type": "attack-flow", "id": "attack-flow--1"}])"}) {
    CAPTURE(text);
    auto run = Prepare("x.json", text);
    CHECK(FlowReader().Detect(run->file) == 0);
  }
  for (const char* other : {"incidents/thehive/cases.json", "incidents/misp/event.json", "incidents/stix/incident_bundle.json"}) {
    CAPTURE(other);
    auto run = Prepare(other, ReadText(DataPath(other)));
    CHECK(FlowReader().Detect(run->file) == 0);
  }
  auto not_flow = RunReader(FlowReader(), "x.json", R"({"type": "bundle", "objects": []})");
  CHECK(not_flow->status.code() == StatusCode::kBadInput);
  CHECK(not_flow->status.message().find("x.json: not an Attack Flow") == 0);
}

TEST_CASE("a broken .afb action is rejected by position and instance while the flow keeps its other actions") {
  struct Case {
    const char* action;
    const char* reject;
  };
  const Case cases[] = {
      {R"({"id": "action", "instance": "a-9", "properties": "x"})", "field \"properties\" must be a list of [key, value] pairs"},
      {R"({"id": "action", "instance": "a-9"})", "field \"properties\" must be a list of [key, value] pairs"},
      {R"({"id": "action", "instance": "a-9", "properties": [["technique_id", {"id": "T1059"}]]})", "field \"technique_id\" must be a string"},
      {R"({"id": "action", "instance": "a-9", "properties": [["tactic_id", ["TA0002"]]]})", "field \"tactic_id\" must be a string"},
      {R"({"id": "action", "instance": "a-9", "properties": [["ttp", "T1059"]]})", "field \"ttp\" must be a list of [key, value] pairs"},
      {R"({"id": "action", "instance": "a-9", "properties": [["ttp", [["technique", [1]]]]]})", "field \"ttp.technique\" must be a string"},
      {R"({"id": "action", "properties": [["ttp", [["technique", true]]]]})", "field \"ttp.technique\" must be a string"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.action);
    std::string objects = std::string(R"(, {"id": "action", "instance": "a-1", "properties": [["technique_id", "T1078"]]}, )") + c.action;
    auto run = RunReader(FlowReader(), "broken.afb", Afb("", objects));
    REQUIRE(run->status.ok());
    REQUIRE(run->out.incidents.size() == 1);
    CHECK(Techniques(run->out.incidents[0]) == std::vector<std::string>{"T1078/"});
    std::string instance = std::string(c.action).find("a-9") != std::string::npos ? "a-9" : "?";
    CHECK(Rejects(run->out) == std::vector<std::string>{"broken.afb: objects[2] (action " + instance + "): " + c.reject});
  }
  // Odd shapes elsewhere are not actions' techniques and are read leniently.
  auto lenient = RunReader(FlowReader(), "odd.afb", Afb(R"(, ["author", 5], 7, ["x"], ["created", null])",
                                                    R"(, 3, {"id": 4}, {"id": "action", "properties": [7, ["name"], ["technique_id", null], ["ttp", [["technique", null]]]]},
                                                       {"id": "threat_actor", "properties": [["aliases", "x"], ["name", 5]]}, {"id": "flow", "instance": "f-2"})"));
  CHECK(lenient->out.rejects.empty());
  REQUIRE(lenient->out.incidents.size() == 1);
  CHECK(lenient->out.incidents[0].techniques.empty());
  CHECK(lenient->out.incidents[0].group_candidates == std::vector<std::string>{"5"});
  CHECK(Iso(lenient->out.incidents[0].incident.created) == "-");
}

TEST_CASE("broken Attack Flow flows are rejected naming record and field") {
  struct Case {
    const char* text;
    const char* reject;
  };
  const Case cases[] = {
      {R"({"schema": "attack_flow_v2", "objects": [{"id": "action", "instance": "a", "properties": []}]})",
       "f.json: record 1: no \"flow\" object"},
      {R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "properties": []}]})",
       "f.json: record 1: field \"instance\" is missing on the flow object"},
      {R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "instance": ["x"], "properties": []}]})",
       "f.json: record 1: field \"instance\" must be a non-empty string on the flow object"},
      {R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "instance": "f", "properties": {"name": "x"}}]})",
       "f.json: record 1: field \"properties\" must be a list of [key, value] pairs on the flow object"},
      {R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "instance": "f", "properties": [["created", {"zone": "UTC"}]]}]})",
       "f.json: record 1: field \"created\" must be an ISO 8601 time or {\"time\": ISO 8601, \"zone\": ...} on the flow object"},
      {R"({"schema": "attack_flow_v2", "objects": [{"id": "flow", "instance": "f", "properties": [["created", "soon"]]}]})",
       "f.json: record 1: field \"created\" must be an ISO 8601 time or {\"time\": ISO 8601, \"zone\": ...} on the flow object"},
      {R"({"type": "bundle", "objects": [{"type": "attack-flow", "name": "no id"}]})",
       "f.json: record 1: field \"id\" is missing on the attack-flow object"},
      {R"({"type": "bundle", "objects": [{"type": "attack-flow", "id": "attack-flow--1", "created": false}]})",
       "f.json: record 1: field \"created\" must be a time (epoch seconds or milliseconds, or ISO 8601) on the attack-flow object"},
      {R"({"type": "bundle", "objects": [{"type": "attack-flow", "id": "attack-flow--1"}, {"type": "attack-action", "id": "attack-action--x", "technique_id": {"a": 1}}]})",
       "f.json: record 1 (attack-action--x): field \"technique_id\" must be a string"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto run = RunReader(FlowReader(), "f.json", c.text);
    REQUIRE(run->status.ok());
    CHECK(Rejects(run->out) == std::vector<std::string>{c.reject});
  }
}

}  // namespace tidemark::importers::incidents::testing
