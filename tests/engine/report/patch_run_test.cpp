// patch.* events of `tidemark run` (PatchRun through RunBatch) on a hand-made organisation
// written straight into a store, every event worked out by hand below.
//
// ATT&CK (tests/data/scoring/mini-attack.json): T1100, T1200, T1300, T1400; group G9000
// "Kestrel" uses T1300 and T1400. No controls (so no recommendation events), no inventory.
// Incidents (no assets, a(i) = 1), τ = 2026-03-15 (end of day):
//   I1 TP closed 03-01  T1100, T1200  threat G9000
//   I2 TP closed 03-02  T1300
// CVE knowledge: CVE-2021-0001 -> T1100 (exploitation_technique), KEV due 2021-12-24, ransomware;
//                CVE-2021-0002 -> T1300 (primary_impact); CVE-2021-0003 -> T1400 (exploitation).
// Findings, first seen 2026-01-01: web01 0001 apache/log4j; db01 0001 apache/log4j;
//   db01 0002 microsoft/windows; ws01 0003 acme/widget.
// U = {web01, db01, ws01} (weight 3). X(T1100) = {web01, db01} 2/3, X(T1300) = {db01} 1/3,
// X(T1400) = {ws01} 1/3.
// Scopes: all T1100, T1200, T1300 w 2 each (Σ 6); G9000 T1100 2, T1200 2, T1300 1, T1400 1 (Σ 6).
// Patches (fall of VE):
//   all:   log4j 100·2·(2/3)/6 = 22.2222; windows 100·2·(1/3)/6 = 11.1111; widget 0 (T1400 not in all).
//   G9000: log4j 22.2222; widget 100·1·(1/3)/6 = 5.5556; windows 5.5556 (tie: "acme/widget" first).
// Run 1 (threats before all): seq 1-3 G9000 log4j, widget, windows; seq 4-5 all log4j, windows.
// Fixes on 03-10 of web01/log4j and db01/windows (a delta's Fixed): log4j X(T1100) = {db01} 1/3,
// impact 11.1111 in both scopes, 1 asset: updated (seq 6 G9000, 7 all); windows has no open
// finding: resolved `patched` (key order: all 78f1… seq 8, G9000 c479… seq 9).
// I1 reclassified false positive: G9000 has no counted incident (its items resolve
// `scope-gone`); all keeps only T1300, which nothing open gives: log4j resolves `no-impact`.
// Key order: G9000 log4j 30f8… seq 10, all log4j 735c… seq 11, G9000 widget ad91… seq 12.
#include "engine/report/patch_run.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/report/batch_run.h"
#include "engine/store/cve_catalog.h"
#include "engine/store/feed_catalog.h"
#include "engine/store/finding_catalog.h"
#include "engine/store/incident_catalog.h"
#include "tests/store_support.h"
#include "tests/test_support.h"

