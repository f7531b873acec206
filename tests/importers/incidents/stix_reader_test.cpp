// The STIX 2.1 incident reader on its own (importers/incidents/stix_reader.cpp): the sample
// bundle field by field (Incident Core Extension, relationships of any type, sightings,
// attack-patterns missing from the bundle), the determination and criticality tables,
// several incidents in one bundle, detection, and malformed incidents rejected by name.
#include "importers/incidents/stix_reader.h"

#include <doctest/doctest.h>

#include "tests/importers/incidents/reader_test_support.h"

namespace tidemark::importers::incidents::testing {
namespace {

const IncidentReader& StixReader() {
  static const auto reader = MakeStixReader();
  return *reader;
}

constexpr const char* kExt = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

// A bundle with one incident whose extension holds `ext_fields`, plus `more` objects.
std::string Bundle(const std::string& ext_fields, const std::string& more = "", const std::string& incident_fields = "") {
  return std::string(R"({"type": "bundle", "id": "bundle--1", "objects": [{"type": "incident", "id": "incident--1", )") +
         R"("created": "2025-03-04T09:00:00Z", "modified": "2025-03-05T10:00:00Z", "name": "x", )" + incident_fields +
         R"("extensions": {")" + kExt + R"(": {"extension_type": "property-extension")" + ext_fields + "}}}" + more + "]}";
}

}  // namespace

TEST_CASE("the STIX sample bundle reads field by field: extension, related attack-patterns, sightings, assets, threats") {
  auto run = ReadCleanly(RunFixture(StixReader(), "incidents/stix/incident_bundle.json"), 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(source.where == "incidents/stix/incident_bundle.json: record 1");
  CHECK(inc.id == "stix:incident--2242662b-1c39-4a7e-9b5f-6c0d8e3a7f10");
  CHECK(inc.source == "stix");
  CHECK(inc.title == "PowerShell stager on WS-FIN-042");
  CHECK(Iso(inc.created) == "2025-03-04T09:13:30Z");
  CHECK(Iso(inc.closed) == "2025-03-05T16:40:05Z");  // investigation_status closed: modified
  CHECK(inc.status == "closed");
  CHECK(inc.classification == model::Classification::kTruePositive);  // successful-attempt
  CHECK(inc.severity == "high");                                      // criticality 70
  // Relationships first, in bundle order (related-to, then a `uses` to an attack-pattern the
  // bundle does not hold, kept as its STIX id), then the sightings of the only incident.
  CHECK(Techniques(source) == std::vector<std::string>{"T1566.001/initial-access",
                                                       "attack-pattern--a62a8db3-f23a-4d8f-afd6-9dbc77e7813b/",
                                                       "T1059.001/execution", "T1105/command-and-control"});
  CHECK(Assets(inc) == std::vector<std::string>{"device:ws-fin-042=WS-FIN-042", "user:jdoe@contoso.com"});
  CHECK(inc.threats == std::vector<std::string>{"G0016"});
}

TEST_CASE("STIX determination and investigation_status map to classification and status in any case") {
  struct Case {
    const char* fields;
    model::Classification classification;
    const char* status;
    const char* closed;
  };
  const Case cases[] = {
      {R"(, "determination": "successful-attempt", "investigation_status": "closed")", model::Classification::kTruePositive, "closed", "2025-03-05T10:00:00Z"},
      {R"(, "determination": "Failed-Attempt", "investigation_status": "Closed")", model::Classification::kTruePositive, "closed", "2025-03-05T10:00:00Z"},
      {R"(, "determination": "BLOCKED", "investigation_status": "open")", model::Classification::kTruePositive, "open", "-"},
      {R"(, "determination": "false-positive", "investigation_status": "closed")", model::Classification::kFalsePositive, "closed", "2025-03-05T10:00:00Z"},
      {R"(, "determination": "low-value", "investigation_status": "new")", model::Classification::kBenignPositive, "open", "-"},
      {R"(, "determination": "suspected")", model::Classification::kUndetermined, "open", "-"},
      {R"(, "determination": "something-else", "investigation_status": "archived")", model::Classification::kUndetermined, "open", "-"},
      {"", model::Classification::kUndetermined, "open", "-"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fields);
    auto run = RunReader(StixReader(), "b.json", Bundle(c.fields));
    REQUIRE(run->out.incidents.size() == 1);
    const model::Incident& inc = run->out.incidents[0].incident;
    CHECK(inc.classification == c.classification);
    CHECK(inc.status == c.status);
    CHECK(Iso(inc.closed) == c.closed);
    CHECK(Iso(inc.created) == "2025-03-04T09:00:00Z");
  }
}

TEST_CASE("STIX criticality 0-100 maps to severity; out of range or absent leaves it unset") {
  struct Case {
    const char* criticality;
    const char* severity;
  };
  const Case cases[] = {{"0", "informational"}, {"1", "low"},  {"39", "low"},      {"40", "medium"},
                        {"69", "medium"},       {"70", "high"}, {"89", "high"},    {"90", "critical"},
                        {"100", "critical"},    {"101", ""},    {"-1", ""},        {"\"55\"", "medium"},
                        {"\"high\"", ""},       {"null", ""}};
  for (const auto& c : cases) {
    CAPTURE(c.criticality);
    auto run = RunReader(StixReader(), "b.json", Bundle(std::string(R"(, "criticality": )") + c.criticality));
    REQUIRE(run->out.incidents.size() == 1);
    CHECK(run->out.incidents[0].incident.severity == c.severity);
  }
}

TEST_CASE("STIX techniques also come from attacker_activities and from relationships pointing at the incident") {
  std::string more = R"(,
    {"type": "attack-pattern", "id": "attack-pattern--a", "external_references": [{"source_name": "capec", "external_id": "CAPEC-1"},
       {"source_name": "mitre-attack", "external_id": "T1078.004"}],
     "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"},
                           {"kill_chain_name": "mitre-attack", "phase_name": "persistence"}]},
    {"type": "attack-pattern", "id": "attack-pattern--b", "external_references": [{"source_name": "mitre-mobile-attack", "external_id": "T1660"}],
     "kill_chain_phases": [{"kill_chain_name": "lockheed", "phase_name": "delivery"}, {"kill_chain_name": "mitre-mobile-attack", "phase_name": "initial-access"}]},
    {"type": "attack-pattern", "id": "attack-pattern--c", "name": "no ATT&CK reference"},
    {"type": "relationship", "id": "relationship--1", "relationship_type": "indicates", "source_ref": "attack-pattern--b", "target_ref": "incident--1"},
    {"type": "relationship", "id": "relationship--2", "relationship_type": "related-to", "source_ref": "incident--1", "target_ref": "attack-pattern--c"},
    {"type": "relationship", "id": "relationship--3", "relationship_type": "related-to", "source_ref": "incident--1", "target_ref": "attack-pattern--a"})";
  auto run = RunReader(StixReader(), "b.json",
                       Bundle(R"(, "attacker_activities": [{"pattern_ref": "attack-pattern--a"}, null, {"pattern_ref": "attack-pattern--zz"}])",
                              more, R"("attacker_activities": [{"pattern_ref": "attack-pattern--b"}], )"));
  REQUIRE(run->out.incidents.size() == 1);
  // Each pattern once; two mitre phases give no tactic; no mitre reference keeps the STIX id.
  CHECK(Techniques(run->out.incidents[0]) ==
        std::vector<std::string>{"T1660/initial-access", "T1078.004/", "attack-pattern--zz/", "attack-pattern--c/"});
}

