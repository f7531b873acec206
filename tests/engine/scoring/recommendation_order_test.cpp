// SpecOrder (engine/scoring/recommendation_order.h) against its definition, a sort by id then a
// stable sort on impact with the 1e-9 tolerance, on lists full of near-equal impacts: equal
// ones, ones within the tolerance, and chains within it that are not transitive.
#include "engine/scoring/recommendation_order.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace tidemark::scoring {
namespace {

std::vector<RankedImpact> RandomList(std::mt19937& rng, size_t n) {
  // Impacts from a few levels, each shifted by a few multiples of 0.4e-9, so ties and
  // tolerance chains are everywhere; ranks a permutation (ids are distinct).
  const double levels[] = {50.0, 12.5, 12.5000000004, 3.3333333333, 0.0625, 1e-8};
  std::vector<uint32_t> ranks(n);
  std::iota(ranks.begin(), ranks.end(), 0u);
  std::shuffle(ranks.begin(), ranks.end(), rng);
  std::vector<RankedImpact> items;
  for (size_t k = 0; k < n; ++k) {
    double impact = levels[rng() % 6] + 0.4e-9 * static_cast<double>(rng() % 4);
    if (rng() % 5 == 0) impact = static_cast<double>(rng() % 1000) / 7.0;  // mostly distinct ones too
    items.push_back(RankedImpact{impact, ranks[k]});
  }
  return items;
}

}  // namespace

TEST_CASE("SpecOrder with a limit is the beginning of the whole order, near-equal impacts included") {
  std::mt19937 rng(16);
  size_t checked = 0;
  for (int round = 0; round < 3000; ++round) {
    size_t n = 1 + rng() % 300;
    std::vector<RankedImpact> items = RandomList(rng, n);
    std::vector<uint32_t> whole = SpecOrderBySort(items);
    REQUIRE(whole.size() == n);
    CHECK(SpecOrder(items) == whole);
    for (size_t limit : {size_t{1}, size_t{3}, size_t{10}, n / 2 + 1, n}) {
      CAPTURE(round);
      CAPTURE(limit);
      std::vector<uint32_t> expected(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(std::min(limit, n)));
      CHECK(SpecOrder(items, limit) == expected);
      ++checked;
    }
  }
  CHECK(checked == 15000);
}

TEST_CASE("SpecOrder follows the stable sort where the tolerance is not transitive") {
  // a ≈ b and b ≈ c but a > c + 1e-9: the order is the one of the definition's stable sort.
  std::vector<RankedImpact> items = {{10.0, 0}, {10.0 + 0.6e-9, 1}, {10.0 + 1.2e-9, 2}, {1.0, 3}, {20.0, 4}};
  std::vector<uint32_t> whole = SpecOrderBySort(items);
  CHECK(whole.front() == 4);
  CHECK(whole.back() == 3);
  for (size_t limit = 1; limit <= items.size(); ++limit) {
    CAPTURE(limit);
    CHECK(SpecOrder(items, limit) == std::vector<uint32_t>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(limit)));
  }
}

}  // namespace tidemark::scoring

namespace tidemark::scoring {

TEST_CASE("SpecOrderAbove, given only the impacts from a bound up, is the beginning of the whole order or undecided") {
  std::mt19937 rng(2026);
  size_t decided = 0, undecided = 0;
  for (int round = 0; round < 3000; ++round) {
    size_t n = 1 + rng() % 300;
    std::vector<RankedImpact> items = RandomList(rng, n);
    std::vector<uint32_t> whole = SpecOrderBySort(items);
    for (size_t limit : {size_t{1}, size_t{3}, size_t{10}, n, n + 5}) {
      // A bound at, just below or well below one of the impacts, or below them all.
      double bound = items[rng() % n].impact;
      if (rng() % 3 == 0) bound -= 1e-7;
      if (rng() % 5 == 0) bound = -1.0;
      std::vector<RankedImpact> above;
      std::vector<uint32_t> index;  // into items
      for (uint32_t k = 0; k < n; ++k) {
        // Every item at or above the bound, and a few below it (a batch run keeps some).
        if (items[k].impact >= bound || rng() % 7 == 0) {
          above.push_back(items[k]);
          index.push_back(k);
        }
      }
      CAPTURE(round);
      CAPTURE(limit);
      auto order = SpecOrderAbove(above, limit, bound);
      if (!order) {
        ++undecided;
        continue;
      }
      REQUIRE(order->size() == limit);
      std::vector<uint32_t> mapped;
      for (uint32_t idx : *order) mapped.push_back(index[idx]);
      CHECK(mapped == std::vector<uint32_t>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(limit)));
      ++decided;
    }
  }
  // Both ways are taken: most are decided, the near-equal chains and short lists are not.
  CHECK(decided > 3000);
  CHECK(undecided > 300);
}

}  // namespace tidemark::scoring
