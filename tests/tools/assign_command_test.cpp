// tidemark assign (owner and due date without re-importing the catalog), controls --owner and
// --overdue, and the overdue flag in the control card and list.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


// controls/catalog.json with controls/posture.json: MFA-ADMINS completed 0.8 from 2026-02-01.
std::string StoreWithAssignableOrg() {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "posture", DataPath("controls/posture.json")}).exit_code == 0);
  return store;
}

}  // namespace

TEST_CASE("assign sets a control's owner and due date, and controls filters and flags by them") {
  std::string store = StoreWithAssignableOrg();
  REQUIRE(RunTidemark({"--store", store, "assign", "MFA-ADMINS", "--owner", "identity-team", "--due", "2026-02-10"}).exit_code == 0);
  REQUIRE(RunTidemark({"--store", store, "assign", "EDR-ASR", "--owner", "endpoint-team"}).exit_code == 0);
  auto card = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-02-15", "control", "MFA-ADMINS"}).out);
  CHECK(std::string(card["owner"].GetString()) == "identity-team");
  CHECK(std::string(card["due"].GetString()) == "2026-02-10");
  CHECK(card["overdue"].GetBool());  // due day over, implemented 0.8 < 1
  auto on_due_day = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-02-10", "control", "MFA-ADMINS"}).out);
  CHECK_FALSE(on_due_day["overdue"].GetBool());
  auto listed = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-02-15", "controls", "--owner", "IDENTITY-team"}).out);
  REQUIRE(listed["controls"].Size() == 1);
  CHECK(std::string(listed["controls"][0]["id"].GetString()) == "MFA-ADMINS");
  CHECK(listed["controls"][0]["overdue"].GetBool());
  auto overdue = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-02-15", "controls", "--overdue"}).out);
  CHECK(overdue["controls"].Size() == 1);
  auto text = RunTidemark({"--store", store, "--as-of", "2026-02-15", "controls"});
  CHECK(text.out.find("2026-02-10 (overdue)") != std::string::npos);
  CHECK(text.out.find("endpoint-team") != std::string::npos);
  // Removing them.
  REQUIRE(RunTidemark({"--store", store, "assign", "MFA-ADMINS", "--no-owner", "--no-due"}).exit_code == 0);
  card = Json(RunTidemark({"--store", store, "--json", "control", "MFA-ADMINS"}).out);
  CHECK(card["owner"].IsNull());
  CHECK(card["due"].IsNull());
}

TEST_CASE("assign refuses unknown controls, bad dates and an empty request") {
  std::string store = StoreWithAssignableOrg();
  CHECK(RunTidemark({"--store", store, "assign", "NOPE", "--owner", "x"}).exit_code == 2);
  CHECK(RunTidemark({"--store", store, "assign", "MFA-ADMINS", "--due", "soon"}).exit_code == 1);
  CHECK(RunTidemark({"--store", store, "assign", "MFA-ADMINS"}).exit_code == 1);
  CHECK(RunTidemark({"--store", store, "assign", "MFA-ADMINS", "--owner", "a", "--no-owner"}).exit_code == 1);
}

}  // namespace tidemark::testing
