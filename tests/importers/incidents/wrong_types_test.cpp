// Issue 12: a field that carries techniques, tactics, threats, assets, times or ids, written
// with the wrong JSON type, used to be read as missing by most readers (exit 0, the techniques
// or threat silently gone). Every reader now checks its records against one shared rule
// (importers/incidents/field_checks.h): each row below takes a format's sample export, breaks
// one such field, and expects exit 2 with file, record and field path named and the store
// unchanged; with --skip-invalid the other records import and the broken one is reported.
// A Sentinel file of SecurityAlert rows alone is refused as a file (nothing to attach them to).
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

// The store's observable state: counts and every stored record.
std::string StoreSnapshot(const std::string& store) {
  auto info = RunTidemark({"--store", store, "--json", "info"});
  auto list = RunTidemark({"--store", store, "--json", "incidents"});
  REQUIRE(info.exit_code == 0);
  REQUIRE(list.exit_code == 0);
  return info.out.substr(info.out.find("schema_version")) + list.out;
}

std::string Serialise(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  value.Accept(writer);
  return buf.GetString();
}

// `text` with each JSON pointer set to its JSON value: in the whole document when `line` is 0,
// else in that NDJSON line (from 1).
std::string Mutated(const std::string& text, int line, const std::vector<std::pair<const char*, const char*>>& sets) {
  auto apply = [&](const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    for (const auto& [pointer, value] : sets) {
      rapidjson::Document replacement(&doc.GetAllocator());
      replacement.Parse(value);
      REQUIRE_FALSE(replacement.HasParseError());
      rapidjson::Pointer(pointer).Set(doc, replacement);
    }
    return Serialise(doc);
  };
  if (line == 0) return apply(text);
  std::string out;
  size_t start = 0;
  for (int number = 1; start < text.size(); ++number) {
    size_t end = text.find('\n', start);
    std::string current = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += (number == line ? apply(current) : current) + "\n";
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("wrong-typed fields are refused in every reader, not dropped") {
  struct Case {
    const char* fixture;  // under tests/data/incidents
    int line;             // 0: one JSON document; N: NDJSON line N
    std::vector<std::pair<const char*, const char*>> sets;  // JSON pointer -> JSON value
    const char* expected;  // in stderr, right after the file path
  };
  const Case cases[] = {
      // The reader that already refused it: the class every other row joins.
      {"defender/graph_incidents.json", 0, {{"/value/0/alerts", R"("x")"}},
       ": record 1: field \"alerts\" must be an array of alerts"},
      {"elastic/alerts_search.json", 0, {{"/hits/hits/0/_source/kibana.alert.rule.threat", R"("x")"}},
       ": hit 1: field \"_source.kibana.alert.rule.threat\" must be an array"},
      {"ocsf/findings.ndjson", 1, {{"/finding_info/attacks", R"("x")"}},
       ":1: field \"finding_info.attacks\" must be an array"},
      {"splunk/notables.json", 0,
       {{"/results/0/annotations.mitre_attack", R"({"a": 1})"},
        {"/results/0/annotations.mitre_attack.mitre_technique_id", R"({"a": 1})"},
        {"/results/0/annotations.mitre_attack.mitre_tactic_id", R"({"a": 1})"}},
       ": record 1: field \"annotations.mitre_attack.mitre_technique_id\" must be an array of strings or a string"},
      {"sentinel/arm_incidents.json", 0, {{"/value/0/properties/additionalData", R"("x")"}},
       ": record 1: field \"properties.additionalData\" must be an object (or a string holding a JSON object)"},
      {"sentinel/log_analytics_rows.ndjson", 2, {{"/Techniques", R"({"a": 1})"}},
       ":2: field \"Techniques\" must be an array of strings or a string"},
      {"thehive/cases.json", 0, {{"/0/tags", "5"}}, ": record 1: field \"tags\" must be an array of strings"},
      {"stix/incident_bundle.json", 0, {{"/objects/0/attacker_activities", R"([{"pattern_ref": 7}, "x"])"}},
       ": record 1: field \"attacker_activities[1]\" must be an object"},
      {"misp/event.json", 0, {{"/Event/Galaxy/0/GalaxyCluster", R"("x")"}},
       ": record 1: field \"Event.Galaxy[0].GalaxyCluster\" must be an array"},
      {"attack-flow/small_flow.afb", 0, {{"/objects/1/properties/2/1", R"(["T1133"])"}},
       ": objects[1] (action 0c9a8b7d-1111-4aaa-8bbb-000000000001): field \"technique_id\" must be a string"},
      {"native/incidents.json", 0, {{"/incidents/0/threats", "7"}},
       ": record 1: field \"threats\" must be an array of strings"},
  };
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", DataPath("incidents/csv/incidents.csv")}).exit_code == 0);
  std::string dir = TempDir("wrong-types");
  int index = 0;
  for (const auto& c : cases) {
    std::string name = c.fixture;
    CAPTURE(name);
    std::string path = dir + "/" + std::to_string(++index) + "-" + name.substr(name.rfind('/') + 1);
    WriteText(path, Mutated(ReadText(DataPath(std::string("incidents/") + c.fixture)), c.line, c.sets));
    std::string before = StoreSnapshot(store);
    auto strict = RunTidemark({"--store", store, "import", "incidents", path});
    CHECK(strict.exit_code == 2);
    CHECK(strict.out.empty());
    CHECK_MESSAGE(strict.err.find(path + c.expected) != std::string::npos, strict.err);
    CHECK(StoreSnapshot(store) == before);
    // The same reject through --skip-invalid/--rejects: reported, the rest imported.
    std::string rejects = path + ".rejects.ndjson";
    auto lenient = RunTidemark({"--store", store, "import", "incidents", "--skip-invalid", "--rejects", rejects, path});
    CHECK_MESSAGE(lenient.exit_code == 0, lenient.err);
    CHECK_MESSAGE(lenient.err.find(path + c.expected) != std::string::npos, lenient.err);
    std::string lines = ReadText(rejects);
    rapidjson::Document reject;
    reject.Parse(lines.substr(0, lines.find('\n')).c_str());
    REQUIRE_FALSE(reject.HasParseError());
    std::string reason = std::string(c.expected).substr(std::string(c.expected).find("field"));
    CHECK(std::string(reject["file"].GetString()) == path);
    CHECK(std::string(reject["reason"].GetString()) == reason);
  }
}

TEST_CASE("a Sentinel file of SecurityAlert rows alone is refused naming the file, not imported as 0 incidents") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("alerts-only");
  {
    std::string rows = ReadText(DataPath("incidents/sentinel/log_analytics_rows.ndjson"));
    size_t second = rows.find('\n') + 1;
    std::string path = dir + "/alerts.ndjson";
    WriteText(path, rows.substr(second, rows.find('\n', second) - second + 1));
    REQUIRE(ReadText(path).find("SystemAlertId") != std::string::npos);
    std::string before = StoreSnapshot(store);
    auto result = RunTidemark({"--store", store, "import", "incidents", path});
    CHECK(result.exit_code == 2);
    CHECK_MESSAGE(result.err.find(path + ": SecurityAlert rows but no SecurityIncident row to attach them to") !=
                      std::string::npos,
                  result.err);
    CHECK(result.err.find("0 incidents") == std::string::npos);
    CHECK(StoreSnapshot(store) == before);
  }
}

}  // namespace tidemark::testing
