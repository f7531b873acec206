#include "importers/controls/mapping_set.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/org_catalog.h"
#include "importers/common/csv_table.h"
#include "importers/common/record_fields.h"

namespace tidemark::importers {
namespace {

using rapidjson::Value;

constexpr const char* kNotAMappingFile =
    "not a mapping file: expected JSON (native {\"mappings\": [...]} or a CTID Mappings Explorer set "
    "with \"mapping_objects\") or CSV with the columns control, technique, type, strength";

// Why a CTID mapping_type is not a control mapping, or nullopt when it is one.
std::optional<std::string> RefusedMappingType(std::string_view type) {
  if (type == "related_to") {
    return std::string("VERIS \"related_to\" rows relate incident-classification terms to techniques; they "
                       "say nothing about what a control blocks");
  }
  if (type == "exploitation_technique" || type == "primary_impact" || type == "secondary_impact" ||
      type == "uncategorized") {
    return "KEV \"" + std::string(type) +
           "\" rows say which techniques exploiting a vulnerability leads to; a CVE is not a control";
  }
  return std::nullopt;
}

// Adds a template for a control the file names (first mention wins).
void AddTemplate(MappingFile& out, std::map<std::string, size_t>& seen, model::Control control) {
  if (seen.count(control.id)) return;
  seen.emplace(control.id, out.control_templates.size());
  out.control_templates.push_back(std::move(control));
}

Status ParseCtid(const Value& doc, MappingFile& out) {
  out.format = "CTID Mappings Explorer";
  const Value* metadata = Member(doc, "metadata");
  const Value* rows = Member(doc, "mapping_objects");
  if (!rows->IsArray()) return Status::BadInput(out.file + ": field \"mapping_objects\" must be an array");
  std::map<std::string, std::string> group_names;
  if (metadata && metadata->IsObject()) {
    out.framework = StringOr(*metadata, "mapping_framework");
    out.attack_version = StringOr(*metadata, "attack_version");
    std::string domain = ToLower(StringOr(*metadata, "technology_domain"));
    if (!domain.empty()) out.attack_domain = domain + "-attack";
    if (const Value* groups = Member(*metadata, "capability_groups"); groups && groups->IsObject()) {
      for (const auto& group : groups->GetObject()) {
        if (group.value.IsString()) group_names[group.name.GetString()] = group.value.GetString();
      }
    }
  }
  std::map<std::string, size_t> refused;  // mapping_type -> rows
  std::optional<std::string> refused_reason;
  std::map<std::string, size_t> seen;
  for (rapidjson::SizeType row_idx = 0; row_idx < rows->Size(); ++row_idx) {
    const Value& row = (*rows)[row_idx];
    std::string where = IndexPath("mapping_objects", row_idx);
    if (!row.IsObject()) {
      out.rejects.Add(out.file, where, "record is not an object");
      continue;
    }
    std::string status = StringOr(row, "status");
    const Value* type_value = Member(row, "mapping_type");
    std::string mapping_type = type_value && type_value->IsString() ? type_value->GetString() : "";
    if (status == "non_mappable" || mapping_type == "non_mappable") {
      ++out.non_mappable;
      continue;
    }
    const Value* capability = Member(row, "capability_id");
    const Value* technique = Member(row, "attack_object_id");
    if (!capability || capability->IsNull() || !technique || technique->IsNull() || mapping_type.empty()) {
      ++out.null_rows;
      continue;
    }
    if (auto reason = RefusedMappingType(mapping_type)) {
      ++refused[mapping_type];
      refused_reason = reason;
      continue;
    }
    model::Mapping mapping;
    if (auto problem = RequiredId(row, "capability_id", mapping.control)) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    std::string technique_text;
    if (!technique->IsString()) {
      out.rejects.Add(out.file, where, "field \"attack_object_id\" must be a string");
      continue;
    }
    technique_text = technique->GetString();
    auto technique_id = TechniqueIdOf(technique_text);
    if (!technique_id) {
      out.rejects.Add(out.file, where, "field \"attack_object_id\": " + Quote(technique_text) + " is not a technique ID");
      continue;
    }
    mapping.technique = *technique_id;
    if (mapping_type == "mitigates" || mapping_type == "protects") {
      mapping.type = model::MappingType::kProtect;
      mapping.strength = 1.0;
    } else {
      // technique_score(s) and intel-vpro's per-product types: graded rows.
      std::string category = StringOr(row, "score_category");
      std::string value = StringOr(row, "score_value");
      if (category.empty() || value.empty()) {
        out.rejects.Add(out.file, where, "mapping_type " + Quote(mapping_type) +
                                             " needs \"score_category\" and \"score_value\"");
        continue;
      }
      if (auto problem = TypeAndStrengthFromText(category, value, mapping)) {
        out.rejects.Add(out.file, where, "score_category/score_value: " + *problem);
        continue;
      }
    }
    mapping.source = out.source;
    model::Control control;
    control.id = mapping.control;
    control.title = StringOr(row, "capability_description");
    std::string group = StringOr(row, "capability_group");
    auto group_name = group_names.find(group);
    control.product = group_name != group_names.end() ? group_name->second : out.framework;
    control.category = group;
    control.source = out.source;
    AddTemplate(out, seen, std::move(control));
    out.mappings.push_back(std::move(mapping));
  }
  if (!refused.empty()) {
    std::string types;
    for (const auto& [type, n] : refused) types += (types.empty() ? "" : ", ") + type + " (" + std::to_string(n) + " rows)";
    return Status::BadInput(out.file + ": refused: mapping types " + types + ": " + *refused_reason +
                            ". This set is not a control mapping; nothing imported");
  }
  return Status::Ok();
}

void AddNativeRow(MappingFile& out, std::map<std::string, size_t>& seen, const std::string& where,
                  const std::string& control, const std::string& technique, const std::string& mitigation,
                  const std::string& title, model::Mapping mapping) {
  if (technique.empty() == mitigation.empty()) {
    out.rejects.Add(out.file, where, "give exactly one of fields \"technique\" and \"mitigation\"");
    return;
  }
  if (!mitigation.empty()) {
    auto id = MitigationIdOf(mitigation);
    if (!id) {
      out.rejects.Add(out.file, where, "field \"mitigation\": " + Quote(mitigation) + " is not a mitigation ID (M1032)");
      return;
    }
    out.implements.push_back({control, *id});
  } else {
    auto id = TechniqueIdOf(technique);
    if (!id) {
      out.rejects.Add(out.file, where, "field \"technique\": " + Quote(technique) + " is not a technique ID (T1059.001)");
      return;
    }
    mapping.control = control;
    mapping.technique = *id;
    mapping.source = out.source;
    out.mappings.push_back(std::move(mapping));
  }
  model::Control templ;
  templ.id = control;
  templ.title = title;
  templ.source = out.source;
  AddTemplate(out, seen, std::move(templ));
}

Status ParseNativeJson(const Value& doc, MappingFile& out) {
  out.format = "native JSON";
  const Value* rows = doc.IsArray() ? &doc : Member(doc, "mappings");
  if (!rows || !rows->IsArray()) return Status::BadInput(out.file + ": " + kNotAMappingFile);
  if (doc.IsObject()) {
    if (auto source = StringMember(doc, "source"); source && !source->empty() && !IdProblem(*source)) {
      out.source = std::string(*source);
      out.name_declared = true;
    }
    out.attack_version = StringOr(doc, "attack_version");
    if (!out.attack_version.empty()) out.attack_domain = "enterprise-attack";
  }
  std::map<std::string, size_t> seen;
  for (rapidjson::SizeType row_idx = 0; row_idx < rows->Size(); ++row_idx) {
    const Value& row = (*rows)[row_idx];
    std::string where = IndexPath("mappings", row_idx);
    if (!row.IsObject()) {
      out.rejects.Add(out.file, where, "record is not an object");
      continue;
    }
    std::string control, technique, mitigation, title;
    model::Mapping mapping;
    Problem problem = RequiredId(row, "control", control);
    if (!problem) problem = OptionalString(row, "technique", technique);
    if (!problem) problem = OptionalString(row, "mitigation", mitigation);
    if (!problem) problem = OptionalString(row, "title", title);
    if (!problem) problem = ReadTypeAndStrength(row, mapping);
    if (problem) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    AddNativeRow(out, seen, where, control, technique, mitigation, title, std::move(mapping));
  }
  return Status::Ok();
}

Status ParseNativeCsv(std::string_view text, MappingFile& out) {
  out.format = "CSV";
  auto table = ParseCsv(text, out.file);
  if (!table.ok()) return table.status();
  if (table->Column({"cve id"})) {
    return Status::BadInput(out.file +
                            ": refused: this is the CTID ATT&CK-to-CVE table (columns CVE ID, Primary Impact, "
                            "Exploitation Technique, ...): it says which techniques exploiting a vulnerability leads "
                            "to; a CVE is not a control. Nothing imported");
  }
  auto control_col = table->Column({"control", "control_id", "capability_id"});
  auto technique_col = table->Column({"technique", "technique_id", "attack_object_id"});
  auto mitigation_col = table->Column({"mitigation", "mitigation_id"});
  if (!control_col || (!technique_col && !mitigation_col)) {
    return Status::BadInput(out.file + ": " + kNotAMappingFile);
  }
  auto type_col = table->Column({"type"});
  auto strength_col = table->Column({"strength"});
  auto title_col = table->Column({"title"});
  std::map<std::string, size_t> seen;
  for (const auto& row : table->rows) {
    std::string where = std::to_string(row.line);
    if (auto problem = table->WidthProblem(row)) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    std::string control = CsvTable::Cell(row, control_col);
    if (auto problem = IdProblem(control)) {
      out.rejects.Add(out.file, where, "field \"control\" " + *problem);
      continue;
    }
    model::Mapping mapping;
    if (auto problem = TypeAndStrengthFromText(CsvTable::Cell(row, type_col), CsvTable::Cell(row, strength_col), mapping)) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    AddNativeRow(out, seen, where, control, CsvTable::Cell(row, technique_col), CsvTable::Cell(row, mitigation_col),
                 CsvTable::Cell(row, title_col), std::move(mapping));
  }
  return Status::Ok();
}

}  // namespace

Result<MappingFile> ParseMappingFile(std::string& text, const std::string& file) {
  MappingFile out;
  out.file = file;
  out.source = FileStem(file).substr(0, 120);
  if (!LooksLikeJson(text)) {
    TM_RETURN_IF_ERROR(ParseNativeCsv(text, out));
    return out;
  }
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, file));
  if (doc.IsObject() && doc.HasMember("$schema")) {
    return Status::BadInput(file + ": refused: a JSON Schema (it describes the Mappings Explorer format), "
                                   "not a mapping set; nothing imported");
  }
  if (doc.IsObject() && doc.HasMember("mapping_objects")) {
    TM_RETURN_IF_ERROR(ParseCtid(doc, out));
  } else {
    TM_RETURN_IF_ERROR(ParseNativeJson(doc, out));
  }
  return out;
}

