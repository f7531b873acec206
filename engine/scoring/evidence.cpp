#include "engine/scoring/evidence.h"

#include <algorithm>
#include <limits>

namespace tidemark::scoring {

double ImplementedAt(const std::vector<model::PostureRecord>& posture, TimeMs time) {
  auto it = std::upper_bound(posture.begin(), posture.end(), time,
                             [](TimeMs t, const model::PostureRecord& r) { return t < r.as_of; });
  if (it == posture.begin()) return 0.0;
  return model::ImplementedFraction(*std::prev(it));
}

size_t Evidence::Count(const store::EvidenceList& uses, TimeMs tau) {
  if (uses.max_time() <= tau) return uses.size();
  // The uses are sorted by (b, time), not by time: a binary search finds the end of those with
  // b(i) <= τ, the only ones that can count when every b(i) <= time(i) (as imports write them),
  // and only they are scanned for time(i) <= τ. (τ < max time here, so τ + 1 does not overflow.)
  size_t end = uses.baselines_not_after_times() ? uses.FirstBaselineAtLeast(tau + 1) : uses.size();
  size_t count = 0;
  for (size_t k = 0; k < end; ++k) count += uses.ByBaseline(k).second <= tau ? 1 : 0;
  return count;
}

double Evidence::Baseline(const std::vector<model::PostureRecord>& posture, const store::EvidenceList& uses,
                          TimeMs tau) {
  // impl(c, ·) is constant on each posture interval [as_of_k, as_of_k+1): β is the largest
  // value of an interval holding the baseline time of some use counted at τ.
  double best = 0.0;
  for (size_t k = 0; k < posture.size(); ++k) {
    double value = model::ImplementedFraction(posture[k]);
    if (value <= best) continue;
    TimeMs lo = posture[k].as_of;
    TimeMs hi = k + 1 < posture.size() ? posture[k + 1].as_of : std::numeric_limits<TimeMs>::max();
    // Uses with b(i) > τ cannot count at τ when b(i) <= time(i): not scanned.
    if (uses.baselines_not_after_times() && tau < std::numeric_limits<TimeMs>::max()) hi = std::min(hi, tau + 1);
    for (size_t use = uses.FirstBaselineAtLeast(lo); use < uses.size(); ++use) {
      auto [baseline, time] = uses.ByBaseline(use);
      if (baseline >= hi) break;
      if (time <= tau) {
        best = value;
        break;
      }
    }
  }
  return best;
}

namespace {

// The times at which impl(c, ·) > 0 starts or stops holding, in order: t is in place when an
// odd number of them are <= t (ImplementedAt(posture, t) > 0).
std::vector<TimeMs> InPlaceShape(const std::vector<model::PostureRecord>& posture) {
  std::vector<TimeMs> toggles;
  bool on = false;
  for (const auto& record : posture) {
    bool now = model::ImplementedFraction(record) > 0;
    if (now == on) continue;
    toggles.push_back(record.as_of);
    on = now;
  }
  return toggles;
}

bool InPlaceAt(const std::vector<TimeMs>& toggles, TimeMs time) {
  return (std::upper_bound(toggles.begin(), toggles.end(), time) - toggles.begin()) % 2 == 1;
}

// The first `limit` distinct ids of the union of `sources` id-ordered sequences, appended to
// `out`. `next(source, id)` sets `id` to that source's next id and returns false at its end.
// With `tell_more`, returns whether the union has more (which reads on to the next distinct
// id); without, stops at the limit and returns false. A k-way merge (smallest id on top of a
// heap) that stops at the limit: every reader of uses in id order below goes through it.
template <typename Next, typename Out>
bool FirstOfUnion(size_t sources, size_t limit, bool tell_more, Next&& next, Out& out) {
  struct Head {
    std::string_view id;
    size_t source;
  };
  auto later = [](const Head& a, const Head& b) { return a.id > b.id; };
  std::vector<Head> heap;
  heap.reserve(sources);
  auto advance = [&](size_t source) {
    Head head{{}, source};
    if (!next(source, head.id)) return;
    heap.push_back(head);
    std::push_heap(heap.begin(), heap.end(), later);
  };
  for (size_t source = 0; source < sources; ++source) advance(source);
  size_t found = 0;
  std::string_view last;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    Head head = heap.back();
    heap.pop_back();
    if (found == 0 || head.id != last) {
      if (found == limit) return true;
      out.emplace_back(head.id);
      last = head.id;
      if (++found == limit && !tell_more) return false;
    }
    advance(head.source);
  }
  return false;
}

// FirstOfUnion over evidence lists, reading each list's uses that pass `counts(use)`.
template <typename Counts, typename Out>
bool FirstUsesOfUnion(const std::vector<const store::EvidenceList*>& lists, size_t limit, bool tell_more,
                      Counts&& counts, Out& out) {
  std::vector<store::EvidenceList::IdCursor> cursors;
  cursors.reserve(lists.size());
  for (const store::EvidenceList* list : lists) cursors.emplace_back(*list);
  auto next = [&](size_t list, std::string_view& id) {
    store::EvidenceList::Use use;
    while (cursors[list].Next(use)) {
      if (counts(use)) {
        id = use.incident;
        return true;
      }
    }
    return false;
  };
  return FirstOfUnion(lists.size(), limit, tell_more, next, out);
}

}  // namespace

