// TheHive, STIX 2.1, MISP and Attack Flow imports end to end through the `tidemark` command:
// each hand-written sample (and, for Attack Flow, the upstream STIX example with its
// "1598.003" quirk) recognised by content and compared with its golden record, plus the
// reader-specific rules (group-only threats of a flow, unique .afb ids, rejects naming fields).
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


std::string FlowExample() { return SharedPath("incidents/attack-flow/stix/attack-flow-example.json"); }

}  // namespace

TEST_CASE("TheHive, STIX, MISP and Attack Flow samples are recognised by content and import to their golden records") {
  struct Case {
    const char* format;
    std::vector<std::string> inputs;
  };
  const Case cases[] = {
      {"thehive", {DataPath("incidents/thehive")}},
      {"stix", {DataPath("incidents/stix")}},
      {"misp", {DataPath("incidents/misp")}},
      {"attack-flow", {DataPath("incidents/attack-flow"), FlowExample()}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.format);
    std::string store = StoreWithAttack();
    std::vector<std::string> args = {"--store", store, "import", "incidents"};
    args.insert(args.end(), c.inputs.begin(), c.inputs.end());
    auto result = RunTidemark(args);
    CHECK_MESSAGE(result.exit_code == 0, result.err);
    CHECK(result.out.empty());
    CHECK(result.err.find(std::string(" ") + c.format + ")") != std::string::npos);  // "(2 misp)"
    CHECK(MatchesGolden(std::string("incidents/") + c.format + ".json", IncidentsJson(store)));
  }
}

TEST_CASE("the Attack Flow STIX example keeps its flow id (plus the name's slug) and rebuilds \"1598.003\" as T1598.003") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", FlowExample()}).exit_code == 0);
  auto list = Json(IncidentsJson(store));
  const rapidjson::Value* flow = FindIncident(list, "attack-flow:attack-flow--e9ec3a4b-f787-4e81-a3d9-4cfe017ebc2f:example-flow");
  REQUIRE(flow != nullptr);
  CHECK(std::string((*flow)["title"].GetString()) == "Example Flow");
  CHECK(std::string((*flow)["status"].GetString()) == "closed");
  CHECK(std::string((*flow)["classification"].GetString()) == "true-positive");
  CHECK(std::string((*flow)["created"].GetString()) == "2022-08-02T19:34:35.143Z");
  std::vector<std::string> ids;
  for (const auto& technique : (*flow)["techniques"].GetArray()) ids.push_back(technique["id"].GetString());
  CHECK(ids == std::vector<std::string>{"T1190", "T1583.002", "T1583.003", "T1589.002", "T1598.003"});
  CHECK((*flow)["unknown_techniques"].Size() == 0);
}

TEST_CASE("an .afb names threats only when a threat actor is an ATT&CK group; revoked and ATLAS IDs as usual") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", DataPath("incidents/attack-flow/small_flow.afb")}).exit_code == 0);
  auto list = Json(IncidentsJson(store));
  REQUIRE(list["incidents"].Size() == 1);
  const auto& flow = list["incidents"][0];
  CHECK(std::string(flow["id"].GetString()) ==
        "attack-flow:attack-flow--6f1c0d2e-8a4b-4c3d-9e5f-1a2b3c4d5e6f:contractor-vpn-to-ransomware");
  CHECK(std::string(flow["created"].GetString()) == "2025-03-04T15:15:00Z");  // {"time", "zone"} form
  REQUIRE(flow["threats"].Size() == 1);  // Wizard Spider -> G0102; "Unnamed affiliate" dropped
  CHECK(std::string(flow["threats"][0].GetString()) == "G0102");
  REQUIRE(flow["unknown_techniques"].Size() == 1);
  CHECK(std::string(flow["unknown_techniques"][0].GetString()) == "AML.T0010");
  bool revoked = false;
  for (const auto& technique : flow["techniques"].GetArray()) {
    if (std::string(technique["id"].GetString()) == "T1021.001") {
      revoked = technique.HasMember("revoked_from") && std::string(technique["revoked_from"].GetString()) == "T1076";
    }
  }
  CHECK(revoked);
}

TEST_CASE("every new reader rejects a record without its id field, naming the field") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("inc");
  struct Case {
    const char* name;
    const char* content;
    const char* field;
  };
  const Case cases[] = {
      {"thehive.json", R"([{"_id": "~1", "_type": "Case", "title": "x"}, {"_type": "Case", "_id": null, "title": "y", "procedures": []}])",
       "\"_id\""},
      {"misp.json", R"({"response": [{"Event": {"uuid": "u-1", "info": "x"}}, {"Event": {"info": "y", "uuid": null}}]})",
       "\"Event.uuid\""},
      {"flow.afb", R"({"schema": "attack_flow_v2", "objects": [{"id": "action", "instance": "a"}]})", "no \"flow\" object"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::string path = dir + "/" + c.name;
    WriteText(path, c.content);
    auto result = RunTidemark({"--store", store, "import", "incidents", path});
    CHECK(result.exit_code == 2);
    CHECK_MESSAGE(result.err.find(c.field) != std::string::npos, result.err);
    CHECK(result.err.find(path) != std::string::npos);
  }
}

TEST_CASE("a broken .afb action fails the file unless --skip-invalid, which imports the flow and reports the action") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("afb");
  std::string path = dir + "/broken.afb";
  WriteText(path, R"({"schema": "attack_flow_v2", "objects": [
    {"id": "flow", "instance": "f-1", "properties": [["name", "Broken action flow"], ["created", "2025-01-02T03:04:05Z"]]},
    {"id": "action", "instance": "a-1", "properties": [["technique_id", "T1078"]]},
    {"id": "action", "instance": "a-2", "properties": [["ttp", [["technique", {"id": "T1059"}]]]]}]})");
  auto strict = RunTidemark({"--store", store, "import", "incidents", path});
  CHECK(strict.exit_code == 2);
  CHECK(strict.err.find(path + ": objects[2] (action a-2): field \"ttp.technique\" must be a string") != std::string::npos);
  CHECK(Json(IncidentsJson(store))["incidents"].Size() == 0);

  std::string rejects = dir + "/rejects.ndjson";
  auto lenient = RunTidemark({"--store", store, "import", "incidents", "--skip-invalid", "--rejects", rejects, path});
  CHECK_MESSAGE(lenient.exit_code == 0, lenient.err);
  CHECK(ReadText(rejects).find("objects[2] (action a-2)") != std::string::npos);
  auto list = Json(IncidentsJson(store));
  REQUIRE(list["incidents"].Size() == 1);
  const auto& flow = list["incidents"][0];
  CHECK(std::string(flow["id"].GetString()) == "attack-flow:attack-flow--f-1:broken-action-flow");
  REQUIRE(flow["techniques"].Size() == 1);
  CHECK(std::string(flow["techniques"][0]["id"].GetString()) == "T1078");
}

}  // namespace tidemark::testing
