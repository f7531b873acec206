// Real exports that vendors and projects publish (tests/data/exports/<vendor>/, provenance in
// each PROVENANCE.md), read by their readers: one test per way such an export used to be lost
// or mis-read (issue 12, "Real exports mis-read"), named after what broke, plus the technique
// outcome each source records (SPEC §1 `outcome`).
#include <doctest/doctest.h>

#include "importers/incidents/registry.h"
#include "tests/importers/incidents/reader_test_support.h"

namespace tidemark::importers::incidents::testing {
namespace {

const IncidentReader& ReaderNamed(std::string_view name) {
  const IncidentReader* reader = FindReader(name);
  REQUIRE(reader != nullptr);
  return *reader;
}

// The export, recognised by content as `format` and read without rejects.
std::unique_ptr<ReaderRun> ReadExport(const std::string& relative, std::string_view format) {
  std::string text = ReadText(DataPath(relative));
  CHECK(Detected(text) == format);
  auto run = RunReader(ReaderNamed(format), relative, text);
  REQUIRE(run->status.ok());
  CHECK(Rejects(run->out).empty());
  return run;
}

// "T1059.001/execution/blocked" per technique, in reader order.
std::vector<std::string> Outcomes(const SourceIncident& source) {
  std::vector<std::string> out;
  for (const auto& technique : source.techniques) {
    out.push_back(technique.id + "/" + std::string(model::TechniqueOutcomeName(technique.outcome)));
  }
  return out;
}

}  // namespace

// ---- Microsoft Defender XDR ----

TEST_CASE("a Microsoft Graph alerts_v2 list imports as incidents with title, techniques and assets, not one empty incident") {
  auto run = ReadExport("exports/defender/graph-list-alerts_v2.json", "defender");
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(inc.id == "defender:28282");  // the alert's incidentId
  CHECK(inc.title == "Suspicious execution of hidden file");
  CHECK(Iso(inc.created) == "2021-04-27T12:19:27.721Z");
  CHECK(inc.status == "open");  // the alert is "new"
  CHECK(inc.severity == "low");
  CHECK(Techniques(source) == std::vector<std::string>{"T1564.001/DefenseEvasion"});
  CHECK(Outcomes(source) == std::vector<std::string>{"T1564.001/succeeded"});  // evidence "detected"
  CHECK(Assets(inc) == std::vector<std::string>{"device:tempdns=tempDns"});
}

TEST_CASE("alerts_v2 alerts sharing an incidentId make one incident; an alert without one is its own incident") {
  auto run = RunReader(ReaderNamed("defender"), "alerts.json", R"({"value": [
    {"@odata.type": "#microsoft.graph.security.alert", "id": "a1", "incidentId": "7", "title": "Second", "status": "resolved",
     "severity": "medium", "classification": "truePositive", "category": "Execution", "mitreTechniques": ["T1059.001"],
     "createdDateTime": "2026-01-02T00:00:00Z", "resolvedDateTime": "2026-01-05T00:00:00Z",
     "evidence": [{"@odata.type": "#microsoft.graph.security.userEvidence", "userAccount": {"userPrincipalName": "Jdoe@contoso.com"}},
                  {"@odata.type": "#microsoft.graph.security.processEvidence", "detectionStatus": "prevented"}]},
    {"@odata.type": "#microsoft.graph.security.alert", "id": "a2", "incidentId": "7", "title": "First", "status": "resolved",
     "severity": "high", "classification": "unknown", "category": "CommandAndControl", "mitreTechniques": ["T1105"],
     "createdDateTime": "2026-01-01T00:00:00Z", "resolvedDateTime": "2026-01-04T00:00:00Z",
     "evidence": [{"@odata.type": "#microsoft.graph.security.mailboxEvidence", "primaryAddress": "jdoe@contoso.com"}]},
    {"@odata.type": "#microsoft.graph.security.alert", "id": "a3", "title": "Lonely", "status": "new", "mitreTechniques": ["T1566"]}]})");
  REQUIRE(run->status.ok());
  CHECK(Rejects(run->out).empty());
  REQUIRE(run->out.incidents.size() == 2);
  const SourceIncident& grouped = run->out.incidents[0];
  CHECK(grouped.incident.id == "defender:7");
  CHECK(grouped.incident.title == "First");  // the earliest alert's
  CHECK(Iso(grouped.incident.created) == "2026-01-01T00:00:00Z");
  CHECK(grouped.incident.status == "closed");
  CHECK(Iso(grouped.incident.closed) == "2026-01-05T00:00:00Z");
  CHECK(grouped.incident.severity == "high");
  CHECK(grouped.incident.classification == model::Classification::kTruePositive);
  CHECK(Outcomes(grouped) == std::vector<std::string>{"T1059.001/blocked", "T1105/succeeded"});
  CHECK(Assets(grouped.incident) == std::vector<std::string>{"user:jdoe@contoso.com", "mailbox:jdoe@contoso.com"});
  CHECK(run->out.incidents[1].incident.id == "defender:a3");
  CHECK(run->out.incidents[1].incident.title == "Lonely");
}

