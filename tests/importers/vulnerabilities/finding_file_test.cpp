// Findings from every supported form: native JSON/NDJSON/CSV, the Defender export and delta
// samples of Microsoft's documentation, real Trivy reports (tests/data/vulnerabilities,
// PROVENANCE.md), and bad input (SPEC §6).
#include "importers/vulnerabilities/finding_file.h"

#include <doctest/doctest.h>

#include "engine/store/finding_catalog.h"
#include "tests/test_support.h"

namespace tidemark::importers {
namespace {

using testing::DataPath;
using testing::ReadText;

FindingFile Parse(std::string text, FindingFormat format = FindingFormat::kAuto, const std::string& name = "f.json") {
  auto parsed = ParseFindingFile(text, name, format);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  return std::move(parsed).value();
}

FindingFile ParseSample(const std::string& name) { return Parse(ReadText(DataPath("vulnerabilities/" + name))); }

TEST_CASE("a native finding reads every SPEC field and keeps unknown keys") {
  auto file = Parse(R"({"findings": [{"asset": "Web01", "cve": "cve-2021-44228",
    "software": {"vendor": "apache", "name": "log4j", "version": "2.14.1"},
    "first_seen": "2026-02-01T10:00:00Z", "fixed": "2026-03-03T08:00:00Z", "remediation_type": "software",
    "severity": "Critical", "cvss": 10.0, "exploitability": "exploit-in-kit", "update": "2.17.1", "ticket": "VULN-7"}]})");
  REQUIRE(file.rows.size() == 1);
  CHECK(file.format == FindingFormat::kNative);
  const auto& f = file.rows[0].finding;
  CHECK(f.asset == "web01");
  CHECK(f.cve == "CVE-2021-44228");
  CHECK(model::SoftwareKey(f.software) == "apache/log4j");
  CHECK(f.software.version == "2.14.1");
  CHECK(f.first_seen == *ParseIsoTime("2026-02-01T10:00:00Z"));
  CHECK(*f.fixed == *ParseIsoTime("2026-03-03T08:00:00Z"));
  CHECK(f.severity == "critical");
  CHECK(*f.cvss == 10.0);
  CHECK(f.update == "2.17.1");
  CHECK(f.extra_json == R"({"ticket":"VULN-7"})");
}

TEST_CASE("native NDJSON and CSV findings read like JSON ones") {
  auto ndjson = Parse("{\"asset\": \"a\", \"cve\": \"CVE-2020-0001\", \"first_seen\": \"2026-01-01\"}\n"
                      "{\"asset\": \"b\", \"cve\": \"CVE-2020-0002\", \"first_seen\": \"2026-01-02\", \"remediation_type\": \"Firmware\"}\n");
  REQUIRE(ndjson.rows.size() == 2);
  CHECK(ndjson.rows[1].finding.remediation_type == model::RemediationType::kFirmware);
  auto csv = Parse("asset,cve,vendor,software,version,first_seen,fixed\n"
                   "web01,CVE-2021-44228,apache,log4j,2.14.1,2026-02-01,2026-03-01\n",
                   FindingFormat::kAuto, "f.csv");
  REQUIRE(csv.rows.size() == 1);
  CHECK(csv.format == FindingFormat::kCsv);
  CHECK(model::SoftwareKey(csv.rows[0].finding.software) == "apache/log4j");
  CHECK(csv.rows[0].finding.fixed.has_value());
}

TEST_CASE("the Defender full export sample of Microsoft's documentation holds only inventory rows") {
  auto file = ParseSample("mdvm-full-doc.json");
  CHECK(file.format == FindingFormat::kMdvm);
  CHECK(file.rows.empty());
  CHECK(file.without_cve == 5);  // every documented row has "cveId": null
  CHECK(file.rejects.empty());
}

TEST_CASE("the Defender delta sample's Fixed rows close their findings at the event time") {
  auto file = ParseSample("mdvm-delta-doc.json");
  CHECK(file.format == FindingFormat::kMdvmDelta);
  CHECK(file.without_cve == 3);
  REQUIRE(file.rows.size() == 2);
  const auto& firefox = file.rows[0];
  CHECK(firefox.event == FindingRow::Event::kFixed);
  CHECK(firefox.event_time == *ParseIsoTime("2020-11-03T10:13:34.847Z"));
  CHECK(firefox.finding.cve == "CVE-2020-26971");
  CHECK(firefox.finding.asset ==
        "computerpii_42684eb981bea2d670027e7ad2caafd3f2b381a3.domainpii_21eed80b086e76dbfa178eabfa25e8de9acfa346.corp.contoso.com");
  CHECK(model::SoftwareKey(firefox.finding.software) == "mozilla/firefox");
  CHECK(firefox.finding.severity == "high");
  CHECK(firefox.finding.exploitability == "no-exploit");
  CHECK(firefox.finding.first_seen == *ParseIsoTime("2020-05-06 12:42:19"));
}

