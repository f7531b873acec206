// tidemark import cves / import vulnerabilities / vulnerabilities end to end on the real CVE
// knowledge (../shared) and the Trivy Spring4Shell report: KEV facts shown, known CVEs of a
// threat, refusal leaves the store unchanged.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


std::string StoreWithFindings() {
  std::string store = Spring4ShellStore();
  auto findings = RunTidemark({"--store", store, "import", "vulnerabilities", DataPath("vulnerabilities/trivy-spring4shell-jre11.json"),
                               DataPath("vulnerabilities/trivy-alpine-310.json")});
  REQUIRE_MESSAGE(findings.exit_code == 0, findings.err);
  CHECK(findings.err.find("trivy findings: 1 new") != std::string::npos);
  return store;
}

}  // namespace

TEST_CASE("vulnerabilities ranks the Spring4Shell patch with its KEV facts and the fall of VE") {
  std::string store = StoreWithFindings();
  auto result = RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities"});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  auto doc = Json(result.out);
  // U = the two scanned images (no inventory); the Spring image is open for T1190 and T1059,
  // the scope's two techniques (weight 2 each): VE = 100 · (2·0.5 + 2·0.5) / 4 = 50.
  CHECK(doc["vulnerability_exposure"].GetDouble() == doctest::Approx(50));
  CHECK(doc["assets"].GetUint() == 2);
  REQUIRE(doc["patches"].Size() == 1);
  const auto& patch = doc["patches"][0];
  CHECK(std::string(patch["software"].GetString()) == "jar/org.springframework:spring-beans");
  CHECK(std::string(patch["cves"][0].GetString()) == "CVE-2022-22965");
  CHECK(patch["kev"].GetBool());
  CHECK_FALSE(patch["ransomware"].GetBool());
  CHECK(std::string(patch["due_date"].GetString()) == "2022-04-25");
  CHECK(patch["impact"].GetDouble() == doctest::Approx(50));
  CHECK(patch["techniques"].Size() == 2);
  auto text = RunTidemark({"--store", store, "--as-of", "2026-01-01", "vulnerabilities", "--kev"});
  CHECK(text.out.find("2022-04-25") != std::string::npos);
  auto firmware = RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities", "--remediation-type", "firmware"});
  CHECK(Json(firmware.out)["patches"].Size() == 0);
}

TEST_CASE("a threat scope lists the CVEs ATT&CK says it exploited, with the assets each is open on") {
  std::string store = StoreWithFindings();
  auto result = RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "threat", "G0016"});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  auto doc = Json(result.out);
  REQUIRE(doc.HasMember("known_cves"));
  bool citrix = false;
  for (const auto& known : doc["known_cves"].GetArray()) {
    if (std::string(known["cve"].GetString()) == "CVE-2019-19781") citrix = true;
    CHECK(known["open_on"].GetUint() == 0);
  }
  CHECK(citrix);
  CHECK(doc["techniques"][0].HasMember("vulnerability_share"));
}

TEST_CASE("an invalid finding refuses the whole import and leaves the store unchanged") {
  std::string store = StoreWithFindings();
  std::string bad = TempDir("bad") + "/f.json";
  WriteText(bad, R"({"findings": [{"asset": "x", "cve": "CVE-2020-0001", "first_seen": "2026-01-01"},
                                    {"asset": "y", "cve": "CVE-2020-0002"}]})");
  auto refused = RunTidemark({"--store", store, "import", "vulnerabilities", bad});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("findings[1]: field \"first_seen\" is missing") != std::string::npos);
  auto after = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities"}).out);
  CHECK(after["findings"].GetUint() == 5);
  auto skipped = RunTidemark({"--store", store, "import", "vulnerabilities", "--skip-invalid", bad});
  CHECK(skipped.exit_code == 0);
  CHECK(Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities"}).out)["findings"].GetUint() == 6);
}

TEST_CASE("a findings file larger than a read chunk is written in batches, and one bad last line still refuses all of it") {
  std::string store = StoreWithFindings();
  // 30,000 lines of ~190 bytes: past the 4 MiB read chunk (lines cut across chunks) and three
  // batches of 8,192 rows written before the bad line is read.
  std::string big = TempDir("big") + "/f.ndjson";
  std::string text;
  for (int idx = 0; idx < 30000; ++idx) {
    text += fmt::format(R"({{"asset": "bulk-{:05d}", "cve": "CVE-2021-44228", "software": {{"vendor": "apache", "name": "log4j", )"
                        R"("version": "2.14.1"}}, "first_seen": "2025-06-01T00:00:00Z", "severity": "critical", "cvss": 10.0}})"
                        "\n",
                        idx);
  }
  WriteText(big, text + R"({"asset": "bulk-x", "cve": "CVE-2021-44228"})" + "\n");
  auto refused = RunTidemark({"--store", store, "import", "vulnerabilities", big});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("f.ndjson:line 30001: field \"first_seen\" is missing; nothing was imported") != std::string::npos);
  CHECK(Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities"}).out)["findings"].GetUint() == 5);
  auto skipped = RunTidemark({"--store", store, "import", "vulnerabilities", "--skip-invalid", big});
  REQUIRE_MESSAGE(skipped.exit_code == 0, skipped.err);
  CHECK(skipped.err.find("native findings: 30000 new, 0 updated; 1 rejected") != std::string::npos);
  CHECK(Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities"}).out)["findings"].GetUint() == 30005);
}

}  // namespace tidemark::testing