TEST_CASE("a Defender incident whose alerts field is not an array is rejected naming the field, not silently emptied") {
  auto run = RunReader(ReaderNamed("defender"), "d.json",
                       R"({"id": "9", "displayName": "x", "createdDateTime": "2026-01-01T00:00:00Z", "alerts": "x"})");
  REQUIRE(run->status.ok());
  CHECK(run->out.incidents.empty());
  CHECK(Rejects(run->out) == std::vector<std::string>{"d.json: record 1: field \"alerts\" must be an array of alerts"});
  auto item = RunReader(ReaderNamed("defender"), "d.json",
                        R"({"id": "9", "displayName": "x", "createdDateTime": "2026-01-01T00:00:00Z", "alerts": [{"evidence": 3}]})");
  CHECK(Rejects(item->out) == std::vector<std::string>{"d.json: record 1: field \"alerts[0].evidence\" must be an array"});
}

TEST_CASE("the legacy Defender /api/incidents export keeps its User and MailBox entities as assets") {
  auto run = ReadExport("exports/defender/legacy-api-incidents.json", "defender");
  REQUIRE(run->out.incidents.size() == 3);
  CHECK(run->out.incidents[0].incident.id == "defender:924565");
  CHECK(Assets(run->out.incidents[0].incident) == std::vector<std::string>{"user:testuser2@contoso.com"});
  CHECK(run->out.incidents[1].incident.id == "defender:924521");
  CHECK(Assets(run->out.incidents[1].incident) == std::vector<std::string>{"device:user5cx.middleeast.corp.contoso.com"});
  CHECK(run->out.incidents[1].incident.threats == std::vector<std::string>{"Mimikatz"});
  CHECK(run->out.incidents[2].incident.title == "Email reported by user as malware or phish");
  CHECK(Assets(run->out.incidents[2].incident) ==
        std::vector<std::string>{"mailbox:testuser3@contoso.com=test User3", "mailbox:test.user4@contoso.com=test User4"});
}

TEST_CASE("a Defender alert whose evidence was prevented or blocked, or an antivirus alert named 'was prevented', is a blocked use") {
  auto run = RunReader(ReaderNamed("defender"), "d.json", R"({"id": "1", "displayName": "x", "createdDateTime": "2026-01-01T00:00:00Z",
    "alerts": [{"title": "a", "mitreTechniques": ["T1059"], "evidence": [{"detectionStatus": "blocked"}, {"detectionStatus": "prevented"}]},
               {"title": "b", "mitreTechniques": ["T1105"], "evidence": [{"detectionStatus": "blocked"}, {"detectionStatus": "detected"}]},
               {"title": "'Mimikatz' hacktool was prevented", "mitreTechniques": ["T1003"]},
               {"title": "'Mimikatz' hacktool was detected", "mitreTechniques": ["T1003.001"]}]})");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(Outcomes(run->out.incidents[0]) ==
        std::vector<std::string>{"T1059/blocked", "T1105/succeeded", "T1003/blocked", "T1003.001/succeeded"});
}

// ---- OCSF ----

TEST_CASE("an OCSF 1.0 Security Finding (class 2001) is read, not refused: finding.uid, title, state_id") {
  auto hub = ReadExport("exports/ocsf/security-hub-security-finding-1.0.json", "ocsf");
  REQUIRE(hub->out.incidents.size() == 1);
  const model::Incident& finding = hub->out.incidents[0].incident;
  CHECK(finding.id ==
        "ocsf:arn:aws:securityhub:us-east-1:123456789100:subscription/cis-aws-foundations-benchmark/v/1.2.0/3.9/finding/randomsample");
  CHECK(finding.title == "EC2.19 Security groups should not allow unrestricted access to ports with high risk");
  CHECK(Iso(finding.created) == "2021-10-28T19:33:39.417Z");
  CHECK(finding.status == "closed");  // state_id 3 Suppressed
  CHECK(Iso(finding.closed) == "2022-08-04T18:09:19.100Z");
  CHECK(finding.severity == "informational");
  CHECK(Assets(finding) ==
        std::vector<std::string>{"cloud-resource:arn:aws:ec2:us-east-1:123456789100:security-group/sg-1234567899900"});
  auto offense = ReadExport("exports/ocsf/qradar-offense-security-finding-1.0.json", "ocsf");
  REQUIRE(offense->out.incidents.size() == 1);
  CHECK(offense->out.incidents[0].incident.id == "ocsf:591");
  CHECK(offense->out.incidents[0].incident.status == "open");  // state_id 2 In Progress
}

