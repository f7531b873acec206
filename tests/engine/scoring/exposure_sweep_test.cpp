// ExposureSweep (engine/scoring/exposure_sweep.h), the shares history moves forward from point
// to point, against VulnerabilityExposure built at each τ from the store: on random
// organisations (inventory weights, findings opened and fixed, fixed on their first day,
// unknown CVEs, assets outside the inventory, case-folded ids), at every day of the range and
// between, every technique's share and the VE of a scope are equal.
#include "engine/scoring/exposure_sweep.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "engine/store/cve_catalog.h"
#include "engine/store/finding_catalog.h"
#include "engine/store/org_catalog.h"
#include "tests/store_support.h"
#include "tests/test_support.h"

namespace tidemark::scoring {
namespace {

using testing::Day;

const char* kSweepTechniques[] = {"T1190", "T1059", "T1068", "T1005", "T1133"};

void FillRandomFindingStore(store::Store& store, std::mt19937& rng) {
  testing::WriteOrFail(store, [&](store::WriteTxn& txn) {
    for (int k = 0; k < 6; ++k) {
      model::Asset asset;
      asset.id = (k % 2 ? "HOST-" : "host-") + std::to_string(k);
      asset.type = "device";
      asset.weight = 1 + static_cast<double>(rng() % 4);
      store::OrgCatalog::PutAsset(txn, asset);
    }
    for (int cve = 0; cve < 8; ++cve) {
      for (int k = 0; k < 2; ++k) {
        model::CveMapping mapping;
        mapping.cve = "CVE-2021-" + std::to_string(1000 + cve);
        mapping.technique = kSweepTechniques[rng() % 5];
        mapping.type = rng() % 4 == 0 ? model::CveMappingType::kSecondaryImpact : model::CveMappingType::kPrimaryImpact;
        mapping.sources = {"test"};
        store::CveCatalog::PutMapping(txn, mapping);
      }
    }
    for (int k = 0; k < 80; ++k) {
      model::Finding f;
      f.asset = "host-" + std::to_string(rng() % 9);  // host-6..8 are not in the inventory
      f.cve = "CVE-2021-" + std::to_string(1000 + rng() % 10);  // 1008, 1009: unknown
      if (rng() % 3) f.software.name = "product" + std::to_string(rng() % 3);
      f.first_seen = Day("2026-01-01") + static_cast<TimeMs>(rng() % 40) * 86'400'000 + static_cast<TimeMs>(rng() % 5) * 3'600'000;
      if (rng() % 3 == 0) f.fixed = f.first_seen + static_cast<TimeMs>(rng() % 10) * 86'400'000;
      store::FindingCatalog::Upsert(txn, f);
    }
  });
}

TEST_CASE("the shares and VE history moves forward equal a VulnerabilityExposure built at each time") {
  std::mt19937 rng(365);
  std::vector<WeightedTechnique> scope;
  for (size_t k = 0; k < 5; ++k) scope.push_back({kSweepTechniques[k], 1.0 + static_cast<double>(k)});
  for (int round = 0; round < 5; ++round) {
    CAPTURE(round);
    auto opened = store::Store::Open(testing::TempDir("exposure-sweep"));
    REQUIRE(opened.ok());
    FillRandomFindingStore(**opened, rng);
    auto txn = (*opened)->Read();
    ExposureSweep sweep(txn);
    REQUIRE(sweep.has_findings());
    for (TimeMs tau = Day("2025-12-31"); tau <= Day("2026-02-28"); tau += 43'200'000) {  // every half day
      CAPTURE(tau);
      sweep.AdvanceTo(tau);
      VulnerabilityExposure at = VulnerabilityExposure::Load(txn, tau);
      for (const char* technique : kSweepTechniques) {
        CAPTURE(technique);
        CHECK(std::abs(sweep.Share(technique) - at.Of(technique).share) < 1e-12);
      }
      CHECK(std::abs(*sweep.Exposure(scope) - *at.Exposure(scope)) < 1e-9);
    }
  }
}

TEST_CASE("the finding days are every day a finding is first seen or fixed") {
  auto opened = store::Store::Open(testing::TempDir("exposure-sweep-days"));
  REQUIRE(opened.ok());
  testing::WriteOrFail(**opened, [&](store::WriteTxn& txn) {
    model::Finding f;
    f.asset = "web01";
    f.cve = "CVE-2099-0001";  // no CVE knowledge: still a day
    f.first_seen = Day("2026-03-02") + 3'600'000;
    f.fixed = Day("2026-03-05") + 7'200'000;
    store::FindingCatalog::Upsert(txn, f);
    f.asset = "db01";
    f.fixed.reset();
    f.first_seen = Day("2026-03-02") + 60'000;
    store::FindingCatalog::Upsert(txn, f);
  });
  auto txn = (*opened)->Read();
  ExposureSweep sweep(txn);
  CHECK(sweep.FindingDays() == std::vector<TimeMs>{Day("2026-03-02"), Day("2026-03-05")});
}

}  // namespace
}  // namespace tidemark::scoring
