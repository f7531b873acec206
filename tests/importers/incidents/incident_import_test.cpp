// Incident import end to end through the `tidemark` command: every format's hand-written
// sample recognised by content and compared with its golden record, upsert on re-import,
// --skip-invalid/--rejects, bad input leaving the store unchanged, and the SPEC §2 rules
// (revoked techniques, non-ATT&CK IDs, threat aliases).
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


// The store's observable state: counts and every stored record.
std::string Snapshot(const std::string& store) {
  auto info = RunTidemark({"--store", store, "--json", "info"});
  REQUIRE(info.exit_code == 0);
  auto doc = Json(info.out);
  info.out = doc.HasMember("store") ? info.out.substr(info.out.find("schema_version")) : info.out;
  return info.out + IncidentsJson(store);
}

}  // namespace

TEST_CASE("every format's sample export is recognised by content and imports to its golden record") {
  for (const char* format : {"native", "defender", "sentinel", "elastic", "ocsf", "splunk", "csv"}) {
    CAPTURE(format);
    std::string store = StoreWithAttack();
    auto result = RunTidemark({"--store", store, "import", "incidents", DataPath(std::string("incidents/") + format)});
    CHECK_MESSAGE(result.exit_code == 0, result.err);
    CHECK(result.out.empty());
    CHECK(result.err.find(std::string(" ") + format) != std::string::npos);  // "(1 defender)"
    CHECK(MatchesGolden(std::string("incidents/") + format + ".json", IncidentsJson(store)));
  }
}

TEST_CASE("auto-detection names the format it used for each sample") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "import", "incidents", DataPath("incidents")});
  REQUIRE(result.exit_code == 0);
  for (const char* expected : {"1 csv", "1 defender", "1 elastic", "2 native", "1 ocsf", "2 sentinel", "1 splunk"}) {
    CHECK_MESSAGE(result.err.find(expected) != std::string::npos, expected, " in ", result.err);
  }
}

TEST_CASE("a revoked technique resolves with revoked_from, ATLAS IDs stay unknown, aliases resolve") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("inc");
  WriteText(dir + "/one.ndjson",
            R"({"id": "R-1", "techniques": ["T1086", "AML.T0040", "t1059", "T1059.003"], "threats": ["Cozy Bear", "apt29", "Acme Crew"]})"
            "\n");
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", dir + "/one.ndjson"}).exit_code == 0);
  auto list = Json(IncidentsJson(store));
  const rapidjson::Value* incident = FindIncident(list, "R-1");
  REQUIRE(incident != nullptr);
  const auto& techniques = (*incident)["techniques"];
  // T1086 -> T1059.001; T1059 dropped because its sub-techniques are present (most specific).
  REQUIRE(techniques.Size() == 2);
  CHECK(std::string(techniques[0]["id"].GetString()) == "T1059.001");
  CHECK(std::string(techniques[0]["revoked_from"].GetString()) == "T1086");
  CHECK(std::string(techniques[1]["id"].GetString()) == "T1059.003");
  REQUIRE((*incident)["unknown_techniques"].Size() == 1);
  CHECK(std::string((*incident)["unknown_techniques"][0].GetString()) == "AML.T0040");
  const auto& threats = (*incident)["threats"];
  REQUIRE(threats.Size() == 2);
  CHECK(std::string(threats[0].GetString()) == "Acme Crew");
  CHECK(std::string(threats[1].GetString()) == "G0016");
}

TEST_CASE("importing the same records again updates them in place") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("inc");
  std::string file = dir + "/incidents.ndjson";
  WriteText(file, ReadText(DataPath("incidents/native/incidents.ndjson")));
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", file}).exit_code == 0);
  auto again = RunTidemark({"--store", store, "import", "incidents", file});
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("0 new, 0 updated, 3 unchanged") != std::string::npos);

  std::string text = ReadText(file);
  text.replace(text.find("Scanner noise"), 13, "Scanner noise (re-triaged)");
  WriteText(file, text);
  auto updated = RunTidemark({"--store", store, "import", "incidents", file});
  REQUIRE(updated.exit_code == 0);
  CHECK(updated.err.find("0 new, 1 updated, 2 unchanged") != std::string::npos);
  auto list = Json(IncidentsJson(store));
  CHECK(list["incidents"].Size() == 3);
  CHECK(std::string((*FindIncident(list, "INC-1044"))["title"].GetString()) == "Scanner noise (re-triaged)");
}