TEST_CASE("a STIX bundle with several incidents gives each only its own linked techniques, sightings, assets and threats") {
  const char* text = R"([
    {"type": "incident", "id": "incident--a", "name": "A"},
    {"type": "incident", "id": "incident--b", "name": "B"},
    {"type": "attack-pattern", "id": "attack-pattern--1", "external_references": [{"source_name": "mitre-attack", "external_id": "T1110.003"}]},
    {"type": "attack-pattern", "id": "attack-pattern--2", "external_references": [{"source_name": "mitre-attack", "external_id": "T1486"}]},
    {"type": "sighting", "id": "sighting--1", "sighting_of_ref": "attack-pattern--1"},
    {"type": "sighting", "id": "sighting--2", "sighting_of_ref": "attack-pattern--2"},
    {"type": "identity", "id": "identity--u", "name": "Jane Doe", "identity_class": "individual"},
    {"type": "identity", "id": "identity--o", "name": "Finance", "identity_class": "organization"},
    {"type": "ipv4-addr", "id": "ipv4-addr--1", "value": "10.1.2.3"},
    {"type": "malware", "id": "malware--1", "name": "LockBit"},
    {"type": "campaign", "id": "campaign--1", "name": "C", "external_references": [{"source_name": "mitre-attack", "external_id": "C0024"}]},
    {"type": "relationship", "id": "relationship--1", "relationship_type": "related-to", "source_ref": "incident--a", "target_ref": "sighting--1"},
    {"type": "relationship", "id": "relationship--2", "relationship_type": "targets", "source_ref": "incident--a", "target_ref": "identity--u"},
    {"type": "relationship", "id": "relationship--3", "relationship_type": "attributed-to", "source_ref": "incident--a", "target_ref": "campaign--1"},
    {"type": "relationship", "id": "relationship--4", "relationship_type": "impacts", "source_ref": "incident--b", "target_ref": "identity--o"},
    {"type": "relationship", "id": "relationship--5", "relationship_type": "impacts", "source_ref": "incident--b", "target_ref": "ipv4-addr--1"},
    {"type": "relationship", "id": "relationship--6", "relationship_type": "uses", "source_ref": "malware--1", "target_ref": "incident--b"},
    {"type": "relationship", "id": "relationship--7", "relationship_type": "related-to", "source_ref": "incident--b", "target_ref": "incident--b"}])";
  auto run = RunReader(StixReader(), "array.json", text);
  REQUIRE(run->status.ok());
  REQUIRE(run->out.incidents.size() == 2);
  const SourceIncident& a = run->out.incidents[0];
  const SourceIncident& b = run->out.incidents[1];
  CHECK(a.incident.id == "stix:incident--a");
  CHECK(Techniques(a) == std::vector<std::string>{"T1110.003/"});
  CHECK(Assets(a.incident) == std::vector<std::string>{"user:jane doe=Jane Doe"});
  CHECK(a.incident.threats == std::vector<std::string>{"C0024"});
  CHECK(b.incident.id == "stix:incident--b");
  CHECK(b.where == "array.json: record 2");
  CHECK(b.techniques.empty());  // sighting--2 is linked to no incident
  CHECK(Assets(b.incident) == std::vector<std::string>{"other:finance=Finance", "device:10.1.2.3"});
  CHECK(b.incident.threats == std::vector<std::string>{"LockBit"});
}

