#include "engine/store/incident_catalog.h"

#include "engine/store/incident_facts.h"
#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

model::Incident DecodeIncidentRecord(std::string_view value) {
  auto decoded = model::IncidentFromJson(value);
  if (!decoded.ok()) throw StoreFailure(decoded.status().message());
  return std::move(decoded).value();
}

std::string TimeKey(TimeMs time, std::string_view id) { return EncodeInt64(time) + '\0' + std::string(id); }

}  // namespace

IncidentCatalog::Encoded IncidentCatalog::Encode(model::Incident incident) {
  std::string json = model::ToJson(incident);
  return Encoded{std::move(incident), std::move(json)};
}

IncidentCatalog::PutOutcome IncidentCatalog::Upsert(WriteTxn& txn, const model::Incident& incident,
                                                    EvidenceIndex::Writer& evidence) {
  return Store(txn, incident, model::ToJson(incident), evidence);
}

IncidentCatalog::PutOutcome IncidentCatalog::Upsert(WriteTxn& txn, const Encoded& encoded,
                                                    EvidenceIndex::Writer& evidence) {
  return Store(txn, encoded.incident, encoded.json, evidence);
}

// The facts are encoded here, on the writing thread: their term numbers belong to the
// transaction (fact_terms.h).
IncidentCatalog::PutOutcome IncidentCatalog::Store(WriteTxn& txn, const model::Incident& incident,
                                                   const std::string& json, EvidenceIndex::Writer& evidence) {
  std::string facts = EncodeIncidentFacts(incident, txn, evidence.terms());
  std::optional<TimeMs> time = incident.Time();
  IncidentFactsView before, after;
  // Exports usually come in id order: an id past every stored one is new and goes at the end of
  // both databases, without looking it up first.
  if (txn.Append(Db::kIncidents, incident.id, json)) {
    if (!DecodeIncidentFacts(facts, txn, evidence.terms(), after)) throw StoreFailure("store: incident facts of " + incident.id + " do not decode");
    evidence.Replace(incident.id, nullptr, &after);
    if (!txn.Append(Db::kIncidentFacts, incident.id, facts)) txn.Put(Db::kIncidentFacts, incident.id, facts);
    if (time) txn.Put(Db::kIncidentsByTime, TimeKey(*time, incident.id), "");
    return PutOutcome::kAdded;
  }
  bool existed = false;
  std::optional<TimeMs> old_time;
  auto existing = txn.Get(Db::kIncidents, incident.id);
  if (existing) {
    if (*existing == json) return PutOutcome::kUnchanged;
    // The old time from the old facts (written with the record), not from parsing its JSON.
    auto old_facts = txn.Get(Db::kIncidentFacts, incident.id);
    existed = old_facts && DecodeIncidentFacts(*old_facts, txn, evidence.terms(), before);
    old_time = existed ? (before.closed ? before.closed : before.created) : DecodeIncidentRecord(*existing).Time();
  }
  if (!DecodeIncidentFacts(facts, txn, evidence.terms(), after)) throw StoreFailure("store: incident facts of " + incident.id + " do not decode");
  // The views of `before` point into the store: recorded before the writes below move pages.
  evidence.Replace(incident.id, existed ? &before : nullptr, &after);
  if (old_time) txn.Del(Db::kIncidentsByTime, TimeKey(*old_time, incident.id));
  txn.Put(Db::kIncidents, incident.id, json);
  txn.Put(Db::kIncidentFacts, incident.id, facts);
  if (time) txn.Put(Db::kIncidentsByTime, TimeKey(*time, incident.id), "");
  return existing ? PutOutcome::kUpdated : PutOutcome::kAdded;
}

bool IncidentCatalog::Put(WriteTxn& txn, const model::Incident& incident, EvidenceIndex::Writer& evidence) {
  return Upsert(txn, incident, evidence) != PutOutcome::kUnchanged;
}

bool IncidentCatalog::Put(WriteTxn& txn, const model::Incident& incident) {
  EvidenceIndex::Writer evidence;
  bool changed = Put(txn, incident, evidence);
  evidence.Finish(txn);
  return changed;
}

std::optional<model::Incident> IncidentCatalog::Find(const ReadTxn& txn, std::string_view id) {
  auto value = txn.Get(Db::kIncidents, id);
  if (!value) return std::nullopt;
  return DecodeIncidentRecord(*value);
}

void IncidentCatalog::ForEach(const ReadTxn& txn, const std::function<void(const model::Incident&)>& fn) {
  txn.ForEach(Db::kIncidents, "", [&](std::string_view, std::string_view value) {
    fn(DecodeIncidentRecord(value));
    return true;
  });
}

void IncidentCatalog::ForEachFacts(const ReadTxn& txn, const std::function<void(model::Incident&&)>& fn) {
  FactTerms terms;
  txn.ForEach(Db::kIncidentFacts, "", [&](std::string_view key, std::string_view value) {
    model::Incident incident;
    if (!DecodeIncidentFacts(value, txn, terms, incident)) throw StoreFailure("corrupt incident facts for " + std::string(key));
    incident.id = std::string(key);
    fn(std::move(incident));
    return true;
  });
}

void IncidentCatalog::ForEachFactNumbers(const ReadTxn& txn,
                                         const std::function<void(std::string_view, const IncidentFactNumbers&)>& fn) {
  // A scan of every incident releases the pages it has read as it goes (ReleaseReadPages): at
  // 1,000,000 incidents they would otherwise map most of the store (1 GB) into the process.
  constexpr size_t kReleaseEvery = size_t{1} << 16;
  IncidentFactNumbers facts;
  size_t read = 0;
  txn.ForEach(Db::kIncidentFacts, "", [&](std::string_view key, std::string_view value) {
    if (!DecodeIncidentFactNumbers(value, facts)) throw StoreFailure("corrupt incident facts for " + std::string(key));
    fn(key, facts);
    if (++read % kReleaseEvery == 0) txn.ReleaseReadPages();
    return true;
  });
}

void IncidentCatalog::ForEachSince(const ReadTxn& txn, TimeMs since,
                                   const std::function<void(const model::Incident&)>& fn) {
  txn.ForEachFrom(Db::kIncidentsByTime, EncodeInt64(since), [&](std::string_view key, std::string_view) {
    auto value = txn.Get(Db::kIncidents, key.substr(9));
    if (value) fn(DecodeIncidentRecord(*value));
    return true;
  });
}

}  // namespace tidemark::store