TEST_CASE("a Sentinel export with two rows for one incident keeps the later row") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", DataPath("incidents/sentinel/log_analytics_rows.ndjson")})
              .exit_code == 0);
  auto list = Json(IncidentsJson(store));
  const rapidjson::Value* incident = FindIncident(list, "sentinel:4821");
  REQUIRE(incident != nullptr);
  CHECK(std::string((*incident)["status"].GetString()) == "closed");
  CHECK(std::string((*incident)["classification"].GetString()) == "true-positive");
  CHECK(std::string((*incident)["closed"].GetString()) == "2025-03-05T16:40:05Z");
}

TEST_CASE("--skip-invalid imports the valid records and reports each reject, also in --rejects") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("inc");
  std::string file = dir + "/mixed.ndjson";
  WriteText(file,
            "{\"id\": \"OK-1\", \"techniques\": [\"T1105\"]}\n"
            "{\"title\": \"no id\", \"techniques\": [\"T1105\"]}\n"
            "{\"id\": \"OK-2\", \"techniques\": \"T1105\"}\n"
            "{\"id\": \"OK-3\", \"created\": \"2026-01-01\"}\n"
            "{not json\n");
  std::string before = Snapshot(store);
  auto strict = RunTidemark({"--store", store, "import", "incidents", file});
  CHECK(strict.exit_code == 2);
  CHECK(strict.err.find(file + ":2: field \"id\" is missing") != std::string::npos);
  CHECK(Snapshot(store) == before);

  std::string rejects = dir + "/rejects.ndjson";
  auto lenient = RunTidemark({"--store", store, "import", "incidents", "--skip-invalid", "--rejects", rejects, file});
  CHECK(lenient.exit_code == 0);
  CHECK(lenient.err.find("2 new") != std::string::npos);
  CHECK(lenient.err.find(file + ":3: field \"techniques\" must be an array") != std::string::npos);
  std::string lines = ReadText(rejects);
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 3);
  auto first = Json(lines.substr(0, lines.find('\n')));
  CHECK(std::string(first["file"].GetString()) == file);
  CHECK(std::string(first["where"].GetString()) == file + ":2");
  CHECK(std::string(first["reason"].GetString()) == "field \"id\" is missing");
  CHECK(lines.find(file + ":5") != std::string::npos);
  CHECK(Json(IncidentsJson(store))["incidents"].Size() == 2);
}

TEST_CASE("bad input exits 2 naming file, record and field, and leaves the store unchanged") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", DataPath("incidents/native/incidents.json")}).exit_code == 0);
  std::string before = Snapshot(store);
  std::string dir = TempDir("inc");
  std::string deep = std::string(300, '[') + std::string(300, ']');
  struct Case {
    const char* name;
    std::string content;
    std::string expected;  // in stderr, after the file path
  };
  const Case cases[] = {
      {"not-json.txt", "this is not an export\n", "cannot recognise format of"},
      {"truncated.json", "[{\"id\": \"T-1\", \"techniques\": [\"T1105\"]},\n {\"id\": \"T-2\", \"tech", ":2: not valid JSON"},
      {"wrong-type.json", "[{\"id\": \"W-1\", \"techniques\": [\"T1105\"]}, {\"id\": \"W-2\", \"techniques\": [7]}]",
       ": record 2: field \"techniques[0]\" must be"},
      {"missing-id.ndjson", "{\"id\": \"M-1\", \"techniques\": []}\n{\"techniques\": [\"T1105\"]}\n", ":2: field \"id\" is missing"},
      {"id-type.ndjson", "{\"id\": {\"x\": 1}, \"techniques\": []}\n{\"id\": \"I-2\", \"techniques\": []}\n",
       ":1: field \"id\" must be a string"},
      {"huge-id.ndjson", "{\"id\": \"" + std::string(100000, 'A') + "\", \"techniques\": []}\n{\"id\": \"H-2\", \"created\": \"2026-01-01\"}\n",
       ":1: the id is longer than 256 bytes"},
      {"deep.json", "[{\"id\": \"D-1\", \"techniques\": [], \"x\": " + deep + "}]", "nested deeper than 256"},
      {"bad-utf8.ndjson", "{\"id\": \"U-1\", \"techniques\": []}\n{\"id\": \"U-\xC3\x28\", \"techniques\": []}\n",
       ":2: not valid JSON"},
      {"dup.ndjson", "{\"id\": \"DUP\", \"techniques\": []}\n{\"id\": \"DUP\", \"techniques\": [\"T1105\"]}\n",
       ":2: duplicate id \"DUP\" (first at"},
      {"bad-enum.ndjson", "{\"id\": \"E-1\", \"classification\": \"maybe\", \"techniques\": []}\n{\"id\": \"E-2\", \"techniques\": []}\n",
       ":1: field \"classification\": unknown value \"maybe\""},
      {"bad-time.ndjson", "{\"id\": \"B-1\", \"created\": \"yesterday\", \"techniques\": []}\n{\"id\": \"B-2\", \"techniques\": []}\n",
       ":1: field \"created\" is not a time"},
      {"empty.json", "  \n", ": file is empty"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::string path = dir + "/" + c.name;
    WriteText(path, c.content);
    auto result = RunTidemark({"--store", store, "import", "incidents", path});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK_MESSAGE(result.err.find(c.expected) != std::string::npos, result.err.substr(0, 400));
    CHECK(result.err.find(path) != std::string::npos);
    CHECK(result.err.size() < 2000);
    CHECK(Snapshot(store) == before);
  }
}