TEST_CASE("STIX detection needs an incident object; ATT&CK and Attack Flow bundles are not incidents") {
  CHECK(Detected(ReadText(DataPath("incidents/stix/incident_bundle.json"))) == "stix");
  auto bundle = Prepare("b.json", Bundle(""));
  CHECK(StixReader().Detect(bundle->file) == 80);
  auto array = Prepare("a.json", R"([{"type": "incident", "id": "incident--1"}])");
  CHECK(StixReader().Detect(array->file) == 60);
  auto no_id = Prepare("n.json", R"({"type": "bundle", "objects": [{"type": "incident"}]})");
  CHECK(StixReader().Detect(no_id->file) == 80);  // recognised, then rejected by name
  for (const char* text : {R"({"type": "bundle", "objects": [{"type": "attack-pattern", "id": "attack-pattern--1"}]})",
                           R"({"type": "bundle", "objects": "incident"})", R"({"objects": [1, "incident", null]})", "[]"}) {
    CAPTURE(text);
    auto run = Prepare("x.json", text);
    CHECK(StixReader().Detect(run->file) == 0);
  }
  for (const char* other : {"incidents/thehive/cases.json", "incidents/misp/event.json", "incidents/attack-flow/small_flow.afb"}) {
    CAPTURE(other);
    auto run = Prepare(other, ReadText(DataPath(other)));
    CHECK(StixReader().Detect(run->file) == 0);
  }
  auto flow = Prepare("flow.json", ReadText(tidemark::testing::SharedPath("incidents/attack-flow/stix/attack-flow-example.json")));
  CHECK(StixReader().Detect(flow->file) == 0);
}