MappingResolution ResolveMappings(const store::ReadTxn& txn, const std::vector<model::Mapping>& drafts,
                                  const std::vector<MitigationLink>& links, std::string_view attack_domain) {
  MappingResolution out;
  auto releases = store::AttackCatalog::Releases(txn);
  out.kept_unknown = releases.empty() || (!attack_domain.empty() && !releases.count(std::string(attack_domain)));
  std::map<std::tuple<std::string, std::string, model::MappingType, std::string>, size_t> index;
  std::map<std::string, store::TechniqueResolution> cache;
  for (const auto& draft : drafts) {
    auto cached = cache.find(draft.technique);
    if (cached == cache.end()) {
      cached = cache.emplace(draft.technique, store::AttackCatalog::ResolveTechnique(txn, draft.technique)).first;
    }
    const auto& resolution = cached->second;
    if (resolution.kind == store::TechniqueResolution::Kind::kUnknown) {
      out.unknown_techniques.insert(draft.technique);
      ++out.unknown_rows;
      if (out.kept_unknown) out.rows.push_back(draft);
      continue;
    }
    model::Mapping mapping = draft;
    mapping.technique = resolution.id;
    mapping.revoked_from = resolution.revoked_from;
    if (!mapping.revoked_from.empty()) ++out.revoked;
    auto key = std::make_tuple(mapping.control, mapping.technique, mapping.type, mapping.source);
    auto found = index.find(key);
    if (found == index.end()) {
      index.emplace(key, out.rows.size());
      out.rows.push_back(std::move(mapping));
      continue;
    }
    // SPEC §3: where several rows join c and t, the largest strength holds.
    ++out.merged;
    model::Mapping& kept = out.rows[found->second];
    if (mapping.strength > kept.strength) kept = std::move(mapping);
  }
  std::set<std::pair<std::string, std::string>> seen_links;
  for (const auto& link : links) {
    auto mitigation = store::AttackCatalog::Find(txn, model::AttackKind::kMitigation, link.mitigation);
    if (!mitigation || mitigation->revoked) {
      out.unknown_mitigations.insert(link.mitigation);
      if (!out.kept_unknown || mitigation) continue;
    }
    if (seen_links.insert({link.control, link.mitigation}).second) out.implements.push_back(link);
  }
  return out;
}

