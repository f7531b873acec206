// Typed access to incidents (`incidents` by id, `incidents_by_time` by closed-else-created
// time). Upserts keep the time index in step (written by the Writer's Finish). Stateless except
// for the Writer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/incident.h"
#include "engine/store/evidence_index.h"
#include "engine/store/incident_facts.h"
#include "engine/store/store.h"

namespace tidemark::store {

class IncidentCatalog {
 public:
  enum class PutOutcome { kAdded, kUpdated, kUnchanged };

  // What one write transaction's upserts write once, at the end (Finish, which the caller runs
  // before the transaction commits): the evidence index (EvidenceIndex::Writer) and the time
  // index, whose keys arrive in id order but sort by time, so they are collected and written in
  // key order (appends: no search, full pages; issue 16). Every upsert of the transaction goes
  // through the one Writer. Thread-compatible.
  class Writer {
   public:
    FactTerms& terms() { return evidence_.terms(); }
    void Finish(WriteTxn& txn);

   private:
    friend class IncidentCatalog;
    // The time index entry of `id` from now on (nullopt: none); the last call for an id wins.
    void SetTime(std::string_view id, std::optional<TimeMs> time);
    struct TimeEntry {
      TimeMs time;
      uint32_t id_offset;
      uint32_t id_length : 31;
      uint32_t present : 1;
    };
    EvidenceIndex::Writer evidence_;
    std::string ids_;  // the ids of times_, back to back
    std::vector<TimeEntry> times_;
    bool repeated_ = false;  // an id may have several entries (an upsert found a stored record)
    IncidentFactNumbers facts_;  // scratch
  };

  // A normalised incident as the store keeps it: the record (model::ToJson, the one
  // incident-record writer) and its facts numbered ahead (EncodeIncidentFactsAhead) with the
  // terms that numbering added. Encode runs off the writing thread, in the order the records
  // are then upserted, with a FactTerms and a read transaction of its own (the snapshot the
  // write transaction started from): an import encodes on its preparing thread, so the writing
  // thread only stores (issue 16).
  struct Encoded {
    std::string id;
    std::optional<TimeMs> time;
    std::string json;
    std::string facts;
    std::vector<std::string> new_terms;  // numbered first_new_term, first_new_term + 1, ...
    uint32_t first_new_term = 0;
  };
  static Encoded Encode(const model::Incident& incident, const ReadTxn& txn, FactTerms& terms);
  // Upserts by id: whether the incident is new, its stored record changed (different JSON) or
  // not. The indexes follow through `writer` (Finish once for a whole import).
  static PutOutcome Upsert(WriteTxn& txn, const model::Incident& incident, Writer& writer);
  // The same for an incident encoded already (in upsert order).
  static PutOutcome Upsert(WriteTxn& txn, const Encoded& incident, Writer& writer);
  // The same; true when the stored record changed (new, or different JSON).
  static bool Put(WriteTxn& txn, const model::Incident& incident, Writer& writer);
  // The same for one incident: the indexes are written at once.
  static bool Put(WriteTxn& txn, const model::Incident& incident);
  // nullopt when absent.
  static std::optional<model::Incident> Find(const ReadTxn& txn, std::string_view id);
  // Every incident in id order.
  static void ForEach(const ReadTxn& txn, const std::function<void(const model::Incident&)>& fn);
  // Every incident in id order as scoring facts only (id, times, classification, technique
  // IDs, unknown IDs, asset ids, threats; no title, tactics or asset types): the fast path for
  // bulk scoring.
  static void ForEachFacts(const ReadTxn& txn, const std::function<void(model::Incident&&)>& fn);
  // The same with the IDs as term numbers (FactTerms resolves them), the id a view into the store
  // (valid during the callback only): no allocation per incident. `fn(id, facts)`.
  static void ForEachFactNumbers(const ReadTxn& txn,
                                 const std::function<void(std::string_view, const IncidentFactNumbers&)>& fn);
  // Incidents whose time (closed, else created) is >= since, in time order. Incidents with
  // neither time are not in the index.
  static void ForEachSince(const ReadTxn& txn, TimeMs since,
                           const std::function<void(const model::Incident&)>& fn);

 private:
  static PutOutcome Store(WriteTxn& txn, std::string_view id, std::optional<TimeMs> time, std::string_view json,
                          std::string_view facts, Writer& writer);
};

}  // namespace tidemark::store
