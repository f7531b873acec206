#include "importers/controls/asset_inventory.h"

#include <map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/common/csv_table.h"
#include "importers/common/record_fields.h"

namespace tidemark::importers {
namespace {

using rapidjson::Value;

constexpr double kMaxWeight = 1e6;

Problem ApplyCriticality(const std::string& level, model::Asset& asset, bool weight_given) {
  if (level.empty() || weight_given) return std::nullopt;
  auto weight = CriticalityWeight(level);
  if (!weight) {
    return "field \"criticality\": " + Quote(level) + " is not a criticality level (very-high, high, medium, low or 0-3)";
  }
  asset.weight = *weight;
  return std::nullopt;
}

Problem ReadJsonAsset(const Value& record, model::Asset& asset) {
  if (!record.IsObject()) return std::string("record is not an object");
  if (auto problem = RequiredId(record, "id", asset.id)) return problem;
  if (auto problem = OptionalString(record, "type", asset.type)) return problem;
  if (auto problem = OptionalString(record, "name", asset.name)) return problem;
  std::optional<double> weight;
  if (auto problem = OptionalNumber(record, "weight", 0, kMaxWeight, weight)) return problem;
  if (weight) asset.weight = *weight;
  std::string level;
  const Value* criticality = Member(record, "criticality");
  if (criticality && criticality->IsNumber()) {
    // GetInt64 on a fraction or a number beyond int64 is a RapidJSON assertion (an abort in
    // debug builds), so the type is checked first; such a number is shown as written.
    level = criticality->IsInt64() ? std::to_string(criticality->GetInt64()) : ToJsonString(*criticality);
  } else if (auto problem = OptionalString(record, "criticality", level)) {
    return problem;
  }
  return ApplyCriticality(level, asset, weight.has_value());
}

void Accept(AssetFile& out, std::map<std::string, std::string>& seen, const std::string& where, model::Asset asset) {
  auto [it, inserted] = seen.emplace(asset.id, where);
  if (!inserted) {
    out.rejects.Add(out.file, where, "duplicate id " + Quote(asset.id) + " (first at " + it->second + ")");
    return;
  }
  out.assets.push_back(std::move(asset));
}

}  // namespace

std::optional<double> CriticalityWeight(std::string_view level) {
  std::string folded = FoldEnum(level);
  if (folded == "veryhigh" || folded == "critical" || folded == "0") return 4.0;
  if (folded == "high" || folded == "1") return 3.0;
  if (folded == "medium" || folded == "2") return 2.0;
  if (folded == "low" || folded == "3") return 1.0;
  return std::nullopt;
}

Result<AssetFile> ParseAssetFile(std::string& text, const std::string& file) {
  AssetFile out;
  out.file = file;
  std::map<std::string, std::string> seen;
  if (!LooksLikeJson(text)) {
    out.format = "CSV";
    auto table = ParseCsv(text, file);
    if (!table.ok()) return table.status();
    auto id_col = table->Column({"id", "asset", "asset_id"});
    if (!id_col) {
      return Status::BadInput(file + ": not an asset inventory: expected JSON {\"assets\": [...]} or CSV with the "
                                     "columns id, type, name, weight, criticality");
    }
    auto weight_col = table->Column({"weight"});
    for (const auto& row : table->rows) {
      std::string where = std::to_string(row.line);
      model::Asset asset;
      asset.id = CsvTable::Cell(row, id_col);
      asset.type = CsvTable::Cell(row, table->Column({"type"}));
      asset.name = CsvTable::Cell(row, table->Column({"name"}));
      Problem problem = table->WidthProblem(row);
      if (auto id_problem = IdProblem(asset.id); !problem && id_problem) problem = "field \"id\" " + *id_problem;
      std::string weight_text = CsvTable::Cell(row, weight_col);
      std::optional<double> weight;
      if (!problem && !weight_text.empty()) {
        rapidjson::Document holder;
        holder.SetObject();
        holder.AddMember("weight", rapidjson::Value(weight_text.c_str(), holder.GetAllocator()), holder.GetAllocator());
        problem = OptionalNumber(holder, "weight", 0, kMaxWeight, weight);
        if (weight) asset.weight = *weight;
      }
      if (!problem) problem = ApplyCriticality(CsvTable::Cell(row, table->Column({"criticality"})), asset, weight.has_value());
      if (problem) {
        out.rejects.Add(file, where, *problem);
        continue;
      }
      Accept(out, seen, where, std::move(asset));
    }
    return out;
  }
  out.format = "JSON";
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, file));
  const Value* records = doc.IsArray() ? &doc : Member(doc, "assets");
  if (!records || !records->IsArray()) {
    return Status::BadInput(file + ": not an asset inventory: expected {\"assets\": [...]} or an array of assets");
  }
  for (rapidjson::SizeType record_idx = 0; record_idx < records->Size(); ++record_idx) {
    std::string where = IndexPath("assets", record_idx);
    model::Asset asset;
    if (auto problem = ReadJsonAsset((*records)[record_idx], asset)) {
      out.rejects.Add(file, where, *problem);
      continue;
    }
    Accept(out, seen, where, std::move(asset));
  }
  return out;
}

}  // namespace tidemark::importers