TEST_CASE("an OCSF finding whose disposition is Blocked, Quarantined, Deleted or Dropped, or whose action is Denied, has blocked techniques") {
  auto outcome_of = [](const std::string& fields) {
    auto run = RunReader(ReaderNamed("ocsf"), "o.json",
                         R"({"class_uid": 2004, "time": 1, "finding_info": {"uid": "f", "attacks": [{"technique": {"uid": "T1059"}}]}, )" +
                             fields + "}");
    REQUIRE(run->out.incidents.size() == 1);
    return Outcomes(run->out.incidents[0]).at(0);
  };
  CHECK(outcome_of(R"("disposition_id": 2)") == "T1059/blocked");
  CHECK(outcome_of(R"("disposition_id": 3)") == "T1059/blocked");
  CHECK(outcome_of(R"("disposition_id": 6)") == "T1059/blocked");
  CHECK(outcome_of(R"("disposition_id": 1, "action_id": 2)") == "T1059/succeeded");  // the disposition decides
  CHECK(outcome_of(R"("disposition_id": 15)") == "T1059/succeeded");                 // Detected
  CHECK(outcome_of(R"("action_id": 2)") == "T1059/blocked");
  CHECK(outcome_of(R"("disposition": "Quarantined")") == "T1059/blocked");
  CHECK(outcome_of(R"("disposition_id": 0)") == "T1059/succeeded");
  // A later Update of the finding that says Blocked speaks for the Create before it.
  auto run = RunReader(ReaderNamed("ocsf"), "o.ndjson",
                       "{\"class_uid\": 2004, \"time\": 1, \"finding_info\": {\"uid\": \"f\", \"attacks\": [{\"technique\": {\"uid\": \"T1059\"}}]}}\n"
                       "{\"class_uid\": 2004, \"time\": 2, \"disposition_id\": 2, \"finding_info\": {\"uid\": \"f\"}}\n");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(Outcomes(run->out.incidents[0]) == std::vector<std::string>{"T1059/blocked"});
}

// ---- Elastic ----

TEST_CASE("an Elastic Defend alert document without _id is read under its event.id, not refused") {
  auto run = ReadExport("exports/elastic/endpoint-malware-prevention-alert.json", "elastic");
  REQUIRE(run->out.incidents.size() == 1);
  const model::Incident& inc = run->out.incidents[0].incident;
  CHECK(inc.id == "elastic:MYfSjQEEEFe1o09b+++++D5Q");
  CHECK(inc.title == "Malware Prevention Alert");
  CHECK(Iso(inc.created) == "2022-04-04T12:15:41.594Z");
  CHECK(inc.status == "open");
  CHECK(inc.severity == "high");  // event.risk_score 73
  CHECK(Assets(inc) == std::vector<std::string>{"device:security-win-1", "user:nt authority\\system"});
}

TEST_CASE("an Elastic Defend prevention alert (event.type denied) has blocked techniques; a detection alert has succeeded ones") {
  auto outcome_of = [](const std::string& event) {
    auto run = RunReader(ReaderNamed("elastic"), "e.json",
                         R"({"event": )" + event + R"(, "message": "m", "threat": {"technique": {"id": ["T1486"]}}})");
    REQUIRE(run->out.incidents.size() == 1);
    return Outcomes(run->out.incidents[0]).at(0);
  };
  CHECK(outcome_of(R"({"kind": "alert", "module": "endpoint", "id": "1", "type": ["info", "change", "denied"]})") == "T1486/blocked");
  CHECK(outcome_of(R"({"kind": "alert", "module": "endpoint", "id": "1", "type": ["info", "change", "allowed"]})") == "T1486/succeeded");
  auto kibana = RunReader(ReaderNamed("elastic"), "k.json", R"({"_id": "a1", "kibana.alert.rule.name": "Ransomware - Prevented - Elastic Defend",
    "kibana.alert.original_event.type": ["info", "denied"],
    "kibana.alert.rule.threat": [{"framework": "MITRE ATT&CK", "tactic": {"id": "TA0040"}, "technique": [{"id": "T1486"}]}]})");
  REQUIRE(kibana->out.incidents.size() == 1);
  CHECK(Outcomes(kibana->out.incidents[0]) == std::vector<std::string>{"T1486/blocked"});
}

// ---- Splunk ----

TEST_CASE("a raw index=notable row without event_id is read under the id ES would give it") {
  // The fields of a raw notable as ES stores it (a notable of the same shape is published in
  // Splunk SOAR/Phantom community scripts): event_id is computed at search time from them.
  const std::string row = R"({"_time": "2019-07-29T10:51:08.000-06:00", "index": "notable", "sourcetype": "stash",
    "_bkt": "notable~171~7EAF4AF4-7392-4442-A0BE-AEEFDE9A996F", "event_hash": "3d4071abbf91141c5d789b1d403004b8",
    "orig_sid": "scheduler__x_at_1564419060_96202", "orig_rid": "0",
    "search_name": "Access - MW-006b Possible medium Sourcefire IPS event - Rule",
    "rule_name": "MW-006b Possible medium Sourcefire IPS event", "security_domain": "access",
    "severity": "medium", "urgency": "low", "status": "1", "action": "blocked",
    "annotations.mitre_attack": ["T1190"]})";
  CHECK(Detected(row) == "splunk");
  auto run = RunReader(ReaderNamed("splunk"), "n.json", row);
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  CHECK(source.incident.id == "splunk:7EAF4AF4-7392-4442-A0BE-AEEFDE9A996F@@notable@@3d4071abbf91141c5d789b1d403004b8");
  CHECK(source.incident.title == "MW-006b Possible medium Sourcefire IPS event");
  CHECK(Iso(source.incident.created) == "2019-07-29T16:51:08Z");
  CHECK(Outcomes(source) == std::vector<std::string>{"T1190/blocked"});  // action=blocked
  auto hash_only = RunReader(ReaderNamed("splunk"), "n.json", R"({"event_hash": "abc", "search_name": "S"})");
  REQUIRE(hash_only->out.incidents.size() == 1);
  CHECK(hash_only->out.incidents[0].incident.id == "splunk:abc");
  auto sid_only = RunReader(ReaderNamed("splunk"), "n.json", R"({"orig_sid": "sid1", "orig_rid": "3", "search_name": "S"})");
  REQUIRE(sid_only->out.incidents.size() == 1);
  CHECK(sid_only->out.incidents[0].incident.id == "splunk:sid1@@3");
}

