#include "engine/store/attack_catalog.h"

#include <algorithm>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

using model::AttackKind;
using model::AttackObject;

void Unite(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const auto& value : from) {
    if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
  }
}

void Merge(AttackObject& into, const AttackObject& from) {
  Unite(into.aliases, from.aliases);
  Unite(into.platforms, from.platforms);
  Unite(into.tactics, from.tactics);
  Unite(into.subtechniques, from.subtechniques);
  Unite(into.mitigations, from.mitigations);
  Unite(into.used_by, from.used_by);
  Unite(into.techniques, from.techniques);
  Unite(into.cves, from.cves);
  // Live in any domain means live.
  into.revoked = into.revoked && from.revoked;
  into.deprecated = into.deprecated && from.deprecated;
  if (into.revoked_by.empty()) into.revoked_by = from.revoked_by;
  for (auto* list : {&into.subtechniques, &into.mitigations, &into.used_by, &into.techniques, &into.cves}) {
    std::sort(list->begin(), list->end());
  }
}

AttackObject DecodeAttackRecord(std::string_view value) {
  auto object = model::AttackObjectFromJson(value);
  if (!object.ok()) throw StoreFailure(object.status().message());
  return std::move(object).value();
}

}  // namespace

constexpr std::string_view kUsersKind = "technique-users";

void AttackCatalog::Put(WriteTxn& txn, const AttackObject& object) {
  std::string key = JoinKey({model::AttackKindName(object.kind), object.id, object.domain});
  // A live object wins over a revoked one that carries the same ATT&CK ID.
  if (object.revoked) {
    if (auto existing = txn.Get(Db::kAttack, key); existing && !DecodeAttackRecord(*existing).revoked) return;
  }
  if (object.kind == AttackKind::kTechnique && !object.used_by.empty()) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartArray();
    for (const auto& user : object.used_by) WriteString(w, user);
    w.EndArray();
    txn.Put(Db::kAttack, JoinKey({kUsersKind, object.id, object.domain}), std::string_view(buf.GetString(), buf.GetSize()));
    AttackObject slim = object;
    slim.used_by.clear();
    txn.Put(Db::kAttack, key, model::ToJson(slim));
    return;
  }
  txn.Put(Db::kAttack, key, model::ToJson(object));
}

