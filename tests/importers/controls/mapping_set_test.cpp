// Mapping imports (importers/controls/mapping_set): every file of the CTID Mappings Explorer
// mirror imports or is refused with a reason, the m365 set's grades become strengths, revoked
// IDs resolve and unknown IDs are reported, through the `tidemark` command on real ATT&CK v18.1.
#include "importers/controls/mapping_set.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <set>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


struct Row {
  std::string type;
  double strength;
  std::string via;
  bool counted;
};

// technique|type -> row of a control card's `techniques`.
std::map<std::string, Row> CardRows(const rapidjson::Value& card, const std::string& via_filter = "") {
  std::map<std::string, Row> rows;
  for (const auto& t : card["techniques"].GetArray()) {
    std::string via = t["via"].GetString();
    if (!via_filter.empty() && via != via_filter) continue;
    rows[std::string(t["id"].GetString()) + "|" + t["type"].GetString()] = {t["type"].GetString(), t["strength"].GetDouble(),
                                                                           via, t["counted"].GetBool()};
  }
  return rows;
}

}  // namespace

TEST_CASE("every file under shared/mappings imports or is refused with a clear reason") {
  std::string store = StoreWithAttack();
  struct Case {
    const char* file;
    int exit_code;
    const char* expected;  // in stderr
  };
  const Case cases[] = {
      {"mappings/aws/aws-12.12.2024_attack-16.1-enterprise.json", 0, "487 mappings stored (302 protect, 153 detect, 32 respond)"},
      {"mappings/azure/azure-04.26.2025_attack-16.1-enterprise.json", 0, "969 mappings stored"},
      {"mappings/cri_profile/cri_profile-v2.1_attack-16.1-enterprise.json", 0, "2151 mappings stored (2151 protect"},
      {"mappings/csa_ccm/csa_ccm-4.1_attack-17.1-enterprise.json", 0, "148 non_mappable rows"},
      {"mappings/gcp/gcp-03.06.2025_attack-16.1-enterprise.json", 0, "18 non_mappable rows"},
      {"mappings/intel-vpro/intel-vpro-08.20.2024_attack-15.1-enterprise.json", 0, "made for ATT&CK 15.1"},
      {"mappings/m365/m365-07.18.2025_attack-16.1-enterprise.json", 0, "738 mappings stored (234 protect, 391 detect, 113 respond)"},
      {"mappings/nist_800_53/nist_800_53-rev5_attack-16.1-enterprise.json", 0, "1 unknown technique IDs not stored (1 rows): T1521.003"},
      {"mappings/kev/kev-07.28.2025_attack-16.1-enterprise.json", 2, "a CVE is not a control"},
      {"mappings/kev/kev-07.28.2025_attack-16.1-mobile.json", 2, "refused: mapping types exploitation_technique"},
      {"mappings/veris/veris-1.4.0_attack-16.1-enterprise.json", 2, "VERIS \"related_to\""},
      {"mappings/veris/veris-1.4.0_attack-16.1-ics.json", 2, "related_to (209 rows)"},
      {"mappings/veris/veris-1.4.0_attack-16.1-mobile.json", 2, "not a control mapping; nothing imported"},
      {"mappings/cve/Att&ckToCveMappings.csv", 2, "ATT&CK-to-CVE table"},
      {"mappings/schema/mapex-unified-data-schema.json", 2, "a JSON Schema"},
      {"mappings/LICENSE.txt", 2, "not a mapping file"},
      {"mappings/NOTICE.md", 2, "not a mapping file"},
  };
  // The table covers the whole folder: a new file must get a row.
  std::set<std::string> listed, present;
  for (const auto& c : cases) listed.insert(c.file);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(SharedPath("mappings"))) {
    if (entry.is_regular_file()) {
      present.insert("mappings/" + std::filesystem::relative(entry.path(), SharedPath("mappings")).string());
    }
  }
  CHECK(listed == present);
  for (const auto& c : cases) {
    CAPTURE(c.file);
    auto before = RunTidemark({"--store", store, "--json", "info"}).out;
    auto result = RunTidemark({"--store", store, "import", "mappings", SharedPath(c.file)});
    CHECK(result.exit_code == c.exit_code);
    CHECK(result.out.empty());
    CHECK(result.err.find(c.expected) != std::string::npos);
    if (c.exit_code != 0) {
      CHECK(result.err.find(SharedPath(c.file)) != std::string::npos);  // names the file
      CHECK(RunTidemark({"--store", store, "--json", "info"}).out == before);
    }
  }
}

