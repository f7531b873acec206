// The MISP reader on its own (importers/incidents/misp_reader.cpp): the hand-written event and
// restSearch exports field by field (galaxy tags and clusters, attribute tags, targeting data,
// numbers as strings), the verdict/analysis/threat-level tables, detection, and malformed
// events rejected by name.
#include "importers/incidents/misp_reader.h"

#include <doctest/doctest.h>

#include "tests/importers/incidents/reader_test_support.h"

namespace tidemark::importers::incidents::testing {
namespace {

const IncidentReader& MispReader() {
  static const auto reader = MakeMispReader();
  return *reader;
}

SourceIncident ReadOne(const std::string& event_fields) {
  auto run = RunReader(MispReader(), "e.json", std::string(R"({"Event": {"uuid": "u-1", )") + event_fields + "}}");
  REQUIRE(run->status.ok());
  REQUIRE(run->out.rejects.empty());
  REQUIRE(run->out.incidents.size() == 1);
  return std::move(run->out.incidents[0]);
}

}  // namespace

TEST_CASE("the MISP sample event reads field by field: galaxy tags and clusters, attribute tags, targeting data") {
  auto run = ReadCleanly(RunFixture(MispReader(), "incidents/misp/event.json"), 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(source.where == "incidents/misp/event.json: record 1");
  CHECK(inc.id == "misp:5f2a9c1e-3b7d-4e8a-9f1c-2d4b6e8a0c13");
  CHECK(inc.source == "misp");
  CHECK(inc.title == "Phishing to PowerShell stager on WS-FIN-042");
  CHECK(Iso(inc.created) == "2025-03-04T00:00:00Z");  // `date`, start of day
  CHECK(Iso(inc.closed) == "2025-03-05T16:59:58Z");   // analysis 2: `timestamp` "1741193998"
  CHECK(inc.status == "closed");
  CHECK(inc.classification == model::Classification::kTruePositive);
  CHECK(inc.severity == "high");  // threat_level_id "1"
  // Event tags (no tactic), then the galaxy clusters (tactic from kill_chain; external_id as a
  // list and as a string), then the tag on an attribute. Repeats go to the normaliser.
  CHECK(Techniques(source) == std::vector<std::string>{"T1059.001/", "T1566.001/", "T1059.001/execution",
                                                       "T1566.001/initial-access", "T1105/"});
  // hostname with to_ids false and targeting data; indicators (to_ids true) are the attacker's.
  CHECK(Assets(inc) == std::vector<std::string>{"device:ws-fin-042.contoso.local", "user:jdoe@contoso.com",
                                                "mailbox:jdoe@contoso.com"});
  CHECK(inc.threats == std::vector<std::string>{"G0016", "G0016"});
}

TEST_CASE("a MISP restSearch response gives one incident per event, verdict from false-positive tags") {
  auto run = ReadCleanly(RunFixture(MispReader(), "incidents/misp/restsearch.json"), 2);
  const SourceIncident& noise = run->out.incidents[0];
  CHECK(noise.where == "incidents/misp/restsearch.json: record 1");
  CHECK(noise.incident.id == "misp:8c3d1f7a-2e5b-4c9d-8a1f-3b6e9d2c5a74");
  CHECK(noise.incident.classification == model::Classification::kFalsePositive);
  CHECK(noise.incident.status == "closed");
  CHECK(noise.incident.severity == "");  // threat_level_id 4: undefined
  CHECK(Iso(noise.incident.created) == "2025-03-07T00:00:00Z");
  CHECK(Iso(noise.incident.closed) == "2025-03-07T15:06:40Z");
  CHECK(Techniques(noise) == std::vector<std::string>{"T1595/"});
  CHECK(Assets(noise.incident) == std::vector<std::string>{"device:web01"});

  const SourceIncident& kerberos = run->out.incidents[1];
  CHECK(kerberos.where == "incidents/misp/restsearch.json: record 2");
  CHECK(kerberos.incident.id == "misp:9d4e2a8b-3f6c-4dae-9b2a-4c7f0e3d6b85");
  CHECK(kerberos.incident.classification == model::Classification::kTruePositive);
  CHECK(kerberos.incident.status == "open");  // analysis 1: ongoing
  CHECK(Iso(kerberos.incident.closed) == "-");
  CHECK(kerberos.incident.severity == "medium");
  CHECK(Techniques(kerberos) == std::vector<std::string>{"T1558.003/credential-access"});  // from the value's suffix
  CHECK(kerberos.incident.assets.empty());
}

TEST_CASE("MISP verdict, analysis and threat level map in any case and as numbers or strings") {
  struct Case {
    const char* fields;
    model::Classification classification;
    const char* status;
    const char* severity;
  };
  const Case cases[] = {
      {R"("Tag": [{"name": "False-Positive:Confirmed=\"TRUE\""}], "analysis": 2, "threat_level_id": 1)",
       model::Classification::kFalsePositive, "closed", "high"},
      {R"("Tag": [{"name": "false-positive:confirmed=\"false\""}, {"name": "false-positive:risk=\"high\""}], "analysis": "0", "threat_level_id": "3")",
       model::Classification::kTruePositive, "open", "low"},
      {R"("Tag": ["false-positive:risk=\"high\""], "threat_level_id": "4")", model::Classification::kUndetermined, "open", ""},
      {R"("Tag": [{"name": "false-positive:risk=\"low\""}], "threat_level_id": 2)", model::Classification::kTruePositive, "open", "medium"},
      {R"("analysis": "Completed", "threat_level_id": "High")", model::Classification::kTruePositive, "open", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fields);
    SourceIncident source = ReadOne(c.fields);
    CHECK(source.incident.classification == c.classification);
    CHECK(source.incident.status == c.status);
    CHECK(source.incident.severity == c.severity);
  }
}

