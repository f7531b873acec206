// tidemark score: the Microsoft Graph round trip (achieved = each day's currentScore,
// achievable = its maxScore), --by, --history in every format, and usage errors.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <map>

#include "engine/core/time_util.h"
#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


std::string GraphStore() {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("graph/secureScoreControlProfiles.json")})
              .exit_code == 0);
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "posture", DataPath("graph/secureScores.json")}).exit_code == 0);
  return store;
}

struct GraphDay {
  double current = 0;
  double max = 0;
};

// Each day of the export: its currentScore and maxScore, as Microsoft computed them.
std::map<std::string, GraphDay> GraphDays() {
  rapidjson::Document doc = Json(ReadText(DataPath("graph/secureScores.json")));
  std::map<std::string, GraphDay> days;
  for (const auto& entry : doc["value"].GetArray()) {
    std::string date = std::string(entry["createdDateTime"].GetString()).substr(0, 10);
    days[date] = {entry["currentScore"].GetDouble(), entry["maxScore"].GetDouble()};
  }
  return days;
}

}  // namespace

TEST_CASE("achieved points for a day equal the Graph currentScore of that day, achievable its maxScore") {
  std::string store = GraphStore();
  auto days = GraphDays();
  REQUIRE(days.size() == 3);
  for (const auto& [date, day] : days) {
    const auto& date_ = date;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(date_);
    auto result = RunTidemark({"--store", store, "--json", "--as-of", date, "score"});
    REQUIRE(result.exit_code == 0);
    auto score = Json(result.out);
    CHECK(score["achieved"].GetDouble() == doctest::Approx(day.current));
    CHECK(score["achievable"].GetDouble() == doctest::Approx(day.max));
    CHECK(score["score"].GetDouble() == doctest::Approx(100.0 * day.current / day.max));
    CHECK(score["excluded"]["deprecated"].GetUint64() == 1);
  }
  // The history gives the same figures, one point per day.
  auto history = Json(RunTidemark({"--store", store, "--json", "score", "--history"}).out);
  REQUIRE(history["points"].Size() == 3);
  for (const auto& point : history["points"].GetArray()) {
    const GraphDay& day = days.at(point["date"].GetString());
    CHECK(point["achieved"].GetDouble() == doctest::Approx(day.current));
    CHECK(point["achievable"].GetDouble() == doctest::Approx(day.max));
  }
}

TEST_CASE("score groups by category by default and by product on request") {
  std::string store = GraphStore();
  auto by_category = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-03-02", "score"}).out);
  CHECK(std::string(by_category["by"].GetString()) == "category");
  REQUIRE(by_category["groups"].Size() == 3);
  // Apps: mdo_safelinksforemail 8 + IntegratedApps 4 of 12; Data: DLPEnabled 10 of 20;
  // Identity: 10 + 4.5 + 0 + 1 of 28 (PWAgePolicyNew deprecated).
  const auto& apps = by_category["groups"][0];
  CHECK(std::string(apps["name"].GetString()) == "Apps");
  CHECK(apps["achieved"].GetDouble() == doctest::Approx(12));
  CHECK(apps["score"].GetDouble() == doctest::Approx(100));
  const auto& identity = by_category["groups"][2];
  CHECK(identity["achieved"].GetDouble() == doctest::Approx(15.5));
  CHECK(identity["achievable"].GetDouble() == doctest::Approx(28));
  CHECK(identity["controls"].GetUint64() == 4);
  auto by_product = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-03-02", "score", "--by", "product"}).out);
  CHECK(std::string(by_product["groups"][0]["name"].GetString()) == "AzureAD");
  auto text = RunTidemark({"--store", store, "--as-of", "2026-03-02", "score"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("Posture score at 2026-03-02T23:59:59.999Z: 62.5% (37.5 of 60 points") != std::string::npos);
  CHECK(text.out.find("Not scored: 1 deprecated, 0 without max_points") != std::string::npos);
}

TEST_CASE("score history prints as a table, CSV and an SVG chart, within --from and --to") {
  std::string store = GraphStore();
  auto csv = RunTidemark({"--store", store, "score", "--history", "--from", "2026-03-02", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out == "date,score,achieved,achievable,controls,completed\n"
                   "2026-03-02,62.5000,37.5,60,7,4\n"
                   "2026-03-03,83.3333,50,60,7,6\n");
  auto svg = RunTidemark({"--store", store, "score", "--history", "--to", "2026-03-02", "--format", "svg"});
  REQUIRE(svg.exit_code == 0);
  CHECK(svg.out.rfind("<svg", 0) == 0);
  CHECK(svg.out.find("2026-03-01: 24.2, 14.5 of 60 points") != std::string::npos);
  CHECK(svg.out.find("2026-03-03") == std::string::npos);
  auto table = RunTidemark({"--store", store, "--as-of", "2026-03-01", "score", "--history"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("2026-03-01  24.2   14.5") != std::string::npos);
  CHECK(table.out.find("2026-03-02") == std::string::npos);
}

TEST_CASE("history of the all scope carries the posture score at each point") {
  std::string store = GraphStore();
  auto csv = RunTidemark({"--store", store, "history", "--scope", "all", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("date,resilience,exposure,incidents,posture_changed,incident_added,posture_score,vulnerability_exposure\n", 0) == 0);
  CHECK(csv.out.find("2026-03-02,,,0,1,0,62.5000,\n") != std::string::npos);
  auto json = Json(RunTidemark({"--store", store, "history", "--scope", "all", "--format", "json"}).out);
  CHECK(json["points"][2]["posture_score"].GetDouble() == doctest::Approx(100.0 * 50 / 60).epsilon(1e-6));
}

TEST_CASE("score refuses history options without --history and unknown groups") {
  std::string store = GraphStore();
  CHECK(RunTidemark({"--store", store, "score", "--from", "2026-03-01"}).exit_code == 1);
  CHECK(RunTidemark({"--store", store, "score", "--by", "status"}).exit_code == 1);
  CHECK(RunTidemark({"--store", store, "score", "--history", "--from", "yesterday"}).exit_code == 1);
}

}  // namespace tidemark::testing
