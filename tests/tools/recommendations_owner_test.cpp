// tidemark recommendations --owner, --sort points, and owner/due/overdue on each recommendation.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


}  // namespace

TEST_CASE("recommendations filter by owner, sort by points and flag overdue controls") {
  std::string store = DemoStore();
  auto all = Json(RunTidemark({"--store", store, "--json", "recommendations"}).out);
  REQUIRE(all["recommendations"].Size() >= 2);
  std::string first = all["recommendations"][0]["control"].GetString();
  REQUIRE(RunTidemark({"--store", store, "-q", "assign", first, "--owner", "Blue-Team", "--due", "2020-01-01"}).exit_code == 0);
  auto owned = Json(RunTidemark({"--store", store, "--json", "recommendations", "--owner", "blue-team"}).out);
  REQUIRE(owned["recommendations"].Size() == 1);
  const auto& rec = owned["recommendations"][0];
  CHECK(std::string(rec["control"].GetString()) == first);
  CHECK(std::string(rec["owner"].GetString()) == "Blue-Team");
  CHECK(std::string(rec["due"].GetString()) == "2020-01-01");
  CHECK(rec["overdue"].GetBool() == (rec["implemented"].GetDouble() < 1.0));
  auto by_points = Json(RunTidemark({"--store", store, "--json", "recommendations", "--sort", "points"}).out);
  CHECK(by_points["recommendations"].Size() == all["recommendations"].Size());
  double previous = 1e18;
  for (const auto& r : by_points["recommendations"].GetArray()) {
    CHECK(r["points_gain"].GetDouble() <= previous + 1e-9);
    previous = r["points_gain"].GetDouble();
  }
  auto text = RunTidemark({"--store", store, "recommendations", "--owner", "BLUE-TEAM"});
  CHECK(text.out.find("Blue-Team (overdue)") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "recommendations", "--sort", "cost"}).exit_code == 1);
}

}  // namespace tidemark::testing
