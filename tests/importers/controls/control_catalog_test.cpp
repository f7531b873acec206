// Control catalogs (importers/controls/control_catalog): native JSON and CSV, the built-in
// attack-mitigations catalog, Graph secureScoreControlProfiles with the curated Secure Score
// mapping applied, through the `tidemark` command on real ATT&CK v18.1.
#include "importers/controls/control_catalog.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>

#include "engine/core/json.h"
#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


std::set<std::string> TechniquesVia(const rapidjson::Value& card, const std::string& via) {
  std::set<std::string> out;
  for (const auto& t : card["techniques"].GetArray()) {
    if (via == t["via"].GetString()) out.insert(t["id"].GetString());
  }
  return out;
}

std::set<std::string> MitigationTechniques(const std::string& store, const std::string& mitigation) {
  auto card = Json(RunTidemark({"--store", store, "--json", "mitigation", mitigation}).out);
  std::set<std::string> out;
  for (const auto& t : card["techniques"].GetArray()) out.insert(t["id"].GetString());
  return out;
}

}  // namespace

TEST_CASE("a catalog control with mitigations [M1032] reaches every technique M1032 mitigates in v18.1") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "import", "controls", DataPath("controls/catalog.json")});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("3 controls imported, 3 direct mappings stored") != std::string::npos);
  auto card = Json(RunTidemark({"--store", store, "--json", "control", "MFA-ADMINS"}).out);
  auto expected = MitigationTechniques(store, "M1032");
  REQUIRE(expected.size() > 20);
  CHECK(TechniquesVia(card, "mitigation:M1032") == expected);
  for (const auto& t : card["techniques"].GetArray()) {
    if (std::string(t["via"].GetString()) == "mitigation:M1032") CHECK(t["strength"].GetDouble() == 1.0);
  }
  // T1078.004 is both mapped directly (partial, 0.5) and mitigated by M1032 (1.0): the
  // strongest path is the one shown.
  for (const auto& t : card["techniques"].GetArray()) {
    if (std::string(t["id"].GetString()) == "T1078.004") CHECK(std::string(t["via"].GetString()) == "mitigation:M1032");
  }
  CHECK(std::string(card["license"].GetString()) == "E3");
  CHECK(std::string(card["extra"]["owner"].GetString()) == "iam-team");  // unknown keys kept
}

TEST_CASE("the CSV catalog imports the same controls and mappings as the JSON one") {
  std::string json_store = StoreWithAttack();
  std::string csv_store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", json_store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  REQUIRE(RunTidemark({"--store", csv_store, "-q", "import", "controls", DataPath("controls/catalog.csv")}).exit_code == 0);
  for (const char* id : {"MFA-ADMINS", "EDR-ASR", "EMAIL-TRAINING"}) {
    CAPTURE(id);
    auto from_json = Json(RunTidemark({"--store", json_store, "--json", "control", id}).out);
    auto from_csv = Json(RunTidemark({"--store", csv_store, "--json", "control", id}).out);
    CHECK(ToJsonString(from_json["techniques"]) == ToJsonString(from_csv["techniques"]));
    CHECK(ToJsonString(from_json["mitigations"]) == ToJsonString(from_csv["mitigations"]));
    CHECK(std::string(from_json["product"].GetString()) == from_csv["product"].GetString());
  }
  auto asr = Json(RunTidemark({"--store", csv_store, "--json", "control", "EDR-ASR"}).out);
  CHECK(std::string(asr["title"].GetString()) == "Attack surface reduction rules, all of them");
}

TEST_CASE("--builtin attack-mitigations: one control per live mitigation, implementing it") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "import", "controls", "--builtin", "attack-mitigations"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("44 controls imported") != std::string::npos);
  auto list = Json(RunTidemark({"--store", store, "--json", "controls"}).out);
  CHECK(list["controls"].Size() == 44);
  auto card = Json(RunTidemark({"--store", store, "--json", "control", "ATTACK-M1038"}).out);
  CHECK(std::string(card["title"].GetString()) == "Execution Prevention");
  CHECK(std::string(card["product"].GetString()) == "MITRE ATT&CK");
  CHECK(TechniquesVia(card, "mitigation:M1038") == MitigationTechniques(store, "M1038"));
  CHECK(RunTidemark({"--store", store, "import", "controls", "--builtin", "nope"}).exit_code == 1);
}

