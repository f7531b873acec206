#include "importers/controls/control_catalog.h"

#include <cmath>
#include <map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/org_catalog.h"
#include "importers/common/csv_table.h"
#include "importers/common/record_fields.h"

namespace tidemark::importers {
namespace {

using rapidjson::Value;

constexpr double kMaxPoints = 1e9;

// The model fields a native record can give, by their JSON member names.
constexpr std::string_view kNativeFields[] = {"title",       "product", "category", "license", "remediation_type",
                                              "max_points",  "mitigations", "techniques", "owner", "due",
                                              "deprecated"};

void NoteGiven(const Value& record, std::string_view member, std::string_view field, std::set<std::string>& given) {
  const Value* value = Member(record, std::string(member).c_str());
  if (value && !value->IsNull()) given.emplace(field);
}

// A `techniques` entry of a native record: "T1078.004" or {"id", "type", "strength"}.
Problem ReadTechniqueEntry(const Value& entry, const std::string& control, size_t entry_idx,
                           const std::string& source, model::Mapping& out) {
  std::string field = "field \"techniques\"[" + std::to_string(entry_idx) + "]";
  std::string id;
  if (entry.IsString()) {
    id = entry.GetString();
  } else if (entry.IsObject()) {
    if (auto problem = OptionalString(entry, "id", id)) return field + ": " + *problem;
    if (auto problem = ReadTypeAndStrength(entry, out)) return field + ": " + *problem;
  } else {
    return field + " must be a technique ID or an object {\"id\", \"type\", \"strength\"}";
  }
  auto technique = TechniqueIdOf(id);
  if (!technique) return field + ": " + Quote(id) + " is not a technique ID (T1059.001)";
  out.control = control;
  out.technique = *technique;
  out.source = source;
  return std::nullopt;
}

// Fills `control` from a native JSON record; the first problem found is returned.
Problem ReadNativeControl(const Value& record, const std::string& source, model::Control& control,
                          std::set<std::string>& given, std::vector<model::Mapping>& mappings) {
  if (!record.IsObject()) return std::string("record is not an object");
  for (auto field : kNativeFields) NoteGiven(record, field, field, given);
  if (auto problem = RequiredId(record, "id", control.id)) return problem;
  for (auto [name, slot] : {std::pair<const char*, std::string*>{"title", &control.title},
                            {"product", &control.product},
                            {"category", &control.category},
                            {"license", &control.license},
                            {"remediation_type", &control.remediation_type}}) {
    if (auto problem = OptionalString(record, name, *slot)) return problem;
  }
  auto remediation = RemediationTypeOf(control.remediation_type);
  if (!remediation) {
    return "field \"remediation_type\": " + Quote(control.remediation_type) +
           " is not one of configuration, software, firmware, process";
  }
  control.remediation_type = *remediation;
  if (auto problem = OptionalNumber(record, "max_points", 0, kMaxPoints, control.max_points)) return problem;
  if (const Value* mitigations = Member(record, "mitigations"); mitigations && !mitigations->IsNull()) {
    if (!mitigations->IsArray()) return std::string("field \"mitigations\" must be an array of mitigation IDs");
    for (const auto& item : mitigations->GetArray()) {
      auto id = item.IsString() ? MitigationIdOf(item.GetString()) : std::nullopt;
      if (!id) return "field \"mitigations\": " + (item.IsString() ? Quote(item.GetString()) : ToJsonString(item)) + " is not a mitigation ID (M1032)";
      if (std::find(control.mitigations.begin(), control.mitigations.end(), *id) == control.mitigations.end()) {
        control.mitigations.push_back(*id);
      }
    }
  }
  if (const Value* techniques = Member(record, "techniques"); techniques && !techniques->IsNull()) {
    if (!techniques->IsArray()) return std::string("field \"techniques\" must be an array");
    for (rapidjson::SizeType entry_idx = 0; entry_idx < techniques->Size(); ++entry_idx) {
      model::Mapping mapping;
      if (auto problem = ReadTechniqueEntry((*techniques)[entry_idx], control.id, entry_idx, source, mapping)) return problem;
      mappings.push_back(std::move(mapping));
    }
  }
  control.extra_json = UnknownMembersJson(record, {"id", "title", "product", "category", "license", "remediation_type",
                                                   "max_points", "mitigations", "techniques", "source", "extra"});
  if (!control.extra_json.empty()) given.insert("extra");
  return std::nullopt;
}

// Fills `control` from a Graph secureScoreControlProfile.
Problem ReadGraphProfile(const Value& record, model::Control& control, std::set<std::string>& given) {
  if (!record.IsObject()) return std::string("record is not an object");
  for (auto [member, field] : {std::pair<const char*, const char*>{"title", "title"},
                               {"service", "product"},
                               {"controlCategory", "category"},
                               {"maxScore", "max_points"},
                               {"actionType", "remediation_type"},
                               {"deprecated", "deprecated"}}) {
    NoteGiven(record, member, field, given);
  }
  const char* id_field = Member(record, "controlName") ? "controlName" : "id";
  if (auto problem = RequiredId(record, id_field, control.id)) return problem;
  for (auto [name, slot] : {std::pair<const char*, std::string*>{"title", &control.title},
                            {"service", &control.product},
                            {"controlCategory", &control.category}}) {
    if (auto problem = OptionalString(record, name, *slot)) return problem;
  }
  if (auto problem = OptionalNumber(record, "maxScore", 0, kMaxPoints, control.max_points)) return problem;
  // A deprecated profile stays in the catalog (shown, mapped) but leaves the posture score.
  if (const Value* deprecated = Member(record, "deprecated"); deprecated && !deprecated->IsNull()) {
    if (!deprecated->IsBool()) return std::string("field \"deprecated\" must be true or false");
    control.deprecated = deprecated->GetBool();
  }
  std::string action;
  if (auto problem = OptionalString(record, "actionType", action)) return problem;
  std::string folded = FoldEnum(action);
  if (folded == "config") control.remediation_type = "configuration";
  if (folded == "review" || folded == "behavior") control.remediation_type = "process";
  control.extra_json = UnknownMembersJson(record, {"id", "controlName", "title", "service", "controlCategory", "maxScore", "deprecated"});
  if (!control.extra_json.empty()) given.insert("extra");
  return std::nullopt;
}

Problem ReadCsvControl(const CsvTable& table, const CsvRow& row, const std::string& source, model::Control& control,
                       std::set<std::string>& given, std::vector<model::Mapping>& mappings) {
  if (auto problem = table.WidthProblem(row)) return problem;
  for (const char* field : {"title", "product", "category", "license", "remediation_type", "max_points", "mitigations",
                            "techniques"}) {
    auto column = table.Column({field});
    if (std::string_view(field) == "remediation_type" && !column) column = table.Column({"remediation-type"});
    if (!CsvTable::Cell(row, column).empty()) given.insert(field);
  }
  control.id = CsvTable::Cell(row, table.Column({"id", "control", "controlname", "control_id"}));
  if (auto problem = IdProblem(control.id)) return "field \"id\" " + *problem;
  control.title = CsvTable::Cell(row, table.Column({"title"}));
  control.product = CsvTable::Cell(row, table.Column({"product"}));
  control.category = CsvTable::Cell(row, table.Column({"category"}));
  control.license = CsvTable::Cell(row, table.Column({"license"}));
  std::string remediation_text = CsvTable::Cell(row, table.Column({"remediation_type", "remediation-type"}));
  auto remediation = RemediationTypeOf(remediation_text);
  if (!remediation) {
    return "field \"remediation_type\": " + Quote(remediation_text) + " is not one of configuration, software, firmware, process";
  }
  control.remediation_type = *remediation;
  std::string points = CsvTable::Cell(row, table.Column({"max_points"}));
  if (!points.empty()) {
    rapidjson::Document holder;
    holder.SetObject();
    holder.AddMember("max_points", rapidjson::Value(points.c_str(), holder.GetAllocator()), holder.GetAllocator());
    if (auto problem = OptionalNumber(holder, "max_points", 0, kMaxPoints, control.max_points)) return problem;
  }
  auto mitigation_col = table.Column({"mitigations"});
  for (const auto& item : SplitList(CsvTable::Cell(row, mitigation_col))) {
    auto id = MitigationIdOf(item);
    if (!id) return "field \"mitigations\": " + Quote(item) + " is not a mitigation ID (M1032)";
    control.mitigations.push_back(*id);
  }
  size_t entry_idx = 0;
  for (const auto& item : SplitList(CsvTable::Cell(row, table.Column({"techniques"})))) {
    // T1078.004[:type[:strength]]
    std::string parts[3];
    size_t part_idx = 0;
    for (char c : item) {
      if (c == ':' && part_idx < 2) {
        ++part_idx;
      } else {
        parts[part_idx].push_back(c);
      }
    }
    model::Mapping mapping;
    auto technique = TechniqueIdOf(parts[0]);
    if (!technique) return "field \"techniques\"[" + std::to_string(entry_idx) + "]: " + Quote(parts[0]) + " is not a technique ID";
    if (auto problem = TypeAndStrengthFromText(parts[1], parts[2], mapping)) {
      return "field \"techniques\"[" + std::to_string(entry_idx) + "]: " + *problem;
    }
    mapping.control = control.id;
    mapping.technique = *technique;
    mapping.source = source;
    mappings.push_back(std::move(mapping));
    ++entry_idx;
  }
  return std::nullopt;
}

// What makes `doc` a posture file rather than a catalog, or nullopt: a native snapshot has
// `as_of` (or several under `snapshots`, or is an array of them); a Graph secureScores export
// has `controlScores` in its entries.
std::optional<std::string> PostureSign(const Value& doc) {
  const Value* first = doc.IsArray() && doc.Size() > 0 ? &doc[0] : nullptr;
  if (doc.IsObject() && Member(doc, "as_of")) return "\"as_of\"";
  if (doc.IsObject() && Member(doc, "snapshots")) return "\"snapshots\"";
  if (first && first->IsObject() && Member(*first, "as_of")) return "records with \"as_of\"";
  const Value* value = doc.IsObject() ? Member(doc, "value") : nullptr;
  if (value && value->IsArray() && value->Size() > 0 && (*value)[0].IsObject() && Member((*value)[0], "controlScores")) {
    return "\"controlScores\" (a Graph secureScores export)";
  }
  return std::nullopt;
}

std::string NotACatalog(const std::string& sign) {
  return "not a control catalog: it has " + sign +
         ", so it is a posture snapshot (dated control states); import it with `tidemark import posture`. "
         "Nothing imported";
}

// Adds a parsed control unless its id was already seen in this file.
void Accept(CatalogFile& out, std::map<std::string, std::string>& seen, const std::string& where,
            model::Control control, std::set<std::string> given, std::vector<model::Mapping> mappings) {
  auto [it, inserted] = seen.emplace(control.id, where);
  if (!inserted) {
    out.rejects.Add(out.file, where, "duplicate id " + Quote(control.id) + " (first at " + it->second + ")");
    return;
  }
  control.source = FileStem(out.file);
  out.controls.push_back(std::move(control));
  out.given.push_back(std::move(given));
  for (auto& mapping : mappings) out.mappings.push_back(std::move(mapping));
}

}  // namespace

std::string_view CatalogFormatName(CatalogFormat format) {
  switch (format) {
    case CatalogFormat::kNativeJson: return "native JSON";
    case CatalogFormat::kCsv: return "CSV";
    case CatalogFormat::kGraphProfiles: return "Graph secureScoreControlProfiles";
    case CatalogFormat::kBuiltin: return "built-in";
  }
  return "native JSON";
}

bool IsGraphProfiles(const Value& doc) {
  const Value* value = Member(doc, "value");
  if (!value || !value->IsArray()) return false;
  std::string context = StringOr(doc, "@odata.context");
  if (context.find("secureScoreControlProfiles") != std::string::npos) return true;
  return value->Size() > 0 && (*value)[0].IsObject() &&
         ((*value)[0].HasMember("controlName") || (*value)[0].HasMember("maxScore"));
}

Result<CatalogFile> ParseControlCatalog(std::string& text, const std::string& file) {
  CatalogFile out;
  out.file = file;
  std::string source = "catalog:" + FileStem(file).substr(0, 100);
  std::map<std::string, std::string> seen;
  if (!LooksLikeJson(text)) {
    out.format = CatalogFormat::kCsv;
    auto table = ParseCsv(text, file);
    if (!table.ok()) return table.status();
    if (table->Column({"as_of"})) return Status::BadInput(file + ": " + NotACatalog("an \"as_of\" column"));
    if (!table->Column({"id", "control", "controlname", "control_id"})) {
      return Status::BadInput(file + ": not a control catalog: expected JSON ({\"controls\": [...]} or a Graph "
                                     "secureScoreControlProfiles export) or CSV with an \"id\" column");
    }
    for (const auto& row : table->rows) {
      std::string where = std::to_string(row.line);
      model::Control control;
      std::set<std::string> given;
      std::vector<model::Mapping> mappings;
      if (auto problem = ReadCsvControl(*table, row, source, control, given, mappings)) {
        out.rejects.Add(file, where, *problem);
        continue;
      }
      Accept(out, seen, where, std::move(control), std::move(given), std::move(mappings));
    }
    return out;
  }
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, file));
  if (auto posture = PostureSign(doc)) return Status::BadInput(file + ": " + NotACatalog(*posture));
  const Value* records = nullptr;
  std::string array_name = "controls";
  if (doc.IsObject() && IsGraphProfiles(doc)) {
    out.format = CatalogFormat::kGraphProfiles;
    records = Member(doc, "value");
    array_name = "value";
  } else {
    records = doc.IsArray() ? &doc : Member(doc, "controls");
  }
  if (!records || !records->IsArray()) {
    return Status::BadInput(file + ": not a control catalog: expected {\"controls\": [...]}, an array of controls, "
                                   "or a Graph secureScoreControlProfiles export {\"value\": [...]}");
  }
  for (rapidjson::SizeType record_idx = 0; record_idx < records->Size(); ++record_idx) {
    std::string where = IndexPath(array_name, record_idx);
    model::Control control;
    std::set<std::string> given;
    std::vector<model::Mapping> mappings;
    Problem problem = out.format == CatalogFormat::kGraphProfiles
                          ? ReadGraphProfile((*records)[record_idx], control, given)
                          : ReadNativeControl((*records)[record_idx], source, control, given, mappings);
    if (problem) {
      out.rejects.Add(file, where, *problem);
      continue;
    }
    Accept(out, seen, where, std::move(control), std::move(given), std::move(mappings));
  }
  return out;
}