MappingWriteStats StoreMappings(store::WriteTxn& txn, const MappingFile& file, const MappingResolution& resolved,
                     bool only_existing_controls) {
  using store::OrgCatalog;
  std::map<std::string, const model::Control*> templates;
  for (const auto& control : file.control_templates) templates.emplace(control.id, &control);
  MappingWriteStats stats;
  // Present after this call: the control exists, or was created from its template.
  std::map<std::string, bool> present;
  auto ensure = [&](const std::string& id) {
    auto known = present.find(id);
    if (known != present.end()) return known->second;
    bool exists = OrgCatalog::FindControl(txn, id).has_value();
    if (!exists && !only_existing_controls) {
      auto templ = templates.find(id);
      model::Control control;
      if (templ != templates.end()) control = *templ->second;
      control.id = id;
      if (control.source.empty()) control.source = file.source;
      OrgCatalog::PutControl(txn, control);
      ++stats.controls_created;
      exists = true;
    }
    present.emplace(id, exists);
    return exists;
  };
  size_t removed = OrgCatalog::RemoveMappingsFromSource(txn, file.source);
  auto previous = OrgCatalog::FindMappingSet(txn, file.source);
  if (previous || removed > 0) {
    stats.replaced = previous.value_or(store::MappingSetInfo{});
    stats.replaced->name = file.source;
    stats.replaced->mappings = removed;
  }
  for (const auto& mapping : resolved.rows) {
    if (!ensure(mapping.control)) {
      ++stats.rows_skipped;
      continue;
    }
    OrgCatalog::PutMapping(txn, mapping);
    ++stats.rows_written;
  }
  for (const auto& link : resolved.implements) {
    if (!ensure(link.control)) {
      ++stats.rows_skipped;
      continue;
    }
    ++stats.rows_written;
    model::Control control = *OrgCatalog::FindControl(txn, link.control);
    if (std::find(control.mitigations.begin(), control.mitigations.end(), link.mitigation) == control.mitigations.end()) {
      control.mitigations.push_back(link.mitigation);
      OrgCatalog::PutControl(txn, control);
    }
  }
  OrgCatalog::PutMappingSet(txn, {file.source, AbsolutePath(file.file), file.format, 0, 0, resolved.implements.size()});
  return stats;
}

