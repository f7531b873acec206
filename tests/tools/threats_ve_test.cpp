// tidemark threats with vulnerability exposure: a VE column beside R and `--sort ve`.
//
// ATT&CK: tests/data/scoring/mini-attack.json (G9000 "Kestrel" uses T1300, T1400). No controls,
// so R = 0 and exposure 100 for every threat. CVE knowledge: CVE-2021-0001 -> T1100,
// CVE-2021-0003 -> T1400. Incidents: INC-1 T1100 threat G9000; INC-2 T1300 threat "Crew".
// Findings: web01 CVE-2021-0001, ws01 CVE-2021-0003: U = {web01, ws01}, vshare(T1100) =
// vshare(T1400) = 1/2.
//   G9000: T1100 w 2, T1300 w 1, T1400 w 1: VE = 100 · (2·0.5 + 0 + 1·0.5) / 4 = 37.5.
//   Crew:  T1300 w 2: VE = 0.
// By exposure the two tie (100, one incident each) and the id decides: Crew, G9000.
// By VE: G9000, Crew.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

std::string ThreatStore() {
  std::string dir = TempDir("threats_ve");
  std::string store = dir + "/db";
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "attack", DataPath("scoring/mini-attack.json")}).exit_code == 0);
  WriteText(dir + "/cves.csv", "CVE ID,Primary Impact,Secondary Impact,Exploitation Technique,Uncategorized,Phase\n"
                               "CVE-2021-0001,,,T1100,,Phase 1\nCVE-2021-0003,T1400,,,,Phase 1\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "cves", dir + "/cves.csv"}).exit_code == 0);
  WriteText(dir + "/i.ndjson",
            R"({"id": "INC-1", "closed": "2026-03-01T00:00:00Z", "techniques": ["T1100"], "threats": ["G9000"]})"
            "\n"
            R"({"id": "INC-2", "closed": "2026-03-02T00:00:00Z", "techniques": ["T1300"], "threats": ["Crew"]})"
            "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", dir + "/i.ndjson"}).exit_code == 0);
  WriteText(dir + "/f.ndjson",
            R"({"asset": "web01", "cve": "CVE-2021-0001", "software": {"vendor": "mozilla", "name": "firefox"}, "first_seen": "2026-01-01T00:00:00Z"})"
            "\n"
            R"({"asset": "ws01", "cve": "CVE-2021-0003", "software": {"vendor": "acme", "name": "widget"}, "first_seen": "2026-01-01T00:00:00Z"})"
            "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "vulnerabilities", dir + "/f.ndjson"}).exit_code == 0);
  return store;
}

rapidjson::Document Threats(const std::string& store, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--store", store, "--json", "--as-of", "2026-03-15", "threats", "--observed-only"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto result = RunTidemark(args);
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  rapidjson::Document doc;
  doc.Parse(result.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc["threats"].Size() == 2);
  return doc;
}

TEST_CASE("threats carry VE beside R and sort by it with --sort ve") {
  std::string store = ThreatStore();
  auto by_exposure = Threats(store);
  CHECK(std::string(by_exposure["threats"][0]["id"].GetString()) == "Crew");
  CHECK(by_exposure["threats"][0]["vulnerability_exposure"].GetDouble() == 0);
  CHECK(by_exposure["threats"][0]["exposure"].GetDouble() == 100);
  CHECK(std::string(by_exposure["threats"][1]["id"].GetString()) == "G9000");
  CHECK(by_exposure["threats"][1]["vulnerability_exposure"].GetDouble() == 37.5);
  auto by_ve = Threats(store, {"--sort", "ve"});
  CHECK(std::string(by_ve["threats"][0]["id"].GetString()) == "G9000");
  CHECK(std::string(by_ve["threats"][1]["id"].GetString()) == "Crew");
  auto text = RunTidemark({"--store", store, "--as-of", "2026-03-15", "threats", "--observed-only", "--sort", "ve"});
  CHECK(text.out.find(" VE ") != std::string::npos);
  CHECK(text.out.find("37.5") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "threats", "--sort", "points"}).exit_code == 1);
}

}  // namespace
}  // namespace tidemark::testing