namespace tidemark::report {
namespace {

using testing::ClosedIncident;
using testing::Day;
using testing::WriteOrFail;

using model::Classification;
using store::FeedCatalog;

const TimeMs kPatchTau = *ParseIsoTime("2026-03-15", DateOnly::kEndOfDay);

model::Finding MakeFinding(const char* asset, const char* cve, const char* vendor, const char* name,
                           const char* fixed = nullptr) {
  model::Finding finding;
  finding.asset = asset;
  finding.cve = cve;
  finding.software = {vendor, name, "1.0"};
  finding.first_seen = Day("2026-01-01");
  if (fixed) finding.fixed = Day(fixed);
  finding.source = "native";
  return finding;
}

std::unique_ptr<store::Store> PatchOrgStore() {
  std::string dir = testing::TempDir("patch_run");
  auto imported = testing::RunTidemark({"--store", dir, "-q", "import", "attack", testing::DataPath("scoring/mini-attack.json")});
  REQUIRE(imported.exit_code == 0);
  auto opened = store::Store::Open(dir);
  REQUIRE(opened.ok());
  std::unique_ptr<store::Store> store = std::move(opened).value();
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    using model::CveMappingType;
    store::CveCatalog::PutMapping(txn, {"CVE-2021-0001", "T1100", "", CveMappingType::kExploitationTechnique, {"fixture"}});
    store::CveCatalog::PutMapping(txn, {"CVE-2021-0002", "T1300", "", CveMappingType::kPrimaryImpact, {"fixture"}});
    store::CveCatalog::PutMapping(txn, {"CVE-2021-0003", "T1400", "", CveMappingType::kExploitationTechnique, {"fixture"}});
    store::CveCatalog::PutKev(txn, {"CVE-2021-0001", "Apache", "Log4j", "", "2021-12-10", "2021-12-24", true, ""});
    store::FindingCatalog::Upsert(txn, MakeFinding("web01", "CVE-2021-0001", "Apache", "Log4j"));
    store::FindingCatalog::Upsert(txn, MakeFinding("db01", "CVE-2021-0001", "Apache", "Log4j"));
    store::FindingCatalog::Upsert(txn, MakeFinding("db01", "CVE-2021-0002", "Microsoft", "Windows"));
    store::FindingCatalog::Upsert(txn, MakeFinding("ws01", "CVE-2021-0003", "Acme", "Widget"));
    store::IncidentCatalog::Put(txn, ClosedIncident("I1", Classification::kTruePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
    store::IncidentCatalog::Put(txn, ClosedIncident("I2", Classification::kTruePositive, "2026-03-02", {"T1300"}, {}));
  });
  return store;
}

RunSummary RunPatches(store::Store& store) {
  RunOptions options;
  options.tau = kPatchTau;
  options.event_time = kPatchTau;
  auto summary = RunBatch(store, options);
  REQUIRE(summary.ok());
  return *summary;
}

std::vector<std::string> Lines(store::Store& store, uint64_t from) {
  std::vector<std::string> lines;
  FeedCatalog::ForEachFrom(store.Read(), from, [&](uint64_t, std::string_view json) {
    lines.emplace_back(json);
    return true;
  });
  return lines;
}

const std::string kHead = R"({"schema":"tidemark.feed/1","seq":)";
const std::string kPatchTime = R"(,"time":"2026-03-15T23:59:59.999Z",)";
const std::string kGroup = R"("scope":{"kind":"group","id":"G9000","name":"Kestrel"},)";
const std::string kAll = R"("scope":{"kind":"all","id":"all"},)";
const std::string kLog4j = R"("software":"apache/log4j",)";
const std::string kLog4jFacts =
    R"("cves":["CVE-2021-0001"],"assets":2,"techniques":["T1100"],"remediation_type":"software","kev":true,"ransomware":true,"due_date":"2021-12-24")";
const std::string kLog4jFactsAfterFix =
    R"("cves":["CVE-2021-0001"],"assets":1,"techniques":["T1100"],"remediation_type":"software","kev":true,"ransomware":true,"due_date":"2021-12-24")";
const std::string kWindows =
    R"("software":"microsoft/windows",)";
const std::string kWindowsFacts =
    R"("cves":["CVE-2021-0002"],"assets":1,"techniques":["T1300"],"remediation_type":"software","kev":false,"ransomware":false,"due_date":null)";
const std::string kWidget = R"("software":"acme/widget",)";
const std::string kWidgetFacts =
    R"("cves":["CVE-2021-0003"],"assets":1,"techniques":["T1400"],"remediation_type":"software","kev":false,"ransomware":false,"due_date":null)";

std::string Line(int seq, const char* event, const char* key, const std::string& scope, const std::string& software,
                 const char* impact, const std::string& facts, const char* reason = nullptr) {
  return kHead + std::to_string(seq) + R"(,"event":")" + event + "\"" + kPatchTime + R"("key":")" + key + "\"," + scope + software +
         R"("impact":)" + impact + "," + facts + (reason ? std::string(R"(,"reason":")") + reason + "\"" : "") + "}";
}

TEST_CASE("patch keys depend only on scope and software, and never equal a recommendation's") {
  CHECK(FeedCatalog::PatchKey("all", "all", "apache/log4j") == "735c2639b941892a");
  CHECK(FeedCatalog::PatchKey("group", "G9000", "apache/log4j") == "30f88a4ce28c2251");
  CHECK(FeedCatalog::PatchKey("all", "all", "apache/log4j") != FeedCatalog::ItemKey("all", "all", "apache/log4j"));
}

