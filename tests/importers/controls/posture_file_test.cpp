// Posture snapshots (importers/controls/posture_file) and the state at --as-of (SPEC §3):
// native JSON and CSV snapshots, Graph secureScores with implemented = score / maxScore.
#include "importers/controls/posture_file.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


struct State {
  std::string status;
  double implemented;
};

State StateOf(const std::string& store, const std::string& control, const std::string& as_of) {
  auto card = Json(RunTidemark({"--store", store, "--json", "--as-of", as_of, "control", control}).out);
  return {card["status"].GetString(), card["implemented"].GetDouble()};
}

std::string StoreWithCatalogAndPosture(const std::string& posture_file) {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  auto result = RunTidemark({"--store", store, "import", "posture", DataPath(posture_file)});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("3 snapshots, 6 records imported, 0 rejected") != std::string::npos);
  return store;
}

}  // namespace

TEST_CASE("posture at several dates: earlier snapshot between dates, risk-accepted 0, explicit implemented wins") {
  for (const char* file : {"controls/posture.json", "controls/posture.csv"}) {
    CAPTURE(file);
    std::string store = StoreWithCatalogAndPosture(file);
    struct Case {
      const char* control;
      const char* as_of;
      const char* status;
      double implemented;
    };
    const Case cases[] = {
        // Before the first snapshot: no record, impl 0.
        {"MFA-ADMINS", "2025-12-31", "to-address", 0.0},
        // 2026-01-01 snapshot (a date alone: start of day for as_of, end of day for --as-of).
        {"MFA-ADMINS", "2026-01-01", "to-address", 0.0},
        {"EMAIL-TRAINING", "2026-01-01", "completed", 1.0},  // completed, no implemented: 1
        {"EDR-ASR", "2026-01-15", "planned", 0.0},           // between snapshots: the earlier one
        // 2026-02-01: completed with implemented 0.8 -> 0.8 (explicit wins over completed = 1).
        {"MFA-ADMINS", "2026-02-01", "completed", 0.8},
        // risk-accepted with implemented 0.9 -> 0 (risk-accepted is always 0).
        {"EDR-ASR", "2026-02-01", "risk-accepted", 0.0},
        // EMAIL-TRAINING is not in later snapshots: its state carries forward.
        {"EMAIL-TRAINING", "2026-02-20", "completed", 1.0},
        // 2026-03-01T12:00Z: the snapshot is later that day; 11:59 still sees February's state.
        {"MFA-ADMINS", "2026-03-01T11:59:00Z", "completed", 0.8},
        {"MFA-ADMINS", "2026-03-01T12:00:00Z", "third-party", 1.0},  // third-party: 1
        {"MFA-ADMINS", "2026-03-01", "third-party", 1.0},           // end of that day
    };
    for (const auto& c : cases) {
      CAPTURE(c.control);
      CAPTURE(c.as_of);
      auto state = StateOf(store, c.control, c.as_of);
      CHECK(state.status == c.status);
      CHECK(state.implemented == doctest::Approx(c.implemented));
    }
    auto card = Json(RunTidemark({"--store", store, "--json", "control", "MFA-ADMINS"}).out);
    REQUIRE(card["history"].Size() == 3);
    CHECK(std::string(card["history"][1]["as_of"].GetString()) == "2026-02-01T00:00:00Z");
    CHECK(card["history"][1]["implemented_given"].GetDouble() == 0.8);
  }
}

TEST_CASE("a Graph secureScores export imports as posture: implemented = score / the profile's maxScore") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/graph_control_profiles.json")}).exit_code == 0);
  auto result = RunTidemark({"--store", store, "import", "posture", DataPath("controls/graph_secure_scores.json")});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("Graph secureScores posture: 2 snapshots, 8 records imported") != std::string::npos);
  struct Case {
    const char* control;
    const char* as_of;
    const char* status;
    double implemented;
  };
  const Case cases[] = {
      {"AdminMFAV2", "2026-03-01", "to-address", 0.5},                  // 5 / 10
      {"AdminMFAV2", "2026-03-02", "completed", 1.0},                   // 10 / 10
      {"BlockLegacyAuthentication", "2026-03-01", "to-address", 0.0},   // 0 / 8
      {"mdo_safeattachments", "2026-03-01", "to-address", 0.25},        // 2 / 8
      {"mdo_safeattachments", "2026-03-02", "to-address", 0.75},        // 6 / 8
      {"scid_2010", "2026-03-01", "to-address", 0.5},                   // 4.5 / 9
      {"scid_2010", "2026-02-28", "to-address", 0.0},                   // before the export
  };
  for (const auto& c : cases) {
    CAPTURE(c.control);
    CAPTURE(c.as_of);
    auto state = StateOf(store, c.control, c.as_of);
    CHECK(state.status == c.status);
    CHECK(state.implemented == doctest::Approx(c.implemented));
  }
  // ...and the curated mapping turned the Secure Score names into reached techniques.
  auto card = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-03-02", "control", "mdo_safeattachments"}).out);
  CHECK(card["counted_techniques"].GetUint() > 0);
  bool reaches_spearphishing = false;
  for (const auto& t : card["techniques"].GetArray()) {
    if (std::string(t["id"].GetString()) == "T1566.001") {
      reaches_spearphishing = true;
      CHECK(std::string(t["via"].GetString()) == "mitigation:M1049");
    }
  }
  CHECK(reaches_spearphishing);
}

TEST_CASE("a snapshot naming a control that is not in the store is rejected, not created") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  std::string dir = TempDir();
  WriteText(dir + "/p.json", R"({"as_of": "2026-01-01", "controls": [
    {"id": "MFA-ADMINS", "status": "completed"}, {"id": "GHOST", "status": "planned"}]})");
  auto before = RunTidemark({"--store", store, "--json", "info"}).out;
  auto result = RunTidemark({"--store", store, "import", "posture", dir + "/p.json"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find(dir + "/p.json:controls[1]: control \"GHOST\" is not in the store") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "--json", "info"}).out == before);
  // With --skip-invalid the valid record is imported and the reject reported.
  result = RunTidemark({"--store", store, "import", "posture", "--skip-invalid", "--rejects", dir + "/rejects.txt", dir + "/p.json"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("rejected " + dir + "/p.json:controls[1]") != std::string::npos);
  CHECK(ReadText(dir + "/rejects.txt").find("controls[1]: control \"GHOST\"") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "control", "GHOST"}).exit_code == 2);
  CHECK(StateOf(store, "MFA-ADMINS", "2026-01-02").status == "completed");
}

}  // namespace tidemark::testing
