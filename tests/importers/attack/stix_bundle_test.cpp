// The ATT&CK importer and the technique/mitigation/threat cards, against the real v18.1
// enterprise bundle (and v16.1 for the upgrade), through the `tidemark` command.
#include "importers/attack/stix_bundle.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


std::set<std::string> Ids(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& item : array.GetArray()) out.insert(item["id"].GetString());
  return out;
}

}  // namespace

TEST_CASE("T1566.001 card has the bundle's name and exactly its live mitigations") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "--json", "technique", "T1566.001"});
  REQUIRE(result.exit_code == 0);
  auto card = Json(result.out);
  CHECK(std::string(card["name"].GetString()) == "Spearphishing Attachment");
  CHECK(Ids(card["mitigations"]) ==
        std::set<std::string>{"M1017", "M1018", "M1021", "M1031", "M1047", "M1049", "M1054"});
  CHECK(std::string(card["parent"]["id"].GetString()) == "T1566");
  CHECK(std::string(card["tactics"][0].GetString()) == "initial-access");
  CHECK_FALSE(card["deprecated"].GetBool());
  CHECK_FALSE(card.HasMember("revoked_from"));
}

TEST_CASE("cards for several techniques match the bundle") {
  std::string store = StoreWithAttack();
  SUBCASE("T1568.001: a sub-technique with no mitigation of its own") {
    auto card = Json(RunTidemark({"--store", store, "--json", "technique", "T1568.001"}).out);
    CHECK(std::string(card["name"].GetString()) == "Fast Flux DNS");
    CHECK(card["mitigations"].Size() == 0);
    CHECK(std::string(card["parent"]["id"].GetString()) == "T1568");
  }
  SUBCASE("T1568: the parent lists its sub-techniques and mitigations") {
    auto card = Json(RunTidemark({"--store", store, "--json", "technique", "T1568"}).out);
    CHECK(Ids(card["subtechniques"]) == std::set<std::string>{"T1568.001", "T1568.002", "T1568.003"});
    CHECK(Ids(card["mitigations"]) == std::set<std::string>{"M1021", "M1031"});
    CHECK(card["parent"].IsNull());
  }
  SUBCASE("T1059.001 PowerShell") {
    auto card = Json(RunTidemark({"--store", store, "--json", "technique", "t1059.001"}).out);
    CHECK(std::string(card["name"].GetString()) == "PowerShell");
    CHECK(Ids(card["mitigations"]) ==
          std::set<std::string>{"M1026", "M1038", "M1042", "M1045", "M1049"});
    CHECK(Ids(card["threats"]).count("G0016") == 1);
  }
}

TEST_CASE("a revoked technique leads to its replacement with revoked_from") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "--json", "technique", "T1086"});
  REQUIRE(result.exit_code == 0);
  auto card = Json(result.out);
  CHECK(std::string(card["id"].GetString()) == "T1059.001");
  CHECK(std::string(card["revoked_from"].GetString()) == "T1086");
}

TEST_CASE("an unknown technique exits 2 with a clear message") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "technique", "T9999"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err.find("T9999 is not in the loaded ATT&CK data") != std::string::npos);
}

TEST_CASE("mitigation card, and a threat found by alias") {
  std::string store = StoreWithAttack();
  auto mitigation = Json(RunTidemark({"--store", store, "--json", "mitigation", "M1032"}).out);
  CHECK(std::string(mitigation["name"].GetString()) == "Multi-factor Authentication");
  CHECK(mitigation["techniques"].Size() > 20);
  auto threat = Json(RunTidemark({"--store", store, "--json", "threat", "Cozy Bear"}).out);
  CHECK(std::string(threat["scope"]["id"].GetString()) == "G0016");
  CHECK(std::string(threat["scope"]["kind"].GetString()) == "group");
  CHECK(Ids(threat["techniques"]).count("T1566.001") == 1);
}