TEST_CASE("MISP galaxy clusters: ID lists, older galaxy names, kill chains, threat galaxies") {
  SourceIncident source = ReadOne(R"(
    "timestamp": 1741450000, "publish_timestamp": "0", "analysis": "2",
    "Galaxy": [
      {"type": "mitre-enterprise-attack-attack-pattern", "GalaxyCluster": [
        {"value": "Disable or Modify Tools - T1685.004", "meta": {"kill_chain": ["attack-Linux:defense-impairment"]}},
        {"value": "two ids", "meta": {"external_id": ["T1003", "T1003.001"], "kill_chain": ["a:credential-access", "b:credential-access"]}}]},
      {"type": "threat-actor", "GalaxyCluster": [{"value": "Wizard Spider"}]},
      {"type": "mitre-tool", "GalaxyCluster": [{"value": "Cobalt Strike - S0154", "meta": {"external_id": "S0154"}}]},
      {"type": "mitre-malware", "GalaxyCluster": [{"value": "no id here"}]},
      {"type": "mitre-attack-pattern", "GalaxyCluster": [{"value": "no suffix", "meta": {}}]}],
    "Object": [{"Attribute": [{"type": "target-machine", "value": "DC01",
       "Galaxy": [{"type": "mitre-attack-pattern", "GalaxyCluster": [{"value": "DCSync - T1003.006"}]}]}]}],
    "Attribute": [{"type": "hostname", "value": "c2.example", "to_ids": "1"}])");
  // Two kill-chain entries of one phase (one per platform or prefix) still name that tactic.
  CHECK(Techniques(source) == std::vector<std::string>{"T1685.004/defense-impairment", "T1003/credential-access",
                                                       "T1003.001/credential-access", "T1003.006/"});
  CHECK(source.incident.threats == std::vector<std::string>{"Wizard Spider", "S0154", "no id here"});
  CHECK(Assets(source.incident) == std::vector<std::string>{"device:dc01=DC01"});
  CHECK(source.incident.status == "closed");
  CHECK(Iso(source.incident.created) == "2025-03-08T16:06:40Z");  // no date: timestamp
  CHECK(Iso(source.incident.closed) == "2025-03-08T16:06:40Z");
  SourceIncident unpublished = ReadOne(R"("analysis": "2", "publish_timestamp": "0")");
  CHECK(Iso(unpublished.incident.closed) == "-");  // "0": never published, and no timestamp
}

