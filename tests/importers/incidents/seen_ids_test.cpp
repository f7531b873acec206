#include "importers/incidents/seen_ids.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace tidemark::importers::incidents {
namespace {

TEST_CASE("SeenIds: ids in increasing order, then one that is not") {
  SeenIds seen("f.ndjson");
  CHECK(seen.Insert("INC-1", "f.ndjson:1") == std::nullopt);
  CHECK(seen.Insert("INC-2", "f.ndjson:2") == std::nullopt);
  CHECK(seen.Insert("INC-3", "elsewhere") == std::nullopt);
  // Not after INC-3: every id so far is looked up from here on.
  CHECK(seen.Insert("INC-0", "f.ndjson:4") == std::nullopt);
  CHECK(seen.Insert("INC-2", "f.ndjson:5") == std::optional<std::string>("f.ndjson:2"));
  CHECK(seen.Insert("INC-3", "f.ndjson:6") == std::optional<std::string>("elsewhere"));
  CHECK(seen.Insert("INC-0", "f.ndjson:7") == std::optional<std::string>("f.ndjson:4"));
  CHECK(seen.Insert("INC-4", "f.ndjson:8") == std::nullopt);
  CHECK(seen.Insert("INC-4", "f.ndjson:9") == std::optional<std::string>("f.ndjson:8"));
}

TEST_CASE("SeenIds: the same id twice in a row, and many ids after the table is built") {
  SeenIds seen("f.ndjson");
  CHECK(seen.Insert("A", "f.ndjson:1") == std::nullopt);
  CHECK(seen.Insert("A", "f.ndjson:2") == std::optional<std::string>("f.ndjson:1"));
  for (int k = 0; k < 5000; ++k) {
    CHECK(seen.Insert("B" + std::to_string(k), "f.ndjson:" + std::to_string(k + 3)) == std::nullopt);
  }
  CHECK(seen.Insert("B4999", "x") == std::optional<std::string>("f.ndjson:5002"));
  CHECK(seen.Insert("B10", "x") == std::optional<std::string>("f.ndjson:13"));
  CHECK(seen.Insert("A", "x") == std::optional<std::string>("f.ndjson:1"));
}

}  // namespace
}  // namespace tidemark::importers::incidents
