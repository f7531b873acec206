// SPEC v2 §3 "Posture score" on a hand-made catalog, every value worked out by hand below.
//
// control   category  product    license  max  posture (status, implemented)           points at 03-15
// P-MFA     Identity  Entra ID   E3       10   03-01 completed 0.8 (partial)                    8
// P-DLP     Data      Purview    E5       20   03-01 risk-accepted 0.9 (always 0)               0
// P-EDR     Device    Defender   E5       30   03-01 third-party (full)                        30
// P-FW      Device    Defender   E5       10   03-01 third-party 0.5 (implemented wins)         5
// P-PLAN    Identity  Entra ID   E3       10   02-01 planned; 03-10 alternate-mitigation       10
// P-LATE    Apps      Intune     (none)   20   04-01 completed                                  0
// P-OLD     Identity  Entra ID   E3       40   03-01 completed, deprecated           not scored
// P-NOPTS   Identity  Entra ID   E3       -    03-01 completed                       not scored
// P-ZERO    Data      Purview    E5       0    03-01 completed                       not scored
//
// At τ = 2026-03-15 (end of day): achievable = 10+20+30+10+10+20 = 100, achieved = 53, S = 53;
// 6 controls scored, 2 completed (P-EDR, P-PLAN); 1 deprecated, 2 without points.
// By category: Apps 0/20; Data 0/20; Device 35/40 = 87.5; Identity 18/20 = 90.
// By license: E3 18/20 = 90; E5 35/60 = 58.3333; (none) 0/20 last.
// History (days with a posture record): 02-01 0; 03-01 43; 03-10 53; 04-01 73.
#include "engine/scoring/posture_score.h"

#include <doctest/doctest.h>

#include "engine/store/org_catalog.h"
#include "tests/test_support.h"

