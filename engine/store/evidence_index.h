// The evidence index (database `evidence`, schema version 3): per stored technique ID, the
// incidents that can show it succeeded (SPEC §3 "Evidence"), kept in step with the incidents
// by every write, so that one incident's view reads the evidence of its five techniques instead
// of the facts of every incident in the store (issue 16: 1.9 s -> milliseconds at 1,000,000).
//
// What goes in is one rule, EvidenceUsesOf: an incident lists technique ID x when x is one of
// its known techniques, it does not record x as blocked, and its classification and time let it
// count at some τ; the use carries time(i) (closed, else created: when it starts to count) and
// b(i) (created, else closed: its baseline time). B(t, τ) is then the uses of t (and of revoked
// IDs that resolve to t) with time(i) <= τ, which scoring::Evidence computes from these lists.
//
// A list (the value) is self-contained, so a reader copies it out of the transaction:
//   u8 version = 1 | u8 1 when every b(i) <= time(i) (import rejects closed < created), else 0 |
//   u32 n | i64 max time(i) |
//   n × {i64 b(i), i64 time(i)} sorted by (b, time)         (baselines: range queries)
//   n × {u16 id length, id bytes, i64 time(i), i64 b(i)}    sorted by incident id (byte order)
// Integers in host byte order (like posture's f64): the store is not portable across byte orders
// anyway (LMDB's own pages are not).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/string_map.h"
#include "engine/core/time_util.h"
#include "engine/model/incident.h"
#include "engine/store/fact_terms.h"
#include "engine/store/incident_facts.h"
#include "engine/store/store.h"

namespace tidemark::store {

// Calls fn(technique, time(i), b(i)) for each technique of an incident's facts that is
// evidence of success when the incident counts (the rule above). `Facts` is IncidentFactsView
// (techniques as IDs) or IncidentFactNumbers (as term numbers).
template <typename Facts, typename Fn>
void EvidenceUsesOf(const Facts& facts, Fn&& fn) {
  std::optional<TimeMs> time = facts.closed ? facts.closed : facts.created;
  if (!model::CountsAt(facts.classification, time, std::numeric_limits<TimeMs>::max())) return;
  TimeMs baseline = facts.created ? *facts.created : *facts.closed;  // b(i): created, else closed
  for (auto technique : facts.techniques) {
    if (std::find(facts.blocked.begin(), facts.blocked.end(), technique) != facts.blocked.end()) continue;
    fn(technique, *time, baseline);
  }
}

// One technique's uses, decoded lazily from its bytes. Immutable; thread-safe for reading.
class EvidenceList {
 public:
  struct Use {
    std::string_view incident;
    TimeMs time = 0;
    TimeMs baseline = 0;
  };
  EvidenceList() = default;
  // Throws StoreFailure when `bytes` is not a list of this layout.
  explicit EvidenceList(std::string bytes);
  // A list that borrows `bytes` (a value in a read transaction, which must outlive it): one
  // incident's view reads five lists of 2 MB at 1,000,000 incidents without copying them.
  static EvidenceList Borrowed(std::string_view bytes);

  // A list of these uses (any order; one per incident id).
  static EvidenceList Of(std::vector<Use> uses);
  // The union of lists (an incident in several of them once): the uses of a technique and of
  // the revoked IDs that resolve to it.
  static EvidenceList Merge(const std::vector<const EvidenceList*>& lists);

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  TimeMs max_time() const { return max_time_; }
  // Every use has b(i) <= time(i): a use with b(i) > τ does not count at τ.
  bool baselines_not_after_times() const { return baselines_not_after_times_; }
  // The k-th (b(i), time(i)) in (b, time) order.
  std::pair<TimeMs, TimeMs> ByBaseline(size_t k) const;
  // The first k with ByBaseline(k).first >= baseline (size() when none).
  size_t FirstBaselineAtLeast(TimeMs baseline) const;
  // Uses in incident id order until fn returns false.
  void ForEachById(const std::function<bool(const Use&)>& fn) const;
  // The uses in incident id order, read one at a time (to merge several lists). Borrows the
  // list, which must outlive it.
  class IdCursor {
   public:
    explicit IdCursor(const EvidenceList& list);
    // The next use into `use`; false at the end.
    bool Next(Use& use);

