// Asset inventories (importers/controls/asset_inventory): weights and criticality levels from
// JSON and CSV, and the import command.
#include "importers/controls/asset_inventory.h"

#include <doctest/doctest.h>

#include <map>

#include "tests/test_support.h"

namespace tidemark::testing {

TEST_CASE("criticality levels map to weights: very-high 4, high 3, medium 2, low 1; weight wins") {
  CHECK(importers::CriticalityWeight("Very High") == 4.0);
  CHECK(importers::CriticalityWeight("critical") == 4.0);
  CHECK(importers::CriticalityWeight("0") == 4.0);
  CHECK(importers::CriticalityWeight("HIGH") == 3.0);
  CHECK(importers::CriticalityWeight("2") == 2.0);
  CHECK(importers::CriticalityWeight("low") == 1.0);
  CHECK_FALSE(importers::CriticalityWeight("extreme"));
  for (const char* file : {"controls/assets.json", "controls/assets.csv"}) {
    CAPTURE(file);
    std::string text = ReadText(DataPath(file));
    auto parsed = importers::ParseAssetFile(text, file);
    REQUIRE(parsed.ok());
    CHECK(parsed->rejects.empty());
    std::map<std::string, double> weights;
    for (const auto& asset : parsed->assets) weights[asset.id] = asset.weight;
    CHECK(weights == std::map<std::string, double>{
                         {"dc01", 4.0}, {"ws-fin-042", 3.0}, {"jdoe@contoso.com", 4.0}, {"kiosk-7", 0.5}, {"printer-3", 1.0}});
  }
}

TEST_CASE("import assets stores the inventory and reports the count on stderr") {
  std::string store = StoreWithAttack();
  auto result = RunTidemark({"--store", store, "import", "assets", DataPath("controls/assets.csv")});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("CSV inventory: 5 assets imported, 0 rejected") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "--json", "info"}).out.find("\"assets\": 5") != std::string::npos);
}

}  // namespace tidemark::testing
