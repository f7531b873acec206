#include "engine/store/org_catalog.h"

#include "engine/store/key_codec.h"

#include <string>
#include <vector>

namespace tidemark::store {
namespace {

template <typename T>
T Decode(Result<T> decoded) {
  if (!decoded.ok()) throw StoreFailure(decoded.status().message());
  return std::move(decoded).value();
}

}  // namespace

void OrgCatalog::PutControl(WriteTxn& txn, const model::Control& control) {
  txn.Put(Db::kControls, control.id, model::ToJson(control));
}

std::optional<model::Control> OrgCatalog::FindControl(const ReadTxn& txn, std::string_view id) {
  auto value = txn.Get(Db::kControls, id);
  if (!value) return std::nullopt;
  return Decode(model::ControlFromJson(*value));
}

void OrgCatalog::ForEachControl(const ReadTxn& txn, const std::function<void(const model::Control&)>& fn) {
  txn.ForEach(Db::kControls, "", [&](std::string_view, std::string_view value) {
    fn(Decode(model::ControlFromJson(value)));
    return true;
  });
}

void OrgCatalog::PutMapping(WriteTxn& txn, const model::Mapping& m) {
  txn.Put(Db::kMappings, JoinKey({m.control, m.technique, model::MappingTypeName(m.type), m.source}),
          model::ToJson(m));
}

void OrgCatalog::ForEachMapping(const ReadTxn& txn, const std::function<void(const model::Mapping&)>& fn) {
  txn.ForEach(Db::kMappings, "", [&](std::string_view, std::string_view value) {
    fn(Decode(model::MappingFromJson(value)));
    return true;
  });
}

void OrgCatalog::ForEachMappingOf(const ReadTxn& txn, std::string_view control,
                                  const std::function<void(const model::Mapping&)>& fn) {
  txn.ForEach(Db::kMappings, KeyPrefix({control}), [&](std::string_view, std::string_view value) {
    fn(Decode(model::MappingFromJson(value)));
    return true;
  });
}

namespace {

// Deletes the mapping keys under `prefix` whose last key part (the source) is `source`.
size_t RemoveWithSource(WriteTxn& txn, std::string_view prefix, std::string_view source) {
  std::vector<std::string> doomed;
  txn.ForEach(Db::kMappings, prefix, [&](std::string_view key, std::string_view) {
    auto parts = SplitKey(key);
    if (!parts.empty() && parts.back() == source) doomed.emplace_back(key);
    return true;
  });
  for (const auto& key : doomed) txn.Del(Db::kMappings, key);
  return doomed.size();
}

}  // namespace

size_t OrgCatalog::RemoveMappingsFromSource(WriteTxn& txn, std::string_view source) {
  return RemoveWithSource(txn, "", source);
}

size_t OrgCatalog::RemoveMappingsOf(WriteTxn& txn, std::string_view control, std::string_view source) {
  return RemoveWithSource(txn, KeyPrefix({control}), source);
}

void OrgCatalog::PutPosture(WriteTxn& txn, const model::PostureRecord& record) {
  txn.Put(Db::kPosture, KeyPrefix({record.control}) + EncodeInt64(record.as_of), model::ToJson(record));
}

void OrgCatalog::ForEachPosture(const ReadTxn& txn,
                                const std::function<void(const model::PostureRecord&)>& fn) {
  txn.ForEach(Db::kPosture, "", [&](std::string_view, std::string_view value) {
    fn(Decode(model::PostureRecordFromJson(value)));
    return true;
  });
}

void OrgCatalog::ForEachPostureOf(const ReadTxn& txn, std::string_view control,
                                  const std::function<void(const model::PostureRecord&)>& fn) {
  txn.ForEach(Db::kPosture, KeyPrefix({control}), [&](std::string_view, std::string_view value) {
    fn(Decode(model::PostureRecordFromJson(value)));
    return true;
  });
}

void OrgCatalog::PutAsset(WriteTxn& txn, const model::Asset& asset) {
  txn.Put(Db::kAssets, asset.id, model::ToJson(asset));
}

std::optional<model::Asset> OrgCatalog::FindAsset(const ReadTxn& txn, std::string_view id) {
  auto value = txn.Get(Db::kAssets, id);
  if (!value) return std::nullopt;
  return Decode(model::AssetFromJson(*value));
}

void OrgCatalog::ForEachAsset(const ReadTxn& txn, const std::function<void(const model::Asset&)>& fn) {
  txn.ForEach(Db::kAssets, "", [&](std::string_view, std::string_view value) {
    fn(Decode(model::AssetFromJson(value)));
    return true;
  });
}

}  // namespace tidemark::store