std::vector<std::string> AttackCatalog::UsersOf(const ReadTxn& txn, std::string_view technique_id) {
  std::vector<std::string> users;
  txn.ForEach(Db::kAttack, KeyPrefix({kUsersKind, technique_id}), [&](std::string_view, std::string_view value) {
    rapidjson::Document doc;
    doc.Parse(value.data(), value.size());
    if (doc.HasParseError() || !doc.IsArray()) throw StoreFailure("corrupt technique users record in store");
    for (const auto& user : doc.GetArray()) {
      if (user.IsString()) users.emplace_back(user.GetString(), user.GetStringLength());
    }
    return true;
  });
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

void AttackCatalog::RemoveDomain(WriteTxn& txn, std::string_view domain) {
  std::vector<std::string> doomed;
  txn.ForEach(Db::kAttack, "", [&](std::string_view key, std::string_view) {
    auto parts = SplitKey(key);
    if (parts.size() == 3 && parts[2] == domain) doomed.emplace_back(key);
    return true;
  });
  for (const auto& key : doomed) txn.Del(Db::kAttack, key);
}

void AttackCatalog::SetRelease(WriteTxn& txn, std::string_view domain, std::string_view version,
                               std::string_view modified) {
  rapidjson::Document releases;
  releases.SetObject();
  if (auto existing = txn.Get(Db::kMeta, "attack_releases")) {
    releases.Parse(existing->data(), existing->size());
    if (releases.HasParseError() || !releases.IsObject()) releases.SetObject();
  }
  auto& alloc = releases.GetAllocator();
  rapidjson::Value entry(rapidjson::kObjectType);
  entry.AddMember("version", rapidjson::Value(version.data(), static_cast<rapidjson::SizeType>(version.size()), alloc), alloc);
  entry.AddMember("modified", rapidjson::Value(modified.data(), static_cast<rapidjson::SizeType>(modified.size()), alloc), alloc);
  rapidjson::Value name(domain.data(), static_cast<rapidjson::SizeType>(domain.size()), alloc);
  releases.RemoveMember(name);
  releases.AddMember(name, entry, alloc);
  txn.Put(Db::kMeta, "attack_releases", ToJsonString(releases));
}

std::map<std::string, AttackReleaseInfo> AttackCatalog::Releases(const ReadTxn& txn) {
  std::map<std::string, AttackReleaseInfo> out;
  auto value = txn.Get(Db::kMeta, "attack_releases");
  if (!value) return out;
  rapidjson::Document doc;
  doc.Parse(value->data(), value->size());
  if (doc.HasParseError() || !doc.IsObject()) return out;
  for (const auto& member : doc.GetObject()) {
    out[member.name.GetString()] = {StringOr(member.value, "version"), StringOr(member.value, "modified")};
  }
  return out;
}

std::optional<AttackObject> AttackCatalog::Find(const ReadTxn& txn, AttackKind kind, std::string_view id) {
  std::optional<AttackObject> found;
  txn.ForEach(Db::kAttack, KeyPrefix({model::AttackKindName(kind), id}),
              [&](std::string_view, std::string_view value) {
                if (!found) found = DecodeAttackRecord(value);
                else Merge(*found, DecodeAttackRecord(value));
                return true;
              });
  return found;
}

void AttackCatalog::ForEach(const ReadTxn& txn, AttackKind kind,
                            const std::function<void(const AttackObject&)>& fn) {
  std::optional<AttackObject> current;
  txn.ForEach(Db::kAttack, KeyPrefix({model::AttackKindName(kind)}),
              [&](std::string_view, std::string_view value) {
                AttackObject object = DecodeAttackRecord(value);
                if (current && current->id == object.id) {
                  Merge(*current, object);
                } else {
                  if (current) fn(*current);
                  current = std::move(object);
                }
                return true;
              });
  if (current) fn(*current);
}

namespace {

// Looks an ATT&CK ID up among `kinds`; the first kind holding it wins.
std::optional<AttackObject> FindAmong(const ReadTxn& txn, std::initializer_list<AttackKind> kinds, std::string_view id) {
  for (AttackKind kind : kinds) {
    if (auto found = AttackCatalog::Find(txn, kind, id)) return found;
  }
  return std::nullopt;
}

AttackResolution Resolve(const ReadTxn& txn, std::initializer_list<AttackKind> kinds, std::string_view id) {
  AttackResolution out;
  out.id = std::string(id);
  std::string current(id);
  for (int hop = 0; hop < 16; ++hop) {
    auto object = FindAmong(txn, kinds, current);
    if (!object) {
      // The first ID is simply absent; a successor missing from the loaded data leaves the
      // asked ID revoked without a usable successor.
      out.kind = hop == 0 ? AttackResolution::Kind::kUnknown : AttackResolution::Kind::kRevoked;
      return out;
    }
    if (object->revoked) {
      out.revoked_from = std::string(id);
      if (object->revoked_by.empty()) break;
      current = object->revoked_by;
      continue;
    }
    out.id = current;
    out.kind = object->deprecated ? AttackResolution::Kind::kDeprecated : AttackResolution::Kind::kLive;
    return out;
  }
  // Revoked without successor, or a chain that loops.
  out.id = std::string(id);
  out.kind = AttackResolution::Kind::kRevoked;
  return out;
}

}  // namespace

TechniqueResolution AttackCatalog::ResolveTechnique(const ReadTxn& txn, std::string_view id) {
  return Resolve(txn, {AttackKind::kTechnique}, id);
}

AttackResolution AttackCatalog::ResolveThreatId(const ReadTxn& txn, std::string_view id) {
  std::string upper(id);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Resolve(txn, {AttackKind::kGroup, AttackKind::kCampaign, AttackKind::kSoftware}, upper);
}

std::optional<AttackObject> AttackCatalog::FindThreat(const ReadTxn& txn, std::string_view text) {
  AttackResolution by_id = ResolveThreatId(txn, text);
  if (by_id.usable()) return FindAmong(txn, {AttackKind::kGroup, AttackKind::kCampaign, AttackKind::kSoftware}, by_id.id);
  if (by_id.kind == AttackResolution::Kind::kRevoked) return std::nullopt;
  // Names and aliases: a scan of ~1,000 threat records, fast enough for one lookup; bulk
  // resolution (incident import) should build its own name index instead.
  std::optional<AttackObject> match;
  for (AttackKind kind : {AttackKind::kGroup, AttackKind::kCampaign, AttackKind::kSoftware}) {
    ForEach(txn, kind, [&](const AttackObject& object) {
      if (match || object.revoked) return;
      if (EqualsIgnoreCase(object.name, text)) { match = object; return; }
      for (const auto& alias : object.aliases) {
        if (EqualsIgnoreCase(alias, text)) { match = object; return; }
      }
    });
    if (match) return match;
  }
  return std::nullopt;
}

}  // namespace tidemark::store
