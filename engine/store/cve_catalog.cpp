#include "engine/store/cve_catalog.h"

#include <algorithm>

#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

template <typename T>
T OrThrow(Result<T> result) {
  if (!result.ok()) throw StoreFailure(result.status().message());
  return std::move(result).value();
}

}  // namespace

bool CveCatalog::PutMapping(WriteTxn& txn, const model::CveMapping& mapping) {
  std::string key = JoinKey({mapping.cve, mapping.technique, model::CveMappingTypeName(mapping.type)});
  model::CveMapping merged = mapping;
  bool created = true;
  if (auto existing = txn.Get(Db::kCveMappings, key)) {
    created = false;
    model::CveMapping stored = OrThrow(model::CveMappingFromJson(*existing));
    for (const auto& source : stored.sources) {
      if (std::find(merged.sources.begin(), merged.sources.end(), source) == merged.sources.end()) {
        merged.sources.push_back(source);
      }
    }
    std::sort(merged.sources.begin(), merged.sources.end());
    if (merged.revoked_from.empty()) merged.revoked_from = stored.revoked_from;
  }
  txn.Put(Db::kCveMappings, key, model::ToJson(merged));
  return created;
}

void CveCatalog::ForEachMapping(const ReadTxn& txn, const std::function<void(const model::CveMapping&)>& fn) {
  txn.ForEach(Db::kCveMappings, "", [&](std::string_view, std::string_view value) {
    fn(OrThrow(model::CveMappingFromJson(value)));
    return true;
  });
}

void CveCatalog::ForEachMappingOf(const ReadTxn& txn, std::string_view cve,
                                  const std::function<void(const model::CveMapping&)>& fn) {
  txn.ForEach(Db::kCveMappings, KeyPrefix({cve}), [&](std::string_view, std::string_view value) {
    fn(OrThrow(model::CveMappingFromJson(value)));
    return true;
  });
}

void CveCatalog::PutKev(WriteTxn& txn, const model::KevEntry& entry) {
  txn.Put(Db::kKev, entry.cve, model::ToJson(entry));
}

std::optional<model::KevEntry> CveCatalog::FindKev(const ReadTxn& txn, std::string_view cve) {
  auto value = txn.Get(Db::kKev, cve);
  if (!value) return std::nullopt;
  return OrThrow(model::KevEntryFromJson(*value));
}

void CveCatalog::ForEachKev(const ReadTxn& txn, const std::function<void(const model::KevEntry&)>& fn) {
  txn.ForEach(Db::kKev, "", [&](std::string_view, std::string_view value) {
    fn(OrThrow(model::KevEntryFromJson(value)));
    return true;
  });
}

bool CveCatalog::IsKnown(const ReadTxn& txn, std::string_view cve) {
  if (txn.Get(Db::kKev, cve)) return true;
  bool found = false;
  txn.ForEach(Db::kCveMappings, KeyPrefix({cve}), [&](std::string_view, std::string_view) {
    found = true;
    return false;
  });
  return found;
}

}  // namespace tidemark::store