TEST_CASE("a Splunk notable whose action is allowed, or mixes allowed and blocked, has succeeded techniques") {
  auto run = RunReader(ReaderNamed("splunk"), "n.ndjson",
                       "{\"event_id\": \"a\", \"rule_name\": \"r\", \"action\": \"allowed\", \"annotations.mitre_attack\": [\"T1110\"]}\n"
                       "{\"event_id\": \"b\", \"rule_name\": \"r\", \"action\": [\"blocked\", \"allowed\"], \"annotations.mitre_attack\": [\"T1110\"]}\n"
                       "{\"event_id\": \"c\", \"rule_name\": \"r\", \"action\": [\"blocked\", \"dropped\"], \"annotations.mitre_attack\": [\"T1110\"]}\n");
  REQUIRE(run->out.incidents.size() == 3);
  CHECK(Outcomes(run->out.incidents[0]) == std::vector<std::string>{"T1110/succeeded"});
  CHECK(Outcomes(run->out.incidents[1]) == std::vector<std::string>{"T1110/succeeded"});
  CHECK(Outcomes(run->out.incidents[2]) == std::vector<std::string>{"T1110/blocked"});
}

// ---- MISP ----

TEST_CASE("a MISP attack-pattern cluster with a two-part kill chain (mitre-attack:discovery) keeps its tactic") {
  auto run = RunReader(ReaderNamed("misp"), "m.json", R"({"Event": {"uuid": "u", "info": "i", "Galaxy": [
    {"type": "mitre-attack-pattern", "GalaxyCluster": [
      {"value": "System Information Discovery - T1082", "meta": {"external_id": ["T1082"], "kill_chain": ["mitre-attack:discovery"]}},
      {"value": "Process Discovery - T1057", "meta": {"external_id": "T1057", "kill_chain": "mitre-attack:discovery"}},
      {"value": "Remote Services - T1021", "meta": {"external_id": ["T1021"],
        "kill_chain": ["attack-Windows:lateral-movement", "attack-Linux:lateral-movement", "attack-macOS:lateral-movement"]}},
      {"value": "Valid Accounts - T1078", "meta": {"external_id": ["T1078"],
        "kill_chain": ["mitre-attack:defense-evasion", "mitre-attack:persistence"]}}]}]}})");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(Techniques(run->out.incidents[0]) ==
        std::vector<std::string>{"T1082/discovery", "T1057/discovery", "T1021/lateral-movement", "T1078/"});
}

TEST_CASE("a MISP cluster's CAPEC-576 external id is not an unknown technique; ATLAS ids are kept") {
  auto run = RunReader(ReaderNamed("misp"), "m.json", R"({"Event": {"uuid": "u", "info": "i",
    "Tag": [{"name": "misp-galaxy:mitre-attack-pattern=\"Group Policy Discovery - CAPEC-576\""}],
    "Galaxy": [{"type": "mitre-attack-pattern", "GalaxyCluster": [
      {"value": "Group Policy Discovery - T1615", "meta": {"external_id": ["T1615", "CAPEC-576"]}},
      {"value": "ML Model Inference API Access - AML.T0040", "meta": {"external_id": "AML.T0040"}}]}]}})");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(Techniques(run->out.incidents[0]) == std::vector<std::string>{"T1615/", "AML.T0040/"});
}

TEST_CASE("a bare MISP event (PyMISP to_json, no Event wrapper) is read, and one without uuid is rejected naming uuid") {
  const std::string bare = R"({"uuid": "5f2a9c1e-0000-4000-8000-000000000001", "info": "BabyShark phishing", "date": "2019-02-22",
    "analysis": "2", "threat_level_id": "2", "timestamp": "1550880000",
    "Tag": [{"name": "tlp:white"}, {"name": "misp-galaxy:mitre-attack-pattern=\"Spearphishing Attachment - T1566.001\""}],
    "Galaxy": [{"type": "tool", "name": "Tool", "GalaxyCluster": [{"type": "tool", "value": "BabyShark",
      "tag_name": "misp-galaxy:tool=\"BabyShark\"", "meta": {"refs": ["https://unit42.paloaltonetworks.com/new-babyshark-malware-targets-u-s-national-security-think-tanks/"]}}]}]})";
  CHECK(Detected(bare) == "misp");
  auto run = RunReader(ReaderNamed("misp"), "e.json", bare);
  CHECK(Rejects(run->out).empty());
  REQUIRE(run->out.incidents.size() == 1);
  const model::Incident& inc = run->out.incidents[0].incident;
  CHECK(inc.id == "misp:5f2a9c1e-0000-4000-8000-000000000001");
  CHECK(inc.title == "BabyShark phishing");
  CHECK(inc.status == "closed");
  CHECK(Techniques(run->out.incidents[0]) == std::vector<std::string>{"T1566.001/"});
  CHECK(inc.threats == std::vector<std::string>{"BabyShark"});  // the normaliser resolves it to S0414
  // PyMISP's own test event (tests/mispevent_testfiles/event_tags.json) has no uuid.
  auto no_uuid = RunReader(ReaderNamed("misp"), "t.json",
                           R"({"Tag": [{"name": "bar"}], "analysis": "1", "date": "2017-12-31", "info": "This is a test", "threat_level_id": "1"})");
  CHECK(no_uuid->out.incidents.empty());
  CHECK(Rejects(no_uuid->out) == std::vector<std::string>{"t.json: record 1: field \"uuid\" is missing"});
}