   private:
    const char* at_;
    const char* end_;
    size_t left_;
  };
  std::string_view bytes() const { return bytes_; }

 private:
  void Decode();
  std::shared_ptr<const std::string> owned_;  // the bytes, unless borrowed (shared by copies)
  std::string_view bytes_;                    // *owned_, or the borrowed bytes
  size_t size_ = 0;
  TimeMs max_time_ = 0;
  bool baselines_not_after_times_ = true;
};

// The index's reads and writes. Stateless except for the Writer.
class EvidenceIndex {
 public:
  // The stored list of one technique ID, or nullopt; `borrow`: a view into the transaction,
  // which must outlive it (EvidenceList::Borrowed).
  static std::optional<EvidenceList> Find(const ReadTxn& txn, std::string_view technique, bool borrow = false);
  // Every stored list, in technique ID order (`borrow`: as for Find).
  static void ForEach(const ReadTxn& txn, bool borrow, const std::function<void(std::string_view, EvidenceList&&)>& fn);
  // Drops the index and builds it again from every incident's facts (the schema-3 migration).
  static void Rebuild(WriteTxn& txn);

  // Collects the changes of one write transaction's incident upserts; Finish rewrites each
  // touched technique's list once (an import of 1,000,000 incidents writes ~70 lists, not 4
  // million entries). Every writer of incident facts goes through one (IncidentCatalog::Put).
  class Writer {
   public:
    // An incident's facts changed from `before` (nullptr: new) to `after` (nullptr: removed).
    void Replace(std::string_view incident, const IncidentFactsView* before, const IncidentFactsView* after);
    // The same with the techniques as numbers in terms() (an import's new incidents): a
    // technique's slot found by its number, the ID looked up once per distinct number.
    void Replace(const ReadTxn& txn, std::string_view incident, const IncidentFactNumbers* before,
                 const IncidentFactNumbers* after);
    // Writes the touched lists; the Writer is empty again afterwards.
    void Finish(WriteTxn& txn);
    // The incident facts' term table of this transaction (fact_terms.h): the writers of facts
    // that keep this Writer encode and decode through it, so each term is looked up once.
    FactTerms& terms() { return terms_; }

   private:
    // One incident's Replace: its id (in ids_) and the time and baseline its added uses carry
    // (EvidenceUsesOf gives every use of one incident the same).
    struct IncidentChange {
      uint32_t id_offset;
      uint32_t id_length;
      TimeMs time;
      TimeMs baseline;
    };
    // One use added or removed: 8 bytes (an import of 1,000,000 incidents records ~4 million).
    // Sorted by (technique, incident, present), a removal comes before an addition of the same
    // Replace and later Replaces after earlier ones: the later change of an (technique,
    // incident id) wins.
    struct Change {
      uint32_t technique;
      uint32_t incident : 31;  // index in incidents_ (arrival order)
      uint32_t present : 1;
    };
    uint32_t TechniqueSlot(std::string_view technique);
    uint32_t TechniqueSlot(const ReadTxn& txn, uint32_t term);
    // One incident's change, its uses given by EvidenceUsesOf(facts, ...) with `slot(technique)`.
    template <typename Facts, typename SlotFn>
    void Record(std::string_view incident, const Facts* before, const Facts* after, SlotFn&& slot);
    FactTerms terms_;
    StringMap<uint32_t> slots_;
    std::vector<std::string> techniques_;
    std::vector<uint32_t> term_slots_;  // term number -> slot + 1 (0: not met yet)
    std::string ids_;  // incident ids of the changes, back to back
    std::vector<IncidentChange> incidents_;
    std::vector<Change> changes_;
    bool ids_ascending_ = true;  // every Record's incident id after the previous one's
  };
};

}  // namespace tidemark::store