TEST_CASE("run opens a patch event per scope and software with exact fields, threats before all") {
  auto store = PatchOrgStore();
  RunSummary summary = RunPatches(*store);
  CHECK(summary.patches.opened == 5);
  CHECK(summary.opened == 0);
  auto lines = Lines(*store, 1);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == Line(1, "patch.opened", "30f88a4ce28c2251", kGroup, kLog4j, "22.2222", kLog4jFacts));
  CHECK(lines[1] == Line(2, "patch.opened", "ad91c32882f32d27", kGroup, kWidget, "5.5556", kWidgetFacts));
  CHECK(lines[2] == Line(3, "patch.opened", "c4793cb69edbf498", kGroup, kWindows, "5.5556", kWindowsFacts));
  CHECK(lines[3] == Line(4, "patch.opened", "735c2639b941892a", kAll, kLog4j, "22.2222", kLog4jFacts));
  CHECK(lines[4] == Line(5, "patch.opened", "78f1a46f11a9f6d5", kAll, kWindows, "11.1111", kWindowsFacts));

  SUBCASE("a second run on the same data appends nothing") {
    RunSummary again = RunPatches(*store);
    CHECK(again.patches.opened + again.patches.updated + again.patches.resolved == 0);
    CHECK(again.last_seq == 5);
  }
}

TEST_CASE("fixed findings update a patch and resolve it as patched once none is open; a gone scope resolves its patches") {
  auto store = PatchOrgStore();
  RunPatches(*store);
  // What a Defender delta's Fixed rows do: the findings get a fixed time.
  WriteOrFail(*store, [](store::WriteTxn& txn) {
    store::FindingCatalog::Upsert(txn, MakeFinding("web01", "CVE-2021-0001", "Apache", "Log4j", "2026-03-10"));
    store::FindingCatalog::Upsert(txn, MakeFinding("db01", "CVE-2021-0002", "Microsoft", "Windows", "2026-03-10"));
  });
  RunSummary fixed = RunPatches(*store);
  CHECK(fixed.patches.updated == 2);
  CHECK(fixed.patches.resolved == 2);
  CHECK(fixed.patches.resolved_by_reason[static_cast<size_t>(PatchResolveReason::kPatched)] == 2);
  auto lines = Lines(*store, 6);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == Line(6, "patch.updated", "30f88a4ce28c2251", kGroup, kLog4j, "11.1111", kLog4jFactsAfterFix));
  CHECK(lines[1] == Line(7, "patch.updated", "735c2639b941892a", kAll, kLog4j, "11.1111", kLog4jFactsAfterFix));
  CHECK(lines[2] == Line(8, "patch.resolved", "78f1a46f11a9f6d5", kAll, kWindows, "11.1111", kWindowsFacts, "patched"));
  CHECK(lines[3] == Line(9, "patch.resolved", "c4793cb69edbf498", kGroup, kWindows, "5.5556", kWindowsFacts, "patched"));
  CHECK(RunPatches(*store).last_seq == 9);

  WriteOrFail(*store, [](store::WriteTxn& txn) {
    store::IncidentCatalog::Put(txn, ClosedIncident("I1", Classification::kFalsePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
  });
  RunSummary gone = RunPatches(*store);
  CHECK(gone.patches.resolved == 3);
  lines = Lines(*store, 10);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == Line(10, "patch.resolved", "30f88a4ce28c2251", kGroup, kLog4j, "11.1111", kLog4jFactsAfterFix, "scope-gone"));
  CHECK(lines[1] == Line(11, "patch.resolved", "735c2639b941892a", kAll, kLog4j, "11.1111", kLog4jFactsAfterFix, "no-impact"));
  CHECK(lines[2] == Line(12, "patch.resolved", "ad91c32882f32d27", kGroup, kWidget, "5.5556", kWidgetFacts, "scope-gone"));
  CHECK(RunPatches(*store).last_seq == 12);

  SUBCASE("a patch that is open again reopens its item") {
    WriteOrFail(*store, [](store::WriteTxn& txn) {
      store::IncidentCatalog::Put(txn, ClosedIncident("I1", Classification::kTruePositive, "2026-03-01", {"T1100", "T1200"}, {"G9000"}));
    });
    RunSummary back = RunPatches(*store);
    CHECK(back.patches.opened == 3);  // G9000 log4j and widget, all log4j
    CHECK(back.patches.resolved == 0);
  }
}

TEST_CASE("run --json counts patch events by kind and reason") {
  RunSummary summary;
  summary.patches.opened = 5;
  summary.patches.resolved = 1;
  summary.patches.resolved_by_reason[static_cast<size_t>(PatchResolveReason::kNoImpact)] = 1;
  RunOptions options;
  options.tau = kPatchTau;
  std::string json = RunSummaryJson(summary, options);
  CHECK(json.find(R"("patches":{"opened":5,"updated":0,"resolved":1,"resolved_by_reason":{"scope-gone":0,"patched":0,"no-impact":1}})") !=
        std::string::npos);
}

}  // namespace
}  // namespace tidemark::report