TEST_CASE("search finds names and aliases") {
  std::string store = StoreWithAttack();
  auto found = Json(RunTidemark({"--store", store, "--json", "search", "cozy"}).out);
  REQUIRE(found["results"].Size() >= 1);
  CHECK(std::string(found["results"][0]["id"].GetString()) == "G0016");
  CHECK(std::string(found["results"][0]["matched"].GetString()) == "Cozy Bear");
}

TEST_CASE("info reports the release and live object counts") {
  std::string store = StoreWithAttack();
  auto info = Json(RunTidemark({"--store", store, "--json", "info"}).out);
  CHECK(std::string(info["attack_releases"]["enterprise-attack"]["version"].GetString()) == "18.1");
  CHECK(info["attack_objects"]["technique"].GetInt() == 691);
  CHECK(info["attack_objects"]["mitigation"].GetInt() == 44);
  CHECK(info["attack_objects"]["group"].GetInt() == 172);
  CHECK(info["attack_objects"]["campaign"].GetInt() == 52);
  CHECK(info["attack_objects"]["software"].GetInt() == 784);
}

TEST_CASE("importing v16.1 then v18.1 upgrades in place") {
  std::string store = TempDir();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "attack", AttackPath("enterprise-attack-v16.1.json")}).exit_code == 0);
  auto before = Json(RunTidemark({"--store", store, "--json", "technique", "T1574.002"}).out);
  CHECK(std::string(before["id"].GetString()) == "T1574.002");
  CHECK(std::string(before["name"].GetString()) == "DLL Side-Loading");
  CHECK(Json(RunTidemark({"--store", store, "--json", "info"}).out)["attack_objects"]["technique"].GetInt() == 656);

  REQUIRE(RunTidemark({"--store", store, "-q", "import", "attack", AttackPath()}).exit_code == 0);
  auto after = Json(RunTidemark({"--store", store, "--json", "technique", "T1574.002"}).out);
  CHECK(std::string(after["id"].GetString()) == "T1574.001");
  CHECK(std::string(after["revoked_from"].GetString()) == "T1574.002");
  auto info = Json(RunTidemark({"--store", store, "--json", "info"}).out);
  CHECK(std::string(info["attack_releases"]["enterprise-attack"]["version"].GetString()) == "18.1");
  CHECK(info["attack_objects"]["technique"].GetInt() == 691);
}

TEST_CASE("bad bundles exit 2 naming the file and leave the store unchanged") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir();
  auto before = RunTidemark({"--store", store, "--json", "info"}).out;
  struct Case {
    const char* name;
    std::string content;
    const char* message;
  };
  std::string valid_head =
      R"({"type": "bundle", "id": "bundle--1", "objects": [{"type": "x-mitre-collection", "id": "x-mitre-collection--1", "name": "Enterprise ATT&CK", "x_mitre_version": "99.0"},)";
  const Case cases[] = {
      {"not-json.json", "this is not json", "not valid JSON"},
      {"truncated.json", ReadText(AttackPath("ics-attack.json")).substr(0, 100000), "not valid JSON"},
      {"no-id.json", valid_head + R"({"type": "attack-pattern", "name": "x"}]})", "field \"id\" is missing"},
      {"dangling.json",
       valid_head + R"({"type": "relationship", "id": "relationship--1", "relationship_type": "mitigates", "source_ref": "course-of-action--404", "target_ref": "attack-pattern--404"}]})",
       "source_ref course-of-action--404 is not in the bundle"},
      {"not-bundle.json", R"({"mappings": []})", "not a STIX bundle"},
      {"no-attack-id.json", valid_head + R"({"type": "attack-pattern", "id": "attack-pattern--1", "name": "x"}]})", "no ATT&CK ID"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::string path = dir + "/" + c.name;
    WriteText(path, c.content);
    auto result = RunTidemark({"--store", store, "import", "attack", AttackPath("ics-attack.json"), path});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(path) != std::string::npos);
    CHECK(result.err.find(c.message) != std::string::npos);
    CHECK(RunTidemark({"--store", store, "--json", "info"}).out == before);
  }
}

}  // namespace tidemark::testing
