#include "engine/model/attack.h"

#include <array>
#include <utility>

#include "engine/core/json.h"

namespace tidemark::model {
namespace {

constexpr std::array<std::pair<AttackKind, std::string_view>, 8> kKindNames = {{
    {AttackKind::kTechnique, "technique"},
    {AttackKind::kTactic, "tactic"},
    {AttackKind::kMitigation, "mitigation"},
    {AttackKind::kGroup, "group"},
    {AttackKind::kCampaign, "campaign"},
    {AttackKind::kSoftware, "software"},
    {AttackKind::kDataComponent, "data-component"},
    {AttackKind::kDetectionStrategy, "detection-strategy"},
}};

}  // namespace

std::string_view AttackKindName(AttackKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "technique";
}

std::optional<AttackKind> ParseAttackKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string ToJson(const AttackObject& o) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("kind");
  WriteString(w, AttackKindName(o.kind));
  WriteFieldIfSet(w, "id", o.id);
  WriteFieldIfSet(w, "stix_id", o.stix_id);
  WriteFieldIfSet(w, "domain", o.domain);
  WriteFieldIfSet(w, "name", o.name);
  WriteFieldIfSet(w, "shortname", o.shortname);
  WriteStringsIfSet(w, "aliases", o.aliases);
  WriteStringsIfSet(w, "platforms", o.platforms);
  WriteStringsIfSet(w, "tactics", o.tactics);
  WriteFieldIfSet(w, "parent", o.parent);
  WriteStringsIfSet(w, "subtechniques", o.subtechniques);
  if (o.deprecated) {
    w.Key("deprecated");
    w.Bool(true);
  }
  if (o.revoked) {
    w.Key("revoked");
    w.Bool(true);
  }
  WriteFieldIfSet(w, "revoked_by", o.revoked_by);
  WriteStringsIfSet(w, "mitigations", o.mitigations);
  WriteStringsIfSet(w, "used_by", o.used_by);
  WriteStringsIfSet(w, "techniques", o.techniques);
  WriteStringsIfSet(w, "cves", o.cves);
  WriteFieldIfSet(w, "software_type", o.software_type);
  WriteFieldIfSet(w, "modified", o.modified);
  WriteFieldIfSet(w, "version", o.version);
  WriteFieldIfSet(w, "url", o.url);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<AttackObject> AttackObjectFromJson(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Status::StoreError("corrupt ATT&CK record in store");
  }
  AttackObject o;
  auto kind = ParseAttackKind(StringOr(doc, "kind"));
  if (!kind) return Status::StoreError("ATT&CK record of unknown kind in store");
  o.kind = *kind;
  o.id = StringOr(doc, "id");
  o.stix_id = StringOr(doc, "stix_id");
  o.domain = StringOr(doc, "domain");
  o.name = StringOr(doc, "name");
  o.shortname = StringOr(doc, "shortname");
  o.aliases = StringArray(doc, "aliases");
  o.platforms = StringArray(doc, "platforms");
  o.tactics = StringArray(doc, "tactics");
  o.parent = StringOr(doc, "parent");
  o.subtechniques = StringArray(doc, "subtechniques");
  o.deprecated = Member(doc, "deprecated") != nullptr;
  o.revoked = Member(doc, "revoked") != nullptr;
  o.revoked_by = StringOr(doc, "revoked_by");
  o.mitigations = StringArray(doc, "mitigations");
  o.used_by = StringArray(doc, "used_by");
  o.techniques = StringArray(doc, "techniques");
  o.cves = StringArray(doc, "cves");
  o.software_type = StringOr(doc, "software_type");
  o.modified = StringOr(doc, "modified");
  o.version = StringOr(doc, "version");
  o.url = StringOr(doc, "url");
  return o;
}

}  // namespace tidemark::model
