// Bad input for every organisation import (SPEC §6): each case exits 2, names the file, the
// record (JSON index or CSV line) and the field, writes nothing and prints nothing on stdout.
#include "importers/common/reject.h"

#include <doctest/doctest.h>

#include "tests/test_support.h"

namespace tidemark::testing {

TEST_CASE("malformed catalogs, mappings, posture and assets exit 2 naming file, record and field; store unchanged") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  std::string dir = TempDir();
  struct Case {
    const char* what;  // import subcommand
    const char* name;
    std::string content;
    std::string message;  // after "<dir>/<name>"
  };
  std::string huge(300, 'x');
  std::string deep = std::string(300, '[') + std::string(300, ']');
  const Case cases[] = {
      // control catalogs
      {"controls", "c1.json", "this is not json", ": not a control catalog"},
      {"controls", "c2.json", R"({"controls": [{"id": "A", "title": "t")", ":1: not valid JSON"},  // truncated
      {"controls", "c3.json", R"({"controls": [{"title": "no id"}]})", ":controls[0]: field \"id\" is missing"},
      {"controls", "c4.json", R"({"controls": [{"id": 7}]})", ":controls[0]: field \"id\" must be a string"},
      {"controls", "c5.json", R"({"controls": [{"id": "A", "techniques": [{"id": "T1059", "strength": 1.5}]}]})",
       ":controls[0]: field \"techniques\"[0]: field \"strength\" is 1.5, outside (0, 1]"},
      {"controls", "c6.json", R"({"controls": [{"id": "A", "techniques": [{"id": "T1059", "type": "prevent"}]}]})",
       ":controls[0]: field \"techniques\"[0]: field \"type\": \"prevent\" is not a mapping type"},
      {"controls", "c7.json", R"({"controls": [{"id": "A", "remediation_type": "magic"}]})",
       ":controls[0]: field \"remediation_type\": \"magic\" is not one of"},
      {"controls", "c8.json", R"({"controls": [{"id": "A"}, {"id": "A"}]})", ":controls[1]: duplicate id \"A\" (first at controls[0])"},
      {"controls", "c9.json", R"({"controls": [{"id": ")" + huge + R"("}]})", ":controls[0]: field \"id\" is longer than 200 bytes"},
      {"controls", "c10.json", R"({"controls": [{"id": "A", "mitigations": ["MFA"]}]})",
       ":controls[0]: field \"mitigations\": \"MFA\" is not a mitigation ID"},
      {"controls", "c11.json", R"({"controls": [{"id": "A", "max_points": -1}]})", ":controls[0]: field \"max_points\" is -1, outside"},
      {"controls", "c12.json", "{\"controls\": [{\"id\": \"\xff\xfe\"}]}", ":1: not valid JSON: Invalid encoding"},
      {"controls", "c13.json", deep, ": JSON nested deeper than 256 levels"},
      {"controls", "c14.csv", "id,title,techniques\nA,ok,T1059\n,missing id,\n", ":3: field \"id\" is empty"},
      {"controls", "c15.csv", "id,title,techniques\nA,ok,T1059:protect:huge\n", ":2: field \"techniques\"[0]: field \"strength\": \"huge\""},
      {"controls", "c16.csv", "id,title\nA,\"unterminated\n", ":2: unterminated quoted field"},
      {"controls", "c17.json", R"({"value": [{"controlName": "X", "maxScore": "lots"}]})", ":value[0]: field \"maxScore\" must be a number"},
      {"controls", "c18.json", R"({"value": [{"title": "no id", "maxScore": 3}]})", ":value[0]: field \"id\" is missing"},
      // mappings
      {"mappings", "m1.json", "[1, 2", ":1: not valid JSON"},
      {"mappings", "m2.json", R"({"mappings": [{"technique": "T1059"}]})", ":mappings[0]: field \"control\" is missing"},
      {"mappings", "m3.json", R"({"mappings": [{"control": "A", "technique": "T1059", "strength": 0}]})",
       ":mappings[0]: field \"strength\" is 0, outside (0, 1]"},
      {"mappings", "m4.json", R"({"mappings": [{"control": "A", "technique": "T1059", "strength": "strong"}]})",
       ":mappings[0]: field \"strength\": \"strong\" is not a strength"},
      {"mappings", "m5.json", R"({"mappings": [{"control": "A", "technique": "not-an-id"}]})",
       ":mappings[0]: field \"technique\": \"not-an-id\" is not a technique ID"},
      {"mappings", "m6.json", R"({"mappings": [{"control": "A", "technique": "T1059", "type": "block"}]})",
       ":mappings[0]: field \"type\": \"block\" is not a mapping type"},
      {"mappings", "m7.csv", "control,technique,type,strength\nA,T1059,protect,2\n", ":2: field \"strength\": \"2\" is not a strength"},
      {"mappings", "m8.json",
       R"({"metadata": {}, "mapping_objects": [{"capability_id": "X", "attack_object_id": "T1059", "mapping_type": "technique_scores", "status": "complete", "score_category": "protect", "score_value": "huge"}]})",
       ":mapping_objects[0]: score_category/score_value: field \"strength\": \"huge\""},
      // posture
      {"posture", "p1.json", "{\"as_of\": \"2026-01-01\", \"controls\": [", ":1: not valid JSON"},
      {"posture", "p2.json", R"({"as_of": "2026-01-01", "controls": [{"id": "MFA-ADMINS", "status": "done"}]})",
       ":controls[0]: field \"status\": \"done\" is not a status"},
      {"posture", "p3.json", R"({"as_of": "2026-01-01", "controls": [{"status": "planned"}]})", ":controls[0]: field \"control\" is missing"},
      {"posture", "p4.json", R"({"as_of": "2026-01-01", "controls": [{"id": "MFA-ADMINS", "status": "planned", "implemented": 1.2}]})",
       ":controls[0]: field \"implemented\" is 1.2, outside [0, 1]"},
      {"posture", "p5.json", R"({"as_of": "yesterday", "controls": []})", ": field \"as_of\": \"yesterday\" is not a date"},
      {"posture", "p6.json", R"({"as_of": "2026-01-01", "controls": [{"id": "NOPE", "status": "planned"}]})",
       ":controls[0]: control \"NOPE\" is not in the store"},
      {"posture", "p7.json", R"({"as_of": "2026-01-01", "controls": [{"id": "MFA-ADMINS", "status": "planned"}, {"id": "MFA-ADMINS", "status": "completed"}]})",
       ":controls[1]: duplicate id \"MFA-ADMINS\" in this snapshot"},
      {"posture", "p8.csv", "as_of,id,status\n2026-01-01,MFA-ADMINS,finished\n", ":2: field \"status\": \"finished\" is not a status"},
      {"posture", "p9.json", R"({"value": [{"createdDateTime": "2026-03-01T00:00:00Z", "controlScores": [{"controlName": "EMAIL-TRAINING", "score": 3}]}]})",
       ":value[0].controlScores[0]: control \"EMAIL-TRAINING\" has no maxScore"},
      {"posture", "p10.json", R"({"value": [{"createdDateTime": "2026-03-01T00:00:00Z", "controlScores": [{"controlName": "Unknown", "score": 3}]}]})",
       ":value[0].controlScores[0]: control \"Unknown\" is not in the store"},
      // assets
      {"assets", "a1.json", "{\"assets\": [", ":1: not valid JSON"},
      {"assets", "a2.json", R"({"assets": [{"type": "device"}]})", ":assets[0]: field \"id\" is missing"},
      {"assets", "a3.json", R"({"assets": [{"id": "dc01", "weight": -2}]})", ":assets[0]: field \"weight\" is -2, outside [0, 1000000]"},
      {"assets", "a4.json", R"({"assets": [{"id": "dc01", "criticality": "extreme"}]})",
       ":assets[0]: field \"criticality\": \"extreme\" is not a criticality level"},
      {"assets", "a5.csv", "id,weight\ndc01,heavy\n", ":2: field \"weight\" must be a number"},
      {"assets", "a6.json", R"({"assets": [{"id": "dc01"}, {"id": "dc01"}]})", ":assets[1]: duplicate id \"dc01\""},
  };
  auto before = RunTidemark({"--store", store, "--json", "info"}).out;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::string path = dir + "/" + c.name;
    WriteText(path, c.content);
    auto result = RunTidemark({"--store", store, "import", c.what, path});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.find(path + c.message) != std::string::npos);
    if (result.err.find(path + c.message) == std::string::npos) MESSAGE(result.err);
  }
  CHECK(RunTidemark({"--store", store, "--json", "info"}).out == before);
}

TEST_CASE("--skip-invalid imports the valid records and lists each reject on stderr and in --rejects") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir();
  WriteText(dir + "/c.json", R"({"controls": [{"id": "GOOD"}, {"title": "no id"}, {"id": "BAD", "remediation_type": "x"}]})");
  auto result = RunTidemark({"--store", store, "import", "controls", "--skip-invalid", "--rejects", dir + "/r.txt", dir + "/c.json"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("1 control imported") != std::string::npos);
  std::string rejects = ReadText(dir + "/r.txt");
  CHECK(rejects == dir + "/c.json:controls[1]: field \"id\" is missing (every record needs an id)\n" + dir +
                       "/c.json:controls[2]: field \"remediation_type\": \"x\" is not one of configuration, software, "
                       "firmware, process\n");
  CHECK(RunTidemark({"--store", store, "control", "GOOD"}).exit_code == 0);
  CHECK(RunTidemark({"--store", store, "control", "BAD"}).exit_code == 2);
}

TEST_CASE("Quote escapes control characters and cuts long text") {
  CHECK(importers::Quote("a\x1b[31m") == "\"a\\x1b[31m\"");
  CHECK(importers::Quote(std::string(100, 'y')).size() == 65);
}

}  // namespace tidemark::testing
