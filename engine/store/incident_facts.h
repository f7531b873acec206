// The compact binary form of an incident that scoring needs (layout in key_codec.h,
// `incident_facts`): times, classification, technique IDs, unknown IDs, asset ids, threats,
// blocked techniques. Layout 3 (schema 6) names the IDs by number in the term table
// (fact_terms.h), so a bulk load resolves each distinct ID once; layouts 1 and 2 (strings) are
// read only by the migrations that run before the schema-6 step rewrites them. Decoding is a few
// copies instead of a JSON parse, which is what lets `threat all` over 1,000,000 incidents
// answer in about a second. This file is the one writer of facts records. Thread-compatible
// (the FactTerms passed in is not shared between threads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/model/incident.h"
#include "engine/store/fact_terms.h"
#include "engine/store/store.h"

namespace tidemark::store {

// The facts of `incident` in layout 3; new IDs are added to `terms` (and the store).
std::string EncodeIncidentFacts(const model::Incident& incident, WriteTxn& txn, FactTerms& terms);
// The same numbered ahead (FactTerms::NumberAhead), off the writing thread: the writer then
// numbers the terms `terms.TakeAdded()` returns before it stores the record.
std::string EncodeIncidentFactsAhead(const model::Incident& incident, const ReadTxn& txn, FactTerms& terms);

// The facts with their IDs as strings: views into the stored bytes (layouts 1, 2) or into
// `terms` (layout 3), valid while both the transaction and `terms` are. The vectors are reused
// across calls, so decoding 100,000 records allocates almost nothing.
struct IncidentFactsView {
  std::optional<TimeMs> created, closed;
  model::Classification classification = model::Classification::kUndetermined;
  std::vector<std::string_view> techniques, unknown_techniques, assets, threats;
  std::vector<std::string_view> blocked;  // techniques whose every use was blocked (⊆ techniques)
};
// False when `bytes` is not a facts record; throws StoreFailure when it names a term the table
// lacks.
bool DecodeIncidentFacts(std::string_view bytes, const ReadTxn& txn, FactTerms& terms, IncidentFactsView& out);

// The same lists as term numbers (layout 3 only: false for any other bytes), what a bulk load
// reads: equal numbers are equal IDs.
struct IncidentFactNumbers {
  std::optional<TimeMs> created, closed;
  model::Classification classification = model::Classification::kUndetermined;
  std::vector<uint32_t> techniques, unknown_techniques, assets, threats, blocked;
};
bool DecodeIncidentFactNumbers(std::string_view bytes, IncidentFactNumbers& out);

// Fills id-less facts into `out` (id, times, status, classification, techniques without
// tactics, unknown techniques, asset ids, threats). False when `bytes` is not a facts record.
bool DecodeIncidentFacts(std::string_view bytes, const ReadTxn& txn, FactTerms& terms, model::Incident& out);

// The schema-6 migration: rewrites every facts record of layout 1 or 2 in layout 3, numbering
// the terms in the order the records (by incident id) first name them.
void RenumberIncidentFacts(WriteTxn& txn);

}  // namespace tidemark::store
