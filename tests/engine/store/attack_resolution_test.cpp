// The one resolution policy (engine/store/attack_catalog.h), table-driven on the real ATT&CK
// v18.1 enterprise and mobile bundles: revoked IDs resolve to the end of their revoked-by
// chain across STIX types, deprecated ones answer as themselves flagged, revoked ones without
// a successor say exactly that; and the commands a user types give the same answers.
#include <doctest/doctest.h>

#include "engine/store/attack_catalog.h"
#include "engine/store/store.h"
#include "tests/test_support.h"

namespace tidemark {
namespace {

using Kind = store::AttackResolution::Kind;

std::string StoreWithEnterpriseAndMobile() {
  static const std::string base = [] {
    std::string dir = testing::StoreWithAttack();
    auto result = testing::RunTidemark({"-q", "--store", dir, "import", "attack", testing::AttackPath("mobile-attack.json")});
    REQUIRE(result.exit_code == 0);
    return dir;
  }();
  return base;
}

TEST_CASE("threat and technique IDs resolve by one policy: revoked chains, deprecated flagged, dead ends named") {
  auto opened = store::Store::Open(StoreWithEnterpriseAndMobile(), {.create = false, .read_only = true});
  REQUIRE(opened.ok());
  store::ReadTxn txn = (*opened)->Read();
  struct Case {
    const char* asked;
    bool threat;
    Kind kind;
    const char* id;
    const char* revoked_from;
  };
  const Case cases[] = {
      {"G0016", true, Kind::kLive, "G0016", ""},
      {"g0016", true, Kind::kLive, "G0016", ""},
      {"G0118", true, Kind::kLive, "G0016", "G0118"},    // UNC2452 revoked by APT29
      {"G0014", true, Kind::kDeprecated, "G0014", ""},   // Night Dragon, deprecated
      {"S9000", true, Kind::kLive, "S0508", "S9000"},    // malware revoked by a tool
      {"G9999", true, Kind::kUnknown, "G9999", ""},
      {"T1059.001", false, Kind::kLive, "T1059.001", ""},
      {"T1086", false, Kind::kLive, "T1059.001", "T1086"},
      {"T1454", false, Kind::kRevoked, "T1454", "T1454"},  // mobile, revoked without successor
      {"T9999", false, Kind::kUnknown, "T9999", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.asked);
    store::AttackResolution got = c.threat ? store::AttackCatalog::ResolveThreatId(txn, c.asked)
                                           : store::AttackCatalog::ResolveTechnique(txn, c.asked);
    CHECK(got.kind == c.kind);
    CHECK(got.id == c.id);
    CHECK(got.revoked_from == c.revoked_from);
  }
}

TEST_CASE("threat G0118 answers as G0016 and says G0118 was revoked") {
  auto result = testing::RunTidemark({"--store", StoreWithEnterpriseAndMobile(), "--json", "threat", "G0118"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("\"id\": \"G0016\"") != std::string::npos);
  CHECK(result.out.find("\"revoked_from\": \"G0118\"") != std::string::npos);
  auto text = testing::RunTidemark({"--store", StoreWithEnterpriseAndMobile(), "threat", "G0118"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("G0118 is revoked in ATT&CK; shown as its successor G0016") != std::string::npos);
}

TEST_CASE("threat G0014 answers, flagged deprecated") {
  auto result = testing::RunTidemark({"--store", StoreWithEnterpriseAndMobile(), "--json", "threat", "G0014"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("\"id\": \"G0014\"") != std::string::npos);
  CHECK(result.out.find("\"deprecated\": true") != std::string::npos);
}

TEST_CASE("threat S9000 answers as the tool S0508 that revoked the malware entry") {
  auto result = testing::RunTidemark({"--store", StoreWithEnterpriseAndMobile(), "--json", "threat", "S9000"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("\"id\": \"S0508\"") != std::string::npos);
  CHECK(result.out.find("\"revoked_from\": \"S9000\"") != std::string::npos);
}

TEST_CASE("technique T1454 says revoked without successor, not missing from the data") {
  auto result = testing::RunTidemark({"--store", StoreWithEnterpriseAndMobile(), "technique", "T1454"});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("revoked in ATT&CK, with no successor") != std::string::npos);
  CHECK(result.err.find("not in the loaded ATT&CK data") == std::string::npos);
}

TEST_CASE("an incident naming a deprecated or revoked group is attributed to it, not to a custom threat") {
  std::string dir = testing::TempDir("resolution");
  std::string store = dir + "/store";
  REQUIRE(testing::RunTidemark({"-q", "--store", store, "import", "attack", testing::AttackPath()}).exit_code == 0);
  testing::WriteText(dir + "/inc.ndjson",
                     "{\"id\": \"INC-1\", \"created\": \"2026-03-01T00:00:00Z\", \"techniques\": [\"T1059.001\"], "
                     "\"threats\": [\"G0014\", \"G0118\", \"UNC2452\"]}\n");
  REQUIRE(testing::RunTidemark({"-q", "--store", store, "import", "incidents", dir + "/inc.ndjson"}).exit_code == 0);
  auto record = testing::RunTidemark({"--store", store, "--json", "incidents"});
  REQUIRE(record.exit_code == 0);
  CHECK(record.out.find("\"threats\": [\n        \"G0014\",\n        \"G0016\"\n      ]") != std::string::npos);
  auto threat = testing::RunTidemark({"--store", store, "--json", "threat", "G0014"});
  REQUIRE(threat.exit_code == 0);
  CHECK(threat.out.find("\"incidents\": 1") != std::string::npos);
}

}  // namespace
}  // namespace tidemark
