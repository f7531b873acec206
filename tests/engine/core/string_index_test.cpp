#include "engine/core/string_index.h"

#include <doctest/doctest.h>

#include <string>

namespace tidemark {

TEST_CASE("StringIndex interns in insertion order, finds by view and survives growth") {
  StringIndex index;
  CHECK_FALSE(index.Find("a").has_value());
  for (int round = 0; round < 2; ++round) {  // the second round finds everything already there
    for (int i = 0; i < 5000; ++i) {
      auto [idx, added] = index.Intern("asset-" + std::to_string(i));
      CHECK(idx == static_cast<uint32_t>(i));
      CHECK(added == (round == 0));
    }
  }
  CHECK(index.size() == 5000);
  CHECK(index.key(4321) == "asset-4321");
  CHECK(index.Find("asset-17") == 17u);
  CHECK_FALSE(index.Find("asset-5000").has_value());
  CHECK(index.Intern("").first == 5000u);  // the empty string is a key like any other
  CHECK(index.Find("") == 5000u);
}

}  // namespace tidemark
