#include "engine/store/evidence_index.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "engine/model/incident.h"

namespace tidemark::store {
namespace {

constexpr char kEvidenceListVersion = 1;
constexpr size_t kListHeaderBytes = 1 + 1 + 4 + 8;
constexpr size_t kUsePairBytes = 16;

template <typename T>
T LoadHost(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

template <typename T>
void AppendHost(std::string& out, T value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

// Runs make(k, worker) for k = first .. last - 1 and put(k, result) in that order, on this thread
// (worker 0) and, when `two_threads`, on a second one too (worker 1): both take the next k, so
// the results wait for their put only briefly. make must be safe to run on two threads at once;
// put runs on this thread only. An exception from make reaches this thread at its put.
template <typename Make, typename Put>
void ParallelSlots(size_t first, size_t last, bool two_threads, Make&& make, Put&& put) {
  if (!two_threads) {
    for (size_t k = first; k < last; ++k) put(k, make(k, 0));
    return;
  }
  using Result = decltype(make(size_t{0}, 0));
  std::vector<Result> results(last);
  std::vector<std::exception_ptr> errors(last);
  std::vector<char> ready(last, 0);
  std::mutex mutex;
  std::condition_variable made;
  std::atomic<size_t> next{first};
  auto make_next = [&](int worker) {
    size_t k = next.fetch_add(1);
    if (k >= last) return false;
    Result result;
    std::exception_ptr error;
    try {
      result = make(k, worker);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      results[k] = std::move(result);
      errors[k] = std::move(error);
      ready[k] = 1;
    }
    made.notify_all();
    return true;
  };
  std::thread helper([&] {
    while (make_next(1)) {
    }
  });
  struct Joiner {
    std::thread& thread;
    ~Joiner() { thread.join(); }
  } joiner{helper};
  for (size_t k = first; k < last; ++k) {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (ready[k]) break;
      }
      if (!make_next(0)) {
        std::unique_lock<std::mutex> lock(mutex);
        made.wait(lock, [&] { return ready[k] != 0; });
        break;
      }
    }
    Result result;
    {
      std::lock_guard<std::mutex> lock(mutex);
      result = std::move(results[k]);
      if (errors[k]) std::rethrow_exception(errors[k]);
    }
    put(k, result);
  }
}

[[noreturn]] void CorruptList(const char* why) {
  throw StoreFailure(std::string("store: corrupt evidence list (") + why + "); rebuild the store");
}

// Encodes uses sorted by incident id, distinct.
std::string EncodeList(const std::vector<EvidenceList::Use>& by_id) {
  std::vector<std::pair<TimeMs, TimeMs>> by_baseline;
  by_baseline.reserve(by_id.size());
  TimeMs max_time = std::numeric_limits<TimeMs>::min();
  size_t id_bytes = 0;
  bool ordered = true;
  for (const auto& use : by_id) {
    by_baseline.emplace_back(use.baseline, use.time);
    max_time = std::max(max_time, use.time);
    ordered = ordered && use.baseline <= use.time;
    id_bytes += use.incident.size();
  }
  std::sort(by_baseline.begin(), by_baseline.end());
  std::string out;
  out.reserve(kListHeaderBytes + by_id.size() * (kUsePairBytes + 2 + kUsePairBytes) + id_bytes);
  out.push_back(kEvidenceListVersion);
  out.push_back(ordered ? 1 : 0);
  AppendHost<uint32_t>(out, static_cast<uint32_t>(by_id.size()));
  AppendHost<int64_t>(out, by_id.empty() ? 0 : max_time);
  for (const auto& [baseline, time] : by_baseline) {
    AppendHost<int64_t>(out, baseline);
    AppendHost<int64_t>(out, time);
  }
  for (const auto& use : by_id) {
    AppendHost<uint16_t>(out, static_cast<uint16_t>(use.incident.size()));
    out.append(use.incident);
    AppendHost<int64_t>(out, use.time);
    AppendHost<int64_t>(out, use.baseline);
  }
  return out;
}

}  // namespace

EvidenceList::EvidenceList(std::string bytes)
    : owned_(std::make_shared<const std::string>(std::move(bytes))), bytes_(*owned_) {
  Decode();
}

EvidenceList EvidenceList::Borrowed(std::string_view bytes) {
  EvidenceList list;
  list.bytes_ = bytes;
  list.Decode();
  return list;
}

void EvidenceList::Decode() {
  if (bytes_.size() < kListHeaderBytes || bytes_[0] != kEvidenceListVersion) CorruptList("bad header");
  baselines_not_after_times_ = bytes_[1] == 1;
  size_ = LoadHost<uint32_t>(bytes_.data() + 2);
  max_time_ = LoadHost<int64_t>(bytes_.data() + 6);
  if (bytes_.size() < kListHeaderBytes + size_ * (kUsePairBytes + 2 + kUsePairBytes)) CorruptList("too short");
}

EvidenceList EvidenceList::Of(std::vector<Use> uses) {
  std::sort(uses.begin(), uses.end(), [](const Use& a, const Use& b) { return a.incident < b.incident; });
  uses.erase(std::unique(uses.begin(), uses.end(), [](const Use& a, const Use& b) { return a.incident == b.incident; }),
             uses.end());
  return EvidenceList(EncodeList(uses));
}

EvidenceList EvidenceList::Merge(const std::vector<const EvidenceList*>& lists) {
  if (lists.size() == 1) return *lists.front();
  std::vector<Use> uses;
  for (const EvidenceList* list : lists) {
    list->ForEachById([&](const Use& use) {
      uses.push_back(use);
      return true;
    });
  }
  return Of(std::move(uses));
}

std::pair<TimeMs, TimeMs> EvidenceList::ByBaseline(size_t k) const {
  const char* at = bytes_.data() + kListHeaderBytes + k * kUsePairBytes;
  return {LoadHost<int64_t>(at), LoadHost<int64_t>(at + 8)};
}

size_t EvidenceList::FirstBaselineAtLeast(TimeMs baseline) const {
  size_t lo = 0, hi = size_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ByBaseline(mid).first < baseline) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

void EvidenceList::ForEachById(const std::function<bool(const Use&)>& fn) const {
  IdCursor cursor(*this);
  Use use;
  while (cursor.Next(use)) {
    if (!fn(use)) return;
  }
}

EvidenceList::IdCursor::IdCursor(const EvidenceList& list)
    : at_(list.bytes_.data() + kListHeaderBytes + list.size_ * kUsePairBytes),
      end_(list.bytes_.data() + list.bytes_.size()),
      left_(list.size_) {}

bool EvidenceList::IdCursor::Next(Use& use) {
  if (left_ == 0) return false;
  if (at_ + 2 > end_) CorruptList("cut short");
  size_t length = LoadHost<uint16_t>(at_);
  if (at_ + 2 + length + kUsePairBytes > end_) CorruptList("cut short");
  use = Use{std::string_view(at_ + 2, length), LoadHost<int64_t>(at_ + 2 + length), LoadHost<int64_t>(at_ + 2 + length + 8)};
  at_ += 2 + length + kUsePairBytes;
  --left_;
  return true;
}

std::optional<EvidenceList> EvidenceIndex::Find(const ReadTxn& txn, std::string_view technique, bool borrow) {
  auto value = txn.Get(Db::kEvidence, technique);
  if (!value) return std::nullopt;
  return borrow ? EvidenceList::Borrowed(*value) : EvidenceList(std::string(*value));
}

void EvidenceIndex::ForEach(const ReadTxn& txn, bool borrow,
                            const std::function<void(std::string_view, EvidenceList&&)>& fn) {
  txn.ForEach(Db::kEvidence, "", [&](std::string_view key, std::string_view value) {
    fn(key, borrow ? EvidenceList::Borrowed(value) : EvidenceList(std::string(value)));
    return true;
  });
}

void EvidenceIndex::Rebuild(WriteTxn& txn) {
  txn.DelPrefix(Db::kEvidence, "");
  Writer writer;
  IncidentFactsView facts;
  txn.ForEach(Db::kIncidentFacts, "", [&](std::string_view key, std::string_view value) {
    if (!DecodeIncidentFacts(value, txn, writer.terms(), facts)) throw StoreFailure("corrupt incident facts for " + std::string(key));
    writer.Replace(key, nullptr, &facts);
    return true;
  });
  writer.Finish(txn);
}

uint32_t EvidenceIndex::Writer::TechniqueSlot(std::string_view technique) {
  if (auto it = slots_.find(technique); it != slots_.end()) return it->second;
  auto slot = static_cast<uint32_t>(techniques_.size());
  slots_.emplace(std::string(technique), slot);
  techniques_.emplace_back(technique);
  return slot;
}

uint32_t EvidenceIndex::Writer::TechniqueSlot(const ReadTxn& txn, uint32_t term) {
  if (term >= term_slots_.size()) term_slots_.resize(term + 1, 0);
  if (term_slots_[term] == 0) term_slots_[term] = TechniqueSlot(terms_.Term(txn, term)) + 1;
  return term_slots_[term] - 1;
}

template <typename Facts, typename SlotFn>
void EvidenceIndex::Writer::Record(std::string_view incident, const Facts* before, const Facts* after,
                                   SlotFn&& slot) {
  if (ids_.size() + incident.size() > std::numeric_limits<uint32_t>::max() || incidents_.size() >= (1u << 31)) {
    throw StoreFailure("store: too many incident changes in one transaction for the evidence index");
  }
  auto index = static_cast<uint32_t>(incidents_.size());
  if (!incidents_.empty()) {
    const IncidentChange& last = incidents_.back();
    ids_ascending_ = ids_ascending_ && std::string_view(ids_).substr(last.id_offset, last.id_length) < incident;
  }
  IncidentChange& change = incidents_.emplace_back(
      IncidentChange{static_cast<uint32_t>(ids_.size()), static_cast<uint32_t>(incident.size()), 0, 0});
  ids_.append(incident);
  // Removals first: a use that is still there is added back by `after`, the later change.
  if (before) {
    EvidenceUsesOf(*before, [&](auto t, TimeMs, TimeMs) { changes_.push_back(Change{slot(t), index, 0}); });
  }
  if (after) {
    EvidenceUsesOf(*after, [&](auto t, TimeMs time, TimeMs baseline) {
      change.time = time;
      change.baseline = baseline;
      changes_.push_back(Change{slot(t), index, 1});
    });
  }
}

void EvidenceIndex::Writer::Replace(std::string_view incident, const IncidentFactsView* before,
                                    const IncidentFactsView* after) {
  Record(incident, before, after, [&](std::string_view technique) { return TechniqueSlot(technique); });
}

void EvidenceIndex::Writer::Replace(const ReadTxn& txn, std::string_view incident, const IncidentFactNumbers* before,
                                    const IncidentFactNumbers* after) {
  Record(incident, before, after, [&](uint32_t term) { return TechniqueSlot(txn, term); });
}

void EvidenceIndex::Writer::Finish(WriteTxn& txn) {
  auto id_of = [&](const Change& c) {
    const IncidentChange& incident = incidents_[c.incident];
    return std::string_view(ids_).substr(incident.id_offset, incident.id_length);
  };
  // Grouped by technique in arrival order (a counting sort: arrival order is (incident,
  // removal before addition), what the comparison sort this replaces ordered by), then by
  // incident id; imports usually come in id order, so most groups are sorted already.
  std::vector<size_t> bounds(techniques_.size() + 1, 0);
  for (const Change& c : changes_) ++bounds[c.technique + 1];
  for (size_t k = 1; k < bounds.size(); ++k) bounds[k] += bounds[k - 1];
  std::vector<Change> grouped(changes_.size());
  {
    std::vector<size_t> at(bounds.begin(), bounds.end() - 1);
    for (const Change& c : changes_) grouped[at[c.technique]++] = c;
    std::vector<Change>().swap(changes_);
  }
  // The touched techniques' stored lists, copied (the puts below may move pages) a window of
  // techniques at a time (at most ~64 MB of them: a store of 1,000,000 incidents holds ~140 MB).
  std::vector<std::optional<EvidenceList>> old(techniques_.size());
  // One technique's new list: its stored uses merged with the last change of each incident
  // (nullopt: no use left). Reads only what the transaction no longer changes: runs on two
  // threads at once.
  auto merge = [&](size_t slot, std::vector<const Change*>& latest,
                   std::vector<EvidenceList::Use>& merged) -> std::optional<std::string> {
    auto begin = grouped.begin() + static_cast<std::ptrdiff_t>(bounds[slot]);
    auto end = grouped.begin() + static_cast<std::ptrdiff_t>(bounds[slot + 1]);
    // Incidents recorded in strictly increasing id order (a fresh import of an export): each
    // group is sorted by id already, and one incident's changes are those of one index.
    auto by_id = [&](const Change& a, const Change& b) { return id_of(a) < id_of(b); };
    auto same_incident = [&](const Change& a, const Change& b) {
      return ids_ascending_ ? a.incident == b.incident : id_of(a) == id_of(b);
    };
    if (!ids_ascending_ && !std::is_sorted(begin, end, by_id)) std::stable_sort(begin, end, by_id);
    latest.clear();
    for (auto it = begin; it != end; ++it) {
      if (std::next(it) != end && same_incident(*std::next(it), *it)) continue;
      latest.push_back(&*it);
    }
    merged.clear();
    merged.reserve((old[slot] ? old[slot]->size() : 0) + latest.size());
    size_t next = 0;
    auto emit_latest = [&]() {
      const Change& c = *latest[next++];
      const IncidentChange& incident = incidents_[c.incident];
      if (c.present) merged.push_back(EvidenceList::Use{id_of(c), incident.time, incident.baseline});
    };
    if (old[slot]) {
      old[slot]->ForEachById([&](const EvidenceList::Use& use) {
        while (next < latest.size() && id_of(*latest[next]) < use.incident) emit_latest();
        if (next < latest.size() && id_of(*latest[next]) == use.incident) {
          emit_latest();
        } else {
          merged.push_back(use);
        }
        return true;
      });
    }
    while (next < latest.size()) emit_latest();
    if (merged.empty()) return std::nullopt;
    return EncodeList(merged);
  };
  auto store = [&](size_t slot, const std::optional<std::string>& list) {
    if (bounds[slot] == bounds[slot + 1]) return;
    if (list) {
      txn.Put(Db::kEvidence, techniques_[slot], *list);
    } else {
      txn.Del(Db::kEvidence, techniques_[slot]);
    }
  };
  // A large change (an import of 100,000 incidents and more) merges and encodes its lists on a
  // second thread too (1,000,000 incidents: ~0.6 s of the import's serial end, issue 16); this
  // thread writes them in technique order as they are ready, so the writes are those one thread
  // makes.
  std::vector<const Change*> latest[2];
  std::vector<EvidenceList::Use> merged[2];
  constexpr size_t kOldBytesAtOnce = size_t{64} << 20;
  for (size_t first = 0, last = 0; first < techniques_.size(); first = last) {
    for (size_t bytes = 0; last < techniques_.size() && (last == first || bytes < kOldBytesAtOnce); ++last) {
      if (bounds[last] != bounds[last + 1]) old[last] = Find(txn, techniques_[last]);
      if (old[last]) bytes += old[last]->bytes().size();
    }
    ParallelSlots(
        first, last, grouped.size() >= (size_t{1} << 18),
        [&](size_t slot, int worker) { return merge(slot, latest[worker], merged[worker]); }, store);
    for (size_t slot = first; slot < last; ++slot) old[slot].reset();
  }
  slots_.clear();
  techniques_.clear();
  term_slots_.clear();
  ids_.clear();
  std::vector<IncidentChange>().swap(incidents_);
  std::vector<Change>().swap(changes_);
  ids_ascending_ = true;
}

}  // namespace tidemark::store
