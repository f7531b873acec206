#include "importers/attack/stix_bundle.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/core/page_buffer.h"
#include "engine/model/finding.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/key_codec.h"

namespace tidemark::importers {
namespace {

using model::AttackKind;
using model::AttackObject;
using rapidjson::Value;

std::string_view Str(const Value& obj, const char* name) {
  auto value = StringMember(obj, name);
  return value ? *value : std::string_view();
}

std::string_view Str(const Value* value) {
  return value && value->IsString() ? std::string_view(value->GetString(), value->GetStringLength())
                                    : std::string_view();
}

bool IsTrue(const Value* value) { return value && value->IsBool() && value->GetBool(); }

std::vector<std::string> Strings(const Value* array) {
  std::vector<std::string> out;
  if (!array || !array->IsArray()) return out;
  for (const auto& v : array->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// The members of a STIX object the importer reads, found in one scan of its members (a lookup
// per field by name compared every key each time: a fifth of the import, measured). As with
// Member(), the first of duplicate keys wins.
struct StixFields {
  const Value* type = nullptr;
  const Value* id = nullptr;
  const Value* name = nullptr;
  const Value* modified = nullptr;
  const Value* version = nullptr;  // x_mitre_version
  const Value* revoked = nullptr;
  const Value* deprecated = nullptr;  // x_mitre_deprecated
  const Value* domains = nullptr;     // x_mitre_domains
  const Value* external_references = nullptr;
  const Value* platforms = nullptr;  // x_mitre_platforms
  const Value* shortname = nullptr;  // x_mitre_shortname
  const Value* aliases = nullptr;
  const Value* software_aliases = nullptr;  // x_mitre_aliases
  const Value* kill_chain_phases = nullptr;
  const Value* is_subtechnique = nullptr;  // x_mitre_is_subtechnique
  const Value* relationship_type = nullptr;
  const Value* source_ref = nullptr;
  const Value* target_ref = nullptr;
  const Value* description = nullptr;
};

StixFields ScanFields(const Value& obj) {
  StixFields f;
  auto keep = [](const Value*& slot, const Value& value) {
    if (!slot) slot = &value;
  };
  for (const auto& member : obj.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    const Value& value = member.value;
    if (key == "type") keep(f.type, value);
    else if (key == "id") keep(f.id, value);
    else if (key == "name") keep(f.name, value);
    else if (key == "modified") keep(f.modified, value);
    else if (key == "x_mitre_version") keep(f.version, value);
    else if (key == "revoked") keep(f.revoked, value);
    else if (key == "x_mitre_deprecated") keep(f.deprecated, value);
    else if (key == "x_mitre_domains") keep(f.domains, value);
    else if (key == "external_references") keep(f.external_references, value);
    else if (key == "x_mitre_platforms") keep(f.platforms, value);
    else if (key == "x_mitre_shortname") keep(f.shortname, value);
    else if (key == "aliases") keep(f.aliases, value);
    else if (key == "x_mitre_aliases") keep(f.software_aliases, value);
    else if (key == "kill_chain_phases") keep(f.kill_chain_phases, value);
    else if (key == "x_mitre_is_subtechnique") keep(f.is_subtechnique, value);
    else if (key == "relationship_type") keep(f.relationship_type, value);
    else if (key == "source_ref") keep(f.source_ref, value);
    else if (key == "target_ref") keep(f.target_ref, value);
    else if (key == "description") keep(f.description, value);
  }
  return f;
}

std::optional<AttackKind> KindOfType(std::string_view type, std::string_view* software_type) {
  if (type == "attack-pattern") return AttackKind::kTechnique;
  if (type == "x-mitre-tactic") return AttackKind::kTactic;
  if (type == "course-of-action") return AttackKind::kMitigation;
  if (type == "intrusion-set") return AttackKind::kGroup;
  if (type == "campaign") return AttackKind::kCampaign;
  if (type == "malware" || type == "tool") {
    *software_type = type;
    return AttackKind::kSoftware;
  }
  if (type == "x-mitre-data-component") return AttackKind::kDataComponent;
  if (type == "x-mitre-detection-strategy") return AttackKind::kDetectionStrategy;
  return std::nullopt;
}

// The `mitre-attack` (or mitre-mobile-attack / mitre-ics-attack) external reference.
void ReadExternalId(const Value* refs, AttackObject& out) {
  if (!refs || !refs->IsArray()) return;
  for (const auto& ref : refs->GetArray()) {
    std::string_view source = Str(ref, "source_name");
    if (source == "mitre-attack" || source == "mitre-mobile-attack" || source == "mitre-ics-attack") {
      out.id = std::string(Str(ref, "external_id"));
      out.url = std::string(Str(ref, "url"));
      return;
    }
  }
}

std::string DomainOfCollection(std::string_view name) {
  std::string lower = ToLower(name);
  if (lower.find("mobile") != std::string::npos) return "mobile-attack";
  if (lower.find("ics") != std::string::npos) return "ics-attack";
  return "enterprise-attack";
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

Status Bad(const std::string& file, size_t index, std::string_view stix_id, const std::string& what) {
  std::string where = file + ": object " + std::to_string(index);
  if (!stix_id.empty()) where += " (" + std::string(stix_id) + ")";
  return Status::BadInput(where + ": " + what);
}

// Parses the NUL-terminated `text` of `size` bytes in situ.
Result<AttackRelease> ParseBundleText(char* text, size_t size, const std::string& file) {
  // The document's nodes go into one huge-page arena instead of 64 KiB malloc chunks: on the
  // enterprise bundle they take ~21 MB (0.41 bytes per input byte), whose 4 KiB page faults
  // cost ~60 ms here. Half the input size is reserved (untouched pages cost nothing); a
  // document that needs more continues in 1 MiB malloc chunks. Freeing the document is then
  // one munmap, not thousands of frees.
  PageBuffer arena(size / 2 + (size_t{1} << 20));
  rapidjson::MemoryPoolAllocator<> allocator(arena.data(), arena.capacity(), size_t{1} << 20);
  rapidjson::Document doc(&allocator);
  TM_RETURN_IF_ERROR(ParseJsonInsitu(text, size, doc, file));
  if (!doc.IsObject() || Str(doc, "type") != "bundle") {
    return Status::BadInput(file + ": not a STIX bundle (expected an object with \"type\": \"bundle\")");
  }
  const Value* objects = Member(doc, "objects");
  if (!objects || !objects->IsArray()) {
    return Status::BadInput(file + ": field \"objects\" must be an array of STIX objects");
  }

  AttackRelease release;
  release.file = file;
  release.version = "unknown";
  // First pass: every object id (so relationships can be checked), the kept objects.
  std::unordered_map<std::string_view, size_t> index_of_kept;  // stix id -> release.objects idx
  std::unordered_map<std::string_view, bool> all_ids;          // stix id -> live
  std::string domain_hint;
  // Relationships, read in the first pass and folded in after it.
  struct Relationship {
    size_t index;  // in the bundle's objects
    std::string_view stix_id, type, source, target, description;
    bool live;
  };
  std::vector<Relationship> relationships;
  size_t index = 0;
  for (const auto& obj : objects->GetArray()) {
    if (!obj.IsObject()) return Bad(file, index, "", "not a JSON object");
    StixFields f = ScanFields(obj);
    std::string_view type = Str(f.type);
    std::string_view stix_id = Str(f.id);
    if (type.empty()) return Bad(file, index, stix_id, "field \"type\" is missing");
    if (stix_id.empty()) return Bad(file, index, "", "field \"id\" is missing (type " + std::string(type) + ")");
    bool live = !IsTrue(f.revoked) && !IsTrue(f.deprecated);
    all_ids[stix_id] = live;
    if (type == "relationship") {
      ++release.relationships;
      relationships.push_back(
          {index, stix_id, Str(f.relationship_type), Str(f.source_ref), Str(f.target_ref), Str(f.description), live});
    } else if (type == "x-mitre-collection") {
      release.domain = DomainOfCollection(Str(f.name));
      if (f.version && f.version->IsString()) release.version = std::string(Str(f.version));
      release.modified = std::string(Str(f.modified));
    }
    if (domain_hint.empty()) {
      if (const Value* domains = f.domains; domains && domains->IsArray() &&
                                            !domains->Empty() && (*domains)[0].IsString()) {
        domain_hint = (*domains)[0].GetString();
      }
    }
    std::string_view software_type;
    auto kind = KindOfType(type, &software_type);
    if (!kind) {
      if (type != "relationship") ++release.skipped;
      ++index;
      continue;
    }
    AttackObject out;
    out.kind = *kind;
    out.stix_id = std::string(stix_id);
    out.name = std::string(Str(f.name));
    out.software_type = std::string(software_type);
    out.modified = std::string(Str(f.modified));
    out.version = std::string(Str(f.version));
    out.revoked = IsTrue(f.revoked);
    out.deprecated = IsTrue(f.deprecated);
    ReadExternalId(f.external_references, out);
    if (out.id.empty()) {
      if (*kind == AttackKind::kDataComponent || *kind == AttackKind::kDetectionStrategy || out.revoked) {
        out.id = out.stix_id;
      } else {
        return Bad(file, index, stix_id, "no ATT&CK ID (external_references with source_name \"mitre-attack\")");
      }
    }
    out.platforms = Strings(f.platforms);
    out.shortname = std::string(Str(f.shortname));
    out.aliases = Strings(*kind == AttackKind::kSoftware ? f.software_aliases : f.aliases);
    if (model::IsThreatKind(*kind)) out.cves = model::CveIdsIn(Str(f.description));
    if (const Value* phases = f.kill_chain_phases; phases && phases->IsArray()) {
      for (const auto& phase : phases->GetArray()) {
        std::string_view chain = Str(phase, "kill_chain_name");
        if (chain.substr(0, 5) == "mitre") AddUnique(out.tactics, std::string(Str(phase, "phase_name")));
      }
    }
    if (*kind == AttackKind::kTechnique && IsTrue(f.is_subtechnique)) {
      if (auto parent = ParentTechniqueId(out.id)) out.parent = *parent;
    }
    index_of_kept[stix_id] = release.objects.size();
    release.objects.push_back(std::move(out));
    ++release.counts[std::string(model::AttackKindName(*kind))];
    ++index;
  }
  if (release.domain.empty()) release.domain = domain_hint.empty() ? "enterprise-attack" : domain_hint;
  for (auto& object : release.objects) object.domain = release.domain;

  // Second pass: relationships, checked and folded into the records.
  for (const Relationship& rel : relationships) {
    index = rel.index;
    std::string_view stix_id = rel.stix_id, source = rel.source, target = rel.target, rel_type = rel.type;
    if (source.empty() || target.empty() || rel_type.empty()) {
      return Bad(file, index, stix_id, "relationship needs \"relationship_type\", \"source_ref\" and \"target_ref\"");
    }
    auto source_it = all_ids.find(source);
    auto target_it = all_ids.find(target);
    if (source_it == all_ids.end()) return Bad(file, index, stix_id, "source_ref " + std::string(source) + " is not in the bundle");
    if (target_it == all_ids.end()) return Bad(file, index, stix_id, "target_ref " + std::string(target) + " is not in the bundle");
    auto src = index_of_kept.find(source);
    auto dst = index_of_kept.find(target);
    if (src == index_of_kept.end() || dst == index_of_kept.end()) continue;
    AttackObject& from = release.objects[src->second];
    AttackObject& to = release.objects[dst->second];
    if (rel_type == "revoked-by") {
      from.revoked_by = to.id;
      continue;
    }
    // Only live relationships between live objects describe the current knowledge base.
    bool live = rel.live && source_it->second && target_it->second;
    if (!live) continue;
    if (rel_type == "mitigates" && from.kind == AttackKind::kMitigation && to.kind == AttackKind::kTechnique) {
      AddUnique(from.techniques, to.id);
      AddUnique(to.mitigations, from.id);
    } else if (rel_type == "uses" && model::IsThreatKind(from.kind) && to.kind == AttackKind::kTechnique) {
      AddUnique(from.techniques, to.id);
      AddUnique(to.used_by, from.id);
      for (auto& cve : model::CveIdsIn(rel.description)) AddUnique(from.cves, cve);
    } else if (rel_type == "subtechnique-of" && from.kind == AttackKind::kTechnique) {
      from.parent = to.id;
    }
  }
  // Parents list their live sub-techniques.
  std::unordered_map<std::string, size_t> technique_by_id;
  for (size_t idx = 0; idx < release.objects.size(); ++idx) {
    const auto& o = release.objects[idx];
    if (o.kind == AttackKind::kTechnique && !o.revoked) technique_by_id[o.id] = idx;
  }
  for (const auto& o : release.objects) {
    if (o.kind != AttackKind::kTechnique || o.parent.empty() || o.revoked || o.deprecated) continue;
    auto parent = technique_by_id.find(o.parent);
    if (parent != technique_by_id.end()) AddUnique(release.objects[parent->second].subtechniques, o.id);
  }
  for (auto& o : release.objects) {
    std::sort(o.subtechniques.begin(), o.subtechniques.end());
    std::sort(o.mitigations.begin(), o.mitigations.end());
    std::sort(o.used_by.begin(), o.used_by.end());
    std::sort(o.techniques.begin(), o.techniques.end());
    std::sort(o.cves.begin(), o.cves.end());
  }
  return release;
}

}  // namespace

Result<AttackRelease> ParseAttackBundle(std::string& text, const std::string& file) {
  return ParseBundleText(text.data(), text.size(), file);
}

Result<AttackRelease> ReadAttackBundle(const std::string& path) {
  auto text = ReadFileText(path);
  if (!text.ok()) return text.status();
  return ParseBundleText(text->data(), text->size, path);
}

Status StoreAttackRelease(store::WriteTxn& txn, const AttackRelease& release) {
  store::AttackCatalog::RemoveDomain(txn, release.domain);
  for (const auto& object : release.objects) store::AttackCatalog::Put(txn, object);
  store::AttackCatalog::SetRelease(txn, release.domain, release.version, release.modified);
  return Status::Ok();
}

}  // namespace tidemark::importers