TEST_CASE("malformed STIX incidents are rejected naming record and field; a non-bundle is bad input") {
  struct Case {
    const char* incident;
    const char* reject;  // empty: read
  };
  const Case cases[] = {
      {R"({"type": "incident", "name": "no id"})", "field \"id\" is missing"},
      {R"({"type": "incident", "id": ["incident--2"]})", "field \"id\" must be a non-empty string"},
      {R"({"type": "incident", "id": "incident--2", "created": "last tuesday"})",
       "field \"created\" must be a time (epoch seconds or milliseconds, or ISO 8601)"},
      {R"({"type": "incident", "id": "incident--2", "modified": {}})",
       "field \"modified\" must be a time (epoch seconds or milliseconds, or ISO 8601)"},
      {R"({"type": "incident", "id": "incident--2", "extensions": "x"})", "field \"extensions\" must be an object"},
      {R"({"type": "incident", "id": "incident--2", "extensions": {"extension-definition--ef765651-680c-498d-9894-99799f2fa126": []}})",
       "field \"extensions.extension-definition--ef765651-680c-498d-9894-99799f2fa126\" must be an object"},
      {R"({"type": "incident", "id": "incident--2", "extensions": {"extension-definition--ef765651-680c-498d-9894-99799f2fa126": {"determination": ["blocked"]}}})",
       "field \"extensions.extension-definition--ef765651-680c-498d-9894-99799f2fa126.determination\" must be a string"},
      {R"({"type": "incident", "id": "incident--2", "attacker_activities": {"pattern_ref": "attack-pattern--1"}})",
       "field \"attacker_activities\" must be an array"},
      {R"({"type": "incident", "id": "incident--2", "attacker_activities": [{"pattern_ref": "attack-pattern--1"}, 3]})",
       "field \"attacker_activities[1]\" must be an object"},
      {R"({"type": "incident", "id": "incident--2", "attacker_activities": [{"pattern_ref": ["attack-pattern--1"]}]})",
       "field \"attacker_activities[0].pattern_ref\" must be a string"},
      // Lenient where nothing depends on it: odd names, relationships and sightings of the wrong shape.
      {R"({"type": "incident", "id": "incident--2", "name": 5, "extensions": {"other": 1}}, {"type": "relationship", "source_ref": 7},
          {"type": "sighting", "sighting_of_ref": ["x"]}, {"type": "relationship", "source_ref": "incident--2", "target_ref": "identity--missing"})", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.incident);
    std::string text = std::string(R"({"type": "bundle", "objects": [{"type": "incident", "id": "incident--ok"}, )") + c.incident + "]}";
    auto run = RunReader(StixReader(), "bad.json", text);
    REQUIRE(run->status.ok());
    REQUIRE_FALSE(run->out.incidents.empty());
    CHECK(run->out.incidents.front().incident.id == "stix:incident--ok");
    if (*c.reject == '\0') {
      CHECK(run->out.rejects.empty());
      CHECK(run->out.incidents.size() == 2);
    } else {
      CHECK(Rejects(run->out) == std::vector<std::string>{std::string("bad.json: record 2: ") + c.reject});
      CHECK(run->out.incidents.size() == 1);
    }
  }
  auto not_stix = RunReader(StixReader(), "misp.json", R"({"Event": {"uuid": "u"}})");
  CHECK(not_stix->status.code() == StatusCode::kBadInput);
  CHECK(not_stix->status.message().find("misp.json") == 0);
}

}  // namespace tidemark::importers::incidents::testing