size_t ReresolveStoredMappings(store::WriteTxn& txn) {
  std::vector<std::pair<model::Mapping, model::Mapping>> moves;  // (stored, resolved)
  std::map<std::string, store::TechniqueResolution> cache;
  store::OrgCatalog::ForEachMapping(txn, [&](const model::Mapping& mapping) {
    auto cached = cache.find(mapping.technique);
    if (cached == cache.end()) {
      cached = cache.emplace(mapping.technique, store::AttackCatalog::ResolveTechnique(txn, mapping.technique)).first;
    }
    const auto& resolution = cached->second;
    if (resolution.kind == store::TechniqueResolution::Kind::kUnknown || resolution.id == mapping.technique) return;
    model::Mapping resolved = mapping;
    resolved.technique = resolution.id;
    if (resolved.revoked_from.empty()) resolved.revoked_from = resolution.revoked_from;
    moves.emplace_back(mapping, std::move(resolved));
  });
  // Written after the scan: the cursor walks the database these writes change.
  for (const auto& move : moves) {
    const model::Mapping& stored = move.first;
    const model::Mapping& resolved = move.second;
    store::OrgCatalog::RemoveMapping(txn, stored);
    // SPEC §3: where several rows join c and t, the largest strength holds.
    std::optional<model::Mapping> kept;
    store::OrgCatalog::ForEachMappingOf(txn, resolved.control, [&](const model::Mapping& other) {
      if (other.technique == resolved.technique && other.type == resolved.type && other.source == resolved.source) kept = other;
    });
    if (!kept || kept->strength < resolved.strength) store::OrgCatalog::PutMapping(txn, resolved);
  }
  return moves.size();
}

std::optional<std::string> SetCollision(const store::ReadTxn& txn, const MappingFile& file, bool replace) {
  if (file.name_declared || replace) return std::nullopt;
  auto previous = store::OrgCatalog::FindMappingSet(txn, file.source);
  if (!previous || previous->file.empty() || previous->file == AbsolutePath(file.file)) return std::nullopt;
  size_t rows = 0;
  store::OrgCatalog::ForEachMapping(txn, [&](const model::Mapping& mapping) { rows += mapping.source == file.source; });
  return file.file + ": set \"" + file.source + "\" (named after the file) was imported from " + previous->file + " (" +
         std::to_string(rows) + " mappings); importing this file would replace it. Give --set NAME to import it as " +
         "another set, or --replace to replace that set. Nothing imported";
}

std::string AttackVersionNote(const store::ReadTxn& txn, const MappingFile& file) {
  if (file.attack_version.empty() || file.attack_domain.empty()) return "";
  auto releases = store::AttackCatalog::Releases(txn);
  auto loaded = releases.find(file.attack_domain);
  if (loaded == releases.end()) {
    return "the set was made for " + file.attack_domain + " " + file.attack_version +
           ", which is not loaded: its techniques cannot be resolved (import that ATT&CK domain first)";
  }
  if (loaded->second.version == file.attack_version) return "";
  return "the set was made for ATT&CK " + file.attack_version + "; the loaded " + file.attack_domain +
         " release is " + loaded->second.version + ": IDs were resolved against " + loaded->second.version;
}

}  // namespace tidemark::importers
