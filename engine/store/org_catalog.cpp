#include "engine/store/org_catalog.h"

#include <cstring>

#include "engine/core/json.h"
#include "engine/store/key_codec.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace tidemark::store {
namespace {

constexpr char kPostureVersion = 1;

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

bool OrgCatalog::RemoveMapping(WriteTxn& txn, const model::Mapping& m) {
  return txn.Del(Db::kMappings, JoinKey({m.control, m.technique, model::MappingTypeName(m.type), m.source}));
}

void OrgCatalog::ForEachMapping(const ReadTxn& txn, const std::function<void(const model::Mapping&)>& fn) {
  txn.ForEach(Db::kMappings, "", [&](std::string_view, std::string_view value) {
    fn(Decode(model::MappingFromJson(value)));
    return true;
  });
}

namespace {

// The `strength` member of a stored mapping value (1.0 when absent, as MappingFromJson reads
// it), through RapidJSON's SAX reader with the flags Document::Parse uses: the same number
// parser, so the same bits. Only a top-level member counts, and the first one, as FindMember.
struct StrengthReader : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, StrengthReader> {
  int depth = 0;
  bool at_strength = false;
  bool found = false;
  double strength = 1.0;

  bool Default() {
    at_strength = false;
    return true;
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    at_strength = depth == 1 && !found && std::string_view(str, length) == "strength";
    return true;
  }
  bool Number(double value) {
    if (at_strength) {
      strength = value;
      found = true;
    }
    return Default();
  }
  bool Int(int value) { return Number(value); }
  bool Uint(unsigned value) { return Number(value); }
  bool Int64(int64_t value) { return Number(static_cast<double>(value)); }
  bool Uint64(uint64_t value) { return Number(static_cast<double>(value)); }
  bool Double(double value) { return Number(value); }
  bool StartObject() {
    ++depth;
    return Default();
  }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool StartArray() {
    ++depth;
    return Default();
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
};

}  // namespace

void OrgCatalog::ForEachMappingEdge(const ReadTxn& txn, const std::function<void(const MappingEdge&)>& fn) {
  rapidjson::Reader reader;  // one for all rows: its string stack is reused
  txn.ForEach(Db::kMappings, "", [&](std::string_view key, std::string_view value) {
    auto parts = SplitKey(key);
    std::optional<model::MappingType> type;
    if (parts.size() == 4) type = model::ParseMappingType(parts[2]);
    if (!type || value.empty() || value.front() != '{') {
      // Not the key layout of key_codec.h (a NUL inside an id): the record says it all.
      model::Mapping m = Decode(model::MappingFromJson(value));
      fn(MappingEdge{m.control, m.technique, m.source, m.type, m.strength});
      return true;
    }
    StrengthReader strength;
    rapidjson::MemoryStream stream(value.data(), value.size());
    if (reader.Parse(stream, strength).IsError()) throw StoreFailure("corrupt mapping record in store");
    fn(MappingEdge{parts[0], parts[1], parts[3], *type, strength.strength});
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

namespace {

constexpr std::string_view kMappingSetsKey = "mapping_sets";

rapidjson::Document MappingSetsDoc(const ReadTxn& txn) {
  rapidjson::Document doc;
  doc.SetObject();
  if (auto value = txn.Get(Db::kMeta, kMappingSetsKey)) {
    doc.Parse(value->data(), value->size());
    if (doc.HasParseError() || !doc.IsObject()) doc.SetObject();
  }
  return doc;
}

MappingSetInfo SetFromJson(std::string name, const rapidjson::Value& value) {
  MappingSetInfo info;
  info.name = std::move(name);
  info.file = StringOr(value, "file");
  info.format = StringOr(value, "format");
  info.mitigation_links = static_cast<size_t>(NumberMember(value, "mitigation_links").value_or(0));
  return info;
}

}  // namespace

void OrgCatalog::PutMappingSet(WriteTxn& txn, const MappingSetInfo& info) {
  rapidjson::Document doc = MappingSetsDoc(txn);
  auto& alloc = doc.GetAllocator();
  rapidjson::Value entry(rapidjson::kObjectType);
  entry.AddMember("file", rapidjson::Value(info.file.c_str(), static_cast<rapidjson::SizeType>(info.file.size()), alloc), alloc);
  entry.AddMember("format", rapidjson::Value(info.format.c_str(), static_cast<rapidjson::SizeType>(info.format.size()), alloc), alloc);
  entry.AddMember("mitigation_links", rapidjson::Value(static_cast<uint64_t>(info.mitigation_links)), alloc);
  rapidjson::Value name(info.name.c_str(), static_cast<rapidjson::SizeType>(info.name.size()), alloc);
  doc.RemoveMember(name);
  doc.AddMember(name, entry, alloc);
  txn.Put(Db::kMeta, kMappingSetsKey, ToJsonString(doc));
}

std::optional<MappingSetInfo> OrgCatalog::FindMappingSet(const ReadTxn& txn, std::string_view name) {
  rapidjson::Document doc = MappingSetsDoc(txn);
  auto found = doc.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  if (found == doc.MemberEnd() || !found->value.IsObject()) return std::nullopt;
  return SetFromJson(std::string(name), found->value);
}

std::vector<MappingSetInfo> OrgCatalog::MappingSets(const ReadTxn& txn) {
  std::map<std::string, MappingSetInfo> sets;
  rapidjson::Document doc = MappingSetsDoc(txn);
  for (const auto& member : doc.GetObject()) {
    if (member.value.IsObject()) sets.emplace(member.name.GetString(), SetFromJson(member.name.GetString(), member.value));
  }
  std::map<std::string, std::set<std::string>> controls;
  ForEachMapping(txn, [&](const model::Mapping& mapping) {
    auto& info = sets[mapping.source];
    info.name = mapping.source;
    ++info.mappings;
    controls[mapping.source].insert(mapping.control);
  });
  std::vector<MappingSetInfo> out;
  for (auto& [name, info] : sets) {
    info.controls = controls[name].size();
    out.push_back(std::move(info));
  }
  return out;
}

// Posture values are binary (key_codec.h): 365 daily snapshots of 500 controls are 182,500
// records that `history` reads in one go, and parsing that many JSON documents cost more than
// the whole evaluation.
void OrgCatalog::PutPosture(WriteTxn& txn, const model::PostureRecord& record) {
  std::string value;
  value.push_back(kPostureVersion);
  value.push_back(static_cast<char>(record.status));
  value.push_back(record.implemented ? 1 : 0);
  double implemented = record.implemented.value_or(0.0);
  char bytes[sizeof(double)];
  std::memcpy(bytes, &implemented, sizeof bytes);
  value.append(bytes, sizeof bytes);
  value.append(record.source);
  txn.Put(Db::kPosture, KeyPrefix({record.control}) + EncodeInt64(record.as_of), value);
}

namespace {

model::PostureRecord DecodePosture(std::string_view key, std::string_view value) {
  if (key.size() < 10 || value.size() < 3 + sizeof(double) || value[0] != kPostureVersion ||
      static_cast<unsigned char>(value[1]) > static_cast<unsigned char>(model::ControlStatus::kCompleted)) {
    throw StoreFailure("corrupt posture record in store");
  }
  model::PostureRecord record;
  record.control = std::string(key.substr(0, key.size() - 9));
  record.as_of = DecodeInt64(key.substr(key.size() - 8));
  record.status = static_cast<model::ControlStatus>(value[1]);
  if (value[2]) {
    double implemented;
    std::memcpy(&implemented, value.data() + 3, sizeof implemented);
    record.implemented = implemented;
  }
  record.source = std::string(value.substr(3 + sizeof(double)));
  return record;
}

}  // namespace

void OrgCatalog::ForEachPosture(const ReadTxn& txn,
                                const std::function<void(const model::PostureRecord&)>& fn) {
  txn.ForEach(Db::kPosture, "", [&](std::string_view key, std::string_view value) {
    fn(DecodePosture(key, value));
    return true;
  });
}

void OrgCatalog::ForEachPostureOf(const ReadTxn& txn, std::string_view control,
                                  const std::function<void(const model::PostureRecord&)>& fn) {
  txn.ForEach(Db::kPosture, KeyPrefix({control}), [&](std::string_view key, std::string_view value) {
    fn(DecodePosture(key, value));
    return true;
  });
}

std::optional<model::PostureRecord> OrgCatalog::PostureAt(const ReadTxn& txn, std::string_view control, TimeMs tau) {
  std::string prefix = KeyPrefix({control});
  auto found = txn.Floor(Db::kPosture, prefix, prefix + EncodeInt64(tau));
  if (!found) return std::nullopt;
  return DecodePosture(found->first, found->second);
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
