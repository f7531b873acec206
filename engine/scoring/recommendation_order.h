// The order of recommendations (SPEC §3): impact descending, impacts within 1e-9 of each other
// equal, then control id. It is defined as what the first release did: a sort by id, then a
// stable sort on impact with that tolerance. "Within 1e-9" is not transitive (a ≈ b ≈ c with
// a > c + 1e-9), so the order is the one that stable sort gives, and SpecOrder reproduces it
// exactly, also when asked only for the first few (a batch run keeps an incident's top K).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace tidemark::scoring {

inline constexpr double kImpactEpsilon = 1e-9;  // SPEC §3: impacts within 1e-9 are equal

struct RankedImpact {
  double impact = 0;
  uint32_t rank = 0;  // the control's place in id order (distinct per control)
};

// Indexes into `items` in SPEC order: all of them, or the first `limit` when limit > 0.
// With a limit it costs O(n) plus the sort of the few near the top, unless impacts within the
// tolerance chain across more than it (then it sorts them all, as the definition does).
std::vector<uint32_t> SpecOrder(const std::vector<RankedImpact>& items, size_t limit = 0);

// The first `limit` in SPEC order when `items` are only part of the whole list: every item of the
// whole list with an impact >= `bound` is in `items`, and the others are all below it (a batch
// run collects only the impacts near its top K as it meets them). nullopt when the items given
// cannot decide it: fewer than `limit` at or above the bound, near-equal impacts chaining down
// to the bound, or a chain within the tolerance that is not transitive (only the sort of the
// whole list says then).
std::optional<std::vector<uint32_t>> SpecOrderAbove(const std::vector<RankedImpact>& items, size_t limit, double bound);

// The definition itself (sort by rank, stable sort on impact with the tolerance), for tests.
std::vector<uint32_t> SpecOrderBySort(const std::vector<RankedImpact>& items, size_t limit = 0);

}  // namespace tidemark::scoring