TEST_CASE("a Defender delta New then Fixed then New again leaves the finding open, Fixed alone closes it") {
  std::string store_dir = testing::TempDir("vuln");
  auto store = store::Store::Open(store_dir);
  REQUIRE(store.ok());
  auto row = [](const char* status, const char* event, const char* version) {
    return std::string(R"({"deviceName": "PC1", "cveId": "CVE-2020-16011", "softwareVendor": "google", "softwareName": "chrome", "softwareVersion": ")") +
           version + R"(", "firstSeenTimestamp": "2020-07-26 02:13:43", "status": ")" + status +
           R"(", "eventTimestamp": ")" + event + "\"}";
  };
  // The update from 81 to 87 (still vulnerable) arrives as Fixed + New at the same time.
  auto file = Parse("{\"value\": [" + row("New", "2020-08-01 00:00:00", "81.0") + "," + row("New", "2020-11-03 10:00:00", "87.0") +
                    "," + row("Fixed", "2020-11-03 10:00:00", "81.0") + "]}");
  REQUIRE(file.rows.size() == 3);
  REQUIRE((*store)->Write([&](store::WriteTxn& txn) {
    FindingWriteStats stats;
    StoreFindings(txn, file.rows, stats);
    return Status::Ok();
  }).ok());
  auto stored = store::FindingCatalog::Find((*store)->Read(), "pc1", "CVE-2020-16011", "google/chrome");
  REQUIRE(stored.has_value());
  CHECK_FALSE(stored->fixed.has_value());
  auto fixed = Parse("{\"value\": [" + row("Fixed", "2020-12-01 00:00:00", "87.0") + "]}");
  REQUIRE((*store)->Write([&](store::WriteTxn& txn) {
    FindingWriteStats stats;
    StoreFindings(txn, fixed.rows, stats);
    return Status::Ok();
  }).ok());
  stored = store::FindingCatalog::Find((*store)->Read(), "pc1", "CVE-2020-16011", "google/chrome");
  REQUIRE(stored->fixed.has_value());
  CHECK(*stored->fixed == *ParseIsoTime("2020-12-01"));
  CHECK(stored->first_seen == *ParseIsoTime("2020-07-26 02:13:43"));
}

// Every key and value of the findings and finding index databases.
std::vector<std::pair<std::string, std::string>> FindingDatabases(const store::Store& store) {
  std::vector<std::pair<std::string, std::string>> out;
  auto txn = store.Read();
  for (store::Db db : {store::Db::kFindings, store::Db::kFindingIndex}) {
    txn.ForEach(db, "", [&](std::string_view key, std::string_view value) {
      out.emplace_back(std::string(key), std::string(value));
      return true;
    });
  }
  return out;
}

TEST_CASE("findings written in key order (appended past the last key) store what one write per row in file order stores") {
  // Assets out of order, a finding twice (its first_seen stays the earliest, its last fields
  // win), software and CVE strings met in an order unlike key order, and a finding stored
  // before that sorts after some of the file's.
  std::string text =
      "{\"asset\": \"zeta\", \"cve\": \"CVE-2021-0009\", \"software\": {\"vendor\": \"V\", \"name\": \"B\"}, \"first_seen\": \"2026-01-05\"}\n"
      "{\"asset\": \"alpha\", \"cve\": \"CVE-2021-0005\", \"software\": \"x\", \"first_seen\": \"2026-01-03\", \"severity\": \"low\"}\n"
      "{\"asset\": \"alpha\", \"cve\": \"CVE-2021-0001\", \"first_seen\": \"2026-01-02\", \"remediation_type\": \"firmware\"}\n"
      "{\"asset\": \"zeta\", \"cve\": \"CVE-2021-0001\", \"software\": {\"vendor\": \"V\", \"name\": \"A\"}, \"first_seen\": \"2026-01-01\"}\n"
      "{\"asset\": \"alpha\", \"cve\": \"CVE-2021-0005\", \"software\": \"x\", \"first_seen\": \"2026-01-04\", \"severity\": \"high\"}\n"
      "{\"asset\": \"mu\", \"cve\": \"GHSA-aaaa-bbbb-cccc\", \"first_seen\": \"2026-01-06\", \"fixed\": \"2026-02-01\"}\n";
  model::Finding before;
  before.asset = "mu";
  before.cve = "CVE-2020-0001";
  before.first_seen = *ParseIsoTime("2025-12-01");
  std::vector<std::pair<std::string, std::string>> dumps[2];
  for (int way = 0; way < 2; ++way) {
    auto store = store::Store::Open(testing::TempDir("vuln-order"));
    REQUIRE(store.ok());
    REQUIRE((*store)->Write([&](store::WriteTxn& txn) {
      store::FindingCatalog::Upsert(txn, before);
      return Status::Ok();
    }).ok());
    auto file = Parse(text, FindingFormat::kAuto, "f.ndjson");
    REQUIRE(file.rows.size() == 6);
    REQUIRE((*store)->Write([&](store::WriteTxn& txn) {
      store::FindingIndex::Writer index;
      if (way == 0) {
        FindingWriteStats stats;
        StoreFindings(txn, file.rows, stats, index, nullptr);
        CHECK(stats.created == 5);
        CHECK(stats.updated == 1);
      } else {
        for (const auto& row : file.rows) store::FindingCatalog::Upsert(txn, row.finding, index);
      }
      index.Finish(txn);
      return Status::Ok();
    }).ok());
    dumps[way] = FindingDatabases(**store);
  }
  CHECK(dumps[0].size() == 6 + 4);  // 6 findings; the string table and 3 asset lists
  CHECK(dumps[0] == dumps[1]);
}