TEST_CASE("m365 EID-CA-E3: strengths from score_value, only protect rows counted") {
  std::string store = StoreWithAttack();
  auto import = RunTidemark({"--store", store, "import", "mappings", SharedPath("mappings/m365/m365-07.18.2025_attack-16.1-enterprise.json")});
  REQUIRE(import.exit_code == 0);
  CHECK(import.err.find("the set was made for ATT&CK 16.1; the loaded enterprise-attack release is 18.1") != std::string::npos);
  auto card = Json(RunTidemark({"--store", store, "--json", "control", "EID-CA-E3"}).out);
  CHECK(std::string(card["title"].GetString()) == "Conditional Access");
  CHECK(std::string(card["product"].GetString()) == "Microsoft Entra ID");
  // The file's 42 EID-CA-E3 rows; duplicates (T1078 protect partial + minimal, T1110 protect
  // partial + significant, ...) keep the largest grade: significant 1.0, partial 0.5, minimal 0.25.
  std::map<std::string, Row> expected = {
      {"T1059.009|protect", {"protect", 0.5, "direct", true}},  {"T1074|protect", {"protect", 0.25, "direct", true}},
      {"T1074.001|protect", {"protect", 0.25, "direct", true}}, {"T1074.002|protect", {"protect", 0.25, "direct", true}},
      {"T1078|protect", {"protect", 0.5, "direct", true}},      {"T1078|respond", {"respond", 0.25, "direct", false}},
      {"T1078.004|protect", {"protect", 1.0, "direct", true}},  {"T1078.004|respond", {"respond", 0.5, "direct", false}},
      {"T1110|protect", {"protect", 1.0, "direct", true}},      {"T1110.001|protect", {"protect", 1.0, "direct", true}},
      {"T1110.002|protect", {"protect", 1.0, "direct", true}},  {"T1110.003|protect", {"protect", 1.0, "direct", true}},
      {"T1110.004|protect", {"protect", 1.0, "direct", true}},  {"T1213|protect", {"protect", 0.25, "direct", true}},
      {"T1213.002|protect", {"protect", 0.5, "direct", true}},  {"T1496.001|protect", {"protect", 0.5, "direct", true}},
      {"T1496.004|protect", {"protect", 0.5, "direct", true}},  {"T1530|protect", {"protect", 0.25, "direct", true}},
      {"T1557.004|protect", {"protect", 0.5, "direct", true}},  {"T1586.003|protect", {"protect", 0.5, "direct", true}},
      {"T1621|protect", {"protect", 0.5, "direct", true}},
  };
  auto direct = CardRows(card, "direct");
  REQUIRE(direct.size() == expected.size());
  for (const auto& [key, row] : expected) {
    const auto& key_ = key;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(key_);
    REQUIRE(direct.count(key) == 1);
    CHECK(direct[key].strength == doctest::Approx(row.strength));
    CHECK(direct[key].counted == row.counted);
  }
  // Sub-techniques of T1213 with no control of their own are reached through the parent.
  auto parent = CardRows(card, "parent");
  CHECK(parent.count("T1213.005|protect") == 1);
  CHECK(parent["T1213.005|protect"].strength == doctest::Approx(0.25));
  CHECK(parent.count("T1213.002|protect") == 0);  // has its own mapping
}