void Evidence::FirstIncidents(const store::EvidenceList& uses, TimeMs tau, size_t limit,
                              std::vector<std::string>& out) {
  FirstUsesOfUnion({&uses}, limit, /*tell_more=*/false, [tau](const store::EvidenceList::Use& use) { return use.time <= tau; }, out);
}

bool Evidence::InPlaceFirst(const std::vector<model::PostureRecord>& posture,
                            const std::vector<const store::EvidenceList*>& lists, TimeMs tau, size_t limit,
                            std::vector<std::string>& out) {
  return FirstUsesOfUnion(
      lists, limit, /*tell_more=*/true,
      [&](const store::EvidenceList::Use& use) { return use.time <= tau && ImplementedAt(posture, use.baseline) > 0; },
      out);
}

size_t Evidence::InPlaceBatch::Add(const std::vector<model::PostureRecord>& posture,
                                   const std::vector<const store::EvidenceList*>& lists) {
  auto shape_it = shapes_.try_emplace(InPlaceShape(posture), static_cast<uint32_t>(shapes_.size())).first;
  const std::vector<TimeMs>& shape = shape_it->first;
  for (const store::EvidenceList* list : lists) {
    auto [it, added] = entry_of_.try_emplace({list, shape_it->second}, static_cast<uint32_t>(entry_ids_.size()));
    if (added) {
      // The first limit + 1 of each list hold the first `limit` of the union, and the union
      // has more than `limit` exactly when these do.
      std::vector<std::string_view>& ids = entry_ids_.emplace_back();
      FirstUsesOfUnion(
          {list}, limit_ + 1, /*tell_more=*/false,
          [&](const store::EvidenceList::Use& use) { return use.time <= tau_ && InPlaceAt(shape, use.baseline); }, ids);
    }
    if (!entry_ids_[it->second].empty()) query_entries_.push_back(it->second);
  }
  query_begin_.push_back(query_entries_.size());
  return query_begin_.size() - 2;
}

void Evidence::InPlaceBatch::Rank() {
  struct Item {
    std::string_view id;
    uint32_t entry, pos;
  };
  std::vector<Item> items;
  size_t total = 0;
  for (const auto& ids : entry_ids_) total += ids.size();
  items.reserve(total);
  entry_ranks_.resize(entry_ids_.size());
  for (uint32_t entry = 0; entry < entry_ids_.size(); ++entry) {
    entry_ranks_[entry].resize(entry_ids_[entry].size());
    for (uint32_t pos = 0; pos < entry_ids_[entry].size(); ++pos) items.push_back(Item{entry_ids_[entry][pos], entry, pos});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.id < b.id; });
  for (const Item& item : items) {
    if (ranked_.empty() || ranked_.back() != item.id) ranked_.push_back(item.id);
    entry_ranks_[item.entry][item.pos] = static_cast<uint32_t>(ranked_.size() - 1);
  }
  bits_.assign((ranked_.size() + 63) / 64, 0);
  ranked_done_ = true;
}

bool Evidence::InPlaceBatch::First(size_t query, std::vector<std::string_view>& out) {
  if (!ranked_done_) Rank();
  for (size_t k = query_begin_[query]; k < query_begin_[query + 1]; ++k) {
    for (uint32_t rank : entry_ranks_[query_entries_[k]]) bits_[rank / 64] |= uint64_t{1} << (rank % 64);
  }
  // The set ranks in order are the union's ids in id order, each once.
  size_t found = 0;
  bool more = false;
  for (size_t word_idx = 0; word_idx < bits_.size() && !more; ++word_idx) {
    for (uint64_t word = bits_[word_idx]; word != 0; word &= word - 1) {
      if (found == limit_) {
        more = true;
        break;
      }
      out.push_back(ranked_[word_idx * 64 + static_cast<size_t>(__builtin_ctzll(word))]);
      ++found;
    }
  }
  for (size_t k = query_begin_[query]; k < query_begin_[query + 1]; ++k) {
    for (uint32_t rank : entry_ranks_[query_entries_[k]]) bits_[rank / 64] = 0;
  }
  return more;
}

}  // namespace tidemark::scoring
