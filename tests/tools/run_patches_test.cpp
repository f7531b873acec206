// tidemark run and feed with vulnerability findings, end to end through the importers: a native
// finding opens a patch event for `all`, a Defender delta's Fixed row resolves it as patched,
// and feed --format servicenow / jira turn both into ticket bodies (per control too).
//
// ATT&CK: tests/data/scoring/mini-attack.json. CVE knowledge (CTID CVE CSV): CVE-2021-0001
// exploitation technique T1100. One incident INC-1 (T1100, closed 2026-03-01), so `all` has T1100
// with w = 2. One finding: web01 CVE-2021-0001 mozilla/firefox first seen 2026-01-01; U = {web01},
// X(T1100) = {web01}: VE = 100, and fixing firefox lowers it by 100 points.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "engine/store/feed_catalog.h"
#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

std::string PatchStore() {
  std::string dir = TempDir("run_patches");
  std::string store = dir + "/db";
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "attack", DataPath("scoring/mini-attack.json")}).exit_code == 0);
  WriteText(dir + "/cves.csv", "CVE ID,Primary Impact,Secondary Impact,Exploitation Technique,Uncategorized,Phase\n"
                               "CVE-2021-0001,,,T1100,,Phase 1\n");
  auto cves = RunTidemark({"--store", store, "-q", "import", "cves", dir + "/cves.csv"});
  REQUIRE_MESSAGE(cves.exit_code == 0, cves.err);
  WriteText(dir + "/i.ndjson",
            R"({"id": "INC-1", "closed": "2026-03-01T00:00:00Z", "classification": "true-positive", "techniques": ["T1100"]})"
            "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", dir + "/i.ndjson"}).exit_code == 0);
  WriteText(dir + "/f.ndjson",
            R"({"asset": "web01", "cve": "CVE-2021-0001", "software": {"vendor": "mozilla", "name": "firefox", "version": "83.0.0.0"}, "first_seen": "2026-01-01T00:00:00Z"})"
            "\n");
  auto findings = RunTidemark({"--store", store, "-q", "import", "vulnerabilities", dir + "/f.ndjson"});
  REQUIRE_MESSAGE(findings.exit_code == 0, findings.err);
  return store;
}

TEST_CASE("a Defender delta's Fixed row resolves the patch event as patched, with its tickets") {
  std::string store = PatchStore();
  std::string key = store::FeedCatalog::PatchKey("all", "all", "mozilla/firefox");
  auto first = RunTidemark({"--store", store, "--as-of", "2026-03-15", "run"});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(first.out.find("patch events: opened 1, updated 0, resolved 0\n") != std::string::npos);
  auto feed = RunTidemark({"--store", store, "feed"});
  CHECK(feed.out == R"({"schema":"tidemark.feed/1","seq":1,"event":"patch.opened","time":"2026-03-15T23:59:59.999Z","key":")" + key +
                        R"(","scope":{"kind":"all","id":"all"},"software":"mozilla/firefox","impact":100.0,"cves":["CVE-2021-0001"],)"
                        R"("assets":1,"techniques":["T1100"],"remediation_type":"software","kev":false,"ransomware":false,"due_date":null})"
                        "\n");
  auto again = RunTidemark({"--store", store, "--as-of", "2026-03-15", "run", "--json"});
  CHECK(again.out.find(R"("patches": {)") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "feed"}).out == feed.out);

  std::string delta = TempDir("delta") + "/delta.json";
  WriteText(delta, R"({"value": [{"deviceName": "WEB01", "cveId": "CVE-2021-0001", "softwareVendor": "mozilla",)"
                   R"( "softwareName": "firefox", "softwareVersion": "83.0.0.0", "firstSeenTimestamp": "2026-01-01 00:00:00",)"
                   R"( "status": "Fixed", "eventTimestamp": "2026-03-10 10:13:34.8476880"}]})");
  auto imported = RunTidemark({"--store", store, "-q", "import", "vulnerabilities", delta});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  auto second = RunTidemark({"--store", store, "--as-of", "2026-03-15", "run"});
  CHECK(second.out.find("patch events: opened 0, updated 0, resolved 1\n") != std::string::npos);
  auto resolved = RunTidemark({"--store", store, "feed", "--from", "2"});
  CHECK(resolved.out.find(R"("seq":2,"event":"patch.resolved")") != std::string::npos);
  CHECK(resolved.out.find(R"("impact":100.0,)") != std::string::npos);  // as last published
  CHECK(resolved.out.find(R"("reason":"patched"})") != std::string::npos);

  auto snow = RunTidemark({"--store", store, "feed", "--format", "servicenow", "--from", "2"});
  CHECK(snow.out.find(R"("correlation_id":")" + key + "\"") != std::string::npos);
  CHECK(snow.out.find(R"("close_code":"Solution provided")") != std::string::npos);
  auto per_control = RunTidemark({"--store", store, "feed", "--format", "jira", "--per-control"});
  REQUIRE_MESSAGE(per_control.exit_code == 0, per_control.err);
  CHECK(per_control.out.find("[tidemark] Patch: mozilla/firefox for the whole organisation") != std::string::npos);
  CHECK(per_control.out.find("[tidemark] Resolved (patched): patch mozilla/firefox") != std::string::npos);
}

}  // namespace
}  // namespace tidemark::testing