TEST_CASE("the generic MISP tool galaxy tag names a threat, as the tool galaxy cluster does") {
  auto run = RunReader(ReaderNamed("misp"), "m.json",
                       R"({"Event": {"uuid": "u", "info": "i", "Tag": [{"name": "misp-galaxy:tool=\"BabyShark\""}]}})");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(run->out.incidents[0].incident.threats == std::vector<std::string>{"BabyShark"});
}

// ---- STIX 2.1 ----

TEST_CASE("STIX incidents that name ATT&CK attack-patterns only by STIX id get those techniques from the loaded ATT&CK data") {
  std::string store = tidemark::testing::StoreWithAttack();
  auto imported = tidemark::testing::RunTidemark(
      {"--store", store, "import", "incidents", DataPath("exports/stix/incident_sample_activity.json")});
  CHECK_MESSAGE(imported.exit_code == 0, imported.err);
  auto listed = tidemark::testing::RunTidemark({"--store", store, "--json", "incident", "stix:incident--2242662b-d581-4864-8696-fff719dc0500"});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  rapidjson::Document doc;
  doc.Parse(listed.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  const rapidjson::Value* incident = doc.HasMember("incident") ? &doc["incident"] : &doc;
  std::vector<std::string> techniques;
  for (const auto& technique : (*incident)["techniques"].GetArray()) {
    std::string id = technique["id"].GetString();
    if (technique.HasMember("revoked_from")) id += "<" + std::string(technique["revoked_from"].GetString());
    techniques.push_back(id);
  }
  CHECK(techniques == std::vector<std::string>{"T1021.001<T1076", "T1136.002", "T1189", "T1566.001<T1193"});
  CHECK((!incident->HasMember("unknown_techniques") || (*incident)["unknown_techniques"].Empty()));
}

// ---- Attack Flow ----

TEST_CASE("an Attack Flow Builder file of the earlier format (version 0.1.0, inline schema) is read, not refused") {
  auto run = ReadExport("exports/attack-flow/builder-0.1.0-action.afb", "attack-flow");
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  CHECK(source.incident.id == "attack-flow:attack-flow--46af138f-b8c2-4432-9777-41eec8a53ca6:action");
  CHECK(source.incident.title == "action");
  CHECK(source.incident.status == "closed");
  CHECK(Techniques(source) == std::vector<std::string>{"T1566.001/", "T1204.002/"});
}

namespace {

std::string FlowBundle(const std::string& name, const std::string& technique) {
  return R"({"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "attack-flow", "id": "attack-flow--d2ec54a5-a9b4-44f2-b649-610ee72ccf2c", "spec_version": "2.1",
     "created": "2022-09-15T00:00:00Z", "modified": "2022-09-15T00:00:00Z", "name": ")" + name + R"(", "start_refs": ["attack-action--a"]},
    {"type": "attack-action", "id": "attack-action--a", "spec_version": "2.1", "name": "step")" +
         (technique.empty() ? std::string() : R"(, "technique_id": ")" + technique + "\"") + "}]}";
}

}  // namespace

TEST_CASE("Attack Flow STIX bundles that share a flow id import as separate incidents, not over each other") {
  auto cisa = RunReader(ReaderNamed("attack-flow"), "cisa.json", FlowBundle("Conti CISA Alert", "T1566"));
  auto pwc = RunReader(ReaderNamed("attack-flow"), "pwc.json", FlowBundle("Conti PWC", "T1133"));
  REQUIRE(cisa->out.incidents.size() == 1);
  REQUIRE(pwc->out.incidents.size() == 1);
  CHECK(cisa->out.incidents[0].incident.id == "attack-flow:attack-flow--d2ec54a5-a9b4-44f2-b649-610ee72ccf2c:conti-cisa-alert");
  CHECK(pwc->out.incidents[0].incident.id == "attack-flow:attack-flow--d2ec54a5-a9b4-44f2-b649-610ee72ccf2c:conti-pwc");
  // End to end: both stay in the store.
  std::string dir = tidemark::testing::TempDir("flows");
  tidemark::testing::WriteText(dir + "/cisa.json", FlowBundle("Conti CISA Alert", "T1566"));
  tidemark::testing::WriteText(dir + "/pwc.json", FlowBundle("Conti PWC", "T1133"));
  std::string store = tidemark::testing::StoreWithAttack();
  auto imported = tidemark::testing::RunTidemark({"--store", store, "import", "incidents", dir});
  CHECK_MESSAGE(imported.exit_code == 0, imported.err);
  auto listed = tidemark::testing::RunTidemark({"--store", store, "--json", "incidents"});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find(":conti-cisa-alert\"") != std::string::npos);
  CHECK(listed.out.find(":conti-pwc\"") != std::string::npos);
}

