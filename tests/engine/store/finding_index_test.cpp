// The finding index (engine/store/finding_index.h): after imports and re-imports of random
// findings (new ones, rescans that keep the earliest first_seen, fixes, firmware), through one
// writer per transaction or one per finding, each asset's list holds exactly the stored
// findings' facts; the string table only grows; the schema-4 rebuild gives the same index.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <tuple>

#include "engine/store/finding_catalog.h"
#include "engine/store/finding_index.h"
#include "tests/store_support.h"
#include "tests/test_support.h"

namespace tidemark::store {
namespace {

using testing::Day;

// (asset, cve, software key) -> (first_seen, fixed or INT64_MIN, firmware)
using IndexFacts = std::tuple<TimeMs, TimeMs, bool>;
using IndexedFindingMap = std::map<std::tuple<std::string, std::string, std::string>, IndexFacts>;

IndexedFindingMap FactsFromFindings(const Store& store) {
  IndexedFindingMap out;
  auto txn = store.Read();
  FindingCatalog::ForEachFacts(txn, [&](const FindingFacts& f) {
    out[{std::string(f.asset), std::string(f.cve), std::string(f.software_key)}] =
        IndexFacts{f.first_seen, f.fixed ? *f.fixed : IndexedFinding::kOpen, f.remediation_type == model::RemediationType::kFirmware};
  });
  return out;
}

IndexedFindingMap FactsFromIndex(const Store& store) {
  IndexedFindingMap out;
  auto txn = store.Read();
  std::vector<std::string_view> strings = FindingIndex::Strings(txn);
  FindingIndex::ForEachAsset(txn, [&](std::string_view asset, const std::vector<IndexedFinding>& list) {
    for (size_t k = 1; k < list.size(); ++k) {
      CHECK(std::make_pair(list[k - 1].cve, list[k - 1].software_id()) < std::make_pair(list[k].cve, list[k].software_id()));
    }
    for (const IndexedFinding& f : list) {
      REQUIRE(f.cve < strings.size());
      std::string software;
      if (f.software_id() != IndexedFinding::kNoSoftware) {
        REQUIRE(f.software_id() < strings.size());
        software = std::string(strings[f.software_id()]);
      }
      out[{std::string(asset), std::string(strings[f.cve]), software}] = IndexFacts{f.first_seen, f.fixed, f.firmware()};
    }
  });
  return out;
}

model::Finding RandomIndexedFinding(std::mt19937& rng) {
  static const char* kSoftware[][2] = {{"apache", "log4j"}, {"microsoft", "windows"}, {"", ""}, {"", "openssl"}};
  model::Finding f;
  f.asset = "host-" + std::to_string(rng() % 12);
  f.cve = "CVE-2021-" + std::to_string(1000 + rng() % 15);
  const auto* software = kSoftware[rng() % 4];
  f.software.vendor = software[0];
  f.software.name = software[1];
  f.first_seen = Day("2026-01-01") + static_cast<TimeMs>(rng() % 90) * 86'400'000;
  if (rng() % 3 == 0) f.fixed = f.first_seen + static_cast<TimeMs>(rng() % 20) * 86'400'000;
  if (rng() % 5 == 0) f.remediation_type = model::RemediationType::kFirmware;
  return f;
}

TEST_CASE("the finding index holds exactly the stored findings' facts through imports, rescans and fixes") {
  std::mt19937 rng(15);
  for (int round = 0; round < 4; ++round) {
    CAPTURE(round);
    auto opened = Store::Open(testing::TempDir("finding-index"));
    REQUIRE(opened.ok());
    Store& store = **opened;
    std::vector<std::string> strings_before;
    for (int batch = 0; batch < 6; ++batch) {
      CAPTURE(batch);
      bool one_writer = batch % 2 == 0;
      testing::WriteOrFail(store, [&](WriteTxn& txn) {
        FindingIndex::Writer writer;
        for (int k = 0; k < 50; ++k) {
          model::Finding f = RandomIndexedFinding(rng);
          if (one_writer) {
            FindingCatalog::Upsert(txn, f, writer);
          } else {
            FindingCatalog::Upsert(txn, f);
          }
        }
        writer.Finish(txn);
      });
      CHECK(FactsFromIndex(store) == FactsFromFindings(store));
      // Append-only: every number keeps its string.
      auto txn = store.Read();
      std::vector<std::string_view> strings = FindingIndex::Strings(txn);
      REQUIRE(strings.size() >= strings_before.size());
      for (size_t k = 0; k < strings_before.size(); ++k) CHECK(strings[k] == strings_before[k]);
      strings_before.assign(strings.begin(), strings.end());
    }
    IndexedFindingMap before = FactsFromIndex(store);
    testing::WriteOrFail(store, [](WriteTxn& txn) { FindingIndex::Rebuild(txn); });
    CHECK(FactsFromIndex(store) == before);
  }
}

TEST_CASE("a store without findings has an empty finding index") {
  auto opened = Store::Open(testing::TempDir("finding-index-empty"));
  REQUIRE(opened.ok());
  auto txn = (*opened)->Read();
  CHECK(FindingIndex::Strings(txn).empty());
  size_t assets = 0;
  FindingIndex::ForEachAsset(txn, [&](std::string_view, const std::vector<IndexedFinding>&) { ++assets; });
  CHECK(assets == 0);
}

}  // namespace
}  // namespace tidemark::store