TEST_CASE("MISP detection is by content: events alone, in arrays, in restSearch responses and NDJSON") {
  CHECK(Detected(ReadText(DataPath("incidents/misp/event.json"))) == "misp");
  CHECK(Detected(ReadText(DataPath("incidents/misp/restsearch.json"))) == "misp");
  CHECK(Detected("{\"Event\": {\"uuid\": \"a\", \"info\": \"x\"}}\n{\"Event\": {\"uuid\": \"b\", \"info\": \"y\"}}\n") == "misp");
  CHECK(Detected(R"([{"Event": {"info": "no uuid", "Attribute": []}}])") == "misp");  // then rejected by name
  for (const char* text : {R"({"Event": {"uuid": "a"}})", R"({"Event": "x"})", R"({"event": {"uuid": "a", "info": "x"}})"}) {
    CAPTURE(text);
    auto run = Prepare("x.json", text);
    CHECK(MispReader().Detect(run->file) == 0);
  }
  for (const char* other : {"incidents/thehive/cases.json", "incidents/stix/incident_bundle.json", "incidents/attack-flow/small_flow.afb"}) {
    CAPTURE(other);
    auto run = Prepare(other, ReadText(DataPath(other)));
    CHECK(MispReader().Detect(run->file) == 0);
  }
}

TEST_CASE("malformed MISP events are rejected naming record and field; the valid ones still read") {
  struct Case {
    const char* record;
    const char* reject;  // empty: read
  };
  const Case cases[] = {
      {R"({"Event": {"info": "no uuid"}})", "field \"Event.uuid\" is missing"},
      {R"({"Event": {"uuid": {"a": 1}}})", "field \"Event.uuid\" must be a non-empty string"},
      {R"({"Event": "x"})", "field \"Event\" must be an object"},
      {R"({"event": {"uuid": "u-2"}})", "field \"Event\" must be an object"},
      {R"({"Event": {"uuid": "u-2", "date": "March"}})", "field \"Event.date\" must be a time (epoch seconds or milliseconds, or ISO 8601)"},
      {R"({"Event": {"uuid": "u-2", "timestamp": true}})", "field \"Event.timestamp\" must be a time (epoch seconds or milliseconds, or ISO 8601)"},
      {R"({"Event": {"uuid": "u-2", "Tag": "tlp:amber"}})", "field \"Event.Tag\" must be an array"},
      {R"({"Event": {"uuid": "u-2", "Galaxy": {}}})", "field \"Event.Galaxy\" must be an array"},
      {R"({"Event": {"uuid": "u-2", "Attribute": 5}})", "field \"Event.Attribute\" must be an array"},
      {R"({"Event": {"uuid": "u-2", "Object": "x"}})", "field \"Event.Object\" must be an array"},
      {R"({"Event": {"uuid": "u-2", "Galaxy": [1]}})", "field \"Event.Galaxy[0]\" must be an object"},
      {R"({"Event": {"uuid": "u-2", "Galaxy": [{"GalaxyCluster": "x"}]}})", "field \"Event.Galaxy[0].GalaxyCluster\" must be an array"},
      {R"({"Event": {"uuid": "u-2", "Galaxy": [{"type": "mitre-attack-pattern", "GalaxyCluster": [{"meta": "x"}]}]}})",
       "field \"Event.Galaxy[0].GalaxyCluster[0].meta\" must be an object"},
      {R"({"Event": {"uuid": "u-2", "Attribute": [{"type": "hostname", "value": ["x"]}]}})", "field \"Event.Attribute[0].value\" must be a string"},
      {R"({"Event": {"uuid": "u-2", "Object": [3]}})", "field \"Event.Object[0]\" must be an object"},
      {R"({"Event": {"uuid": "u-2", "Object": [{"Attribute": "x"}]}})", "field \"Event.Object[0].Attribute\" must be an array"},
      {"42", "record must be a JSON object"},
      // Wrong types in fields that carry no id, time, technique, threat or asset: read leniently.
      {R"({"Event": {"uuid": "u-2", "info": ["x"], "threat_level_id": {"a": 1}, "analysis": [2], "Tag": [5, {"name": null}, {}],
          "Galaxy": [null, {"type": "mitre-tool"}], "Attribute": [null, {"type": 5}], "Object": [null, {}]}})", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.record);
    auto run = RunReader(MispReader(), "bad.json", std::string(R"([{"Event": {"uuid": "u-ok"}}, )") + c.record + "]");
    REQUIRE(run->status.ok());
    CHECK(run->out.incidents.front().incident.id == "misp:u-ok");
    if (*c.reject == '\0') {
      CHECK(run->out.rejects.empty());
      CHECK(run->out.incidents.size() == 2);
    } else {
      CHECK(Rejects(run->out) == std::vector<std::string>{std::string("bad.json: record 2: ") + c.reject});
      CHECK(run->out.incidents.size() == 1);
    }
  }
}

}  // namespace tidemark::importers::incidents::testing