TEST_CASE("Graph profiles import as controls and the curated Secure Score mapping makes them reach techniques") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "import", "controls", DataPath("controls/graph_control_profiles.json")});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("Graph secureScoreControlProfiles catalog: 5 controls imported") != std::string::npos);
  CHECK(result.err.find("curated Secure Score mapping applied: 6 rows for the imported controls") != std::string::npos);
  auto admin = Json(RunTidemark({"--store", store, "--json", "control", "AdminMFAV2"}).out);
  CHECK(std::string(admin["product"].GetString()) == "AzureAD");
  CHECK(std::string(admin["category"].GetString()) == "Identity");
  CHECK(admin["max_points"].GetDouble() == 10.0);
  CHECK(std::string(admin["remediation_type"].GetString()) == "configuration");
  CHECK(std::string(admin["extra"]["tier"].GetString()) == "Core");
  std::set<std::string> mitigations;
  for (const auto& m : admin["mitigations"].GetArray()) mitigations.insert(m["id"].GetString());
  CHECK(mitigations == std::set<std::string>{"M1026", "M1032"});
  // M1026 and M1032 both mitigate T1078.004: the card shows scoring's path, the lowest
  // mitigation ID on a tie (issue 16: the card had no tie-break of its own).
  CHECK(TechniquesVia(admin, "mitigation:M1026").count("T1078.004") == 1);
  CHECK(TechniquesVia(admin, "mitigation:M1032").count("T1078.004") == 0);
  auto av = Json(RunTidemark({"--store", store, "--json", "control", "scid_2010"}).out);
  CHECK(TechniquesVia(av, "mitigation:M1049") == MitigationTechniques(store, "M1049"));
  // Controls the curated file does not know reach nothing, and no other curated control is created.
  auto custom = Json(RunTidemark({"--store", store, "--json", "control", "CustomTenantControl"}).out);
  CHECK(custom["techniques"].Size() == 0);
  CHECK(RunTidemark({"--store", store, "control", "mdo_safelinksforemail"}).exit_code == 2);
  // Re-importing the profiles keeps the mitigations the curated mapping gave them.
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", "--no-secure-score-mapping",
                       DataPath("controls/graph_control_profiles.json")}).exit_code == 0);
  admin = Json(RunTidemark({"--store", store, "--json", "control", "AdminMFAV2"}).out);
  CHECK(admin["mitigations"].Size() == 2);
}

TEST_CASE("the curated Secure Score mapping is valid: live mitigations, a rationale on every row") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "import", "mappings", SourceDir() + "/mappings/secure-score.json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("unknown") == std::string::npos);
  auto doc = Json(ReadText(SourceDir() + "/mappings/secure-score.json"));
  for (const auto& row : doc["mappings"].GetArray()) {
    CAPTURE(row["control"].GetString());
    REQUIRE(row.HasMember("rationale"));
    CHECK(std::string(row["rationale"].GetString()).size() > 20);
  }
}

}  // namespace tidemark::testing