TEST_CASE("a Trivy report's vulnerabilities become findings on the artifact, first seen when it was scanned") {
  auto spring = ParseSample("trivy-spring4shell-jre11.json");
  CHECK(spring.format == FindingFormat::kTrivy);
  REQUIRE(spring.rows.size() == 1);
  const auto& f = spring.rows[0].finding;
  CHECK(f.asset == "testdata/fixtures/images/spring4shell-jre11.tar.gz");
  CHECK(f.cve == "CVE-2022-22965");
  CHECK(model::SoftwareKey(f.software) == "jar/org.springframework:spring-beans");
  CHECK(f.software.version == "5.3.15");
  CHECK(f.update == "5.3.18");
  CHECK(f.severity == "critical");
  CHECK(f.first_seen == *ParseIsoTime("2021-08-25T12:20:30Z"));
  auto alpine = ParseSample("trivy-alpine-310.json");
  CHECK(alpine.rows.size() == 4);
  CHECK(alpine.rejects.empty());
}

TEST_CASE("malformed findings are rejected by file, record and field") {
  auto file = Parse(R"({"findings": [
    {"asset": "a", "cve": "CVE-2020-0001", "first_seen": "2026-01-01"},
    {"asset": "a", "cve": "CVE-2020-0002"},
    {"cve": "CVE-2020-0003", "first_seen": "2026-01-01"},
    {"asset": "a", "cve": "CVE-2020-0004", "first_seen": "2026-01-01", "remediation_type": "config"},
    {"asset": "a", "cve": "CVE-2020-0005", "first_seen": "2026-02-01", "fixed": "2026-01-01"},
    {"asset": "a", "cve": "CVE-2020-0006", "first_seen": "yesterday"},
    {"asset": "a", "cve": "CVE-2020-0007", "first_seen": "2026-01-01", "cvss": 11}]})");
  CHECK(file.rows.size() == 1);
  REQUIRE(file.rejects.items.size() == 6);
  CHECK(file.rejects.items[0].Message() == "f.json:findings[1]: field \"first_seen\" is missing");
  CHECK(file.rejects.items[1].Message().find("findings[2]: field \"asset\" is missing") != std::string::npos);
  CHECK(file.rejects.items[2].Message().find("\"remediation_type\"") != std::string::npos);
  CHECK(file.rejects.items[3].Message().find("\"fixed\" is before") != std::string::npos);
  CHECK(file.rejects.items[4].Message().find("\"first_seen\"") != std::string::npos);
  CHECK(file.rejects.items[5].Message().find("\"cvss\"") != std::string::npos);
}

TEST_CASE("an id that is not a CVE is kept as written; an unreadable file is refused") {
  auto file = Parse(R"([{"asset": "a", "cve": "GHSA-jfh8-c2jp-5v3q", "first_seen": "2026-01-01"}])");
  REQUIRE(file.rows.size() == 1);
  CHECK(file.rows[0].finding.cve == "GHSA-jfh8-c2jp-5v3q");
  std::string text = R"({"controls": []})";
  CHECK(ParseFindingFile(text, "x.json", FindingFormat::kAuto).status().code() == StatusCode::kBadInput);
  std::string truncated = R"({"findings": [{"asset": )";
  CHECK(ParseFindingFile(truncated, "x.json", FindingFormat::kAuto).status().message().find("x.json") == 0);
}

}  // namespace
}  // namespace tidemark::importers
