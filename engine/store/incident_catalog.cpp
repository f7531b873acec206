#include "engine/store/incident_catalog.h"

#include <algorithm>
#include <limits>

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

IncidentCatalog::Encoded IncidentCatalog::Encode(const model::Incident& incident, const ReadTxn& txn,
                                                 FactTerms& terms) {
  Encoded encoded{incident.id, incident.Time(), model::ToJson(incident), EncodeIncidentFactsAhead(incident, txn, terms),
                  terms.TakeAdded(), 0};
  encoded.first_new_term = static_cast<uint32_t>(terms.size(txn) - encoded.new_terms.size());
  return encoded;
}

IncidentCatalog::PutOutcome IncidentCatalog::Upsert(WriteTxn& txn, const model::Incident& incident, Writer& writer) {
  std::string facts = EncodeIncidentFacts(incident, txn, writer.terms());
  return Store(txn, incident.id, incident.Time(), model::ToJson(incident), facts, writer);
}

IncidentCatalog::PutOutcome IncidentCatalog::Upsert(WriteTxn& txn, const Encoded& encoded, Writer& writer) {
  // The terms the encoding numbered ahead, numbered here in the same order: the same numbers
  // unless the store changed since the snapshot the encoding read.
  for (size_t k = 0; k < encoded.new_terms.size(); ++k) {
    if (writer.terms().Number(txn, encoded.new_terms[k]) != encoded.first_new_term + k) {
      throw StoreFailure("store: incident facts of " + encoded.id + " were numbered ahead of another term table");
    }
  }
  return Store(txn, encoded.id, encoded.time, encoded.json, encoded.facts, writer);
}

IncidentCatalog::PutOutcome IncidentCatalog::Store(WriteTxn& txn, std::string_view id, std::optional<TimeMs> time,
                                                   std::string_view json, std::string_view facts, Writer& writer) {
  FactTerms& terms = writer.terms();
  // Exports usually come in id order: an id past every stored one is new and goes at the end of
  // both databases, without looking it up first.
  if (txn.Append(Db::kIncidents, id, json)) {
    if (!DecodeIncidentFactNumbers(facts, writer.facts_)) {
      throw StoreFailure("store: incident facts of " + std::string(id) + " do not decode");
    }
    writer.evidence_.Replace(txn, id, nullptr, &writer.facts_);
    if (!txn.Append(Db::kIncidentFacts, id, facts)) txn.Put(Db::kIncidentFacts, id, facts);
    writer.SetTime(id, time);
    return PutOutcome::kAdded;
  }
  IncidentFactsView before, after;
  bool existed = false;
  std::optional<TimeMs> old_time;
  auto existing = txn.Get(Db::kIncidents, id);
  if (existing) {
    if (*existing == json) return PutOutcome::kUnchanged;
    // The old time from the old facts (written with the record), not from parsing its JSON.
    auto old_facts = txn.Get(Db::kIncidentFacts, id);
    existed = old_facts && DecodeIncidentFacts(*old_facts, txn, terms, before);
    old_time = existed ? (before.closed ? before.closed : before.created) : DecodeIncidentRecord(*existing).Time();
  }
  if (!DecodeIncidentFacts(facts, txn, terms, after)) {
    throw StoreFailure("store: incident facts of " + std::string(id) + " do not decode");
  }
  // The views of `before` point into the store: recorded before the writes below move pages.
  writer.evidence_.Replace(id, existed ? &before : nullptr, &after);
  // The old time key is in the store, or (written earlier in this transaction) among the
  // Writer's, where SetTime below replaces it.
  if (old_time) txn.Del(Db::kIncidentsByTime, TimeKey(*old_time, id));
  txn.Put(Db::kIncidents, id, json);
  txn.Put(Db::kIncidentFacts, id, facts);
  if (existing) writer.repeated_ = true;
  writer.SetTime(id, time);
  return existing ? PutOutcome::kUpdated : PutOutcome::kAdded;
}

void IncidentCatalog::Writer::SetTime(std::string_view id, std::optional<TimeMs> time) {
  if (!time && !repeated_) return;  // nothing to replace
  if (ids_.size() + id.size() > std::numeric_limits<uint32_t>::max()) {
    throw StoreFailure("store: too many incidents in one transaction for the time index");
  }
  times_.push_back(TimeEntry{time.value_or(0), static_cast<uint32_t>(ids_.size()), static_cast<uint32_t>(id.size()),
                             time ? 1u : 0u});
  ids_.append(id);
}

void IncidentCatalog::Writer::Finish(WriteTxn& txn) {
  evidence_.Finish(txn);
  auto id_of = [&](const TimeEntry& entry) { return std::string_view(ids_).substr(entry.id_offset, entry.id_length); };
  if (repeated_) {
    // The last entry of each id wins (stable: entries of one id stay in arrival order).
    std::stable_sort(times_.begin(), times_.end(), [&](const TimeEntry& a, const TimeEntry& b) { return id_of(a) < id_of(b); });
    size_t kept = 0;
    for (size_t k = 0; k < times_.size(); ++k) {
      if (k + 1 < times_.size() && id_of(times_[k + 1]) == id_of(times_[k])) continue;
      if (times_[k].present) times_[kept++] = times_[k];
    }
    times_.resize(kept);
  }
  std::sort(times_.begin(), times_.end(), [&](const TimeEntry& a, const TimeEntry& b) {
    return a.time != b.time ? a.time < b.time : id_of(a) < id_of(b);
  });
  // Keys past every stored one are appended; the others (a store holding later times) put.
  std::string key;
  for (const TimeEntry& entry : times_) {
    key = EncodeInt64(entry.time);
    key += '\0';
    key += id_of(entry);
    if (!txn.Append(Db::kIncidentsByTime, key, "")) txn.Put(Db::kIncidentsByTime, key, "");
  }
  ids_.clear();
  std::vector<TimeEntry>().swap(times_);
  repeated_ = false;
}

bool IncidentCatalog::Put(WriteTxn& txn, const model::Incident& incident, Writer& writer) {
  return Upsert(txn, incident, writer) != PutOutcome::kUnchanged;
}

bool IncidentCatalog::Put(WriteTxn& txn, const model::Incident& incident) {
  Writer writer;
  bool changed = Put(txn, incident, writer);
  writer.Finish(txn);
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