Result<CatalogFile> BuiltinCatalog(const store::ReadTxn& txn, std::string_view name) {
  if (name != "attack-mitigations") {
    return Status::Usage("--builtin: unknown catalog \"" + std::string(name) + "\" (available: attack-mitigations)");
  }
  CatalogFile out;
  out.file = "builtin:attack-mitigations";
  out.format = CatalogFormat::kBuiltin;
  store::AttackCatalog::ForEach(txn, model::AttackKind::kMitigation, [&](const model::AttackObject& mitigation) {
    if (mitigation.revoked || mitigation.deprecated) return;
    model::Control control;
    control.id = "ATTACK-" + mitigation.id;
    control.title = mitigation.name;
    control.product = "MITRE ATT&CK";
    control.category = "ATT&CK mitigation";
    control.mitigations = {mitigation.id};
    control.source = out.file;
    out.controls.push_back(std::move(control));
    out.given.push_back({"title", "product", "category", "mitigations"});
  });
  if (out.controls.empty()) {
    return Status::BadInput("--builtin attack-mitigations: no ATT&CK mitigations in the store (run `tidemark import attack` first)");
  }
  return out;
}

model::Control MergeControl(const model::Control& stored, const model::Control& record,
                            const std::set<std::string>& given) {
  model::Control merged = stored;
  merged.id = record.id;
  merged.source = record.source;
  auto take = [&](const char* field, auto member) {
    if (given.count(field)) merged.*member = record.*member;
  };
  take("title", &model::Control::title);
  take("product", &model::Control::product);
  take("category", &model::Control::category);
  take("license", &model::Control::license);
  take("remediation_type", &model::Control::remediation_type);
  take("max_points", &model::Control::max_points);
  take("mitigations", &model::Control::mitigations);
  take("owner", &model::Control::owner);
  take("due", &model::Control::due);
  take("deprecated", &model::Control::deprecated);
  take("extra", &model::Control::extra_json);
  return merged;
}

void StoreCatalog(store::WriteTxn& txn, const CatalogFile& catalog, const MappingResolution& resolved) {
  using store::OrgCatalog;
  std::string source = "catalog:" + FileStem(catalog.file).substr(0, 100);
  for (size_t control_idx = 0; control_idx < catalog.controls.size(); ++control_idx) {
    const model::Control& record = catalog.controls[control_idx];
    const std::set<std::string>& given = catalog.given[control_idx];
    auto stored = OrgCatalog::FindControl(txn, record.id);
    OrgCatalog::PutControl(txn, stored ? MergeControl(*stored, record, given) : record);
    if (given.count("techniques")) OrgCatalog::RemoveMappingsOf(txn, record.id, source);
  }
  for (const auto& mapping : resolved.rows) OrgCatalog::PutMapping(txn, mapping);
  if (!catalog.mappings.empty()) {
    OrgCatalog::PutMappingSet(txn, {source, AbsolutePath(catalog.file), "catalog (" + std::string(CatalogFormatName(catalog.format)) + ")"});
  }
}

}  // namespace tidemark::importers