TEST_CASE("an Attack Flow whose actions carry no readable technique imports with a warning naming it") {
  std::string dir = tidemark::testing::TempDir("flows");
  tidemark::testing::WriteText(dir + "/empty.json", FlowBundle("Narrative only", ""));
  std::string store = tidemark::testing::StoreWithAttack();
  auto imported = tidemark::testing::RunTidemark({"--store", store, "import", "incidents", dir + "/empty.json"});
  CHECK_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.err.find("attack flow \"Narrative only\" has no action with a readable technique") != std::string::npos);
  auto quiet = RunReader(ReaderNamed("attack-flow"), "ok.json", FlowBundle("With one", "T1566"));
  REQUIRE(quiet->out.incidents.size() == 1);
  CHECK(Techniques(quiet->out.incidents[0]) == std::vector<std::string>{"T1566/"});
}

// ---- Sentinel ----

TEST_CASE("Sentinel SecurityIncident and SecurityAlert rows exported as CSV from Log Analytics are read") {
  // The portal's "Export to CSV": datetime columns named "X [UTC]" holding "M/D/YYYY, h:mm:ss.fff AM",
  // dynamic columns as JSON text; a union of both tables has every column of both.
  const std::string csv =
      "TenantId,\"TimeGenerated [UTC]\",Type,IncidentNumber,Title,Severity,Status,Classification,"
      "\"CreatedTime [UTC]\",\"ClosedTime [UTC]\",\"LastModifiedTime [UTC]\",AlertIds,AdditionalData,"
      "SystemAlertId,AlertName,Tactics,Techniques,SubTechniques,Entities\r\n"
      "t1,\"3/4/2025, 9:13:30.000 AM\",SecurityIncident,4821,\"Suspicious PowerShell download on WS-FIN-042\",High,Active,,"
      "\"3/4/2025, 9:13:30.000 AM\",,\"3/4/2025, 9:13:30.000 AM\",\"[\"\"5e3a0c51\"\"]\",\"{\"\"techniques\"\":[\"\"T1059\"\"]}\",,,,,,\r\n"
      "t1,\"3/5/2025, 4:40:05.120 PM\",SecurityIncident,4821,\"Suspicious PowerShell download on WS-FIN-042\",High,Closed,TruePositive,"
      "\"3/4/2025, 9:13:30.000 AM\",\"3/5/2025, 4:40:05.120 PM\",\"3/5/2025, 4:40:05.120 PM\",\"[\"\"5e3a0c51\"\"]\","
      "\"{\"\"alertsCount\"\":1,\"\"tactics\"\":[\"\"Execution\"\"],\"\"techniques\"\":[\"\"T1059\"\"]}\",,,,,,\r\n"
      "t1,\"3/4/2025, 9:12:44.000 AM\",SecurityAlert,,,,,,,,,,,5e3a0c51,\"Suspicious PowerShell download\",\"Execution,CommandAndControl\","
      "\"[\"\"T1059\"\",\"\"T1105\"\"]\",\"[\"\"T1059.001\"\"]\","
      "\"[{\"\"$id\"\":\"\"3\"\",\"\"Type\"\":\"\"host\"\",\"\"HostName\"\":\"\"WS-FIN-042\"\",\"\"DnsDomain\"\":\"\"contoso.local\"\"}]\"\r\n";
  CHECK(Detected(csv) == "sentinel");
  auto run = RunReader(ReaderNamed("sentinel"), "incidents.csv", csv);
  REQUIRE(run->status.ok());
  CHECK(Rejects(run->out).empty());
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(inc.id == "sentinel:4821");
  CHECK(inc.title == "Suspicious PowerShell download on WS-FIN-042");
  CHECK(inc.status == "closed");  // the latest row by LastModifiedTime
  CHECK(Iso(inc.created) == "2025-03-04T09:13:30Z");
  CHECK(Iso(inc.closed) == "2025-03-05T16:40:05.120Z");
  CHECK(inc.classification == model::Classification::kTruePositive);
  CHECK(inc.severity == "high");
  CHECK(Techniques(source) == std::vector<std::string>{"T1059/Execution", "T1059/", "T1105/", "T1059.001/"});
  CHECK(Assets(inc) == std::vector<std::string>{"device:ws-fin-042.contoso.local=WS-FIN-042"});
}

TEST_CASE("a CSV that is not a Sentinel export is left to the CSV reader") {
  CHECK(Detected("id,title,techniques\nI-1,x,T1059\n") == "csv");
}

// ---- CSV ----

