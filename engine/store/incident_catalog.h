// Typed access to incidents (`incidents` by id, `incidents_by_time` by closed-else-created
// time). Put keeps the time index in step on upsert. Stateless.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/model/incident.h"
#include "engine/store/evidence_index.h"
#include "engine/store/incident_facts.h"
#include "engine/store/store.h"

namespace tidemark::store {

class IncidentCatalog {
 public:
  enum class PutOutcome { kAdded, kUpdated, kUnchanged };
  // A normalised incident with its record (model::ToJson, the one incident-record writer).
  // Encode is pure and thread-safe, so an import serialises on its preparing thread; the
  // facts are encoded by the writing thread, whose transaction numbers their terms
  // (fact_terms.h).
  struct Encoded {
    model::Incident incident;
    std::string json;
  };
  static Encoded Encode(model::Incident incident);
  // Upserts by id: whether the incident is new, its stored record changed (different JSON) or
  // not. The evidence index follows through `evidence`, whose Finish the caller runs before
  // the transaction commits (once for a whole import).
  static PutOutcome Upsert(WriteTxn& txn, const model::Incident& incident, EvidenceIndex::Writer& evidence);
  // The same for an incident encoded already.
  static PutOutcome Upsert(WriteTxn& txn, const Encoded& incident, EvidenceIndex::Writer& evidence);
  // The same; true when the stored record changed (new, or different JSON).
  static bool Put(WriteTxn& txn, const model::Incident& incident, EvidenceIndex::Writer& evidence);
  // The same for one incident: the evidence index is written at once.
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
  static PutOutcome Store(WriteTxn& txn, const model::Incident& incident, const std::string& json,
                          EvidenceIndex::Writer& evidence);
};

}  // namespace tidemark::store