TEST_CASE("every reader rejects a record without its id field, naming the field") {
  std::string store = StoreWithAttack();
  std::string before = Snapshot(store);
  std::string dir = TempDir("inc");
  struct Case {
    const char* name;
    const char* content;
    const char* field;
  };
  const Case cases[] = {
      {"defender.json", R"({"value": [{"displayName": "x", "createdDateTime": "2025-03-04T09:12:44Z", "alerts": []}]})", "\"id\""},
      {"sentinel.ndjson", "{\"IncidentName\": \"g\", \"Title\": \"x\", \"SystemAlertId\": null, \"IncidentNumber\": null}\n{\"IncidentNumber\": 2, \"Title\": \"y\"}\n",
       "\"IncidentNumber\""},
      {"elastic.ndjson", "{\"kibana.alert.rule.name\": \"x\", \"@timestamp\": \"2025-03-04T09:12:44Z\"}\n", "\"_id\""},
      {"ocsf.ndjson", "{\"class_uid\": 2004, \"time\": 1741079585210, \"finding_info\": {\"title\": \"x\"}}\n",
       "\"finding_info.uid\""},
      {"splunk.json", R"({"results": [{"event_id": null, "rule_name": "x", "_time": "1741079590", "urgency": "low"}]})", "\"event_id\""},
      {"incidents.csv", "id,title,techniques\n,no id,T1105\n", "column \"id\" is empty"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::string path = dir + "/" + c.name;
    WriteText(path, c.content);
    auto result = RunTidemark({"--store", store, "import", "incidents", path});
    CHECK(result.exit_code == 2);
    CHECK_MESSAGE(result.err.find(c.field) != std::string::npos, result.err);
    CHECK(result.err.find(path) != std::string::npos);
    CHECK(Snapshot(store) == before);
  }
}

TEST_CASE("--format forces a reader and rejects unknown names with the list of formats") {
  std::string store = StoreWithAttack();
  auto unknown = RunTidemark({"--store", store, "import", "incidents", "--format", "qradar", DataPath("incidents/csv")});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("one of auto, native, defender") != std::string::npos);
  auto forced = RunTidemark({"--store", store, "import", "incidents", "--format", "csv", DataPath("incidents/csv/incidents.csv")});
  CHECK(forced.exit_code == 0);
  auto wrong = RunTidemark({"--store", store, "import", "incidents", "--format", "defender", DataPath("incidents/csv/incidents.csv")});
  CHECK(wrong.exit_code == 2);
}

