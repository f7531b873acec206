// CVE knowledge from the three forms, read from the real reference data beside the project
// (../shared: CTID KEV set and CVE CSV, CISA KEV catalog) and from small hand-made files.
#include "importers/cves/cve_file.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/test_support.h"

namespace tidemark::importers {
namespace {

CveFile ParseShared(const std::string& relative) {
  std::string text = testing::ReadText(testing::SharedPath(relative));
  auto parsed = ParseCveFile(text, relative);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  return std::move(parsed).value();
}

bool Has(const CveFile& file, const char* cve, const char* technique, model::CveMappingType type) {
  return std::any_of(file.mappings.begin(), file.mappings.end(), [&](const model::CveMapping& m) {
    return m.cve == cve && m.technique == technique && m.type == type;
  });
}

TEST_CASE("the CTID KEV mapping set gives each CVE its exploitation and impact techniques") {
  auto file = ParseShared("mappings/kev/kev-07.28.2025_attack-16.1-enterprise.json");
  CHECK(file.format == "CTID KEV mapping set");
  CHECK(file.rejects.empty());
  CHECK(file.mappings.size() + file.non_mappable == 1183);
  CHECK(Has(file, "CVE-2022-22965", "T1190", model::CveMappingType::kExploitationTechnique));
  CHECK(Has(file, "CVE-2022-22965", "T1059", model::CveMappingType::kPrimaryImpact));
}

TEST_CASE("the CTID ATT&CK-to-CVE CSV splits its cells into one row per technique") {
  auto file = ParseShared("mappings/cve/Att&ckToCveMappings.csv");
  CHECK(file.rejects.empty());
  // CVE-2019-15956,T1499; T1098,,T1190; T1078,,Phase 2
  CHECK(Has(file, "CVE-2019-15956", "T1499", model::CveMappingType::kPrimaryImpact));
  CHECK(Has(file, "CVE-2019-15956", "T1098", model::CveMappingType::kPrimaryImpact));
  CHECK(Has(file, "CVE-2019-15956", "T1078", model::CveMappingType::kExploitationTechnique));
  CHECK(Has(file, "CVE-2019-15976", "T1059", model::CveMappingType::kSecondaryImpact));
}

TEST_CASE("the CISA KEV catalog gives date added, due date and known ransomware use") {
  auto file = ParseShared("vulnerabilities/known_exploited_vulnerabilities.json");
  CHECK(file.format == "CISA KEV catalog");
  CHECK(file.kev.size() == 1404);
  auto log4shell = std::find_if(file.kev.begin(), file.kev.end(), [](const auto& e) { return e.cve == "CVE-2021-44228"; });
  REQUIRE(log4shell != file.kev.end());
  CHECK(log4shell->date_added == "2021-12-10");
  CHECK(log4shell->due_date == "2021-12-24");
  CHECK(log4shell->ransomware);
  CHECK(log4shell->catalog_version == "2025.08.25");
}

TEST_CASE("a control mapping set is refused by import cves, and bad KEV rows are rejected by field") {
  std::string m365 = testing::ReadText(testing::SharedPath("mappings/m365/m365-07.18.2025_attack-16.1-enterprise.json"));
  auto refused = ParseCveFile(m365, "m365.json");
  CHECK(refused.status().code() == StatusCode::kBadInput);
  CHECK(refused.status().message().find("import mappings") != std::string::npos);
  std::string catalog = R"({"catalogVersion": "x", "vulnerabilities": [
    {"cveID": "CVE-2021-44228", "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known"},
    {"cveID": "not-a-cve"},
    {"cveID": "CVE-2020-0001", "dueDate": "soon"},
    {"cveID": "CVE-2020-0002", "knownRansomwareCampaignUse": "Maybe"},
    {"cveID": "CVE-2021-44228"}]})";
  auto parsed = ParseCveFile(catalog, "kev.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->kev.size() == 1);
  REQUIRE(parsed->rejects.items.size() == 4);
  CHECK(parsed->rejects.items[0].Message() == "kev.json:vulnerabilities[1]: field \"cveID\": \"not-a-cve\" is not a CVE ID");
  CHECK(parsed->rejects.items[1].Message().find("\"dueDate\"") != std::string::npos);
  CHECK(parsed->rejects.items[2].Message().find("knownRansomwareCampaignUse") != std::string::npos);
  CHECK(parsed->rejects.items[3].Message().find("duplicate") != std::string::npos);
}

TEST_CASE("CVE IDs are found in free text, any case, once each") {
  CHECK(model::CveIdsIn("exploited cve-2019-19781 and CVE-2018-13379 (CVE-2019-19781 again), not XCVE-2020-1234") ==
        std::vector<std::string>{"CVE-2019-19781", "CVE-2018-13379"});
  CHECK(model::NormalizeCveId(" cve-2021-44228 ") == std::optional<std::string>("CVE-2021-44228"));
  CHECK_FALSE(model::NormalizeCveId("CVE-21-1").has_value());
}

}  // namespace
}  // namespace tidemark::importers