TEST_CASE("native mappings: revoked IDs resolve with revoked_from, unknown IDs are reported and not stored") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir();
  WriteText(dir + "/set.json", R"({"mappings": [
    {"control": "EDR-ASR", "technique": "T1086", "type": "protect", "strength": "significant", "title": "ASR rules"},
    {"control": "EDR-ASR", "technique": "t1059.003", "type": "Detect", "strength": 0.3},
    {"control": "EDR-ASR", "technique": "T9999", "type": "protect"},
    {"control": "EDR-ASR", "technique": "AML.T0040"},
    {"control": "EDR-ASR", "mitigation": "M1040"}]})");
  auto result = RunTidemark({"--store", store, "import", "mappings", dir + "/set.json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("2 unknown technique IDs not stored (2 rows): AML.T0040, T9999") != std::string::npos);
  CHECK(result.err.find("1 rows named revoked techniques") != std::string::npos);
  auto card = Json(RunTidemark({"--store", store, "--json", "control", "EDR-ASR"}).out);
  CHECK(std::string(card["title"].GetString()) == "ASR rules");
  CHECK(std::string(card["mitigations"][0]["id"].GetString()) == "M1040");
  bool found_revoked = false;
  for (const auto& t : card["techniques"].GetArray()) {
    CHECK(std::string(t["id"].GetString()) != "T9999");
    if (std::string(t["via"].GetString()) == "direct" && std::string(t["id"].GetString()) == "T1059.001") {
      CHECK(std::string(t["revoked_from"].GetString()) == "T1086");
      CHECK(t["strength"].GetDouble() == 1.0);
      found_revoked = true;
    }
    if (std::string(t["id"].GetString()) == "T1059.003" && std::string(t["type"].GetString()) == "detect") {
      CHECK(t["strength"].GetDouble() == doctest::Approx(0.3));
      CHECK_FALSE(t["counted"].GetBool());
    }
  }
  CHECK(found_revoked);
}

TEST_CASE("native mapping CSV imports like the JSON form; re-importing a set replaces its rows") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir();
  WriteText(dir + "/set.csv", "control,technique,type,strength\nEDR-ASR,T1059.001,protect,partial\nEDR-ASR,T1204.002,,\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "mappings", dir + "/set.csv"}).exit_code == 0);
  auto card = Json(RunTidemark({"--store", store, "--json", "control", "EDR-ASR"}).out);
  auto rows = CardRows(card, "direct");
  CHECK(rows.size() == 2);
  CHECK(rows["T1059.001|protect"].strength == 0.5);
  CHECK(rows["T1204.002|protect"].strength == 1.0);  // no grade: 1.0
  WriteText(dir + "/set.csv", "control,technique,type,strength\nEDR-ASR,T1059.001,protect,minimal\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "mappings", dir + "/set.csv"}).exit_code == 0);
  rows = CardRows(Json(RunTidemark({"--store", store, "--json", "control", "EDR-ASR"}).out), "direct");
  CHECK(rows.size() == 1);
  CHECK(rows["T1059.001|protect"].strength == 0.25);
}

}  // namespace tidemark::testing

namespace tidemark::testing {

// Regression (issue 12): a/map.json then b/map.csv replaced each other's set with one line of
// output, and re-importing the first removed what the second added.
TEST_CASE("two mapping files with the same base name do not silently replace each other's set") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir();
  std::filesystem::create_directories(dir + "/a");
  std::filesystem::create_directories(dir + "/b");
  WriteText(dir + "/a/map.json", R"({"mappings": [{"control": "EDR-ASR", "technique": "T1059.001"},
                                                   {"control": "EDR-ASR", "technique": "T1204.002"}]})");
  WriteText(dir + "/b/map.csv", "control,technique,type,strength\nMFA,T1078.004,protect,partial\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "mappings", dir + "/a/map.json"}).exit_code == 0);

  auto refused = RunTidemark({"--store", store, "import", "mappings", dir + "/b/map.csv"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(dir + "/b/map.csv: set \"map\" (named after the file) was imported from " + dir +
                         "/a/map.json (2 mappings)") != std::string::npos);
  CHECK(refused.err.find("--set NAME") != std::string::npos);

  // An explicit name keeps both sets.
  auto both = RunTidemark({"--store", store, "import", "mappings", "--set", "map-b", dir + "/b/map.csv"});
  REQUIRE(both.exit_code == 0);
  CHECK(both.err.find("set \"map-b\": 1 mapping stored") != std::string::npos);
  auto listed = Json(RunTidemark({"--store", store, "--json", "mappings"}).out);
  REQUIRE(listed["sets"].Size() == 2);
  CHECK(std::string(listed["sets"][0]["name"].GetString()) == "map");
  CHECK(listed["sets"][0]["mappings"].GetUint64() == 2);
  CHECK(listed["sets"][0]["controls"].GetUint64() == 1);
  CHECK(std::string(listed["sets"][0]["file"].GetString()) == dir + "/a/map.json");
  CHECK(std::string(listed["sets"][0]["format"].GetString()) == "native JSON");
  CHECK(std::string(listed["sets"][1]["name"].GetString()) == "map-b");
  CHECK(listed["sets"][1]["mappings"].GetUint64() == 1);
  CHECK(std::string(listed["sets"][1]["file"].GetString()) == dir + "/b/map.csv");
  auto table = RunTidemark({"--store", store, "mappings"});
  CHECK(table.exit_code == 0);
  CHECK(table.out.find("SET") == 0);
  CHECK(table.out.find(dir + "/a/map.json") != std::string::npos);
  CHECK(table.out.find("2 mapping sets") != std::string::npos);

  // Re-importing the first file replaces its own set only, and says what it replaced.
  WriteText(dir + "/a/map.json", R"({"mappings": [{"control": "EDR-ASR", "technique": "T1059.001"}]})");
  auto again = RunTidemark({"--store", store, "import", "mappings", dir + "/a/map.json"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("replaced set \"map\" (from " + dir + "/a/map.json: 2 mappings, 0 mitigation links)") !=
        std::string::npos);
  listed = Json(RunTidemark({"--store", store, "--json", "mappings"}).out);
  CHECK(listed["sets"][0]["mappings"].GetUint64() == 1);
  CHECK(listed["sets"][1]["mappings"].GetUint64() == 1);  // map-b untouched

  // --replace replaces a set imported from another file, saying so.
  auto replaced = RunTidemark({"--store", store, "import", "mappings", "--replace", dir + "/b/map.csv"});
  REQUIRE(replaced.exit_code == 0);
  CHECK(replaced.err.find("replaced set \"map\" (from " + dir + "/a/map.json: 1 mapping,") != std::string::npos);
  // A set name the file declares is meant: no refusal.
  WriteText(dir + "/b/named.json", R"({"source": "map", "mappings": [{"control": "X", "technique": "T1110"}]})");
  CHECK(RunTidemark({"--store", store, "-q", "import", "mappings", dir + "/b/named.json"}).exit_code == 0);
  CHECK(RunTidemark({"--store", store, "import", "mappings", "--set", "two", dir + "/a/map.json", dir + "/b/map.csv"})
            .exit_code == 1);
}

}  // namespace tidemark::testing