TEST_CASE("incidents filters by time, status, classification, threat and technique") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "import", "incidents", DataPath("incidents/native")}).exit_code == 0);
  auto ids = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {"--store", store, "--json", "incidents"};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunTidemark(full);
    REQUIRE(result.exit_code == 0);
    std::vector<std::string> out;
    auto doc = Json(result.out);
    for (const auto& incident : doc["incidents"].GetArray()) out.push_back(incident["id"].GetString());
    return out;
  };
  CHECK(ids({"--technique", "T1059"}) == std::vector<std::string>{"INC-1042", "INC-1043"});
  CHECK(ids({"--technique", "T1086"}) == std::vector<std::string>{"INC-1042", "INC-1043"});
  CHECK(ids({"--technique", "aml.t0040"}) == std::vector<std::string>{"INC-1042"});
  CHECK(ids({"--threat", "APT29"}) == std::vector<std::string>{"INC-1042", "INC-1043"});
  CHECK(ids({"--threat", "fin-x crew"}) == std::vector<std::string>{"INC-1043"});
  CHECK(ids({"--status", "open"}) == std::vector<std::string>{"INC-1044"});
  CHECK(ids({"--classification", "FalsePositive"}) == std::vector<std::string>{"INC-2001"});
  CHECK(ids({"--since", "2026-03-01", "--until", "2026-03-05"}) == std::vector<std::string>{"INC-1042"});
  auto table = RunTidemark({"--store", store, "incidents", "--status", "closed"});
  CHECK(table.exit_code == 0);
  CHECK(table.out.find("INC-2002") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "incidents", "--status", "maybe"}).exit_code == 1);
}

}  // namespace tidemark::testing

namespace tidemark::testing {

// Regression (issue 12): re-importing the output of `incidents --json` reported "2 updated"
// because the native reader dropped `revoked_from`.
// (`outcome` is read back too, but the record writer does not write it yet: see the report.)
TEST_CASE("re-importing the output of incidents --json changes nothing: revoked_from and unknown techniques read back") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("inc");
  WriteText(dir + "/one.ndjson",
            R"({"id": "RT-1", "title": "round trip", "created": "2026-03-04T09:12:44Z", "closed": "2026-03-05T16:40:02Z",)"
            R"( "classification": "true-positive", "severity": "high",)"
            R"( "techniques": ["T1086", {"id": "T1105", "tactic": "command-and-control"}, "AML.T0040", "T9999"],)"
            R"( "assets": [{"id": "WS-1", "type": "device", "name": "WS-1.contoso"}], "threats": ["APT29", "Acme Crew"],)"
            R"( "ticket": {"system": "jira", "key": "SOC-7"}})"
            "\n"
            R"({"id": "RT-2", "techniques": [{"id": "T1002", "tactic": "exfiltration"}], "status": "open"})"
            "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", dir + "/one.ndjson"}).exit_code == 0);
  std::string exported = IncidentsJson(store);
  REQUIRE(exported.find("\"revoked_from\"") != std::string::npos);
  WriteText(dir + "/export.json", exported);
  auto again = RunTidemark({"--store", store, "import", "incidents", dir + "/export.json"});
  REQUIRE(again.exit_code == 0);
  CHECK_MESSAGE(again.err.find("0 new, 0 updated, 2 unchanged") != std::string::npos, again.err);
  CHECK(IncidentsJson(store) == exported);

  // Into an empty store, the export gives the same records back.
  std::string other = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", other, "-q", "import", "incidents", dir + "/export.json"}).exit_code == 0);
  CHECK(IncidentsJson(other) == exported);
}

// Regression (issue 12): an incident that closed before it was created was accepted.
TEST_CASE("an incident whose closed time is before its created time is refused naming the record and field") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("inc");
  std::string path = dir + "/backwards.ndjson";
  WriteText(path, R"({"id": "OK-1", "created": "2026-03-04T09:00:00Z", "closed": "2026-03-04T09:00:00Z"})"
                  "\n"
                  R"({"id": "BACK-1", "created": "2026-03-05T10:00:00Z", "closed": "2026-03-04T09:00:00Z"})"
                  "\n");
  auto result = RunTidemark({"--store", store, "import", "incidents", path});
  CHECK(result.exit_code == 2);
  CHECK_MESSAGE(result.err.find(path + ":2: incident \"BACK-1\": field \"closed\" (2026-03-04T09:00:00Z) is before "
                                       "field \"created\" (2026-03-05T10:00:00Z)") != std::string::npos,
                result.err);
  CHECK(Json(IncidentsJson(store))["incidents"].Size() == 0);

  auto skipped = RunTidemark({"--store", store, "import", "incidents", "--skip-invalid", path});
  CHECK(skipped.exit_code == 0);
  auto list = Json(IncidentsJson(store));
  REQUIRE(list["incidents"].Size() == 1);
  CHECK(std::string(list["incidents"][0]["id"].GetString()) == "OK-1");
}

}  // namespace tidemark::testing