TEST_CASE("a CSV technique entry may carry its outcome after the tactic, and a malformed entry is rejected naming the column") {
  auto run = RunReader(ReaderNamed("csv"), "i.csv",
                       "id,techniques\nI-1,T1059.001:execution:blocked;T1105:blocked;T1566.001:initial-access;T1003\n"
                       "I-2,T1059:execution:sideways\n");
  REQUIRE(run->out.incidents.size() == 1);
  CHECK(Outcomes(run->out.incidents[0]) ==
        std::vector<std::string>{"T1059.001/blocked", "T1105/blocked", "T1566.001/succeeded", "T1003/succeeded"});
  CHECK(Techniques(run->out.incidents[0]) ==
        std::vector<std::string>{"T1059.001/execution", "T1105/", "T1566.001/initial-access", "T1003/"});
  REQUIRE(run->out.rejects.size() == 1);
  CHECK(run->out.rejects[0].reason.find("column \"techniques\"") != std::string::npos);
}


// ---- Real MISP, Sentinel, Splunk and TheHive exports (issue 12) ----

namespace {

// The incident `id` as `tidemark --json incident` shows it after importing `relative` into a
// store holding ATT&CK: the importer's normaliser has resolved threat names to ATT&CK ids.
rapidjson::Document ImportedIncident(const std::string& relative, const std::string& id) {
  std::string store = tidemark::testing::StoreWithAttack();
  auto imported = tidemark::testing::RunTidemark({"--store", store, "import", "incidents", DataPath(relative)});
  CHECK_MESSAGE(imported.exit_code == 0, imported.err);
  auto listed = tidemark::testing::RunTidemark({"--store", store, "--json", "incident", id});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  rapidjson::Document doc;
  doc.Parse(listed.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::vector<std::string> TextList(const rapidjson::Value& list) {
  std::vector<std::string> out;
  for (const auto& item : list.GetArray()) out.emplace_back(item.GetString());
  return out;
}

}  // namespace

TEST_CASE("a CIRCL OSINT MISP event (BabyShark) keeps its attack-pattern galaxy technique and resolves its actor and tool tags") {
  auto run = ReadExport("exports/misp/circl-osint-babyshark-event.json", "misp");
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(inc.id == "misp:5c706a30-8ad4-4fcc-9e17-4d3d02de0b81");
  CHECK(inc.title == "OSINT - New BabyShark Malware Targets U.S. National Security Think Tanks");
  CHECK(Iso(inc.created) == "2019-02-22T00:00:00Z");  // Event.date
  CHECK(inc.status == "open");                         // analysis "0" Initial, although published
  CHECK(Iso(inc.closed) == "-");
  CHECK(inc.severity == "low");  // threat_level_id "3"
  CHECK(inc.classification == model::Classification::kTruePositive);  // no false-positive taxonomy tag
  // The tag and the galaxy cluster name the same (Mobile, since deprecated) technique.
  CHECK(Techniques(source) == std::vector<std::string>{"T1441/", "T1441/"});
  CHECK(Outcomes(source) == std::vector<std::string>{"T1441/succeeded", "T1441/succeeded"});
  CHECK(inc.threats == std::vector<std::string>{"BabyShark", "STOLEN PENCIL"});  // misp-galaxy:tool / threat-actor tags
  CHECK(Assets(inc).empty());  // url, sha256, filename: indicators, not the victim's assets
  // Imported: the threats resolve to ATT&CK (BabyShark S0414; STOLEN PENCIL, an alias of
  // Kimsuky G0094); T1441 is not an Enterprise technique and stays unknown, not dropped.
  rapidjson::Document doc = ImportedIncident("exports/misp/circl-osint-babyshark-event.json", inc.id);
  const rapidjson::Value& imported = doc["incident"];
  CHECK(TextList(imported["threats"]) == std::vector<std::string>{"G0094", "S0414"});
  CHECK(imported["techniques"].Empty());
  CHECK(TextList(imported["unknown_techniques"]) == std::vector<std::string>{"T1441"});
}

TEST_CASE("PyMISP's Sednit OSINT event names APT28 and its malware by MISP cluster names that resolve to ATT&CK ids") {
  auto run = ReadExport("exports/misp/pymisp-sednit-existing-event.json", "misp");
  REQUIRE(run->out.incidents.size() == 1);
  const model::Incident& inc = run->out.incidents[0].incident;
  CHECK(inc.id == "misp:5a3c2fcd-8328-42bb-a95e-4f4402de0b81");
  CHECK(inc.title == "OSINT - Sednit update: How Fancy Bear Spent the Year");
  CHECK(Iso(inc.created) == "2017-12-21T00:00:00Z");
  CHECK(inc.status == "open");  // analysis "0"
  CHECK(inc.severity == "low");  // threat_level_id "3"
  CHECK(run->out.incidents[0].techniques.empty());
  CHECK(Assets(inc).empty());  // its domains are C2 indicators
  rapidjson::Document doc = ImportedIncident("exports/misp/pymisp-sednit-existing-event.json", inc.id);
  // Sofacy -> APT28; GAMEFISH/JHUHUGIT, X-Tunnel/XTunnel, EVILTOSS/ADVSTORESHELL and
  // X-Agent/CHOPSTICK are one ATT&CK software each; USBStealer, XAgentOSX, Downdelph.
  CHECK(TextList(doc["incident"]["threats"]) ==
        std::vector<std::string>{"G0007", "S0023", "S0044", "S0045", "S0117", "S0134", "S0136", "S0161"});
}

TEST_CASE("the Microsoft.SecurityInsights 2024-09-01 'list incidents' example reads as one closed false-positive incident") {
  auto run = ReadExport("exports/sentinel/arm-list-incidents.json", "sentinel");
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(inc.id == "sentinel:3177");  // properties.incidentNumber, not the resource GUID
  CHECK(inc.title == "My incident");
  CHECK(Iso(inc.created) == "2019-01-01T13:15:30Z");
  CHECK(inc.status == "closed");
  CHECK(Iso(inc.closed) == "2019-01-01T13:15:30Z");  // the API has no closed time: lastModifiedTimeUtc
  CHECK(inc.classification == model::Classification::kFalsePositive);
  CHECK(inc.severity == "high");
  CHECK(source.techniques.empty());  // additionalData.tactics ["Persistence"] names no technique
  CHECK(Assets(inc).empty());        // the owner is the analyst, not an asset
  CHECK(inc.threats.empty());
}

TEST_CASE("a Splunk ES notable as the XSOAR SplunkPy integration fetches it is read under its event_id") {
  auto run = ReadExport("exports/splunk/xsoar-notable-event.json", "splunk");
  REQUIRE(run->out.incidents.size() == 1);
  const SourceIncident& source = run->out.incidents[0];
  const model::Incident& inc = source.incident;
  CHECK(inc.id == "splunk:5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417");
  CHECK(inc.title == "Root user use");  // rule_title before rule_name "Root sucess"
  CHECK(Iso(inc.created) == "2024-06-05T09:15:24Z");
  CHECK(inc.status == "open");  // status "1" New
  CHECK(Iso(inc.closed) == "-");
  CHECK(inc.classification == model::Classification::kUndetermined);  // disposition:6
  CHECK(inc.severity == "informational");
  CHECK(source.techniques.empty());  // no annotations.mitre_attack in this notable
  // dest, dvc (orig_host repeats dest), user, src_user: the published values are redacted "xxx".
  CHECK(Assets(inc) == std::vector<std::string>{"device:xxx.xxx.x.x", "device:xxx", "user:root", "user:xxx"});
}

TEST_CASE("raw index=notable rows without event_id or event_hash (XSOAR SplunkPy test data)") {
  // Two notables of one correlation search as `search index=notable` returns them: `_bkt`
  // names the indexer GUID, but neither event_id, event_hash nor orig_sid is present. The id is
  // rebuilt as ES's get_event_id does: <indexer guid>@@notable@@md5(_time . _raw), _time in
  // epoch seconds (2020-08-24T12:10:17-07:00 = 1598296217).
  const std::string relative = "exports/splunk/xsoar-raw-notables-without-event-id.json";
  std::string text = ReadText(DataPath(relative));
  CHECK(Detected(text) == "splunk");
  auto run = RunReader(ReaderNamed("splunk"), relative, text);
  REQUIRE(run->status.ok());
  REQUIRE(run->out.incidents.size() == 2);
  CHECK(Rejects(run->out).empty());
  for (const auto& source : run->out.incidents) {
    CHECK(source.incident.title == "Endpoint - Recurring Malware Infection - Rule");
    CHECK(source.incident.status == "open");
    CHECK(source.incident.severity == "low");  // severity "unknown", urgency "low"
    CHECK(Assets(source.incident) == std::vector<std::string>{"device:acme-workstation-012"});
  }
  CHECK(Iso(run->out.incidents[0].incident.created) == "2020-08-24T19:10:17Z");
  CHECK(Iso(run->out.incidents[1].incident.created) == "2020-08-24T20:30:17Z");
  CHECK(run->out.incidents[0].incident.id ==
        "splunk:66D21DF4-F4FD-4886-A986-82E72ADCBFE9@@notable@@6303553fd1db270f28e0487baa8fae25");
  CHECK(run->out.incidents[1].incident.id ==
        "splunk:66D21DF4-F4FD-4886-A986-82E72ADCBFE9@@notable@@a58dafa14cfa263d816319766810f8a8");
}

TEST_CASE("TheHive v1 API case list (XSOAR TheHiveProject test data) reads as open cases under their _id") {
  auto run = ReadExport("exports/thehive/xsoar-cases-list.json", "thehive");
  REQUIRE(run->out.incidents.size() == 2);
  const model::Incident& first = run->out.incidents[0].incident;
  CHECK(first.id == "thehive:~3878920");
  CHECK(first.title == "new case");
  CHECK(Iso(first.created) == "2023-11-06T13:19:27.802Z");  // _createdAt, epoch ms
  CHECK(first.status == "open");                          // status "Open"
  CHECK(Iso(first.closed) == "-");
  CHECK(first.severity == "low");  // severity 1
  CHECK(first.classification == model::Classification::kUndetermined);
  CHECK(run->out.incidents[0].techniques.empty());
  CHECK(Assets(first).empty());
  const model::Incident& second = run->out.incidents[1].incident;
  CHECK(second.id == "thehive:~3924096");
  CHECK(Iso(second.created) == "2023-11-06T13:20:29.936Z");
  CHECK(second.status == "open");
}

}  // namespace tidemark::importers::incidents::testing