namespace tidemark::scoring {
namespace {

using model::ControlStatus;

using testing::Day;
using testing::EndOf;

std::string PointsStore() {
  std::string dir = testing::TempDir("points");
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  Status written = (*store)->Write([](store::WriteTxn& txn) {
    auto control = [&](const char* id, const char* category, const char* product, const char* license,
                       std::optional<double> max_points, bool deprecated = false) {
      model::Control c;
      c.id = id;
      c.title = std::string("Control ") + id;
      c.category = category;
      c.product = product;
      c.license = license;
      c.max_points = max_points;
      c.deprecated = deprecated;
      store::OrgCatalog::PutControl(txn, c);
    };
    control("P-MFA", "Identity", "Entra ID", "E3", 10);
    control("P-DLP", "Data", "Purview", "E5", 20);
    control("P-EDR", "Device", "Defender", "E5", 30);
    control("P-FW", "Device", "Defender", "E5", 10);
    control("P-PLAN", "Identity", "Entra ID", "E3", 10);
    control("P-LATE", "Apps", "Intune", "", 20);
    control("P-OLD", "Identity", "Entra ID", "E3", 40, /*deprecated=*/true);
    control("P-NOPTS", "Identity", "Entra ID", "E3", std::nullopt);
    control("P-ZERO", "Data", "Purview", "E5", 0);
    auto posture = [&](const char* c, const char* date, ControlStatus s, std::optional<double> impl) {
      store::OrgCatalog::PutPosture(txn, model::PostureRecord{c, Day(date), s, impl, "fixture"});
    };
    posture("P-MFA", "2026-03-01", ControlStatus::kCompleted, 0.8);
    posture("P-DLP", "2026-03-01", ControlStatus::kRiskAccepted, 0.9);
    posture("P-EDR", "2026-03-01", ControlStatus::kThirdParty, std::nullopt);
    posture("P-FW", "2026-03-01", ControlStatus::kThirdParty, 0.5);
    posture("P-PLAN", "2026-02-01", ControlStatus::kPlanned, std::nullopt);
    posture("P-PLAN", "2026-03-10", ControlStatus::kAlternateMitigation, std::nullopt);
    posture("P-LATE", "2026-04-01", ControlStatus::kCompleted, std::nullopt);
    posture("P-OLD", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    posture("P-NOPTS", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    posture("P-ZERO", "2026-03-01", ControlStatus::kCompleted, std::nullopt);
    return Status::Ok();
  });
  REQUIRE(written.ok());
  return dir;
}

graph::DefenseGraph LoadGraph() {
  static std::string dir = PointsStore();
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  auto txn = (*store)->Read();
  return graph::DefenseGraph::Build(txn);
}

const PointsTally& Group(const PostureScore& score, const std::string& name) {
  for (const auto& group : score.groups) {
    if (group.name == name) return group;
  }
  FAIL("no group " << name);
  throw;
}

TEST_CASE("posture score counts partial, risk-accepted and third-party controls and leaves out deprecated and pointless ones") {
  graph::DefenseGraph g = LoadGraph();
  PostureScore score = PostureScorer(g).Evaluate(EndOf("2026-03-15"));
  CHECK(score.total.achievable == doctest::Approx(100));
  CHECK(score.total.achieved == doctest::Approx(53));
  REQUIRE(score.total.Score());
  CHECK(*score.total.Score() == doctest::Approx(53));
  CHECK(score.total.controls == 6);
  CHECK(score.total.completed == 2);
  CHECK(score.deprecated == 1);
  CHECK(score.without_points == 2);
  CHECK(score.groups.empty());
}

TEST_CASE("posture score groups by category with each group's own percentage") {
  graph::DefenseGraph g = LoadGraph();
  PostureScore score = PostureScorer(g).Evaluate(EndOf("2026-03-15"), PointsGroupBy::kCategory);
  REQUIRE(score.groups.size() == 4);
  CHECK(score.groups[0].name == "Apps");
  CHECK(score.groups[3].name == "Identity");
  CHECK(*Group(score, "Apps").Score() == doctest::Approx(0));
  CHECK(Group(score, "Data").achievable == doctest::Approx(20));
  CHECK(*Group(score, "Device").Score() == doctest::Approx(87.5));
  CHECK(Group(score, "Identity").achieved == doctest::Approx(18));
  CHECK(Group(score, "Identity").controls == 2);
}

TEST_CASE("posture score groups by license with controls that name none in a last unnamed group") {
  graph::DefenseGraph g = LoadGraph();
  PostureScore score = PostureScorer(g).Evaluate(EndOf("2026-03-15"), PointsGroupBy::kLicense);
  REQUIRE(score.groups.size() == 3);
  CHECK(score.groups[0].name == "E3");
  CHECK(*score.groups[0].Score() == doctest::Approx(90));
  CHECK(score.groups[1].name == "E5");
  CHECK(*score.groups[1].Score() == doctest::Approx(100.0 * 35 / 60));
  CHECK(score.groups[2].name == "");
  CHECK(score.groups[2].achievable == doctest::Approx(20));
}

TEST_CASE("a control's points gain is what full implementation adds, over all achievable points") {
  graph::DefenseGraph g = LoadGraph();
  PostureScorer scorer(g);
  TimeMs tau = EndOf("2026-03-15");
  ControlPoints mfa = scorer.PointsOf(*g.Control("P-MFA"), tau);
  CHECK(mfa.max_points == doctest::Approx(10));
  CHECK(mfa.achieved == doctest::Approx(8));
  CHECK(mfa.points_gain == doctest::Approx(2));
  CHECK(mfa.score_gain == doctest::Approx(2));
  ControlPoints dlp = scorer.PointsOf(*g.Control("P-DLP"), tau);
  CHECK(dlp.points_gain == doctest::Approx(20));
  CHECK(dlp.score_gain == doctest::Approx(20));
  ControlPoints old = scorer.PointsOf(*g.Control("P-OLD"), tau);
  CHECK(old.max_points == 0);
  CHECK(old.points_gain == 0);
  CHECK(scorer.PointsOf(*g.Control("P-NOPTS"), tau).score_gain == 0);
  CHECK(scorer.Achievable() == doctest::Approx(100));
}

TEST_CASE("posture score history has one point per day on which a posture record falls, within the range") {
  graph::DefenseGraph g = LoadGraph();
  PostureScorer scorer(g);
  auto all = scorer.History(std::nullopt, std::nullopt);
  REQUIRE(all.size() == 4);
  CHECK(FormatDate(all[0].date) == "2026-02-01");
  CHECK(all[0].total.achieved == doctest::Approx(0));
  CHECK(*all[0].total.Score() == doctest::Approx(0));
  CHECK(all[1].total.achieved == doctest::Approx(43));
  CHECK(all[2].total.achieved == doctest::Approx(53));
  CHECK(FormatDate(all[3].date) == "2026-04-01");
  CHECK(*all[3].total.Score() == doctest::Approx(73));
  auto march = scorer.History(Day("2026-03-01"), EndOf("2026-03-31"));
  REQUIRE(march.size() == 2);
  CHECK(FormatDate(march[1].date) == "2026-03-10");
}

TEST_CASE("posture score is null when no control has points") {
  std::string dir = testing::TempDir("points-empty");
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  auto txn = (*store)->Read();
  graph::DefenseGraph g = graph::DefenseGraph::Build(txn);
  PostureScore score = PostureScorer(g).Evaluate(EndOf("2026-03-15"), PointsGroupBy::kProduct);
  CHECK_FALSE(score.total.Score());
  CHECK(score.groups.empty());
}

TEST_CASE("group names parse case-insensitively") {
  CHECK(ParsePointsGroupBy("Category") == PointsGroupBy::kCategory);
  CHECK(ParsePointsGroupBy("license") == PointsGroupBy::kLicense);
  CHECK_FALSE(ParsePointsGroupBy("status"));
}

}  // namespace
}  // namespace tidemark::scoring