namespace tidemark::testing {

// Regression (issue 12): controls, mappings and incidents imported before `import attack` kept
// their techniques unknown and their threats custom (APT29, Cozy Bear) forever.
TEST_CASE("import order does not matter: what was imported before ATT&CK resolves when ATT&CK is imported") {
  std::string store = TempDir("order") + "/store";
  std::string dir = TempDir("order");
  WriteText(dir + "/incidents.ndjson",
            R"({"id": "ORD-1", "created": "2026-03-01T00:00:00Z", "techniques": ["T1086", {"id": "T1105", "outcome": "blocked"}, "AML.T0040"],)"
            R"( "threats": ["APT29", "Cozy Bear", "Acme Crew"]})"
            "\n");
  WriteText(dir + "/map.json", R"({"mappings": [{"control": "EDR-ASR", "technique": "T1086", "strength": "partial"},
                                                 {"control": "EDR-ASR", "mitigation": "M1040"}]})");
  WriteText(dir + "/catalog.json", R"({"controls": [{"id": "MFA", "title": "MFA", "techniques": ["T1078.004"]}]})");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", dir + "/incidents.ndjson"}).exit_code == 0);
  auto mappings = RunTidemark({"--store", store, "import", "mappings", dir + "/map.json"});
  REQUIRE(mappings.exit_code == 0);
  CHECK(mappings.err.find("kept unresolved") != std::string::npos);
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", dir + "/catalog.json"}).exit_code == 0);
  auto before = Json(IncidentsJson(store));
  CHECK(before["incidents"][0]["techniques"].Size() == 0);
  CHECK(before["incidents"][0]["unknown_techniques"].Size() == 3);
  // The outcome of a technique not yet known is kept, so re-resolution does not lose it.
  REQUIRE(before["incidents"][0]["unknown_blocked"].Size() == 1);
  CHECK(std::string(before["incidents"][0]["unknown_blocked"][0].GetString()) == "T1105");

  auto attack = RunTidemark({"--store", store, "import", "attack", AttackPath()});
  REQUIRE(attack.exit_code == 0);
  CHECK_MESSAGE(attack.err.find("1 of 1 stored incidents re-resolved") != std::string::npos, attack.err);
  CHECK(attack.err.find("Cozy Bear") != std::string::npos);
  CHECK(attack.err.find("1 stored mapping rows named techniques this data revokes") != std::string::npos);

  auto list = Json(IncidentsJson(store));
  const rapidjson::Value* incident = FindIncident(list, "ORD-1");
  REQUIRE(incident != nullptr);
  const auto& techniques = (*incident)["techniques"];
  REQUIRE(techniques.Size() == 2);
  CHECK(std::string(techniques[0]["id"].GetString()) == "T1059.001");
  CHECK(std::string(techniques[0]["revoked_from"].GetString()) == "T1086");
  CHECK(std::string(techniques[1]["id"].GetString()) == "T1105");
  CHECK(std::string(techniques[1]["outcome"].GetString()) == "blocked");
  CHECK(!incident->HasMember("unknown_blocked"));
  REQUIRE((*incident)["unknown_techniques"].Size() == 1);
  CHECK(std::string((*incident)["unknown_techniques"][0].GetString()) == "AML.T0040");
  const auto& threats = (*incident)["threats"];
  REQUIRE(threats.Size() == 2);
  CHECK(std::string(threats[0].GetString()) == "Acme Crew");
  CHECK(std::string(threats[1].GetString()) == "G0016");

  // The same store built in the usual order gives the same incident.
  std::string usual = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", usual, "-q", "import", "incidents", dir + "/incidents.ndjson"}).exit_code == 0);
  CHECK(IncidentsJson(usual) == IncidentsJson(store));

  auto card = Json(RunTidemark({"--store", store, "--json", "control", "EDR-ASR"}).out);
  bool direct = false, mitigation = false;
  for (const auto& t : card["techniques"].GetArray()) {
    std::string via = t["via"].GetString();
    if (via == "direct" && std::string(t["id"].GetString()) == "T1059.001") {
      direct = true;
      CHECK(std::string(t["revoked_from"].GetString()) == "T1086");
      CHECK(t["strength"].GetDouble() == 0.5);
    }
    mitigation |= via == "mitigation:M1040";
  }
  CHECK(direct);
  CHECK(mitigation);
  auto mfa = Json(RunTidemark({"--store", store, "--json", "control", "MFA"}).out);
  bool t1078 = false;
  for (const auto& t : mfa["techniques"].GetArray()) t1078 |= std::string(t["id"].GetString()) == "T1078.004";
  CHECK(t1078);
}

}  // namespace tidemark::testing
