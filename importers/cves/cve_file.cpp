#include "importers/cves/cve_file.h"

#include <map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/cve_catalog.h"
#include "importers/common/csv_table.h"
#include "importers/common/text.h"
#include "importers/common/record_fields.h"

namespace tidemark::importers {
namespace {

using rapidjson::Value;

constexpr const char* kNotCveKnowledge =
    "not CVE knowledge: expected a CTID KEV mapping set ({\"mapping_objects\": [...]} with mapping types "
    "exploitation_technique, primary_impact, ...), the CTID ATT&CK-to-CVE CSV (columns CVE ID, Primary Impact, ...) "
    "or the CISA KEV catalog ({\"vulnerabilities\": [{\"cveID\", ...}]})";

// A YYYY-MM-DD date field of the KEV catalog ("" when absent); a malformed one is a problem.
Problem DateField(const Value& record, const char* name, std::string& out) {
  if (auto problem = OptionalString(record, name, out)) return problem;
  if (!out.empty() && (!ParseIsoTime(out) || out.size() != 10)) {
    return std::string("field \"") + name + "\": " + Quote(out) + " is not a YYYY-MM-DD date";
  }
  return std::nullopt;
}

Status ParseCisaCatalog(const Value& doc, CveFile& out) {
  out.format = "CISA KEV catalog";
  std::string version = StringOr(doc, "catalogVersion");
  const Value& records = *Member(doc, "vulnerabilities");
  std::map<std::string, std::string> seen;
  for (rapidjson::SizeType idx = 0; idx < records.Size(); ++idx) {
    std::string where = IndexPath("vulnerabilities", idx);
    const Value& record = records[idx];
    model::KevEntry entry;
    entry.catalog_version = version;
    Problem problem;
    std::string cve_text, ransomware;
    if (!record.IsObject()) problem = "record is not an object";
    if (!problem) problem = OptionalString(record, "cveID", cve_text);
    if (!problem) {
      auto cve = model::NormalizeCveId(cve_text);
      if (!cve) problem = cve_text.empty() ? std::string("field \"cveID\" is missing")
                                           : "field \"cveID\": " + Quote(cve_text) + " is not a CVE ID";
      else entry.cve = *cve;
    }
    if (!problem) problem = OptionalString(record, "vendorProject", entry.vendor);
    if (!problem) problem = OptionalString(record, "product", entry.product);
    if (!problem) problem = OptionalString(record, "vulnerabilityName", entry.name);
    if (!problem) problem = DateField(record, "dateAdded", entry.date_added);
    if (!problem) problem = DateField(record, "dueDate", entry.due_date);
    if (!problem) problem = OptionalString(record, "knownRansomwareCampaignUse", ransomware);
    if (!problem && !ransomware.empty()) {
      std::string folded = FoldEnum(ransomware);
      if (folded != "known" && folded != "unknown") {
        problem = "field \"knownRansomwareCampaignUse\": " + Quote(ransomware) + " is not Known or Unknown";
      }
      entry.ransomware = folded == "known";
    }
    if (!problem) {
      auto [it, inserted] = seen.emplace(entry.cve, where);
      if (!inserted) problem = "duplicate cveID " + Quote(entry.cve) + " (first at " + it->second + ")";
    }
    if (problem) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    out.kev.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status ParseKevSet(const Value& doc, CveFile& out) {
  out.format = "CTID KEV mapping set";
  const Value& rows = *Member(doc, "mapping_objects");
  for (rapidjson::SizeType idx = 0; idx < rows.Size(); ++idx) {
    std::string where = IndexPath("mapping_objects", idx);
    const Value& row = rows[idx];
    if (!row.IsObject()) {
      out.rejects.Add(out.file, where, "record is not an object");
      continue;
    }
    std::string status = StringOr(row, "status");
    const Value* technique_value = Member(row, "attack_object_id");
    if (status == "non_mappable" || !technique_value || technique_value->IsNull()) {
      ++out.non_mappable;
      continue;
    }
    std::string type_text = StringOr(row, "mapping_type");
    auto type = model::ParseCveMappingType(type_text);
    if (!type) {
      if (idx == 0 || out.mappings.empty()) {
        return Status::BadInput(out.file + ": refused: mapping_type " + Quote(type_text) +
                                " is not a CVE mapping type; control mapping sets go to `tidemark import mappings`");
      }
      out.rejects.Add(out.file, where, "field \"mapping_type\": " + Quote(type_text) + " is not a KEV mapping type");
      continue;
    }
    std::string cve_text = StringOr(row, "capability_id");
    auto cve = model::NormalizeCveId(cve_text);
    auto technique = technique_value->IsString() ? TechniqueIdOf(technique_value->GetString()) : std::nullopt;
    if (!cve) {
      out.rejects.Add(out.file, where, "field \"capability_id\": " + Quote(cve_text) + " is not a CVE ID");
    } else if (!technique) {
      out.rejects.Add(out.file, where, "field \"attack_object_id\" is not a technique ID");
    } else {
      out.mappings.push_back({*cve, *technique, "", *type, {out.source}});
    }
  }
  return Status::Ok();
}

Status ParseCveCsv(std::string_view text, CveFile& out) {
  out.format = "CTID ATT&CK-to-CVE CSV";
  auto table = ParseCsv(text, out.file);
  if (!table.ok()) return table.status();
  auto cve_col = table->Column({"cve id", "cve"});
  if (!cve_col) return Status::BadInput(out.file + ": " + kNotCveKnowledge);
  const std::pair<const char*, model::CveMappingType> columns[] = {
      {"exploitation technique", model::CveMappingType::kExploitationTechnique},
      {"primary impact", model::CveMappingType::kPrimaryImpact},
      {"secondary impact", model::CveMappingType::kSecondaryImpact},
      {"uncategorized", model::CveMappingType::kUncategorized},
  };
  for (const auto& row : table->rows) {
    std::string where = std::to_string(row.line);
    std::string cve_text = CsvTable::Cell(row, cve_col);
    auto cve = model::NormalizeCveId(cve_text);
    Problem problem = table->WidthProblem(row);
    if (!problem && !cve) problem = "column \"CVE ID\": " + Quote(cve_text) + " is not a CVE ID";
    std::vector<model::CveMapping> rows;
    for (const auto& [name, type] : columns) {
      if (problem) break;
      for (std::string id : SplitList(CsvTable::Cell(row, table->Column({name})))) {
        // Three cells of the CTID file end their ID with a full stop ("T1036."): a typo.
        while (!id.empty() && id.back() == '.') id.pop_back();
        auto technique = TechniqueIdOf(id);
        if (!technique) {
          problem = std::string("column \"") + name + "\": " + Quote(id) + " is not a technique ID";
          break;
        }
        rows.push_back({*cve, *technique, "", type, {out.source}});
      }
    }
    if (problem) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    for (auto& mapping : rows) out.mappings.push_back(std::move(mapping));
  }
  return Status::Ok();
}

}  // namespace

Result<CveFile> ParseCveFile(std::string& text, const std::string& file) {
  CveFile out;
  out.file = file;
  out.source = FileStem(file);
  if (!LooksLikeJson(text)) {
    TM_RETURN_IF_ERROR(ParseCveCsv(text, out));
    return out;
  }
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, file));
  if (const Value* vulns = Member(doc, "vulnerabilities"); vulns && vulns->IsArray()) {
    TM_RETURN_IF_ERROR(ParseCisaCatalog(doc, out));
  } else if (const Value* rows = Member(doc, "mapping_objects"); rows && rows->IsArray()) {
    TM_RETURN_IF_ERROR(ParseKevSet(doc, out));
  } else {
    return Status::BadInput(file + ": " + kNotCveKnowledge);
  }
  return out;
}

CveResolution ResolveCveMappings(const store::ReadTxn& txn, const CveFile& file) {
  CveResolution out;
  std::map<std::string, store::TechniqueResolution> cache;
  for (const auto& draft : file.mappings) {
    auto cached = cache.find(draft.technique);
    if (cached == cache.end()) {
      cached = cache.emplace(draft.technique, store::AttackCatalog::ResolveTechnique(txn, draft.technique)).first;
    }
    model::CveMapping mapping = draft;
    if (cached->second.kind == store::TechniqueResolution::Kind::kUnknown) {
      out.unknown_techniques.insert(draft.technique);
    } else {
      mapping.technique = cached->second.id;
      mapping.revoked_from = cached->second.revoked_from;
      out.revoked += !mapping.revoked_from.empty();
    }
    out.rows.push_back(std::move(mapping));
  }
  return out;
}

CveWriteStats StoreCveFile(store::WriteTxn& txn, const CveFile& file, const CveResolution& resolution) {
  CveWriteStats stats;
  for (const auto& mapping : resolution.rows) stats.mappings_created += store::CveCatalog::PutMapping(txn, mapping);
  for (const auto& entry : file.kev) store::CveCatalog::PutKev(txn, entry);
  stats.kev_entries = file.kev.size();
  return stats;
}

}  // namespace tidemark::importers
