#include "engine/scoring/recommendation_order.h"

#include <algorithm>

namespace tidemark::scoring {
namespace {

struct Entry {
  double impact;
  uint32_t rank;
  uint32_t index;
};

// "a comes before b": its impact is larger by more than the tolerance.
bool Before(double a, double b) { return a > b + kImpactEpsilon; }

std::vector<Entry> Entries(const std::vector<RankedImpact>& items) {
  std::vector<Entry> entries;
  entries.reserve(items.size());
  for (size_t idx = 0; idx < items.size(); ++idx) {
    entries.push_back(Entry{items[idx].impact, items[idx].rank, static_cast<uint32_t>(idx)});
  }
  return entries;
}

std::vector<uint32_t> FirstIndexes(const std::vector<Entry>& entries, size_t limit) {
  size_t count = limit > 0 ? std::min(limit, entries.size()) : entries.size();
  std::vector<uint32_t> out;
  out.reserve(count);
  for (size_t k = 0; k < count; ++k) out.push_back(entries[k].index);
  return out;
}

}  // namespace

std::vector<uint32_t> SpecOrderBySort(const std::vector<RankedImpact>& items, size_t limit) {
  std::vector<Entry> entries = Entries(items);
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.rank < b.rank; });
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return Before(a.impact, b.impact); });
  return FirstIndexes(entries, limit);
}

// With a limit: the stable sort puts first any set S of entries that all come before every
// other entry (min S > max rest + tolerance), and orders S among itself as it would alone
// (comparisons with the rest never reorder S). When "within the tolerance" is transitive on S
// (it falls into classes, each spanning at most the tolerance), that order is: class by class,
// largest first, and by rank within a class. So take S = the `limit` largest impacts plus
// whatever lies within the tolerance of them, check both conditions, and sort S alone;
// otherwise sort everything, as the definition does.
namespace {

// The smallest of the `limit` largest impacts (a heap of them, smallest on top). Precondition:
// items.size() >= limit > 0.
double LimitFloor(const std::vector<RankedImpact>& items, size_t limit) {
  auto larger = [](double a, double b) { return a > b; };
  std::vector<double> top;
  top.reserve(limit);
  for (const auto& item : items) {
    if (top.size() < limit) {
      top.push_back(item.impact);
      std::push_heap(top.begin(), top.end(), larger);
    } else if (item.impact > top.front()) {
      std::pop_heap(top.begin(), top.end(), larger);
      top.back() = item.impact;
      std::push_heap(top.begin(), top.end(), larger);
    }
  }
  return top.front();
}

// S from `floor` down: every entry that does not come after the smallest of S, grown until none
// is left; `lowest` receives that smallest. Empty when S grows beyond `max_size`.
std::vector<Entry> Closure(const std::vector<RankedImpact>& items, double floor, size_t max_size, double& lowest) {
  std::vector<Entry> entries;
  for (;;) {
    entries.clear();
    lowest = floor;
    for (size_t idx = 0; idx < items.size(); ++idx) {
      if (Before(floor, items[idx].impact)) continue;
      entries.push_back(Entry{items[idx].impact, items[idx].rank, static_cast<uint32_t>(idx)});
      lowest = std::min(lowest, items[idx].impact);
      if (entries.size() > max_size) return {};
    }
    if (lowest == floor) return entries;
    floor = lowest;
  }
}

// The first `limit` of S (which holds at least that many) class by class, by rank within a
// class; nullopt when the tolerance is not transitive on S.
std::optional<std::vector<uint32_t>> ClassOrder(std::vector<Entry> entries, size_t limit) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.impact > b.impact; });
  // Classes: runs of neighbours within the tolerance, each spanning at most the tolerance.
  std::vector<std::pair<uint32_t, Entry>> classed;
  classed.reserve(entries.size());
  uint32_t cls = 0;
  double head = entries[0].impact;
  for (size_t k = 0; k < entries.size(); ++k) {
    if (k > 0 && Before(entries[k - 1].impact, entries[k].impact)) {
      ++cls;
      head = entries[k].impact;
    } else if (Before(head, entries[k].impact)) {
      return std::nullopt;  // not transitive here: only the whole sort says
    }
    classed.emplace_back(cls, entries[k]);
  }
  std::sort(classed.begin(), classed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.rank < b.second.rank;
  });
  std::vector<uint32_t> out;
  out.reserve(limit);
  for (size_t k = 0; k < limit; ++k) out.push_back(classed[k].second.index);
  return out;
}

}  // namespace

std::vector<uint32_t> SpecOrder(const std::vector<RankedImpact>& items, size_t limit) {
  if (limit == 0 || items.size() <= limit) return SpecOrderBySort(items, limit);
  double lowest = 0;
  // A long run of near-equal impacts: the whole sort costs no more.
  std::vector<Entry> entries = Closure(items, LimitFloor(items, limit), 4 * limit + 64, lowest);
  if (entries.empty()) return SpecOrderBySort(items, limit);
  if (auto order = ClassOrder(std::move(entries), limit)) return *order;
  return SpecOrderBySort(items, limit);
}

// As SpecOrder, with the items below `bound` unknown: S must lie wholly above them. Every
// unknown x < bound then comes after the smallest of S (lowest > bound + tolerance >= x +
// tolerance, rounding being monotone), so S, and its order, are the whole list's.
std::optional<std::vector<uint32_t>> SpecOrderAbove(const std::vector<RankedImpact>& items, size_t limit, double bound) {
  if (limit == 0 || items.size() < limit) return std::nullopt;
  double floor = LimitFloor(items, limit);
  if (floor < bound) return std::nullopt;
  double lowest = 0;
  std::vector<Entry> entries = Closure(items, floor, items.size(), lowest);
  if (!Before(lowest, bound)) return std::nullopt;
  return ClassOrder(std::move(entries), limit);
}

}  // namespace tidemark::scoring
