// tidemark control ID and tidemark controls: the card (golden text), filters, --json, errors.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


std::string StoreWithOrg() {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "posture", DataPath("controls/posture.json")}).exit_code == 0);
  return store;
}

std::set<std::string> ListedIds(const std::string& store, std::vector<std::string> filters) {
  std::vector<std::string> args = {"--store", store, "--json", "--as-of", "2026-02-15", "controls"};
  args.insert(args.end(), filters.begin(), filters.end());
  auto result = RunTidemark(args);
  REQUIRE(result.exit_code == 0);
  std::set<std::string> ids;
  rapidjson::Document listed = Json(result.out);  // must outlive the loop over its array
  for (const auto& c : listed["controls"].GetArray()) ids.insert(c["id"].GetString());
  return ids;
}

}  // namespace

TEST_CASE("control card text matches the golden file") {
  std::string store = StoreWithOrg();
  auto result = RunTidemark({"--store", store, "--as-of", "2026-02-15", "control", "EDR-ASR"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(MatchesGolden("controls/control_edr_asr.txt", result.out));
}

TEST_CASE("controls filters by product, category, license, status at --as-of and remediation type") {
  std::string store = StoreWithOrg();
  using Ids = std::set<std::string>;
  CHECK(ListedIds(store, {}) == Ids{"EDR-ASR", "EMAIL-TRAINING", "MFA-ADMINS"});
  CHECK(ListedIds(store, {"--product", "entra id"}) == Ids{"MFA-ADMINS"});
  CHECK(ListedIds(store, {"--category", "Device"}) == Ids{"EDR-ASR"});
  CHECK(ListedIds(store, {"--license", "E5"}) == Ids{"EDR-ASR"});
  CHECK(ListedIds(store, {"--status", "risk-accepted"}) == Ids{"EDR-ASR"});
  CHECK(ListedIds(store, {"--status", "Completed"}) == Ids{"EMAIL-TRAINING", "MFA-ADMINS"});
  CHECK(ListedIds(store, {"--remediation-type", "process"}) == Ids{"EMAIL-TRAINING"});
  CHECK(ListedIds(store, {"--product", "Entra ID", "--status", "planned"}).empty());
  auto list = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-02-15", "controls", "--product", "Entra ID"}).out);
  CHECK(list["controls"][0]["implemented"].GetDouble() == 0.8);
  CHECK(std::string(list["controls"][0]["status"].GetString()) == "completed");
}

TEST_CASE("control errors: unknown id exits 2, bad --status exits 1") {
  std::string store = StoreWithOrg();
  auto missing = RunTidemark({"--store", store, "control", "NOPE"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("control \"NOPE\" is not in the store") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "controls", "--status", "sideways"}).exit_code == 1);
}

}  // namespace tidemark::testing
