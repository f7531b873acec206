// The TheHive 5 reader on its own (importers/incidents/thehive_reader.cpp): the hand-written
// case export field by field, the status/stage/severity tables, threat tags, the wrappers
// and NDJSON it accepts, and malformed cases rejected by name.
#include "importers/incidents/thehive_reader.h"

#include <doctest/doctest.h>

#include "tests/importers/incidents/reader_test_support.h"

namespace tidemark::importers::incidents::testing {
namespace {

const IncidentReader& TheHiveReader() {
  static const auto reader = MakeTheHiveReader();
  return *reader;
}

}  // namespace

TEST_CASE("TheHive sample cases read field by field: epoch-ms times, procedures, observables, threat tags") {
  auto run = ReadCleanly(RunFixture(TheHiveReader(), "incidents/thehive/cases.json"), 3);

  const SourceIncident& stager = run->out.incidents[0];
  const model::Incident& first = stager.incident;
  CHECK(stager.where == "incidents/thehive/cases.json: record 1");
  CHECK(first.id == "thehive:~41123456");
  CHECK(first.source == "thehive");
  CHECK(first.title == "PowerShell stager on WS-FIN-042");
  CHECK(Iso(first.created) == "2025-03-04T09:10:30Z");  // _createdAt, not startDate
  CHECK(Iso(first.closed) == "2025-03-05T16:59:58Z");   // no closedDate: endDate
  CHECK(first.status == "closed");
  CHECK(first.classification == model::Classification::kTruePositive);
  CHECK(first.severity == "high");
  // patternId, the thehive4py spelling patterId, and a lower-case id the normaliser fixes.
  CHECK(Techniques(stager) ==
        std::vector<std::string>{"T1566.001/initial-access", "T1059.001/execution", "t1105/command-and-control"});
  // The domain observable is the attacker's, not an asset.
  CHECK(Assets(first) == std::vector<std::string>{"device:ws-fin-042=WS-FIN-042", "mailbox:jdoe@contoso.com"});
  CHECK(first.threats == std::vector<std::string>{"APT29"});

  const SourceIncident& spray = run->out.incidents[1];
  CHECK(spray.incident.id == "thehive:~41127890");
  CHECK(spray.incident.status == "open");
  CHECK(spray.incident.classification == model::Classification::kUndetermined);
  CHECK(spray.incident.severity == "medium");
  CHECK(Iso(spray.incident.created) == "2025-03-06T13:45:00Z");
  CHECK(Iso(spray.incident.closed) == "-");  // open: _updatedAt is not a closing time
  CHECK(Techniques(spray) == std::vector<std::string>{"T1110.003/credential-access"});
  CHECK(Assets(spray.incident) == std::vector<std::string>{"device:10.20.0.5"});
  CHECK(spray.incident.threats.empty());

  const SourceIncident& task = run->out.incidents[2];
  CHECK(task.incident.id == "thehive:~41130000");
  CHECK(task.incident.status == "closed");
  CHECK(task.incident.classification == model::Classification::kFalsePositive);
  CHECK(task.incident.severity == "low");
  CHECK(Iso(task.incident.created) == "2025-03-06T22:26:40Z");
  CHECK(Iso(task.incident.closed) == "2025-03-06T23:26:40Z");
  CHECK(Techniques(task) == std::vector<std::string>{"T1053.005/persistence"});
  CHECK(Assets(task.incident) == std::vector<std::string>{"device:dc01"});
}

TEST_CASE("TheHive status, stage and severity map to status, classification and severity in any case") {
  struct Case {
    const char* fields;
    const char* status;
    model::Classification classification;
    const char* severity;
    const char* closed;
  };
  const Case cases[] = {
      {R"("status": "truePositive", "stage": "closed", "severity": 4, "closedDate": 1741303600000)", "closed",
       model::Classification::kTruePositive, "critical", "2025-03-06T23:26:40Z"},
      {R"("status": "FALSEPOSITIVE", "severity": "2", "closedDate": "1741303600000")", "closed",
       model::Classification::kFalsePositive, "medium", "2025-03-06T23:26:40Z"},
      {R"("status": "Duplicated", "severityLabel": "Low", "_updatedAt": 1741303600000)", "closed",
       model::Classification::kUndetermined, "low", "2025-03-06T23:26:40Z"},
      {R"("status": "Indeterminate", "stage": "Closed", "severity": 9)", "closed", model::Classification::kUndetermined,
       "", "-"},
      {R"("status": "New", "stage": "New", "severity": 1, "closedDate": null)", "open",
       model::Classification::kUndetermined, "low", "-"},
      // TheHive 4: status Resolved with the verdict in resolutionStatus.
      {R"("status": "Resolved", "resolutionStatus": "FalsePositive", "endDate": 1741303600000)", "closed",
       model::Classification::kFalsePositive, "", "2025-03-06T23:26:40Z"},
      {R"("status": "Open", "resolutionStatus": "TruePositive")", "open", model::Classification::kTruePositive, "", "-"},
      {R"("status": "SomethingCustom", "stage": "InProgress")", "open", model::Classification::kUndetermined, "", "-"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fields);
    auto run = RunReader(TheHiveReader(), "t.json", std::string(R"({"_id": "~9", "_type": "Case", )") + c.fields + "}");
    REQUIRE(run->status.ok());
    REQUIRE(run->out.incidents.size() == 1);
    const model::Incident& inc = run->out.incidents[0].incident;
    CHECK(inc.status == c.status);
    CHECK(inc.classification == c.classification);
    CHECK(inc.severity == c.severity);
    CHECK(Iso(inc.closed) == c.closed);
  }
}

TEST_CASE("TheHive threat tags name actors, intrusion sets and MISP galaxy clusters; other tags are ignored") {
  struct Case {
    const char* tag;
    const char* threat;
  };
  const Case cases[] = {
      {"threat-actor:APT29", "APT29"},
      {"actor=FIN7", "FIN7"},
      {"Intrusion-Set:\"Wizard Spider\"", "Wizard Spider"},
      {"malware:Emotet", "Emotet"},
      {"misp-galaxy:mitre-intrusion-set=\"APT29 - G0016\"", "G0016"},
      {"misp-galaxy:mitre-malware=\"BlackCat - S1068\"", "S1068"},
      {"misp-galaxy:threat-actor=\"Sofacy - APT28\"", "Sofacy - APT28"},  // not an ATT&CK suffix
      {"misp-galaxy:mitre-attack-pattern=\"PowerShell - T1059.001\"", ""},
      {"misp-galaxy:mitre-intrusion-set", ""},
      {"tlp:amber", ""},
      {"actor:", ""},
      {"phishing", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.tag);
    CHECK(ThreatFromTag(c.tag) == c.threat);
  }
}

TEST_CASE("TheHive cases come as one object, wrapped in data/cases, or as NDJSON") {
  const char* one = R"({"_id": "~1", "_type": "Case", "title": "one"})";
  const char* wrapped = R"({"data": [{"_id": "~1", "procedures": []}, {"_id": "~2", "procedures": []}]})";
  const char* ndjson = "{\"_id\": \"~1\", \"procedures\": [{\"patternId\": \"T1078\", \"tactic\": \"defense-evasion\"}]}\n\n"
                       "{\"_id\": \"~2\", \"procedures\": [{\"patterId\": \"T1021.001\", \"tacticLabel\": \"Lateral Movement\"}]}\n";
  auto single = RunReader(TheHiveReader(), "one.json", one);
  REQUIRE(single->out.incidents.size() == 1);
  CHECK(single->out.incidents[0].incident.title == "one");
  CHECK(single->out.incidents[0].where == "one.json: record 1");

  auto list = RunReader(TheHiveReader(), "cases.json", wrapped);
  REQUIRE(list->out.incidents.size() == 2);
  CHECK(list->out.incidents[1].incident.id == "thehive:~2");
  CHECK(list->out.incidents[1].where == "cases.json: record 2");

  auto lines = RunReader(TheHiveReader(), "cases.ndjson", ndjson);
  REQUIRE(lines->out.incidents.size() == 2);
  CHECK(lines->out.incidents[1].where == "cases.ndjson:3");
  CHECK(Techniques(lines->out.incidents[0]) == std::vector<std::string>{"T1078/defense-evasion"});
  CHECK(Techniques(lines->out.incidents[1]) == std::vector<std::string>{"T1021.001/Lateral Movement"});
}

TEST_CASE("TheHive detection is by content: cases yes, alerts without case fields and other formats no") {
  CHECK(Detected(ReadText(DataPath("incidents/thehive/cases.json"))) == "thehive");
  CHECK(Detected("{\"_id\": \"~5\", \"_type\": \"case\"}\n{\"_id\": \"~6\", \"_type\": \"case\"}\n") == "thehive");
  for (const char* other : {"incidents/misp/event.json", "incidents/stix/incident_bundle.json",
                            "incidents/attack-flow/small_flow.afb", "incidents/native/incidents.json"}) {
    CAPTURE(other);
    auto run = Prepare(other, ReadText(DataPath(other)));
    CHECK(TheHiveReader().Detect(run->file) == 0);
  }
  auto alert = Prepare("alert.json", R"({"_id": "~7", "_type": "Alert", "type": "external", "sourceRef": "x"})");
  CHECK(TheHiveReader().Detect(alert->file) == 0);
}

TEST_CASE("malformed TheHive cases are rejected naming record and field; the valid ones still read") {
  struct Case {
    const char* record;
    const char* reject;  // empty: read
  };
  const Case cases[] = {
      {R"({"_type": "Case", "title": "no id"})", "field \"_id\" is missing"},
      {R"({"_id": null, "_type": "Case"})", "field \"_id\" is missing"},
      {R"({"_id": {"x": 1}, "_type": "Case"})", "field \"_id\" must be a non-empty string"},
      {R"({"_id": "~2", "_createdAt": "yesterday"})", "field \"_createdAt\" must be a time (epoch seconds or milliseconds, or ISO 8601)"},
      {R"({"_id": "~2", "closedDate": [1]})", "field \"closedDate\" must be a time (epoch seconds or milliseconds, or ISO 8601)"},
      {R"({"_id": "~2", "procedures": "T1059"})", "field \"procedures\" must be an array"},
      {R"({"_id": "~2", "procedures": [{"patternId": "T1059"}, 7]})", "field \"procedures[1]\" must be an object"},
      {R"({"_id": "~2", "procedures": [{"patternId": ["T1059"]}]})", "field \"procedures[0].patternId\" must be a string"},
      {R"({"_id": "~2", "tags": {"a": 1}})", "field \"tags\" must be an array of strings"},
      {R"({"_id": "~2", "tags": ["ok", ["threat-actor:APT29"]]})", "field \"tags[1]\" must be a string"},
      {R"({"_id": "~2", "observables": "x"})", "field \"observables\" must be an array"},
      {R"({"_id": "~2", "observables": [{"dataType": "hostname", "data": {"h": 1}}]})", "field \"observables[0].data\" must be a string"},
      {"42", "record must be a JSON object"},
      // Wrong types in fields that carry no id, time, technique, threat or asset: read leniently.
      {R"({"_id": 12345, "title": ["x"], "severity": "high", "status": 3,
          "procedures": [{"patternId": null, "tactic": 5}, {}]})", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.record);
    auto run = RunReader(TheHiveReader(), "bad.json", std::string("[{\"_id\": \"~ok\"}, ") + c.record + "]");
    REQUIRE(run->status.ok());
    CHECK(run->out.incidents.front().incident.id == "thehive:~ok");
    if (*c.reject == '\0') {
      CHECK(run->out.rejects.empty());
      CHECK(run->out.incidents.size() == 2);
    } else {
      CHECK(Rejects(run->out) == std::vector<std::string>{std::string("bad.json: record 2: ") + c.reject});
      CHECK(run->out.incidents.size() == 1);
    }
  }
}

TEST_CASE("a TheHive case with a huge title and many procedures is read whole") {
  std::string title(1 << 20, 'x');
  std::string procedures;
  for (int index = 0; index < 5000; ++index) procedures += std::string(index ? "," : "") + R"({"patternId": "T1059"})";
  auto run = RunReader(TheHiveReader(), "big.json", R"({"_id": "~big", "title": ")" + title + R"(", "procedures": [)" + procedures + "]}");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(run->out.incidents[0].incident.title.size() == title.size());
  CHECK(run->out.incidents[0].techniques.size() == 5000);  // the normaliser removes repeats
}

}  // namespace tidemark::importers::incidents::testing