namespace tidemark::testing {

// Regression (issue 12): `import controls posture-2026-01.json` exited 0 as "16 controls
// imported" and blanked every title, product, category and license of the catalog.
TEST_CASE("a posture snapshot given to import controls is refused naming the file and why, and blanks nothing") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  auto controls = [&] { return RunTidemark({"--store", store, "--json", "--as-of", "2026-03-01", "controls"}).out; };
  std::string before = controls();
  std::string dir = TempDir();
  struct Case {
    std::string name;
    std::string content;
    std::string why;
  };
  const Case cases[] = {
      {"posture-2026-01.json", R"({"as_of": "2026-01-31", "controls": [{"id": "MFA-ADMINS", "status": "completed"}]})",
       "\"as_of\""},
      {"snapshots.json", R"({"snapshots": [{"as_of": "2026-01-31", "controls": [{"id": "MFA-ADMINS"}]}]})",
       "\"snapshots\""},
      {"array.json", R"([{"as_of": "2026-01-31", "controls": [{"id": "MFA-ADMINS", "status": "planned"}]}])",
       "records with \"as_of\""},
      {"scores.json", ReadText(DataPath("controls/graph_secure_scores.json")), "\"controlScores\""},
      {"posture.csv", ReadText(DataPath("controls/posture.csv")), "an \"as_of\" column"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::string path = dir + "/" + c.name;
    WriteText(path, c.content);
    auto result = RunTidemark({"--store", store, "import", "controls", path});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(path + ": not a control catalog: it has " + c.why) != std::string::npos);
    CHECK(result.err.find("tidemark import posture") != std::string::npos);
    CHECK(controls() == before);
  }
}

TEST_CASE("a catalog record updates only the fields it gives and never blanks the ones it omits") {
  std::string store = StoreWithAttack();
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")}).exit_code == 0);
  std::string dir = TempDir();
  WriteText(dir + "/licence.json", R"({"controls": [{"id": "MFA-ADMINS", "license": "E5", "title": null}]})");
  auto result = RunTidemark({"--store", store, "import", "controls", dir + "/licence.json"});
  REQUIRE(result.exit_code == 0);
  auto card = Json(RunTidemark({"--store", store, "--json", "control", "MFA-ADMINS"}).out);
  CHECK(std::string(card["license"].GetString()) == "E5");
  CHECK(std::string(card["title"].GetString()) == "Require MFA for administrative roles");
  CHECK(std::string(card["product"].GetString()) == "Entra ID");
  CHECK(std::string(card["category"].GetString()) == "Identity");
  CHECK(std::string(card["remediation_type"].GetString()) == "configuration");
  CHECK(card["max_points"].GetDouble() == 10);
  CHECK(std::string(card["extra"]["owner"].GetString()) == "iam-team");
  CHECK(TechniquesVia(card, "mitigation:M1032").size() > 20);  // mitigations kept
  bool direct_kept = false;  // the direct mapping T1078.004 (shown via M1032, which is stronger)
  for (const auto& t : card["techniques"].GetArray()) direct_kept |= std::string(t["id"].GetString()) == "T1078.004";
  CHECK(direct_kept);

  // CSV: a blank cell is not a value (CSV cannot tell empty from absent).
  WriteText(dir + "/partial.csv", "id,title,product,category\nEDR-ASR,,Defender XDR,\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", dir + "/partial.csv"}).exit_code == 0);
  card = Json(RunTidemark({"--store", store, "--json", "control", "EDR-ASR"}).out);
  CHECK(std::string(card["title"].GetString()) == "Attack surface reduction rules");
  CHECK(std::string(card["product"].GetString()) == "Defender XDR");
  CHECK(std::string(card["category"].GetString()) == "Device");
  CHECK(std::string(card["license"].GetString()) == "E5");
  // Its direct mappings from catalog.json were not given again: kept.
  bool t1059 = false;
  for (const auto& t : card["techniques"].GetArray()) t1059 |= std::string(t["id"].GetString()) == "T1059.001";
  CHECK(t1059);

  // An explicit empty string is a value: it clears the field.
  WriteText(dir + "/clear.json", R"({"controls": [{"id": "EDR-ASR", "license": ""}]})");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "controls", dir + "/clear.json"}).exit_code == 0);
  card = Json(RunTidemark({"--store", store, "--json", "control", "EDR-ASR"}).out);
  CHECK(std::string(card["license"].GetString()).empty());
  CHECK(std::string(card["title"].GetString()) == "Attack surface reduction rules");
}

}  // namespace tidemark::testing
